"""Excel exports of the order lists (every export audited)."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _

from phongdich.core.exports import EXPORT_MAX_ROWS, ExportFile, audited_export

from .models import TestOrder
from .selectors import OrderFilters, order_queryset, overdue_summary


def orders_export(*, user: Any, filters: OrderFilters) -> ExportFile:
    rows = list(order_queryset(user=user, filters=filters)[: EXPORT_MAX_ROWS + 1])
    return audited_export(
        user=user,
        model=TestOrder,
        columns=[
            (_("Họ và tên"), lambda o: o.person.full_name),
            (_("Năm sinh"), lambda o: o.person.birth_year),
            (_("Điện thoại"), lambda o: o.person.phone),
            (_("Xã, phường"), lambda o: o.residence_unit.name),
            (_("Cơ quan, đơn vị"), lambda o: o.organisation.name if o.organisation else ""),
            (_("Lý do"), lambda o: str(o.get_reason_display())),
            (_("Loại xét nghiệm"), lambda o: str(o.get_kind_display())),
            (_("Hạn xét nghiệm"), lambda o: f"{o.due_on:%d/%m/%Y}"),
            (_("Trạng thái"), lambda o: str(o.get_status_display())),
            (_("Kết quả"), lambda o: str(o.get_outcome_display()) if o.outcome else ""),
        ],
        rows=rows,
        summary=_("Xuất %(count)s chỉ định xét nghiệm (XLSX)") % {"count": len(rows)},
        detail={
            "reason": filters.reason,
            "status": filters.status,
            "overdue": filters.overdue,
            "unit": str(filters.unit.uid) if filters.unit else "",
            "organisation": str(filters.organisation.uid) if filters.organisation else "",
        },
        name="chi-dinh-xet-nghiem",
    )


def overdue_export(*, user: Any, by: str) -> ExportFile:
    """The overdue summary as shown: one row per commune (or organisation) with its count."""
    rows = overdue_summary(user=user, by=by)
    place = _("Cơ quan, đơn vị") if by == "organisation" else _("Xã, phường")
    return audited_export(
        user=user,
        model=TestOrder,
        columns=[(place, lambda r: r.name), (_("Số chỉ định quá hạn"), lambda r: r.count)],
        rows=rows,
        summary=_("Xuất tổng hợp chỉ định quá hạn (%(count)s dòng, XLSX)") % {"count": len(rows)},
        detail={"by": by, "overdue": True},
        name="chi-dinh-qua-han",
    )
