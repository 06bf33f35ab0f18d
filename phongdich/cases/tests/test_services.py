"""Case services: the allowed transitions, registration rules, database constraints, audit (C1, C5, C6, D4)."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
from django.db import IntegrityError, transaction

from phongdich.cases.models import Case, CaseStatus, CaseStatusChange, DetectedIn, ReportedBy
from phongdich.cases.services import (
    ALREADY_OPEN,
    CONFIRMATION_BEFORE_SAMPLING,
    CONFIRMATION_REQUIRED,
    FACILITY_REQUIRED,
    PERSON_NOT_IN_SCOPE,
    REGISTER_STATUS_REFUSED,
    TRANSITION_REFUSED,
    _code_prefix,
    _next_code,
    allowed_transitions,
    case_register,
    case_transition,
)
from phongdich.core.errors import NotInScope, ValidationFailed
from phongdich.core.models import AuditAction, AuditLog
from phongdich.orgs.models import OrganisationKind
from phongdich.orgs.services import organisation_create

from .conftest import make_person

S = CaseStatus
ALLOWED = {
    (S.SUSPECTED, S.PROBABLE),
    (S.SUSPECTED, S.CONFIRMED),
    (S.SUSPECTED, S.DISCARDED),
    (S.PROBABLE, S.CONFIRMED),
    (S.PROBABLE, S.DISCARDED),
    (S.CONFIRMED, S.RECOVERED),
    (S.CONFIRMED, S.DIED),
}
# The path through the allowed transitions that reaches each status from a new suspected case.
PATH_TO = {
    S.SUSPECTED: [],
    S.PROBABLE: [S.PROBABLE],
    S.CONFIRMED: [S.CONFIRMED],
    S.RECOVERED: [S.CONFIRMED, S.RECOVERED],
    S.DIED: [S.CONFIRMED, S.DIED],
    S.DISCARDED: [S.DISCARDED],
}
DAY = date(2021, 11, 3)


def _case_in(status: str, unit: Any) -> Case:
    case = case_register(actor=None, person=make_person(unit), detected_in=DetectedIn.COMMUNITY)
    for step in PATH_TO[status]:
        case = case_transition(actor=None, case=case, to=step, on_date=DAY)
    assert case.status == status
    return case


@pytest.mark.parametrize("source", S.values)
@pytest.mark.parametrize("target", S.values)
def test_every_transition_is_allowed_or_refused_by_the_table_C1(tree: Any, source: str, target: str) -> None:
    case = _case_in(source, tree.quan_trieu)
    if (source, target) in ALLOWED:
        moved = case_transition(actor=None, case=case, to=target, on_date=DAY, note="xét nghiệm")
        assert moved.status == target
        last = CaseStatusChange.objects.filter(case=case).last()
        assert last is not None
        assert (last.from_status, last.to_status, last.note) == (source, target, "xét nghiệm")
    else:
        with pytest.raises(ValidationFailed) as exc:
            case_transition(actor=None, case=case, to=target, on_date=DAY)
        assert exc.value.message == TRANSITION_REFUSED % {"from": S(source).label, "to": S(target).label}
        assert exc.value.field == "to"
        case.refresh_from_db()
        assert case.status == source


def test_allowed_transitions_lists_only_the_next_statuses_C1(tree: Any) -> None:
    assert allowed_transitions(_case_in(S.SUSPECTED, tree.quan_trieu)) == [S.PROBABLE, S.CONFIRMED, S.DISCARDED]
    assert allowed_transitions(_case_in(S.CONFIRMED, tree.quan_trieu)) == [S.RECOVERED, S.DIED]
    assert allowed_transitions(_case_in(S.DISCARDED, tree.quan_trieu)) == []


def test_confirming_sets_the_confirmation_date_and_moment_C1(tree: Any) -> None:
    case = case_register(
        actor=None, person=make_person(tree.quan_trieu), detected_in=DetectedIn.COMMUNITY, sampling_date=DAY
    )
    with pytest.raises(ValidationFailed) as exc:
        case_transition(actor=None, case=case, to=S.CONFIRMED, on_date=date(2021, 11, 1))
    assert exc.value.message == CONFIRMATION_BEFORE_SAMPLING
    case = case_transition(actor=None, case=case, to=S.CONFIRMED, on_date=date(2021, 11, 4))
    assert case.confirmation_date == date(2021, 11, 4)
    assert case.confirmed_at is not None


@pytest.mark.parametrize("status", [S.RECOVERED, S.DIED, S.DISCARDED])
def test_register_refuses_a_closed_status_C1(tree: Any, status: str) -> None:
    with pytest.raises(ValidationFailed) as exc:
        case_register(actor=None, person=make_person(tree.quan_trieu), detected_in="community", status=status)
    assert exc.value.message == REGISTER_STATUS_REFUSED
    assert not Case.objects.exists()


def test_register_rules_C1(tree: Any) -> None:
    person = make_person(tree.xom1)
    with pytest.raises(ValidationFailed) as exc:
        case_register(actor=None, person=person, detected_in="community", status=S.CONFIRMED)
    assert exc.value.message == CONFIRMATION_REQUIRED
    with pytest.raises(ValidationFailed) as exc:
        case_register(
            actor=None,
            person=person,
            detected_in="community",
            status=S.CONFIRMED,
            sampling_date=date(2021, 11, 5),
            confirmation_date=date(2021, 11, 4),
        )
    assert exc.value.message == CONFIRMATION_BEFORE_SAMPLING
    case = case_register(
        actor=None, person=person, detected_in="community", status=S.CONFIRMED, confirmation_date=date(2021, 11, 4)
    )
    # Counted in the unit the person lives in; a code per province and year.
    assert case.residence_unit == tree.xom1
    assert case.case_code == "TN-2021-0001"
    with pytest.raises(ValidationFailed) as exc:
        case_register(actor=None, person=person, detected_in="community")
    assert exc.value.message == ALREADY_OPEN % {"code": "TN-2021-0001"}
    second = case_register(
        actor=None,
        person=make_person(tree.dac_son),
        detected_in="quarantine",
        sampling_date=date(2021, 12, 1),
        confirmation_date=date(2021, 12, 2),
    )
    assert second.case_code == "TN-2021-0002"
    assert second.confirmation_date is None  # only a confirmed case keeps a confirmation date


def test_a_closed_case_lets_the_person_fall_ill_again_C1(tree: Any) -> None:
    case = _case_in(S.DISCARDED, tree.quan_trieu)
    again = case_register(actor=None, person=case.person, detected_in="community")
    assert again.person == case.person
    assert again.case_code != case.case_code


def test_one_open_case_per_person_is_refused_by_the_database_C1(tree: Any) -> None:
    case = _case_in(S.SUSPECTED, tree.quan_trieu)
    with pytest.raises(IntegrityError), transaction.atomic():
        Case.objects.create(
            case_code="TN-2021-9999",
            person=case.person,
            status=S.CONFIRMED,
            detected_in="community",
            residence_unit=case.residence_unit,
        )


def test_unique_code_and_confirmation_after_sampling_are_database_constraints_C1(tree: Any) -> None:
    case = _case_in(S.DISCARDED, tree.quan_trieu)
    other = make_person(tree.quan_trieu)
    with pytest.raises(IntegrityError), transaction.atomic():
        Case.objects.create(
            case_code=case.case_code,
            person=other,
            status=S.SUSPECTED,
            detected_in="community",
            residence_unit=tree.quan_trieu,
        )
    with pytest.raises(IntegrityError), transaction.atomic():
        Case.objects.create(
            case_code="TN-2021-0500",
            person=other,
            status=S.CONFIRMED,
            detected_in="community",
            residence_unit=tree.quan_trieu,
            sampling_date=date(2021, 11, 5),
            confirmation_date=date(2021, 11, 4),
        )


def test_infection_in_a_health_facility_names_the_facility_C6(tree: Any) -> None:
    person = make_person(tree.quan_trieu)
    with pytest.raises(ValidationFailed) as exc:
        case_register(actor=None, person=person, detected_in=DetectedIn.HEALTH_FACILITY)
    assert exc.value.message == FACILITY_REQUIRED
    assert exc.value.field == "facility"
    hospital = organisation_create(name="Bệnh viện A", kind=OrganisationKind.HOSPITAL, unit=tree.quan_trieu)
    case = case_register(
        actor=None,
        person=person,
        detected_in=DetectedIn.HEALTH_FACILITY,
        facility=hospital,
        acquired_in_facility=True,
    )
    assert (case.facility, case.acquired_in_facility) == (hospital, True)


def test_police_reports_suspected_cases_C5(tree: Any, cast: Any) -> None:
    case = case_register(
        actor=cast.cuong, person=make_person(tree.quan_trieu), detected_in="community", reported_by=ReportedBy.POLICE
    )
    assert case.reported_by == ReportedBy.POLICE


def test_writes_are_scoped_and_audited_D4(tree: Any, cast: Any) -> None:
    person = make_person(tree.quan_trieu)
    with pytest.raises(NotInScope) as exc:
        case_register(actor=cast.chi, person=person, detected_in="community")
    assert exc.value.message == PERSON_NOT_IN_SCOPE
    case = case_register(actor=cast.cuong, person=person, detected_in="community")
    with pytest.raises(NotInScope):
        case_transition(actor=cast.chi, case=case, to=S.CONFIRMED, on_date=DAY)
    case_transition(actor=cast.dan, case=case, to=S.CONFIRMED, on_date=DAY)
    lines = AuditLog.objects.filter(object_uid=str(case.uid)).order_by("id")
    assert [(a.action, a.actor) for a in lines] == [(AuditAction.CREATE, cast.cuong), (AuditAction.UPDATE, cast.dan)]
    history = list(case.changes.values_list("from_status", "to_status", "actor"))
    assert history == [("", S.SUSPECTED, cast.cuong.pk), (S.SUSPECTED, S.CONFIRMED, cast.dan.pk)]


@pytest.mark.parametrize(
    ("existing", "expected"),
    [([], "0001"), (["0001"], "0002"), (["9998", "9999"], "10000"), (["9999", "10000", "10001"], "10002")],
)
def test_case_codes_keep_counting_past_9999_C1(tree: Any, existing: list[str], expected: str) -> None:
    person = make_person(tree.quan_trieu)
    prefix = _code_prefix(person)
    for number in existing:
        Case.objects.create(
            case_code=f"{prefix}-2021-{number}",
            person=make_person(tree.quan_trieu),
            status=CaseStatus.RECOVERED,
            detected_in=DetectedIn.COMMUNITY,
            residence_unit=tree.quan_trieu,
        )
    assert _next_code(prefix, 2021) == f"{prefix}-2021-{expected}"
