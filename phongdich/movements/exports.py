"""Excel exports of the movement lists (M9) and the door-to-door list in the layout a district office
sends up (M4): title block, unit, date, numbered rows ("STT") grouped per commune with subtotals (and per
district for district and province users), grand total, signature block. Every export is audited."""

from __future__ import annotations

import io
from datetime import date
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _

from phongdich.core.audit import audit
from phongdich.core.errors import ValidationFailed
from phongdich.core.exports import (
    CONTENT_TYPES,
    EXPORT_MAX_ROWS,
    ExportFile,
    audited_export,
    safe_cell,
    stamped_filename,
    too_large_message,
)
from phongdich.core.models import AuditAction
from phongdich.geo.models import Level, Unit
from phongdich.orgs.scope import scope_for

from .models import Movement
from .selectors import Place, door_to_door_queryset, movement_queryset, present_now_queryset

XLSX = CONTENT_TYPES["xlsx"]


def _day(value: Any) -> str:
    return value.strftime("%d/%m/%Y") if value else ""


def _rows(qs: Any) -> list[Movement]:
    rows = list(qs[: EXPORT_MAX_ROWS + 1])
    if len(rows) > EXPORT_MAX_ROWS:
        raise ValidationFailed(too_large_message())
    return rows


def _columns() -> list[tuple[str, Any]]:
    return [
        (_("Họ và tên"), lambda m: m.person.full_name),
        (_("Năm sinh"), lambda m: m.person.birth_year),
        (_("Số CCCD"), lambda m: m.person.cccd or ""),
        (_("Số điện thoại"), lambda m: m.person.phone),
        (_("Chiều"), lambda m: m.get_direction_display()),
        (_("Ngày"), lambda m: _day(m.move_date)),
        (_("Xã, phường"), lambda m: m.commune.name),
        (_("Thôn, xóm"), lambda m: m.unit.name if m.unit_id != m.commune_id else ""),
        (_("Nơi đi/đến"), lambda m: m.place_name),
        (_("Phương tiện"), lambda m: " ".join(p for p in (m.get_transport_display(), m.vehicle_no) if p)),
        (_("Nơi lưu trú"), lambda m: m.lodging_address),
        (_("Dự kiến đi ngày"), lambda m: _day(m.expected_departure)),
        (_("Đã đi ngày"), lambda m: _day(m.left_on)),
    ]


def movements_export(*, user: Any, **filters: Any) -> ExportFile:
    """The movement list in scope, filtered like its page; one EXPORT audit line."""
    rows = _rows(movement_queryset(user=user, **filters))
    return audited_export(
        user=user,
        model=Movement,
        columns=_columns(),
        rows=rows,
        summary=_("Xuất %(count)s khai báo di biến động (XLSX)") % {"count": len(rows)},
        detail={"filters": {k: str(v) for k, v in filters.items() if v}},
        name="di-bien-dong",
        sheet_title=_("Di biến động")[:31],
    )


def present_now_export(*, user: Any, unit: Unit | None = None) -> ExportFile:
    rows = _rows(present_now_queryset(user=user, unit=unit))
    return audited_export(
        user=user,
        model=Movement,
        columns=_columns(),
        rows=rows,
        summary=_("Xuất %(count)s người đến đang có mặt (XLSX)") % {"count": len(rows)},
        detail={"list": "present", "unit": str(unit.uid) if unit else ""},
        name="dang-co-mat",
        sheet_title=_("Đang có mặt")[:31],
    )


def reporting_unit(user: Any, unit: Unit | None) -> Unit | None:
    """The unit that sends the list: the chosen unit, else the user's jurisdiction (when it is one unit)."""
    if unit is not None:
        return unit
    scope = scope_for(user)
    if len(scope.unit_paths) == 1:
        tree, path = scope.unit_paths[0]
        return Unit.objects.filter(tree=tree, path=path).first()
    return Unit.objects.current_tree().filter(level=Level.PROVINCE).order_by("path").first()


def door_to_door_export(*, user: Any, place: Place, since: date, unit: Unit | None = None) -> ExportFile:
    """Everyone in scope who arrived from ``place`` since ``since``, in the district office layout."""
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Border, Font, Side

    rows = _rows(door_to_door_queryset(user=user, place=place, since=since, unit=unit))
    sender = reporting_unit(user, unit)
    by_district = sender is None or sender.level <= Level.DISTRICT
    today = timezone.localdate()
    headers = [
        _("STT"),
        _("Họ và tên"),
        _("Năm sinh"),
        _("Giới tính"),
        _("Số CCCD"),
        _("Số điện thoại"),
        _("Đến từ"),
        _("Ngày đến"),
        _("Phương tiện"),
        _("Nơi lưu trú"),
        _("Thôn, xóm, tổ dân phố"),
        _("Đã đi ngày"),
    ]
    width = len(headers)
    last_col = chr(ord("A") + width - 1)
    bold = Font(bold=True)
    thin = Side(style="thin")
    box = Border(left=thin, right=thin, top=thin, bottom=thin)
    centre = Alignment(horizontal="center", vertical="center", wrap_text=True)

    workbook = Workbook()
    sheet = workbook.active
    sheet.title = _("Danh sách")[:31]
    sender_name = sender.name.upper() if sender else ""
    sheet.merge_cells("A1:D1")
    sheet["A1"] = _("UBND %(unit)s") % {"unit": sender_name} if sender else ""
    sheet.merge_cells("A2:D2")
    sheet["A2"] = _("BAN CHỈ ĐẠO PHÒNG, CHỐNG DỊCH COVID-19")
    sheet.merge_cells(f"F1:{last_col}1")
    sheet["F1"] = _("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM")
    sheet.merge_cells(f"F2:{last_col}2")
    sheet["F2"] = _("Độc lập - Tự do - Hạnh phúc")
    for ref in ("A1", "A2", "F1", "F2"):
        sheet[ref].font = bold
        sheet[ref].alignment = centre
    title = _("DANH SÁCH NGƯỜI ĐẾN TỪ %(place)s TỪ NGÀY %(since)s") % {
        "place": place.name.upper(),
        "since": _day(since),
    }
    sheet.merge_cells(f"A4:{last_col}4")
    sheet["A4"] = title
    sheet["A4"].font = Font(bold=True, size=14)
    sheet["A4"].alignment = centre
    sheet.merge_cells(f"A5:{last_col}5")
    sheet["A5"] = _("Đơn vị: %(unit)s — Tính đến ngày %(day)s") % {
        "unit": sender.full_name() if sender else "",
        "day": _day(today),
    }
    sheet["A5"].alignment = centre
    header_row = 7
    for col, text in enumerate(headers, start=1):
        cell = sheet.cell(row=header_row, column=col, value=text)
        cell.font = bold
        cell.alignment = centre
        cell.border = box

    r = header_row + 1

    def line(values: list[Any], *, strong: bool = False) -> None:
        nonlocal r
        for col in range(1, width + 1):
            cell = sheet.cell(row=r, column=col, value=values[col - 1] if col - 1 < len(values) else None)
            cell.border = box
            if strong:
                cell.font = bold
        r += 1

    number = 0
    district_total = 0
    commune_total = 0
    current_district: Unit | None = None
    current_commune: Unit | None = None

    def close_commune() -> None:
        if current_commune is not None:
            line(
                ["", _("Cộng %(unit)s: %(count)s người") % {"unit": current_commune.name, "count": commune_total}],
                strong=True,
            )

    def close_district() -> None:
        if by_district and current_district is not None:
            line(
                ["", _("Cộng %(unit)s: %(count)s người") % {"unit": current_district.name, "count": district_total}],
                strong=True,
            )

    for m in rows:
        district = m.commune.parent
        if current_commune is None or m.commune_id != current_commune.pk:
            close_commune()
            if by_district and (current_district is None or district != current_district):
                close_district()
                current_district = district
                district_total = 0
                line(["", (district.name if district else "").upper()], strong=True)
            current_commune = m.commune
            commune_total = 0
            line(["", m.commune.name], strong=True)
        number += 1
        commune_total += 1
        district_total += 1
        line(
            [
                number,
                safe_cell(m.person.full_name),
                m.person.birth_year,
                m.person.get_sex_display(),
                m.person.cccd or "",
                m.person.phone,
                safe_cell(m.place_name),
                _day(m.move_date),
                safe_cell(" ".join(p for p in (m.get_transport_display(), m.vehicle_no) if p)),
                safe_cell(m.lodging_address),
                m.unit.name if m.unit_id != m.commune_id else "",
                _day(m.left_on),
            ]
        )
    close_commune()
    close_district()
    line(["", _("Tổng cộng: %(count)s người") % {"count": number}], strong=True)

    r += 1
    sheet.cell(
        row=r,
        column=9,
        value=_("…, ngày %(d)s tháng %(m)s năm %(y)s")
        % {"d": f"{today.day:02d}", "m": f"{today.month:02d}", "y": today.year},
    ).alignment = centre
    r += 1
    sheet.cell(row=r, column=2, value=_("NGƯỜI LẬP BIỂU")).font = bold
    sheet.cell(row=r, column=9, value=_("THỦ TRƯỞNG ĐƠN VỊ")).font = bold
    r += 1
    sheet.cell(row=r, column=2, value=_("(Ký, ghi rõ họ tên)"))
    sheet.cell(row=r, column=9, value=_("(Ký tên, đóng dấu)"))

    for letter, size in zip("ABCDEFGHIJKL", (6, 26, 9, 9, 15, 13, 28, 12, 18, 30, 18, 12), strict=True):
        sheet.column_dimensions[letter].width = size
    buffer = io.BytesIO()
    workbook.save(buffer)
    audit(
        actor=user,
        action=AuditAction.EXPORT,
        object_type=Movement._meta.label_lower,
        summary=_("Xuất danh sách người đến từ %(place)s từ %(since)s: %(count)s người (XLSX)")
        % {"place": place.name, "since": _day(since), "count": number},
        detail={
            "format": "xlsx",
            "rows": number,
            "list": "door_to_door",
            "place": place.country or (place.unit.path if place.unit else ""),
            "since": since.isoformat(),
        },
    )
    return ExportFile(buffer.getvalue(), stamped_filename("danh-sach-den-tu-vung-dich"), XLSX, number)
