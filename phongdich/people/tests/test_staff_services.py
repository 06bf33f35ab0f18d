"""Staff membership services (D2–D3): the rules of the management chain, scope, audit lines."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, timedelta
from typing import Any

import pytest
from django.utils import timezone

from phongdich.core.errors import ApplicationError, NotInScope
from phongdich.core.models import AuditAction, AuditLog
from phongdich.people.models import StaffCategory, StaffMembership
from phongdich.people.staff_services import (
    HEAD_TAKEN,
    membership_create,
    membership_end,
    membership_update,
)

from .factories import PersonFactory, StaffMembershipFactory, StaffTree, build_staff_tree


@pytest.fixture
def staff(cast: Any, tree: Any) -> StaffTree:
    return build_staff_tree(company=cast.enterprise, unit=tree.dac_son)


def _newcomer(staff: StaffTree, tree: Any) -> Any:
    return PersonFactory(full_name="Hoàng Thị Mới", residence_unit=tree.dac_son, organisation=staff.team)


# Each case: what is attempted (through the service), the field refused and a fragment of the message.
Attempt = Callable[[StaffTree, Any, Any], Any]

RULES: list[tuple[str, Attempt, str, str]] = [
    (
        "manager_in_an_unrelated_organisation",
        lambda s, t, c: membership_create(
            actor=None,
            person=_newcomer(s, t),
            organisation=s.team,
            position="Công nhân",
            category=StaffCategory.WORKER,
            manager=s.outsider,
            start_date=date(2021, 1, 1),
        ),
        "manager",
        "cơ quan cấp trên",
    ),
    (
        "manager_in_a_sub_unit_not_an_ancestor",
        lambda s, t, c: membership_update(actor=None, membership=s.workshop_head, manager=s.deputy),
        "manager",
        "cơ quan cấp trên",
    ),
    (
        "manager_is_oneself",
        lambda s, t, c: membership_update(actor=None, membership=s.worker, manager=s.worker),
        "manager",
        "chính người này",
    ),
    (
        "manager_is_the_same_person_in_another_post",
        lambda s, t, c: membership_create(
            actor=None,
            person=s.deputy.person,
            organisation=s.workshop,
            position="Kiêm nhiệm kế hoạch",
            category=StaffCategory.WORKER,
            manager=StaffMembershipFactory(person=s.deputy.person, organisation=s.company, position="Cố vấn"),
            start_date=date(2021, 1, 1),
        ),
        "manager",
        "chính người này",
    ),
    (
        "cycle_in_the_manager_chain",
        lambda s, t, c: membership_update(actor=None, membership=s.team_head, manager=s.worker),
        "manager",
        "vòng lặp",
    ),
    (
        "manager_whose_post_has_ended",
        lambda s, t, c: membership_update(actor=None, membership=s.worker, manager=s.peer),
        "manager",
        "không còn công tác",
    ),
    (
        "second_head_on_create",
        lambda s, t, c: membership_create(
            actor=None,
            person=_newcomer(s, t),
            organisation=s.team,
            position="Tổ trưởng",
            category=StaffCategory.WORKER,
            is_head=True,
            start_date=date(2022, 1, 1),
        ),
        "is_head",
        "đã có thủ trưởng",
    ),
    (
        "second_head_on_update",
        lambda s, t, c: membership_update(actor=None, membership=s.deputy, is_head=True),
        "is_head",
        "đã có thủ trưởng",
    ),
    (
        "end_before_start",
        lambda s, t, c: membership_end(actor=None, membership=s.worker, end_date=date(2019, 12, 31)),
        "end_date",
        "không được trước ngày bắt đầu",
    ),
    (
        "already_a_member",
        lambda s, t, c: membership_create(
            actor=None,
            person=s.worker.person,
            organisation=s.team,
            position="Công nhân",
            category=StaffCategory.WORKER,
            start_date=date(2023, 1, 1),
        ),
        "person",
        "đang công tác tại cơ quan",
    ),
    (
        "position_blank",
        lambda s, t, c: membership_create(
            actor=None,
            person=_newcomer(s, t),
            organisation=s.team,
            position="  ",
            category=StaffCategory.WORKER,
            start_date=date(2023, 1, 1),
        ),
        "position",
        "chức vụ",
    ),
    (
        "person_outside_the_actors_scope",
        lambda s, t, c: membership_create(
            actor=c.oanh,
            person=PersonFactory(full_name="Lê Thị Xa", residence_unit=t.quang_vinh),
            organisation=s.team,
            position="Công nhân",
            category=StaffCategory.WORKER,
            start_date=date(2023, 1, 1),
        ),
        "person",
        "ngoài phạm vi",
    ),
]


PREPARE: dict[str, Callable[[StaffTree], Any]] = {
    "manager_whose_post_has_ended": lambda s: membership_end(
        actor=None, membership=s.peer, end_date=timezone.localdate() - timedelta(days=1)
    ),
}


@pytest.mark.parametrize(("case", "attempt", "field", "fragment"), RULES, ids=[r[0] for r in RULES])
def test_membership_rules_refuse_with_a_vietnamese_message_and_write_nothing_D3(
    staff: StaffTree, tree: Any, cast: Any, case: str, attempt: Attempt, field: str, fragment: str
) -> None:
    if case in PREPARE:
        PREPARE[case](staff)
    before = {m.pk: (m.manager_id, m.is_head, m.end_date) for m in StaffMembership.objects.all()}
    with pytest.raises(ApplicationError) as info:
        attempt(staff, tree, cast)
    assert info.value.field == field
    assert fragment in str(info.value.message)
    after = {m.pk: (m.manager_id, m.is_head, m.end_date) for m in StaffMembership.objects.filter(pk__in=list(before))}
    assert after == before


def test_an_out_of_scope_officer_cannot_write_staff_D4(staff: StaffTree, cast: Any, tree: Any) -> None:
    person = PersonFactory(full_name="Lê Thị Gần", residence_unit=tree.quang_vinh)
    lines = AuditLog.objects.count()
    with pytest.raises(NotInScope):
        membership_create(
            actor=cast.chi,
            person=person,
            organisation=staff.team,
            position="Công nhân",
            category=StaffCategory.WORKER,
            start_date=date(2023, 1, 1),
        )
    with pytest.raises(NotInScope):
        membership_update(actor=cast.chi, membership=staff.worker, position="Tổ phó")
    with pytest.raises(NotInScope):
        membership_end(actor=cast.chi, membership=staff.worker, end_date=date(2024, 1, 1))
    assert AuditLog.objects.count() == lines
    staff.worker.refresh_from_db()
    assert (staff.worker.position, staff.worker.end_date) == ("Công nhân", None)


def test_create_in_scope_is_audited_D3(staff: StaffTree, cast: Any, tree: Any) -> None:
    person = _newcomer(staff, tree)
    membership = membership_create(
        actor=cast.oanh,
        person=person,
        organisation=staff.team,
        position="Công nhân",
        category=StaffCategory.WORKER,
        is_party_member=True,
        manager=staff.deputy,
        start_date=date(2023, 3, 1),
    )
    line = AuditLog.objects.get(action=AuditAction.CREATE, object_uid=str(membership.uid))
    assert line.actor == cast.oanh
    assert line.object_type == "people.staffmembership"
    assert line.detail["manager"] == str(staff.deputy.uid)
    assert line.detail["is_party_member"] is True


def test_update_changes_only_what_is_given_and_audits_the_change_D3(staff: StaffTree, cast: Any) -> None:
    updated = membership_update(actor=cast.oanh, membership=staff.worker, position="Công nhân bậc 3", manager=None)
    assert (updated.position, updated.manager_id, updated.category) == ("Công nhân bậc 3", None, "worker")
    line = AuditLog.objects.filter(action=AuditAction.UPDATE, object_uid=str(staff.worker.uid)).get()
    assert line.actor == cast.oanh
    assert line.detail["changed"] == {
        "position": ["Công nhân", "Công nhân bậc 3"],
        "manager": [str(staff.deputy.uid), None],
    }
    # nothing changed: nothing written
    membership_update(actor=cast.oanh, membership=staff.worker, position="Công nhân bậc 3")
    assert AuditLog.objects.filter(action=AuditAction.UPDATE, object_uid=str(staff.worker.uid)).count() == 1


def test_end_is_audited_and_an_ended_post_cannot_be_changed_D3(staff: StaffTree, cast: Any) -> None:
    yesterday = timezone.localdate() - timedelta(days=1)
    membership_end(actor=cast.oanh, membership=staff.peer, end_date=yesterday)
    staff.peer.refresh_from_db()
    assert staff.peer.end_date == yesterday
    line = AuditLog.objects.get(action=AuditAction.UPDATE, object_uid=str(staff.peer.uid))
    assert line.detail == {"operation": "end", "changed": {"end_date": [None, yesterday.isoformat()]}}
    with pytest.raises(ApplicationError) as ended:
        membership_update(actor=cast.oanh, membership=staff.peer, position="Tổ phó")
    assert "đã kết thúc" in str(ended.value.message)
    with pytest.raises(ApplicationError) as again:
        membership_end(actor=cast.oanh, membership=staff.peer, end_date=timezone.localdate())
    assert again.value.field == "end_date"


def test_replace_head_takes_the_title_from_the_old_head_D3(staff: StaffTree, cast: Any) -> None:
    with pytest.raises(ApplicationError) as refused:
        membership_update(actor=cast.oanh, membership=staff.deputy, is_head=True)
    assert str(refused.value.message) == str(
        HEAD_TAKEN % {"org": "Tổ may số 1", "name": "Phạm Thị Tổ", "position": "Tổ trưởng"}
    )
    membership_update(actor=cast.oanh, membership=staff.deputy, is_head=True, replace_head=True)
    heads = StaffMembership.objects.filter(organisation=staff.team, is_head=True)
    assert list(heads) == [staff.deputy]
    demoted = AuditLog.objects.get(action=AuditAction.UPDATE, object_uid=str(staff.team_head.uid))
    assert demoted.detail["changed"] == {"is_head": [True, False]}
    assert demoted.detail["replaced_by"] == str(staff.deputy.uid)


def test_a_new_head_after_the_old_one_left_is_accepted_D3(staff: StaffTree, cast: Any, tree: Any) -> None:
    membership_end(actor=None, membership=staff.team_head, end_date=date(2022, 12, 31))
    newcomer = _newcomer(staff, tree)
    head = StaffMembershipFactory(person=newcomer, organisation=staff.team, is_head=True, start_date=date(2023, 1, 1))
    assert head.is_head
    # ... and so is a deputy promoted today, the old head's term being over
    membership_end(actor=None, membership=head, end_date=timezone.localdate() - timedelta(days=1))
    assert membership_update(actor=None, membership=staff.deputy, is_head=True).is_head


def test_factories_go_through_the_services_D3(cast: Any, tree: Any) -> None:
    membership = StaffMembershipFactory(organisation=cast.enterprise)
    assert AuditLog.objects.filter(action=AuditAction.CREATE, object_uid=str(membership.uid)).exists()
    assert AuditLog.objects.filter(action=AuditAction.CREATE, object_uid=str(membership.person.uid)).exists()
    with pytest.raises(ApplicationError):
        StaffMembershipFactory(organisation=cast.enterprise, position="")
