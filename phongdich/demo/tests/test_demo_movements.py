"""The demo's movements step: synthetic arrivals into several communes from Đà Nẵng (flagged), from the demo
country and from elsewhere, some departed; running it again changes nothing (M3, M4)."""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command

from phongdich.demo.movements import DEMO_NOTE, step_movements
from phongdich.demo.steps import Demo
from phongdich.geo.models import Level
from phongdich.movements.models import Direction, Movement
from phongdich.zones.models import ExposureFlag, PlaceKind, PlaceVisit

PEOPLE = 300


@pytest.mark.django_db
def test_demo_movements_flags_arrivals_from_da_nang_idempotently_M3(settings: Any, tmp_path: Path) -> None:
    settings.VAR_DIR = tmp_path
    call_command("demo", people=PEOPLE, verbosity=0, stdout=io.StringIO(), stderr=io.StringIO(), until="movements")
    out = io.StringIO()
    step_movements(Demo(people=PEOPLE, out=out, progress=None))
    arrivals = Movement.objects.filter(note=DEMO_NOTE, direction=Direction.ARRIVAL)
    assert arrivals.count() >= 20
    assert arrivals.values("commune").distinct().count() >= 3
    assert all(m.commune.level == Level.COMMUNE and m.commune.path.startswith("/19/") for m in arrivals)
    from_da_nang = arrivals.filter(place_kind=PlaceKind.UNIT, place_unit__path__startswith="/48/")
    assert from_da_nang.exists()
    assert arrivals.filter(place_kind=PlaceKind.COUNTRY, country="KR").exists()
    assert arrivals.filter(place_unit__isnull=True, place_kind=PlaceKind.UNIT).exclude(place_note="").exists()
    # Every arrival from Đà Nẵng (an open epidemic area) left a visit and a flag.
    for m in from_da_nang:
        assert PlaceVisit.objects.filter(source=f"movement:{m.uid}").exists()
        assert ExposureFlag.objects.filter(source=f"movement:{m.uid}", cleared_at__isnull=True).exists()
    departed = arrivals.filter(left_on__isnull=False)
    assert departed.exists()
    assert arrivals.filter(left_on__isnull=True).exists()
    assert Movement.objects.filter(note=DEMO_NOTE, direction=Direction.DEPARTURE).count() == departed.count()
    assert "Di biến động" in out.getvalue()

    counts = (Movement.objects.count(), PlaceVisit.objects.count(), ExposureFlag.objects.count())
    step_movements(Demo(people=PEOPLE, seed=7, out=io.StringIO(), progress=None))
    assert (Movement.objects.count(), PlaceVisit.objects.count(), ExposureFlag.objects.count()) == counts
