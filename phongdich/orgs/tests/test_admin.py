"""The Django admin (superusers) writes through the services: paths computed, lines audited."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from phongdich.core.models import AuditAction, AuditLog, User
from phongdich.orgs.models import Organisation, RoleAssignment


@pytest.fixture
def root(cast: Any) -> User:
    return User.objects.create_superuser("root", "root@example.org", "x")


@pytest.mark.parametrize("model", ["organisation", "premises", "roleassignment", "followassignment"])
def test_admin_pages_load(root: User, client: Client, model: str) -> None:
    client.force_login(root)
    assert client.get(f"/admin/orgs/{model}/").status_code == 200
    assert client.get(f"/admin/orgs/{model}/add/").status_code == 200


def test_admin_adds_organisation_with_its_path_and_audit(root: User, client: Client, tree: Any, cast: Any) -> None:
    client.force_login(root)
    response = client.post(
        "/admin/orgs/organisation/add/",
        {
            "name": "Bệnh viện C",
            "kind": "hospital",
            "unit": tree.city.pk,
            "parent": cast.enterprise.pk,
            "is_active": "on",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    org = Organisation.objects.get(name="Bệnh viện C")
    assert org.path == f"{cast.enterprise.path}{org.pk}/"
    assert AuditLog.objects.filter(action=AuditAction.CREATE, object_uid=str(org.uid), actor=root).exists()


def test_admin_deletes_role_through_revoke(root: User, client: Client, cast: Any) -> None:
    ra = RoleAssignment.objects.get(user=cast.cuong)
    client.force_login(root)
    response = client.post(f"/admin/orgs/roleassignment/{ra.pk}/delete/", {"post": "yes"})
    assert response.status_code == 302
    assert not RoleAssignment.objects.filter(pk=ra.pk).exists()
    assert AuditLog.objects.filter(action=AuditAction.DELETE, object_uid=str(ra.uid), actor=root).exists()
