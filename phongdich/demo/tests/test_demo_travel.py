"""The demo's travel step: trips approved, refused, pending (M7); a 3-on-site plan at an enterprise of KCN Yên
Bình with workers allowed out and in (M8); idempotent."""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command

from phongdich.demo.steps import Demo
from phongdich.demo.travel import PARK_SHORT_NAME, step_travel
from phongdich.travel.models import OnSitePlan, PassDirection, Trip, TripStatus, WorkerPass

PEOPLE = 300


@pytest.mark.django_db
def test_demo_travel_trips_and_on_site_plan_idempotently_M7_M8(settings: Any, tmp_path: Path) -> None:
    settings.VAR_DIR = tmp_path
    call_command("demo", people=PEOPLE, verbosity=1, stdout=io.StringIO(), stderr=io.StringIO(), until="checkins")
    out = io.StringIO()
    step_travel(Demo(people=PEOPLE, out=out, progress=None))
    assert "Đi ngoài tỉnh:" in out.getvalue()
    statuses = set(Trip.objects.values_list("status", flat=True))
    assert {TripStatus.APPROVED, TripStatus.REFUSED, TripStatus.PENDING} <= statuses
    assert Trip.objects.exclude(epidemic_warning="").exists()  # Đà Nẵng, the demo's epidemic area
    assert all(t.approvers.exists() for t in Trip.objects.filter(needs_approval=True))
    plan = OnSitePlan.objects.select_related("organisation__parent").get()
    assert plan.organisation.parent is not None
    assert plan.organisation.parent.short_name == PARK_SHORT_NAME
    assert plan.workers_on_site <= plan.capacity
    directions = set(WorkerPass.objects.values_list("direction", flat=True))
    assert directions == {PassDirection.OUT, PassDirection.IN}

    counts = (Trip.objects.count(), OnSitePlan.objects.count(), WorkerPass.objects.count())
    step_travel(Demo(people=PEOPLE, out=io.StringIO(), progress=None))
    assert (Trip.objects.count(), OnSitePlan.objects.count(), WorkerPass.objects.count()) == counts
