"""The demo's supplies step: stock for the province, every district and some communes, issued down the
chain, one commune below its threshold; idempotent (E6)."""

from __future__ import annotations

import io
from typing import Any

import pytest

from phongdich.core.models import User
from phongdich.demo import catalogue
from phongdich.demo.steps import Demo, run, step_units
from phongdich.demo.supplies import PROVINCE_RECEIPTS, step_supplies
from phongdich.geo.models import Level, Unit
from phongdich.supplies.models import Movement, SupplyItem, Threshold
from phongdich.supplies.selectors import low_stock
from phongdich.supplies.services import holder_for, stock_of


@pytest.mark.django_db
def test_demo_supplies_stock_down_the_chain_with_one_low_commune_E6(settings: Any) -> None:
    out = io.StringIO()
    demo = run(Demo(people=0, seed=2021, out=out, progress=None), [("units", step_units), ("supplies", step_supplies)])
    province = demo.unit("province")
    kits = SupplyItem.objects.get(code="test-rapid-antigen")
    districts = Unit.objects.filter(parent=province, level=Level.DISTRICT)
    assert all(stock_of(holder_for(unit=d), kits) > 0 for d in districts)
    issued = sum(
        m.quantity for m in Movement.objects.filter(holder=holder_for(unit=province), item=kits, kind="issued")
    )
    assert stock_of(holder_for(unit=province), kits) == PROVINCE_RECEIPTS["test-rapid-antigen"] + issued
    # Every ledger sums to zero or more, and every issue has its receipt.
    for movement in Movement.objects.filter(kind="issued"):
        assert movement.counterpart is not None
        assert movement.counterpart.quantity == -movement.quantity
    admin = User.objects.create_superuser(username="admin", password="x")
    below = low_stock(user=admin)
    assert [(t.holder.unit.code, t.item.code) for t in below if t.holder.unit] == [
        (catalogue.QUAN_TRIEU, "test-rapid-antigen")
    ]
    assert len(below) == 1
    assert Threshold.objects.filter(holder__unit__level=Level.COMMUNE).count() > 1
    assert "dưới mức tối thiểu" in out.getvalue()

    again = io.StringIO()
    count = Movement.objects.count()
    step_supplies(Demo(people=0, out=again, progress=None, province=province))
    assert "giữ nguyên" in again.getvalue()
    assert Movement.objects.count() == count
