"""The week's assessments of the units in the user's scope as an Excel file (audited)."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.utils.translation import gettext as _

from phongdich.core.exports import EXPORT_MAX_ROWS, ExportFile, audited_export

from .models import Assessment
from .selectors import assessments_in_scope
from .weeks import week_label


def _fig(a: Assessment, name: str) -> Any:
    value = a.indicators.get(name)
    return "" if value is None else value


def _columns() -> list[tuple[str, Any]]:
    return [
        (_("Mã đơn vị"), lambda a: a.unit.code),
        (_("Đơn vị"), lambda a: a.unit.name),
        (_("Tuần"), lambda a: week_label(a.week_start)),
        (_("Bộ quy tắc"), lambda a: a.rule_set.name),
        (_("Cấp độ tính được"), lambda a: a.level),
        (_("Chưa chắc chắn"), lambda a: _("Có") if a.uncertain else ""),
        (_("Dân số"), lambda a: a.counts.get("population", "")),
        (_("Ca cộng đồng trong tuần"), lambda a: a.counts.get("community_cases", 0)),
        (_("Ca mắc mới trong tuần"), lambda a: a.counts.get("cases", 0)),
        (_("Tử vong trong tuần"), lambda a: a.counts.get("deaths", 0)),
        (_("Ca cộng đồng /100.000 /tuần"), lambda a: _fig(a, "community_cases_per_100k_week")),
        (_("Ca mắc mới /100.000 /tuần"), lambda a: _fig(a, "cases_per_100k_week")),
        (_("% ≥ 18 tuổi tiêm ≥ 1 mũi"), lambda a: _fig(a, "adult_one_dose_pct")),
        (_("% người cao tuổi tiêm đủ liều"), lambda a: _fig(a, "elderly_full_pct")),
        (_("% dân số tiêm đủ liều"), lambda a: _fig(a, "full_coverage_pct")),
        (_("Giường trống /100.000"), lambda a: _fig(a, "free_beds_per_100k")),
        (_("Giường hồi sức /100.000"), lambda a: _fig(a, "icu_beds_per_100k")),
        (_("Lập luận"), lambda a: " ".join(a.reasoning)),
    ]


def assessments_export(*, user: Any, week: date) -> ExportFile:
    rows = list(assessments_in_scope(user=user, week=week).order_by("unit__path")[: EXPORT_MAX_ROWS + 1])
    return audited_export(
        user=user,
        rows=rows,
        columns=_columns(),
        model=Assessment,
        summary=_("Xuất %(count)s đánh giá cấp độ dịch tuần %(week)s (XLSX)")
        % {"count": len(rows), "week": week_label(week)},
        detail={"week": week_label(week)},
        name="cap-do-dich",
        sheet_title=_("Cấp độ dịch"),
    )
