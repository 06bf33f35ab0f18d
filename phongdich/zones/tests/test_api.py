"""Zones API: declare/patch areas, flags per area and per person, visits; scope (404), audit, field errors (M5, D4)."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
from rest_framework.test import APIClient

from phongdich.core.models import AuditAction, AuditLog
from phongdich.zones.models import EpidemicArea, ExposureFlag, PlaceKind, PlaceVisit
from phongdich.zones.services import visit_record

AREAS = "/api/v1/epidemic-areas/"
PAYLOAD = {
    "kind": "unit",
    "unit": "48",
    "start_date": "2020-07-25",
    "source_number": "257/TB-VPCP",
    "source_date": "2020-07-27",
    "source_issuer": "Văn phòng Chính phủ",
    "is_complex": True,
}


@pytest.fixture
def api() -> APIClient:
    return APIClient()


@pytest.fixture
def flagged(residents: Any, da_nang: Any) -> Any:
    """An was in Thạch Thang on 26/07/2020 (reported 03/08); Bình in Sơn Trà on 28/07 (reported 04/08)."""
    visit_record(
        actor=None, person=residents.an, kind=PlaceKind.UNIT, unit=da_nang.thach_thang,
        from_date=date(2020, 7, 26), to_date=date(2020, 7, 26), reported_on=date(2020, 8, 3), source="declaration:a",
    )  # fmt: skip
    visit_record(
        actor=None, person=residents.binh, kind=PlaceKind.UNIT, unit=da_nang.son_tra,
        from_date=date(2020, 7, 28), to_date=date(2020, 7, 28), reported_on=date(2020, 8, 4), source="declaration:b",
    )  # fmt: skip
    return residents


def test_declare_flags_retroactively_and_lists_counts_in_scope_M5(
    api: APIClient, cast: Any, flagged: Any, django_capture_on_commit_callbacks: Any
) -> None:
    api.force_authenticate(cast.alice)
    with django_capture_on_commit_callbacks(execute=True):
        response = api.post(AREAS, PAYLOAD, format="json")
    assert response.status_code == 201, response.json()
    body = response.json()
    assert body["place_name"] == "Thành phố Đà Nẵng"
    assert "id" not in body
    assert ExposureFlag.objects.filter(cleared_at__isnull=True).count() == 2
    counts = {}
    for user in (cast.alice, cast.cuong, cast.chi, cast.oanh):
        api.force_authenticate(user)
        (row,) = api.get(AREAS).json()["results"]
        counts[user.username] = row["flagged"]
    assert counts == {"alice": 2, "cuong": 1, "chi": 1, "oanh": 0}


def test_area_flags_and_person_exposures_are_scoped_M5_D4(
    api: APIClient, cast: Any, flagged: Any, django_capture_on_commit_callbacks: Any
) -> None:
    api.force_authenticate(cast.alice)
    with django_capture_on_commit_callbacks(execute=True):
        uid = api.post(AREAS, PAYLOAD, format="json").json()["uid"]
    api.force_authenticate(cast.cuong)
    rows = api.get(f"{AREAS}{uid}/flags/").json()["results"]
    assert [r["person"]["full_name"] for r in rows] == ["Nguyễn Văn An"]
    assert rows[0]["reason"].startswith("Đến Phường Thạch Thang ngày 26/07/2020")
    own = api.get("/api/v1/exposure-flags/", {"person": str(flagged.an.uid)})
    assert own.status_code == 200
    assert len(own.json()) == 1
    assert AuditLog.objects.filter(actor=cast.cuong, action=AuditAction.READ, object_uid=str(flagged.an.uid)).exists()
    # chi (Quang Vinh) does not see An: 404, and An is not in her list.
    api.force_authenticate(cast.chi)
    assert api.get("/api/v1/exposure-flags/", {"person": str(flagged.an.uid)}).status_code == 404
    assert [r["person"]["full_name"] for r in api.get(f"{AREAS}{uid}/flags/").json()["results"]] == ["Trần Thị Bình"]
    assert api.get("/api/v1/exposure-flags/").status_code == 400
    # alice filters by commune (uid or GSO code); an unknown unit is a field error.
    api.force_authenticate(cast.alice)
    by_commune = api.get(f"{AREAS}{uid}/flags/", {"unit": "05431"}).json()["results"]
    assert [r["person"]["full_name"] for r in by_commune] == ["Nguyễn Văn An"]
    assert len(api.get(f"{AREAS}{uid}/flags/", {"unit": str(flagged.binh.residence_unit.uid)}).json()["results"]) == 1
    assert api.get(f"{AREAS}{uid}/flags/", {"unit": "00000"}).json()["unit"] == ["Không có đơn vị hành chính “00000”."]


def test_patch_ends_area_and_clears_flags_M5(
    api: APIClient, cast: Any, flagged: Any, django_capture_on_commit_callbacks: Any
) -> None:
    api.force_authenticate(cast.alice)
    with django_capture_on_commit_callbacks(execute=True):
        uid = api.post(AREAS, PAYLOAD, format="json").json()["uid"]
    with django_capture_on_commit_callbacks(execute=True):
        response = api.patch(f"{AREAS}{uid}/", {"end_date": "2020-07-27"}, format="json")
    assert response.status_code == 200
    assert response.json()["end_date"] == "2020-07-27"
    # An (26/07) stays flagged, Bình (28/07) is cleared.
    assert {f.person.full_name for f in ExposureFlag.objects.filter(cleared_at__isnull=True)} == {"Nguyễn Văn An"}
    cleared = api.get(f"{AREAS}{uid}/flags/", {"status": "cleared"}).json()["results"]
    assert [r["person"]["full_name"] for r in cleared] == ["Trần Thị Bình"]
    assert api.patch(f"{AREAS}{uid}/", {"end_date": "2020-07-01"}, format="json").status_code == 400


@pytest.mark.parametrize(
    ("change", "field", "message"),
    [
        ({"end_date": "2020-07-01"}, "end_date", "Ngày kết thúc không được trước ngày bắt đầu."),
        ({"kind": "country", "unit": "", "country": "ZZ"}, "country", "Không có mã nước “ZZ” trong danh mục."),
        ({"kind": "country", "unit": ""}, "country", "Chọn nước."),
        ({"unit": ""}, "unit", "Chọn tỉnh, huyện hoặc xã."),
        ({"source_number": ""}, "source_number", "Nhập số văn bản hoặc nội dung căn cứ công bố."),
    ],
)
def test_bad_input_gives_field_errors_and_stores_nothing_M5(
    api: APIClient, cast: Any, da_nang: Any, change: dict[str, Any], field: str, message: str
) -> None:
    api.force_authenticate(cast.alice)
    response = api.post(AREAS, {**PAYLOAD, **change}, format="json", HTTP_ACCEPT_LANGUAGE="vi")
    assert response.status_code == 400
    assert response.json()[field] == [message]
    assert not EpidemicArea.objects.exists()


def test_unknown_unit_explains_how_to_load_it_M5(api: APIClient, cast: Any, tree: Any) -> None:
    api.force_authenticate(cast.alice)
    response = api.post(AREAS, {**PAYLOAD, "unit": "79"}, format="json")
    assert response.status_code == 400
    assert "load_units --province" in response.json()["unit"][0]


def test_only_managers_declare_M5(api: APIClient, cast: Any, da_nang: Any) -> None:
    api.force_authenticate(cast.dan)
    assert api.post(AREAS, PAYLOAD, format="json").status_code == 403
    assert not EpidemicArea.objects.exists()


def test_visit_api_records_and_flags_in_scope_only_M5(
    api: APIClient, cast: Any, residents: Any, django_capture_on_commit_callbacks: Any
) -> None:
    api.force_authenticate(cast.alice)
    with django_capture_on_commit_callbacks(execute=True):
        api.post(
            AREAS,
            {**PAYLOAD, "kind": "country", "unit": "", "country": "CN", "start_date": "2020-01-23"},
            format="json",
        )
    visit = {"person": str(residents.an.uid), "kind": "country", "country": "cn", "from_date": "2020-01-25",
             "reported_on": "2020-02-01", "source": "travel:1"}  # fmt: skip
    api.force_authenticate(cast.chi)
    assert api.post("/api/v1/place-visits/", visit, format="json").status_code == 404
    api.force_authenticate(cast.cuong)
    response = api.post("/api/v1/place-visits/", visit, format="json")
    assert response.status_code == 201, response.json()
    assert response.json()["active_flags"] == 1
    bad = api.post("/api/v1/place-visits/", {**visit, "to_date": "2020-01-01"}, format="json")
    assert bad.status_code == 400
    assert "to_date" in bad.json()
    assert PlaceVisit.objects.count() == 1
