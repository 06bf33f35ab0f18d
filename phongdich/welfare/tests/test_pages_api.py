"""Pages and API of donations, support and budgets (E4, E5): forms store through the services, refusals come
back as Vietnamese messages with nothing stored, receipts print, lists are scoped and their exports
audited; the API speaks integer đồng and refuses overspending with a 400."""

from __future__ import annotations

import io
from datetime import date
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from openpyxl import load_workbook
from rest_framework.test import APIClient

from phongdich.core.models import AuditAction, AuditLog
from phongdich.welfare.models import BudgetSpending, Donation, GiftKind, Support
from phongdich.welfare.services import budget_allocate, donation_record

pytestmark = pytest.mark.django_db


def test_donation_form_receipt_support_and_funds_pages_E4(client: Client, cast: Any, tree: Any, front: Any) -> None:
    client.force_login(cast.cuong)
    response = client.post(
        reverse("welfare:donation-create"),
        {
            "receiver": str(front.quan_trieu.uid),
            "received_on": "2021-08-10",
            "donor_kind": "enterprise",
            "donor_name": "Công ty CP Gang thép",
            "kind": "money",
            "amount": "50.000.000",
        },
    )
    donation = Donation.objects.get()
    assert response.status_code == 302
    assert donation.amount == 50_000_000
    receipt = client.get(reverse("welfare:receipt", args=[donation.uid]))
    html = receipt.content.decode()
    assert "0001/2021" in html
    assert "50.000.000 đồng" in html
    assert AuditLog.objects.filter(action=AuditAction.READ, object_uid=str(donation.uid)).exists()
    bad = client.post(
        reverse("welfare:donation-create"),
        {
            "receiver": str(front.quan_trieu.uid),
            "received_on": "2021-08-10",
            "donor_kind": "individual",
            "donor_name": "Ông A",
            "kind": "money",
            "amount": "12,5",
        },
    )
    assert bad.status_code == 200
    assert "Số tiền phải là số nguyên đồng." in bad.content.decode()
    assert Donation.objects.count() == 1
    over = client.post(
        reverse("welfare:support-create"),
        {
            "giver": str(front.quan_trieu.uid),
            "given_on": "2021-08-11",
            "recipient_name": "Hộ bà Lan",
            "unit": str(tree.xom1.uid),
            "household_size": "4",
            "reason": "Hộ nghèo trong khu phong tỏa",
            "kind": "money",
            "amount": "50000001",
        },
    )
    assert over.status_code == 200
    assert "vượt quá số tiền còn lại của quỹ (50.000.000 đồng)" in over.content.decode()
    assert not Support.objects.exists()
    ok = client.post(
        reverse("welfare:support-create"),
        {
            "giver": str(front.quan_trieu.uid),
            "given_on": "2021-08-11",
            "recipient_name": "Hộ bà Lan",
            "unit": str(tree.xom1.uid),
            "household_size": "4",
            "reason": "Hộ nghèo trong khu phong tỏa",
            "kind": "money",
            "amount": "2000000",
        },
    )
    assert ok.status_code == 302
    funds = client.get(reverse("welfare:funds")).content.decode()
    assert "48.000.000 đồng" in funds
    # Quang Vinh's officer sees neither Quán Triều's books nor its receipt.
    client.force_login(cast.chi)
    assert "Quán Triều" not in client.get(reverse("welfare:funds")).content.decode()
    assert client.get(reverse("welfare:receipt", args=[donation.uid])).status_code == 404
    export = client.get(reverse("welfare:donations-export"))
    assert list(load_workbook(io.BytesIO(export.content)).active.iter_rows(min_row=2, values_only=True)) == []
    assert AuditLog.objects.get(action=AuditAction.EXPORT, actor=cast.chi).detail["rows"] == 0


def test_budget_pages_refuse_overspending_and_export_E5(client: Client, cast: Any, tree: Any) -> None:
    client.force_login(cast.dan)
    created = client.post(
        reverse("welfare:allocation-create"),
        {
            "unit": str(tree.city.uid),
            "year": "2021",
            "allocated_on": "2021-03-01",
            "amount": "1.000.000.000",
            "decision": "QĐ 123/QĐ-UBND",
        },
    )
    assert created.status_code == 302
    url = created["Location"]
    spent = client.post(
        url,
        {"spent_on": "2021-04-01", "category": "testing", "description": "Sinh phẩm PCR", "amount": "400.000.000"},
    )
    assert spent.status_code == 302
    over = client.post(
        url, {"spent_on": "2021-04-02", "category": "supplies", "description": "Máy thở", "amount": "600000001"}
    )
    assert over.status_code == 200
    assert "Vượt dự toán" in over.content.decode()
    assert BudgetSpending.objects.count() == 1
    page = client.get(reverse("welfare:budgets") + "?year=2021").content.decode()
    assert "600.000.000 đồng" in page
    export = client.get(reverse("welfare:budgets-export") + "?year=2021")
    got = list(load_workbook(io.BytesIO(export.content)).active.iter_rows(min_row=2, values_only=True))
    assert got == [("Thành phố Thái Nguyên", 2021, 1_000_000_000, 400_000_000, 600_000_000)]
    client.force_login(cast.hoa)  # a hamlet head neither sees the city's budget nor spends it
    assert client.get(url).status_code == 404


def test_api_donations_support_and_spending_in_dong_E4_E5(cast: Any, tree: Any, front: Any) -> None:
    api = APIClient()
    api.force_authenticate(cast.cuong)
    created = api.post(
        "/api/v1/welfare/donations/",
        {
            "receiver": str(front.quan_trieu.uid),
            "received_on": "2021-08-10",
            "donor_kind": "individual",
            "donor_name": "Bà Nguyễn Thị Hảo",
            "kind": "money",
            "amount": 3_000_000,
        },
        format="json",
    )
    assert created.status_code == 201
    assert created.json()["receipt"] == "0001/2021"
    floaty = api.post(
        "/api/v1/welfare/donations/",
        {
            "receiver": str(front.quan_trieu.uid),
            "received_on": "2021-08-10",
            "donor_kind": "individual",
            "donor_name": "X",
            "kind": "money",
            "amount": 10.5,
        },
        format="json",
    )
    assert floaty.status_code == 400
    support = {
        "giver": str(front.quan_trieu.uid),
        "given_on": "2021-08-12",
        "recipient_name": "Hộ ông Tư",
        "unit": str(tree.xom1.uid),
        "reason": "F0 điều trị tại nhà",
        "kind": GiftKind.MONEY,
        "amount": 3_000_001,
    }
    refused = api.post("/api/v1/welfare/support/", support, format="json")
    assert refused.status_code == 400
    assert "Không đủ tiền" in refused.json()["amount"][0]
    assert api.post("/api/v1/welfare/support/", {**support, "amount": 1_000_000}, format="json").status_code == 201
    funds = api.get("/api/v1/welfare/funds/").json()
    assert [(f["received"], f["given"], f["on_hand"]) for f in funds] == [(3_000_000, 1_000_000, 2_000_000)]
    listing = api.get("/api/v1/welfare/donations/").json()
    assert [d["amount"] for d in listing["results"]] == [3_000_000]

    budget_allocate(
        actor=None, unit=tree.quan_trieu, year=2021, amount=10_000_000, decision="QĐ", allocated_on=date(2021, 1, 5)
    )
    line = {
        "unit": str(tree.quan_trieu.uid),
        "year": 2021,
        "spent_on": "2021-06-01",
        "category": "allowances",
        "description": "Bồi dưỡng tổ COVID cộng đồng",
        "amount": 4_000_000,
    }
    ok = api.post("/api/v1/welfare/budgets/spending/", line, format="json")
    assert ok.status_code == 201
    assert ok.json()["remaining"] == 6_000_000
    over = api.post("/api/v1/welfare/budgets/spending/", {**line, "amount": 6_000_001}, format="json")
    assert over.status_code == 400
    assert "Vượt dự toán" in over.json()["amount"][0]
    elsewhere = api.post("/api/v1/welfare/budgets/spending/", {**line, "unit": str(tree.quang_vinh.uid)}, format="json")
    assert elsewhere.status_code == 403
    assert api.get("/api/v1/welfare/budgets/?year=2021").json()[0]["spent"] == 4_000_000


def test_receipt_for_goods_and_donation_list_paging_E4(client: Client, cast: Any, front: Any) -> None:
    for n in range(3):
        donation_record(
            actor=None,
            receiver=front.quan_trieu,
            received_on=date(2021, 8, 1 + n),
            donor_kind="organisation",
            donor_name=f"Hội Chữ thập đỏ {n}",
            kind=GiftKind.GOODS,
            goods="Khẩu trang y tế",
            quantity="1000",
            goods_unit="chiếc",
            estimated_value=1_500_000,
        )
    client.force_login(cast.cuong)
    page = client.get(reverse("welfare:donations"))
    assert page.status_code == 200
    assert page.content.decode().count("Khẩu trang y tế") == 3
    receipt = client.get(reverse("welfare:receipt", args=[Donation.objects.order_by("id").first().uid]))  # type: ignore[union-attr]
    assert "1000 chiếc Khẩu trang y tế" in receipt.content.decode()


def test_every_welfare_page_renders_for_an_officer_E1_E3_E4_E5(
    client: Client, cast: Any, tree: Any, front: Any
) -> None:
    from phongdich.welfare.services import election_create

    election = election_create(actor=None, name="Bầu cử", polling_day=date(2021, 5, 23), unit=tree.province)
    donation = donation_record(
        actor=None,
        receiver=front.city,
        received_on=date(2021, 8, 1),
        donor_kind="enterprise",
        donor_name="Công ty A",
        kind=GiftKind.MONEY,
        amount=1_000_000,
    )
    allocation = budget_allocate(
        actor=None, unit=tree.city, year=2021, amount=5_000_000, decision="QĐ", allocated_on=date(2021, 1, 5)
    )
    client.force_login(cast.dan)
    for name, args in [
        ("welfare:elections", []),
        ("welfare:election-create", []),
        ("welfare:election", [election.uid]),
        ("welfare:area-create", [election.uid]),
        ("welfare:voters", [election.uid]),
        ("welfare:event-check", []),
        ("welfare:donations", []),
        ("welfare:donation-create", []),
        ("welfare:receipt", [donation.uid]),
        ("welfare:support", []),
        ("welfare:support-create", []),
        ("welfare:funds", []),
        ("welfare:budgets", []),
        ("welfare:allocation-create", []),
        ("welfare:budget", [allocation.budget.uid]),
    ]:
        response = client.get(reverse(name, args=args))
        assert response.status_code == 200, name
    for name in ("welfare:support-export", "welfare:funds-export"):
        assert client.get(reverse(name)).status_code == 200
