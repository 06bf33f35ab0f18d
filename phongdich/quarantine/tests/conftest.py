"""Quarantine fixtures: residents of the root ``tree`` and a facility, set up through the services.

Who sees what: alice everything; cuong Quán Triều; chi Quang Vinh (the other commune's officer).
"""

from __future__ import annotations

from collections.abc import Callable
from itertools import count
from typing import Any

import pytest

from phongdich.people.models import Person
from phongdich.people.services import person_create
from phongdich.quarantine.models import Facility, FacilityKind
from phongdich.quarantine.services import facility_create

_numbers = count(1)


def make_person(unit: Any, name: str = "") -> Person:
    n = next(_numbers)
    result = person_create(
        actor=None,
        force=True,
        full_name=name or f"Lê Văn Cách {n}",
        birth_year=1970 + n % 40,
        sex="M",
        residence_unit=unit,
    )
    assert result.person is not None
    return result.person


@pytest.fixture
def person_factory(db: Any) -> Callable[..., Person]:
    return make_person


@pytest.fixture
def facility(tree: Any) -> Facility:
    return facility_create(
        actor=None,
        name="Khu cách ly Trường Quân sự tỉnh",
        kind=FacilityKind.CENTRALISED,
        unit=tree.quan_trieu,
        capacity=2,
    )
