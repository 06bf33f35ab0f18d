"""Exposure pages and API (C4): candidates of a case (audited read, scoped, keyset), bulk confirm as F1
and dismiss with Vietnamese per-item errors, run on demand, Excel export (audited), OpenAPI schema."""

from __future__ import annotations

import io
from collections.abc import Callable
from datetime import timedelta
from typing import Any

from django.test import Client
from django.urls import reverse
from openpyxl import load_workbook
from rest_framework.test import APIClient

from phongdich.core.models import AuditAction, AuditLog
from phongdich.exposures.models import CandidateStatus, ExposureCandidate
from phongdich.tracing.models import Contact, ContactLevel

from .conftest import Scene, at, check_in, confirm, make_person


def login(client: Client, user: Any, cast: Any) -> Client:
    assert client.login(username=user.username, password=cast.password)
    return client


def api(user: Any) -> APIClient:
    client = APIClient()
    client.force_authenticate(user)
    return client


def by_name(case: Any) -> dict[str, ExposureCandidate]:
    return {r.person.full_name: r for r in ExposureCandidate.objects.filter(case=case).select_related("person")}


def make_case(scene: Scene, run_commits: Callable[..., Any]) -> Any:
    return run_commits(lambda: confirm(scene.x, onset=scene.day, day=scene.day + timedelta(days=1)))


def test_candidates_page_lists_premises_overlap_and_is_audited_C4(
    client: Client, cast: Any, scene: Scene, run_commits: Callable[..., Any]
) -> None:
    case = make_case(scene, run_commits)
    login(client, cast.cuong, cast)
    page = client.get(reverse("exposures:case", args=[case.uid])).content.decode()
    assert "Trần Thị Cùng" in page
    assert "Xưởng may số 2" in page
    assert "08:30" in page
    assert "09:15" in page
    assert ">45<" in page
    assert "Lê Văn Muộn" not in page  # 11:00: no overlap
    assert "Xác nhận là F1" in page
    assert AuditLog.objects.filter(action=AuditAction.READ, object_uid=str(case.uid), actor=cast.cuong).exists()
    # The pending list names the case.
    pending = client.get(reverse("exposures:pending")).content.decode()
    assert reverse("exposures:case", args=[case.uid]) in pending


def test_candidates_scoped_to_visible_cases_C4(
    client: Client, cast: Any, scene: Scene, run_commits: Callable[..., Any]
) -> None:
    case = make_case(scene, run_commits)
    login(client, cast.chi, cast)  # Quang Vinh: the case is counted in Quán Triều
    assert client.get(reverse("exposures:case", args=[case.uid])).status_code == 404
    assert client.get(reverse("exposures:case-export", args=[case.uid])).status_code == 404
    a = by_name(case)["Trần Thị Cùng"]
    response = client.post(reverse("exposures:case", args=[case.uid]), {"action": "confirm", "candidate": [a.uid]})
    assert response.status_code == 404
    assert reverse("exposures:case", args=[case.uid]) not in client.get(reverse("exposures:pending")).content.decode()
    assert api(cast.chi).get(f"/api/v1/cases/{case.uid}/exposures/").status_code == 404
    a.refresh_from_db()
    assert a.status == CandidateStatus.NEW


def test_page_bulk_confirm_and_dismiss_C4(
    client: Client, cast: Any, scene: Scene, run_commits: Callable[..., Any], django_capture_on_commit_callbacks: Any
) -> None:
    case = make_case(scene, run_commits)
    found = by_name(case)
    a, d = found["Trần Thị Cùng"], found["Hoàng Văn Vinh"]
    login(client, cast.dan, cast)
    url = reverse("exposures:case", args=[case.uid])
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url, {"action": "confirm", "candidate": [a.uid]}, follow=True)
    assert "Đã xác nhận 1 người là F1" in response.content.decode()
    assert ContactLevel.objects.get(person=scene.a).level == 1
    response = client.post(url, {"action": "dismiss", "candidate": [d.uid]}, follow=True)
    assert "Đã loại 1 người." in response.content.decode()
    d.refresh_from_db()
    assert d.status == CandidateStatus.DISMISSED
    # Deciding again: the Vietnamese message names the person, nothing changes.
    response = client.post(url, {"action": "confirm", "candidate": [d.uid]}, follow=True)
    body = response.content.decode()
    assert "Không lưu thay đổi nào: 1 mục không hợp lệ." in body
    assert "Hoàng Văn Vinh: Đã được xử lý trước đó (Đã loại)." in body
    assert not Contact.objects.filter(contact=scene.d).exists()
    response = client.post(url, {"action": "confirm"}, follow=True)
    assert "Vui lòng chọn ít nhất một người." in response.content.decode()


def test_page_run_on_demand_and_export_audited_C4(
    client: Client, cast: Any, scene: Scene, run_commits: Callable[..., Any]
) -> None:
    case = make_case(scene, run_commits)
    check_in(scene.b, scene.workshop, at(scene.day, 9))
    login(client, cast.cuong, cast)
    response = client.post(reverse("exposures:case", args=[case.uid]), {"action": "run"}, follow=True)
    assert "Đã đối chiếu lại: 1 người mới" in response.content.decode()
    assert "Lê Văn Muộn" in by_name(case)
    response = client.get(reverse("exposures:case-export", args=[case.uid]), {"status": ""})
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][0] == "Họ và tên"
    assert {r[0] for r in rows[1:]} == {"Trần Thị Cùng", "Hoàng Văn Vinh", "Lê Văn Muộn"}
    assert AuditLog.objects.filter(action=AuditAction.EXPORT, object_uid=str(case.uid), actor=cast.cuong).exists()


def test_candidates_keyset_pages_C4(client: Client, cast: Any, scene: Scene, run_commits: Callable[..., Any]) -> None:
    for i in range(55):
        check_in(make_person(scene.x.residence_unit), scene.workshop, at(scene.day, 8, i % 60))
    case = make_case(scene, run_commits)
    assert ExposureCandidate.objects.filter(case=case).count() == 57
    first = api(cast.alice).get(f"/api/v1/cases/{case.uid}/exposures/").json()
    assert len(first["results"]) == 50
    second = api(cast.alice).get(first["next"]).json()
    assert len(second["results"]) == 7
    assert second["next"] is None
    assert not {r["uid"] for r in first["results"]} & {r["uid"] for r in second["results"]}
    login(client, cast.alice, cast)
    page = client.get(reverse("exposures:case", args=[case.uid])).content.decode()
    assert 'rel="next"' in page


def test_api_list_run_confirm_C4(cast: Any, scene: Scene, run_commits: Callable[..., Any]) -> None:
    case = make_case(scene, run_commits)
    client = api(cast.dan)
    base = f"/api/v1/cases/{case.uid}/exposures/"
    listed = client.get(base).json()["results"]
    assert {r["person"]["full_name"] for r in listed} == {"Trần Thị Cùng", "Hoàng Văn Vinh"}
    a = next(r for r in listed if r["person"]["full_name"] == "Trần Thị Cùng")
    assert a["premises"]["name"] == "Xưởng may số 2"
    assert a["overlap_minutes"] == 45
    assert AuditLog.objects.filter(action=AuditAction.READ, object_uid=str(case.uid), actor=cast.dan).exists()
    assert client.post(f"{base}run/").json() == {"created": 0, "updated": 0, "removed": 0, "decided": 0}
    # Bad input: an unknown uid with a good one — 400, per-item Vietnamese errors, nothing stored.
    unknown = "00000000-0000-4000-8000-000000000000"
    response = client.post(f"{base}confirm/", {"candidates": [a["uid"], unknown]}, format="json")
    assert response.status_code == 400
    body = response.json()
    assert body["candidates"] == ["Không lưu thay đổi nào: 1 mục không hợp lệ."]
    assert body["errors"] == {unknown: "Không có trong danh sách người có thể tiếp xúc của ca bệnh này."}
    assert not Contact.objects.exists()
    assert client.post(f"{base}confirm/", {"candidates": "không phải danh sách"}, format="json").status_code == 400
    assert client.get(base, {"status": "sai"}).status_code == 400
    # Good input: all confirmed, contacts named.
    uids = [r["uid"] for r in listed]
    response = client.post(f"{base}confirm/", {"candidates": uids}, format="json")
    assert response.status_code == 200
    assert response.json()["count"] == 2
    assert Contact.objects.filter(source=scene.x).count() == 2
    assert {r["status"] for r in client.get(base, {"status": "confirmed"}).json()["results"]} == {"confirmed"}


def test_exposures_in_openapi_schema_C4(client: Client, cast: Any) -> None:
    client.force_login(cast.alice)
    schema = client.get("/api/schema/?format=json").json()
    paths = schema["paths"]
    assert "get" in paths["/api/v1/cases/{uid}/exposures/"]
    for action in ("run", "confirm", "dismiss"):
        assert "post" in paths[f"/api/v1/cases/{{uid}}/exposures/{action}/"]


def test_pending_export_lists_undecided_people_in_scope_and_is_audited_C4(
    client: Client, cast: Any, scene: Scene, run_commits: Callable[..., Any]
) -> None:
    case = make_case(scene, run_commits)
    pending = {name for name, r in by_name(case).items() if r.status == CandidateStatus.NEW}
    assert pending
    login(client, cast.cuong, cast)
    response = client.get(reverse("exposures:pending-export"))
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][:2] == ("Mã ca bệnh", "Họ và tên")
    assert {r[1] for r in rows[1:]} == pending
    assert {r[0] for r in rows[1:]} == {case.case_code}
    line = AuditLog.objects.get(action=AuditAction.EXPORT, actor=cast.cuong)
    assert line.detail["rows"] == len(pending)
    # Outside the case's commune: an empty file, still audited.
    client.logout()
    login(client, cast.chi, cast)
    rows = list(load_workbook(io.BytesIO(client.get(reverse("exposures:pending-export")).content)).active.values)
    assert rows[1:] == []
