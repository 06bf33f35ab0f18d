"""Cases API: list, register, retrieve (audited), transition, statistics; scope = 404 (C1, C2, C5, D4)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any

from rest_framework.test import APIClient

from phongdich.cases.models import Case, CaseStatus
from phongdich.core.models import AuditAction, AuditLog

from .conftest import make_person

BASE = "/api/v1/cases/"


def api(user: Any) -> APIClient:
    client = APIClient()
    client.force_authenticate(user)
    return client


def test_register_list_and_filter_C1_C5(tree: Any, cast: Any) -> None:
    person = make_person(tree.quan_trieu)
    client = api(cast.cuong)
    response = client.post(
        BASE,
        {"person": str(person.uid), "status": "suspected", "detected_in": "community", "reported_by": "police"},
        format="json",
    )
    assert response.status_code == 201, response.content
    assert response.json()["allowed_transitions"] == ["probable", "confirmed", "discarded"]
    assert response.json()["history"][0]["to_status"] == "suspected"
    listed = client.get(BASE, {"status": "suspected", "reported_by": "police"}).json()
    assert [c["person"]["uid"] for c in listed["results"]] == [str(person.uid)]
    assert client.get(BASE, {"status": "confirmed"}).json()["results"] == []
    assert client.get(BASE, {"status": "nope"}).status_code == 400
    assert api(cast.chi).get(BASE).json()["results"] == []


def test_register_errors_are_field_errors_C1(tree: Any, cast: Any) -> None:
    client = api(cast.cuong)
    outsider = make_person(tree.quang_vinh)
    response = client.post(BASE, {"person": str(outsider.uid), "status": "suspected", "detected_in": "community"})
    assert response.status_code == 400
    assert "person" in response.json()
    person = make_person(tree.quan_trieu)
    response = client.post(BASE, {"person": str(person.uid), "status": "confirmed", "detected_in": "community"})
    assert response.status_code == 400
    assert "Ca xác định cần có ngày xác định." in str(response.json())
    assert not Case.objects.exists()


def test_retrieve_is_audited_and_out_of_scope_is_404_D4(tree: Any, cast: Any, qt_case: Case) -> None:
    url = f"{BASE}{qt_case.uid}/"
    assert api(cast.chi).get(url).status_code == 404
    assert api(cast.chi).post(f"{url}transition/", {"to": "confirmed", "on_date": "2021-11-03"}).status_code == 404
    data = api(cast.dan).get(url).json()
    assert data["case_code"] == qt_case.case_code
    assert AuditLog.objects.filter(action=AuditAction.READ, actor=cast.dan, object_uid=str(qt_case.uid)).count() == 1


def test_transition_C1(tree: Any, cast: Any, qt_case: Case) -> None:
    url = f"{BASE}{qt_case.uid}/transition/"
    client = api(cast.cuong)
    refused = client.post(url, {"to": "died", "on_date": "2021-11-03"}, format="json")
    assert refused.status_code == 400
    assert "to" in refused.json()
    moved = client.post(url, {"to": "confirmed", "on_date": "2021-11-03", "note": "PCR"}, format="json")
    assert moved.status_code == 200
    assert moved.json()["status"] == CaseStatus.CONFIRMED
    assert moved.json()["confirmation_date"] == "2021-11-03"
    assert moved.json()["allowed_transitions"] == ["recovered", "died"]


def test_stats_C1_C2(tree: Any, cast: Any, confirmed_case: Callable[..., Case]) -> None:
    confirmed_case(tree.quan_trieu, date(2021, 11, 2), onset=date(2021, 11, 1))
    confirmed_case(tree.quang_vinh, date(2021, 11, 6), 16)
    data = api(cast.dan).get(f"{BASE}stats/", {"start": "2021-11-01", "end": "2021-11-06T15:00"}).json()
    assert data["total"] == 1
    assert data["sentence"].startswith("Tính từ ngày 01/11 đến 15h00 ngày 06/11/2021")
    assert [(d["unit"]["name"], d["count"]) for d in data["districts"]] == [("Thành phố Thái Nguyên", 1)]
    assert [(d["unit"]["code"], d["count"]) for d in data["communes"]] == [("05431", 1)]
    assert data["curve"][0] == {"date": "2021-11-01", "count": 1}
    assert len(data["curve"]) == 6
    status_rows = data["days_since_last_community_case"]
    assert [(r["unit"]["name"], r["last_case"]) for r in status_rows] == [("Thành phố Thái Nguyên", "2021-11-06")]
    bad = api(cast.dan).get(f"{BASE}stats/", {"start": "2021-11-06", "end": "2021-11-01"})
    assert bad.status_code == 400
    assert api(cast.dan).get(f"{BASE}stats/", {"unit": "xyz"}).status_code == 400
