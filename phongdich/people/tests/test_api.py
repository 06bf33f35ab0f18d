"""People API (D3, D4, M6): scope per persona, audited reads and exports, field errors, duplicates, merge."""

from __future__ import annotations

import csv
import io
from typing import Any

import pytest
from rest_framework.test import APIClient

from phongdich.core.models import AuditAction, AuditLog
from phongdich.people.models import Person, StaffMembership
from phongdich.people.validators import CCCD_SEX, PHONE_LENGTH

from .conftest import PERSONAS, VISIBLE, People, make_person

LIST = "/api/v1/people/"


def detail(person: Person) -> str:
    return f"/api/v1/people/{person.uid}/"


@pytest.fixture
def api() -> APIClient:
    return APIClient()


def as_user(api: APIClient, user: Any) -> APIClient:
    api.force_authenticate(user=user)
    return api


def test_api_needs_authentication_D4(api: APIClient, people: People) -> None:
    assert api.get(LIST).status_code in (401, 403)
    assert api.get(detail(people.an)).status_code in (401, 403)


def test_token_authentication_works_D4(api: APIClient, people: People, cast: Any) -> None:
    from rest_framework.authtoken.models import Token

    token = Token.objects.create(user=cast.cuong)
    api.credentials(HTTP_AUTHORIZATION=f"Token {token.key}")
    assert api.get(LIST).status_code == 200


@pytest.mark.parametrize("persona", PERSONAS)
def test_each_persona_lists_only_their_people_and_gets_404_outside_D4(
    api: APIClient, people: People, cast: Any, persona: str
) -> None:
    user = getattr(cast, persona)
    as_user(api, user)
    body = api.get(LIST).json()
    assert {row["full_name"] for row in body["results"]} == {getattr(people, k).full_name for k in VISIBLE[persona]}
    for key in ("an", "dao", "lan", "kim", "binh", "dung", "em"):
        person = getattr(people, key)
        response = api.get(detail(person))
        if key in VISIBLE[persona]:
            assert response.status_code == 200
            assert response.json()["uid"] == str(person.uid)
        else:
            assert response.status_code == 404
            assert api.patch(detail(person), {"address": "x"}, format="json").status_code == 404
            assert api.post(f"{detail(person)}merge/", {"drop": str(person.uid)}, format="json").status_code == 404
    reads = AuditLog.objects.filter(action=AuditAction.READ, actor=user)
    assert {line.object_uid for line in reads} == {str(getattr(people, k).uid) for k in VISIBLE[persona]}
    assert all(line.path.startswith("/api/v1/people/") for line in reads)


def test_payload_uses_uids_never_integer_keys_D3(api: APIClient, people: People, cast: Any, tree: Any) -> None:
    body = as_user(api, cast.chi).get(detail(people.dung)).json()
    assert "id" not in body
    assert body["residence_unit"] == {"uid": str(tree.quang_vinh.uid), "code": "05434", "name": "Phường Quang Vinh"}
    assert body["organisation"] == {"uid": str(cast.enterprise.uid), "name": "Công ty TNHH Mẫu"}


def test_search_and_unit_filter_and_keyset_pages_D3(api: APIClient, people: People, cast: Any, tree: Any) -> None:
    as_user(api, cast.alice)
    for q in ("nguyen van an", "NGUYEN VAN AN", "Nguyễn Văn An"):
        assert [r["full_name"] for r in api.get(LIST, {"q": q}).json()["results"]] == ["Nguyễn Văn An"]
    by_code = api.get(LIST, {"unit": "05434"}).json()["results"]
    by_uid = api.get(LIST, {"unit": str(tree.quang_vinh.uid)}).json()["results"]
    assert {r["full_name"] for r in by_code} == {r["full_name"] for r in by_uid} == {"Lê Văn Bình", "Đỗ Đức Dũng"}
    assert api.get(LIST, {"unit": "99999"}).status_code == 400
    assert [r["full_name"] for r in api.get(LIST, {"foreigners": "true"}).json()["results"]] == ["Kim Min Jun"]
    seen: list[str] = []
    url: str | None = f"{LIST}?limit=3"
    while url:
        body = api.get(url).json()
        assert "count" not in body
        seen.extend(r["uid"] for r in body["results"])
        url = body["next"]
    assert len(seen) == len(set(seen)) == 7


def create_payload(tree: Any, **extra: Any) -> dict[str, Any]:
    return {"full_name": "Ngô Thị Hằng", "birth_date": "1993-07-15", "sex": "F", "residence_unit": "05431", **extra}


def test_create_returns_201_and_audits_D3(api: APIClient, tree: Any, cast: Any) -> None:
    response = as_user(api, cast.cuong).post(LIST, create_payload(tree, phone="+84 912 000 333"), format="json")
    assert response.status_code == 201, response.json()
    body = response.json()
    assert (body["outcome"], body["birth_year"], body["phone"]) == ("created", 1993, "0912000333")
    assert AuditLog.objects.get(action=AuditAction.CREATE, object_uid=body["uid"]).actor == cast.cuong


@pytest.mark.parametrize(
    ("extra", "field", "message"),
    [
        ({"cccd": "019093000001"}, "cccd", str(CCCD_SEX)),  # man's digit for a woman
        ({"phone": "091234567"}, "phone", str(PHONE_LENGTH)),
        ({"birth_date": "2999-01-01"}, "birth_date", "Ngày sinh không được ở tương lai."),
        ({"birth_date": "15/07/1993"}, "birth_date", None),  # wrong date shape: DRF's own message
        ({"birth_date": None, "birth_year": 1994}, None, None),  # a year alone is fine
        ({"residence_unit": "00000"}, "residence_unit", "Không có đơn vị hành chính “00000”."),
        ({"sex": "X"}, "sex", None),
    ],
)
def test_create_invalid_input_is_a_400_with_field_errors_D3(
    api: APIClient, tree: Any, cast: Any, extra: dict[str, Any], field: str | None, message: str | None
) -> None:
    response = as_user(api, cast.cuong).post(LIST, create_payload(tree, **extra), format="json")
    if field is None:
        assert response.status_code == 201
        return
    assert response.status_code == 400
    errors = response.json()
    assert field in errors
    if message:
        assert errors[field] == [message]
    assert not Person.objects.exists()


def test_create_outside_scope_is_a_400_on_residence_unit_D4(api: APIClient, tree: Any, cast: Any) -> None:
    response = as_user(api, cast.chi).post(LIST, create_payload(tree), format="json")
    assert response.status_code == 400
    assert "residence_unit" in response.json()


def test_same_cccd_returns_200_with_the_existing_record_D3(api: APIClient, people: People, cast: Any) -> None:
    payload = {
        "full_name": "Nguyen Van An",
        "birth_year": 1985,
        "sex": "M",
        "cccd": people.an.cccd,
        "residence_unit": "05431",
    }
    response = as_user(api, cast.cuong).post(LIST, payload, format="json")
    assert response.status_code == 200
    assert (response.json()["outcome"], response.json()["uid"]) == ("existing", str(people.an.uid))
    assert Person.objects.filter(name_folded="nguyen van an").count() == 1


def test_possible_duplicate_is_a_409_with_candidates_unless_forced_D3(
    api: APIClient, people: People, cast: Any
) -> None:
    payload = {
        "full_name": "NGUYEN VAN AN",
        "birth_year": 1985,
        "sex": "M",
        "phone": "0912345678",
        "residence_unit": "05431-01",
    }
    as_user(api, cast.cuong)
    response = api.post(LIST, payload, format="json")
    assert response.status_code == 409
    body = response.json()
    assert body["outcome"] == "possible_duplicate"
    assert [c["uid"] for c in body["candidates"]] == [str(people.an.uid)]
    forced = api.post(LIST, {**payload, "force": True}, format="json")
    assert forced.status_code == 201
    assert Person.objects.filter(name_folded="nguyen van an").count() == 2


def test_patch_updates_audits_and_rejects_bad_fields_D3(api: APIClient, people: People, cast: Any) -> None:
    as_user(api, cast.cuong)
    response = api.patch(detail(people.dao), {"phone": "0367 999 888", "residence_unit": "05431-01"}, format="json")
    assert response.status_code == 200, response.json()
    assert (response.json()["phone"], response.json()["residence_unit"]["code"]) == ("0367999888", "05431-01")
    assert AuditLog.objects.get(action=AuditAction.UPDATE).detail["changed"] == ["phone", "residence_unit"]
    bad = api.patch(detail(people.dao), {"phone": "12"}, format="json")
    assert bad.status_code == 400
    assert "phone" in bad.json()


def test_merge_endpoint_moves_records_and_audits_D3(api: APIClient, people: People, cast: Any, tree: Any) -> None:
    twin = make_person(full_name="Nguyễn Văn An", birth_year=1985, sex="M", residence_unit=tree.xom1)
    StaffMembership.objects.create(person=twin, organisation=cast.enterprise, start_date="2021-01-01")
    as_user(api, cast.cuong)
    response = api.post(f"{detail(people.an)}merge/", {"drop": str(twin.uid)}, format="json")
    assert response.status_code == 200
    assert StaffMembership.objects.get().person == people.an
    twin.refresh_from_db()
    assert twin.merged_into == people.an
    assert AuditLog.objects.get(action=AuditAction.MERGE).detail["drop"] == str(twin.uid)
    again = api.post(f"{detail(people.an)}merge/", {"drop": str(twin.uid)}, format="json")
    assert again.status_code == 400  # a tombstone cannot be merged again
    itself = api.post(f"{detail(people.an)}merge/", {"drop": str(people.an.uid)}, format="json")
    assert itself.status_code == 400
    outside = api.post(f"{detail(people.an)}merge/", {"drop": str(people.binh.uid)}, format="json")
    assert outside.status_code == 400
    assert "drop" in outside.json()


@pytest.mark.parametrize("persona", ["dan", "hoa"])
def test_export_endpoint_is_scoped_and_audited_D4(api: APIClient, people: People, cast: Any, persona: str) -> None:
    user = getattr(cast, persona)
    response = as_user(api, user).get("/api/v1/people/export.csv")
    assert response.status_code == 200
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert {r[1] for r in rows[1:]} == {getattr(people, k).full_name for k in VISIBLE[persona]}
    line = AuditLog.objects.get(action=AuditAction.EXPORT)
    assert (line.actor, line.detail["rows"]) == (user, len(VISIBLE[persona]))
    assert line.path == "/api/v1/people/export.csv"


def test_schema_documents_the_people_endpoints_D3(api: APIClient, cast: Any) -> None:
    response = as_user(api, cast.alice).get("/api/schema/", {"format": "json"})
    assert response.status_code == 200
    paths = response.json()["paths"]
    for path in (
        "/api/v1/people/",
        "/api/v1/people/{uid}/",
        "/api/v1/people/{uid}/merge/",
        "/api/v1/people/export.{fmt}",
    ):
        assert path in paths
    assert "409" in paths["/api/v1/people/"]["post"]["responses"]
