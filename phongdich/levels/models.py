"""Epidemic levels (Z3): rule sets as dated data, weekly capacity reports, assessments, published decisions.

A ``RuleSet`` (Decision 4800/QĐ-BYT, Decision 218/QĐ-BYT) holds its parameters (pass marks, thresholds —
each with its certainty) and its ``RuleCell`` rows: one cell per band of new cases × vaccination criterion ×
treatment capacity, with the level, the certainty of the official annex cell ([V] verified, [P] partly,
[U] uncertain) and a note. The assessment (``levels.rules.assess``) is a pure function of a rule set and
the indicators; an ``Assessment`` stores one unit's result for one ISO week; a ``LevelDecision`` is the
level published for a unit (computed or overridden by the province) with the moment it takes effect.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from phongdich.core.models import BaseModel
from phongdich.geo.models import Unit


class Certainty(models.TextChoices):
    VERIFIED = "V", _("Đã xác minh")
    PARTLY = "P", _("Xác minh một phần")
    UNCERTAIN = "U", _("Chưa chắc chắn")


class EpidemicLevel(models.IntegerChoices):
    LOW = 1, _("Cấp 1 – Nguy cơ thấp (xanh)")
    MEDIUM = 2, _("Cấp 2 – Nguy cơ trung bình (vàng)")
    HIGH = 3, _("Cấp 3 – Nguy cơ cao (cam)")
    VERY_HIGH = 4, _("Cấp 4 – Nguy cơ rất cao (đỏ)")


LEVEL_COLOURS = {1: "green", 2: "yellow", 3: "orange", 4: "red"}


class Capacity(models.TextChoices):
    """Treatment capacity: met / not met (4800) or high / medium / low (218)."""

    MET = "met", _("Đạt")
    NOT_MET = "not_met", _("Không đạt")
    HIGH = "high", _("Cao")
    MEDIUM = "medium", _("Trung bình")
    LOW = "low", _("Thấp")


class RuleSet(models.Model):
    code = models.CharField(_("mã"), max_length=16, unique=True)
    name = models.CharField(_("tên"), max_length=255)
    source = models.CharField(_("nguồn"), max_length=500)
    effective_from = models.DateField(_("hiệu lực từ"))
    effective_to = models.DateField(_("hiệu lực đến hết ngày"), null=True, blank=True)
    # {name: {"value": …, "certainty": "V|P|U", "note": "…"}}
    parameters = models.JSONField(_("tham số"), default=dict)
    note = models.TextField(_("ghi chú"), blank=True)

    class Meta:
        verbose_name = _("bộ quy tắc cấp độ dịch")
        verbose_name_plural = _("bộ quy tắc cấp độ dịch")
        ordering = ["effective_from"]

    def __str__(self) -> str:
        return self.name


class RuleCell(models.Model):
    """One cell of a rule set's table: a band of new cases per 100,000 per week, the vaccination criterion,
    the treatment capacity → the level."""

    rule_set = models.ForeignKey(RuleSet, on_delete=models.CASCADE, related_name="cells")
    order = models.PositiveSmallIntegerField(_("thứ tự"))
    cases_min = models.DecimalField(_("số ca từ"), max_digits=9, decimal_places=2, null=True, blank=True)
    cases_min_inclusive = models.BooleanField(_("gồm cận dưới"), default=True)
    cases_max = models.DecimalField(_("số ca đến"), max_digits=9, decimal_places=2, null=True, blank=True)
    cases_max_inclusive = models.BooleanField(_("gồm cận trên"), default=False)
    band_certainty = models.CharField(_("độ chắc chắn của ngưỡng"), max_length=1, choices=Certainty.choices)
    vaccination_met = models.BooleanField(_("đạt tiêu chí tiêm chủng"))
    capacity = models.CharField(_("năng lực điều trị"), max_length=8, choices=Capacity.choices)
    level = models.PositiveSmallIntegerField(_("cấp độ"), choices=EpidemicLevel.choices)
    certainty = models.CharField(_("độ chắc chắn"), max_length=1, choices=Certainty.choices)
    note = models.CharField(_("ghi chú"), max_length=500, blank=True)

    class Meta:
        verbose_name = _("ô quy tắc")
        verbose_name_plural = _("ô quy tắc")
        ordering = ["rule_set", "order"]
        constraints = [
            models.UniqueConstraint(fields=["rule_set", "order"], name="levels_cell_unique_order"),
            models.CheckConstraint(condition=models.Q(level__gte=1, level__lte=4), name="levels_cell_level_1_4"),
        ]

    def __str__(self) -> str:
        return f"{self.rule_set.code} #{self.order} → {self.level}"


class CapacityReport(BaseModel):
    """The weekly treatment-capacity input of a unit (its own facilities; district and province figures add up)."""

    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="capacity_reports")
    week_start = models.DateField(_("tuần (thứ Hai)"))
    beds = models.PositiveIntegerField(_("giường điều trị COVID-19"))
    free_beds = models.PositiveIntegerField(_("giường còn trống"))
    icu_beds = models.PositiveIntegerField(_("giường hồi sức tích cực có đủ nhân lực"))
    mobile_stations = models.PositiveIntegerField(_("trạm y tế lưu động"))
    oxygen_adequate = models.BooleanField(_("bảo đảm đủ oxy"))
    oxygen_cases = models.PositiveIntegerField(_("người bệnh cần hỗ trợ oxy trong tuần"))
    note = models.CharField(_("ghi chú"), max_length=255, blank=True)
    reported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = _("báo cáo năng lực điều trị")
        verbose_name_plural = _("báo cáo năng lực điều trị")
        ordering = ["-week_start", "unit__path"]
        constraints = [
            models.UniqueConstraint(fields=["unit", "week_start"], name="levels_capacity_unique_unit_week"),
            models.CheckConstraint(condition=models.Q(free_beds__lte=models.F("beds")), name="levels_free_le_beds"),
        ]

    def __str__(self) -> str:
        return f"{self.unit} {self.week_start:%d/%m/%Y}"


class Assessment(BaseModel):
    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="level_assessments")
    week_start = models.DateField(_("tuần (thứ Hai)"))
    rule_set = models.ForeignKey(RuleSet, on_delete=models.PROTECT, related_name="assessments")
    level = models.PositiveSmallIntegerField(_("cấp độ tính được"), choices=EpidemicLevel.choices)
    uncertain = models.BooleanField(_("dựa trên ô chưa chắc chắn"), default=False)
    indicators = models.JSONField(_("chỉ số"), default=dict)
    counts = models.JSONField(_("số liệu gốc"), default=dict)
    reasoning = models.JSONField(_("lập luận"), default=list)

    class Meta:
        verbose_name = _("đánh giá cấp độ")
        verbose_name_plural = _("đánh giá cấp độ")
        ordering = ["-week_start", "unit__path"]
        constraints = [
            models.UniqueConstraint(fields=["unit", "week_start", "rule_set"], name="levels_assessment_unique"),
        ]
        indexes = [models.Index(fields=["week_start", "unit"], name="levels_assessment_week_unit")]

    def __str__(self) -> str:
        return f"{self.unit} {self.week_start:%G-W%V}: {self.level}"


class LevelDecision(BaseModel):
    """The level published for a unit and the moment it applies (a raise: at least 48 hours after publication)."""

    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="level_decisions")
    level = models.PositiveSmallIntegerField(_("cấp độ áp dụng"), choices=EpidemicLevel.choices)
    computed_level = models.PositiveSmallIntegerField(
        _("cấp độ tính được"), choices=EpidemicLevel.choices, null=True, blank=True
    )
    assessment = models.ForeignKey(
        Assessment, null=True, blank=True, on_delete=models.SET_NULL, related_name="decisions"
    )
    is_override = models.BooleanField(_("tỉnh quyết định khác cấp tính được"), default=False)
    reason = models.TextField(_("lý do"), blank=True)
    published_at = models.DateTimeField(_("công bố lúc"))
    effective_from = models.DateTimeField(_("áp dụng từ"))
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    superseded_at = models.DateTimeField(_("bị thay thế lúc"), null=True, blank=True)

    class Meta:
        verbose_name = _("quyết định cấp độ")
        verbose_name_plural = _("quyết định cấp độ")
        ordering = ["-effective_from", "-published_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(effective_from__gte=models.F("published_at")),
                name="levels_decision_effective_after_published",
            ),
        ]
        indexes = [models.Index(fields=["unit", "effective_from"], name="levels_decision_unit_eff")]

    def __str__(self) -> str:
        return f"{self.unit}: {self.level} ({self.effective_from:%d/%m/%Y %H:%M})"
