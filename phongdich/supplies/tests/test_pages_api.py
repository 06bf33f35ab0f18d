"""Supplies pages and API: a holder's stock page, movement entry (and its refusals in Vietnamese), thresholds,
history, audited Excel exports, the scoped warning list, the catalogue (E6)."""

from __future__ import annotations

import io
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from openpyxl import load_workbook
from rest_framework.test import APIClient

from phongdich.core.models import AuditLog
from phongdich.supplies.models import Movement, SupplyItem
from phongdich.supplies.services import holder_for, movement_record, stock_of, threshold_set

pytestmark = pytest.mark.django_db


def login(client: Client, user: Any, cast: Any) -> Client:
    assert client.login(username=user.username, password=cast.password)
    return client


def test_stock_page_movements_threshold_history_and_exports_E6(client: Client, tree: Any, cast: Any) -> None:
    login(client, cast.dan, cast)
    page = reverse("supplies:holder", args=["u", tree.city.uid])
    assert "Test nhanh kháng nguyên SARS-CoV-2" in client.get(page).content.decode()
    movement = reverse("supplies:movement", args=["u", tree.city.uid])
    response = client.post(
        movement, {"kind": "received", "item": "test-rapid-antigen", "quantity": "200", "occurred_on": "2021-11-06"}
    )
    assert response.status_code == 302
    response = client.post(
        movement,
        {
            "kind": "issued",
            "item": "test-rapid-antigen",
            "quantity": "50",
            "occurred_on": "2021-11-06",
            "receiver_unit": str(tree.quan_trieu.uid),
        },
    )
    assert response.status_code == 302
    kits = SupplyItem.objects.get(code="test-rapid-antigen")
    assert stock_of(holder_for(unit=tree.city), kits) == 150
    assert stock_of(holder_for(unit=tree.quan_trieu), kits) == 50
    # Using more than there is: the page says so in Vietnamese and writes nothing.
    response = client.post(
        movement, {"kind": "used", "item": "test-rapid-antigen", "quantity": "151", "occurred_on": "2021-11-06"}
    )
    assert response.status_code == 200
    assert "Không đủ Test nhanh kháng nguyên SARS-CoV-2 trong kho: còn 150 test" in response.content.decode()
    assert Movement.objects.count() == 3  # the receipt, the issue and its mirrored receipt
    response = client.post(movement, {"kind": "used", "item": "no-such", "quantity": "x", "occurred_on": ""})
    assert response.status_code == 200
    assert Movement.objects.count() == 3

    threshold = reverse("supplies:threshold", args=["u", tree.city.uid])
    assert client.post(threshold, {"item": "test-rapid-antigen", "minimum": "500"}).status_code == 302
    body = client.get(page).content.decode()
    assert "dưới mức tối thiểu" in body
    overview = client.get(reverse("supplies:overview")).content.decode()
    assert 'id="low-stock"' in overview
    assert "Thành phố Thái Nguyên" in overview

    history = client.get(reverse("supplies:history", args=["u", tree.city.uid])).content.decode()
    assert "Phường Quán Triều" in history  # the issue names its receiver

    export = client.get(reverse("supplies:export", args=["u", tree.city.uid]))
    rows = list(load_workbook(io.BytesIO(export.content)).active.iter_rows(values_only=True))
    kit_row = next(r for r in rows if r[0] == "Test nhanh kháng nguyên SARS-CoV-2")
    assert kit_row[2:4] == (150, 500)
    history_export = client.get(reverse("supplies:history-export", args=["u", tree.city.uid]))
    assert len(list(load_workbook(io.BytesIO(history_export.content)).active.iter_rows())) == 1 + 2
    low = client.get(reverse("supplies:low-export"))
    assert len(list(load_workbook(io.BytesIO(low.content)).active.iter_rows())) == 1 + 1
    assert AuditLog.objects.filter(action="export", actor=cast.dan).count() == 3


def test_pages_are_scoped_E6(client: Client, tree: Any, cast: Any) -> None:
    login(client, cast.cuong, cast)
    assert client.get(reverse("supplies:holder", args=["u", tree.quan_trieu.uid])).status_code == 200
    assert client.get(reverse("supplies:holder", args=["u", tree.quang_vinh.uid])).status_code == 404
    assert client.get(reverse("supplies:holder", args=["x", tree.quan_trieu.uid])).status_code == 404
    response = client.post(
        reverse("supplies:movement", args=["u", tree.quang_vinh.uid]),
        {"kind": "received", "item": "mask-medical", "quantity": "1", "occurred_on": "2021-11-06"},
    )
    assert response.status_code == 404
    login(client, cast.oanh, cast)
    assert client.get(reverse("supplies:holder", args=["o", cast.enterprise.uid])).status_code == 200
    assert client.get(reverse("supplies:holder", args=["u", tree.dac_son.uid])).status_code == 404
    assert "Khẩu trang y tế" in client.get(reverse("supplies:catalogue")).content.decode()
    chooser = client.get(reverse("supplies:open"), {"target": f"o:{cast.enterprise.uid}"})
    assert chooser["Location"] == reverse("supplies:holder", args=["o", cast.enterprise.uid])


def api(user: Any) -> APIClient:
    client = APIClient()
    client.force_authenticate(user)
    return client


def test_api_items_stock_movements_and_low_stock_E6(tree: Any, cast: Any) -> None:
    client = api(cast.dan)
    items = client.get(reverse("api:supplies-items")).json()
    assert any(i["code"] == "oxygen-concentrator" and i["unit_of_measure"] == "máy" for i in items)
    ok = client.post(
        reverse("api:supplies-movements"),
        {"unit": str(tree.city.uid), "item": "mask-medical", "kind": "received", "quantity": 1000},
        format="json",
    )
    assert ok.status_code == 201, ok.content
    issue = client.post(
        reverse("api:supplies-movements"),
        {
            "unit": str(tree.city.uid),
            "item": "mask-medical",
            "kind": "issued",
            "quantity": 400,
            "receiver_organisation": str(cast.enterprise.uid),
        },
        format="json",
    )
    assert issue.status_code == 201, issue.content
    too_many = client.post(
        reverse("api:supplies-movements"),
        {"unit": str(tree.city.uid), "item": "mask-medical", "kind": "used", "quantity": 601},
        format="json",
    )
    assert too_many.status_code == 400
    assert "còn 600 cái" in too_many.content.decode()
    stock = client.get(reverse("api:supplies-stock"), {"unit": str(tree.city.uid)}).json()
    assert next(r for r in stock if r["item"] == "mask-medical")["remaining"] == 600
    org_stock = api(cast.oanh).get(reverse("api:supplies-stock"), {"organisation": str(cast.enterprise.uid)}).json()
    assert next(r for r in org_stock if r["item"] == "mask-medical")["remaining"] == 400
    outside = client.get(reverse("api:supplies-stock"), {"unit": str(tree.pho_yen.uid)})
    assert outside.status_code == 400
    threshold_set(
        actor=None, holder=holder_for(unit=tree.quan_trieu), item=SupplyItem.objects.get(code="ppe-suit"), minimum=20
    )
    threshold_set(
        actor=None, holder=holder_for(unit=tree.dac_son), item=SupplyItem.objects.get(code="ppe-suit"), minimum=20
    )
    low = client.get(reverse("api:supplies-low-stock")).json()
    assert [(r["holder"], r["item"], r["remaining"]) for r in low] == [("Phường Quán Triều", "ppe-suit", 0)]
    movement_record(
        actor=None,
        holder=holder_for(unit=tree.quan_trieu),
        item=SupplyItem.objects.get(code="ppe-suit"),
        kind="received",
        quantity=20,
    )
    assert client.get(reverse("api:supplies-low-stock")).json() == []


def test_catalogue_is_edited_in_the_admin_and_the_ledger_is_read_only_E6(client: Client, tree: Any, cast: Any) -> None:
    from phongdich.core.models import User

    User.objects.create_superuser(username="root", password=cast.password)
    assert client.login(username="root", password=cast.password)
    movement_record(
        actor=None,
        holder=holder_for(unit=tree.city),
        item=SupplyItem.objects.get(code="gloves"),
        kind="received",
        quantity=3,
    )
    assert client.get(reverse("admin:supplies_supplyitem_changelist")).status_code == 200
    assert client.get(reverse("admin:supplies_supplyitem_add")).status_code == 200
    assert client.get(reverse("admin:supplies_movement_changelist")).status_code == 200
    assert client.get(reverse("admin:supplies_movement_add")).status_code == 403
    assert client.get(reverse("admin:screening_campaign_changelist")).status_code == 200
