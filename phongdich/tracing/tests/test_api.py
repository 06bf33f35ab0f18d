"""Tracing API (C4): contacts list/create (scoped, keyset, Vietnamese field errors), chains, a chain's graph
page, a person's levels (an audited read); out of scope = 404."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any

from rest_framework.test import APIClient

from phongdich.core.models import AuditAction, AuditLog
from phongdich.tracing.models import ChainSnapshot, Contact, ExposureType
from phongdich.tracing.services import contact_record, tracing_refresh

from .conftest import make_person

BASE = "/api/v1/tracing/"


def api(user: Any) -> APIClient:
    client = APIClient()
    client.force_authenticate(user)
    return client


def test_contacts_create_and_list_keyset_C4(
    cast: Any, chain: dict[str, Any], django_capture_on_commit_callbacks: Any
) -> None:
    client = api(cast.cuong)
    new = make_person(chain["x"].residence_unit)
    body = {
        "source": str(chain["x"].uid),
        "contact": str(new.uid),
        "exposure_type": "shift",
        "first_exposure": "2021-11-08",
        "last_exposure": "2021-11-09",
    }
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(f"{BASE}contacts/", body, format="json")
    assert response.status_code == 201, response.content
    data = response.json()
    assert data["contact"]["uid"] == str(new.uid)
    listed = client.get(f"{BASE}contacts/", {"level": "1", "limit": 1}).json()
    assert len(listed["results"]) == 1
    assert listed["next"]
    second = client.get(listed["next"]).json()
    uids = {listed["results"][0]["contact"]["uid"], second["results"][0]["contact"]["uid"]}
    assert uids == {str(new.uid), str(chain["a"].uid)}
    assert second["results"][0]["contact_level"]["label"] == "F1"
    assert client.get(f"{BASE}contacts/", {"level": "9"}).status_code == 400
    assert client.get(f"{BASE}contacts/", {"index_case": "TN-1999-9999"}).status_code == 400
    assert api(cast.chi).get(f"{BASE}contacts/", {"level": "1"}).json()["results"] == []


def test_contacts_create_bad_input_field_errors_nothing_stored_C4(cast: Any, chain: dict[str, Any]) -> None:
    client = api(cast.cuong)
    before = Contact.objects.count()
    x = str(chain["x"].uid)
    base = {"source": x, "exposure_type": "meal", "first_exposure": "2021-11-08"}
    response = client.post(f"{BASE}contacts/", {**base, "contact": x}, format="json")
    assert response.status_code == 400
    assert "Một người không thể là người tiếp xúc của chính mình." in str(response.json())
    unknown = "00000000-0000-0000-0000-000000000001"
    response = client.post(f"{BASE}contacts/", {**base, "contact": unknown}, format="json")
    assert response.status_code == 400
    assert "contact" in response.json()
    other = str(make_person(chain["x"].residence_unit).uid)
    response = client.post(f"{BASE}contacts/", {**base, "contact": other, "last_exposure": "2021-11-01"}, format="json")
    assert response.status_code == 400
    assert "Ngày tiếp xúc đầu tiên không được sau ngày tiếp xúc cuối cùng." in str(response.json())
    response = client.post(f"{BASE}contacts/", {**base, "contact": str(chain["c"].uid)}, format="json")
    assert response.status_code == 400  # C lives in Quang Vinh: out of cuong's scope
    assert Contact.objects.count() == before


def test_chain_graph_pages_and_scope_C4(
    cast: Any, chain: dict[str, Any], tree: Any, run_commits: Callable[..., Any]
) -> None:
    x = chain["x"]
    for i in range(5):
        leaf = make_person(tree.quan_trieu, f"Lá Văn {i}")
        run_commits(
            lambda leaf=leaf: contact_record(
                actor=None,
                source=chain["b"],
                contact=leaf,
                exposure_type=ExposureType.HOUSEHOLD,
                first_exposure=date(2021, 11, 10),
            )
        )
    snapshot = ChainSnapshot.objects.get()
    url = f"{BASE}chains/{snapshot.uid}/graph/"
    client = api(cast.dan)
    data = client.get(url, {"limit": 3}).json()
    assert [n["gen"] for n in data["nodes"]] == [0, 1, 1]
    assert data["nodes"][0]["id"] == str(x.uid)
    assert data["nodes"][0]["code"] == chain["case"].case_code
    assert data["next"] == "1-1"
    pairs = {(e["from"], e["to"]) for e in data["edges"]}
    assert pairs == {(str(x.uid), str(chain["a"].uid)), (str(x.uid), str(chain["c"].uid))}
    assert {n["parent"] for n in data["nodes"][1:]} == {str(x.uid)}
    rest = client.get(url, {"limit": 500, "after": data["next"]}).json()
    assert len(rest["nodes"]) == snapshot.size - 3
    assert rest["next"] is None
    # Generations 0..1 only; F2 leaves folded; a search by code.
    assert {n["gen"] for n in client.get(url, {"generations": 1}).json()["nodes"]} == {0, 1}
    folded = client.get(url, {"hide_leaves": "1"}).json()["nodes"]
    assert str(chain["b"].uid) in {n["id"] for n in folded}
    assert len(folded) == 4
    found = client.get(url, {"q": chain["case"].case_code}).json()["nodes"]
    assert [n["id"] for n in found] == [str(x.uid)]
    # chi sees the chain (C lives in Quang Vinh) but only C's name.
    nodes = api(cast.chi).get(url).json()["nodes"]
    named = {n["id"] for n in nodes if n["name"]}
    assert named == {str(chain["c"].uid)}
    # The chains list.
    chains = client.get(f"{BASE}chains/", {"with_case": "1"}).json()["results"]
    assert [c["uid"] for c in chains] == [str(snapshot.uid)]
    assert chains[0]["size"] == snapshot.size


def test_chain_graph_out_of_scope_404_C4(cast: Any, chain: dict[str, Any], tree: Any) -> None:
    from phongdich.core.models import User
    from phongdich.orgs.models import Role
    from phongdich.orgs.services import role_assign

    son = User.objects.create_user(username="son", password="x")
    role_assign(user=son, role=Role.COMMUNE_OFFICER, unit=tree.dac_son)
    snapshot = ChainSnapshot.objects.get()
    assert api(son).get(f"{BASE}chains/{snapshot.uid}/graph/").status_code == 404
    assert api(son).get(f"{BASE}chains/").json()["results"] == []


def test_person_levels_audited_read_C4(cast: Any, chain: dict[str, Any]) -> None:
    b = chain["b"]
    data = api(cast.cuong).get(f"{BASE}people/{b.uid}/").json()
    assert data["level"]["level"] == 2
    assert data["level"]["label"] == "F2"
    assert data["level"]["index_case"] == chain["case"].case_code
    assert data["level"]["via"] == str(chain["a"].uid)
    assert data["in_quarantine"] is False
    assert [s["source"]["uid"] for s in data["sources"]] == [str(chain["a"].uid)]
    assert AuditLog.objects.filter(actor=cast.cuong, action=AuditAction.READ, object_uid=str(b.uid)).exists()
    assert api(cast.chi).get(f"{BASE}people/{b.uid}/").status_code == 404


def test_chain_graph_query_count_does_not_grow_with_the_chain_C4(cast: Any, chain: dict[str, Any], tree: Any) -> None:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    snapshot = ChainSnapshot.objects.get()
    url = f"{BASE}chains/{snapshot.uid}/graph/"
    client = api(cast.dan)
    client.get(url)
    with CaptureQueriesContext(connection) as few:
        assert client.get(url).status_code == 200
    people = [make_person(tree.quan_trieu) for _i in range(30)]
    for person in people:
        contact_record(
            actor=None,
            source=chain["a"],
            contact=person,
            exposure_type=ExposureType.SHIFT,
            first_exposure=date(2021, 11, 9),
        )
    tracing_refresh(person_ids=[chain["a"].pk])  # what the queued background task does
    assert ChainSnapshot.objects.get().size == 34
    with CaptureQueriesContext(connection) as many:
        data = client.get(url).json()
    assert len(data["nodes"]) == 34
    assert len(many) == len(few)
