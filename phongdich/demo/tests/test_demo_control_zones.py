"""The demo's control zones around the factory outbreak: distancing (15/CT-TTg) over the ward, lockdown
(16/CT-TTg) of a hamlet with people inside, isolation of a workshop line; checkpoints, goods-transport
passes and their recorded checks with every kind of answer; idempotent (Z1, Z2)."""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command
from django.utils import timezone

from phongdich.cases.models import Cluster
from phongdich.demo.control_zones import NOTE, _outbreak_hamlet, step_control_zones
from phongdich.demo.outbreak import CLUSTER_NAME
from phongdich.demo.steps import Demo
from phongdich.geo.models import Unit
from phongdich.people.tests.factories import PersonFactory
from phongdich.zones.control_selectors import people_in_zones, zone_people_queryset
from phongdich.zones.models import ControlZone, PassCheck, PassResult, TransportPass, ZoneArea, ZoneKind

PEOPLE = 300


def _counts() -> tuple[int, int, int]:
    return ControlZone.objects.count(), TransportPass.objects.count(), PassCheck.objects.count()


@pytest.mark.django_db
def test_demo_control_zones_around_the_outbreak_idempotently_Z1_Z2(settings: Any, tmp_path: Path) -> None:
    settings.VAR_DIR = tmp_path
    call_command("demo", people=PEOPLE, verbosity=0, stdout=io.StringIO(), stderr=io.StringIO(), until="control_zones")
    # A small demo may leave the chosen hamlet empty: give it a resident, as a larger demo would.
    cluster = Cluster.objects.get(name=CLUSTER_NAME)
    hamlet = _outbreak_hamlet(cluster, Unit.objects.get(tree="2021", code="05878"))
    assert hamlet is not None
    resident = PersonFactory(residence_unit=hamlet, is_synthetic=True)
    out = io.StringIO()
    step_control_zones(Demo(people=PEOPLE, out=out, progress=None))
    zones = {z.zone_kind: z for z in ControlZone.objects.filter(note=NOTE).select_related("measure_set")}
    assert set(zones) == {ZoneKind.SOCIAL_DISTANCING, ZoneKind.LOCKDOWN, ZoneKind.MEDICAL_ISOLATION}
    distancing, lockdown, isolation = (
        zones[ZoneKind.SOCIAL_DISTANCING],
        zones[ZoneKind.LOCKDOWN],
        zones[ZoneKind.MEDICAL_ISOLATION],
    )
    assert distancing.measure_set.code == "ct15"
    assert [u.code for u in distancing.units.all()] == ["05878"]  # Phường Đồng Tiến
    assert lockdown.measure_set.code == "ct16"
    assert lockdown.area == ZoneArea.HAMLET
    assert lockdown.units.get().parent.code == "05878"
    assert isolation.premises is not None
    today = timezone.localdate()
    assert all(z.in_force_on(today) for z in zones.values())
    # The hamlet's residents are inside both the lockdown and the ward's distancing zone.
    in_hamlet = set(zone_people_queryset(zone=lockdown).values_list("pk", flat=True))
    assert resident.pk in in_hamlet
    assert lockdown.units.get() == hamlet
    assert in_hamlet <= set(zone_people_queryset(zone=distancing).values_list("pk", flat=True))
    assert zone_people_queryset(zone=isolation).exists()  # the factory's workers
    assert in_hamlet <= set(people_in_zones(on=today).values_list("pk", flat=True))
    results = set(PassCheck.objects.values_list("result", flat=True))
    assert results == set(PassResult.values)
    assert TransportPass.objects.filter(replaced_by__isnull=False).count() == 1
    assert "Vùng cách ly, phong tỏa, giãn cách giả lập: 3 vùng" in out.getvalue()
    counts = _counts()
    again = io.StringIO()
    step_control_zones(Demo(people=PEOPLE, seed=7, out=again, progress=None))
    assert _counts() == counts
    assert "(giữ nguyên)" in again.getvalue()
