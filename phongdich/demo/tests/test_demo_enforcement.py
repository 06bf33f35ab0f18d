"""The demo's enforcement step: a wedding over the cap waiting for the commune and one approved, an inspection
round top-down with an overdue follow-up and a district left uninspected, violations some of them published
(G1, G2, G3, G5). Running it again adds nothing."""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from phongdich.demo import catalogue
from phongdich.demo.enforcement import APPROVED_TITLE, PENDING_TITLE, step_enforcement
from phongdich.demo.steps import Demo
from phongdich.enforcement.models import FollowUp, Gathering, GatheringStatus, Inspection, Violation
from phongdich.enforcement.selectors import month_bounds, not_inspected
from phongdich.geo.models import Level, Unit

PEOPLE = 300


@pytest.mark.django_db
def test_demo_enforcement_gatherings_inspections_violations_idempotently_G1_G2_G3_G5(
    settings: Any, tmp_path: Path
) -> None:
    settings.VAR_DIR = tmp_path
    call_command("demo", people=PEOPLE, verbosity=0, stdout=io.StringIO(), stderr=io.StringIO(), until="travel")
    out = io.StringIO()
    demo = Demo(people=PEOPLE, out=out, progress=None)
    demo.province = Unit.objects.get(tree=catalogue.TREE, code=catalogue.PROVINCE_CODE, level=Level.PROVINCE)
    step_enforcement(demo)
    assert "Kiểm tra, vi phạm:" in out.getvalue()
    assert Gathering.objects.get(title=PENDING_TITLE).status == GatheringStatus.PENDING
    approved = Gathering.objects.get(title=APPROVED_TITLE)
    assert approved.status == GatheringStatus.APPROVED
    assert approved.decided_by is not None
    assert approved.expected_attendance > approved.cap
    province = demo.province
    start, end = month_bounds(timezone.localdate())
    assert Inspection.objects.filter(inspector_unit=province).exists()
    assert len(not_inspected(inspector=province, start=start, end=end)) >= 1
    city = Unit.objects.get(tree=catalogue.TREE, code=catalogue.CITY)
    assert Inspection.objects.filter(inspector_unit=city, result="violations").exists()
    today = timezone.localdate()
    assert FollowUp.objects.filter(closed_on__isnull=True, deadline__lt=today).exists()
    assert FollowUp.objects.filter(closed_on__isnull=False).exists()
    assert Violation.objects.filter(published=True).count() >= 3
    assert Violation.objects.filter(published=False).exists()
    page = Client().get(reverse("violations-public:list")).content.decode()
    assert "Cá nhân (không công bố tên)" in page
    assert "Lê Văn Toàn" in page

    counts = (Gathering.objects.count(), Inspection.objects.count(), Violation.objects.count())
    step_enforcement(demo)
    assert (Gathering.objects.count(), Inspection.objects.count(), Violation.objects.count()) == counts
