"""Check-in fixtures: premises of the cast's enterprise and of a city office, with active codes."""

from __future__ import annotations

from collections.abc import Iterator
from itertools import count
from typing import Any

import pytest

from phongdich.checkins import throttle
from phongdich.checkins.models import PremisesCode
from phongdich.checkins.selectors import forget_places
from phongdich.checkins.services import premises_code_issue
from phongdich.orgs.models import OrganisationKind, Premises
from phongdich.orgs.services import organisation_create, premises_create
from phongdich.people.models import Person
from phongdich.people.services import person_create

_numbers = count(1)


def make_person(unit: Any, name: str = "") -> Person:
    n = next(_numbers)
    result = person_create(
        actor=None,
        force=True,
        full_name=name or f"Trần Thị Quét {n}",
        birth_year=1970 + n % 40,
        sex="F",
        residence_unit=unit,
    )
    assert result.person is not None
    return result.person


@pytest.fixture(autouse=True)
def _fresh_process_state() -> Iterator[None]:
    """Each test starts with empty in-process rate-limit buckets and poster cache, as a new worker would."""
    throttle.reset()
    forget_places()
    yield
    throttle.reset()
    forget_places()


@pytest.fixture
def workshop(cast: Any) -> Premises:
    """A workshop line of the enterprise in Đắc Sơn (Phổ Yên), headed by oanh."""
    return premises_create(organisation=cast.enterprise, name="Xưởng may số 1", kind=Premises.Kind.WORKSHOP)


@pytest.fixture
def city_office(cast: Any, tree: Any) -> Premises:
    """The head office of a city department in Quán Triều (dan's district, cuong's commune)."""
    org = organisation_create(
        name="Sở Thông tin và Truyền thông", kind=OrganisationKind.DEPARTMENT, unit=tree.quan_trieu
    )
    return premises_create(organisation=org, name="Trụ sở chính", kind=Premises.Kind.OFFICE)


@pytest.fixture
def workshop_code(workshop: Premises) -> PremisesCode:
    return premises_code_issue(actor=None, premises=workshop)


@pytest.fixture
def office_code(city_office: Premises) -> PremisesCode:
    return premises_code_issue(actor=None, premises=city_office)


@pytest.fixture
def person(tree: Any) -> Person:
    return make_person(tree.quan_trieu)


@pytest.fixture(autouse=True)
def _fresh_rate_counts() -> None:
    """Per-address counts live in the cache, which outlives a test: start each test at zero."""
    from django.core.cache import cache

    cache.clear()
