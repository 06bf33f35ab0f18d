"""The flagged people of an epidemic area as an Excel/CSV file: scoped and audited (M5, D4)."""

from __future__ import annotations

from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _

from phongdich.core.audit import audit
from phongdich.core.errors import ValidationFailed
from phongdich.core.models import AuditAction
from phongdich.people.exports import CONTENT_TYPES, EXPORT_MAX_ROWS, EXPORT_TOO_LARGE, FORMATS, ExportFile, table_file

from .models import EpidemicArea, ExposureFlag
from .selectors import flag_queryset


def _columns() -> list[tuple[str, Any]]:
    return [
        (_("Họ và tên"), lambda f: f.person.full_name),
        (_("Năm sinh"), lambda f: f.person.birth_year),
        (_("Số CCCD"), lambda f: f.person.cccd or ""),
        (_("Số điện thoại"), lambda f: f.person.phone),
        (_("Mã đơn vị cư trú"), lambda f: f.person.residence_unit.code),
        (_("Nơi cư trú"), lambda f: f.person.residence_unit.name),
        (_("Địa chỉ"), lambda f: f.person.address),
        (_("Đến từ ngày"), lambda f: f.visit_from.strftime("%d/%m/%Y")),
        (_("Đến ngày"), lambda f: f.visit_to.strftime("%d/%m/%Y")),
        (_("Lý do"), lambda f: f.reason),
        (_("Gắn cờ lúc"), lambda f: timezone.localtime(f.flagged_at).strftime("%d/%m/%Y %H:%M")),
        (
            _("Bỏ cờ lúc"),
            lambda f: timezone.localtime(f.cleared_at).strftime("%d/%m/%Y %H:%M") if f.cleared_at else "",
        ),
    ]


def area_flags_export(*, user: Any, area: EpidemicArea, fmt: str, status: str = "active") -> ExportFile:
    """The people flagged for ``area`` whom ``user`` may see; one EXPORT audit line with the row count."""
    if fmt not in FORMATS:
        raise ValidationFailed(_("Định dạng xuất không hỗ trợ."), field="format")
    flags: list[ExposureFlag] = list(flag_queryset(user=user, area=area, status=status)[: EXPORT_MAX_ROWS + 1])
    if len(flags) > EXPORT_MAX_ROWS:
        raise ValidationFailed(EXPORT_TOO_LARGE % {"limit": f"{EXPORT_MAX_ROWS:,}".replace(",", ".")})
    columns = _columns()
    content = table_file(
        fmt=fmt,
        header=[title for title, _getter in columns],
        rows=([getter(f) for _title, getter in columns] for f in flags),
        sheet_title=_("Người đến vùng dịch"),
    )
    audit(
        actor=user,
        action=AuditAction.EXPORT,
        obj=area,
        summary=_("Xuất %(count)s người đến vùng dịch %(place)s (%(fmt)s)")
        % {"count": len(flags), "place": area.place_name, "fmt": fmt.upper()},
        detail={"format": fmt, "rows": len(flags), "status": status},
    )
    stamp = timezone.localtime().strftime("%Y%m%d-%H%M")
    return ExportFile(
        content=content, filename=f"vung-dich-{stamp}.{fmt}", content_type=CONTENT_TYPES[fmt], rows=len(flags)
    )
