"""The epidemic areas, and the flagged people of an area, as Excel/CSV files: scoped and audited (M5, D4)."""

from __future__ import annotations

from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _

from phongdich.core.audit import audit
from phongdich.core.errors import ValidationFailed
from phongdich.core.models import AuditAction
from phongdich.geo.models import Unit
from phongdich.people.exports import CONTENT_TYPES, EXPORT_MAX_ROWS, EXPORT_TOO_LARGE, FORMATS, ExportFile, table_file

from .models import EpidemicArea, ExposureFlag
from .selectors import area_list, flag_queryset


def _area_columns() -> list[tuple[str, Any]]:
    return [
        (_("Vùng dịch"), lambda a: a.place_name),
        (_("Từ ngày"), lambda a: a.start_date.strftime("%d/%m/%Y")),
        (_("Đến hết ngày"), lambda a: a.end_date.strftime("%d/%m/%Y") if a.end_date else ""),
        (_("Diễn biến phức tạp"), lambda a: _("Có") if a.is_complex else ""),
        (_("Số văn bản"), lambda a: a.source_number),
        (_("Ngày văn bản"), lambda a: a.source_date.strftime("%d/%m/%Y") if a.source_date else ""),
        (_("Cơ quan ban hành"), lambda a: a.source_issuer),
        (_("Trích yếu, nội dung"), lambda a: a.source_text),
        (_("Người bị gắn cờ trong địa bàn"), lambda a: a.flagged),
    ]


def areas_export(*, user: Any, status: str = "active") -> ExportFile:
    """The epidemic areas (the list's status filter) with the number of flagged people in the user's scope."""
    areas: list[EpidemicArea] = list(area_list(user=user, status=status)[: EXPORT_MAX_ROWS + 1])
    if len(areas) > EXPORT_MAX_ROWS:
        raise ValidationFailed(EXPORT_TOO_LARGE % {"limit": f"{EXPORT_MAX_ROWS:,}".replace(",", ".")})
    columns = _area_columns()
    content = table_file(
        fmt="xlsx",
        header=[title for title, _getter in columns],
        rows=([getter(a) for _title, getter in columns] for a in areas),
        sheet_title=_("Vùng dịch"),
    )
    audit(
        actor=user,
        action=AuditAction.EXPORT,
        object_type=EpidemicArea._meta.label_lower,
        summary=_("Xuất %(count)s vùng dịch (XLSX)") % {"count": len(areas)},
        detail={"format": "xlsx", "rows": len(areas), "status": status},
    )
    stamp = timezone.localtime().strftime("%Y%m%d-%H%M")
    return ExportFile(
        content=content,
        filename=f"danh-sach-vung-dich-{stamp}.xlsx",
        content_type=CONTENT_TYPES["xlsx"],
        rows=len(areas),
    )


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


def area_flags_export(
    *, user: Any, area: EpidemicArea, fmt: str, status: str = "active", commune: Unit | None = None
) -> ExportFile:
    """The people flagged for ``area`` whom ``user`` may see (the page's status and commune filters); one
    EXPORT audit line with the row count."""
    if fmt not in FORMATS:
        raise ValidationFailed(_("Định dạng xuất không hỗ trợ."), field="format")
    flags: list[ExposureFlag] = list(
        flag_queryset(user=user, area=area, commune=commune, status=status)[: EXPORT_MAX_ROWS + 1]
    )
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
        detail={"format": fmt, "rows": len(flags), "status": status, "unit": commune.code if commune else ""},
    )
    stamp = timezone.localtime().strftime("%Y%m%d-%H%M")
    return ExportFile(
        content=content, filename=f"vung-dich-{stamp}.{fmt}", content_type=CONTENT_TYPES[fmt], rows=len(flags)
    )
