"""Excel exports of the contacts list and the chains list — scoped like the lists, always audited (C4, D4)."""

from __future__ import annotations

import io
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _

from phongdich.core.audit import audit
from phongdich.core.errors import ValidationFailed
from phongdich.core.models import AuditAction
from phongdich.people.exports import CONTENT_TYPES

from .models import ChainSnapshot, Contact
from .selectors import ChainFilters, ContactFilters, chain_queryset, cluster_names, contact_queryset

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


def _xlsx(sheet_name: str, header: list[str], rows: Iterable[list[Any]]) -> bytes:
    from openpyxl import Workbook

    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(sheet_name)
    sheet.append(header)
    for row in rows:
        sheet.append([_safe(v) for v in row])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _level(c: Contact) -> str:
    row = getattr(c.contact, "tracing_level", None)
    return row.label if row is not None else ""


def _contact_columns() -> list[tuple[str, Callable[[Contact], Any]]]:
    return [
        (_("Người nguồn"), lambda c: c.source.full_name),
        (_("Người tiếp xúc"), lambda c: c.contact.full_name),
        (_("Năm sinh"), lambda c: c.contact.birth_year),
        (_("Số điện thoại"), lambda c: c.contact.phone),
        (_("Nơi cư trú"), lambda c: c.contact.residence_unit.name),
        (_("Cấp"), _level),
        (
            _("Ca nguồn"),
            lambda c: (
                c.contact.tracing_level.index_case.case_code
                if getattr(c.contact, "tracing_level", None) and c.contact.tracing_level.index_case
                else ""
            ),
        ),
        (_("Hình thức tiếp xúc"), lambda c: c.get_exposure_type_display()),
        (_("Tiếp xúc từ ngày"), lambda c: _day(c.first_exposure)),
        (_("Tiếp xúc đến ngày"), lambda c: _day(c.last_exposure)),
        (_("Cơ quan, doanh nghiệp"), lambda c: c.organisation.name if c.organisation else ""),
        (_("Địa điểm"), lambda c: c.premises.name if c.premises else ""),
        (_("Địa bàn tiếp xúc"), lambda c: c.place_unit.name if c.place_unit else ""),
        (_("Nơi tiếp xúc"), lambda c: c.place_text),
        (_("Ghi chú"), lambda c: c.notes),
    ]


def contacts_export(*, user: Any, filters: ContactFilters | None = None) -> ExportFile:
    """The contacts list the user is looking at, as an Excel file; one EXPORT audit line."""
    rows = list(contact_queryset(user=user, filters=filters).order_by("-pk")[: EXPORT_MAX_ROWS + 1])
    if len(rows) > EXPORT_MAX_ROWS:
        raise ValidationFailed(_("Danh sách quá lớn để xuất một lần. Vui lòng lọc thêm."))
    columns = _contact_columns()
    content = _xlsx(_("Tiếp xúc"), [t for t, _g in columns], ([get(c) for _t, get in columns] for c in rows))
    f = filters or ContactFilters()
    audit(
        actor=user,
        action=AuditAction.EXPORT,
        object_type=Contact._meta.label_lower,
        summary=_("Xuất %(count)s tiếp xúc (XLSX)") % {"count": len(rows)},
        detail={
            "format": "xlsx",
            "rows": len(rows),
            "level": f.level,
            "index_case": f.index_case.case_code if f.index_case else "",
            "unit": f.unit.code if f.unit else "",
            "unquarantined": f.unquarantined,
        },
    )
    stamp = timezone.localtime().strftime("%Y%m%d-%H%M")
    return ExportFile(content, f"tiep-xuc-{stamp}.xlsx", CONTENT_TYPES["xlsx"], len(rows))


def chains_export(*, user: Any, filters: ChainFilters | None = None) -> ExportFile:
    """The chains list as an Excel file; one EXPORT audit line."""
    rows = list(chain_queryset(user=user, filters=filters).order_by("-size", "-pk")[: EXPORT_MAX_ROWS + 1])
    if len(rows) > EXPORT_MAX_ROWS:
        raise ValidationFailed(_("Danh sách quá lớn để xuất một lần. Vui lòng lọc thêm."))
    names = cluster_names(sorted({c for chain in rows for c in chain.cluster_ids or []}))
    header = [
        _("Ca đầu tiên"),
        _("Số người"),
        _("Số ca bệnh"),
        _("Số tiếp xúc"),
        _("Số thế hệ"),
        _("Ổ dịch"),
        _("Địa bàn ca đầu"),
        _("Tiếp xúc từ ngày"),
        _("Tiếp xúc đến ngày"),
    ]
    content = _xlsx(
        _("Chuỗi lây nhiễm"),
        header,
        (
            [
                c.first_case_code,
                c.size,
                c.case_count,
                c.contact_count,
                c.generations,
                ", ".join(names.get(i, "") for i in c.cluster_ids or []),
                c.unit.name if c.unit else "",
                _day(c.first_date),
                _day(c.last_date),
            ]
            for c in rows
        ),
    )
    audit(
        actor=user,
        action=AuditAction.EXPORT,
        object_type=ChainSnapshot._meta.label_lower,
        summary=_("Xuất %(count)s chuỗi lây nhiễm (XLSX)") % {"count": len(rows)},
        detail={"format": "xlsx", "rows": len(rows)},
    )
    stamp = timezone.localtime().strftime("%Y%m%d-%H%M")
    return ExportFile(content, f"chuoi-lay-nhiem-{stamp}.xlsx", CONTENT_TYPES["xlsx"], len(rows))
