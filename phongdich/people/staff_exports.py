"""Export of an organisation's staff list to Excel or CSV — scoped like the list and always audited (D3, D4).

The columns are those of the staff import (plus the identifier, the organisation and the
manager's name, which the import ignores), so an exported list can be edited and imported
into another organisation. Identity numbers (CCCD, phone) are filled in only for people the
user may see in the registry; the others show their name and post only.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.utils import translation
from django.utils.translation import gettext as _

from phongdich.core.errors import ValidationFailed
from phongdich.core.exports import ExportFile, audited_export
from phongdich.orgs.models import Organisation

from .exports import EXPORT_MAX_ROWS, EXPORT_TOO_LARGE, FORMATS
from .models import StaffMembership
from .staff_selectors import staff_queryset, visible_person_ids


def _yes(value: bool) -> str:
    return _("Có") if value else _("Không")


def _day(value: Any) -> str:
    return value.strftime("%d/%m/%Y") if value else ""


def export_only_headers() -> tuple[str, ...]:
    """Columns of an export that the import ignores (in the user's language and in Vietnamese)."""

    def headers() -> tuple[str, ...]:
        return (_("Mã định danh"), _("Cơ quan, đơn vị"), _("Lãnh đạo trực tiếp"))

    with translation.override(settings.LANGUAGE_CODE):
        source = headers()
    return tuple(dict.fromkeys((*headers(), *source)))


def _columns(*, visible: set[int], include_ended: bool) -> list[tuple[str, Any]]:
    def identity(getter: Any) -> Any:
        return lambda m: getter(m) if m.person_id in visible else ""

    columns: list[tuple[str, Any]] = [
        (_("Mã định danh"), lambda m: str(m.uid)),
        (_("Họ và tên"), lambda m: m.person.full_name),
        (_("Năm sinh"), identity(lambda m: m.person.birth_year)),
        (_("Số CCCD"), identity(lambda m: m.person.cccd or "")),
        (_("Số điện thoại"), identity(lambda m: m.person.phone)),
        (_("Cơ quan, đơn vị"), lambda m: m.organisation.name),
        (_("Chức vụ"), lambda m: m.position),
        (_("Loại"), lambda m: m.get_category_display()),
        (_("Đảng viên"), lambda m: _yes(m.is_party_member)),
        (_("Thủ trưởng"), lambda m: _yes(m.is_head)),
        (_("Lãnh đạo trực tiếp"), lambda m: m.manager.person.full_name if m.manager else ""),
        (
            _("CCCD lãnh đạo trực tiếp"),
            lambda m: (m.manager.person.cccd or "") if m.manager and m.manager.person_id in visible else "",
        ),
        (_("Từ ngày"), lambda m: _day(m.start_date)),
    ]
    if include_ended:
        columns.append((_("Đến ngày"), lambda m: _day(m.end_date)))
    return columns


def staff_export(
    *, user: Any, organisation: Organisation, fmt: str, include_sub: bool = False, include_ended: bool = False
) -> ExportFile:
    """The staff list of an organisation in scope (404 outside it), as a file; one EXPORT audit line."""
    if fmt not in FORMATS:
        raise ValidationFailed(_("Định dạng xuất không hỗ trợ."), field="format")
    qs = staff_queryset(user=user, organisation=organisation, include_sub=include_sub, include_ended=include_ended)
    memberships: list[StaffMembership] = list(qs[: EXPORT_MAX_ROWS + 1])
    if len(memberships) > EXPORT_MAX_ROWS:
        raise ValidationFailed(EXPORT_TOO_LARGE % {"limit": f"{EXPORT_MAX_ROWS:,}".replace(",", ".")})
    people = visible_person_ids(user=user, memberships=memberships)
    managers = visible_person_ids(user=user, memberships=[m.manager for m in memberships if m.manager is not None])
    return audited_export(
        user=user,
        rows=memberships,
        columns=_columns(visible=people | managers, include_ended=include_ended),
        obj=organisation,
        summary=_("Xuất danh sách %(count)s cán bộ, nhân viên của %(org)s (%(fmt)s)")
        % {"count": len(memberships), "org": organisation.name, "fmt": fmt.upper()},
        detail={
            "what": StaffMembership._meta.label_lower,
            "include_sub": include_sub,
            "include_ended": include_ended,
        },
        fmt=fmt,
        sheet_title=_("Cán bộ, nhân viên"),
        name="can-bo",
    )
