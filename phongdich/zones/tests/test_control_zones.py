"""Control zones (Z1): who is inside (units with their hamlets, one hamlet, a premises' staff; by date),
the selectors other apps use, and the rules for setting up, editing and lifting a zone, in scope."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied

from phongdich.core.errors import ValidationFailed
from phongdich.core.models import AuditAction, AuditLog
from phongdich.zones.control_selectors import (
    people_in_zones,
    person_zones,
    rules_in_force,
    zone_list,
    zone_people,
    zone_people_queryset,
    zone_person_ids,
    zones_covering_unit,
)
from phongdich.zones.control_services import zone_create, zone_lift, zone_update
from phongdich.zones.measures import gathering_cap
from phongdich.zones.models import ControlZone, MeasureSet, ZoneArea, ZoneKind

from .control_world import World, build_world

pytestmark = pytest.mark.django_db

START = date(2021, 5, 20)


@pytest.fixture
def world(tree: Any, cast: Any) -> World:
    return build_world(tree, cast)


def make(measure_set: MeasureSet, *, actor: Any = None, **extra: Any) -> ControlZone:
    values: dict[str, Any] = {
        "actor": actor,
        "name": "Vùng thử",
        "zone_kind": ZoneKind.LOCKDOWN,
        "area": ZoneArea.UNITS,
        "measure_set": measure_set,
        "start_date": START,
        "decision_number": "123/QĐ-UBND",
        "issuing_authority": "UBND thành phố Thái Nguyên",
    }
    values.update(extra)
    return zone_create(**values)


def ids(qs: Any) -> set[int]:
    return set(qs.values_list("pk", flat=True))


def test_commune_zone_holds_its_hamlets_hamlet_zone_only_the_hamlet_Z1(tree: Any, world: World) -> None:
    commune = make(world.ct15, units=[tree.quan_trieu], zone_kind=ZoneKind.SOCIAL_DISTANCING)
    hamlet = make(world.ct16, area=ZoneArea.HAMLET, units=[tree.xom1])
    assert ids(zone_people_queryset(zone=commune, on=START)) == {world.in_hamlet.pk, world.in_commune.pk}
    assert ids(zone_people_queryset(zone=hamlet, on=START)) == {world.in_hamlet.pk}


def test_several_units_and_a_district_Z1(tree: Any, world: World) -> None:
    two = make(world.ct15, units=[tree.xom1, tree.quang_vinh])
    assert ids(zone_people_queryset(zone=two, on=START)) == {
        world.in_hamlet.pk,
        world.in_quang_vinh.pk,
        world.worker.pk,
    }
    city = make(world.ct15, units=[tree.city])
    assert world.staff.pk not in ids(zone_people_queryset(zone=city, on=START))  # lives in Phổ Yên
    assert world.in_hamlet.pk in ids(zone_people_queryset(zone=city, on=START))


def test_premises_zone_holds_the_organisations_staff_on_the_day_Z1(world: World) -> None:
    zone = make(world.ct16, area=ZoneArea.PREMISES, premises=world.workshop, zone_kind=ZoneKind.MEDICAL_ISOLATION)
    # The worker (works there), the staff member while the post lasts; never the former member.
    assert ids(zone_people_queryset(zone=zone, on=date(2021, 5, 31))) == {world.worker.pk, world.staff.pk}
    assert ids(zone_people_queryset(zone=zone, on=date(2021, 6, 1))) == {world.worker.pk}
    assert world.former.pk in ids(zone_people_queryset(zone=zone, on=date(2020, 12, 31)))


def test_people_in_zones_follow_start_and_end_dates_Z1(tree: Any, world: World) -> None:
    make(world.ct16, area=ZoneArea.HAMLET, units=[tree.xom1], end_date=date(2021, 5, 27))
    make(world.ct15, units=[tree.quang_vinh], start_date=date(2021, 5, 25))  # open-ended
    assert ids(people_in_zones(on=date(2021, 5, 19))) == set()
    assert ids(people_in_zones(on=START)) == {world.in_hamlet.pk}
    assert ids(people_in_zones(on=date(2021, 5, 26))) == {world.in_hamlet.pk, world.in_quang_vinh.pk, world.worker.pk}
    assert ids(people_in_zones(on=date(2021, 5, 28))) == {world.in_quang_vinh.pk, world.worker.pk}
    assert ids(people_in_zones(on=date(2030, 1, 1))) == {world.in_quang_vinh.pk, world.worker.pk}
    assert ids(people_in_zones(on=date(2021, 5, 26), kinds=[ZoneKind.SOCIAL_DISTANCING])) == set()
    asked = [world.in_hamlet.pk, world.in_commune.pk, world.worker.pk]
    assert zone_person_ids(on=date(2021, 5, 26), person_ids=asked) == {world.in_hamlet.pk, world.worker.pk}
    assert [z.name for z in person_zones(person=world.in_hamlet, on=START)] == ["Vùng thử"]
    assert person_zones(person=world.in_commune, on=START) == []


def test_lifting_ends_the_day_before_and_people_leave_the_zone_Z1(tree: Any, cast: Any, world: World) -> None:
    zone = make(world.ct16, area=ZoneArea.HAMLET, units=[tree.xom1])
    lifted = zone_lift(actor=cast.cuong, zone=zone, lifted_on=date(2021, 6, 3), decision_number="140/QĐ-UBND")
    assert (lifted.lifted_on, lifted.end_date) == (date(2021, 6, 3), date(2021, 6, 2))
    assert world.in_hamlet.pk in zone_person_ids(on=date(2021, 6, 2))
    assert world.in_hamlet.pk not in zone_person_ids(on=date(2021, 6, 3))
    assert AuditLog.objects.filter(action=AuditAction.UPDATE, object_uid=str(zone.uid)).exists()
    with pytest.raises(ValidationFailed):
        zone_lift(actor=cast.cuong, zone=lifted, lifted_on=date(2021, 6, 4))


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"units": []}, "units"),
        ({"area": ZoneArea.HAMLET, "units": "commune"}, "units"),  # a commune is not a hamlet
        ({"area": ZoneArea.PREMISES}, "premises"),
        ({"end_date": date(2021, 5, 19)}, "end_date"),
        ({"decision_number": " "}, "decision_number"),
        ({"issuing_authority": ""}, "issuing_authority"),
        ({"name": ""}, "name"),
        ({"zone_kind": "curfew"}, "zone_kind"),
        ({"start_date": date(2020, 3, 1)}, "measure_set"),  # before 16/CT-TTg took effect
    ],
)
def test_bad_zones_are_refused_and_nothing_stored_Z1(tree: Any, world: World, change: dict, field: str) -> None:
    values = {"units": [tree.quan_trieu], **change}
    if values["units"] == "commune":
        values["units"] = [tree.quan_trieu]
    with pytest.raises(ValidationFailed) as caught:
        make(world.ct16, **values)
    assert caught.value.field == field
    assert not ControlZone.objects.exists()


def test_lift_rules_Z1(tree: Any, world: World) -> None:
    zone = make(world.ct16, units=[tree.quan_trieu], end_date=date(2021, 5, 30))
    for day in (START, date(2021, 6, 5)):
        with pytest.raises(ValidationFailed):
            zone_lift(actor=None, zone=zone, lifted_on=day)
    assert zone_lift(actor=None, zone=zone, lifted_on=date(2021, 5, 31)).end_date == date(2021, 5, 30)


def test_officers_set_up_zones_only_inside_their_area_Z1(tree: Any, cast: Any, world: World) -> None:
    assert make(world.ct16, actor=cast.cuong, area=ZoneArea.HAMLET, units=[tree.xom1]).pk
    with pytest.raises(PermissionDenied):
        make(world.ct15, actor=cast.cuong, units=[tree.quan_trieu, tree.quang_vinh])
    with pytest.raises(PermissionDenied):
        make(world.ct15, actor=cast.hoa, area=ZoneArea.HAMLET, units=[tree.xom1])  # a hamlet head does not
    with pytest.raises(PermissionDenied):
        make(world.ct15, actor=cast.chi, area=ZoneArea.PREMISES, premises=world.workshop)
    assert make(world.ct15, actor=cast.dan, units=[tree.quan_trieu, tree.quang_vinh]).pk
    zone = ControlZone.objects.get(area=ZoneArea.HAMLET)
    with pytest.raises(PermissionDenied):
        zone_update(actor=cast.chi, zone=zone, name="Đổi tên")
    with pytest.raises(PermissionDenied):
        zone_update(actor=cast.cuong, zone=zone, area=ZoneArea.UNITS, units=[tree.quang_vinh])
    updated = zone_update(actor=cast.cuong, zone=zone, measure_set=world.ct15, zone_kind=ZoneKind.SOCIAL_DISTANCING)
    assert (updated.measure_set, updated.zone_kind) == (world.ct15, ZoneKind.SOCIAL_DISTANCING)
    line = AuditLog.objects.filter(action=AuditAction.UPDATE, object_uid=str(zone.uid)).latest("id")
    assert line.detail["changed"]["measure_set"] == ["ct16", "ct15"]


def test_zone_list_is_scoped_both_ways_and_people_are_scoped_Z1(tree: Any, cast: Any, world: World) -> None:
    hamlet = make(world.ct16, area=ZoneArea.HAMLET, units=[tree.xom1], name="Phong tỏa TDP 1")
    commune = make(world.ct15, units=[tree.quan_trieu, tree.quang_vinh], name="Giãn cách hai phường")
    factory = make(world.ct16, area=ZoneArea.PREMISES, premises=world.workshop, name="Cách ly xưởng")

    def names(user: Any) -> set[str]:
        return {z.name for z in zone_list(user=user, status="all")}

    assert names(cast.alice) == {"Phong tỏa TDP 1", "Giãn cách hai phường", "Cách ly xưởng"}
    assert names(cast.cuong) == {"Phong tỏa TDP 1", "Giãn cách hai phường"}
    assert names(cast.chi) == {"Giãn cách hai phường"}
    assert names(cast.hoa) == {"Phong tỏa TDP 1", "Giãn cách hai phường"}  # a zone above her hamlet too
    assert names(cast.oanh) == {"Cách ly xưởng"}
    # Inside a zone, each officer sees only the people of their own area.
    seen = {p.pk for p in zone_people(user=cast.chi, zone=commune, on=START).items}
    assert seen == {world.in_quang_vinh.pk, world.worker.pk}
    assert zone_people(user=cast.chi, zone=hamlet, on=START).items == []
    # The head sees the people registered as working there (the registry's scope rule, D4).
    assert {p.pk for p in zone_people(user=cast.oanh, zone=factory, on=START).items} == {world.worker.pk}
    assert {p.pk for p in zone_people(user=cast.alice, zone=factory, on=START).items} == {
        world.worker.pk,
        world.staff.pk,
    }


def test_status_filter_active_and_ended_Z1(tree: Any, world: World) -> None:
    make(world.ct16, units=[tree.quan_trieu], name="cũ", end_date=date(2021, 5, 30))
    make(world.ct16, units=[tree.quan_trieu], name="mở")
    on = date(2021, 6, 10)
    from phongdich.core.models import User

    admin = User.objects.create_superuser("root", password="x")
    assert [z.name for z in zone_list(user=admin, status="active", on=on)] == ["mở"]
    assert [z.name for z in zone_list(user=admin, status="ended", on=on)] == ["cũ"]


def test_rules_in_force_in_a_hamlet_are_the_strictest_of_the_zones_holding_it_Z1(tree: Any, world: World) -> None:
    make(world.ct15, units=[tree.quan_trieu], zone_kind=ZoneKind.SOCIAL_DISTANCING, end_date=date(2021, 6, 30))
    make(world.ct16, area=ZoneArea.HAMLET, units=[tree.xom1], start_date=date(2021, 5, 25))
    assert [z.measure_set.code for z in zones_covering_unit(unit=tree.xom1, on=START)] == ["ct15"]
    assert gathering_cap(rules_in_force(unit=tree.xom1, on=START), indoors=True) == 20
    assert gathering_cap(rules_in_force(unit=tree.xom1, on=date(2021, 5, 26)), indoors=True) == 2
    # The commune itself is not inside its hamlet's lockdown; Quang Vinh is in no zone.
    assert gathering_cap(rules_in_force(unit=tree.quan_trieu, on=date(2021, 5, 26)), indoors=True) == 20
    assert gathering_cap(rules_in_force(unit=tree.quang_vinh, on=date(2021, 5, 26)), indoors=True) is None
    assert zones_covering_unit(unit=tree.xom1, on=date(2030, 1, 1))[0].measure_set.code == "ct16"
