"""The demo's hotlines step: hotlines for the province and each district, a team per district with someone
on duty now, about fifteen tips in every state — idempotent (R5, G4)."""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any

import pytest
from django.utils import timezone

from phongdich.demo.hotlines import TIPS, step_hotlines
from phongdich.demo.steps import Demo, run, step_hamlets, step_organisations, step_people, step_units, step_users
from phongdich.geo.models import Level, Unit
from phongdich.hotlines.models import DutyShift, Hotline, RapidResponseTeam, Tip, TipStatus
from phongdich.hotlines.selectors import hotlines_with_duty, public_directory, teams_with_duty, tip_queryset
from phongdich.notifications.models import Notification

PEOPLE = 300


def _demo() -> Demo:
    return Demo(people=PEOPLE, out=io.StringIO(), progress=None)


@pytest.mark.django_db
def test_demo_hotlines_teams_shifts_and_tips_idempotently_R5_G4(
    settings: Any, tmp_path: Path, django_capture_on_commit_callbacks: Any
) -> None:
    settings.VAR_DIR = tmp_path
    demo = _demo()
    steps = [
        ("units", step_units),
        ("hamlets", step_hamlets),
        ("organisations", step_organisations),
        ("people", step_people),
        ("users", step_users),
        ("hotlines", step_hotlines),
    ]
    with django_capture_on_commit_callbacks(execute=True):
        run(demo, steps)
    assert demo.province is not None
    districts = Unit.objects.subtree(demo.province).filter(level=Level.DISTRICT).count()
    assert [g.unit.level for g in public_directory()][:2] == [Level.PROVINCE, Level.DISTRICT]
    assert len(public_directory()) == districts + 1
    assert RapidResponseTeam.objects.count() == districts + 1
    from phongdich.core.models import User

    admin = User.objects.get(username="tinh_quantri")
    teams = teams_with_duty(user=admin, moment=timezone.now())
    assert len(teams) == districts + 1
    assert all(len(t.on_duty) == 1 for t in teams)
    hotlines = hotlines_with_duty(user=admin)
    assert len(hotlines) == districts + 2
    assert all(len(h.on_duty) == 1 for h in hotlines)

    statuses = set(Tip.objects.values_list("status", flat=True))
    assert statuses == set(TipStatus.values)
    assert Tip.objects.count() == len(TIPS)
    xa = User.objects.get(username="xa_quantrieu")
    assert tip_queryset(user=xa).exists()
    assert Notification.objects.filter(recipient=xa).exists()

    counts = (
        Hotline.objects.count(),
        RapidResponseTeam.objects.count(),
        DutyShift.objects.count(),
        Tip.objects.count(),
    )
    run(_demo(), [("units", step_units), ("hotlines", step_hotlines)])
    after = (Hotline.objects.count(), RapidResponseTeam.objects.count(), DutyShift.objects.count(), Tip.objects.count())
    assert after == counts
