"""Small builders for the levels tests: units with populations and confirmed cases in a week."""

from __future__ import annotations

import itertools
from datetime import date, datetime, time, timedelta
from typing import Any

from django.utils import timezone

from phongdich.cases.models import Case, CaseStatusChange
from phongdich.geo.models import Level, Unit, UnitType
from phongdich.geo.services import unit_create
from phongdich.people.tests.factories import PersonFactory

WEEK = date(2021, 11, 15)  # ISO week 2021-W46 (Vĩnh Phúc's assessment of 18/11/2021 falls in it)
_codes = itertools.count(1)


def unit(code: str, name: str, level: int, parent: Unit | None, population: int | None) -> Unit:
    kind = {Level.PROVINCE: UnitType.TINH, Level.DISTRICT: UnitType.HUYEN, Level.COMMUNE: UnitType.XA}.get(
        Level(level), UnitType.XOM
    )
    return unit_create(
        tree="2021", code=code, name=name, level=level, unit_type=kind, parent=parent, population=population
    )


def cases(
    where: Unit,
    n: int,
    *,
    day: date = WEEK + timedelta(days=2),
    detected_in: str = "community",
    status: str = "confirmed",
) -> list[Case]:
    made = []
    for _ in range(n):
        person = PersonFactory(residence_unit=where)
        made.append(
            Case.objects.create(
                case_code=f"LV-{next(_codes):05d}",
                person=person,
                status=status,
                confirmation_date=day,
                confirmed_at=timezone.make_aware(datetime.combine(day, time(10))),
                detected_in=detected_in,
                residence_unit=where,
            )
        )
    return made


def died(case: Case, on: date) -> None:
    case.status = "died"
    case.save(update_fields=["status"])
    CaseStatusChange.objects.create(case=case, from_status="confirmed", to_status="died", on_date=on)


def set_population(u: Any, population: int) -> None:
    Unit.objects.filter(pk=u.pk).update(population=population)
    u.population = population
