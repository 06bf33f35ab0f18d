"""Services: declaring arrivals and departures — validation, scope, the visit in the origin and its flags,
"present now" semantics (M3, M9)."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied

from phongdich.core.errors import ValidationFailed
from phongdich.core.models import AuditAction, AuditLog
from phongdich.movements.models import Direction, Movement
from phongdich.movements.selectors import movement_get, present_now_queryset, visible_movements
from phongdich.movements.services import arrival_declare, departure_declare
from phongdich.zones.models import ExposureFlag, PlaceVisit

from .conftest import ARRIVAL_DEFAULTS, days_ago, make_person, today

pytestmark = pytest.mark.django_db


def test_arrival_from_epidemic_area_records_visit_and_flags_person_M3(cast: Any, tree: Any, da_nang: Any) -> None:
    person = make_person(tree.quan_trieu, "Phạm Văn Về")
    movement = arrival_declare(
        actor=cast.cuong,
        person=person,
        unit=tree.xom1,
        move_date=days_ago(2),
        place_kind="unit",
        place_unit=da_nang.thach_thang,
        place_from=days_ago(6),
        expected_days=10,
        **ARRIVAL_DEFAULTS,
    )
    assert movement.commune == tree.quan_trieu
    assert movement.expected_departure == days_ago(2) + timedelta(days=10)
    visit = PlaceVisit.objects.get(source=f"movement:{movement.uid}")
    assert (visit.unit, visit.from_date, visit.to_date, visit.recorded_by) == (
        da_nang.thach_thang,
        days_ago(6),
        days_ago(2),
        cast.cuong,
    )
    flag = ExposureFlag.objects.get(person=person, cleared_at__isnull=True)
    assert flag.area == da_nang.area
    assert "Phường Thạch Thang" in flag.reason
    assert AuditLog.objects.filter(action=AuditAction.CREATE, object_uid=str(movement.uid)).exists()


def test_arrival_from_a_country_that_is_no_epidemic_area_sets_no_flag_M3(cast: Any, tree: Any, da_nang: Any) -> None:
    person = make_person(tree.quan_trieu)
    movement = arrival_declare(
        actor=cast.cuong,
        person=person,
        unit=tree.quan_trieu,
        move_date=days_ago(1),
        place_kind="country",
        country="jp",
        **ARRIVAL_DEFAULTS,
    )
    assert movement.country == "JP"
    assert PlaceVisit.objects.filter(source=f"movement:{movement.uid}", country="JP").exists()
    assert not ExposureFlag.objects.filter(person=person).exists()


def test_arrival_with_only_a_free_text_origin_records_no_visit_M3(cast: Any, tree: Any) -> None:
    person = make_person(tree.quan_trieu)
    movement = arrival_declare(
        actor=cast.cuong,
        person=person,
        unit=tree.quan_trieu,
        move_date=days_ago(1),
        place_kind="unit",
        place_note="Huyện Mê Linh, Hà Nội",
        **ARRIVAL_DEFAULTS,
    )
    assert movement.place_name == "Huyện Mê Linh, Hà Nội"
    assert not PlaceVisit.objects.filter(source=f"movement:{movement.uid}").exists()


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"move_date": None}, "move_date"),
        ({"move_date": "tomorrow"}, "move_date"),
        ({"place_kind": ""}, "place_kind"),
        ({"place_kind": "country", "country": ""}, "country"),
        ({"place_kind": "country", "country": "XX"}, "country"),
        ({"place_kind": "unit", "place_unit": None, "place_note": ""}, "place_unit"),
        ({"transport": "horse"}, "transport"),
        ({"lodging_kind": ""}, "lodging_kind"),
        ({"lodging_address": "  "}, "lodging_address"),
        ({"expected_days": 400}, "expected_days"),
        ({"expected_departure": "yesterday-3"}, "expected_departure"),
        ({"place_from": "tomorrow"}, "place_from"),
        ({"unit": "district"}, "unit"),
    ],
)
def test_bad_arrival_input_is_refused_in_vietnamese_and_nothing_stored_M3(
    cast: Any, tree: Any, da_nang: Any, change: dict[str, Any], field: str
) -> None:
    person = make_person(tree.quan_trieu)
    values: dict[str, Any] = {
        "person": person,
        "unit": tree.quan_trieu,
        "move_date": days_ago(1),
        "place_kind": "unit",
        "place_unit": da_nang.thach_thang,
        **ARRIVAL_DEFAULTS,
    }
    aliases = {"tomorrow": today() + timedelta(days=1), "yesterday-3": days_ago(4), "district": tree.city}
    values.update({k: aliases.get(v, v) if isinstance(v, str) else v for k, v in change.items()})
    with pytest.raises(ValidationFailed) as exc:
        arrival_declare(actor=cast.cuong, **values)
    assert exc.value.field == field
    assert any(ch in str(exc.value.message) for ch in "ạảãàáâậầấẩẫăắằặẳẵêềếệểễôồốộổỗơờớợởỡưừứựửữđ")
    assert not Movement.objects.exists()
    assert not PlaceVisit.objects.exists()


def test_officer_cannot_declare_into_another_commune_M3(cast: Any, tree: Any) -> None:
    person = make_person(tree.quang_vinh)
    with pytest.raises(PermissionDenied):
        arrival_declare(
            actor=cast.cuong,
            person=person,
            unit=tree.quang_vinh,
            move_date=days_ago(1),
            place_kind="country",
            country="JP",
            **ARRIVAL_DEFAULTS,
        )
    assert not Movement.objects.exists()


def test_hamlet_head_declares_into_her_hamlet_only_M3(cast: Any, tree: Any) -> None:
    person = make_person(tree.xom1)
    arrival_declare(
        actor=cast.hoa,
        person=person,
        unit=tree.xom1,
        move_date=days_ago(1),
        place_kind="country",
        country="JP",
        **ARRIVAL_DEFAULTS,
    )
    with pytest.raises(PermissionDenied):
        arrival_declare(
            actor=cast.hoa,
            person=make_person(tree.quan_trieu),
            unit=tree.quan_trieu,
            move_date=days_ago(1),
            place_kind="country",
            country="JP",
            **ARRIVAL_DEFAULTS,
        )


def test_arrival_of_someone_living_elsewhere_is_recorded_and_flagged_M3(cast: Any, tree: Any, da_nang: Any) -> None:
    """A resident of Quang Vinh (outside cuong's scope) comes from Đà Nẵng to lodge in Quán Triều."""
    person = make_person(tree.quang_vinh)
    arrival_declare(
        actor=cast.cuong,
        person=person,
        unit=tree.quan_trieu,
        move_date=days_ago(1),
        place_kind="unit",
        place_unit=da_nang.city,
        **ARRIVAL_DEFAULTS,
    )
    assert ExposureFlag.objects.filter(person=person, area=da_nang.area).exists()


def test_second_open_arrival_in_same_commune_is_refused_M3(cast: Any, tree: Any, arrive: Any) -> None:
    person = make_person(tree.quan_trieu)
    arrive(person, tree.quan_trieu, country="JP")
    with pytest.raises(ValidationFailed) as exc:
        arrive(person, tree.xom1, country="JP", actor=cast.cuong)
    assert exc.value.field == "person"


def test_departure_closes_the_open_arrival_and_must_not_precede_it_M3(cast: Any, tree: Any, arrive: Any) -> None:
    person = make_person(tree.quang_vinh)
    arrival = arrive(person, tree.quan_trieu, country="JP", days=5)
    with pytest.raises(ValidationFailed) as exc:
        departure_declare(actor=cast.cuong, person=person, unit=tree.quan_trieu, move_date=days_ago(6), transport="car")
    assert exc.value.field == "move_date"
    departure = departure_declare(
        actor=cast.cuong,
        person=person,
        unit=tree.quan_trieu,
        move_date=days_ago(1),
        transport="car",
        place_kind="unit",
        place_note="Hà Nội",
    )
    arrival.refresh_from_db()
    assert (arrival.left_on, arrival.closed_by) == (days_ago(1), departure)
    assert departure.direction == Direction.DEPARTURE


def test_departure_of_someone_neither_resident_nor_arrived_is_refused_M3(cast: Any, tree: Any) -> None:
    with pytest.raises(ValidationFailed):
        departure_declare(
            actor=cast.cuong,
            person=make_person(tree.quang_vinh),
            unit=tree.quan_trieu,
            move_date=today(),
            transport="car",
        )
    resident = make_person(tree.xom1)
    departure_declare(actor=cast.hoa, person=resident, unit=tree.xom1, move_date=today(), transport="motorbike")
    assert Movement.objects.filter(person=resident, direction=Direction.DEPARTURE).count() == 1


def test_present_now_is_open_arrivals_with_overdue_shown_M3(cast: Any, tree: Any, arrive: Any) -> None:
    staying = arrive(make_person(tree.quan_trieu, "Người Ở"), tree.xom1, country="JP", days=3, expected_days=10)
    overdue = arrive(
        make_person(tree.quan_trieu, "Người Quá Hạn"), tree.quan_trieu, country="JP", days=8, expected_days=2
    )
    gone = arrive(make_person(tree.quan_trieu, "Người Đã Đi"), tree.quan_trieu, country="JP", days=4)
    departure_declare(actor=None, person=gone.person, unit=tree.quan_trieu, move_date=days_ago(1), transport="car")
    elsewhere = arrive(make_person(tree.quang_vinh), tree.quang_vinh, country="JP")

    present = list(present_now_queryset(user=cast.cuong))
    assert present == [staying, overdue]
    assert [m.is_overdue(today()) for m in present] == [False, True]
    assert list(present_now_queryset(user=cast.hoa)) == [staying]
    assert elsewhere in present_now_queryset(user=cast.dan)


def test_commune_officer_does_not_see_another_communes_arrivals_M9(cast: Any, tree: Any, arrive: Any) -> None:
    mine = arrive(make_person(tree.quan_trieu), tree.quan_trieu, country="JP")
    theirs = arrive(make_person(tree.quang_vinh), tree.quang_vinh, country="JP")
    assert list(visible_movements(cast.cuong)) == [mine]
    assert set(visible_movements(cast.dan)) == {mine, theirs}
    from django.http import Http404

    with pytest.raises(Http404):
        movement_get(user=cast.cuong, uid=theirs.uid)


def test_reading_a_movement_is_audited_M9(cast: Any, tree: Any, arrive: Any) -> None:
    movement = arrive(make_person(tree.quan_trieu), tree.quan_trieu, country="JP")
    movement_get(user=cast.cuong, uid=movement.uid)
    line = AuditLog.objects.filter(action=AuditAction.READ, object_uid=str(movement.uid)).get()
    assert line.actor == cast.cuong
