"""Excel exports of the contacts list and the chains list — scoped like the lists, always audited (C4, D4)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.utils.translation import gettext as _

from phongdich.core.exports import EXPORT_MAX_ROWS, ExportFile, audited_export

from .models import ChainSnapshot, Contact
from .selectors import ChainFilters, ContactFilters, chain_queryset, cluster_names, contact_queryset


def _day(value: Any) -> str:
    return value.strftime("%d/%m/%Y") if value else ""


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
    f = filters or ContactFilters()
    return audited_export(
        user=user,
        model=Contact,
        columns=_contact_columns(),
        rows=rows,
        summary=_("Xuất %(count)s tiếp xúc (XLSX)") % {"count": len(rows)},
        detail={
            "level": f.level,
            "index_case": f.index_case.case_code if f.index_case else "",
            "unit": f.unit.code if f.unit else "",
            "unquarantined": f.unquarantined,
        },
        name="tiep-xuc",
        sheet_title=_("Tiếp xúc"),
    )


def chains_export(*, user: Any, filters: ChainFilters | None = None) -> ExportFile:
    """The chains list as an Excel file; one EXPORT audit line."""
    rows = list(chain_queryset(user=user, filters=filters).order_by("-size", "-pk")[: EXPORT_MAX_ROWS + 1])
    names = cluster_names(sorted({c for chain in rows for c in chain.cluster_ids or []}))
    columns: list[tuple[str, Callable[[ChainSnapshot], Any]]] = [
        (_("Ca đầu tiên"), lambda c: c.first_case_code),
        (_("Số người"), lambda c: c.size),
        (_("Số ca bệnh"), lambda c: c.case_count),
        (_("Số tiếp xúc"), lambda c: c.contact_count),
        (_("Số thế hệ"), lambda c: c.generations),
        (_("Ổ dịch"), lambda c: ", ".join(names.get(i, "") for i in c.cluster_ids or [])),
        (_("Địa bàn ca đầu"), lambda c: c.unit.name if c.unit else ""),
        (_("Tiếp xúc từ ngày"), lambda c: _day(c.first_date)),
        (_("Tiếp xúc đến ngày"), lambda c: _day(c.last_date)),
    ]
    return audited_export(
        user=user,
        model=ChainSnapshot,
        columns=columns,
        rows=rows,
        summary=_("Xuất %(count)s chuỗi lây nhiễm (XLSX)") % {"count": len(rows)},
        name="chuoi-lay-nhiem",
        sheet_title=_("Chuỗi lây nhiễm"),
    )
