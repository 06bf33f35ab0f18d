"""The organisation list: filters by kind, sector, unit and name (diacritic-insensitive), paged."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client
from rest_framework.test import APIClient

from phongdich.orgs.services import organisation_create

from .conftest import World


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ({"kind": "school"}, {"qt_school"}),
        ({"sector": "health"}, {"dept", "city_health"}),
        ({"q": "truong thcs"}, {"qt_school"}),
        ({"q": "TRƯỜNG"}, {"qt_school"}),
        ({"q": "doan ket"}, {"hamlet_coop"}),
        ({"q": "syt"}, {"dept"}),
        ({"q": "khong co"}, set()),
    ],
)
def test_list_filters_D4(cast: Any, world: World, client: Client, query: dict[str, str], expected: set[str]) -> None:
    client.force_login(cast.alice)
    response = client.get("/orgs/", query)
    assert {o.name for o in response.context["page"]} == {world.by_key(k).name for k in expected}


def test_list_filter_by_unit_takes_its_subtree_D4(cast: Any, world: World, client: Client, tree: Any) -> None:
    client.force_login(cast.alice)
    response = client.get("/orgs/", {"unit": str(tree.quan_trieu.uid)})
    assert {o.name for o in response.context["page"]} == {world.qt_school.name, world.hamlet_coop.name}
    api = APIClient()
    api.force_authenticate(cast.alice)
    names = {o["name"] for o in api.get("/api/v1/organisations/", {"unit": str(tree.city.uid)}).json()["results"]}
    assert names == {world.city_health.name, world.qt_school.name, world.qv_committee.name, world.hamlet_coop.name}


def test_list_unit_filter_outside_scope_is_refused_D4(cast: Any, world: World, client: Client, tree: Any) -> None:
    client.force_login(cast.chi)
    response = client.get("/orgs/", {"unit": str(tree.quan_trieu.uid)})
    assert "unit" in response.context["form"].errors
    assert world.qt_school.name not in response.content.decode()


def test_api_bad_filter_is_400_D4(cast: Any, world: World) -> None:
    api = APIClient()
    api.force_authenticate(cast.alice)
    response = api.get("/api/v1/organisations/", {"kind": "khong-co"})
    assert response.status_code == 400
    assert "kind" in response.json()


def test_list_is_paged_D4(cast: Any, client: Client, tree: Any) -> None:
    for i in range(55):
        organisation_create(name=f"Doanh nghiệp {i:02d}", kind="enterprise", unit=tree.quan_trieu)
    client.force_login(cast.cuong)
    first = client.get("/orgs/", {"kind": "enterprise"})
    assert len(first.context["page"]) == 50
    second = client.get("/orgs/", {"kind": "enterprise", "page": 2})
    assert len(second.context["page"]) == 5
    assert "kind=enterprise&amp;page=2" in first.content.decode()
