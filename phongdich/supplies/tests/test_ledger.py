"""The stock ledger's rules, table-driven (E6): what each movement does to the holder's stock, the issue's
mirrored receipt, never below zero, adjustments with a reason, scope, thresholds and the warning list."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied
from django.utils import timezone

from phongdich.core.errors import ValidationFailed
from phongdich.core.models import AuditLog
from phongdich.supplies.models import Movement, MovementKind, SupplyItem
from phongdich.supplies.selectors import low_stock, stock_rows, visible_holders
from phongdich.supplies.services import holder_for, movement_record, stock_of, threshold_set

pytestmark = pytest.mark.django_db


@pytest.fixture
def kits(db: Any) -> SupplyItem:
    return SupplyItem.objects.get(code="test-rapid-antigen")


def test_catalogue_is_seeded_as_data_E6(db: Any) -> None:
    codes = set(SupplyItem.objects.values_list("code", flat=True))
    assert {"test-rapid-antigen", "test-pcr-kit", "mask-medical", "ppe-suit", "hand-sanitiser"} <= codes
    assert {"oxygen-cylinder", "oxygen-concentrator"} <= codes
    assert all(SupplyItem.objects.values_list("unit_of_measure", flat=True))


# (starting stock, kind, quantity, reason) → stock after, or the error's field and message fragment.
CASES = [
    (0, MovementKind.RECEIVED, 500, "", 500, None),
    (100, MovementKind.USED, 40, "", 60, None),
    (100, MovementKind.USED, 100, "", 0, None),
    (100, MovementKind.USED, 101, "", None, ("quantity", "còn 100 test, cần 101 test")),
    (0, MovementKind.USED, 1, "", None, ("quantity", "còn 0 test")),
    (100, MovementKind.ADJUSTMENT, -30, "Kiểm kê: hỏng 30 test", 70, None),
    (100, MovementKind.ADJUSTMENT, 5, "Kiểm kê: thừa", 105, None),
    (100, MovementKind.ADJUSTMENT, -101, "Hết hạn", None, ("quantity", "Không đủ")),
    (100, MovementKind.ADJUSTMENT, -10, "", None, ("reason", "lý do")),
    (100, MovementKind.ADJUSTMENT, 0, "x", None, ("quantity", "khác 0")),
    (100, MovementKind.RECEIVED, 0, "", None, ("quantity", "lớn hơn 0")),
    (100, MovementKind.RECEIVED, -5, "", None, ("quantity", "lớn hơn 0")),
    (100, MovementKind.USED, -5, "", None, ("quantity", "lớn hơn 0")),
    (100, "stolen", 5, "", None, ("kind", "không hợp lệ")),
]


@pytest.mark.parametrize(("start", "kind", "quantity", "reason", "after", "error"), CASES)
def test_movement_rules_table_E6(
    tree: Any, cast: Any, kits: SupplyItem, start: int, kind: str, quantity: int, reason: str, after: Any, error: Any
) -> None:
    holder = holder_for(unit=tree.city)
    if start:
        movement_record(actor=cast.alice, holder=holder, item=kits, kind=MovementKind.RECEIVED, quantity=start)
    lines = Movement.objects.count()
    if error is None:
        movement_record(actor=cast.dan, holder=holder, item=kits, kind=kind, quantity=quantity, reason=reason)
        assert stock_of(holder, kits) == after
        assert Movement.objects.count() == lines + 1
    else:
        field, fragment = error
        with pytest.raises(ValidationFailed) as exc:
            movement_record(actor=cast.dan, holder=holder, item=kits, kind=kind, quantity=quantity, reason=reason)
        assert exc.value.field == field
        assert fragment in str(exc.value.message)
        assert stock_of(holder, kits) == start  # nothing written
        assert Movement.objects.count() == lines


def test_an_issue_writes_the_receivers_receipt_in_the_same_breath_E6(tree: Any, cast: Any, kits: SupplyItem) -> None:
    province = holder_for(unit=tree.province)
    city = holder_for(unit=tree.city)
    movement_record(actor=cast.alice, holder=province, item=kits, kind=MovementKind.RECEIVED, quantity=1000)
    issue = movement_record(
        actor=cast.alice, holder=province, item=kits, kind=MovementKind.ISSUED, quantity=300, receiver=city
    )
    assert (stock_of(province, kits), stock_of(city, kits)) == (700, 300)
    receipt = Movement.objects.get(holder=city)
    assert receipt.kind == MovementKind.RECEIVED
    assert receipt.quantity == 300
    assert receipt.other_holder == province
    assert issue.counterpart == receipt
    assert receipt.counterpart == issue
    assert AuditLog.objects.filter(object_uid=str(issue.uid), action="create").exists()
    # An issue beyond the stock writes neither side.
    with pytest.raises(ValidationFailed, match="còn 700"):
        movement_record(
            actor=cast.alice, holder=province, item=kits, kind=MovementKind.ISSUED, quantity=701, receiver=city
        )
    assert (stock_of(province, kits), stock_of(city, kits)) == (700, 300)


@pytest.mark.parametrize(
    ("receiver_key", "field"),
    [(None, "receiver"), ("self", "receiver")],
)
def test_an_issue_needs_another_receiver_E6(
    tree: Any, cast: Any, kits: SupplyItem, receiver_key: Any, field: str
) -> None:
    holder = holder_for(unit=tree.city)
    movement_record(actor=cast.dan, holder=holder, item=kits, kind=MovementKind.RECEIVED, quantity=10)
    receiver = holder if receiver_key == "self" else None
    with pytest.raises(ValidationFailed) as exc:
        movement_record(
            actor=cast.dan, holder=holder, item=kits, kind=MovementKind.ISSUED, quantity=1, receiver=receiver
        )
    assert exc.value.field == field


def test_future_dates_and_retired_items_are_refused_E6(tree: Any, cast: Any, kits: SupplyItem) -> None:
    holder = holder_for(unit=tree.city)
    with pytest.raises(ValidationFailed, match="tương lai"):
        movement_record(
            actor=cast.dan,
            holder=holder,
            item=kits,
            kind=MovementKind.RECEIVED,
            quantity=1,
            occurred_on=timezone.localdate() + timedelta(days=1),
        )
    kits.is_active = False
    kits.save()
    with pytest.raises(ValidationFailed, match="không còn"):
        movement_record(actor=cast.dan, holder=holder, item=kits, kind=MovementKind.RECEIVED, quantity=1)


@pytest.mark.parametrize(
    ("user", "holder_key", "allowed"),
    [
        ("alice", "province", True),
        ("dan", "city", True),
        ("dan", "quan_trieu", True),
        ("dan", "province", False),
        ("dan", "pho_yen", False),
        ("cuong", "quan_trieu", True),
        ("cuong", "quang_vinh", False),
        ("oanh", "enterprise", True),
        ("oanh", "dac_son", False),
    ],
)
def test_writes_need_the_holder_in_scope_E6(
    tree: Any, cast: Any, kits: SupplyItem, user: str, holder_key: str, allowed: bool
) -> None:
    holder = (
        holder_for(organisation=cast.enterprise)
        if holder_key == "enterprise"
        else holder_for(unit=getattr(tree, holder_key))
    )
    actor = getattr(cast, user)
    if allowed:
        movement_record(actor=actor, holder=holder, item=kits, kind=MovementKind.RECEIVED, quantity=5)
        assert stock_of(holder, kits) == 5
        assert visible_holders(actor).filter(pk=holder.pk).exists()
    else:
        with pytest.raises(PermissionDenied):
            movement_record(actor=actor, holder=holder, item=kits, kind=MovementKind.RECEIVED, quantity=5)
        assert stock_of(holder, kits) == 0


# (stock, minimum) → on the warning list?
THRESHOLDS = [(10, 20, True), (20, 20, False), (0, 1, True), (0, 0, False), (50, None, False)]


@pytest.mark.parametrize(("stock", "minimum", "low"), THRESHOLDS)
def test_low_stock_threshold_table_E6(
    tree: Any, cast: Any, kits: SupplyItem, stock: int, minimum: Any, low: bool
) -> None:
    holder = holder_for(unit=tree.quan_trieu)
    if stock:
        movement_record(actor=cast.alice, holder=holder, item=kits, kind=MovementKind.RECEIVED, quantity=stock)
    if minimum is not None:
        threshold_set(actor=cast.cuong, holder=holder, item=kits, minimum=minimum)
    assert [t.holder_id for t in low_stock(user=cast.alice)] == ([holder.pk] if low else [])
    row = next((r for r in stock_rows(holder, all_items=True) if r.item == kits), None)
    assert row is not None
    assert row.remaining == stock
    assert row.low is low


def test_the_warning_list_is_scoped_district_sees_its_communes_E6(tree: Any, cast: Any, kits: SupplyItem) -> None:
    for unit in (tree.quan_trieu, tree.quang_vinh, tree.dac_son, tree.city):
        threshold_set(actor=cast.alice, holder=holder_for(unit=unit), item=kits, minimum=10)
    names = lambda user: {t.holder.name for t in low_stock(user=user)}  # noqa: E731
    assert names(cast.alice) == {"Phường Quán Triều", "Phường Quang Vinh", "Xã Đắc Sơn", "Thành phố Thái Nguyên"}
    assert names(cast.dan) == {"Phường Quán Triều", "Phường Quang Vinh", "Thành phố Thái Nguyên"}
    assert names(cast.cuong) == {"Phường Quán Triều"}
    assert names(cast.oanh) == set()
    with pytest.raises(ValidationFailed, match="không âm"):
        threshold_set(actor=cast.alice, holder=holder_for(unit=tree.city), item=kits, minimum=-1)
    threshold_set(actor=cast.alice, holder=holder_for(unit=tree.city), item=kits, minimum=None)
    assert names(cast.dan) == {"Phường Quán Triều", "Phường Quang Vinh"}
