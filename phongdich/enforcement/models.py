"""Gatherings and their caps (G1), inspections top-down with findings and follow-ups (G2), violations with
the regulation breached, the sanction and their publication (G3, G5).

Caps and the regulations catalogue are data (rows with their source and dates); the pure functions that
decide from them live in ``rules``.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from phongdich.core.models import BaseModel
from phongdich.geo.models import Unit
from phongdich.orgs.models import Organisation
from phongdich.people.models import Person

# --- Gatherings (G1) -------------------------------------------------------------------------------


class GatheringKind(models.TextChoices):
    WEDDING = "wedding", _("Đám cưới (việc hỷ)")
    FUNERAL = "funeral", _("Đám tang (việc hiếu)")
    OTHER = "other", _("Sự kiện khác (sinh nhật, tân gia, kỷ niệm, lễ hội...)")


class GatheringStatus(models.TextChoices):
    REGISTERED = "registered", _("Đã đăng ký (trong giới hạn)")
    PENDING = "pending", _("Chờ xã phê duyệt")
    APPROVED = "approved", _("Được phê duyệt")
    REFUSED = "refused", _("Không được phê duyệt")


class CapRule(BaseModel):
    """A cap on a kind of gathering from a dated rule, used when no control zone and no epidemic level's
    measures name a number (e.g. weddings and funerals ≤ 50 people from 21/03/2020)."""

    kind = models.CharField(_("loại sự kiện"), max_length=10, choices=GatheringKind.choices)
    cap = models.PositiveIntegerField(_("số người tối đa"))
    effective_from = models.DateField(_("áp dụng từ ngày"))
    effective_to = models.DateField(_("áp dụng đến ngày"), null=True, blank=True)
    source = models.CharField(_("căn cứ"), max_length=255)
    uncertain = models.BooleanField(_("chưa được xác nhận"), default=False)
    note = models.TextField(_("ghi chú"), blank=True)

    class Meta:
        verbose_name = _("giới hạn số người theo văn bản")
        verbose_name_plural = _("giới hạn số người theo văn bản")
        ordering = ["kind", "-effective_from"]
        constraints = [
            models.CheckConstraint(
                condition=Q(effective_to__isnull=True) | Q(effective_to__gte=F("effective_from")),
                name="enforcement_caprule_to_not_before_from",
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} ≤ {self.cap} ({self.effective_from:%d/%m/%Y})"


class Gathering(BaseModel):
    """A wedding, funeral or other event registered with its place, date and expected attendance."""

    kind = models.CharField(_("loại sự kiện"), max_length=10, choices=GatheringKind.choices)
    title = models.CharField(_("tên sự kiện"), max_length=200)
    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="+", verbose_name=_("xã/xóm tổ chức"))
    commune = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="+", verbose_name=_("xã, phường"))
    address = models.CharField(_("địa chỉ"), max_length=255)
    event_date = models.DateField(_("ngày tổ chức"))
    indoors = models.BooleanField(_("trong nhà"), default=True)
    expected_attendance = models.PositiveIntegerField(_("số người dự kiến"))
    organiser_name = models.CharField(_("người tổ chức"), max_length=120)
    organiser_phone = models.CharField(_("điện thoại người tổ chức"), max_length=10, blank=True)
    organiser = models.ForeignKey(
        Person, null=True, blank=True, on_delete=models.SET_NULL, related_name="+", verbose_name=_("người tổ chức")
    )
    cap = models.PositiveIntegerField(_("giới hạn số người"), null=True, blank=True)
    cap_source = models.CharField(_("căn cứ giới hạn"), max_length=255, blank=True)
    cap_uncertain = models.BooleanField(_("giới hạn chưa được xác nhận"), default=False)
    status = models.CharField(_("trạng thái"), max_length=10, choices=GatheringStatus.choices)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    decided_at = models.DateTimeField(_("quyết định lúc"), null=True, blank=True)
    decision_reason = models.TextField(_("lý do"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = _("sự kiện tụ tập")
        verbose_name_plural = _("sự kiện tụ tập")
        ordering = ["-event_date", "-id"]
        indexes = [models.Index(fields=["commune", "event_date"], name="enf_gathering_commune_day")]

    def __str__(self) -> str:
        return f"{self.title} ({self.event_date:%d/%m/%Y})"

    @property
    def needs_approval(self) -> bool:
        return self.status in (GatheringStatus.PENDING, GatheringStatus.APPROVED, GatheringStatus.REFUSED)


# --- Inspections (G2) -------------------------------------------------------------------------------


class InspectionResult(models.TextChoices):
    GOOD = "good", _("Thực hiện tốt")
    SHORTCOMINGS = "shortcomings", _("Còn tồn tại, hạn chế")
    VIOLATIONS = "violations", _("Có vi phạm")


class InspectionPlan(BaseModel):
    """A unit's plan to inspect the units below it in a period."""

    inspector_unit = models.ForeignKey(
        Unit, on_delete=models.PROTECT, related_name="+", verbose_name=_("đơn vị kiểm tra")
    )
    title = models.CharField(_("tên kế hoạch"), max_length=200)
    start_date = models.DateField(_("từ ngày"))
    end_date = models.DateField(_("đến ngày"))
    targets = models.ManyToManyField(Unit, related_name="+", blank=True, verbose_name=_("đơn vị được kiểm tra"))
    note = models.TextField(_("nội dung"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = _("kế hoạch kiểm tra")
        verbose_name_plural = _("kế hoạch kiểm tra")
        ordering = ["-start_date", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(end_date__gte=F("start_date")), name="enforcement_plan_end_not_before_start"
            )
        ]

    def __str__(self) -> str:
        return self.title


class Inspection(BaseModel):
    """One inspection: a unit inspects the unit right below it, or a hamlet inspects a household."""

    plan = models.ForeignKey(
        InspectionPlan,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="inspections",
        verbose_name=_("kế hoạch"),
    )
    inspector_unit = models.ForeignKey(
        Unit, on_delete=models.PROTECT, related_name="+", verbose_name=_("đơn vị kiểm tra")
    )
    target_unit = models.ForeignKey(
        Unit,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("đơn vị được kiểm tra"),
        help_text=_("Với hộ gia đình: xóm, tổ dân phố của hộ"),
    )
    household_head = models.ForeignKey(
        Person, null=True, blank=True, on_delete=models.SET_NULL, related_name="+", verbose_name=_("chủ hộ")
    )
    household_address = models.CharField(_("địa chỉ hộ gia đình"), max_length=255, blank=True)
    inspected_on = models.DateField(_("ngày kiểm tra"))
    result = models.CharField(_("kết quả"), max_length=12, choices=InspectionResult.choices)
    findings = models.TextField(_("nội dung, phát hiện"))
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = _("biên bản kiểm tra")
        verbose_name_plural = _("biên bản kiểm tra")
        ordering = ["-inspected_on", "-id"]
        indexes = [models.Index(fields=["inspector_unit", "inspected_on"], name="enf_inspection_by_day")]

    def __str__(self) -> str:
        return f"{self.inspector_unit} → {self.target_label} ({self.inspected_on:%d/%m/%Y})"

    @property
    def is_household(self) -> bool:
        return bool(self.household_address or self.household_head_id)

    @property
    def target_label(self) -> str:
        if self.is_household:
            head = self.household_head.full_name if self.household_head is not None else ""
            return str(_("Hộ %(head)s, %(address)s")) % {"head": head, "address": self.household_address}
        return self.target_unit.name


class FollowUp(BaseModel):
    """What the inspected must fix, by when; closed when done."""

    inspection = models.ForeignKey(
        Inspection, on_delete=models.CASCADE, related_name="follow_ups", verbose_name=_("biên bản kiểm tra")
    )
    action = models.CharField(_("việc phải khắc phục"), max_length=400)
    deadline = models.DateField(_("hạn"))
    closed_on = models.DateField(_("hoàn thành ngày"), null=True, blank=True)
    closure_note = models.TextField(_("kết quả khắc phục"), blank=True)
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = _("việc khắc phục sau kiểm tra")
        verbose_name_plural = _("việc khắc phục sau kiểm tra")
        ordering = ["deadline", "id"]

    def __str__(self) -> str:
        return self.action


# --- Violations (G3, G5) -------------------------------------------------------------------------------


class ViolationKind(models.TextChoices):
    NO_MASK = "no_mask", _("Không đeo khẩu trang nơi công cộng")
    UNAPPROVED_TRAVEL = "unapproved_travel", _("Đi ra ngoài tỉnh không được phép")
    ILLEGAL_GATHERING = "illegal_gathering", _("Tụ tập, tổ chức sự kiện trái quy định")
    FALSE_DECLARATION = "false_declaration", _("Khai báo y tế gian dối")
    PRICE_GOUGING = "price_gouging", _("Tăng giá vật tư y tế bất hợp lý")
    COUNTERFEIT_SUPPLIES = "counterfeit_supplies", _("Buôn bán vật tư, thuốc giả, không rõ nguồn gốc")
    OTHER = "other", _("Vi phạm khác")


class OffenderKind(models.TextChoices):
    INDIVIDUAL = "individual", _("Cá nhân")
    ORGANISATION = "organisation", _("Tổ chức")


class Sanction(models.TextChoices):
    FINE = "fine", _("Phạt tiền")
    WARNING = "warning", _("Phạt cảnh cáo")
    DISCIPLINE_HEAD = "discipline_head", _("Kỷ luật người đứng đầu")
    CRIMINAL = "criminal", _("Chuyển cơ quan điều tra")
    NONE = "none", _("Chưa xử lý")


class Regulation(BaseModel):
    """An article of a regulation a violation breaches (a catalogue kept as data)."""

    code = models.SlugField(_("mã"), max_length=40, unique=True)
    document = models.CharField(_("văn bản"), max_length=200)
    article = models.CharField(_("điều, khoản"), max_length=80)
    title = models.CharField(_("nội dung"), max_length=300)
    fine_min = models.PositiveBigIntegerField(_("mức phạt thấp nhất (đồng)"), null=True, blank=True)
    fine_max = models.PositiveBigIntegerField(_("mức phạt cao nhất (đồng)"), null=True, blank=True)
    uncertain = models.BooleanField(
        _("chưa được xác nhận"), default=False, help_text=_("Số điều, khoản hoặc mức phạt chưa đối chiếu với văn bản")
    )
    is_active = models.BooleanField(_("đang dùng"), default=True)

    class Meta:
        verbose_name = _("quy định bị vi phạm")
        verbose_name_plural = _("danh mục quy định")
        ordering = ["document", "code"]

    def __str__(self) -> str:
        return f"{self.article} {self.document}"


class Violation(BaseModel):
    offender_kind = models.CharField(_("đối tượng vi phạm"), max_length=12, choices=OffenderKind.choices)
    person = models.ForeignKey(
        Person, null=True, blank=True, on_delete=models.SET_NULL, related_name="+", verbose_name=_("người vi phạm")
    )
    offender_name = models.CharField(_("tên cá nhân, tổ chức vi phạm"), max_length=255)
    organisation = models.ForeignKey(
        Organisation, null=True, blank=True, on_delete=models.SET_NULL, related_name="+", verbose_name=_("tổ chức")
    )
    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="+", verbose_name=_("nơi vi phạm"))
    commune = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="+", verbose_name=_("xã, phường"))
    kind = models.CharField(_("hành vi"), max_length=24, choices=ViolationKind.choices)
    regulation = models.ForeignKey(
        Regulation, null=True, blank=True, on_delete=models.PROTECT, related_name="+", verbose_name=_("quy định")
    )
    occurred_on = models.DateField(_("ngày vi phạm"))
    description = models.TextField(_("mô tả"), blank=True)
    gathering = models.ForeignKey(
        Gathering, null=True, blank=True, on_delete=models.SET_NULL, related_name="+", verbose_name=_("sự kiện")
    )
    trip = models.ForeignKey(
        "travel.Trip", null=True, blank=True, on_delete=models.SET_NULL, related_name="+", verbose_name=_("chuyến đi")
    )
    trip_reference = models.CharField(_("chuyến đi (tham chiếu)"), max_length=120, blank=True)
    sanction = models.CharField(_("hình thức xử lý"), max_length=16, choices=Sanction.choices, default=Sanction.NONE)
    fine_amount = models.PositiveBigIntegerField(_("số tiền phạt (đồng)"), null=True, blank=True)
    head_disciplined = models.CharField(_("người đứng đầu bị kỷ luật"), max_length=200, blank=True)
    decision_number = models.CharField(_("số quyết định xử lý"), max_length=60, blank=True)
    decision_date = models.DateField(_("ngày quyết định"), null=True, blank=True)
    published = models.BooleanField(_("đã công khai"), default=False)
    published_at = models.DateTimeField(_("công khai lúc"), null=True, blank=True)
    name_published = models.BooleanField(_("công khai tên"), default=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = _("vụ vi phạm")
        verbose_name_plural = _("vụ vi phạm")
        ordering = ["-occurred_on", "-id"]
        indexes = [models.Index(fields=["published", "occurred_on"], name="enf_violation_published")]
        constraints = [
            models.CheckConstraint(
                condition=Q(published=False) | ~Q(decision_number=""), name="enforcement_published_has_decision"
            )
        ]

    def __str__(self) -> str:
        return f"{self.offender_name}: {self.get_kind_display()} ({self.occurred_on:%d/%m/%Y})"
