"""Exposure fixtures: a workshop and a canteen of the cast's enterprise, people of Quán Triều and
their check-ins (stored directly: the check-in service refuses times older than a few days, and
these tests need times relative to a case's dates), a confirmed case made through the services.

Who sees what: alice everything; dan the city; cuong Quán Triều; chi Quang Vinh.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from itertools import count
from typing import Any

import pytest
from django.utils import timezone

from phongdich.cases.models import Case, CaseStatus, DetectedIn
from phongdich.cases.services import case_register
from phongdich.checkins.models import CheckIn
from phongdich.orgs.models import Premises
from phongdich.orgs.services import premises_create
from phongdich.people.models import Person
from phongdich.people.services import person_create

_numbers = count(1)


def make_person(unit: Any, name: str = "") -> Person:
    n = next(_numbers)
    result = person_create(
        actor=None,
        force=True,
        full_name=name or f"Vũ Thị Trùng {n}",
        birth_year=1970 + n % 40,
        sex="F",
        residence_unit=unit,
    )
    assert result.person is not None
    return result.person


def at(day: date, hour: int, minute: int = 0) -> datetime:
    return timezone.make_aware(datetime.combine(day, time(hour, minute)))


def check_in(person: Person, premises: Premises, when: datetime) -> CheckIn:
    return CheckIn.objects.create(
        premises=premises, person=person, at=when, received_at=when, client_id=uuid.uuid4(), source="poster"
    )


def confirm(person: Person, *, onset: date, day: date, isolated_on: date | None = None) -> Case:
    return case_register(
        actor=None,
        person=person,
        status=CaseStatus.CONFIRMED,
        detected_in=DetectedIn.COMMUNITY,
        onset_date=onset,
        confirmed_at=at(day, 9),
        isolated_on=isolated_on,
    )


@pytest.fixture
def run_commits(django_capture_on_commit_callbacks: Any) -> Callable[[Callable[[], Any]], Any]:
    """``run_commits(fn)``: call ``fn`` and run what it queued on commit (the background tasks, eager)."""

    def run(fn: Callable[[], Any]) -> Any:
        with django_capture_on_commit_callbacks(execute=True):
            return fn()

    return run


@dataclass
class Scene:
    day: date  # yesterday: the day of the shared shift
    workshop: Premises
    canteen: Premises
    x: Person  # the case
    a: Person  # same shift, same workshop
    b: Person  # workshop, three hours later
    c: Person  # the canteen (another premises), same time
    d: Person  # lives in Quang Vinh, same shift


@pytest.fixture
def scene(cast: Any, tree: Any) -> Scene:
    """X checks in at the workshop at 08:00 yesterday; A at 08:30, B at 11:00 (out), C at the canteen
    at 08:00 (another premises), D (Quang Vinh) at 08:10. Nobody is a case yet."""
    day = timezone.localdate() - timedelta(days=1)
    workshop = premises_create(organisation=cast.enterprise, name="Xưởng may số 2", kind=Premises.Kind.WORKSHOP)
    canteen = premises_create(organisation=cast.enterprise, name="Nhà ăn ca", kind=Premises.Kind.CANTEEN)
    s = Scene(
        day=day,
        workshop=workshop,
        canteen=canteen,
        x=make_person(tree.quan_trieu, "Nguyễn Văn Ca"),
        a=make_person(tree.quan_trieu, "Trần Thị Cùng"),
        b=make_person(tree.quan_trieu, "Lê Văn Muộn"),
        c=make_person(tree.quan_trieu, "Đỗ Thị Nhà Ăn"),
        d=make_person(tree.quang_vinh, "Hoàng Văn Vinh"),
    )
    check_in(s.x, workshop, at(day, 8))
    check_in(s.a, workshop, at(day, 8, 30))
    check_in(s.b, workshop, at(day, 11))
    check_in(s.c, canteen, at(day, 8))
    check_in(s.d, workshop, at(day, 8, 10))
    return s
