"""Writes of the welfare app: elections and polling areas (E1), donations, receipts and support (E4), the
prevention budget (E5). Every write is audited; money is integer đồng and the books never go negative:
support in money is refused beyond what the receiving body holds, goods beyond what is left of the donation,
spending beyond what is left of the budget (each checked under a row lock, so two clerks cannot both spend
the last đồng)."""

from __future__ import annotations

import re
from datetime import date
from decimal import Decimal, InvalidOperation
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.db.models import Max, Sum
from django.utils.translation import gettext as _

from phongdich.core.audit import audit
from phongdich.core.errors import ValidationFailed
from phongdich.core.models import AuditAction
from phongdich.geo.models import Level, Unit
from phongdich.orgs.models import Organisation, OrganisationKind, Role
from phongdich.orgs.scope import scope_for
from phongdich.people.models import Person

from .models import (
    Budget,
    BudgetAllocation,
    BudgetSpending,
    Donation,
    DonorKind,
    Election,
    GiftKind,
    PollingArea,
    PollingAreaUnit,
    SpendingCategory,
    Support,
)

ELECTION_ROLES = frozenset({Role.PROVINCE_ADMIN, Role.DISTRICT_OFFICER, Role.COMMUNE_OFFICER, Role.ELECTION_COMMITTEE})
FUND_ROLES = frozenset({Role.PROVINCE_ADMIN, Role.DISTRICT_OFFICER, Role.COMMUNE_OFFICER, Role.FATHERLAND_FRONT})
BUDGET_ROLES = frozenset({Role.PROVINCE_ADMIN, Role.DISTRICT_OFFICER, Role.COMMUNE_OFFICER})
# The largest amount one line may carry (a thousand billion đồng): beyond it is a typing slip.
MAX_DONG = 10**15
MAX_QUANTITY = Decimal("99999999999.999")


def fmt_dong(value: int) -> str:
    """``1234567`` → ``1.234.567 đồng`` (Vietnamese grouping)."""
    return _("%(amount)s đồng") % {"amount": f"{int(value):,}".replace(",", ".")}


def _has_role(user: Any, roles: frozenset[str]) -> bool:
    if user is None or not getattr(user, "is_authenticated", False) or not user.is_active:
        return False
    return bool(user.is_superuser or scope_for(user).roles & roles)


def can_manage_elections(user: Any) -> bool:
    return _has_role(user, ELECTION_ROLES)


def can_manage_funds(user: Any) -> bool:
    return _has_role(user, FUND_ROLES)


def can_manage_budgets(user: Any) -> bool:
    return _has_role(user, BUDGET_ROLES)


def _check_unit(actor: Any, unit: Unit, roles: frozenset[str]) -> None:
    if actor is None:
        return
    if not _has_role(actor, roles) or not scope_for(actor).contains_unit(unit):
        raise PermissionDenied(_("Bạn không có quyền thực hiện việc này ở địa bàn này."))


def _check_org(actor: Any, organisation: Organisation) -> None:
    if actor is None:
        return
    if not _has_role(actor, FUND_ROLES) or not scope_for(actor).contains_organisation(organisation):
        raise PermissionDenied(_("Bạn không có quyền ghi sổ cho đơn vị tiếp nhận này."))


def parse_dong(value: Any, *, field: str, allow_zero: bool = False) -> int:
    """A whole number of đồng (an int, a numeric string with optional dot/space grouping, or a whole Decimal);
    a float, a fraction, a negative or an absurd amount is refused with a Vietnamese message."""
    if isinstance(value, bool | float):
        raise ValidationFailed(_("Số tiền phải là số nguyên đồng."), field=field)
    if isinstance(value, str):
        text = value.strip().removesuffix("đồng").removesuffix("đ").strip()
        # Plain digits, or digits grouped by three with dots, spaces or commas ("1.500.000"); "12,5" is a fraction.
        if not re.fullmatch(r"\d+|\d{1,3}(?:[., ]\d{3})+", text):
            raise ValidationFailed(_("Số tiền phải là số nguyên đồng."), field=field)
        value = int(re.sub(r"\D", "", text))
    if isinstance(value, Decimal):
        if value != value.to_integral_value():
            raise ValidationFailed(_("Số tiền phải là số nguyên đồng."), field=field)
        value = int(value)
    if not isinstance(value, int):
        raise ValidationFailed(_("Số tiền phải là số nguyên đồng."), field=field)
    if value < 0 or (value == 0 and not allow_zero):
        raise ValidationFailed(_("Số tiền phải lớn hơn 0."), field=field)
    if value > MAX_DONG:
        raise ValidationFailed(_("Số tiền quá lớn, vui lòng kiểm tra lại."), field=field)
    return value


def _quantity(value: Any, *, field: str = "quantity") -> Decimal:
    if isinstance(value, float | bool):
        raise ValidationFailed(_("Số lượng không hợp lệ."), field=field)
    try:
        quantity = Decimal(str(value).strip().replace(",", "."))
    except (InvalidOperation, ValueError):
        raise ValidationFailed(_("Số lượng không hợp lệ."), field=field) from None
    if (
        not quantity.is_finite()
        or quantity <= 0
        or quantity > MAX_QUANTITY
        or quantity != quantity.quantize(Decimal("0.001"))
    ):
        raise ValidationFailed(_("Số lượng phải lớn hơn 0, tối đa ba chữ số thập phân."), field=field)
    return quantity


# --- Elections (E1) ----------------------------------------------------------------------------


@transaction.atomic
def election_create(*, actor: Any, name: str, polling_day: date, unit: Unit) -> Election:
    _check_unit(actor, unit, ELECTION_ROLES)
    name = " ".join((name or "").split())
    if not name:
        raise ValidationFailed(_("Vui lòng nhập tên cuộc bầu cử."), field="name")
    if unit.level > Level.COMMUNE:
        raise ValidationFailed(_("Địa bàn tổ chức phải là tỉnh, huyện hoặc xã."), field="unit")
    election = Election.objects.create(name=name[:255], polling_day=polling_day, unit=unit, created_by=_user(actor))
    audit(
        actor=actor,
        action=AuditAction.CREATE,
        obj=election,
        summary=_("Tạo cuộc bầu cử “%(name)s” ngày %(day)s")
        % {"name": election.name, "day": f"{polling_day:%d/%m/%Y}"},
    )
    return election


def _user(actor: Any) -> Any:
    return actor if actor is not None and getattr(actor, "is_authenticated", False) else None


@transaction.atomic
def polling_area_create(
    *,
    actor: Any,
    election: Election,
    commune: Unit,
    number: int,
    name: str,
    hamlets: list[Unit],
    location: str = "",
) -> PollingArea:
    """A polling area of ``commune`` covering ``hamlets`` (its own hamlets, none already in another polling
    area of the election)."""
    _check_unit(actor, commune, ELECTION_ROLES)
    if commune.level != Level.COMMUNE:
        raise ValidationFailed(_("Khu vực bỏ phiếu phải thuộc một xã, phường, thị trấn."), field="commune")
    if not (commune.tree == election.unit.tree and commune.path.startswith(election.unit.path)):
        raise ValidationFailed(_("Xã, phường này nằm ngoài địa bàn tổ chức cuộc bầu cử."), field="commune")
    if not hamlets:
        raise ValidationFailed(_("Chọn ít nhất một thôn, xóm, tổ dân phố."), field="hamlets")
    foreign = [h.name for h in hamlets if h.parent_id != commune.pk or h.level != Level.HAMLET]
    if foreign:
        raise ValidationFailed(
            _("Không thuộc %(commune)s: %(names)s.") % {"commune": commune.name, "names": ", ".join(foreign)},
            field="hamlets",
        )
    if number < 1:
        raise ValidationFailed(_("Số khu vực phải lớn hơn 0."), field="number")
    if PollingArea.objects.filter(election=election, commune=commune, number=number).exists():
        raise ValidationFailed(_("Xã, phường này đã có khu vực bỏ phiếu số %(n)s.") % {"n": number}, field="number")
    taken = list(
        PollingAreaUnit.objects.filter(election=election, unit__in=hamlets).select_related("unit", "polling_area")
    )
    if taken:
        raise ValidationFailed(
            _("Đã thuộc khu vực bỏ phiếu khác: %(names)s.")
            % {"names": ", ".join(f"{t.unit.name} ({t.polling_area.name})" for t in taken)},
            field="hamlets",
        )
    name = " ".join((name or "").split()) or _("Khu vực bỏ phiếu số %(n)s") % {"n": number}
    try:
        with transaction.atomic():
            area = PollingArea.objects.create(
                election=election, commune=commune, number=number, name=name[:255], location=location.strip()[:255]
            )
            PollingAreaUnit.objects.bulk_create(
                [
                    PollingAreaUnit(election=election, polling_area=area, unit=h)
                    for h in {h.pk: h for h in hamlets}.values()
                ]
            )
    except IntegrityError:
        raise ValidationFailed(
            _("Một thôn, xóm vừa được gán cho khu vực bỏ phiếu khác. Vui lòng tải lại trang."), field="hamlets"
        ) from None
    audit(
        actor=actor,
        action=AuditAction.CREATE,
        obj=area,
        summary=_("Thêm khu vực bỏ phiếu “%(name)s” (%(commune)s)") % {"name": area.name, "commune": commune.name},
        detail={"election": str(election.uid), "hamlets": [h.code for h in hamlets]},
    )
    return area


@transaction.atomic
def polling_area_delete(*, actor: Any, area: PollingArea) -> None:
    _check_unit(actor, area.commune, ELECTION_ROLES)
    audit(
        actor=actor,
        action=AuditAction.DELETE,
        obj=area,
        summary=_("Xóa khu vực bỏ phiếu “%(name)s” (%(commune)s)") % {"name": area.name, "commune": area.commune.name},
    )
    area.delete()


# --- Donations and support (E4) ----------------------------------------------------------------


def money_received(receiver: Organisation) -> int:
    return int(Donation.objects.filter(receiver=receiver, kind=GiftKind.MONEY).aggregate(s=Sum("amount"))["s"] or 0)


def money_given(giver: Organisation) -> int:
    return int(Support.objects.filter(giver=giver, kind=GiftKind.MONEY).aggregate(s=Sum("amount"))["s"] or 0)


def goods_left(donation: Donation) -> Decimal:
    given = Support.objects.filter(donation=donation).aggregate(s=Sum("quantity"))["s"] or Decimal(0)
    return Decimal(donation.quantity) - Decimal(given)


@transaction.atomic
def donation_record(
    *,
    actor: Any,
    receiver: Organisation,
    received_on: date,
    donor_kind: str,
    donor_name: str,
    kind: str,
    amount: Any = 0,
    goods: str = "",
    quantity: Any = 0,
    goods_unit: str = "",
    estimated_value: Any = 0,
    donor_address: str = "",
    donor_phone: str = "",
    note: str = "",
) -> Donation:
    """Record a donation and give it the receiving body's next receipt number of the year."""
    _check_org(actor, receiver)
    if receiver.kind != OrganisationKind.FATHERLAND_FRONT:
        raise ValidationFailed(_("Đơn vị tiếp nhận phải là Ủy ban Mặt trận Tổ quốc."), field="receiver")
    if donor_kind not in DonorKind.values:
        raise ValidationFailed(_("Loại nhà tài trợ không hợp lệ."), field="donor_kind")
    donor_name = " ".join((donor_name or "").split())
    if not donor_name:
        raise ValidationFailed(_("Vui lòng nhập tên đơn vị, cá nhân ủng hộ."), field="donor_name")
    values: dict[str, Any] = {}
    if kind == GiftKind.MONEY:
        values["amount"] = parse_dong(amount, field="amount")
    elif kind == GiftKind.GOODS:
        goods = " ".join((goods or "").split())
        if not goods:
            raise ValidationFailed(_("Vui lòng nhập tên hàng hóa."), field="goods")
        values.update(
            goods=goods[:255],
            quantity=_quantity(quantity),
            goods_unit=(goods_unit or "").strip()[:30],
            estimated_value=parse_dong(estimated_value, field="estimated_value", allow_zero=True),
        )
    else:
        raise ValidationFailed(_("Hình thức ủng hộ không hợp lệ."), field="kind")
    # The receiver's row is the lock: receipt numbers of one body are handed out one at a time.
    Organisation.objects.select_for_update().filter(pk=receiver.pk).first()
    year = received_on.year
    last = Donation.objects.filter(receiver=receiver, receipt_year=year).aggregate(m=Max("receipt_no"))["m"] or 0
    donation = Donation.objects.create(
        receiver=receiver,
        receipt_year=year,
        receipt_no=last + 1,
        received_on=received_on,
        donor_kind=donor_kind,
        donor_name=donor_name[:255],
        donor_address=(donor_address or "").strip()[:255],
        donor_phone=(donor_phone or "").strip()[:15],
        kind=kind,
        note=(note or "").strip()[:255],
        recorded_by=_user(actor),
        **values,
    )
    audit(
        actor=actor,
        action=AuditAction.CREATE,
        obj=donation,
        summary=_("Tiếp nhận ủng hộ của %(donor)s, biên nhận số %(code)s: %(value)s")
        % {"donor": donation.donor_name, "code": donation.receipt_code, "value": fmt_dong(donation.value)},
        detail={"receiver": str(receiver.uid), "kind": kind, "amount": donation.amount},
    )
    return donation


@transaction.atomic
def support_give(
    *,
    actor: Any,
    giver: Organisation,
    given_on: date,
    recipient_name: str,
    unit: Unit,
    reason: str,
    kind: str,
    amount: Any = 0,
    donation: Donation | None = None,
    quantity: Any = 0,
    person: Person | None = None,
    household_size: int = 1,
) -> Support:
    """Give support from ``giver``'s pool: money (at most what it holds) or goods of one of its goods donations
    (at most what is left of it)."""
    _check_org(actor, giver)
    recipient_name = " ".join((recipient_name or "").split())
    if not recipient_name:
        raise ValidationFailed(_("Vui lòng nhập người, hộ nhận hỗ trợ."), field="recipient_name")
    reason = " ".join((reason or "").split())
    if not reason:
        raise ValidationFailed(_("Vui lòng nhập hoàn cảnh được hỗ trợ."), field="reason")
    if household_size < 1:
        raise ValidationFailed(_("Số nhân khẩu phải lớn hơn 0."), field="household_size")
    values: dict[str, Any] = {}
    if kind == GiftKind.MONEY:
        value = parse_dong(amount, field="amount")
        Organisation.objects.select_for_update().filter(pk=giver.pk).first()
        on_hand = money_received(giver) - money_given(giver)
        if value > on_hand:
            raise ValidationFailed(
                _("Không đủ tiền: khoản hỗ trợ %(amount)s vượt quá số tiền còn lại của quỹ (%(left)s).")
                % {"amount": fmt_dong(value), "left": fmt_dong(on_hand)},
                field="amount",
            )
        values["amount"] = value
    elif kind == GiftKind.GOODS:
        if donation is None:
            raise ValidationFailed(_("Chọn khoản ủng hộ hiện vật để trao."), field="donation")
        if donation.receiver_id != giver.pk or donation.kind != GiftKind.GOODS:
            raise ValidationFailed(_("Khoản ủng hộ này không phải hiện vật của đơn vị trao."), field="donation")
        wanted = _quantity(quantity)
        Donation.objects.select_for_update().filter(pk=donation.pk).first()
        left = goods_left(donation)
        if wanted > left:
            raise ValidationFailed(
                _("Không đủ hàng: còn %(left)s %(unit)s %(goods)s, không thể trao %(wanted)s.")
                % {
                    "left": f"{left.normalize():f}",
                    "unit": donation.goods_unit,
                    "goods": donation.goods,
                    "wanted": f"{wanted.normalize():f}",
                },
                field="quantity",
            )
        values.update(donation=donation, quantity=wanted)
    else:
        raise ValidationFailed(_("Hình thức hỗ trợ không hợp lệ."), field="kind")
    support = Support.objects.create(
        giver=giver,
        given_on=given_on,
        recipient_name=recipient_name[:255],
        person=person,
        unit=unit,
        household_size=household_size,
        reason=reason[:255],
        kind=kind,
        recorded_by=_user(actor),
        **values,
    )
    audit(
        actor=actor,
        action=AuditAction.CREATE,
        obj=support,
        summary=_("Trao hỗ trợ cho %(name)s") % {"name": support.recipient_name},
        detail={"giver": str(giver.uid), "kind": kind, "amount": support.amount, "quantity": str(support.quantity)},
    )
    return support


# --- Budget (E5) -------------------------------------------------------------------------------


def _budget(unit: Unit, year: int, *, lock: bool) -> Budget:
    budget, _created = Budget.objects.get_or_create(unit=unit, year=year)
    if lock:
        Budget.objects.select_for_update().filter(pk=budget.pk).first()
    return budget


def budget_totals(budget: Budget) -> tuple[int, int]:
    """(allocated, spent) in đồng."""
    allocated = BudgetAllocation.objects.filter(budget=budget).aggregate(s=Sum("amount"))["s"] or 0
    spent = BudgetSpending.objects.filter(budget=budget).aggregate(s=Sum("amount"))["s"] or 0
    return int(allocated), int(spent)


@transaction.atomic
def budget_allocate(
    *, actor: Any, unit: Unit, year: int, amount: Any, decision: str, allocated_on: date
) -> BudgetAllocation:
    _check_unit(actor, unit, BUDGET_ROLES)
    value = parse_dong(amount, field="amount")
    decision = " ".join((decision or "").split())
    if not decision:
        raise ValidationFailed(_("Vui lòng nhập quyết định hoặc nguồn kinh phí."), field="decision")
    if allocated_on.year != year:
        raise ValidationFailed(_("Ngày cấp phải thuộc năm ngân sách."), field="allocated_on")
    budget = _budget(unit, year, lock=True)
    allocation = BudgetAllocation.objects.create(
        budget=budget, allocated_on=allocated_on, amount=value, decision=decision[:255], recorded_by=_user(actor)
    )
    audit(
        actor=actor,
        action=AuditAction.CREATE,
        obj=allocation,
        summary=_("Cấp kinh phí phòng, chống dịch %(unit)s năm %(year)s: %(amount)s")
        % {"unit": unit.name, "year": year, "amount": fmt_dong(value)},
    )
    return allocation


@transaction.atomic
def budget_spend(
    *,
    actor: Any,
    unit: Unit,
    year: int,
    amount: Any,
    category: str,
    description: str,
    spent_on: date,
    voucher: str = "",
) -> BudgetSpending:
    """Record a spending line; refused when it exceeds what remains of the year's budget."""
    _check_unit(actor, unit, BUDGET_ROLES)
    value = parse_dong(amount, field="amount")
    if category not in SpendingCategory.values:
        raise ValidationFailed(_("Nội dung chi không hợp lệ."), field="category")
    description = " ".join((description or "").split())
    if not description:
        raise ValidationFailed(_("Vui lòng nhập diễn giải khoản chi."), field="description")
    if spent_on.year != year:
        raise ValidationFailed(_("Ngày chi phải thuộc năm ngân sách."), field="spent_on")
    budget = _budget(unit, year, lock=True)
    allocated, spent = budget_totals(budget)
    remaining = allocated - spent
    if value > remaining:
        raise ValidationFailed(
            _("Vượt dự toán: khoản chi %(amount)s lớn hơn kinh phí còn lại của %(unit)s năm %(year)s (%(left)s).")
            % {"amount": fmt_dong(value), "unit": unit.name, "year": year, "left": fmt_dong(remaining)},
            field="amount",
        )
    line = BudgetSpending.objects.create(
        budget=budget,
        spent_on=spent_on,
        category=category,
        description=description[:255],
        amount=value,
        voucher=(voucher or "").strip()[:40],
        recorded_by=_user(actor),
    )
    audit(
        actor=actor,
        action=AuditAction.CREATE,
        obj=line,
        summary=_("Chi kinh phí phòng, chống dịch %(unit)s: %(amount)s — %(what)s")
        % {"unit": unit.name, "amount": fmt_dong(value), "what": line.description},
    )
    return line
