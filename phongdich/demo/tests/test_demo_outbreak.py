"""The demo's factory outbreak: a cluster past 40 cases, contacts traced through the tracing services,
F1s quarantined (co-workers in a facility, households at home), hand-overs; idempotent (C3, C4, Q2)."""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command
from django.utils import timezone

from phongdich.cases.models import Case, Cluster
from phongdich.cases.selectors import cluster_outlook
from phongdich.core.models import User
from phongdich.demo.outbreak import CLUSTER_NAME, DAILY_CASES, FACILITY_NAME, FACTORY_NAME, step_outbreak
from phongdich.demo.steps import Demo
from phongdich.orgs.models import OrganisationKind
from phongdich.quarantine.models import Episode, EpisodeKind, Handover
from phongdich.tracing.models import Contact, ContactLevel
from phongdich.tracing.selectors import f1_unquarantined_queryset


def _counts() -> tuple[int, ...]:
    return (
        Cluster.objects.count(),
        Case.objects.count(),
        Contact.objects.count(),
        Episode.objects.count(),
        Handover.objects.count(),
    )


@pytest.mark.django_db
def test_demo_outbreak_builds_a_growing_factory_cluster_once_C3_C4(settings: Any, tmp_path: Path) -> None:
    settings.VAR_DIR = tmp_path
    call_command("demo", people=300, verbosity=0, stdout=io.StringIO(), stderr=io.StringIO(), until="outbreak")
    out = io.StringIO()
    step_outbreak(Demo(people=300, out=out, progress=None))
    cluster = Cluster.objects.select_related("organisation", "unit").get(name=CLUSTER_NAME)
    assert cluster.organisation is not None
    assert cluster.organisation.name == FACTORY_NAME
    assert cluster.organisation.kind == OrganisationKind.ENTERPRISE
    assert "mô phỏng" in cluster.organisation.name
    assert cluster.unit.code == "05878"  # Phường Đồng Tiến, Thị xã Phổ Yên
    cases = Case.objects.filter(cluster=cluster)
    assert cases.count() == sum(DAILY_CASES) > 40
    assert all(c.person.is_synthetic for c in cases.select_related("person"))
    assert not cases.filter(isolated_on__isnull=True).exists()
    # Growing: the 7-day growth, a doubling time and a projection on the cluster's page.
    outlook = cluster_outlook(cluster=cluster)
    assert outlook.as_of == timezone.localdate()
    assert outlook.week.last7 > outlook.week.previous7
    assert outlook.doubling is not None
    assert len(outlook.projection) == 7
    # Tracing: F1 co-workers and household members, F2 neighbours; none left out of quarantine.
    f1 = ContactLevel.objects.filter(level=1).count()
    f2 = ContactLevel.objects.filter(level=2).count()
    assert f1 >= 2 * cases.count()
    assert f2 > 0
    admin = User.objects.get(username="admin")
    assert not f1_unquarantined_queryset(user=admin).exists()
    episodes = Episode.objects.filter(person__in=ContactLevel.objects.filter(level=1).values("person"))
    assert episodes.filter(kind=EpisodeKind.CENTRALISED, facility__name=FACILITY_NAME).exists()
    assert episodes.filter(kind=EpisodeKind.HOME).exists()
    # Centralised stays that ended are handed over; the older hand-overs acknowledged.
    handovers = Handover.objects.filter(from_facility__name=FACILITY_NAME)
    assert handovers.exists()
    assert handovers.filter(acknowledged_at__isnull=False).exists()
    assert "Ổ dịch giả lập" in out.getvalue()
    counts = _counts()
    again = io.StringIO()
    step_outbreak(Demo(people=300, seed=7, out=again, progress=None))
    assert _counts() == counts
    assert "(giữ nguyên)" in again.getvalue()
