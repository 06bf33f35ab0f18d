"""Quarantine (Q1–Q3): facilities, the dated rule set, episodes, daily checks and hand-overs."""

from __future__ import annotations

from datetime import datetime, timedelta

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from phongdich.core.models import BaseModel
from phongdich.geo.models import Unit
from phongdich.orgs.models import Organisation
from phongdich.people.models import Person

# A hand-over not acknowledged within this many hours is overdue (settings.QUARANTINE_HANDOVER_HOURS overrides).
HANDOVER_HOURS = 24


def handover_hours() -> int:
    return int(getattr(settings, "QUARANTINE_HANDOVER_HOURS", HANDOVER_HOURS))


class FacilityKind(models.TextChoices):
    CENTRALISED = "centralised", _("Cách ly tập trung")
    HOSPITAL = "hospital", _("Bệnh viện")
    HOTEL = "hotel", _("Khách sạn")
    OTHER = "other", _("Khác")


class Facility(BaseModel):
    name = models.CharField(_("tên cơ sở"), max_length=255)
    kind = models.CharField(_("loại cơ sở"), max_length=12, choices=FacilityKind.choices)
    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="+", verbose_name=_("địa bàn"))
    operator = models.ForeignKey(
        Organisation,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="quarantine_facilities",
        verbose_name=_("đơn vị vận hành"),
    )
    capacity = models.PositiveIntegerField(_("sức chứa"))
    ready = models.BooleanField(_("sẵn sàng"), default=True)
    readiness_note = models.CharField(_("ghi chú sẵn sàng"), max_length=255, blank=True)

    class Meta:
        verbose_name = _("cơ sở cách ly")
        verbose_name_plural = _("cơ sở cách ly")
        ordering = ["name", "id"]

    def __str__(self) -> str:
        return self.name


class AppliesTo(models.TextChoices):
    ANY = "any", _("Mọi trường hợp")
    FULL_OR_RECOVERED = "full_or_recovered", _("Tiêm đủ liều hoặc đã khỏi bệnh ≤ 6 tháng")
    PARTIAL = "partial", _("Tiêm chưa đủ liều")
    NONE = "none", _("Chưa tiêm")


# Vaccination statuses a person can have (AppliesTo without "any").
VACCINATION_CHOICES = [(v, label) for v, label in AppliesTo.choices if v != AppliesTo.ANY]


class QuarantineRule(BaseModel):
    """One dated row of the quarantine schedule, kept as editable data (Q2)."""

    effective_from = models.DateField(_("áp dụng từ"))
    effective_to = models.DateField(_("áp dụng đến"), null=True, blank=True)
    source = models.CharField(_("văn bản"), max_length=255)
    source_local = models.BooleanField(_("quy định địa phương"), default=False)
    applies_to = models.CharField(_("áp dụng cho"), max_length=20, choices=AppliesTo.choices, default=AppliesTo.ANY)
    centralised_days = models.PositiveSmallIntegerField(_("số ngày cách ly tập trung"), default=0)
    home_days = models.PositiveSmallIntegerField(_("số ngày cách ly/theo dõi tại nhà"), default=0)
    self_monitoring_days = models.PositiveSmallIntegerField(_("số ngày tự theo dõi"), default=0)
    # Day numbers counted from the first day of the whole plan (day 1 = the start date).
    test_days = models.JSONField(_("ngày xét nghiệm"), default=list, blank=True)
    uncertain = models.BooleanField(_("chưa chắc chắn"), default=False)
    note = models.CharField(_("ghi chú"), max_length=255, blank=True)

    class Meta:
        verbose_name = _("quy định cách ly")
        verbose_name_plural = _("quy định cách ly")
        ordering = ["effective_from", "applies_to", "id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(effective_to__isnull=True) | models.Q(effective_to__gte=models.F("effective_from")),
                name="quarantine_rule_dates_ordered",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.source} ({self.effective_from:%d/%m/%Y}, {self.applies_to})"


class EpisodeKind(models.TextChoices):
    CENTRALISED = "centralised", _("Cách ly tập trung")
    HOME = "home", _("Cách ly tại nhà")
    POST_QUARANTINE = "post_quarantine_monitoring", _("Theo dõi sau cách ly")
    SELF_ISOLATION = "self_isolation", _("Tự theo dõi, cách ly")


# Kinds the residence commune follows day by day.
COMMUNE_KINDS = (EpisodeKind.HOME, EpisodeKind.POST_QUARANTINE, EpisodeKind.SELF_ISOLATION)


class EpisodeStatus(models.TextChoices):
    OPEN = "open", _("Đang cách ly")
    RELEASED = "released", _("Đã kết thúc")
    TRANSFERRED = "transferred", _("Đã chuyển")


class Episode(BaseModel):
    person = models.ForeignKey(
        Person, on_delete=models.PROTECT, related_name="quarantine_episodes", verbose_name=_("người cách ly")
    )
    kind = models.CharField(_("hình thức"), max_length=32, choices=EpisodeKind.choices)
    facility = models.ForeignKey(
        Facility,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="episodes",
        verbose_name=_("cơ sở cách ly"),
    )
    start_date = models.DateField(_("ngày bắt đầu"))
    planned_end = models.DateField(_("ngày dự kiến kết thúc"))
    test_dates = models.JSONField(_("ngày xét nghiệm"), default=list, blank=True)
    released_on = models.DateField(_("ngày kết thúc"), null=True, blank=True)
    status = models.CharField(_("trạng thái"), max_length=12, choices=EpisodeStatus.choices, default="open")
    phase = models.PositiveSmallIntegerField(_("giai đoạn"), default=0)
    vaccination = models.CharField(_("tiêm chủng"), max_length=20, choices=VACCINATION_CHOICES, default="none")
    reason = models.CharField(_("lý do"), max_length=255, blank=True)
    rule = models.ForeignKey(
        QuarantineRule, null=True, blank=True, on_delete=models.PROTECT, related_name="+", verbose_name=_("quy định")
    )
    previous = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="+", verbose_name=_("đợt trước")
    )

    class Meta:
        verbose_name = _("đợt cách ly")
        verbose_name_plural = _("đợt cách ly")
        constraints = [
            models.UniqueConstraint(
                fields=["person"], condition=models.Q(status="open"), name="quarantine_episode_one_open_per_person"
            ),
            models.CheckConstraint(
                condition=models.Q(planned_end__gte=models.F("start_date")),
                name="quarantine_episode_end_after_start",
            ),
        ]
        indexes = [
            models.Index(fields=["status", "kind"], name="quarantine_ep_status_kind"),
            models.Index(fields=["facility", "status"], name="quarantine_ep_facility_status"),
        ]

    def __str__(self) -> str:
        return f"{self.person} — {self.get_kind_display()} ({self.start_date:%d/%m/%Y})"

    @property
    def is_open(self) -> bool:
        return self.status == EpisodeStatus.OPEN


class DailyCheck(BaseModel):
    episode = models.ForeignKey(Episode, on_delete=models.CASCADE, related_name="checks", verbose_name=_("đợt"))
    date = models.DateField(_("ngày"))
    temperature = models.DecimalField(_("nhiệt độ (°C)"), max_digits=3, decimal_places=1, null=True, blank=True)
    fever = models.BooleanField(_("sốt"), default=False)
    cough = models.BooleanField(_("ho"), default=False)
    short_breath = models.BooleanField(_("khó thở"), default=False)
    sore_throat = models.BooleanField(_("đau họng"), default=False)
    fatigue = models.BooleanField(_("mệt mỏi"), default=False)
    loss_of_taste = models.BooleanField(_("mất vị giác, khứu giác"), default=False)
    note = models.CharField(_("ghi chú"), max_length=255, blank=True)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")

    SYMPTOMS = ("fever", "cough", "short_breath", "sore_throat", "fatigue", "loss_of_taste")

    class Meta:
        verbose_name = _("theo dõi sức khỏe hằng ngày")
        verbose_name_plural = _("theo dõi sức khỏe hằng ngày")
        ordering = ["date", "id"]
        constraints = [models.UniqueConstraint(fields=["episode", "date"], name="quarantine_check_one_per_day")]

    def __str__(self) -> str:
        return f"{self.episode_id} {self.date:%d/%m/%Y}"

    @property
    def has_symptoms(self) -> bool:
        return any(getattr(self, s) for s in self.SYMPTOMS)


class Handover(BaseModel):
    """A centralised episode released into home monitoring: the facility hands the person to their commune."""

    episode = models.OneToOneField(
        Episode, on_delete=models.PROTECT, related_name="handover", verbose_name=_("đợt tại nhà")
    )
    from_facility = models.ForeignKey(
        Facility, on_delete=models.PROTECT, related_name="handovers", verbose_name=_("cơ sở bàn giao")
    )
    to_unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="+", verbose_name=_("xã/phường nhận"))
    sent_at = models.DateTimeField(_("gửi lúc"))
    acknowledged_at = models.DateTimeField(_("xác nhận lúc"), null=True, blank=True)
    acknowledged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = _("bàn giao")
        verbose_name_plural = _("bàn giao")
        ordering = ["sent_at", "id"]

    def __str__(self) -> str:
        return f"{self.from_facility} → {self.to_unit}"

    @property
    def due_at(self) -> datetime:
        return self.sent_at + timedelta(hours=handover_hours())

    def is_overdue(self, now: datetime | None = None) -> bool:
        if self.acknowledged_at is not None:
            return False
        return (now or timezone.now()) > self.due_at
