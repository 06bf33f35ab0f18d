"""Donations and support (E4), the prevention budget (E5): receipts numbered per receiving body and year;
money in integer đồng; money received = given out + on hand per receiving body, allocated = spent + remaining
per budget, to the đồng, after any sequence of valid operations; overspending refused with a clear message
and nothing written."""

from __future__ import annotations

import itertools
from datetime import date
from decimal import Decimal
from typing import Any

import pytest
from django.db import transaction
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from phongdich.core.errors import ValidationFailed
from phongdich.geo.models import Level, UnitType
from phongdich.geo.services import unit_create
from phongdich.orgs.models import OrganisationKind
from phongdich.orgs.services import organisation_create
from phongdich.welfare.models import Budget, BudgetSpending, Donation, DonorKind, GiftKind, SpendingCategory, Support
from phongdich.welfare.selectors import BudgetRow, budget_rows, fund_balances
from phongdich.welfare.services import (
    budget_allocate,
    budget_spend,
    budget_totals,
    donation_record,
    goods_left,
    money_given,
    money_received,
    parse_dong,
    support_give,
)

pytestmark = pytest.mark.django_db

DAY = date(2021, 8, 10)


def give_money(giver: Any, unit: Any, amount: Any) -> Support:
    return support_give(
        actor=None,
        giver=giver,
        given_on=DAY,
        recipient_name="Hộ ông Nguyễn Văn A",
        unit=unit,
        reason="Hộ nghèo bị cách ly",
        kind=GiftKind.MONEY,
        amount=amount,
    )


def donate(receiver: Any, amount: Any, *, on: date = DAY, name: str = "Công ty TNHH Mẫu") -> Donation:
    return donation_record(
        actor=None,
        receiver=receiver,
        received_on=on,
        donor_kind=DonorKind.ENTERPRISE,
        donor_name=name,
        kind=GiftKind.MONEY,
        amount=amount,
    )


def test_receipts_are_numbered_per_receiving_body_and_year_E4(front: Any) -> None:
    a1 = donate(front.quan_trieu, 1_000_000)
    a2 = donate(front.quan_trieu, 2_000_000)
    b1 = donate(front.quang_vinh, 500_000)
    a3 = donate(front.quan_trieu, 700_000, on=date(2022, 1, 3))
    assert [a1.receipt_code, a2.receipt_code, b1.receipt_code, a3.receipt_code] == [
        "0001/2021",
        "0002/2021",
        "0001/2021",
        "0001/2022",
    ]


def test_money_is_whole_dong_and_the_receiver_is_the_fatherland_front_E4(front: Any, cast: Any) -> None:
    assert parse_dong("1.500.000", field="amount") == 1_500_000
    assert parse_dong(Decimal("250000"), field="amount") == 250_000
    for bad in (1.5, Decimal("10.5"), "12,5đ", -3, 0, True):
        with pytest.raises(ValidationFailed):
            parse_dong(bad, field="amount")
    with pytest.raises(ValidationFailed) as refused:
        donate(cast.enterprise, 1_000)
    assert "Mặt trận Tổ quốc" in str(refused.value.message)
    assert not Donation.objects.exists()


def test_support_beyond_the_pool_is_refused_with_a_clear_message_E4(front: Any, tree: Any) -> None:
    donate(front.quan_trieu, 3_000_000)
    donate(front.quang_vinh, 9_000_000)  # another body's money is not Quán Triều's
    give_money(front.quan_trieu, tree.xom1, 2_500_000)
    with pytest.raises(ValidationFailed) as refused:
        give_money(front.quan_trieu, tree.xom1, 500_001)
    assert str(refused.value.message) == (
        "Không đủ tiền: khoản hỗ trợ 500.001 đồng vượt quá số tiền còn lại của quỹ (500.000 đồng)."
    )
    give_money(front.quan_trieu, tree.xom1, 500_000)
    assert (money_received(front.quan_trieu), money_given(front.quan_trieu)) == (3_000_000, 3_000_000)

    rice = donation_record(
        actor=None,
        receiver=front.quan_trieu,
        received_on=DAY,
        donor_kind=DonorKind.INDIVIDUAL,
        donor_name="Bà Trần Thị B",
        kind=GiftKind.GOODS,
        goods="Gạo",
        quantity="500",
        goods_unit="kg",
        estimated_value=7_500_000,
    )
    support_give(
        actor=None,
        giver=front.quan_trieu,
        given_on=DAY,
        recipient_name="Hộ bà C",
        unit=tree.xom1,
        reason="Khu phong tỏa",
        kind=GiftKind.GOODS,
        donation=rice,
        quantity="20.5",
    )
    assert goods_left(rice) == Decimal("479.5")
    with pytest.raises(ValidationFailed) as no_rice:
        support_give(
            actor=None,
            giver=front.quan_trieu,
            given_on=DAY,
            recipient_name="Hộ ông D",
            unit=tree.xom1,
            reason="Khu phong tỏa",
            kind=GiftKind.GOODS,
            donation=rice,
            quantity="480",
        )
    assert "Không đủ hàng: còn 479.5 kg Gạo" in str(no_rice.value.message)
    with pytest.raises(ValidationFailed):  # Quang Vinh cannot hand out Quán Triều's rice
        support_give(
            actor=None,
            giver=front.quang_vinh,
            given_on=DAY,
            recipient_name="Hộ E",
            unit=tree.quang_vinh,
            reason="x",
            kind=GiftKind.GOODS,
            donation=rice,
            quantity="1",
        )
    assert fund_balances(user=None) == []  # anonymous: nothing in scope


def test_overspending_the_budget_is_refused_E5(tree: Any) -> None:
    budget_allocate(actor=None, unit=tree.city, year=2021, amount=100_000_000, decision="QĐ 1/UBND", allocated_on=DAY)
    budget_spend(
        actor=None,
        unit=tree.city,
        year=2021,
        amount=60_000_000,
        category=SpendingCategory.TESTING,
        description="Xét nghiệm",
        spent_on=DAY,
    )
    with pytest.raises(ValidationFailed) as refused:
        budget_spend(
            actor=None,
            unit=tree.city,
            year=2021,
            amount=40_000_001,
            category=SpendingCategory.SUPPLIES,
            description="Khẩu trang",
            spent_on=DAY,
        )
    assert str(refused.value.message) == (
        "Vượt dự toán: khoản chi 40.000.001 đồng lớn hơn kinh phí còn lại của Thành phố Thái Nguyên năm 2021 "
        "(40.000.000 đồng)."
    )
    assert BudgetSpending.objects.count() == 1
    with pytest.raises(ValidationFailed):  # another year's money is not this year's
        budget_spend(
            actor=None,
            unit=tree.city,
            year=2022,
            amount=1,
            category=SpendingCategory.OTHER,
            description="x",
            spent_on=date(2022, 1, 1),
        )


def test_scoped_books_and_permissions_E4_E5(front: Any, tree: Any, cast: Any) -> None:
    donate(front.quan_trieu, 1_000_000)
    donate(front.quang_vinh, 2_000_000)
    assert [(b.receiver.name, b.received) for b in fund_balances(user=cast.cuong)] == [
        ("Ủy ban MTTQ phường Quán Triều", 1_000_000)
    ]
    assert len(fund_balances(user=cast.dan)) == 3
    from django.core.exceptions import PermissionDenied

    with pytest.raises(PermissionDenied):
        donate_as(cast.cuong, front.quang_vinh)
    with pytest.raises(PermissionDenied):
        donate_as(cast.hoa, front.quan_trieu)  # a hamlet head keeps no books
    budget_allocate(actor=cast.dan, unit=tree.quan_trieu, year=2021, amount=5_000_000, decision="QĐ", allocated_on=DAY)
    with pytest.raises(PermissionDenied):
        budget_allocate(actor=cast.cuong, unit=tree.city, year=2021, amount=5, decision="QĐ", allocated_on=DAY)
    assert [r.remaining for r in budget_rows(user=cast.cuong)] == [5_000_000]
    assert budget_rows(user=cast.chi) == []


def donate_as(actor: Any, receiver: Any) -> Donation:
    return donation_record(
        actor=actor,
        receiver=receiver,
        received_on=DAY,
        donor_kind=DonorKind.INDIVIDUAL,
        donor_name="Ông X",
        kind=GiftKind.MONEY,
        amount=100_000,
    )


_counter = itertools.count(1)

amounts = st.integers(min_value=1, max_value=5_000_000_000)
operations = st.lists(
    st.one_of(
        st.tuples(st.just("donate"), st.integers(min_value=0, max_value=1), amounts),
        st.tuples(st.just("give"), st.integers(min_value=0, max_value=1), amounts),
        st.tuples(st.just("allocate"), st.just(0), amounts),
        st.tuples(st.just("spend"), st.just(0), amounts),
    ),
    max_size=12,
)


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(ops=operations)
def test_any_sequence_of_operations_keeps_the_books_balanced_E4_E5(tree: Any, ops: list[tuple[str, int, int]]) -> None:
    with transaction.atomic():
        n = next(_counter)
        bodies = [
            organisation_create(name=f"MTTQ thử {n}-{i}", kind=OrganisationKind.FATHERLAND_FRONT, unit=tree.quan_trieu)
            for i in range(2)
        ]
        unit = unit_create(
            tree="2021",
            code=f"99-{n}",
            name=f"Tổ thử {n}",
            level=Level.HAMLET,
            unit_type=UnitType.TO_DAN_PHO,
            parent=tree.quan_trieu,
        )
        received = [0, 0]
        given = [0, 0]
        allocated = spent = 0
        for op, which, amount in ops:
            if op == "donate":
                donate(bodies[which], amount)
                received[which] += amount
            elif op == "give":
                if amount > received[which] - given[which]:
                    with pytest.raises(ValidationFailed, match="Không đủ tiền"):
                        give_money(bodies[which], unit, amount)
                else:
                    give_money(bodies[which], unit, amount)
                    given[which] += amount
            elif op == "allocate":
                budget_allocate(actor=None, unit=unit, year=2021, amount=amount, decision="QĐ", allocated_on=DAY)
                allocated += amount
            else:
                kwargs = {"category": SpendingCategory.OTHER, "description": "Chi", "spent_on": DAY}
                if amount > allocated - spent:
                    with pytest.raises(ValidationFailed, match="Vượt dự toán"):
                        budget_spend(actor=None, unit=unit, year=2021, amount=amount, **kwargs)
                else:
                    budget_spend(actor=None, unit=unit, year=2021, amount=amount, **kwargs)
                    spent += amount
            for i, body in enumerate(bodies):
                on_hand = money_received(body) - money_given(body)
                assert money_received(body) == received[i]
                assert money_given(body) == given[i]
                assert money_received(body) == money_given(body) + on_hand
                assert on_hand >= 0
        rows = [r for r in budget_rows(user=None) if r.budget.unit_id == unit.pk]  # anonymous: nothing
        assert rows == []
        if allocated:
            budget = Budget.objects.get(unit=unit, year=2021)
            got_allocated, got_spent = budget_totals(budget)
            assert (got_allocated, got_spent) == (allocated, spent)
            remaining = BudgetRow(budget, got_allocated, got_spent).remaining
            assert remaining == allocated - spent
            assert remaining >= 0
        transaction.set_rollback(True)
