"""The tips inbox as an Excel file: the same scope and filters as the page, always audited (D4)."""

from __future__ import annotations

from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _

from phongdich.core.exports import EXPORT_MAX_ROWS, ExportFile, audited_export

from .models import Tip
from .selectors import tip_queryset


def _moment(value: Any) -> str:
    return timezone.localtime(value).strftime("%d/%m/%Y %H:%M") if value else ""


def tips_export(*, user: Any, **filters: Any) -> ExportFile:
    rows = list(tip_queryset(user=user, **filters)[: EXPORT_MAX_ROWS + 1])
    columns = [
        (_("Mã tin báo"), lambda t: t.code),
        (_("Tiếp nhận lúc"), lambda t: _moment(t.received_at)),
        (_("Loại tin báo"), lambda t: t.get_kind_display()),
        (_("Kênh tiếp nhận"), lambda t: t.get_channel_display()),
        (_("Xã, phường"), lambda t: t.commune.name),
        (_("Địa chỉ, nơi xảy ra"), lambda t: t.address),
        (_("Nội dung"), lambda t: t.description),
        (_("Người báo tin"), lambda t: t.reporter_name),
        (_("Số điện thoại người báo"), lambda t: t.reporter_phone),
        (_("Đơn vị chịu trách nhiệm"), lambda t: t.routed_unit.name),
        (_("Người xử lý"), lambda t: str(t.assignee or "")),
        (_("Trạng thái"), lambda t: t.get_status_display()),
        (_("Kết quả"), lambda t: t.get_outcome_display() if t.outcome else ""),
        (_("Kết thúc lúc"), lambda t: _moment(t.closed_at)),
    ]
    return audited_export(
        user=user,
        rows=rows,
        columns=columns,
        model=Tip,
        summary=_("Xuất %(count)s tin báo (XLSX)") % {"count": len(rows)},
        detail={k: str(getattr(v, "code", v)) for k, v in filters.items() if v},
        name="tin-bao",
    )
