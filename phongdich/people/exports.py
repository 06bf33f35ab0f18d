"""Exports of a people list to CSV or Excel — scoped like the list and always audited (D4)."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from phongdich.core.audit import audit
from phongdich.core.errors import ValidationFailed
from phongdich.core.models import AuditAction
from phongdich.geo.models import Unit

from .models import Person
from .selectors import person_queryset

EXPORT_MAX_ROWS = 100_000
EXPORT_TOO_LARGE = gettext_lazy(
    "Danh sách có hơn %(limit)s người, quá lớn để xuất một lần. Vui lòng lọc theo xã, phường hoặc từ khóa."
)
FORMATS = ("csv", "xlsx")
CONTENT_TYPES = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}


@dataclass(frozen=True)
class ExportFile:
    content: bytes
    filename: str
    content_type: str
    rows: int


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


def _rows(people: Iterator[Person], columns: list[tuple[str, Any]]) -> Iterator[list[Any]]:
    for person in people:
        yield [getter(person) for _title, getter in columns]


def _safe_cell(value: Any) -> Any:
    """Neutralise spreadsheet formulas in text cells (CSV/formula injection)."""
    if isinstance(value, str) and value[:1] in ("=", "+", "-", "@"):
        return "'" + value
    return value


def table_file(*, fmt: str, header: list[str], rows: Iterable[list[Any]], sheet_title: str) -> bytes:
    """An export's bytes: CSV (UTF-8 with a BOM, so that Excel reads Vietnamese) or XLSX; formulas neutralised."""
    if fmt == "csv":
        text = io.StringIO()
        writer = csv.writer(text)
        writer.writerow(header)
        for row in rows:
            writer.writerow([_safe_cell(v) for v in row])
        return ("\ufeff" + text.getvalue()).encode("utf-8")
    from openpyxl import Workbook

    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(sheet_title)
    sheet.append(header)
    for row in rows:
        sheet.append([_safe_cell(v) for v in row])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def people_export(
    *, user: Any, fmt: str, q: str = "", unit: Unit | None = None, foreigners: bool = False
) -> ExportFile:
    """The list the user is looking at, as a file; writes one EXPORT audit line with the row count."""
    if fmt not in FORMATS:
        raise ValidationFailed(_("Định dạng xuất không hỗ trợ."), field="format")
    qs = person_queryset(user=user, q=q, unit=unit, foreigners=foreigners)
    people = list(qs[: EXPORT_MAX_ROWS + 1].iterator(chunk_size=2000))
    if len(people) > EXPORT_MAX_ROWS:
        raise ValidationFailed(EXPORT_TOO_LARGE % {"limit": f"{EXPORT_MAX_ROWS:,}".replace(",", ".")})
    columns = _columns()
    content = table_file(
        fmt=fmt,
        header=[title for title, _getter in columns],
        rows=_rows(iter(people), columns),
        sheet_title=_("Người nước ngoài") if foreigners else _("Nhân khẩu"),
    )
    stamp = timezone.localtime().strftime("%Y%m%d-%H%M")
    name = "nguoi-nuoc-ngoai" if foreigners else "nhan-khau"
    audit(
        actor=user,
        action=AuditAction.EXPORT,
        object_type=Person._meta.label_lower,
        summary=_("Xuất %(count)s hồ sơ (%(fmt)s)") % {"count": len(people), "fmt": fmt.upper()},
        detail={
            "format": fmt,
            "rows": len(people),
            "q": q,
            "unit": unit.code if unit else "",
            "foreigners": foreigners,
        },
    )
    return ExportFile(
        content=content, filename=f"{name}-{stamp}.{fmt}", content_type=CONTENT_TYPES[fmt], rows=len(people)
    )
