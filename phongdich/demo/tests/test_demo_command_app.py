"""The demo's command step: seeds 001, 002 and 004 as directives with their tasks assigned to the demo's
organisations, progress reported (some overdue), and response plans for most agencies, a few missing
(R3, R4, R6); running it again adds nothing."""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command
from django.utils import timezone

from phongdich.command.models import Directive, ResponsePlan, TaskAssignment, TaskProgress
from phongdich.command.selectors import missing_counts, overdue_q
from phongdich.core.models import User
from phongdich.demo.command import step_command
from phongdich.demo.steps import Demo
from phongdich.geo.models import Level
from phongdich.orgs.models import Organisation

PEOPLE = 300


@pytest.mark.django_db
def test_demo_command_directives_tasks_progress_plans_idempotently_R3_R4_R6(settings: Any, tmp_path: Path) -> None:
    settings.VAR_DIR = tmp_path
    settings.MEDIA_ROOT = tmp_path / "media"
    call_command("demo", people=PEOPLE, verbosity=1, stdout=io.StringIO(), stderr=io.StringIO())
    out = io.StringIO()
    step_command(Demo(people=PEOPLE, out=out, progress=None))
    assert "Văn bản chỉ đạo: 3" in out.getvalue()

    assert set(Directive.objects.values_list("number", flat=True)) == {"600-CV/TU", ""}
    conclusion = Directive.objects.get(kind="conclusion")
    numbers = set(conclusion.tasks.values_list("number", flat=True))
    assert {"2.1", "2.8", "2.14", "2.15"} <= numbers
    assert conclusion.tasks.get(number="2.15").deadline_kind == "daily"
    assert (
        timezone.localtime(conclusion.tasks.get(number="2.8").due_at).strftime("%d/%m/%Y %H:%M") == "28/07/2020 17:00"
    )
    district_task = conclusion.tasks.get(number="2.14")
    assert (
        district_task.assignments.count()
        == Organisation.objects.filter(name__startswith="UBND ", unit__level=Level.DISTRICT).count()
    )
    assert TaskProgress.objects.filter(status="done").exists()
    assert TaskAssignment.objects.filter(overdue_q(timezone.localtime())).exists()  # some overdue
    assert TaskAssignment.objects.exclude(overdue_q(timezone.localtime())).exists()

    admin = User.objects.get(username="tinh_quantri")
    counts = missing_counts(user=admin)
    assert 0 < counts["any"] < counts["total"]  # most agencies have plans, a few do not
    assert counts["4"] > counts["1"]  # some lack only the red-level plan

    before = (
        Directive.objects.count(),
        TaskAssignment.objects.count(),
        TaskProgress.objects.count(),
        ResponsePlan.objects.count(),
    )
    step_command(Demo(people=PEOPLE, out=io.StringIO(), progress=None))
    after = (
        Directive.objects.count(),
        TaskAssignment.objects.count(),
        TaskProgress.objects.count(),
        ResponsePlan.objects.count(),
    )
    assert after == before
