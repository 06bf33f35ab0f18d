"""Health pass fixtures: people with risk facts, premises of organisations across the tree."""

from __future__ import annotations

from datetime import date
from itertools import count
from typing import Any

import pytest

from phongdich.orgs.models import Premises
from phongdich.orgs.services import premises_create
from phongdich.people.models import Person
from phongdich.people.services import person_create
from phongdich.people.validators import cccd_make
from phongdich.vaccination.models import Dose, VaccineProduct

_numbers = count(1)


def make_person(unit: Any, name: str = "", **fields: Any) -> Person:
    n = next(_numbers)
    fields.setdefault("birth_year", 1970 + n % 40)
    result = person_create(
        actor=None, force=True, full_name=name or f"Lê Văn Cổng {n}", sex="M", residence_unit=unit, **fields
    )
    assert result.person is not None
    return result.person


def vaccinate(person: Person, on: date) -> None:
    """One primary dose of the first seeded product: the person no longer counts as unvaccinated at a gate."""
    product = VaccineProduct.objects.order_by("pk").first()
    assert product is not None
    Dose.objects.create(person=person, product=product, dose_number=1, given_on=on, kind="primary")


@pytest.fixture
def gate_premises(cast: Any) -> Premises:
    """The gate of oanh's enterprise (Đắc Sơn, Phổ Yên)."""
    return premises_create(organisation=cast.enterprise, name="Cổng chính", kind=Premises.Kind.GATE)


@pytest.fixture
def citizen(tree: Any) -> Person:
    """A person with a CCCD, a phone and a full date of birth."""
    return make_person(
        tree.quan_trieu,
        "Nguyễn Thị Bình An",
        birth_date=date(1985, 9, 5),
        birth_year=1985,
        cccd=cccd_make(province_code="19", sex="M", birth_year=1985, serial="424242"),
        phone="0912345678",
    )


@pytest.fixture(autouse=True)
def _empty_cache() -> Any:
    """The lookup throttle counts in the cache; each test starts with none."""
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()
