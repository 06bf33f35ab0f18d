"""The case registry (C1, C2, C5, C6): one row per case of a person, with its status history.

Outbreak clusters (C3): a place — an organisation, one of its premises, or a hamlet/commune —
where cases are linked; a case belongs to at most one cluster.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from phongdich.core.models import BaseModel
from phongdich.geo.models import Unit
from phongdich.orgs.models import Organisation, Premises
from phongdich.people.models import Person


class CaseStatus(models.TextChoices):
    SUSPECTED = "suspected", _("Nghi ngờ")
    PROBABLE = "probable", _("Có thể")
    CONFIRMED = "confirmed", _("Xác định")
    RECOVERED = "recovered", _("Khỏi bệnh")
    DIED = "died", _("Tử vong")
    DISCARDED = "discarded", _("Loại trừ")


# A person has at most one open case (enforced by a partial unique index below).
OPEN_STATUSES = (CaseStatus.SUSPECTED, CaseStatus.PROBABLE, CaseStatus.CONFIRMED)
# Statuses of a case that was confirmed at some point: these are the cases counted (C1, C2).
CONFIRMED_STATUSES = (CaseStatus.CONFIRMED, CaseStatus.RECOVERED, CaseStatus.DIED)


class DetectedIn(models.TextChoices):
    COMMUNITY = "community", _("Cộng đồng")
    QUARANTINE = "quarantine", _("Khu cách ly")
    ENTRY = "entry", _("Nhập cảnh")
    HEALTH_FACILITY = "health_facility", _("Cơ sở y tế")


class ReportedBy(models.TextChoices):
    HEALTH = "health", _("Y tế")
    POLICE = "police", _("Công an")


class ClusterStatus(models.TextChoices):
    ACTIVE = "active", _("Đang hoạt động")
    CLOSED = "closed", _("Đã kết thúc")


class Cluster(BaseModel):
    """An outbreak cluster (ổ dịch), e.g. a factory: its place, the unit it is in (for scope), its course."""

    name = models.CharField(_("tên ổ dịch"), max_length=255)
    organisation = models.ForeignKey(
        Organisation,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="clusters",
        verbose_name=_("cơ quan, doanh nghiệp"),
    )
    premises = models.ForeignKey(
        Premises, null=True, blank=True, on_delete=models.PROTECT, related_name="clusters", verbose_name=_("địa điểm")
    )
    place_unit = models.ForeignKey(
        Unit,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("thôn, xóm, xã"),
        help_text=_("Khi ổ dịch là một khu dân cư"),
    )
    # The unit the cluster lies in: who sees it (scope) and where it is counted.
    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="clusters", verbose_name=_("địa bàn"))
    start_date = models.DateField(_("ngày bắt đầu"), help_text=_("Ngày của ca đầu tiên hoặc ngày công bố"))
    status = models.CharField(
        _("trạng thái"), max_length=8, choices=ClusterStatus.choices, default=ClusterStatus.ACTIVE
    )
    closed_on = models.DateField(_("ngày kết thúc"), null=True, blank=True)
    note = models.TextField(_("ghi chú"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("người tạo"),
    )

    class Meta:
        verbose_name = _("ổ dịch")
        verbose_name_plural = _("ổ dịch")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(organisation__isnull=False)
                | models.Q(premises__isnull=False)
                | models.Q(place_unit__isnull=False),
                name="cases_cluster_has_place",
            ),
            models.CheckConstraint(
                condition=(models.Q(status="active") & models.Q(closed_on__isnull=True))
                | (
                    models.Q(status="closed")
                    & models.Q(closed_on__isnull=False)
                    & models.Q(closed_on__gte=models.F("start_date"))
                ),
                name="cases_cluster_closed_on_when_closed",
            ),
        ]
        indexes = [models.Index(fields=["unit", "id"], name="cases_cluster_unit_id")]

    def __str__(self) -> str:
        return self.name

    @property
    def place(self) -> object:
        """What the cluster is at: the premises, else the organisation, else the hamlet/commune."""
        return self.premises or self.organisation or self.place_unit

    @property
    def is_active(self) -> bool:
        return self.status == ClusterStatus.ACTIVE


class Case(BaseModel):
    case_code = models.CharField(_("mã ca bệnh"), max_length=20, editable=False)
    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="cases", verbose_name=_("người bệnh"))
    status = models.CharField(_("phân loại"), max_length=12, choices=CaseStatus.choices)
    onset_date = models.DateField(
        _("ngày khởi phát"), null=True, blank=True, help_text=_("Để trống nếu không triệu chứng")
    )
    sampling_date = models.DateField(_("ngày lấy mẫu"), null=True, blank=True)
    confirmation_date = models.DateField(_("ngày xác định"), null=True, blank=True)
    # The moment of confirmation (counts per period end at an hour: "đến 15h00 ngày 06/11").
    confirmed_at = models.DateTimeField(_("thời điểm xác định"), null=True, blank=True)
    detected_in = models.CharField(_("nơi phát hiện"), max_length=16, choices=DetectedIn.choices)
    facility = models.ForeignKey(
        Organisation,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="cases",
        verbose_name=_("cơ sở y tế"),
    )
    acquired_in_facility = models.BooleanField(_("lây nhiễm trong cơ sở y tế"), default=False)
    residence_unit = models.ForeignKey(
        Unit, on_delete=models.PROTECT, related_name="cases", verbose_name=_("đơn vị ghi nhận")
    )
    source_known = models.BooleanField(_("rõ nguồn lây"), default=False)
    source_note = models.CharField(_("nguồn lây"), max_length=255, blank=True)
    reported_by = models.CharField(_("đơn vị báo cáo"), max_length=8, choices=ReportedBy.choices, default="health")
    notes = models.TextField(_("ghi chú"), blank=True)
    cluster = models.ForeignKey(
        Cluster, null=True, blank=True, on_delete=models.PROTECT, related_name="cases", verbose_name=_("ổ dịch")
    )
    # The day the case was isolated: the end of the window in which their contacts are F1 (C4).
    isolated_on = models.DateField(_("ngày cách ly"), null=True, blank=True)

    class Meta:
        verbose_name = _("ca bệnh")
        verbose_name_plural = _("ca bệnh")
        constraints = [
            models.UniqueConstraint(fields=["case_code"], name="cases_case_unique_code"),
            models.UniqueConstraint(
                fields=["person"],
                condition=models.Q(status__in=[s.value for s in OPEN_STATUSES]),
                name="cases_case_one_open_per_person",
            ),
            models.CheckConstraint(
                condition=models.Q(confirmation_date__isnull=True)
                | models.Q(sampling_date__isnull=True)
                | models.Q(confirmation_date__gte=models.F("sampling_date")),
                name="cases_case_confirmed_after_sampling",
            ),
        ]
        indexes = [
            models.Index(fields=["residence_unit", "confirmed_at"], name="cases_case_unit_confirmed"),
            models.Index(fields=["status", "id"], name="cases_case_status_id"),
        ]

    def __str__(self) -> str:
        return self.case_code

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_STATUSES

    @property
    def curve_date(self) -> object:
        """The day a case counts on the epidemic curve: onset, else sampling, else confirmation."""
        return self.onset_date or self.sampling_date or self.confirmation_date


class CaseStatusChange(models.Model):
    """One step of a case's history (the registration is the first, with an empty ``from_status``)."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="changes")
    from_status = models.CharField(_("từ"), max_length=12, choices=CaseStatus.choices, blank=True)
    to_status = models.CharField(_("sang"), max_length=12, choices=CaseStatus.choices)
    on_date = models.DateField(_("ngày"))
    at = models.DateTimeField(_("ghi lúc"), auto_now_add=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    note = models.CharField(_("ghi chú"), max_length=255, blank=True)

    class Meta:
        ordering = ["at", "id"]
        verbose_name = _("thay đổi phân loại")
        verbose_name_plural = _("thay đổi phân loại")

    def __str__(self) -> str:
        return f"{self.from_status or '—'} → {self.to_status} ({self.on_date:%d/%m/%Y})"
