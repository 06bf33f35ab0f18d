"""Random screening (T2): campaigns over organisations, rounds drawn reproducibly, the people drawn.

A campaign covers organisations *and everything under them* (choosing an industrial park covers every
enterprise whose parent chain leads to it). Every round records the seed it was drawn with, the size of
the eligible staff and the people drawn, each with the test order created for them.
"""

from __future__ import annotations

import calendar
from datetime import date, timedelta

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from phongdich.core.models import BaseModel
from phongdich.orgs.models import Organisation
from phongdich.people.models import Person
from phongdich.testing.models import TestKind


class Period(models.TextChoices):
    WEEKLY = "weekly", _("Hằng tuần")
    BIWEEKLY = "biweekly", _("2 tuần một lần")
    MONTHLY = "monthly", _("Hằng tháng")


class SampleMode(models.TextChoices):
    FRACTION = "fraction", _("Tỷ lệ phần trăm")
    COUNT = "count", _("Số người")


def add_months(day: date, months: int) -> date:
    """``day`` moved ``months`` months on; the 31st becomes the month's last day when it has none."""
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def period_start(start: date, period: str, number: int) -> date:
    """The first day of round ``number`` (1-based) of a campaign starting on ``start``."""
    if period == Period.WEEKLY:
        return start + timedelta(days=7 * (number - 1))
    if period == Period.BIWEEKLY:
        return start + timedelta(days=14 * (number - 1))
    return add_months(start, number - 1)


class Campaign(BaseModel):
    name = models.CharField(_("tên đợt sàng lọc"), max_length=255)
    organisations = models.ManyToManyField(
        Organisation, related_name="screening_campaigns", verbose_name=_("cơ quan, đơn vị (gồm cả đơn vị trực thuộc)")
    )
    sample_mode = models.CharField(_("cách lấy mẫu"), max_length=8, choices=SampleMode.choices)
    sample_percent = models.DecimalField(_("tỷ lệ lấy mẫu (%)"), max_digits=5, decimal_places=2, null=True, blank=True)
    sample_count = models.PositiveIntegerField(_("số người mỗi kỳ"), null=True, blank=True)
    period = models.CharField(_("chu kỳ"), max_length=8, choices=Period.choices)
    test_kind = models.CharField(_("loại xét nghiệm"), max_length=8, choices=TestKind.choices)
    start_date = models.DateField(_("từ ngày"))
    end_date = models.DateField(_("đến ngày"))
    seed = models.BigIntegerField(_("hạt giống ngẫu nhiên"), editable=False)
    is_active = models.BooleanField(_("đang thực hiện"), default=True)
    note = models.CharField(_("ghi chú"), max_length=255, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = _("đợt xét nghiệm sàng lọc")
        verbose_name_plural = _("đợt xét nghiệm sàng lọc")
        ordering = ["-start_date", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(end_date__gte=models.F("start_date")), name="screening_campaign_dates_ordered"
            ),
            models.CheckConstraint(
                condition=(
                    models.Q(sample_mode="fraction", sample_percent__gt=0, sample_percent__lte=100)
                    | models.Q(sample_mode="count", sample_count__gt=0)
                ),
                name="screening_campaign_sample_set",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def round_start(self, number: int) -> date:
        return period_start(self.start_date, self.period, number)

    @property
    def sample_label(self) -> str:
        if self.sample_mode == SampleMode.COUNT:
            return _("%(count)s người/kỳ") % {"count": self.sample_count}
        return _("%(percent)s%%/kỳ") % {"percent": f"{self.sample_percent:g}"}


class Round(BaseModel):
    campaign = models.ForeignKey(Campaign, on_delete=models.PROTECT, related_name="rounds", verbose_name=_("đợt"))
    number = models.PositiveIntegerField(_("kỳ số"))
    period_start = models.DateField(_("ngày bắt đầu kỳ"))
    due_on = models.DateField(_("hạn xét nghiệm"))
    seed = models.BigIntegerField(_("hạt giống ngẫu nhiên của kỳ"))
    eligible_count = models.PositiveIntegerField(_("số người trong diện"))
    drawn_count = models.PositiveIntegerField(_("số người được chọn"))
    # Eligible staff per stratum at the draw: {organisation id (text): count}.
    strata = models.JSONField(_("số người trong diện theo đơn vị"), default=dict, blank=True)
    drawn_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = _("kỳ sàng lọc")
        verbose_name_plural = _("kỳ sàng lọc")
        ordering = ["campaign", "number"]
        constraints = [models.UniqueConstraint(fields=["campaign", "number"], name="screening_round_unique_number")]

    def __str__(self) -> str:
        return f"{self.campaign} — {self.number}"


class Selection(BaseModel):
    """One person drawn in a round, in the stratum of ``organisation``, with their test order."""

    round = models.ForeignKey(Round, on_delete=models.CASCADE, related_name="selections", verbose_name=_("kỳ"))
    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="+", verbose_name=_("người"))
    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="+", verbose_name=_("cơ quan, đơn vị")
    )
    order = models.ForeignKey(
        "testing.TestOrder",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("phiếu xét nghiệm"),
    )

    class Meta:
        verbose_name = _("người được chọn")
        verbose_name_plural = _("người được chọn")
        ordering = ["round", "organisation", "id"]
        constraints = [models.UniqueConstraint(fields=["round", "person"], name="screening_selection_once")]

    def __str__(self) -> str:
        return f"{self.round} — {self.person_id}"
