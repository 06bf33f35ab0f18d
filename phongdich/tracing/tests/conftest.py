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
