"""Zone and pass lists (Z1, Z2): Excel exports of what the user sees, audited; pages and the zone's
people page in a fixed number of queries whatever the number of rows; the level's measure set."""

from __future__ import annotations

import io
from datetime import date, timedelta
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from phongdich.core.models import AuditAction, AuditLog
from phongdich.people.tests.factories import PersonFactory
from phongdich.zones.control_selectors import measure_set_for_level
from phongdich.zones.control_services import zone_create
from phongdich.zones.models import ControlZone, MeasureSet, ZoneArea, ZoneKind

from .control_world import issue

pytestmark = pytest.mark.django_db


def zone(unit: Any, name: str, measure_set: MeasureSet) -> ControlZone:
    return zone_create(
        actor=None,
        name=name,
        zone_kind=ZoneKind.SOCIAL_DISTANCING,
        area=ZoneArea.UNITS,
        units=[unit],
        measure_set=measure_set,
        start_date=timezone.localdate() - timedelta(days=1),
        decision_number="9/QĐ",
        issuing_authority="UBND",
    )


def rows(content: bytes) -> list[tuple[Any, ...]]:
    return list(load_workbook(io.BytesIO(content)).active.iter_rows(min_row=2, values_only=True))


def test_zone_and_pass_exports_are_scoped_and_audited_Z1_Z2(client: Client, tree: Any, cast: Any) -> None:
    ct15 = MeasureSet.objects.get(code="ct15")
    zone(tree.quan_trieu, "Giãn cách Quán Triều", ct15)
    zone(tree.quang_vinh, "Giãn cách Quang Vinh", ct15)
    today = timezone.localdate()
    issue(tree.quan_trieu, valid_from=today, valid_to=today + timedelta(days=5))
    issue(tree.quang_vinh, plate="20C-999.99", valid_from=today, valid_to=today + timedelta(days=5))
    client.force_login(cast.cuong)
    zones = client.get(reverse("zones:control_list_export"))
    assert [r[0] for r in rows(zones.content)] == ["Giãn cách Quán Triều"]
    passes = client.get(reverse("zones:pass_list_export") + "?status=all")
    assert [r[0] for r in rows(passes.content)] == ["20C-123.45"]
    lines = AuditLog.objects.filter(action=AuditAction.EXPORT, actor=cast.cuong).order_by("id")
    assert [line.detail["rows"] for line in lines] == [1, 1]
    assert [line.object_type for line in lines] == ["zones.controlzone", "zones.transportpass"]


def test_lists_and_people_page_take_a_fixed_number_of_queries_Z1_Z2(
    client: Client, tree: Any, cast: Any, django_assert_max_num_queries: Any
) -> None:
    ct15 = MeasureSet.objects.get(code="ct15")
    today = timezone.localdate()
    for n in range(12):
        zone(tree.quan_trieu, f"Vùng {n}", ct15)
        issue(tree.quan_trieu, plate=f"20C-{100 + n}.00", valid_from=today, valid_to=today + timedelta(days=3))
        PersonFactory(residence_unit=tree.xom1)
    first = ControlZone.objects.first()
    assert first is not None
    client.force_login(cast.cuong)
    for url in (
        reverse("zones:control_list"),
        reverse("zones:pass_list") + "?status=all",
        reverse("zones:control_detail", args=[first.uid]),
        reverse("zones:measure_list"),
    ):
        with django_assert_max_num_queries(20):
            assert client.get(url).status_code == 200


def test_each_level_has_its_measure_set_Z1() -> None:
    assert measure_set_for_level(4, on=date(2021, 11, 1)).code == "level-4"  # type: ignore[union-attr]
    assert measure_set_for_level(2, on=date(2021, 11, 1)).code == "level-2"  # type: ignore[union-attr]
    assert measure_set_for_level(2, on=date(2021, 10, 1)) is None  # before Resolution 128/NQ-CP
