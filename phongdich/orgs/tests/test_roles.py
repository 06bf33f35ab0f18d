"""Role assignment and revocation by province administrators, audited; scope follows at once (D4)."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client
from rest_framework.test import APIClient

from phongdich.core.errors import NotInScope
from phongdich.core.models import AuditAction, AuditLog
from phongdich.orgs.models import Role, RoleAssignment
from phongdich.orgs.services import role_assign, role_revoke

from .conftest import World


def test_admin_assigns_a_role_on_the_page_and_scope_follows_D4(cast: Any, world: World, client: Client) -> None:
    chi_client = Client()
    chi_client.force_login(cast.chi)
    assert chi_client.get(f"/orgs/{world.qt_school.uid}/").status_code == 404

    client.force_login(cast.alice)
    assert client.get("/orgs/roles/").status_code == 200
    response = client.post("/orgs/roles/", {"username": "chi", "role": "commune_officer", "unit_code": "05431"})
    assert response.status_code == 302
    ra = RoleAssignment.objects.get(user=cast.chi, unit__code="05431")
    line = AuditLog.objects.get(action=AuditAction.CREATE, object_uid=str(ra.uid))
    assert line.actor == cast.alice
    assert line.detail == {"user": "chi", "role": "commune_officer", "unit": "05431", "organisation": None}
    assert chi_client.get(f"/orgs/{world.qt_school.uid}/").status_code == 200


def test_admin_revokes_a_role_audited_and_scope_shrinks_D4(cast: Any, world: World, client: Client) -> None:
    ra = RoleAssignment.objects.get(user=cast.cuong)
    client.force_login(cast.alice)
    assert client.get(f"/orgs/roles/{ra.uid}/revoke/").status_code == 405  # a change is a POST
    response = client.post(f"/orgs/roles/{ra.uid}/revoke/")
    assert response.status_code == 302
    assert not RoleAssignment.objects.filter(pk=ra.pk).exists()
    line = AuditLog.objects.get(action=AuditAction.DELETE, object_uid=str(ra.uid))
    assert line.actor == cast.alice
    assert line.detail["user"] == "cuong"
    assert line.detail["role"] == "commune_officer"
    assert line.detail["unit"] == "05431"
    cuong = Client()
    cuong.force_login(cast.cuong)
    assert cuong.get(f"/orgs/{world.qt_school.uid}/").status_code == 404


@pytest.mark.parametrize(
    ("data", "field"),
    [
        ({"username": "khong-co", "role": "commune_officer", "unit_code": "05431"}, "username"),
        ({"username": "chi", "role": "commune_officer", "unit_code": "99999"}, "unit_code"),
        ({"username": "chi", "role": "commune_officer"}, "__all__"),
        ({"username": "chi", "role": "organisation_head", "unit_code": "05431"}, "organisation"),
        ({"username": "chi", "role": "khong-co", "unit_code": "05431"}, "role"),
    ],
)
def test_bad_role_assignment_is_a_field_error_D4(
    cast: Any, world: World, client: Client, data: dict[str, str], field: str
) -> None:
    client.force_login(cast.alice)
    before = RoleAssignment.objects.count()
    response = client.post("/orgs/roles/", data)
    assert response.status_code == 200
    assert field in response.context["form"].errors
    assert RoleAssignment.objects.count() == before


def test_both_unit_and_organisation_is_refused_D4(cast: Any, world: World, client: Client) -> None:
    client.force_login(cast.alice)
    response = client.post(
        "/orgs/roles/",
        {"username": "chi", "role": "health", "unit_code": "05431", "organisation": str(world.dept.uid)},
    )
    assert "__all__" in response.context["form"].errors


@pytest.mark.parametrize("persona", ["dan", "cuong", "oanh"])
def test_only_province_admins_manage_roles_D4(cast: Any, client: Client, persona: str) -> None:
    user = getattr(cast, persona)
    client.force_login(user)
    ra = RoleAssignment.objects.get(user=cast.chi)
    assert client.get("/orgs/roles/").status_code == 403
    assert client.post("/orgs/roles/", {"username": "chi", "role": "health", "unit_code": "05431"}).status_code == 403
    assert client.post(f"/orgs/roles/{ra.uid}/revoke/").status_code == 403
    assert RoleAssignment.objects.filter(pk=ra.pk).exists()
    with pytest.raises(NotInScope):
        role_revoke(assignment=ra, actor=user)
    api = APIClient()
    api.force_authenticate(user)
    assert api.get("/api/v1/role-assignments/").status_code == 403
    assert api.delete(f"/api/v1/role-assignments/{ra.uid}/").status_code == 403


def test_role_assignment_api_D4(cast: Any, world: World) -> None:
    api = APIClient()
    api.force_authenticate(cast.alice)
    listed = api.get("/api/v1/role-assignments/", {"username": "oanh"}).json()["results"]
    assert [(r["role"], r["organisation"]["uid"]) for r in listed] == [("organisation_head", str(world.enterprise.uid))]
    created = api.post(
        "/api/v1/role-assignments/",
        {"user": "hoa", "role": "organisation_head", "organisation": str(world.hamlet_coop.uid)},
        format="json",
    )
    assert created.status_code == 201, created.json()
    uid = created.json()["uid"]
    assert AuditLog.objects.filter(action=AuditAction.CREATE, object_uid=uid, actor=cast.alice).exists()
    bad = api.post("/api/v1/role-assignments/", {"user": "hoa", "role": "commune_officer"}, format="json")
    assert bad.status_code == 400
    assert "non_field_errors" in bad.json()
    assert api.delete(f"/api/v1/role-assignments/{uid}/").status_code == 204
    assert AuditLog.objects.filter(action=AuditAction.DELETE, object_uid=uid, actor=cast.alice).exists()
    assert api.get(f"/api/v1/role-assignments/{uid}/").status_code == 404


def test_admin_cannot_revoke_own_admin_role_D4(cast: Any, client: Client) -> None:
    ra = RoleAssignment.objects.get(user=cast.alice, role=Role.PROVINCE_ADMIN)
    client.force_login(cast.alice)
    response = client.post(f"/orgs/roles/{ra.uid}/revoke/", follow=True)
    assert "không thể tự thu hồi" in response.content.decode()
    assert RoleAssignment.objects.filter(pk=ra.pk).exists()


def test_me_endpoint_shows_roles_and_scope_D4(cast: Any, world: World, tree: Any) -> None:
    role_assign(user=cast.cuong, role=Role.HEALTH, unit=tree.quang_vinh)
    api = APIClient()
    api.force_authenticate(cast.cuong)
    me = api.get("/api/v1/me/").json()
    assert me["username"] == "cuong"
    assert sorted(r["role"] for r in me["roles"]) == ["commune_officer", "health"]
    assert sorted(u["code"] for u in me["scope"]["units"]) == ["05431", "05434"]
    assert me["can_read_audit"] is False
    assert me["can_manage_roles"] is False
    api.force_authenticate(cast.oanh)
    me = api.get("/api/v1/me/").json()
    assert [o["uid"] for o in me["scope"]["organisations"]] == [str(world.enterprise.uid)]
    api.force_authenticate(cast.alice)
    assert api.get("/api/v1/me/").json()["can_read_audit"] is True
