"""Excel exports: doses, coverage and adverse events (every export audited)."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _

from phongdich.core.exports import EXPORT_MAX_ROWS, ExportFile, audited_export

from .models import AdverseEvent, Dose
from .selectors import CoverageReport, DoseFilters, EventFilters, dose_list, event_list


def _pct(value: float | None) -> Any:
    return "" if value is None else value


def doses_export(*, user: Any, filters: DoseFilters) -> ExportFile:
    rows = list(dose_list(user=user, filters=filters)[: EXPORT_MAX_ROWS + 1])
    return audited_export(
        user=user,
        model=Dose,
        columns=[
            (_("Họ và tên"), lambda d: d.person.full_name),
            (_("Năm sinh"), lambda d: d.person.birth_year),
            (_("Số CCCD"), lambda d: d.person.cccd or ""),
            (_("Nơi cư trú"), lambda d: d.person.residence_unit.name),
            (_("Vắc xin"), lambda d: d.product.name),
            (_("Lô"), lambda d: d.lot.lot_number if d.lot else ""),
            (_("Mũi thứ"), lambda d: d.dose_number),
            (_("Loại mũi"), lambda d: str(d.get_kind_display())),
            (_("Ngày tiêm"), lambda d: f"{d.given_on:%d/%m/%Y}"),
            (_("Điểm tiêm"), lambda d: d.site.name if d.site else ""),
            (_("Lý do tiêm ngoài đối tượng"), lambda d: d.exception_reason),
        ],
        rows=rows,
        summary=_("Xuất %(count)s mũi tiêm (XLSX)") % {"count": len(rows)},
        detail={
            "product": filters.product,
            "dose_number": filters.dose_number or "",
            "unit": str(filters.unit.uid) if filters.unit else "",
        },
        name="mui-tiem",
    )


def coverage_export(*, user: Any, report: CoverageReport) -> ExportFile:
    unit_name = report.unit.name if report.unit else ""
    rows = [(r.unit.name if r.unit else "", "", r.coverage) for r in report.children]
    rows += [(unit_name, r.band, r.coverage) for r in report.bands]
    rows.append((unit_name, _("Tất cả"), report.total))
    return audited_export(
        user=user,
        header=[
            _("Địa bàn"),
            _("Nhóm tuổi"),
            _("Dân số"),
            _("Đã tiêm ít nhất 1 mũi"),
            _("Tỷ lệ ≥ 1 mũi (%)"),
            _("Tiêm đủ mũi cơ bản"),
            _("Tỷ lệ đủ mũi cơ bản (%)"),
            _("Mũi nhắc lại"),
            _("Người ≥ 18 tuổi"),
            _("Tỷ lệ người ≥ 18 tuổi tiêm ≥ 1 mũi (%)"),
            _("Người cao tuổi"),
            _("Tỷ lệ người cao tuổi tiêm đủ (%)"),
        ],
        rows=[
            (
                name,
                band,
                c.population,
                c.one_dose,
                _pct(c.one_dose_pct),
                c.full,
                _pct(c.full_pct),
                c.booster,
                c.adults,
                _pct(c.adults_one_dose_pct),
                c.elderly,
                _pct(c.elderly_full_pct),
            )
            for name, band, c in rows
        ],
        summary=_("Xuất độ bao phủ tiêm chủng %(unit)s ngày %(day)s (XLSX)")
        % {"unit": unit_name, "day": f"{report.on:%d/%m/%Y}"},
        obj=report.unit,
        detail={"on": report.on.isoformat(), "elderly_age": report.elderly_age},
        name="bao-phu-tiem-chung",
    )


def events_export(*, user: Any, filters: EventFilters) -> ExportFile:
    rows = list(event_list(user=user, filters=filters)[: EXPORT_MAX_ROWS + 1])
    return audited_export(
        user=user,
        model=AdverseEvent,
        columns=[
            (_("Họ và tên"), lambda e: e.dose.person.full_name),
            (_("Năm sinh"), lambda e: e.dose.person.birth_year),
            (_("Vắc xin"), lambda e: e.dose.product.name),
            (_("Lô"), lambda e: e.dose.lot.lot_number if e.dose.lot else ""),
            (_("Mũi thứ"), lambda e: e.dose.dose_number),
            (_("Ngày tiêm"), lambda e: f"{e.dose.given_on:%d/%m/%Y}"),
            (_("Thời điểm khởi phát"), lambda e: f"{e.onset_at:%d/%m/%Y %H:%M}"),
            (_("Triệu chứng"), lambda e: e.symptoms),
            (_("Mức độ"), lambda e: str(e.get_severity_display())),
            (_("Kết quả"), lambda e: str(e.get_outcome_display())),
            (_("Phân loại nguyên nhân"), lambda e: str(e.get_causality_display()) if e.causality else ""),
            (_("Kết luận của hội đồng"), lambda e: e.review_note),
        ],
        rows=rows,
        summary=_("Xuất %(count)s phản ứng sau tiêm (XLSX)") % {"count": len(rows)},
        detail={"severity": filters.severity, "outcome": filters.outcome, "causality": filters.causality},
        name="phan-ung-sau-tiem",
    )
