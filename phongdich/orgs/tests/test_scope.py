"""Organisations are seen only inside the user's scope: list, detail, API; 404 outside (D4)."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client
from rest_framework.test import APIClient

from .conftest import ALL_ORGS, PERSONAS, VISIBLE, World


def _names(world: World, keys: set[str]) -> set[str]:
    return {world.by_key(k).name for k in keys}


@pytest.mark.parametrize("persona", PERSONAS)
def test_list_page_shows_only_organisations_in_scope_D4(cast: Any, world: World, client: Client, persona: str) -> None:
    client.force_login(getattr(cast, persona))
    response = client.get("/orgs/")
    assert response.status_code == 200
    assert {o.name for o in response.context["page"]} == _names(world, VISIBLE[persona])
    html = response.content.decode()
    for key in set(ALL_ORGS) - VISIBLE[persona]:
        assert f"/orgs/{world.by_key(key).uid}/" not in html


@pytest.mark.parametrize("persona", PERSONAS)
@pytest.mark.parametrize("org_key", ALL_ORGS)
def test_detail_page_404_outside_scope_D4(cast: Any, world: World, client: Client, persona: str, org_key: str) -> None:
    client.force_login(getattr(cast, persona))
    response = client.get(f"/orgs/{world.by_key(org_key).uid}/")
    assert response.status_code == (200 if org_key in VISIBLE[persona] else 404)


@pytest.mark.parametrize("persona", PERSONAS)
def test_api_list_and_detail_follow_scope_D4(cast: Any, world: World, persona: str) -> None:
    api = APIClient()
    api.force_authenticate(getattr(cast, persona))
    response = api.get("/api/v1/organisations/", {"page_size": 200})
    assert response.status_code == 200
    assert {o["name"] for o in response.json()["results"]} == _names(world, VISIBLE[persona])
    assert all("id" not in o for o in response.json()["results"])  # public ids only
    for key in ALL_ORGS:
        org = world.by_key(key)
        expected = 200 if key in VISIBLE[persona] else 404
        assert api.get(f"/api/v1/organisations/{org.uid}/").status_code == expected
        assert api.get(f"/api/v1/organisations/{org.uid}/premises/").status_code == expected


def test_anonymous_cannot_see_organisations_D4(world: World, client: Client) -> None:
    assert client.get("/orgs/").status_code == 302
    assert client.get(f"/orgs/{world.qt_school.uid}/").status_code == 302
    assert APIClient().get("/api/v1/organisations/").status_code in (401, 403)


def test_user_without_role_sees_nothing_D4(world: World, client: Client) -> None:
    from phongdich.core.models import User

    client.force_login(User.objects.create_user("nobody", password="x"))
    assert list(client.get("/orgs/").context["page"]) == []
    assert client.get(f"/orgs/{world.dept.uid}/").status_code == 404


def test_parent_outside_scope_is_shown_without_link_D4(cast: Any, world: World, client: Client) -> None:
    client.force_login(cast.dan)
    html = client.get(f"/orgs/{world.city_health.uid}/").content.decode()
    assert world.dept.name in html
    assert f"/orgs/{world.dept.uid}/" not in html


def test_children_listed_only_within_scope_D4(cast: Any, world: World, client: Client, tree: Any) -> None:
    from phongdich.orgs.services import organisation_create

    organisation_create(name="Trạm y tế Quán Triều", kind="health_agency", unit=tree.quan_trieu, parent=world.dept)
    client.force_login(cast.cuong)
    # cuong cannot open the department, but sees the station in his commune
    assert client.get(f"/orgs/{world.dept.uid}/").status_code == 404
    client.force_login(cast.alice)
    children = client.get(f"/orgs/{world.dept.uid}/").context["children"]
    assert {c.name for c in children} == {"Trung tâm Y tế thành phố Thái Nguyên", "Trạm y tế Quán Triều"}


@pytest.mark.parametrize("persona", PERSONAS)
def test_scope_from_values_agrees_with_scope_from_objects_D4(cast: Any, world: World, persona: str) -> None:
    """Table: for every persona and organisation, the check the check-in batch runs on plain values
    (``contains_paths``) answers as the one on model objects, and as the visible table says."""
    from phongdich.orgs.models import Organisation
    from phongdich.orgs.scope import scope_for

    scope = scope_for(getattr(cast, persona))
    rows = Organisation.objects.values_list("id", "path", "unit__tree", "unit__path")
    by_values = {
        pk
        for pk, path, tree, unit_path in rows
        if scope.contains_paths(org_path=path, unit_tree=tree, unit_path=unit_path)
    }
    by_objects = {org.pk for org in Organisation.objects.select_related("unit") if scope.contains_organisation(org)}
    assert by_values == by_objects
    assert {world.by_key(k).pk for k in ALL_ORGS} & by_values == {world.by_key(k).pk for k in VISIBLE[persona]}
