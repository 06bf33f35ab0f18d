"""Cases fixtures: a few residents of the root ``tree`` and a helper to register cases through the services.

Who sees which case (scope through the unit the case is counted in):
alice everything; dan the city (Quán Triều, Quang Vinh); cuong Quán Triều and its Tổ 1; chi Quang Vinh.
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
        full_name=name or f"Nguyễn Văn Thử {n}",
        birth_year=1960 + n % 40,
        sex="M",
        residence_unit=unit,
    )
    assert result.person is not None
    return result.person


def at(day: date, hour: int = 9, minute: int = 0) -> datetime:
    return timezone.make_aware(datetime(day.year, day.month, day.day, hour, minute))


@pytest.fixture
def person_factory(db: Any) -> Callable[..., Person]:
    return make_person


@pytest.fixture
def confirmed_case(db: Any) -> Callable[..., Case]:
    """``confirmed_case(unit, day, hour=9, detected_in=community, onset=None)``: a new person's confirmed case."""

    def make(
        unit: Any,
        day: date,
        hour: int = 9,
        *,
        detected_in: str = DetectedIn.COMMUNITY,
        onset: date | None = None,
        sampling: date | None = None,
    ) -> Case:
        return case_register(
            actor=None,
            person=make_person(unit),
            status=CaseStatus.CONFIRMED,
            detected_in=detected_in,
            onset_date=onset,
            sampling_date=sampling,
            confirmed_at=at(day, hour),
        )

    return make


@pytest.fixture
def qt_case(tree: Any) -> Case:
    """A suspected case of a resident of Quán Triều."""
    return case_register(
        actor=None, person=make_person(tree.quan_trieu, "Trần Văn Nghi"), detected_in=DetectedIn.COMMUNITY
    )
