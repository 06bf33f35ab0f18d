"""The demo's reports step: a week of daily reports from the districts and the member agencies, some late,
some missing, one corrected with its history; a one-off report answered by most districts (R1, R2); running
it again adds nothing."""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command
from django.utils import timezone

from phongdich.command import reports_selectors as rs
from phongdich.command.models import Report, ReportForm, ReportVersion
from phongdich.demo.reports import DAYS, ONE_OFF_CODE, step_reports
from phongdich.demo.steps import Demo

PEOPLE = 300


@pytest.mark.django_db
def test_demo_reports_a_week_some_late_some_missing_and_a_one_off_R1_R2(settings: Any, tmp_path: Path) -> None:
    settings.VAR_DIR = tmp_path
    settings.MEDIA_ROOT = tmp_path / "media"
    call_command("demo", people=PEOPLE, verbosity=0, stdout=io.StringIO(), stderr=io.StringIO(), until="command")
    demo = Demo(people=PEOPLE, out=io.StringIO(), progress=None)
    step_reports(demo)

    form = ReportForm.objects.get(code="daily-covid")
    assert form.recipient is not None
    assert form.recipient.short_name == "Sở Y tế"
    submitters = rs.submitters(form)
    assert sum(1 for s in submitters if s.unit is not None) == 9
    assert sum(1 for s in submitters if s.organisation is not None) >= 5
    today = timezone.localdate()
    yesterday = today - timezone.timedelta(days=1)
    past = Report.objects.filter(form=form, day__lt=today)
    assert past.filter(late=True).exists()
    assert past.filter(late=False).exists()
    assert past.count() < DAYS * len(submitters)  # some missing
    assert rs.rollup(form, yesterday).missing or rs.rollup(form, today - timezone.timedelta(days=2)).missing
    assert ReportVersion.objects.filter(version=2, report__form=form).count() == 1
    # Pre-filled from the system's figures and completed by hand.
    report = past.first()
    assert report is not None
    assert report.values["situation"]
    assert set(report.system_figures) >= {"new_cases", "f1", "q_home", "tests", "doses", "arrivals"}

    one_off = ReportForm.objects.get(code=ONE_OFF_CODE)
    roll = rs.rollup(one_off)
    assert len(roll.missing) == 1
    assert len(roll.late) == 1
    assert len(roll.on_time) == 7

    counts = (Report.objects.count(), ReportVersion.objects.count())
    step_reports(Demo(people=PEOPLE, out=io.StringIO(), progress=None))
    assert (Report.objects.count(), ReportVersion.objects.count()) == counts
