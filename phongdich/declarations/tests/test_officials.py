"""Follow-up, exposure flags, the officials' pages and the API (M2, D4)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone

from phongdich.core.models import AuditAction, AuditLog
from phongdich.declarations.models import Channel, FollowUpTask, MedicalDeclaration
from phongdich.declarations.services import declaration_file
from phongdich.zones.models import ExposureFlag, PlaceKind
from phongdich.zones.services import area_declare

from .conftest import days_ago


def _service_data(tree: Any, **overrides: Any) -> dict[str, Any]:
    data = {
        "full_name": "Trần Thị Dân",
        "id_number": "B1234567",
        "birth_year": 1980,
        "sex": "F",
        "residence_unit": tree.quan_trieu,
        "address": "Tổ 3",
        "phone": "0987000111",
    }
    data.update(overrides)
    return data


def _epidemic_dac_son(tree: Any) -> None:
    area_declare(
        actor=None,
        kind=PlaceKind.UNIT,
        unit=tree.dac_son,
        start_date=timezone.localdate() - timedelta(days=30),
        source_number="12/TB-UBND",
    )


def test_symptoms_create_a_follow_up_for_the_residence_commune_M2(
    client: Client, tree: Any, form_data: Callable[..., dict[str, Any]]
) -> None:
    client.post("/khai-bao/", form_data(fever="on", sore_throat="on"))
    task = FollowUpTask.objects.get()
    assert task.commune == tree.quan_trieu
    assert "sốt" in task.reason
    assert "đau họng" in task.reason
    assert MedicalDeclaration.objects.get().has_symptoms


def test_no_symptoms_and_no_epidemic_area_no_follow_up_M2(tree: Any) -> None:
    declaration_file(
        actor=None,
        channel=Channel.SELF,
        data=_service_data(tree),
        visits=[{"kind": PlaceKind.UNIT, "unit": tree.dac_son, "from_date": timezone.localdate()}],
    )
    assert FollowUpTask.objects.count() == 0
    assert ExposureFlag.objects.count() == 0


def test_visit_to_an_epidemic_area_flags_and_creates_a_follow_up_M2(
    client: Client, tree: Any, form_data: Callable[..., dict[str, Any]]
) -> None:
    _epidemic_dac_son(tree)
    response = client.post(
        "/khai-bao/",
        form_data(visit_1_place=f"u:{tree.dac_son.uid}", visit_1_from=days_ago(4), visit_1_to=days_ago(2)),
    )
    assert response.status_code == 200
    declaration = MedicalDeclaration.objects.get()
    flag = ExposureFlag.objects.get(cleared_at__isnull=True)
    assert flag.person == declaration.person
    assert flag.source == f"declaration:{declaration.uid}"
    assert declaration.in_epidemic_area
    task = FollowUpTask.objects.get()
    assert task.commune == tree.quan_trieu
    assert "Xã Đắc Sơn" in task.reason


def test_officials_list_is_scoped_and_filtered_D4(cast: Any, tree: Any, client: Client) -> None:
    declaration_file(actor=None, channel=Channel.SELF, data=_service_data(tree, fever=True), visits=[])
    declaration_file(
        actor=None,
        channel=Channel.SELF,
        data=_service_data(tree, full_name="Lê Văn Vinh", id_number="C7654321", residence_unit=tree.quang_vinh),
        visits=[],
    )
    client.force_login(cast.cuong)
    html = client.get("/declarations/").content.decode()
    assert "Trần Thị Dân" in html
    assert "Lê Văn Vinh" not in html
    client.force_login(cast.dan)
    assert "Lê Văn Vinh" in client.get("/declarations/").content.decode()
    filtered = client.get("/declarations/?symptoms=1").content.decode()
    assert "Trần Thị Dân" in filtered
    assert "Lê Văn Vinh" not in filtered


def test_detail_is_audited_and_404_out_of_scope_D4(cast: Any, tree: Any, client: Client) -> None:
    filed = declaration_file(actor=None, channel=Channel.SELF, data=_service_data(tree), visits=[])
    uid = filed.declaration.uid
    assert AuditLog.objects.filter(action=AuditAction.CREATE, object_uid=str(uid)).exists()
    client.force_login(cast.chi)
    assert client.get(f"/declarations/{uid}/").status_code == 404
    assert client.get(f"/api/v1/declarations/{uid}/").status_code == 404
    assert not AuditLog.objects.filter(action=AuditAction.READ, object_uid=str(uid)).exists()
    client.force_login(cast.cuong)
    response = client.get(f"/declarations/{uid}/")
    assert response.status_code == 200
    assert "Trần Thị Dân" in response.content.decode()
    assert AuditLog.objects.filter(action=AuditAction.READ, object_uid=str(uid), actor=cast.cuong).count() == 1
    api = client.get(f"/api/v1/declarations/{uid}/")
    assert api.status_code == 200
    assert api.json()["residence_unit"]["code"] == tree.quan_trieu.code
    assert AuditLog.objects.filter(action=AuditAction.READ, object_uid=str(uid), actor=cast.cuong).count() == 2


def test_follow_up_list_and_done_action_are_scoped_D4(cast: Any, tree: Any, client: Client) -> None:
    declaration_file(actor=None, channel=Channel.SELF, data=_service_data(tree, cough=True), visits=[])
    task = FollowUpTask.objects.get()
    client.force_login(cast.chi)
    assert "Trần Thị Dân" not in client.get("/declarations/follow-up/").content.decode()
    assert client.post(f"/declarations/follow-up/{task.uid}/done/").status_code == 404
    client.force_login(cast.cuong)
    assert "Trần Thị Dân" in client.get("/declarations/follow-up/").content.decode()
    assert client.post(f"/declarations/follow-up/{task.uid}/done/").status_code == 302
    task.refresh_from_db()
    assert task.done_at is not None
    assert task.done_by == cast.cuong
    assert AuditLog.objects.filter(action=AuditAction.UPDATE, object_uid=str(task.uid)).exists()
    assert "Trần Thị Dân" not in client.get("/declarations/follow-up/").content.decode()


def test_assisted_form_requires_login_and_a_commune_in_scope_D4(
    cast: Any, tree: Any, client: Client, form_data: Callable[..., dict[str, Any]]
) -> None:
    assert client.get("/declarations/new/").status_code == 302
    client.force_login(cast.cuong)
    page = client.get("/declarations/new/").content.decode()
    assert "Phường Quán Triều" in page
    assert "Phường Quang Vinh" not in page
    refused = client.post("/declarations/new/", form_data(residence_unit=tree.quang_vinh.code))
    assert refused.status_code == 200
    assert "Không có xã, phường này" in str(refused.context["form"].errors["residence_unit"])
    assert MedicalDeclaration.objects.count() == 0
    response = client.post("/declarations/new/", form_data())
    declaration = MedicalDeclaration.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"/declarations/{declaration.uid}/"
    assert declaration.channel == Channel.ASSISTED
    assert declaration.recorded_by == cast.cuong


def test_service_refuses_an_out_of_scope_commune_for_an_official_D4(cast: Any, tree: Any) -> None:
    from phongdich.core.errors import ValidationFailed

    with pytest.raises(ValidationFailed) as exc:
        declaration_file(actor=cast.chi, channel=Channel.ASSISTED, data=_service_data(tree), visits=[])
    assert exc.value.field == "residence_unit"
    assert MedicalDeclaration.objects.count() == 0


def _api_body(tree: Any, **overrides: Any) -> dict[str, Any]:
    body: dict[str, Any] = {
        "full_name": "Phạm Văn Api",
        "id_number": "B7654321",
        "birth_year": 1975,
        "sex": "M",
        "residence_unit": tree.quan_trieu.code,
        "address": "Tổ 1",
        "phone": "0912888999",
        "visits": [],
    }
    body.update(overrides)
    return body


def test_api_public_filing_returns_a_code_M2(client: Client, tree: Any) -> None:
    _epidemic_dac_son(tree)
    body = _api_body(
        tree, visits=[{"kind": "unit", "unit": tree.dac_son.code, "from_date": days_ago(3), "to_date": days_ago(1)}]
    )
    response = client.post("/api/v1/declarations/", body, content_type="application/json")
    assert response.status_code == 201, response.content
    assert len(response.json()["code"]) == 8
    declaration = MedicalDeclaration.objects.get(uid=response.json()["uid"])
    assert declaration.in_epidemic_area
    assert FollowUpTask.objects.count() == 1


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"residence_unit": "99999"}, "residence_unit"),
        ({"address": "<b>x</b>"}, "address"),
        ({"visits": [{"kind": "unit", "unit": "164", "from_date": "2000-01-01", "to_date": "2000-01-02"}]}, None),
        ({"full_name": ""}, "full_name"),
    ],
)
def test_api_refuses_bad_input_with_field_errors_and_stores_nothing_M2(
    client: Client, tree: Any, overrides: dict[str, Any], field: str | None
) -> None:
    response = client.post("/api/v1/declarations/", _api_body(tree, **overrides), content_type="application/json")
    assert response.status_code == 400
    if field:
        assert field in response.json()
    assert MedicalDeclaration.objects.count() == 0


def test_api_refuses_a_large_body_M2(client: Client, tree: Any) -> None:
    body = _api_body(tree, address="x" * (100 * 1024))
    response = client.post("/api/v1/declarations/", body, content_type="application/json")
    assert response.status_code == 413
    assert "quá lớn" in response.json()["detail"]
    assert MedicalDeclaration.objects.count() == 0


def test_api_is_throttled_per_address_M2(client: Client, tree: Any, settings: Any) -> None:
    settings.DECLARATION_API_RATE = "2/hour"
    codes = [
        client.post(
            "/api/v1/declarations/", _api_body(tree, phone=f"091288800{n}"), content_type="application/json"
        ).status_code
        for n in range(3)
    ]
    assert codes == [201, 201, 429]
    assert MedicalDeclaration.objects.count() == 2
