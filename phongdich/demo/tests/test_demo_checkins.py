"""The demo's QR check-in step: poster codes for most organisations, a week of staff check-ins, the
factory's workers at their lines — so the outbreak's cases have QR exposures to confirm (M1, C4)."""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command
from django.utils import timezone

from phongdich.cases.models import Cluster
from phongdich.checkins.models import CheckIn, PremisesCode
from phongdich.demo.checkins import step_checkins
from phongdich.demo.outbreak import CLUSTER_NAME
from phongdich.demo.steps import Demo
from phongdich.exposures.models import ExposureCandidate
from phongdich.orgs.models import Organisation

PEOPLE = 300


@pytest.mark.django_db
def test_demo_checkins_codes_checkins_and_exposures_idempotently_M1_C4(settings: Any, tmp_path: Path) -> None:
    settings.VAR_DIR = tmp_path
    out = io.StringIO()
    call_command("demo", people=PEOPLE, verbosity=1, stdout=out, stderr=io.StringIO(), until="checkins")
    assert "Mã QR:" in out.getvalue()
    active = PremisesCode.objects.active().values("premises__organisation")
    with_codes = Organisation.objects.filter(pk__in=active).count()
    assert 0 < with_codes < Organisation.objects.count()  # some organisations are left without codes
    assert CheckIn.objects.exists()
    assert CheckIn.objects.filter(at__gt=timezone.now()).count() == 0
    cluster = Cluster.objects.get(name=CLUSTER_NAME)
    factory_checkins = CheckIn.objects.filter(premises__organisation=cluster.organisation)
    assert factory_checkins.filter(person__cases__cluster=cluster).exists()
    assert ExposureCandidate.objects.filter(case__cluster=cluster).count() > 0

    counts = (PremisesCode.objects.count(), CheckIn.objects.count(), ExposureCandidate.objects.count())
    step_checkins(Demo(people=PEOPLE, out=io.StringIO(), progress=None))
    assert (PremisesCode.objects.count(), CheckIn.objects.count(), ExposureCandidate.objects.count()) == counts
