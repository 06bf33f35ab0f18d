"""A factory, end to end: new hires and a symptomatic declaration are ordered tests by the rules; the new
hires' PCR samples go in a pool that comes back positive; each is re-tested alone; the positive re-test
becomes a confirmed community case (T1, T3); the commune's level rises in the next weekly assessment (Z3)."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.utils import timezone

from phongdich.cases.models import Case, CaseStatus, DetectedIn
from phongdich.declarations.services import declaration_file
from phongdich.levels.models import Assessment
from phongdich.levels.services import levels_assess_week
from phongdich.levels.tests.helpers import set_population
from phongdich.people.staff_services import membership_create
from phongdich.people.tests.factories import PersonFactory
from phongdich.people.validators import cccd_make
from phongdich.testing import models as m
from phongdich.testing import services as s
from phongdich.testing.selectors import order_outcomes


def _commune_level(tree: Any, week: Any) -> int:
    levels_assess_week(actor=None, week_start=week, rules_code="4800", publish=False)
    return Assessment.objects.get(unit=tree.dac_son, week_start=week).level


def test_scenario_factory_T1_T3_Z3(cast: Any, tree: Any, django_capture_on_commit_callbacks: Any) -> None:
    today = timezone.localdate()
    week = today - timedelta(days=today.weekday())
    # Đắc Sơn (the factory's commune) has 4,000 people: one community case in a week is 25 per 100,000.
    for unit, population in ((tree.province, 1_300_000), (tree.pho_yen, 150_000), (tree.dac_son, 4_000)):
        set_population(unit, population)
    assert _commune_level(tree, week) == 1  # no case this week: level 1 (green)
    # The province decides that new hires at factories get a PCR test (the rule is data, with its source).
    rule = m.MandatoryTestRule.objects.get(trigger=m.Trigger.NEW_HIRE)
    s.rule_update(actor=cast.alice, rule=rule, kind=m.TestKind.PCR, source="Công văn 123/UBND-KGVX (mô phỏng)")
    lab = s.lab_create(actor=cast.alice, name="Phòng xét nghiệm Phổ Yên", unit=tree.pho_yen, capacity_pcr=20)

    workers = [PersonFactory(residence_unit=tree.dac_son) for _ in range(4)]
    with django_capture_on_commit_callbacks(execute=True):
        for worker in workers:
            membership_create(
                actor=None,
                person=worker,
                organisation=cast.enterprise,
                position="Công nhân",
                category="worker",
                start_date=today - timedelta(days=1),
            )
        data = {
            "full_name": "Hoàng Thị Ho",
            "id_number": cccd_make(province_code="19", sex="F", birth_year=1995, serial="654321"),
            "birth_year": "1995",
            "sex": "F",
            "residence_unit": tree.dac_son.code,
            "address": "Xóm Đắc Sơn",
            "phone": "0987654321",
            "cough": "on",
            "fever": "on",
            "pledge": "on",
        }
        symptomatic = declaration_file(actor=None, channel="self", data=data, visits=[]).declaration

    hire_orders = list(m.TestOrder.objects.filter(reason=m.OrderReason.NEW_HIRE).order_by("id"))
    assert [o.person for o in hire_orders] == workers
    assert {(o.kind, o.due_on, o.organisation) for o in hire_orders} == {(m.TestKind.PCR, today, cast.enterprise)}
    cough_order = m.TestOrder.objects.get(person=symptomatic.person)
    assert cough_order.reason == m.OrderReason.SYMPTOMS
    assert cough_order.kind == m.TestKind.RAPID

    # Samples taken, received, pooled; the pool is positive.
    samples = []
    for order in hire_orders:
        taken = s.sample_take(actor=cast.alice, order=order, lab=lab, taken_at=timezone.now() - timedelta(hours=3))
        samples.append(s.sample_receive(actor=cast.alice, lab=lab, code=taken.code))
    pool = s.pool_create(actor=cast.alice, lab=lab, samples=samples)
    s.result_enter(actor=cast.alice, code=pool.code, outcome="positive", ct_value="26")
    retests = list(m.TestOrder.objects.filter(reason=m.OrderReason.POOL_RETEST).order_by("id"))
    assert [o.parent for o in retests] == hire_orders
    assert Case.objects.count() == 0

    # Each re-tested alone: the third worker is positive.
    for index, order in enumerate(retests):
        taken = s.sample_take(actor=cast.alice, order=order, lab=lab)
        s.sample_receive(actor=cast.alice, lab=lab, code=taken.code)
        s.result_enter(
            actor=cast.alice,
            code=taken.code,
            outcome="positive" if index == 2 else "negative",
            ct_value="19.5" if index == 2 else None,
        )
    case = Case.objects.get()
    assert case.person == workers[2]
    assert case.status == CaseStatus.CONFIRMED
    assert case.detected_in == DetectedIn.COMMUNITY
    assert case.residence_unit == tree.dac_son
    outcomes = order_outcomes([o.pk for o in hire_orders])
    assert outcomes == {o.pk: ("positive" if o.person == workers[2] else "negative") for o in hire_orders}
    assert order_outcomes([cough_order.pk]) == {cough_order.pk: None}

    # The next assessment counts the community case: 25 per 100,000 (band 20–< 50, coverage not met) → level 2.
    assert _commune_level(tree, week) == 2
    assessment = Assessment.objects.get(unit=tree.dac_son, week_start=week)
    assert assessment.counts["community_cases"] == 1
    assert assessment.indicators["community_cases_per_100k_week"] == 25.0
