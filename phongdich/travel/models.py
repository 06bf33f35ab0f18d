"""Out-of-province trips of officials and their approval (M7); enterprises' plans to keep workers in the
province and the workers allowed out or in (M8). The public-holiday calendar and office hours are data."""

from __future__ import annotations

from datetime import time

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from phongdich.core.models import BaseModel
from phongdich.geo.models import Unit
from phongdich.orgs.models import Organisation
from phongdich.people.models import Person, StaffMembership
from phongdich.zones.countries import country_name
from phongdich.zones.models import PlaceKind


class PublicHoliday(BaseModel):
    """A day off by law or by the government's notice (Tết, Giỗ Tổ, 30/4, 1/5, Quốc khánh, compensation days)."""

    day = models.DateField(_("ngày"), unique=True)
    name = models.CharField(_("tên ngày nghỉ"), max_length=120)
    source = models.CharField(_("căn cứ"), max_length=255, blank=True)
    uncertain = models.BooleanField(_("chưa chắc chắn"), default=False)
    note = models.CharField(_("ghi chú"), max_length=255, blank=True)

    class Meta:
        verbose_name = _("ngày nghỉ lễ, Tết")
        verbose_name_plural = _("ngày nghỉ lễ, Tết")
        ordering = ["day"]

    def __str__(self) -> str:
        return f"{self.day:%d/%m/%Y} {self.name}"


class OfficeHours(BaseModel):
    """Office hours in force from ``effective_from`` (to ``effective_to`` when set): working weekdays and the
    morning and afternoon sessions. Outside them a trip out of the province needs approval."""

    effective_from = models.DateField(_("áp dụng từ ngày"))
    effective_to = models.DateField(_("áp dụng đến ngày"), null=True, blank=True)
    weekdays = models.CharField(
        _("ngày làm việc trong tuần"), max_length=20, default="0,1,2,3,4", help_text=_("0 = thứ Hai … 6 = Chủ nhật")
    )
    morning_start = models.TimeField(_("sáng từ"), default=time(7, 0))
    morning_end = models.TimeField(_("sáng đến"), default=time(11, 30))
    afternoon_start = models.TimeField(_("chiều từ"), default=time(13, 30))
    afternoon_end = models.TimeField(_("chiều đến"), default=time(17, 0))
    source = models.CharField(_("căn cứ"), max_length=255)
    note = models.CharField(_("ghi chú"), max_length=255, blank=True)

    class Meta:
        verbose_name = _("giờ hành chính")
        verbose_name_plural = _("giờ hành chính")
        ordering = ["-effective_from"]
        constraints = [
            models.CheckConstraint(
                condition=Q(effective_to__isnull=True) | Q(effective_to__gte=F("effective_from")),
                name="travel_hours_end_not_before_start",
            ),
            models.CheckConstraint(
                condition=Q(morning_end__gt=F("morning_start"))
                & Q(afternoon_start__gte=F("morning_end"))
                & Q(afternoon_end__gt=F("afternoon_start")),
                name="travel_hours_sessions_in_order",
            ),
        ]

    def __str__(self) -> str:
        morning = f"{self.morning_start:%H:%M}–{self.morning_end:%H:%M}"
        return f"{morning}, {self.afternoon_start:%H:%M}–{self.afternoon_end:%H:%M}"


class TripStatus(models.TextChoices):
    NOT_REQUIRED = "not_required", _("Không cần phê duyệt")
    PENDING = "pending", _("Chờ phê duyệt")
    APPROVED = "approved", _("Đã đồng ý")
    REFUSED = "refused", _("Không đồng ý")
    CANCELLED = "cancelled", _("Đã hủy")
    UNAPPROVED = "unapproved", _("Đi khi chưa được phép")


class Trip(BaseModel):
    """A staff member's trip out of the province, the decision on it, and the declaration after it."""

    traveller = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="trips", verbose_name=_("người đi"))
    membership = models.ForeignKey(
        StaffMembership, on_delete=models.PROTECT, related_name="trips", verbose_name=_("chức vụ, đơn vị")
    )
    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="trips", verbose_name=_("cơ quan, đơn vị")
    )
    kind = models.CharField(_("nơi đến là"), max_length=8, choices=PlaceKind.choices)
    unit = models.ForeignKey(
        Unit, null=True, blank=True, on_delete=models.PROTECT, related_name="+", verbose_name=_("tỉnh, huyện, xã đến")
    )
    country = models.CharField(_("nước đến"), max_length=2, blank=True)
    depart_at = models.DateTimeField(_("thời gian đi"))
    return_at = models.DateTimeField(_("thời gian về"))
    purpose = models.CharField(_("mục đích"), max_length=255)
    companions = models.CharField(_("người đi cùng"), max_length=255, blank=True)
    needs_approval = models.BooleanField(_("cần phê duyệt"), default=False)
    approval_reasons = models.CharField(_("lý do cần phê duyệt"), max_length=255, blank=True)
    epidemic_warning = models.CharField(_("cảnh báo vùng dịch"), max_length=400, blank=True)
    status = models.CharField(_("trạng thái"), max_length=12, choices=TripStatus.choices, db_index=True)
    approvers = models.ManyToManyField(
        Person, related_name="+", blank=True, verbose_name=_("người có thẩm quyền duyệt")
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("người quyết định"),
    )
    decided_at = models.DateTimeField(_("lúc quyết định"), null=True, blank=True)
    decision_reason = models.CharField(_("lý do"), max_length=255, blank=True)
    declaration = models.ForeignKey(
        "declarations.MedicalDeclaration",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("tờ khai y tế sau chuyến đi"),
    )
    declared_at = models.DateTimeField(_("lúc khai báo y tế"), null=True, blank=True)
    unapproved_note = models.CharField(_("ghi nhận đi khi chưa được phép"), max_length=255, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = _("chuyến đi ngoài tỉnh")
        verbose_name_plural = _("chuyến đi ngoài tỉnh")
        ordering = ["-id"]
        constraints = [
            models.CheckConstraint(condition=Q(return_at__gt=F("depart_at")), name="travel_trip_return_after_depart"),
            models.CheckConstraint(
                condition=Q(kind=PlaceKind.COUNTRY, unit__isnull=True) & ~Q(country="")
                | Q(kind=PlaceKind.UNIT, unit__isnull=False, country=""),
                name="travel_trip_one_place",
            ),
        ]
        indexes = [models.Index(fields=["organisation", "status"], name="travel_trip_org_status")]

    def __str__(self) -> str:
        return f"{self.traveller.full_name} → {self.place_name}"

    @property
    def place_key(self) -> str:
        if self.kind == PlaceKind.COUNTRY:
            return self.country
        assert self.unit is not None
        return f"{self.unit.tree}:{self.unit.path}"

    @property
    def place_name(self) -> str:
        if self.kind == PlaceKind.COUNTRY:
            return country_name(self.country)
        return self.unit.name if self.unit else ""


class OnSitePlan(BaseModel):
    """An enterprise's plan to keep its workers in the province ("3 tại chỗ": working, eating, resting on site)."""

    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="on_site_plans", verbose_name=_("doanh nghiệp")
    )
    start_date = models.DateField(_("từ ngày"))
    end_date = models.DateField(_("đến ngày"), null=True, blank=True)
    capacity = models.PositiveIntegerField(_("số chỗ ăn, nghỉ tại chỗ"))
    workers_total = models.PositiveIntegerField(_("tổng số người lao động"))
    workers_on_site = models.PositiveIntegerField(_("số người ở lại tại chỗ"))
    accommodation = models.CharField(_("nơi ăn, nghỉ"), max_length=255)
    note = models.TextField(_("ghi chú"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = _("phương án 3 tại chỗ")
        verbose_name_plural = _("phương án 3 tại chỗ")
        ordering = ["-start_date", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(end_date__isnull=True) | Q(end_date__gte=F("start_date")),
                name="travel_plan_end_not_before_start",
            ),
            models.CheckConstraint(condition=Q(workers_on_site__lte=F("capacity")), name="travel_plan_within_capacity"),
            models.CheckConstraint(
                condition=Q(workers_on_site__lte=F("workers_total")), name="travel_plan_on_site_within_total"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.organisation} — {self.start_date:%d/%m/%Y}"


class PassDirection(models.TextChoices):
    OUT = "out", _("Được ra khỏi tỉnh")
    IN = "in", _("Được vào tỉnh")


class WorkerPass(BaseModel):
    """A worker of an enterprise allowed to go out of the province or to come in, with the dates."""

    plan = models.ForeignKey(
        OnSitePlan, on_delete=models.CASCADE, related_name="passes", verbose_name=_("phương án 3 tại chỗ")
    )
    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="worker_passes", verbose_name=_("doanh nghiệp")
    )
    person = models.ForeignKey(
        Person, on_delete=models.PROTECT, related_name="worker_passes", verbose_name=_("người lao động")
    )
    direction = models.CharField(_("chiều"), max_length=3, choices=PassDirection.choices)
    from_date = models.DateField(_("từ ngày"))
    to_date = models.DateField(_("đến ngày"))
    place = models.CharField(_("nơi đi hoặc đến"), max_length=160)
    reason = models.CharField(_("lý do"), max_length=255)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = _("người lao động được ra, vào tỉnh")
        verbose_name_plural = _("người lao động được ra, vào tỉnh")
        ordering = ["-from_date", "-id"]
        constraints = [
            models.CheckConstraint(condition=Q(to_date__gte=F("from_date")), name="travel_pass_to_not_before_from"),
        ]

    def __str__(self) -> str:
        return f"{self.person.full_name} — {self.get_direction_display()}"
