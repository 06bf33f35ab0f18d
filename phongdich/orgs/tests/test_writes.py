"""Creating and editing organisations and premises: who may, within which scope; every write audited (D2, D4)."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client
from rest_framework.test import APIClient

from phongdich.core.errors import NotInScope, ValidationFailed
from phongdich.core.models import AuditAction, AuditLog
from phongdich.orgs.models import Organisation, Premises
from phongdich.orgs.services import organisation_create, organisation_update, premises_create

from .conftest import World


def _org_form(unit: Any, **extra: Any) -> dict[str, Any]:
    return {"name": "Trạm Y tế Quán Triều", "kind": "health_agency", "sector": "health", "unit": str(unit.uid), **extra}


def test_district_officer_creates_organisation_in_district_D4(cast: Any, client: Client, tree: Any) -> None:
    client.force_login(cast.dan)
    assert client.get("/orgs/new/").status_code == 200
    response = client.post("/orgs/new/", _org_form(tree.quan_trieu))
    org = Organisation.objects.get(name="Trạm Y tế Quán Triều")
    assert response.status_code == 302
    assert response["Location"] == f"/orgs/{org.uid}/"
    assert org.unit == tree.quan_trieu
    assert org.path == f"/{org.pk}/"
    line = AuditLog.objects.get(action=AuditAction.CREATE, object_uid=str(org.uid))
    assert line.actor == cast.dan


def test_district_officer_cannot_place_organisation_outside_district_D4(cast: Any, client: Client, tree: Any) -> None:
    client.force_login(cast.dan)
    response = client.post("/orgs/new/", _org_form(tree.dac_son))
    assert response.status_code == 200
    assert "unit" in response.context["form"].errors
    assert not Organisation.objects.filter(name="Trạm Y tế Quán Triều").exists()
    with pytest.raises(NotInScope):
        organisation_create(name="X", kind="other", unit=tree.dac_son, actor=cast.dan)


@pytest.mark.parametrize("persona", ["cuong", "hoa", "oanh"])
def test_other_roles_cannot_create_organisations_D4(cast: Any, client: Client, tree: Any, persona: str) -> None:
    client.force_login(getattr(cast, persona))
    assert client.get("/orgs/new/").status_code == 403
    assert client.post("/orgs/new/", _org_form(tree.quan_trieu)).status_code == 403
    api = APIClient()
    api.force_authenticate(getattr(cast, persona))
    assert api.post("/api/v1/organisations/", _org_form(tree.quan_trieu)).status_code == 403
    assert not Organisation.objects.filter(name="Trạm Y tế Quán Triều").exists()


def test_empty_name_is_a_field_error_D4(cast: Any, client: Client, tree: Any) -> None:
    client.force_login(cast.alice)
    response = client.post("/orgs/new/", _org_form(tree.quan_trieu, name="   "))
    assert "name" in response.context["form"].errors
    api = APIClient()
    api.force_authenticate(cast.alice)
    response = api.post("/api/v1/organisations/", _org_form(tree.quan_trieu, name="   "))
    assert response.status_code == 400
    assert "name" in response.json()


def test_api_create_and_patch_D4(cast: Any, world: World, tree: Any) -> None:
    api = APIClient()
    api.force_authenticate(cast.dan)
    created = api.post(
        "/api/v1/organisations/", {**_org_form(tree.quan_trieu), "parent": str(world.city_health.uid)}, format="json"
    )
    assert created.status_code == 201, created.json()
    body = created.json()
    assert body["parent"]["uid"] == str(world.city_health.uid)
    assert body["compliance"]["premises_count"] == 0
    patched = api.patch(f"/api/v1/organisations/{body['uid']}/", {"phone": "0208123456"}, format="json")
    assert patched.status_code == 200
    assert patched.json()["phone"] == "0208123456"
    # a parent outside the caller's scope is not even a valid choice
    refused = api.post(
        "/api/v1/organisations/", {**_org_form(tree.quan_trieu), "parent": str(world.dept.uid)}, format="json"
    )
    assert refused.status_code == 400
    assert "parent" in refused.json()


def test_edit_is_audited_with_changes_D4(cast: Any, world: World, client: Client) -> None:
    client.force_login(cast.dan)
    form = client.get(f"/orgs/{world.qt_school.uid}/edit/").context["form"]
    data = {k: v for k, v in form.initial.items() if v is not None}
    data.update(name="Trường THCS Quán Triều (cơ sở 2)", unit=str(world.qt_school.unit.uid), is_active="on")
    response = client.post(f"/orgs/{world.qt_school.uid}/edit/", data)
    assert response.status_code == 302
    world.qt_school.refresh_from_db()
    assert world.qt_school.name == "Trường THCS Quán Triều (cơ sở 2)"
    line = AuditLog.objects.get(action=AuditAction.UPDATE, object_uid=str(world.qt_school.uid))
    assert line.detail["changed"] == {"name": ["Trường THCS Quán Triều", "Trường THCS Quán Triều (cơ sở 2)"]}


@pytest.mark.parametrize(("persona", "status"), [("cuong", 403), ("chi", 404), ("oanh", 404)])
def test_edit_refused_outside_manager_roles_D4(
    cast: Any, world: World, client: Client, persona: str, status: int
) -> None:
    client.force_login(getattr(cast, persona))
    assert client.get(f"/orgs/{world.qt_school.uid}/edit/").status_code == status
    assert client.post(f"/orgs/{world.qt_school.uid}/edit/", {"name": "X"}).status_code == status
    api = APIClient()
    api.force_authenticate(getattr(cast, persona))
    assert api.patch(f"/api/v1/organisations/{world.qt_school.uid}/", {"name": "X"}).status_code == status


def test_moving_an_organisation_moves_its_subtree_D2(cast: Any, world: World, tree: Any) -> None:
    branch = organisation_create(name="Tổ sản xuất A", kind="enterprise", unit=tree.dac_son, parent=world.workshop)
    holding = organisation_create(name="Tổng công ty", kind="enterprise", unit=tree.dac_son)
    organisation_update(organisation=world.enterprise, parent=holding)
    world.enterprise.refresh_from_db()
    branch.refresh_from_db()
    world.workshop.refresh_from_db()
    assert world.enterprise.path == f"/{holding.pk}/{world.enterprise.pk}/"
    assert world.workshop.path == f"{world.enterprise.path}{world.workshop.pk}/"
    assert branch.path == f"{world.workshop.path}{branch.pk}/"
    assert set(Organisation.objects.subtree(holding)) == {holding, world.enterprise, world.workshop, branch}


def test_an_organisation_cannot_go_under_itself_D2(world: World) -> None:
    with pytest.raises(ValidationFailed) as exc:
        organisation_update(organisation=world.enterprise, parent=world.workshop)
    assert exc.value.field == "parent"
    with pytest.raises(ValidationFailed):
        organisation_update(organisation=world.enterprise, parent=world.enterprise)


def test_head_adds_premises_to_own_organisation_D5(cast: Any, world: World, client: Client, tree: Any) -> None:
    client.force_login(cast.oanh)
    before = client.get(f"/orgs/{world.enterprise.uid}/").content.decode()
    assert "Chưa khai báo địa điểm" in before
    response = client.post(
        f"/orgs/{world.enterprise.uid}/premises/new/",
        {"name": "Cổng số 1", "kind": "gate", "unit": str(tree.dac_son.uid), "address": "KCN Yên Bình"},
    )
    assert response.status_code == 302
    premises = Premises.objects.get(organisation=world.enterprise)
    assert premises.name == "Cổng số 1"
    assert premises.kind == "gate"
    assert AuditLog.objects.filter(action=AuditAction.CREATE, object_uid=str(premises.uid), actor=cast.oanh).exists()
    after = client.get(f"/orgs/{world.enterprise.uid}/").content.decode()
    assert "Cổng số 1" in after
    assert "Đã khai báo 1 địa điểm" in after
    # and edits it
    response = client.post(
        f"/orgs/premises/{premises.uid}/edit/",
        {"name": "Cổng chính", "kind": "gate", "unit": str(tree.dac_son.uid), "address": "", "is_active": "on"},
    )
    assert response.status_code == 302
    premises.refresh_from_db()
    assert premises.name == "Cổng chính"
    assert AuditLog.objects.filter(action=AuditAction.UPDATE, object_uid=str(premises.uid)).exists()


def test_head_of_parent_manages_sub_unit_premises_D5(cast: Any, world: World, client: Client) -> None:
    client.force_login(cast.oanh)
    assert client.get(f"/orgs/{world.workshop.uid}/premises/new/").status_code == 200


@pytest.mark.parametrize(("persona", "status"), [("chi", 404), ("cuong", 403), ("hoa", 404)])
def test_premises_refused_to_others_D4(
    cast: Any, world: World, client: Client, tree: Any, persona: str, status: int
) -> None:
    client.force_login(getattr(cast, persona))
    data = {"name": "Cổng", "kind": "gate", "unit": str(tree.dac_son.uid)}
    target = world.enterprise if persona != "cuong" else world.qt_school
    assert client.post(f"/orgs/{target.uid}/premises/new/", data).status_code == status
    api = APIClient()
    api.force_authenticate(getattr(cast, persona))
    assert api.post(f"/api/v1/organisations/{target.uid}/premises/", {"name": "Cổng"}).status_code == status
    assert not Premises.objects.exists()


def test_premises_api_lists_and_adds_D5(cast: Any, world: World) -> None:
    premises_create(organisation=world.enterprise, name="Trụ sở")
    api = APIClient()
    api.force_authenticate(cast.oanh)
    assert [
        p["name"] for p in api.get(f"/api/v1/organisations/{world.enterprise.uid}/premises/").json()["results"]
    ] == ["Trụ sở"]
    created = api.post(f"/api/v1/organisations/{world.enterprise.uid}/premises/", {"name": "Nhà ăn", "kind": "canteen"})
    assert created.status_code == 201
    assert created.json()["unit"]["code"] == "05857"


def test_premises_unit_must_be_in_the_organisations_area(cast: Any, world: World, client: Client, tree: Any) -> None:
    client.force_login(cast.oanh)
    response = client.post(
        f"/orgs/{world.enterprise.uid}/premises/new/",
        {"name": "Cổng", "kind": "gate", "unit": str(tree.quan_trieu.uid)},
    )
    assert response.status_code == 200
    assert "unit" in response.context["form"].errors
