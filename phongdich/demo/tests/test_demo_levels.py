"""The demo's levels step: capacity reports and weekly assessments for the last weeks, communes at
different levels in the demo week, the province from its own totals; run again, nothing new (Z3)."""

from __future__ import annotations

import io
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command
from django.utils import timezone

from phongdich.geo.models import Level, Unit
from phongdich.levels.models import Assessment, CapacityReport, LevelDecision
from phongdich.levels.selectors import current_level
from phongdich.levels.weeks import week_start_of

PEOPLE = 300


@pytest.mark.django_db
def test_demo_levels_weeks_of_assessments_with_different_levels_idempotently_Z3(settings: Any, tmp_path: Path) -> None:
    from phongdich.demo.levels import WEEKS_BACK, step_levels
    from phongdich.demo.steps import Demo

    settings.VAR_DIR = tmp_path
    call_command("demo", people=PEOPLE, verbosity=1, stdout=io.StringIO(), stderr=io.StringIO(), until="hotlines")
    out = io.StringIO()
    step_levels(Demo(people=PEOPLE, out=out, progress=None))
    assert "Cấp độ dịch tuần" in out.getvalue()
    this_week = week_start_of(timezone.localdate())
    assert Assessment.objects.values("week_start").distinct().count() == WEEKS_BACK + 1
    province = Unit.objects.get(tree="2021", code="19")
    districts = Unit.objects.filter(parent=province, level=Level.DISTRICT).count()
    assert CapacityReport.objects.filter(week_start=this_week).count() == districts + 1
    week = Assessment.objects.filter(week_start=this_week, unit__level=Level.COMMUNE)
    assert week.count() == Unit.objects.filter(tree="2021", level=Level.COMMUNE, population__isnull=False).count()
    assert len(set(week.values_list("level", flat=True))) >= 2  # communes at different levels
    # The levels are published: every assessed commune has one in force or announced.
    assert LevelDecision.objects.filter(unit__level=Level.COMMUNE).values("unit").distinct().count() == week.count()
    assert current_level(province, on=timezone.localdate() + timedelta(days=3)) is not None

    counts = (CapacityReport.objects.count(), Assessment.objects.count(), LevelDecision.objects.count())
    step_levels(Demo(people=PEOPLE, out=io.StringIO(), progress=None))
    assert (CapacityReport.objects.count(), Assessment.objects.count(), LevelDecision.objects.count()) == counts
