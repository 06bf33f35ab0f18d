"""Movements fixtures: part of Đà Nẵng (another province, loaded as load_units would), an epidemic area on it
from 20 days ago, residents of the root ``tree`` and a helper that declares an arrival through the service.

Who sees what: alice everything; dan the city (Quán Triều, Quang Vinh); cuong Quán Triều; chi Quang Vinh;
hoa Tổ dân phố 1 of Quán Triều.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, timedelta
from itertools import count
from typing import Any

import pytest
from django.utils import timezone

from phongdich.movements.models import Movement
from phongdich.movements.services import arrival_declare
from phongdich.people.models import Person
from phongdich.people.services import person_create

_numbers = count(1)


def make_person(unit: Any, name: str = "", **fields: Any) -> Person:
    n = next(_numbers)
    values = {"birth_year": 1970 + n % 40, "sex": "M", **fields}
    result = person_create(actor=None, force=True, full_name=name or f"Lê Văn Đến {n}", residence_unit=unit, **values)
    assert result.person is not None
    return result.person


def today() -> date:
    return timezone.localdate()


def days_ago(n: int) -> date:
    return today() - timedelta(days=n)


@dataclass
class DaNang:
    city: Any
    hai_chau: Any
    thach_thang: Any
    area: Any  # the epidemic area: the whole city from 20 days ago


@pytest.fixture
def da_nang(tree: Any) -> DaNang:
    from phongdich.geo.models import Level, UnitType
    from phongdich.geo.services import unit_create
    from phongdich.zones.models import PlaceKind
    from phongdich.zones.services import area_declare

    city = unit_create(
        tree="2021", code="48", name="Thành phố Đà Nẵng", level=Level.PROVINCE, unit_type=UnitType.THANH_PHO_TRUNG_UONG
    )
    hai_chau = unit_create(
        tree="2021", code="492", name="Quận Hải Châu", level=Level.DISTRICT, unit_type=UnitType.QUAN, parent=city
    )
    thach_thang = unit_create(
        tree="2021",
        code="20224",
        name="Phường Thạch Thang",
        level=Level.COMMUNE,
        unit_type=UnitType.PHUONG,
        parent=hai_chau,
    )
    area = area_declare(
        actor=None, kind=PlaceKind.UNIT, unit=city, start_date=days_ago(20), source_number="257/TB-VPCP"
    )
    return DaNang(city, hai_chau, thach_thang, area)


ARRIVAL_DEFAULTS: dict[str, Any] = {
    "transport": "coach",
    "lodging_kind": "relative",
    "lodging_address": "Số 5 ngõ 12",
    "declared_by": "official",
}


@pytest.fixture
def arrive() -> Callable[..., Movement]:
    """``arrive(person, unit, from_unit=..., days=...)``: an arrival declared by the system (actor None)."""

    def declare(
        person: Any, unit: Any, *, from_unit: Any = None, country: str = "", days: int = 3, **fields: Any
    ) -> Movement:
        place = (
            {"place_kind": "country", "country": country}
            if country
            else {"place_kind": "unit", "place_unit": from_unit}
        )
        return arrival_declare(
            actor=fields.pop("actor", None),
            person=person,
            unit=unit,
            move_date=days_ago(days),
            **place,
            **{**ARRIVAL_DEFAULTS, **fields},
        )

    return declare
