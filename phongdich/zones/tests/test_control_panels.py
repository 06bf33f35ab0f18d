"""The person page's control-zone panel lists the zones the person is inside today (Z1)."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.urls import reverse
from django.utils import timezone

from phongdich.zones.control_panels import control_zones_panel
from phongdich.zones.control_services import zone_create
from phongdich.zones.models import MeasureSet, ZoneArea, ZoneKind

from .control_world import World, build_world

pytestmark = pytest.mark.django_db


def test_panel_lists_todays_zones_of_the_person_Z1(tree: Any, cast: Any) -> None:
    world: World = build_world(tree, cast)
    today = timezone.localdate()
    lockdown = zone_create(
        actor=None,
        name="Phong tỏa Tổ dân phố 1",
        zone_kind=ZoneKind.LOCKDOWN,
        area=ZoneArea.HAMLET,
        units=[tree.xom1],
        measure_set=MeasureSet.objects.get(code="ct16"),
        start_date=today - timedelta(days=3),
        decision_number="1/QĐ",
        issuing_authority="UBND",
    )
    zone_create(
        actor=None,
        name="Đã hết",
        zone_kind=ZoneKind.SOCIAL_DISTANCING,
        area=ZoneArea.UNITS,
        units=[tree.quan_trieu],
        measure_set=MeasureSet.objects.get(code="ct15"),
        start_date=today - timedelta(days=30),
        end_date=today - timedelta(days=1),
        decision_number="2/QĐ",
        issuing_authority="UBND",
    )
    panel = control_zones_panel(world.in_hamlet, cast.cuong)
    assert [(r.text, r.url, r.badge_class) for r in panel.rows] == [
        ("Phong tỏa Tổ dân phố 1", reverse("zones:control_detail", args=[lockdown.uid]), "red")
    ]
    assert control_zones_panel(world.in_commune, cast.cuong).rows == []
