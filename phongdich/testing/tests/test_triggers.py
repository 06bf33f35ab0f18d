"""The rules at work (T1): new hires, symptomatic declarations, arrivals from epidemic areas and F1 quarantines
order tests after their transaction commits; the sweep catches bulk rows; nothing is ordered twice."""

from __future__ import annotations

import logging
from datetime import date, timedelta
from io import StringIO
from typing import Any

import pytest
from django.core.management import call_command
from django.utils import timezone

from phongdich.people.models import StaffMembership
from phongdich.people.staff_services import membership_create
from phongdich.people.tests.factories import PersonFactory
from phongdich.testing import models as m
from phongdich.testing.triggers import sweep


def today() -> date:
    return timezone.localdate()


def orders_of(person: Any) -> list[m.TestOrder]:
    return list(m.TestOrder.objects.filter(person=person).order_by("due_on", "id"))


def test_new_hire_gets_a_rapid_test_due_next_day_T1(
    cast: Any, tree: Any, django_capture_on_commit_callbacks: Any
) -> None:
    person = PersonFactory(residence_unit=tree.quan_trieu)
    with django_capture_on_commit_callbacks(execute=True):
        membership_create(
            actor=None,
            person=person,
            organisation=cast.enterprise,
            position="Công nhân",
            category="worker",
            start_date=today(),
        )
    (order,) = orders_of(person)
    assert order.reason == m.OrderReason.NEW_HIRE
    assert order.kind == m.TestKind.RAPID
    assert order.due_on == today() + timedelta(days=1)
    assert order.organisation == cast.enterprise
    assert order.residence_unit == tree.quan_trieu
    assert order.rule is not None
    assert order.rule.uncertain


def test_long_standing_staff_are_not_new_hires_T1(
    cast: Any, tree: Any, django_capture_on_commit_callbacks: Any
) -> None:
    person = PersonFactory(residence_unit=tree.quan_trieu)
    with django_capture_on_commit_callbacks(execute=True):
        membership_create(
            actor=None,
            person=person,
            organisation=cast.enterprise,
            position="Công nhân",
            category="worker",
            start_date=today() - timedelta(days=400),
        )
    assert orders_of(person) == []


def declare(
    tree: Any, django_capture_on_commit_callbacks: Any, visits: list[dict[str, Any]] | None = None, **symptoms: bool
) -> Any:
    from phongdich.declarations.services import declaration_file
    from phongdich.people.validators import cccd_make

    data = {
        "full_name": "Nguyễn Văn Khai",
        "id_number": cccd_make(province_code="19", sex="M", birth_year=1990, serial="123456"),
        "birth_year": "1990",
        "sex": "M",
        "nationality": "VN",
        "residence_unit": tree.quan_trieu.code,
        "address": "Số 5, đường Dương Tự Minh",
        "phone": "0912345678",
        "pledge": "on",
        **{k: "on" for k, v in symptoms.items() if v},
    }
    with django_capture_on_commit_callbacks(execute=True):
        filed = declaration_file(actor=None, channel="self", data=data, visits=visits or [])
    return filed.declaration


@pytest.mark.parametrize(
    ("symptoms", "ordered"),
    [
        ({"fever": True}, True),
        ({"cough": True}, True),
        ({"breathlessness": True}, True),
        ({"sore_throat": True}, False),
        ({}, False),
    ],
)
def test_fever_cough_or_breathlessness_orders_a_test_the_same_day_T1(
    tree: Any, django_capture_on_commit_callbacks: Any, symptoms: dict[str, bool], ordered: bool
) -> None:
    declaration = declare(tree, django_capture_on_commit_callbacks, **symptoms)
    orders = orders_of(declaration.person)
    assert [o.reason for o in orders] == ([m.OrderReason.SYMPTOMS] if ordered else [])
    if ordered:
        assert orders[0].due_on == today()


@pytest.fixture
def epidemic_city(tree: Any) -> Any:
    from phongdich.geo.models import Level, UnitType
    from phongdich.geo.services import unit_create
    from phongdich.zones.models import PlaceKind
    from phongdich.zones.services import area_declare

    city = unit_create(
        tree="2021", code="48", name="Thành phố Đà Nẵng", level=Level.PROVINCE, unit_type=UnitType.THANH_PHO_TRUNG_UONG
    )
    area_declare(
        actor=None, kind=PlaceKind.UNIT, unit=city, start_date=today() - timedelta(days=20), source_number="257/TB-VPCP"
    )
    return city


def test_declared_stay_in_an_epidemic_area_orders_a_test_T1(
    tree: Any, epidemic_city: Any, django_capture_on_commit_callbacks: Any
) -> None:
    visit = {
        "kind": "unit",
        "unit": epidemic_city,
        "from_date": today() - timedelta(days=5),
        "to_date": today() - timedelta(days=2),
    }
    declaration = declare(tree, django_capture_on_commit_callbacks, visits=[visit])
    assert [o.reason for o in orders_of(declaration.person)] == [m.OrderReason.EPIDEMIC_AREA_ARRIVAL]


def test_arrival_from_an_epidemic_area_orders_a_test_and_elsewhere_does_not_T1(
    tree: Any, epidemic_city: Any, django_capture_on_commit_callbacks: Any
) -> None:
    from phongdich.movements.services import arrival_declare

    def arrive(place: Any) -> Any:
        person = PersonFactory(residence_unit=tree.quan_trieu)
        with django_capture_on_commit_callbacks(execute=True):
            arrival_declare(
                actor=None,
                person=person,
                unit=tree.quan_trieu,
                move_date=today() - timedelta(days=1),
                place_kind="unit",
                place_unit=place,
                transport="coach",
                lodging_kind="relative",
                lodging_address="Số 5 ngõ 12",
            )
        return person

    from_area = arrive(epidemic_city)
    from_elsewhere = arrive(tree.dac_son)
    (order,) = orders_of(from_area)
    assert order.reason == m.OrderReason.EPIDEMIC_AREA_ARRIVAL
    assert order.due_on == today()
    assert orders_of(from_elsewhere) == []


@pytest.mark.parametrize(("vaccination", "days"), [("none", [7, 14]), ("full_or_recovered", [1]), ("partial", [])])
def test_f1_quarantine_orders_pcr_on_the_schedule_days_T1(
    tree: Any, django_capture_on_commit_callbacks: Any, vaccination: str, days: list[int]
) -> None:
    from phongdich.quarantine.services import episode_start

    person = PersonFactory(residence_unit=tree.quan_trieu)
    start = today() - timedelta(days=2)
    with django_capture_on_commit_callbacks(execute=True):
        episode_start(
            actor=None,
            person=person,
            kind="home",
            start_date=start,
            vaccination=vaccination,
            reason="F1 của ca TN-2021-0001",
        )
    orders = orders_of(person)
    assert [(o.due_on, o.kind, o.reason) for o in orders] == [
        (start + timedelta(days=d - 1), m.TestKind.PCR, m.OrderReason.F1_SCHEDULE) for d in days
    ]


def test_quarantine_of_someone_not_f1_orders_nothing_T1(tree: Any, django_capture_on_commit_callbacks: Any) -> None:
    from phongdich.quarantine.services import episode_start

    person = PersonFactory(residence_unit=tree.quan_trieu)
    with django_capture_on_commit_callbacks(execute=True):
        episode_start(
            actor=None, person=person, kind="home", start_date=today(), vaccination="none", reason="Về từ nước ngoài"
        )
    assert orders_of(person) == []


def test_sweep_orders_for_bulk_rows_once_and_the_command_reports_T1(cast: Any, tree: Any) -> None:
    people = [PersonFactory(residence_unit=tree.quan_trieu) for _ in range(3)]
    StaffMembership.objects.bulk_create(
        [StaffMembership(person=p, organisation=cast.enterprise, start_date=today()) for p in people]
    )
    assert m.TestOrder.objects.count() == 0
    first = sweep()
    assert first.orders == 3
    assert first.events >= 3
    again = sweep()
    assert again.orders == 0
    out = StringIO()
    call_command("testing_sweep", "--days", "3", stdout=out)
    assert "0 new orders" in out.getvalue()
    assert m.TestOrder.objects.filter(reason=m.OrderReason.NEW_HIRE, organisation=cast.enterprise).count() == 3


def test_order_create_is_idempotent_per_person_and_source_T1(tree: Any) -> None:
    from phongdich.testing.services import order_create

    person = PersonFactory(residence_unit=tree.xom1)
    first = order_create(actor=None, person=person, reason="screening", due_on=today(), source_key="round:1")
    second = order_create(
        actor=None, person=person, reason="screening", due_on=today() + timedelta(days=3), source_key="round:1"
    )
    assert first.pk == second.pk
    assert m.TestOrder.objects.count() == 1
    assert first.residence_unit == tree.quan_trieu  # the hamlet's commune
    assert first.kind == m.TestKind.RAPID


def test_a_failing_evaluation_is_logged_not_raised_into_the_committed_write_T1(
    cast: Any, tree: Any, django_capture_on_commit_callbacks: Any, monkeypatch: Any, caplog: Any
) -> None:
    from phongdich.testing import triggers

    def broken(pk: int) -> list[m.TestOrder]:
        raise RuntimeError("hỏng")

    monkeypatch.setitem(triggers.HANDLERS, "membership", broken)
    caplog.set_level(logging.ERROR, logger="phongdich.testing.triggers")
    person = PersonFactory(residence_unit=tree.quan_trieu)
    with django_capture_on_commit_callbacks(execute=True):
        membership = membership_create(
            actor=None,
            person=person,
            organisation=cast.enterprise,
            position="Công nhân",
            category="worker",
            start_date=today(),
        )
    assert StaffMembership.objects.filter(pk=membership.pk).exists()
    assert orders_of(person) == []
    assert "could not evaluate membership" in caplog.text
