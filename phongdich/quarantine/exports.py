"""Excel export of the open-episodes list — scoped like the list and always audited."""

from __future__ import annotations

import io
from dataclasses import dataclass
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _

from phongdich.core.audit import audit
from phongdich.core.errors import ValidationFailed
from phongdich.core.models import AuditAction
from phongdich.people.exports import CONTENT_TYPES

from .models import Episode
from .selectors import open_episode_queryset

EXPORT_MAX_ROWS = 100_000


@dataclass(frozen=True)
class ExportFile:
    content: bytes
    filename: str
    content_type: str
    rows: int


def _day(value: Any) -> str:
    return value.strftime("%d/%m/%Y") if value else ""


def _safe(value: Any) -> Any:
    """Neutralise spreadsheet formulas in text cells."""
    if isinstance(value, str) and value[:1] in ("=", "+", "-", "@"):
        return "'" + value
    return value


def open_episodes_export(*, user: Any, kind: str = "") -> ExportFile:
    """The open episodes in scope as an Excel file; one EXPORT audit line with the row count."""
    episodes = list(open_episode_queryset(user=user, kind=kind).order_by("-pk")[: EXPORT_MAX_ROWS + 1])
    if len(episodes) > EXPORT_MAX_ROWS:
        raise ValidationFailed(_("Danh sách quá lớn để xuất một lần. Vui lòng lọc thêm."))
    columns: list[tuple[str, Any]] = [
        (_("Họ và tên"), lambda e: e.person.full_name),
        (_("Năm sinh"), lambda e: e.person.birth_year),
        (_("Nơi cư trú"), lambda e: e.person.residence_unit.name),
        (_("Hình thức"), lambda e: e.get_kind_display()),
        (_("Cơ sở cách ly"), lambda e: e.facility.name if e.facility else ""),
        (_("Ngày bắt đầu"), lambda e: _day(e.start_date)),
        (_("Ngày dự kiến kết thúc"), lambda e: _day(e.planned_end)),
        (_("Lý do"), lambda e: e.reason),
    ]
    from openpyxl import Workbook

    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(_("Đang cách ly"))
    sheet.append([title for title, _g in columns])
    for e in episodes:
        sheet.append([_safe(get(e)) for _t, get in columns])
    buffer = io.BytesIO()
    workbook.save(buffer)
    audit(
        actor=user,
        action=AuditAction.EXPORT,
        object_type=Episode._meta.label_lower,
        summary=_("Xuất %(count)s người đang cách ly (XLSX)") % {"count": len(episodes)},
        detail={"format": "xlsx", "rows": len(episodes), "kind": kind},
    )
    stamp = timezone.localtime().strftime("%Y%m%d-%H%M")
    return ExportFile(
        content=buffer.getvalue(),
        filename=f"dang-cach-ly-{stamp}.xlsx",
        content_type=CONTENT_TYPES["xlsx"],
        rows=len(episodes),
    )
