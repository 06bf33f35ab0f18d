"""Excel exports of stock (E6): a holder's stock, its ledger, the low-stock list. Every export is audited."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _

from phongdich.core.exports import EXPORT_MAX_ROWS, ExportFile, audited_export

from .models import Holder, Movement
from .selectors import HolderRef, low_stock, stock_rows


def stock_export(*, user: Any, ref: HolderRef) -> ExportFile:
    rows = stock_rows(ref.holder, all_items=True)
    return audited_export(
        user=user,
        model=Holder,
        obj=ref.holder,
        columns=[
            (_("Vật tư"), lambda r: r.item.name),
            (_("Đơn vị tính"), lambda r: r.item.unit_of_measure),
            (_("Tồn kho"), lambda r: r.remaining),
            (_("Mức tối thiểu"), lambda r: "" if r.minimum is None else r.minimum),
            (_("Dưới mức tối thiểu"), lambda r: _("Có") if r.low else ""),
        ],
        rows=rows,
        summary=_("Xuất tồn kho vật tư của %(holder)s") % {"holder": ref.name},
        detail={"holder": ref.name},
        name="ton-kho",
    )


def history_export(*, user: Any, ref: HolderRef) -> ExportFile:
    rows: list[Movement] = []
    if ref.holder is not None:
        rows = list(
            Movement.objects.filter(holder=ref.holder)
            .select_related("item", "other_holder__unit", "other_holder__organisation")
            .order_by("-occurred_on", "-id")[: EXPORT_MAX_ROWS + 1]
        )
    return audited_export(
        user=user,
        model=Movement,
        obj=ref.holder,
        columns=[
            (_("Ngày"), lambda m: f"{m.occurred_on:%d/%m/%Y}"),
            (_("Loại"), lambda m: m.get_kind_display()),
            (_("Vật tư"), lambda m: m.item.name),
            (_("Số lượng"), lambda m: m.quantity),
            (_("Đơn vị tính"), lambda m: m.item.unit_of_measure),
            (_("Nơi nhận/nơi cấp"), lambda m: m.other_holder.name if m.other_holder else ""),
            (_("Lý do, ghi chú"), lambda m: m.reason),
        ],
        rows=rows,
        summary=_("Xuất sổ kho vật tư của %(holder)s (%(count)s dòng)") % {"holder": ref.name, "count": len(rows)},
        detail={"holder": ref.name},
        name="so-kho",
    )


def low_stock_export(*, user: Any) -> ExportFile:
    rows = low_stock(user=user, limit=EXPORT_MAX_ROWS + 1)
    return audited_export(
        user=user,
        model=Holder,
        columns=[
            (_("Nơi giữ"), lambda t: t.holder.name),
            (_("Vật tư"), lambda t: t.item.name),
            (_("Đơn vị tính"), lambda t: t.item.unit_of_measure),
            (_("Tồn kho"), lambda t: t.remaining),
            (_("Mức tối thiểu"), lambda t: t.minimum),
        ],
        rows=rows,
        summary=_("Xuất danh sách vật tư dưới mức tối thiểu (%(count)s dòng)") % {"count": len(rows)},
        name="vat-tu-duoi-muc",
    )
