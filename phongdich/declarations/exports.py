"""Excel exports of the officials' lists — declarations and follow-up tasks — scoped and filtered like their
pages, and always audited (M2, D4)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _

from phongdich.core.exports import EXPORT_MAX_ROWS, ExportFile, audited_export
from phongdich.people.exports import EXPORT_TOO_LARGE

from .models import FollowUpTask, MedicalDeclaration
from .selectors import declaration_queryset, task_queryset

Columns = list[tuple[str, Callable[[Any], Any]]]


def _moment(value: Any) -> str:
    return timezone.localtime(value).strftime("%d/%m/%Y %H:%M") if value else ""


def _yes(value: bool) -> str:
    return _("Có") if value else ""


def _too_large() -> str:
    return EXPORT_TOO_LARGE % {"limit": f"{EXPORT_MAX_ROWS:,}".replace(",", ".")}


def declarations_export(*, user: Any, symptoms: bool = False, epidemic: bool = False) -> ExportFile:
    """The current declarations in scope, with the same filters as the list."""
    rows = list(declaration_queryset(user=user, symptoms=symptoms, epidemic=epidemic)[: EXPORT_MAX_ROWS + 1])
    columns: Columns = [
        (_("Họ và tên"), lambda d: d.full_name),
        (_("Năm sinh"), lambda d: d.birth_year),
        (_("Số CCCD hoặc hộ chiếu"), lambda d: d.id_number),
        (_("Điện thoại"), lambda d: d.phone),
        (_("Xã, phường"), lambda d: d.residence_unit.name),
        (_("Địa chỉ"), lambda d: d.address),
        (_("Khai lúc"), lambda d: _moment(d.declared_at)),
        (_("Cách khai"), lambda d: d.get_channel_display()),
        (_("Lần khai"), lambda d: d.version),
        (_("Có triệu chứng"), lambda d: _yes(d.has_symptoms)),
        (_("Đã đến vùng dịch"), lambda d: _yes(d.in_epidemic_area)),
    ]
    return audited_export(
        user=user,
        rows=rows,
        columns=columns,
        model=MedicalDeclaration,
        summary=_("Xuất %(count)s tờ khai y tế (XLSX)") % {"count": len(rows)},
        detail={"symptoms": symptoms, "epidemic": epidemic},
        name="to-khai-y-te",
        too_large=_too_large(),
    )


def tasks_export(*, user: Any, status: str = "open") -> ExportFile:
    """The follow-up tasks of the communes in scope, with the same status filter as the list."""
    rows = list(task_queryset(user=user, status=status)[: EXPORT_MAX_ROWS + 1])
    columns: Columns = [
        (_("Người khai"), lambda t: t.person.full_name),
        (_("Năm sinh"), lambda t: t.person.birth_year),
        (_("Điện thoại"), lambda t: t.declaration.phone),
        (_("Xã, phường"), lambda t: t.commune.name),
        (_("Lý do"), lambda t: t.reason),
        (_("Tạo lúc"), lambda t: _moment(t.created_at)),
        (_("Xong lúc"), lambda t: _moment(t.done_at)),
    ]
    return audited_export(
        user=user,
        rows=rows,
        columns=columns,
        model=FollowUpTask,
        summary=_("Xuất %(count)s việc cần theo dõi sau khai báo y tế (XLSX)") % {"count": len(rows)},
        detail={"status": status},
        name="viec-can-theo-doi",
        too_large=_too_large(),
    )
