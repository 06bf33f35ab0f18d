"""Exports of a people list to CSV or Excel — scoped like the list and always audited (D4)."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from phongdich.core.errors import ValidationFailed
from phongdich.core.exports import CONTENT_TYPES, EXPORT_MAX_ROWS, ExportFile, audited_export, table_bytes
from phongdich.geo.models import Unit

from .models import Person
from .selectors import person_queryset

__all__ = [
    "CONTENT_TYPES",
    "EXPORT_MAX_ROWS",
    "EXPORT_TOO_LARGE",
    "FORMATS",
    "ExportFile",
    "people_export",
    "table_file",
]

EXPORT_TOO_LARGE = gettext_lazy(
    "Danh sách có hơn %(limit)s người, quá lớn để xuất một lần. Vui lòng lọc theo xã, phường hoặc từ khóa."
)
FORMATS = ("csv", "xlsx")


def _columns() -> list[tuple[str, Any]]:
    return [
        (_("Mã định danh"), lambda p: str(p.uid)),
        (_("Họ và tên"), lambda p: p.full_name),
        (_("Năm sinh"), lambda p: p.birth_year),
        (_("Ngày sinh"), lambda p: p.birth_date.isoformat() if p.birth_date else ""),
        (_("Giới tính"), lambda p: p.get_sex_display()),
        (_("Số CCCD"), lambda p: p.cccd or ""),
        (_("Số hộ chiếu"), lambda p: p.passport_no),
        (_("Quốc tịch"), lambda p: p.nationality),
        (_("Số điện thoại"), lambda p: p.phone),
        (_("Mã đơn vị cư trú"), lambda p: p.residence_unit.code),
        (_("Nơi cư trú"), lambda p: p.residence_unit.name),
        (_("Địa chỉ"), lambda p: p.address),
        (_("Nghề nghiệp"), lambda p: p.occupation),
        (_("Cơ quan, nơi làm việc"), lambda p: p.organisation.name if p.organisation else ""),
        (_("Ngày nhập cảnh"), lambda p: p.entry_date.isoformat() if p.entry_date else ""),
        (_("Cửa khẩu nhập cảnh"), lambda p: p.entry_point),
        (_("Mục đích nhập cảnh"), lambda p: p.visa_purpose),
        (_("Nhập cảnh trái phép"), lambda p: _("Có") if p.illegal_entry else ""),
    ]


def table_file(*, fmt: str, header: list[str], rows: Iterable[list[Any]], sheet_title: str) -> bytes:
    """An export's bytes: CSV (UTF-8 with a BOM, so that Excel reads Vietnamese) or XLSX; formulas neutralised."""
    return table_bytes(header, rows, fmt=fmt, sheet_title=sheet_title)


def people_export(
    *, user: Any, fmt: str, q: str = "", unit: Unit | None = None, foreigners: bool = False
) -> ExportFile:
    """The list the user is looking at, as a file; writes one EXPORT audit line with the row count."""
    if fmt not in FORMATS:
        raise ValidationFailed(_("Định dạng xuất không hỗ trợ."), field="format")
    qs = person_queryset(user=user, q=q, unit=unit, foreigners=foreigners)
    people = list(qs[: EXPORT_MAX_ROWS + 1].iterator(chunk_size=2000))
    return audited_export(
        user=user,
        model=Person,
        columns=_columns(),
        rows=people,
        summary=_("Xuất %(count)s hồ sơ (%(fmt)s)") % {"count": len(people), "fmt": fmt.upper()},
        detail={"q": q, "unit": unit.code if unit else "", "foreigners": foreigners},
        name="nguoi-nuoc-ngoai" if foreigners else "nhan-khau",
        fmt=fmt,
        sheet_title=_("Người nước ngoài") if foreigners else _("Nhân khẩu"),
        too_large=EXPORT_TOO_LARGE % {"limit": f"{EXPORT_MAX_ROWS:,}".replace(",", ".")},
    )
