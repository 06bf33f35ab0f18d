"""The demo's epidemic-area step: Đà Nẵng (seed 002) and a country, visits of synthetic people, flags (M5)."""

from __future__ import annotations

import io
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command

from phongdich.geo.models import Level, Unit
from phongdich.zones.models import EpidemicArea, ExposureFlag, PlaceKind, PlaceVisit

PEOPLE = 300


def run_demo(**options: Any) -> str:
    out = io.StringIO()
    call_command(
        "demo", people=PEOPLE, verbosity=0, stdout=out, stderr=io.StringIO(), until="epidemic_areas", **options
    )
    return out.getvalue()


@pytest.mark.django_db
def test_demo_declares_da_nang_and_flags_returning_residents_idempotently_M5(settings: Any, tmp_path: Path) -> None:
    settings.VAR_DIR = tmp_path
    output = run_demo()
    city = Unit.objects.get(tree="2021", code="48", level=Level.PROVINCE)
    assert Unit.objects.subtree(city).filter(level=Level.COMMUNE).count() == 56
    da_nang = EpidemicArea.objects.get(unit=city)
    assert (da_nang.start_date, da_nang.source_number, da_nang.is_complex) == (date(2020, 7, 25), "257/TB-VPCP", True)
    assert EpidemicArea.objects.filter(kind=PlaceKind.COUNTRY, country="KR").count() == 1

    visits = PlaceVisit.objects.filter(source__startswith="demo:")
    assert 40 <= visits.count() <= PEOPLE // 5  # a fifth of the synthetic people without a login
    to_da_nang = visits.filter(kind=PlaceKind.UNIT)
    assert all(v.unit.path.startswith(city.path) and v.person.is_synthetic for v in to_da_nang)
    # The flags of this step's visits (later steps add declarations with visits of their own).
    flags = ExposureFlag.objects.filter(cleared_at__isnull=True, source__startswith="demo:")
    # Exactly the visits that reach 25/07/2020 are flagged for Đà Nẵng (all are within 14 days of 06/08).
    assert set(flags.filter(area=da_nang).values_list("source", flat=True)) == set(
        to_da_nang.filter(to_date__gte=date(2020, 7, 25)).values_list("source", flat=True)
    )
    assert to_da_nang.filter(to_date__lt=date(2020, 7, 25)).exists()  # some came back before: not flagged
    assert flags.exclude(area=da_nang).count() == visits.filter(kind=PlaceKind.COUNTRY).count()
    assert "người bị gắn cờ" in output

    counts = (
        EpidemicArea.objects.count(),
        PlaceVisit.objects.count(),
        ExposureFlag.objects.count(),
        Unit.objects.count(),
    )
    run_demo(seed=7)
    assert (
        EpidemicArea.objects.count(),
        PlaceVisit.objects.count(),
        ExposureFlag.objects.count(),
        Unit.objects.count(),
    ) == counts
    assert ExposureFlag.objects.filter(cleared_at__isnull=True, source__startswith="demo:").count() == flags.count()
