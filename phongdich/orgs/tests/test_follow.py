"""Steering/standing committee members follow localities and sectors, and see them (D5)."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client
from rest_framework.test import APIClient

from phongdich.core.errors import ValidationFailed
from phongdich.core.models import AuditAction, AuditLog, User
from phongdich.orgs.models import FollowAssignment, Role, Sector
from phongdich.orgs.services import follow_assign, role_assign

from .conftest import World


@pytest.fixture
def son(cast: Any, tree: Any) -> User:
    """A standing-committee member with a province-wide role."""
    user = User.objects.create_user("son", password=cast.password, first_name="Sơn")
    role_assign(user=user, role=Role.STANDING_COMMITTEE, unit=tree.province)
    return user


def test_admin_assigns_locality_and_sector_on_the_page_D5(cast: Any, son: User, client: Client, tree: Any) -> None:
    client.force_login(cast.alice)
    assert client.get("/orgs/follows/").status_code == 200
    response = client.post("/orgs/follows/", {"user": str(son.uid), "unit_code": "164", "note": "Phụ trách TP"})
    assert response.status_code == 302
    response = client.post("/orgs/follows/", {"user": str(son.uid), "sector": "health"})
    assert response.status_code == 302
    assert set(FollowAssignment.objects.filter(user=son).values_list("unit__code", "sector")) == {
        ("164", ""),
        (None, "health"),
    }
    assert AuditLog.objects.filter(action=AuditAction.CREATE, object_type="orgs.followassignment").count() == 2


def test_followed_view_lists_units_and_sectors_with_links_D5(
    cast: Any, son: User, world: World, client: Client, tree: Any
) -> None:
    follow_assign(user=son, unit=tree.city)
    follow_assign(user=son, sector=Sector.HEALTH)
    client.force_login(son)
    response = client.get("/orgs/followed/")
    html = response.content.decode()
    assert "Thành phố Thái Nguyên" in html
    assert "Y tế" in html
    assert f"/orgs/?unit={tree.city.uid}" in html
    assert "/orgs/?sector=health" in html
    counts = {(i.unit.code if i.unit else None, i.sector): i.organisations for i in response.context["items"]}
    # in the city: the health centre, the school, the ward committee, the cooperative; health: department + centre
    assert counts == {("164", ""): 4, (None, "health"): 2}
    # the link opens the list, filtered
    listed = client.get(f"/orgs/?unit={tree.city.uid}")
    assert len(listed.context["page"]) == 4


def test_followed_view_for_someone_with_nothing_assigned_D5(cast: Any, client: Client) -> None:
    client.force_login(cast.cuong)
    response = client.get("/orgs/followed/")
    assert response.status_code == 200
    assert "chưa được phân công" in response.content.decode()


def test_follow_only_for_committee_members_D5(cast: Any, tree: Any) -> None:
    with pytest.raises(ValidationFailed) as exc:
        follow_assign(user=cast.cuong, unit=tree.quan_trieu)
    assert exc.value.field == "user"


def test_follow_needs_unit_or_sector_and_no_duplicates_D5(son: User, tree: Any) -> None:
    with pytest.raises(ValidationFailed):
        follow_assign(user=son)
    follow_assign(user=son, unit=tree.city)
    with pytest.raises(ValidationFailed):
        follow_assign(user=son, unit=tree.city)


def test_followed_locality_must_be_in_members_scope_D5(cast: Any, tree: Any) -> None:
    member = User.objects.create_user("minh", password="x")
    role_assign(user=member, role=Role.STEERING_COMMITTEE, unit=tree.city)
    with pytest.raises(ValidationFailed) as exc:
        follow_assign(user=member, unit=tree.dac_son)
    assert exc.value.field == "unit"
    follow_assign(user=member, unit=tree.quan_trieu)


def test_follow_management_is_for_province_admins_D5(cast: Any, son: User, client: Client, tree: Any) -> None:
    client.force_login(cast.dan)
    assert client.get("/orgs/follows/").status_code == 403
    assert client.post("/orgs/follows/", {"user": str(son.uid), "unit_code": "164"}).status_code == 403
    api = APIClient()
    api.force_authenticate(cast.dan)
    assert api.post("/api/v1/follow-assignments/", {"user": "son", "unit": str(tree.city.uid)}).status_code == 403
    assert not FollowAssignment.objects.exists()


def test_follow_revoke_is_audited_D5(cast: Any, son: User, client: Client, tree: Any) -> None:
    fa = follow_assign(user=son, unit=tree.city)
    client.force_login(cast.alice)
    assert client.post(f"/orgs/follows/{fa.uid}/revoke/").status_code == 302
    assert not FollowAssignment.objects.exists()
    line = AuditLog.objects.get(action=AuditAction.DELETE, object_uid=str(fa.uid))
    assert line.detail == {"user": "son", "unit": "164", "sector": ""}


def test_follow_api_own_and_all_D5(cast: Any, son: User, tree: Any) -> None:
    api = APIClient()
    api.force_authenticate(cast.alice)
    created = api.post("/api/v1/follow-assignments/", {"user": "son", "unit": str(tree.city.uid)}, format="json")
    assert created.status_code == 201, created.json()
    api.force_authenticate(son)
    mine = api.get("/api/v1/follow-assignments/").json()["results"]
    assert [f["unit"]["code"] for f in mine] == ["164"]
    api.force_authenticate(cast.cuong)
    assert api.get("/api/v1/follow-assignments/").json()["results"] == []


def test_every_link_on_the_followed_page_opens_D5(son: User, world: World, client: Client, tree: Any) -> None:
    import re

    for unit in (tree.city, tree.quan_trieu, tree.xom1):
        follow_assign(user=son, unit=unit)
    follow_assign(user=son, unit=tree.pho_yen, sector=Sector.ECONOMY)
    client.force_login(son)
    html = client.get("/orgs/followed/").content.decode()
    links = set(re.findall(r'href="(/[^"]*)"', html[html.index("<main") :]))
    assert len(links) >= 5
    for link in sorted(links):
        assert client.get(link.replace("&amp;", "&")).status_code == 200, link
