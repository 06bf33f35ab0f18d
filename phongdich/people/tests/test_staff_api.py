"""Staff API (D2–D3): list, create, retrieve, patch, end, export; field errors; scope 404 (D4); audit."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from phongdich.core.models import AuditAction, AuditLog
from phongdich.orgs.tests.factories import OrganisationFactory
from phongdich.people.models import StaffMembership

from .factories import PersonFactory, StaffMembershipFactory, StaffTree, build_staff_tree


@pytest.fixture
def staff(cast: Any, tree: Any) -> StaffTree:
    return build_staff_tree(company=cast.enterprise, unit=tree.dac_son)


def api(client: Client, user: Any) -> Client:
    client.force_login(user)
    return client


def test_list_of_an_organisation_head_first_then_by_name_D3(client: Client, staff: StaffTree, cast: Any) -> None:
    response = api(client, cast.oanh).get(reverse("api:staff-list"), {"organisation": str(staff.team.uid)})
    assert response.status_code == 200
    body = response.json()
    assert [r["person"]["full_name"] for r in body["results"]] == [
        "Phạm Thị Tổ",
        "Đỗ Thị Công",
        "Ngô Văn Bạn",
        "Vũ Văn Phó",
    ]
    head = body["results"][0]
    assert head["is_head"] is True
    assert head["manager"]["person"]["full_name"] == "Lê Văn Xưởng"
    assert head["organisation"] == {"uid": str(staff.team.uid), "name": "Tổ may số 1"}
    assert body["next"] is None


def test_list_with_sub_organisations_pages_by_keyset_D3(client: Client, staff: StaffTree, cast: Any) -> None:
    api(client, cast.oanh)
    url = reverse("api:staff-list")
    params = {"organisation": str(staff.company.uid), "include_sub": "true", "limit": "2"}
    seen: list[str] = []
    response = client.get(url, params)
    pages = 0
    while True:
        body = response.json()
        pages += 1
        seen += [r["uid"] for r in body["results"]]
        if not body["next"]:
            break
        response = client.get(body["next"])
    assert pages == 3
    expected = [staff.director, staff.workshop_head, staff.team_head, staff.deputy, staff.worker, staff.peer]
    assert sorted(seen) == sorted(str(m.uid) for m in expected)
    assert len(seen) == len(set(seen))
    # heads come first
    assert {seen[0], seen[1], seen[2]} == {
        str(staff.director.uid),
        str(staff.workshop_head.uid),
        str(staff.team_head.uid),
    }
    # without an organisation: every organisation in scope (oanh: the company's tree, not the other company)
    everything = client.get(url, {"limit": "50"}).json()["results"]
    assert {r["uid"] for r in everything} == {str(m.uid) for m in expected}


def test_create_then_read_patch_end_with_audit_lines_D3(client: Client, staff: StaffTree, cast: Any, tree: Any) -> None:
    person = PersonFactory(full_name="Hoàng Thị Mới", residence_unit=tree.dac_son, organisation=staff.team)
    api(client, cast.oanh)
    created = client.post(
        reverse("api:staff-list"),
        {
            "person": str(person.uid),
            "organisation": str(staff.team.uid),
            "position": "Công nhân",
            "category": "worker",
            "is_party_member": True,
            "manager": str(staff.deputy.uid),
            "start_date": "2024-02-01",
        },
        content_type="application/json",
    )
    assert created.status_code == 201, created.content
    uid = created.json()["uid"]
    assert created.json()["manager"]["uid"] == str(staff.deputy.uid)
    assert AuditLog.objects.filter(action=AuditAction.CREATE, object_uid=uid, actor=cast.oanh).exists()

    read = client.get(reverse("api:staff-detail", args=[uid]))
    assert read.status_code == 200
    assert read.json()["is_current"] is True
    assert AuditLog.objects.filter(action=AuditAction.READ, object_uid=uid, actor=cast.oanh).exists()

    patched = client.patch(
        reverse("api:staff-detail", args=[uid]),
        {"position": "Tổ phó", "manager": str(staff.team_head.uid)},
        content_type="application/json",
    )
    assert patched.status_code == 200, patched.content
    assert (patched.json()["position"], patched.json()["manager"]["uid"]) == ("Tổ phó", str(staff.team_head.uid))
    assert patched.json()["category"] == "worker"  # untouched
    line = AuditLog.objects.get(action=AuditAction.UPDATE, object_uid=uid)
    assert set(line.detail["changed"]) == {"position", "manager"}

    yesterday = timezone.localdate() - timedelta(days=1)
    ended = client.post(
        reverse("api:staff-end", args=[uid]), {"end_date": yesterday.isoformat()}, content_type="application/json"
    )
    assert ended.status_code == 200
    assert (ended.json()["end_date"], ended.json()["is_current"]) == (yesterday.isoformat(), False)
    assert AuditLog.objects.filter(action=AuditAction.UPDATE, object_uid=uid, detail__operation="end").exists()


@pytest.mark.parametrize(
    ("payload", "field", "fragment"),
    [
        ({"manager": "outsider"}, "manager", "cơ quan cấp trên"),
        ({"is_head": True}, "is_head", "đã có thủ trưởng"),
        ({"position": ""}, "position", ""),
        ({"category": "boss"}, "category", ""),
        ({"start_date": "31/02/2024"}, "start_date", ""),
        ({"organisation": "other_scope"}, "organisation", ""),
    ],
)
def test_create_refusals_are_400_with_field_errors_D3(
    client: Client, staff: StaffTree, cast: Any, tree: Any, payload: dict[str, Any], field: str, fragment: str
) -> None:
    person = PersonFactory(full_name="Hoàng Thị Mới", residence_unit=tree.dac_son, organisation=staff.team)
    data: dict[str, Any] = {
        "person": str(person.uid),
        "organisation": str(staff.team.uid),
        "position": "Công nhân",
        "category": "worker",
        "start_date": "2024-02-01",
        **payload,
    }
    if data.get("manager") == "outsider":
        data["manager"] = str(staff.outsider.uid)
    if data["organisation"] == "other_scope":
        data["organisation"] = str(OrganisationFactory(name="UBND phường Quang Vinh", unit=tree.quang_vinh).uid)
    count = StaffMembership.objects.count()
    response = api(client, cast.oanh).post(reverse("api:staff-list"), data, content_type="application/json")
    assert response.status_code == 400
    assert field in response.json()
    assert fragment in " ".join(response.json()[field])
    assert StaffMembership.objects.count() == count


def test_end_before_start_is_a_400_on_end_date_D3(client: Client, staff: StaffTree, cast: Any) -> None:
    response = api(client, cast.oanh).post(
        reverse("api:staff-end", args=[staff.worker.uid]), {"end_date": "2019-12-31"}, content_type="application/json"
    )
    assert response.status_code == 400
    assert "không được trước ngày bắt đầu" in response.json()["end_date"][0]


def test_a_cycle_is_a_400_on_manager_D3(client: Client, staff: StaffTree, cast: Any) -> None:
    response = api(client, cast.oanh).patch(
        reverse("api:staff-detail", args=[staff.team_head.uid]),
        {"manager": str(staff.worker.uid)},
        content_type="application/json",
    )
    assert response.status_code == 400
    assert "vòng lặp" in response.json()["manager"][0]


def test_out_of_scope_officer_gets_404_everywhere_and_in_scope_head_does_not_D4(
    client: Client, staff: StaffTree, cast: Any, tree: Any
) -> None:
    worker = str(staff.worker.uid)
    calls = [
        ("get", reverse("api:staff-list") + f"?organisation={staff.team.uid}", None),
        ("get", reverse("api:staff-detail", args=[worker]), None),
        ("patch", reverse("api:staff-detail", args=[worker]), {"position": "Tổ phó"}),
        ("post", reverse("api:staff-end", args=[worker]), {"end_date": timezone.localdate().isoformat()}),
        ("get", reverse("api:staff-approvers", args=[worker]), None),
        ("get", reverse("api:staff-export", args=["xlsx"]) + f"?organisation={staff.team.uid}", None),
    ]
    api(client, cast.chi)
    for method, url, data in calls:
        response = getattr(client, method)(url, data, content_type="application/json") if data else client.get(url)
        assert response.status_code == 404, (method, url)
    assert client.get(reverse("api:staff-list")).json()["results"] == []
    staff.worker.refresh_from_db()
    assert (staff.worker.position, staff.worker.end_date) == ("Công nhân", None)
    assert not AuditLog.objects.filter(actor=cast.chi).exclude(action=AuditAction.LOGIN).exists()

    api(client, cast.oanh)
    for method, url, data in calls:
        response = getattr(client, method)(url, data, content_type="application/json") if data else client.get(url)
        assert response.status_code == 200, (method, url, response.content)


def test_create_refuses_people_and_organisations_outside_scope_D4(
    client: Client, staff: StaffTree, cast: Any, tree: Any
) -> None:
    stranger = PersonFactory(full_name="Lê Thị Xa", residence_unit=tree.quang_vinh)
    api(client, cast.oanh)
    response = client.post(
        reverse("api:staff-list"),
        {
            "person": str(stranger.uid),
            "organisation": str(staff.team.uid),
            "position": "Công nhân",
            "category": "worker",
            "start_date": "2024-01-01",
        },
        content_type="application/json",
    )
    assert response.status_code == 400
    assert "person" in response.json()
    # chi sees the stranger but not the company
    api(client, cast.chi)
    response = client.post(
        reverse("api:staff-list"),
        {
            "person": str(stranger.uid),
            "organisation": str(staff.team.uid),
            "position": "Công nhân",
            "category": "worker",
            "start_date": "2024-01-01",
        },
        content_type="application/json",
    )
    assert response.status_code == 400
    assert "organisation" in response.json()
    assert not StaffMembership.objects.filter(person=stranger).exists()


def test_a_membership_is_readable_by_whoever_sees_its_person_D4(client: Client, cast: Any, tree: Any) -> None:
    """Chi sees a Quang Vinh resident's post in the company (read only), not the company's staff list."""
    resident = PersonFactory(full_name="Đinh Văn Vinh", residence_unit=tree.quang_vinh)
    post = StaffMembershipFactory(person=resident, organisation=cast.enterprise, start_date=date(2022, 1, 1))
    api(client, cast.chi)
    assert client.get(reverse("api:staff-detail", args=[post.uid])).status_code == 200
    assert client.get(reverse("api:staff-approvers", args=[post.uid])).status_code == 200
    patch = client.patch(
        reverse("api:staff-detail", args=[post.uid]), {"position": "Tổ phó"}, content_type="application/json"
    )
    assert patch.status_code == 404
    assert client.get(reverse("api:staff-list"), {"organisation": str(cast.enterprise.uid)}).status_code == 404


def test_export_is_audited_D4(client: Client, staff: StaffTree, cast: Any) -> None:
    response = api(client, cast.oanh).get(
        reverse("api:staff-export", args=["csv"]), {"organisation": str(staff.team.uid)}
    )
    assert response.status_code == 200
    text = response.content.decode("utf-8-sig")
    assert "Phạm Thị Tổ" in text
    line = AuditLog.objects.get(action=AuditAction.EXPORT)
    assert (line.actor, line.object_uid, line.detail["rows"]) == (cast.oanh, str(staff.team.uid), 4)
    assert api(client, cast.oanh).get(reverse("api:staff-export", args=["csv"])).status_code == 400


def test_list_query_count_is_pinned_D3(
    client: Client, staff: StaffTree, cast: Any, tree: Any, django_assert_max_num_queries: Any
) -> None:
    for i in range(20):
        StaffMembershipFactory(organisation=staff.team, manager=staff.deputy, position=f"Công nhân {i}")
    api(client, cast.oanh)
    with django_assert_max_num_queries(6):
        response = client.get(reverse("api:staff-list"), {"organisation": str(staff.team.uid)})
    assert len(response.json()["results"]) == 24


def test_schema_documents_the_staff_endpoints_D3(client: Client, cast: Any) -> None:
    body = api(client, cast.alice).get("/api/schema/").content.decode()
    for path in (
        "/api/v1/staff/:",
        "/api/v1/staff/{uid}/:",
        "/api/v1/staff/{uid}/end/:",
        "/api/v1/staff/{uid}/approvers/:",
        "/api/v1/people/{uid}/approvers/:",
    ):
        assert path in body
    for relation in ("direct_head", "higher_leader", "organisation_head"):
        assert relation in body
