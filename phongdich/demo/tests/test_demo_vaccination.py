"""The demo's vaccination step: doses that respect the dose rules, coverage that varies clearly by
commune, the front line in its priority groups, a few adverse events; a second run adds nothing (V1, V2)."""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command
from django.db.models import F
from django.utils import timezone

from phongdich.demo.steps import Demo
from phongdich.demo.vaccination import step_vaccination
from phongdich.vaccination.models import AdverseEvent, Dose, PriorityAssignment
from phongdich.vaccination.selectors import coverage_by_commune

PEOPLE = 1_500


@pytest.mark.django_db
def test_demo_vaccination_doses_coverage_groups_and_events_V1_V2(settings: Any, tmp_path: Path) -> None:
    settings.VAR_DIR = tmp_path
    call_command("demo", people=PEOPLE, verbosity=0, stdout=io.StringIO(), stderr=io.StringIO(), until="vaccination")
    out = io.StringIO()
    step_vaccination(Demo(people=PEOPLE, out=out, progress=None))
    assert "Tiêm chủng:" in out.getvalue()
    today = timezone.localdate()
    doses = Dose.objects.all()
    assert doses.count() > PEOPLE // 3
    # the rules of dose_record hold for every bulk-created dose
    assert not doses.filter(given_on__gt=today).exists()
    assert not doses.exclude(lot__product=F("product")).exists()
    assert not doses.filter(lot__expiry_date__lt=F("given_on")).exists()
    assert not doses.filter(person__birth_year__gt=F("given_on__year") - 18).exists()
    assert doses.filter(completes_series=True).exists()
    assert doses.filter(kind="booster").exists()
    # coverage clearly varies by commune (communes with enough adults to tell)
    shares = [c.adults_one_dose / c.adults for c in coverage_by_commune(on=today).values() if c.adults >= 15]
    assert len(shares) >= 4
    assert max(shares) >= 0.75
    assert min(shares) <= 0.6
    assert PriorityAssignment.objects.filter(group__code="1a", priority_list__code="nq21-2021").exists()
    assert AdverseEvent.objects.filter(severity="severe").exists()
    assert AdverseEvent.objects.exclude(causality="").exists()

    counts = (Dose.objects.count(), PriorityAssignment.objects.count(), AdverseEvent.objects.count())
    step_vaccination(Demo(people=PEOPLE, out=io.StringIO(), progress=None))
    assert (Dose.objects.count(), PriorityAssignment.objects.count(), AdverseEvent.objects.count()) == counts
