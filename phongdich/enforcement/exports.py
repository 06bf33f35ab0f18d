"""Excel exports of enforcement lists (G1, G2, G3): gatherings per commune and week, inspections, what was
not inspected, violations. Every export is audited."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.utils.translation import gettext as _

from phongdich.core.exports import EXPORT_MAX_ROWS, ExportFile, audited_export
from phongdich.geo.models import Unit

from .models import Gathering, Inspection, Violation
from .selectors import GatheringFilters, gathering_queryset, inspection_queryset, not_inspected, violation_queryset


def _day(d: date | None) -> str:
    return f"{d:%d/%m/%Y}" if d else ""


def gatherings_export(*, user: Any, filters: GatheringFilters) -> ExportFile:
    rows = list(gathering_queryset(user=user, filters=filters)[: EXPORT_MAX_ROWS + 1])
    return audited_export(
        user=user,
        model=Gathering,
        columns=[
            (_("Ngày"), lambda g: _day(g.event_date)),
            (_("Loại"), lambda g: g.get_kind_display()),
            (_("Tên sự kiện"), lambda g: g.title),
            (_("Xã, phường"), lambda g: g.commune.name),
            (_("Nơi tổ chức"), lambda g: g.unit.name),
            (_("Địa chỉ"), lambda g: g.address),
            (_("Số người dự kiến"), lambda g: g.expected_attendance),
            (_("Giới hạn"), lambda g: "" if g.cap is None else g.cap),
            (_("Căn cứ giới hạn"), lambda g: g.cap_source),
            (_("Người tổ chức"), lambda g: g.organiser_name),
            (_("Trạng thái"), lambda g: g.get_status_display()),
            (_("Lý do"), lambda g: g.decision_reason),
        ],
        rows=rows,
        summary=_("Xuất danh sách sự kiện tụ tập (%(count)s dòng)") % {"count": len(rows)},
        detail={
            "commune": str(filters.commune.uid) if filters.commune else "",
            "week": filters.week.isoformat() if filters.week else "",
            "status": filters.status,
        },
        name="su-kien-tu-tap",
    )


def inspections_export(*, user: Any, inspector: Unit | None = None) -> ExportFile:
    rows = list(inspection_queryset(user=user, inspector=inspector)[: EXPORT_MAX_ROWS + 1])
    return audited_export(
        user=user,
        model=Inspection,
        columns=[
            (_("Ngày kiểm tra"), lambda i: _day(i.inspected_on)),
            (_("Đơn vị kiểm tra"), lambda i: i.inspector_unit.name),
            (_("Được kiểm tra"), lambda i: i.target_label),
            (_("Kết quả"), lambda i: i.get_result_display()),
            (_("Nội dung, phát hiện"), lambda i: i.findings),
        ],
        rows=rows,
        summary=_("Xuất danh sách biên bản kiểm tra (%(count)s dòng)") % {"count": len(rows)},
        detail={"inspector": str(inspector.uid) if inspector else ""},
        name="kiem-tra",
    )


def not_inspected_export(*, user: Any, inspector: Unit, start: date, end: date) -> ExportFile:
    rows = not_inspected(inspector=inspector, start=start, end=end)
    return audited_export(
        user=user,
        model=Inspection,
        obj=inspector,
        columns=[(_("Mã"), lambda u: u.code), (_("Đơn vị chưa được kiểm tra"), lambda u: u.name)],
        rows=rows,
        summary=_("Xuất danh sách đơn vị %(unit)s chưa kiểm tra từ %(start)s đến %(end)s")
        % {"unit": inspector.name, "start": _day(start), "end": _day(end)},
        detail={"start": start.isoformat(), "end": end.isoformat()},
        name="chua-kiem-tra",
    )


def violations_export(*, user: Any, kind: str = "", published: str = "") -> ExportFile:
    rows = list(violation_queryset(user=user, kind=kind, published=published)[: EXPORT_MAX_ROWS + 1])
    return audited_export(
        user=user,
        model=Violation,
        columns=[
            (_("Ngày vi phạm"), lambda v: _day(v.occurred_on)),
            (_("Đối tượng"), lambda v: v.get_offender_kind_display()),
            (_("Tên"), lambda v: v.offender_name),
            (_("Xã, phường"), lambda v: v.commune.name),
            (_("Hành vi"), lambda v: v.get_kind_display()),
            (_("Quy định"), lambda v: str(v.regulation) if v.regulation else ""),
            (_("Hình thức xử lý"), lambda v: v.get_sanction_display()),
            (_("Số tiền phạt (đồng)"), lambda v: v.fine_amount or ""),
            (_("Kỷ luật người đứng đầu"), lambda v: v.head_disciplined),
            (_("Số quyết định"), lambda v: v.decision_number),
            (_("Đã công khai"), lambda v: _("Có") if v.published else ""),
        ],
        rows=rows,
        summary=_("Xuất danh sách vi phạm (%(count)s dòng)") % {"count": len(rows)},
        detail={"kind": kind, "published": published},
        name="vi-pham",
    )
