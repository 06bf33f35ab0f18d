"""Tracing fixtures: residents of the root ``tree``, cases and contacts made through the services.

Who sees what: alice everything; dan the city; cuong Quán Triều; chi Quang Vinh.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime
from itertools import count
from typing import Any

import pytest
from django.utils import timezone

from phongdich.cases.models import Case, CaseStatus, DetectedIn
from phongdich.cases.services import case_register
from phongdich.people.models import Person
from phongdich.people.services import person_create
from phongdich.tracing.models import ExposureType
from phongdich.tracing.services import contact_record

_numbers = count(1)


def make_person(unit: Any, name: str = "") -> Person:
    n = next(_numbers)
    result = person_create(
        actor=None,
        force=True,
        full_name=name or f"Phạm Thị Vết {n}",
        birth_year=1965 + n % 40,
        sex="F",
        residence_unit=unit,
    )
    assert result.person is not None
    return result.person


def confirm(person: Person, *, onset: date | None = None, sampling: date | None = None, day: date) -> Case:
    """A confirmed case of ``person`` (confirmed at 09:00 on ``day``)."""
    return case_register(
        actor=None,
        person=person,
        status=CaseStatus.CONFIRMED,
        detected_in=DetectedIn.COMMUNITY,
        onset_date=onset,
        sampling_date=sampling,
        confirmed_at=timezone.make_aware(datetime(day.year, day.month, day.day, 9)),
    )


@pytest.fixture
def person_factory(db: Any) -> Callable[..., Person]:
    return make_person


@pytest.fixture
def run_commits(django_capture_on_commit_callbacks: Any) -> Callable[[Callable[[], Any]], Any]:
    """``run_commits(fn)``: call ``fn`` and run what it queued on commit (the background tasks, eager)."""

    def run(fn: Callable[[], Any]) -> Any:
        with django_capture_on_commit_callbacks(execute=True):
            return fn()

    return run


@pytest.fixture
def chain(tree: Any, run_commits: Callable[..., Any]) -> dict[str, Any]:
    """X (case, onset 10/11/2021) → A (08/11, F1) → B (09/11, F2); X → C (01/11, outside the window)."""
    x = make_person(tree.quan_trieu, "Nguyễn Văn Xê")
    a = make_person(tree.quan_trieu, "Trần Thị An")
    b = make_person(tree.quan_trieu, "Lê Văn Bình")
    c = make_person(tree.quang_vinh, "Đỗ Văn Cường")
    case = run_commits(lambda: confirm(x, onset=date(2021, 11, 10), day=date(2021, 11, 12)))
    run_commits(
        lambda: contact_record(
            actor=None, source=x, contact=a, exposure_type=ExposureType.HOUSEHOLD, first_exposure=date(2021, 11, 8)
        )
    )
    run_commits(
        lambda: contact_record(
            actor=None, source=a, contact=b, exposure_type=ExposureType.MEAL, first_exposure=date(2021, 11, 9)
        )
    )
    run_commits(
        lambda: contact_record(
            actor=None,
            source=x,
            contact=c,
            exposure_type=ExposureType.WORKPLACE,
            first_exposure=date(2021, 10, 30),
            last_exposure=date(2021, 11, 1),
        )
    )
    return {"x": x, "a": a, "b": b, "c": c, "case": case}
