"""The demo's quarantine step: facilities, people in each kind of quarantine, daily checks, hand-overs
(acknowledged, overdue, new) and Quán Triều's people to follow today — idempotent (Q1–Q3)."""

from __future__ import annotations

import io
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from django.utils import timezone

from phongdich.demo import catalogue
from phongdich.demo.quarantine import step_quarantine
from phongdich.demo.steps import Demo, run, step_hamlets, step_organisations, step_people, step_units, step_users
from phongdich.orgs.models import Role, RoleAssignment
from phongdich.quarantine.models import DailyCheck, Episode, EpisodeKind, Facility, FacilityKind, Handover
from phongdich.quarantine.selectors import follow_today, handovers_pending

PEOPLE = 300


def demo_run(seed: int = 2021) -> str:
    out = io.StringIO()
    steps = [
        ("units", step_units),
        ("hamlets", step_hamlets),
        ("organisations", step_organisations),
        ("people", step_people),
        ("users", step_users),
        ("quarantine", step_quarantine),
    ]
    run(Demo(people=PEOPLE, seed=seed, out=out, progress=None), steps)
    return out.getvalue()


@pytest.mark.django_db
def test_demo_quarantine_fills_every_list_idempotently_Q1_Q2_Q3(settings: Any, tmp_path: Path) -> None:
    settings.VAR_DIR = tmp_path
    output = demo_run()
    assert {f.kind for f in Facility.objects.all()} == {
        FacilityKind.CENTRALISED,
        FacilityKind.HOSPITAL,
        FacilityKind.HOTEL,
    }
    episodes = Episode.objects.all()
    assert all(e.person.is_synthetic for e in episodes)
    open_kinds = set(episodes.filter(status="open").values_list("kind", flat=True))
    assert open_kinds == set(EpisodeKind.values)
    assert all(e.rule_id is not None and e.planned_end >= e.start_date for e in episodes)
    today = timezone.localdate()
    assert DailyCheck.objects.filter(date=today - timedelta(days=1)).exists()
    assert DailyCheck.objects.filter(date=today).exists()

    handovers = Handover.objects.all()
    assert handovers.count() == 4
    assert handovers.filter(acknowledged_at__isnull=False).count() == 2
    assert sum(1 for h in handovers if h.is_overdue()) == 1
    assert {h.to_unit.code for h in handovers} == {catalogue.QUAN_TRIEU}
    assert all(h.episode.kind == EpisodeKind.POST_QUARANTINE for h in handovers)

    # The demo's commune officer of Quán Triều has people to follow today and hand-overs waiting.
    officer = RoleAssignment.objects.filter(role=Role.COMMUNE_OFFICER, unit__code=catalogue.QUAN_TRIEU).first()
    assert officer is not None
    rows = follow_today(user=officer.user, today=today)
    assert len(rows) >= 5
    assert {r.episode.kind for r in rows} >= {EpisodeKind.HOME, EpisodeKind.SELF_ISOLATION, EpisodeKind.POST_QUARANTINE}
    assert [r.overdue for r in handovers_pending(user=officer.user)] == [True, False]
    assert "bàn giao" in output

    counts = (Facility.objects.count(), Episode.objects.count(), DailyCheck.objects.count(), Handover.objects.count())
    again = demo_run(seed=7)
    assert "giữ nguyên" in again
    assert (
        Facility.objects.count(),
        Episode.objects.count(),
        DailyCheck.objects.count(),
        Handover.objects.count(),
    ) == counts
