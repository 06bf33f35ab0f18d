"""Vaccination (V1, V2): vaccine products, lots, sites, doses, priority lists, eligibility and AEFI.

Everything that a directive decides is data: the products and their schedules, the priority lists
of Resolution 21/NQ-CP (and the later 16-group plan), the eligibility age by date. A ``Dose`` is
one injection; ``kind`` (primary or booster) and ``completes_series`` are derived when it is
recorded, so that coverage is a plain aggregate query over people and their doses.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from phongdich.core.models import BaseModel
from phongdich.geo.models import Unit
from phongdich.orgs.models import Organisation
from phongdich.people.models import Person

# The age counted as "adult" in coverage (criterion 2 of Resolution 128/NQ-CP: people aged ≥ 18).
ADULT_AGE = 18
# The elderly age of the coverage tables by default (Resolution 128 guidance: 50+ or 65+ is uncertain).
ELDERLY_AGE = 65


class VaccineProduct(BaseModel):
    """A vaccine product and its primary schedule (doses, minimum days between primary doses)."""

    code = models.SlugField(_("mã"), max_length=32, unique=True)
    name = models.CharField(_("tên vắc xin"), max_length=120)
    manufacturer = models.CharField(_("nhà sản xuất"), max_length=160)
    primary_doses = models.PositiveSmallIntegerField(_("số mũi cơ bản"))
    min_interval_days = models.PositiveSmallIntegerField(_("khoảng cách tối thiểu giữa các mũi cơ bản (ngày)"))
    source = models.CharField(_("nguồn"), max_length=255, blank=True)
    uncertain = models.BooleanField(_("chưa xác minh nguồn"), default=False)
    active = models.BooleanField(_("đang sử dụng"), default=True)

    class Meta:
        verbose_name = _("vắc xin")
        verbose_name_plural = _("vắc xin")
        ordering = ["name"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(primary_doses__gte=1) & models.Q(primary_doses__lte=5),
                name="vaccination_product_primary_doses_range",
            )
        ]

    def __str__(self) -> str:
        return self.name


class VaccineLot(BaseModel):
    product = models.ForeignKey(
        VaccineProduct, on_delete=models.PROTECT, related_name="lots", verbose_name=_("vắc xin")
    )
    lot_number = models.CharField(_("số lô"), max_length=40)
    expiry_date = models.DateField(_("hạn sử dụng"))

    class Meta:
        verbose_name = _("lô vắc xin")
        verbose_name_plural = _("lô vắc xin")
        ordering = ["product__name", "lot_number"]
        constraints = [
            models.UniqueConstraint(fields=["product", "lot_number"], name="vaccination_lot_unique_per_product")
        ]

    def __str__(self) -> str:
        return f"{self.product.name} — {self.lot_number}"


class VaccinationSite(BaseModel):
    """Where doses are given: a health facility (organisation) or a unit's vaccination point."""

    name = models.CharField(_("tên điểm tiêm"), max_length=200)
    unit = models.ForeignKey(
        Unit, on_delete=models.PROTECT, related_name="vaccination_sites", verbose_name=_("địa bàn")
    )
    organisation = models.ForeignKey(
        Organisation,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="vaccination_sites",
        verbose_name=_("cơ sở y tế, cơ quan"),
    )
    active = models.BooleanField(_("đang hoạt động"), default=True)

    class Meta:
        verbose_name = _("điểm tiêm")
        verbose_name_plural = _("điểm tiêm")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class EligibilityRule(BaseModel):
    """Who may be vaccinated from which day (dated data with its source)."""

    effective_from = models.DateField(_("hiệu lực từ"))
    effective_to = models.DateField(_("hiệu lực đến"), null=True, blank=True)
    min_age = models.PositiveSmallIntegerField(_("tuổi tối thiểu"))
    booster_min_days = models.PositiveSmallIntegerField(
        _("khoảng cách tối thiểu từ mũi cơ bản cuối đến mũi nhắc lại (ngày)"), default=90
    )
    source = models.CharField(_("nguồn"), max_length=255)
    uncertain = models.BooleanField(_("chưa xác minh nguồn"), default=False)
    note = models.TextField(_("ghi chú"), blank=True)

    class Meta:
        verbose_name = _("quy định đối tượng tiêm")
        verbose_name_plural = _("quy định đối tượng tiêm")
        ordering = ["effective_from"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(effective_to__isnull=True) | models.Q(effective_to__gte=models.F("effective_from")),
                name="vaccination_eligibility_dates_ordered",
            )
        ]

    def __str__(self) -> str:
        return f"≥ {self.min_age} — {self.source}"


class DoseKind(models.TextChoices):
    PRIMARY = "primary", _("Mũi cơ bản")
    BOOSTER = "booster", _("Mũi nhắc lại")


class Dose(BaseModel):
    """One injection. ``dose_number`` counts the person's doses (1, 2, 3 …) whatever the product."""

    person = models.ForeignKey(
        Person, on_delete=models.PROTECT, related_name="doses", verbose_name=_("người được tiêm")
    )
    product = models.ForeignKey(VaccineProduct, on_delete=models.PROTECT, related_name="+", verbose_name=_("vắc xin"))
    lot = models.ForeignKey(
        VaccineLot, null=True, blank=True, on_delete=models.PROTECT, related_name="doses", verbose_name=_("lô")
    )
    dose_number = models.PositiveSmallIntegerField(_("mũi thứ"))
    given_on = models.DateField(_("ngày tiêm"))
    site = models.ForeignKey(
        VaccinationSite,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="doses",
        verbose_name=_("điểm tiêm"),
    )
    kind = models.CharField(_("loại mũi"), max_length=8, choices=DoseKind.choices)
    completes_series = models.BooleanField(_("hoàn thành mũi cơ bản"), default=False)
    exception_reason = models.CharField(
        _("lý do tiêm ngoài đối tượng"),
        max_length=255,
        blank=True,
        help_text=_("Bắt buộc khi người được tiêm chưa đủ điều kiện theo quy định đang có hiệu lực."),
    )
    note = models.CharField(_("ghi chú"), max_length=255, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = _("mũi tiêm")
        verbose_name_plural = _("mũi tiêm")
        ordering = ["-given_on", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["person", "dose_number"], name="vaccination_dose_one_per_number"),
            models.CheckConstraint(condition=models.Q(dose_number__gte=1), name="vaccination_dose_number_positive"),
        ]
        indexes = [
            models.Index(fields=["person", "given_on"], name="vaccination_dose_person_day"),
            models.Index(
                fields=["person", "given_on"], condition=models.Q(completes_series=True), name="vaccination_dose_full"
            ),
            models.Index(
                fields=["person", "given_on"], condition=models.Q(kind="booster"), name="vaccination_dose_boost"
            ),
            models.Index(fields=["-given_on", "-id"], name="vaccination_dose_keyset"),
        ]

    def __str__(self) -> str:
        return f"{self.person} — {self.product} — {self.dose_number}"


# --- Priority groups (Resolution 21/NQ-CP and later lists) -----------------------------------------


class PriorityList(BaseModel):
    code = models.SlugField(_("mã"), max_length=32, unique=True)
    name = models.CharField(_("tên danh sách"), max_length=200)
    source = models.CharField(_("nguồn"), max_length=255)
    effective_from = models.DateField(_("hiệu lực từ"))
    effective_to = models.DateField(_("hiệu lực đến"), null=True, blank=True)
    uncertain = models.BooleanField(_("chưa xác minh nguồn"), default=False)

    class Meta:
        verbose_name = _("danh sách nhóm ưu tiên")
        verbose_name_plural = _("danh sách nhóm ưu tiên")
        ordering = ["effective_from"]

    def __str__(self) -> str:
        return self.name


class PriorityGroup(BaseModel):
    priority_list = models.ForeignKey(
        PriorityList, on_delete=models.CASCADE, related_name="groups", verbose_name=_("danh sách")
    )
    code = models.CharField(_("mã nhóm"), max_length=8, help_text=_("Ví dụ 1, 1a, 16"))
    parent = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.CASCADE, related_name="subgroups", verbose_name=_("nhóm cha")
    )
    order = models.PositiveSmallIntegerField(_("thứ tự"))
    name = models.CharField(_("tên nhóm"), max_length=255)
    description = models.TextField(_("mô tả"), blank=True)

    class Meta:
        verbose_name = _("nhóm ưu tiên")
        verbose_name_plural = _("nhóm ưu tiên")
        ordering = ["priority_list", "order"]
        constraints = [
            models.UniqueConstraint(fields=["priority_list", "code"], name="vaccination_group_unique_code"),
        ]

    def __str__(self) -> str:
        return f"{self.code}. {self.name}"


class PriorityAssignment(BaseModel):
    """A person's group in one list (at most one group per list)."""

    person = models.ForeignKey(
        Person, on_delete=models.CASCADE, related_name="priority_assignments", verbose_name=_("người")
    )
    priority_list = models.ForeignKey(PriorityList, on_delete=models.CASCADE, related_name="+")
    group = models.ForeignKey(
        PriorityGroup, on_delete=models.PROTECT, related_name="assignments", verbose_name=_("nhóm ưu tiên")
    )
    note = models.CharField(_("ghi chú"), max_length=255, blank=True)
    assigned_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = _("xếp nhóm ưu tiên")
        verbose_name_plural = _("xếp nhóm ưu tiên")
        constraints = [
            models.UniqueConstraint(fields=["person", "priority_list"], name="vaccination_one_group_per_list"),
        ]

    def __str__(self) -> str:
        return f"{self.person} — {self.group}"


# --- Adverse events following immunisation (V2) -------------------------------------------------


class Severity(models.TextChoices):
    MILD = "mild", _("Nhẹ")
    MODERATE = "moderate", _("Trung bình")
    SEVERE = "severe", _("Nặng, nghiêm trọng")


class AefiOutcome(models.TextChoices):
    RECOVERED = "recovered", _("Đã khỏi")
    RECOVERING = "recovering", _("Đang hồi phục")
    SEQUELAE = "sequelae", _("Khỏi có di chứng")
    DIED = "died", _("Tử vong")
    UNKNOWN = "unknown", _("Chưa rõ")


class Causality(models.TextChoices):
    """WHO AEFI causality categories."""

    PRODUCT = "product", _("Phản ứng liên quan đến sản phẩm vắc xin")
    QUALITY = "quality", _("Phản ứng do lỗi chất lượng vắc xin")
    ERROR = "error", _("Phản ứng do sai sót trong tiêm chủng")
    ANXIETY = "anxiety", _("Phản ứng do lo sợ khi tiêm")
    COINCIDENTAL = "coincidental", _("Trùng hợp ngẫu nhiên")
    INDETERMINATE = "indeterminate", _("Không xác định được")
    UNCLASSIFIABLE = "unclassifiable", _("Không thể phân loại")


class AdverseEvent(BaseModel):
    dose = models.ForeignKey(Dose, on_delete=models.PROTECT, related_name="adverse_events", verbose_name=_("mũi tiêm"))
    onset_at = models.DateTimeField(_("thời điểm khởi phát"))
    symptoms = models.TextField(_("triệu chứng"))
    severity = models.CharField(_("mức độ"), max_length=10, choices=Severity.choices)
    reported_by = models.CharField(_("người báo cáo"), max_length=120)
    reported_at = models.CharField(_("nơi báo cáo"), max_length=200, blank=True)
    reported_on = models.DateField(_("ngày báo cáo"))
    outcome = models.CharField(_("kết quả"), max_length=12, choices=AefiOutcome.choices, default=AefiOutcome.UNKNOWN)
    causality = models.CharField(_("phân loại nguyên nhân"), max_length=16, choices=Causality.choices, blank=True)
    review_body = models.CharField(_("hội đồng đánh giá"), max_length=200, blank=True)
    review_note = models.TextField(_("kết luận của hội đồng"), blank=True)
    reviewed_on = models.DateField(_("ngày kết luận"), null=True, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = _("phản ứng sau tiêm")
        verbose_name_plural = _("phản ứng sau tiêm")
        ordering = ["-onset_at", "-id"]
        indexes = [models.Index(fields=["-onset_at", "-id"], name="vaccination_aefi_keyset")]

    def __str__(self) -> str:
        return f"{self.dose.person} — {self.get_severity_display()}"


class AdverseEventFollowUp(BaseModel):
    event = models.ForeignKey(AdverseEvent, on_delete=models.CASCADE, related_name="follow_ups")
    on = models.DateField(_("ngày theo dõi"))
    note = models.TextField(_("diễn biến"))
    outcome = models.CharField(_("kết quả"), max_length=12, choices=AefiOutcome.choices)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = _("theo dõi phản ứng sau tiêm")
        verbose_name_plural = _("theo dõi phản ứng sau tiêm")
        ordering = ["on", "id"]
