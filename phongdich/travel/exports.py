"""Excel exports of the travel lists (M7, M8): trips, 3-on-site plans, workers allowed out or in. Audited."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _

from phongdich.core.exports import EXPORT_MAX_ROWS, ExportFile, audited_export
from phongdich.orgs.models import Organisation

from .models import OnSitePlan, Trip, WorkerPass
from .selectors import TripFilters, pass_queryset, plan_queryset, trip_queryset


def _day(d: date | None) -> str:
    return f"{d:%d/%m/%Y}" if d else ""


def _moment(d: datetime | None) -> str:
    return f"{timezone.localtime(d):%d/%m/%Y %H:%M}" if d else ""


def _uid(org: Organisation | None) -> str:
    return str(org.uid) if org else ""


def trips_export(*, user: Any, filters: TripFilters) -> ExportFile:
    rows = list(trip_queryset(user=user, filters=filters)[: EXPORT_MAX_ROWS + 1])
    return audited_export(
        user=user,
        model=Trip,
        columns=[
            (_("Người đi"), lambda t: t.traveller.full_name),
            (_("Cơ quan, đơn vị"), lambda t: t.organisation.name),
            (_("Nơi đến"), lambda t: t.place_name),
            (_("Thời gian đi"), lambda t: _moment(t.depart_at)),
            (_("Thời gian về"), lambda t: _moment(t.return_at)),
            (_("Mục đích"), lambda t: t.purpose),
            (_("Người đi cùng"), lambda t: t.companions),
            (_("Lý do cần phê duyệt"), lambda t: t.approval_reasons),
            (_("Cảnh báo vùng dịch"), lambda t: t.epidemic_warning),
            (_("Trạng thái"), lambda t: t.get_status_display()),
            (_("Lý do"), lambda t: t.decision_reason),
            (_("Đã khai báo y tế"), lambda t: _("Có") if t.declaration_id else ""),
        ],
        rows=rows,
        summary=_("Xuất danh sách chuyến đi ngoài tỉnh (%(count)s dòng)") % {"count": len(rows)},
        detail={"status": filters.status, "organisation": _uid(filters.organisation), "mine": filters.mine},
        name="di-ngoai-tinh",
    )


def plans_export(
    *, user: Any, park: Organisation | None = None, organisation: Organisation | None = None
) -> ExportFile:
    rows = list(plan_queryset(user=user, park=park, organisation=organisation)[: EXPORT_MAX_ROWS + 1])
    return audited_export(
        user=user,
        model=OnSitePlan,
        columns=[
            (_("Doanh nghiệp"), lambda p: p.organisation.name),
            (
                _("Khu công nghiệp, cơ quan cấp trên"),
                lambda p: p.organisation.parent.name if p.organisation.parent else "",
            ),
            (_("Từ ngày"), lambda p: _day(p.start_date)),
            (_("Đến ngày"), lambda p: _day(p.end_date)),
            (_("Số chỗ ăn, nghỉ tại chỗ"), lambda p: p.capacity),
            (_("Tổng số người lao động"), lambda p: p.workers_total),
            (_("Số người ở lại tại chỗ"), lambda p: p.workers_on_site),
            (_("Nơi ăn, nghỉ"), lambda p: p.accommodation),
        ],
        rows=rows,
        summary=_("Xuất phương án 3 tại chỗ (%(count)s dòng)") % {"count": len(rows)},
        detail={"park": _uid(park), "organisation": _uid(organisation)},
        name="phuong-an-3-tai-cho",
    )


def passes_export(
    *, user: Any, park: Organisation | None = None, organisation: Organisation | None = None, direction: str = ""
) -> ExportFile:
    rows = list(
        pass_queryset(user=user, park=park, organisation=organisation, direction=direction)[: EXPORT_MAX_ROWS + 1]
    )
    return audited_export(
        user=user,
        model=WorkerPass,
        columns=[
            (_("Người lao động"), lambda w: w.person.full_name),
            (_("Doanh nghiệp"), lambda w: w.organisation.name),
            (_("Chiều"), lambda w: w.get_direction_display()),
            (_("Từ ngày"), lambda w: _day(w.from_date)),
            (_("Đến ngày"), lambda w: _day(w.to_date)),
            (_("Nơi đi hoặc đến"), lambda w: w.place),
            (_("Lý do"), lambda w: w.reason),
        ],
        rows=rows,
        summary=_("Xuất danh sách người lao động được ra, vào tỉnh (%(count)s dòng)") % {"count": len(rows)},
        detail={"park": _uid(park), "organisation": _uid(organisation), "direction": direction},
        name="lao-dong-ra-vao-tinh",
    )
