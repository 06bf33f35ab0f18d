"""Who may approve for X (D3): the approver chain over a three-level organisation tree, through the
selectors, the API and the person page."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from phongdich.core.models import AuditAction, AuditLog
from phongdich.people.selectors import may_approve
from phongdich.people.staff_selectors import Relation, approver_chain, person_approvers

from .factories import StaffTree, build_staff_tree


@pytest.fixture
def staff(cast: Any, tree: Any) -> StaffTree:
    return build_staff_tree(company=cast.enterprise, unit=tree.dac_son)


# worker → deputy (direct head) → team head → workshop head (higher leaders, by manager links)
#        → director (head of the parent organisation of the workshop)
EXPECTED_CHAIN = [
    ("deputy", Relation.DIRECT_HEAD),
    ("team_head", Relation.HIGHER_LEADER),
    ("workshop_head", Relation.HIGHER_LEADER),
    ("director", Relation.ORGANISATION_HEAD),
]

MAY_APPROVE = [
    ("deputy", True),  # direct head
    ("team_head", True),  # higher leader
    ("workshop_head", True),  # higher leader
    ("director", True),  # head of the organisation above
    ("peer", False),  # a colleague at the same level
    ("worker", False),  # oneself
    ("outsider", False),  # the head of an organisation outside the chain
]


def test_the_chain_is_ordered_and_labelled_D3(staff: StaffTree) -> None:
    chain = approver_chain(membership=staff.worker)
    assert [(a.membership, a.relation) for a in chain] == [(staff.by_key(k), r) for k, r in EXPECTED_CHAIN]
    # the director approves for the workshop head as head of the parent organisation
    assert [(a.membership, a.relation) for a in approver_chain(membership=staff.workshop_head)] == [
        (staff.director, Relation.ORGANISATION_HEAD)
    ]
    assert approver_chain(membership=staff.director) == []


@pytest.mark.parametrize(("approver", "expected"), MAY_APPROVE)
def test_who_may_approve_through_the_api_D3(
    client: Client, staff: StaffTree, cast: Any, approver: str, expected: bool
) -> None:
    client.force_login(cast.oanh)
    response = client.get(reverse("api:staff-approvers", args=[staff.worker.uid]))
    assert response.status_code == 200
    listed = {row["membership"]: row for row in response.json()}
    member = staff.by_key(approver)
    assert (str(member.uid) in listed) is expected
    assert may_approve(approver=member.person, for_membership=staff.worker) is expected
    if expected:
        row = listed[str(member.uid)]
        assert row["person"] == {"uid": str(member.person.uid), "full_name": member.person.full_name}
        assert row["organisation"] == {"uid": str(member.organisation.uid), "name": member.organisation.name}
        assert row["position"] == member.position
        assert row["relation"] == dict(EXPECTED_CHAIN)[approver].value


def test_the_api_chain_is_nearest_first_and_its_read_is_audited_D3(client: Client, staff: StaffTree, cast: Any) -> None:
    client.force_login(cast.oanh)
    rows = client.get(reverse("api:staff-approvers", args=[staff.worker.uid])).json()
    assert [(r["membership"], r["relation"]) for r in rows] == [
        (str(staff.by_key(k).uid), r.value) for k, r in EXPECTED_CHAIN
    ]
    line = AuditLog.objects.get(action=AuditAction.READ, object_uid=str(staff.worker.uid))
    assert line.actor == cast.oanh


def test_who_may_approve_for_a_person_lists_each_current_post_D3(client: Client, staff: StaffTree, cast: Any) -> None:
    client.force_login(cast.oanh)
    response = client.get(reverse("api:people-approvers", args=[staff.worker.person.uid]))
    assert response.status_code == 200
    (post,) = response.json()
    assert post["membership"]["uid"] == str(staff.worker.uid)
    assert [a["person"]["full_name"] for a in post["approvers"]] == [
        "Vũ Văn Phó",
        "Phạm Thị Tổ",
        "Lê Văn Xưởng",
        "Trần Văn Giám",
    ]
    assert [p.membership for p in person_approvers(person=staff.worker.person)] == [staff.worker]


@pytest.mark.parametrize(("approver", "expected"), MAY_APPROVE)
def test_who_may_approve_on_the_person_page_D3(
    client: Client, staff: StaffTree, cast: Any, approver: str, expected: bool
) -> None:
    client.force_login(cast.oanh)
    response = client.get(reverse("people:detail", args=[staff.worker.person.uid]))
    assert response.status_code == 200
    html = response.content.decode()
    assert "Người có thẩm quyền phê duyệt" in html
    section = html.split('<ol class="approvers">', 1)[1].split("</ol>", 1)[0]
    assert (staff.by_key(approver).person.full_name in section) is expected


def test_the_person_page_names_the_relations_in_order_D3(client: Client, staff: StaffTree, cast: Any) -> None:
    client.force_login(cast.oanh)
    html = client.get(reverse("people:detail", args=[staff.worker.person.uid])).content.decode()
    section = html.split('<ol class="approvers">', 1)[1].split("</ol>", 1)[0]
    positions = [section.index(staff.by_key(k).person.full_name) for k, _r in EXPECTED_CHAIN]
    assert positions == sorted(positions)
    for label in ("lãnh đạo trực tiếp", "lãnh đạo cấp trên", "thủ trưởng cơ quan"):
        assert label in section


@pytest.mark.parametrize("persona", ["chi", "cuong", "hoa"])
def test_out_of_scope_officers_get_404_for_the_chain_D4(
    client: Client, staff: StaffTree, cast: Any, persona: str
) -> None:
    client.force_login(getattr(cast, persona))
    assert client.get(reverse("api:staff-approvers", args=[staff.worker.uid])).status_code == 404
    assert client.get(reverse("api:people-approvers", args=[staff.worker.person.uid])).status_code == 404
    assert client.get(reverse("people:detail", args=[staff.worker.person.uid])).status_code == 404
    assert not AuditLog.objects.filter(action=AuditAction.READ).exists()
