"""The epidemic areas, and the flagged people of an area, as Excel/CSV files: scoped and audited (M5, D4)."""

from __future__ import annotations

from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _

from phongdich.core.errors import ValidationFailed
from phongdich.core.exports import ExportFile, audited_export
from phongdich.geo.models import Unit
from phongdich.people.exports import EXPORT_MAX_ROWS, EXPORT_TOO_LARGE, FORMATS

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
    return audited_export(
        user=user,
        rows=areas,
        columns=_area_columns(),
        model=EpidemicArea,
        summary=_("Xuất %(count)s vùng dịch (XLSX)") % {"count": len(areas)},
        detail={"status": status},
        name="danh-sach-vung-dich",
        sheet_title=_("Vùng dịch"),
        too_large=EXPORT_TOO_LARGE % {"limit": f"{EXPORT_MAX_ROWS:,}".replace(",", ".")},
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
    return audited_export(
        user=user,
        rows=flags,
        columns=_columns(),
        obj=area,
        summary=_("Xuất %(count)s người đến vùng dịch %(place)s (%(fmt)s)")
        % {"count": len(flags), "place": area.place_name, "fmt": fmt.upper()},
        detail={"status": status, "unit": commune.code if commune else ""},
        name="vung-dich",
        fmt=fmt,
        sheet_title=_("Người đến vùng dịch"),
        too_large=EXPORT_TOO_LARGE % {"limit": f"{EXPORT_MAX_ROWS:,}".replace(",", ".")},
    )
