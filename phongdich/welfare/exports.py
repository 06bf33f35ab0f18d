"""Excel exports of the welfare lists: each is what the user sees, and each is audited."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _

from phongdich.core.exports import EXPORT_MAX_ROWS, ExportFile, audited_export

from .models import Budget, Donation, Election, Support
from .selectors import budget_rows, donation_queryset, fund_balances, mobile_ballot_lists, support_queryset


def voters_export(*, user: Any, election: Election) -> ExportFile:
    """The mobile-ballot lists of the election, one line per voter, grouped by polling area."""
    rows: list[list[Any]] = []
    for ballot in mobile_ballot_lists(user=user, election=election):
        area = ballot.area
        for n, voter in enumerate(ballot.voters, start=1):
            p = voter.person
            rows.append(
                [
                    area.commune.name if area else p.residence_unit.name,
                    area.name if area else _("Chưa có khu vực bỏ phiếu"),
                    n,
                    p.full_name,
                    p.birth_date.strftime("%d/%m/%Y") if p.birth_date else p.birth_year,
                    p.cccd or "",
                    p.residence_unit.name,
                    p.address,
                    "; ".join(voter.reasons),
                ]
            )
    header = [
        _("Xã, phường"),
        _("Khu vực bỏ phiếu"),
        _("STT"),
        _("Họ và tên"),
        _("Ngày/năm sinh"),
        _("CCCD"),
        _("Thôn, xóm"),
        _("Địa chỉ"),
        _("Lý do bỏ phiếu bằng hòm phiếu phụ"),
    ]
    return audited_export(
        user=user,
        obj=election,
        header=header,
        rows=rows,
        summary=_("Xuất danh sách cử tri bỏ phiếu bằng hòm phiếu phụ “%(name)s”: %(count)s người (XLSX)")
        % {"name": election.name, "count": len(rows)},
        detail={"election": str(election.uid)},
        name="cu-tri-hom-phieu-phu",
        sheet_title=_("Hòm phiếu phụ")[:31],
    )


def donations_export(*, user: Any, **filters: Any) -> ExportFile:
    rows = list(donation_queryset(user=user, **filters)[: EXPORT_MAX_ROWS + 1])

    def d(x: Donation) -> list[Any]:
        return [
            x.receipt_code,
            f"{x.received_on:%d/%m/%Y}",
            x.receiver.name,
            x.get_donor_kind_display(),
            x.donor_name,
            x.get_kind_display(),
            x.amount,
            x.goods,
            x.quantity if x.kind == "goods" else "",
            x.goods_unit,
            x.estimated_value if x.kind == "goods" else "",
        ]

    return audited_export(
        user=user,
        model=Donation,
        header=[
            _("Số biên nhận"),
            _("Ngày tiếp nhận"),
            _("Đơn vị tiếp nhận"),
            _("Loại nhà tài trợ"),
            _("Đơn vị, cá nhân ủng hộ"),
            _("Hình thức"),
            _("Số tiền (đồng)"),
            _("Hàng hóa"),
            _("Số lượng"),
            _("Đơn vị tính"),
            _("Giá trị ước tính (đồng)"),
        ],
        rows=[d(x) for x in rows],
        summary=_("Xuất %(count)s khoản ủng hộ (XLSX)") % {"count": len(rows)},
        detail={k: str(v) for k, v in filters.items() if v},
        name="ung-ho",
    )


def support_export(*, user: Any) -> ExportFile:
    rows = list(support_queryset(user=user)[: EXPORT_MAX_ROWS + 1])

    def s(x: Support) -> list[Any]:
        return [
            f"{x.given_on:%d/%m/%Y}",
            x.giver.name,
            x.recipient_name,
            x.unit.name,
            x.household_size,
            x.reason,
            x.get_kind_display(),
            x.amount,
            f"{x.donation.goods} ({x.donation.receipt_code})" if x.donation else "",
            x.quantity if x.donation else "",
        ]

    return audited_export(
        user=user,
        model=Support,
        header=[
            _("Ngày trao"),
            _("Đơn vị trao"),
            _("Người, hộ nhận hỗ trợ"),
            _("Địa bàn"),
            _("Số nhân khẩu"),
            _("Hoàn cảnh"),
            _("Hình thức"),
            _("Số tiền (đồng)"),
            _("Hàng hóa"),
            _("Số lượng"),
        ],
        rows=[s(x) for x in rows],
        summary=_("Xuất %(count)s khoản hỗ trợ (XLSX)") % {"count": len(rows)},
        name="ho-tro",
    )


def funds_export(*, user: Any) -> ExportFile:
    rows = [
        [b.receiver.name, b.receiver.unit.name, b.donations, b.received, b.given, b.on_hand, b.goods_value]
        for b in fund_balances(user=user)
    ]
    return audited_export(
        user=user,
        model=Donation,
        header=[
            _("Đơn vị tiếp nhận"),
            _("Địa bàn"),
            _("Số khoản ủng hộ"),
            _("Tiền đã nhận (đồng)"),
            _("Tiền đã hỗ trợ (đồng)"),
            _("Tiền còn lại (đồng)"),
            _("Hiện vật, giá trị ước tính (đồng)"),
        ],
        rows=rows,
        summary=_("Xuất sổ quỹ ủng hộ của %(count)s đơn vị tiếp nhận (XLSX)") % {"count": len(rows)},
        name="so-quy-ung-ho",
    )


def budgets_export(*, user: Any, year: int | None = None) -> ExportFile:
    rows = [
        [r.budget.unit.name, r.budget.year, r.allocated, r.spent, r.remaining]
        for r in budget_rows(user=user, year=year)
    ]
    return audited_export(
        user=user,
        model=Budget,
        header=[_("Địa bàn"), _("Năm"), _("Được cấp (đồng)"), _("Đã chi (đồng)"), _("Còn lại (đồng)")],
        rows=rows,
        summary=_("Xuất kinh phí phòng, chống dịch của %(count)s địa bàn (XLSX)") % {"count": len(rows)},
        detail={"year": year} if year else None,
        name="kinh-phi-phong-chong-dich",
    )
