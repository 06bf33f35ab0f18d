"""The coverage lists as Excel files (M1, D5): scoped like the page, every export audited."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _

from phongdich.core.exports import EXPORT_MAX_ROWS, ExportFile, audited_export
from phongdich.geo.models import Unit
from phongdich.orgs.models import Organisation

from .selectors import coverage_list


def _yes(value: bool) -> str:
    return _("Có") if value else _("Chưa")


def coverage_export(*, user: Any, unit: Unit | None, which: str, title: str) -> ExportFile:
    orgs = list(coverage_list(user, unit=unit, which=which)[: EXPORT_MAX_ROWS + 1])
    header = [
        _("Cơ quan, đơn vị"),
        _("Địa bàn"),
        _("Địa chỉ"),
        _("Điện thoại"),
        _("Có mã QR"),
        _("Có lượt quét mã hôm nay"),
        _("Có lượt quét mã tuần này"),
    ]
    rows = [
        [o.name, o.unit.name, o.address, o.phone, _yes(o.has_qr), _yes(o.checked_today), _yes(o.checked_week)]
        for o in orgs
    ]
    return audited_export(
        user=user,
        model=Organisation,
        header=header,
        rows=rows,
        summary=f"{title} ({len(orgs)}, XLSX)"[:255],
        detail={"which": which, "unit": str(unit.uid) if unit else ""},
        name=f"bao-phu-qr-{which.replace('_', '-')}",
        sheet_title=title[:31],
        too_large=_("Danh sách có hơn %(limit)s cơ quan, đơn vị, quá lớn để xuất một lần. Vui lòng chọn huyện hoặc xã.")
        % {"limit": f"{EXPORT_MAX_ROWS:,}".replace(",", ".")},
    )
