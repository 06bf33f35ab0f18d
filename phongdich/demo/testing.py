"""Demo step: testing (T1, T3). Two labs; the outbreak factory takes on new workers (new-hire tests);
the rule engine's sweep orders the tests every recent event calls for (new hires, symptomatic medical
declarations, arrivals from epidemic areas, the F1s' quarantine schedule); then samples are taken and
results come back: most negative, a positive rapid test that calls for a PCR confirmation, and a PCR
pool that comes back positive — its members re-tested one by one, one of them positive. A few orders
are left past their due day, so the overdue lists have something to show.

Runs after the "outbreak" and "checkins" steps. Everything goes through the services as the system
(``actor=None``); synthetic people only. Idempotent: once the demo labs have results, nothing is added.
"""

# Seeded pseudo-random numbers on purpose: the same seed gives the same synthetic data.
# ruff: noqa: S311

from __future__ import annotations

import random
from datetime import timedelta
from typing import TYPE_CHECKING

from django.db import transaction
from django.utils import timezone

from phongdich.core.errors import ApplicationError
from phongdich.geo.models import Unit
from phongdich.orgs.models import Organisation
from phongdich.people.models import Person, StaffCategory, StaffMembership
from phongdich.people.staff_services import membership_create
from phongdich.testing.models import Lab, OrderReason, OrderStatus, Result, TestKind, TestOrder
from phongdich.testing.services import (
    lab_create,
    order_create,
    pool_create,
    result_enter,
    sample_receive,
    sample_take,
)
from phongdich.testing.triggers import sweep

from . import catalogue
from .outbreak import FACTORY_NAME

if TYPE_CHECKING:
    from phongdich.testing.models import Sample

    from .steps import Demo

LABS = (
    ("Phòng xét nghiệm CDC tỉnh Thái Nguyên (mô phỏng)", catalogue.CITY, 40, 400),
    ("Phòng xét nghiệm Trung tâm Y tế thị xã Phổ Yên (mô phỏng)", catalogue.PHO_YEN, 12, 200),
)
NEW_HIRE_POSITION = "Công nhân mới tuyển (mô phỏng)"
NEW_HIRES = 8
# Orders left untouched past their due day (the overdue lists).
LEFT_OVERDUE = 3
POOL_SIZE = 6


def _labs() -> list[Lab]:
    labs = []
    for name, code, pcr, rapid in LABS:
        lab = Lab.objects.filter(name=name).first()
        unit = Unit.objects.filter(tree=catalogue.TREE, code=code).first()
        if lab is None and unit is not None:
            lab = lab_create(actor=None, name=name, unit=unit, capacity_pcr=pcr, capacity_rapid=rapid)
        if lab is not None:
            labs.append(lab)
    return labs


def _new_hires(rng: random.Random, factory: Organisation) -> int:
    """Synthetic residents of Phổ Yên without a post join the factory over the last few days."""
    if StaffMembership.objects.filter(organisation=factory, position=NEW_HIRE_POSITION).exists():
        return 0
    today = timezone.localdate()
    candidates = list(
        Person.objects.filter(
            is_synthetic=True,
            merged_into__isnull=True,
            memberships__isnull=True,
            residence_unit__path__startswith=factory.unit.path.rsplit("/", 2)[0] + "/",
        ).order_by("id")[:200]
    )
    # New workers answer to the factory's head, like the rest of its staff.
    head = StaffMembership.objects.filter(organisation=factory, is_head=True, end_date__isnull=True).first()
    hired = 0
    for person in rng.sample(candidates, min(NEW_HIRES, len(candidates))):
        membership_create(
            actor=None,
            person=person,
            organisation=factory,
            position=NEW_HIRE_POSITION,
            category=StaffCategory.WORKER,
            manager=head,
            start_date=today - timedelta(days=rng.randint(0, 5)),
        )
        Person.objects.filter(pk=person.pk).update(organisation=factory)  # their workplace, as for all staff
        hired += 1
    return hired


def _take(order: TestOrder, lab: Lab, hours_ago: int) -> Sample:
    sample = sample_take(actor=None, order=order, lab=lab, taken_at=timezone.now() - timedelta(hours=hours_ago))
    return sample_receive(
        actor=None, lab=lab, code=sample.code, received_at=timezone.now() - timedelta(hours=hours_ago - 1)
    )


def _pcr_orders(factory: Organisation | None, needed: int) -> list[TestOrder]:
    """Open PCR orders due by today (the F1s' schedule); topped up with PCR tests of factory workers."""
    today = timezone.localdate()
    orders = list(
        TestOrder.objects.filter(kind=TestKind.PCR, status=OrderStatus.OPEN, due_on__lte=today, parent__isnull=True)
        .select_related("person")
        .order_by("due_on", "id")[:needed]
    )
    if len(orders) < needed and factory is not None:
        workers = Person.objects.filter(organisation=factory, merged_into__isnull=True, cases__isnull=True).order_by(
            "id"
        )
        for person in workers[: needed - len(orders)]:
            orders.append(
                order_create(
                    actor=None,
                    person=person,
                    reason=OrderReason.MANUAL,
                    due_on=today,
                    source_key=f"demo:factory-pcr:{today.isoformat()}",
                    kind=TestKind.PCR,
                    note="Xét nghiệm RT-PCR công nhân xưởng (mô phỏng)",
                )
            )
    return orders


def _work(rng: random.Random, labs: list[Lab], factory: Organisation | None) -> dict[str, int]:
    counts = {"negative": 0, "positive": 0, "retests": 0, "pools": 0}
    main, local = labs[0], labs[-1]
    today = timezone.localdate()
    # New hires and symptomatic declarations (rapid tests): all but a few done, one symptomatic positive.
    rapid = list(
        TestOrder.objects.filter(
            reason__in=(OrderReason.NEW_HIRE, OrderReason.SYMPTOMS, OrderReason.EPIDEMIC_AREA_ARRIVAL),
            status=OrderStatus.OPEN,
            due_on__lte=today + timedelta(days=1),
        ).order_by("due_on", "id")
    )
    overdue = [o for o in rapid if o.due_on < today][:LEFT_OVERDUE]
    positive_done = False
    for order in rapid:
        if order in overdue:
            continue
        sample = _take(order, local, hours_ago=rng.randint(3, 8))
        outcome = "negative"
        if order.reason == OrderReason.SYMPTOMS and not positive_done:
            outcome, positive_done = "positive", True
        try:
            result_enter(actor=None, code=sample.code, outcome=outcome)
        except ApplicationError:
            continue
        counts[outcome] += 1
    # A PCR pool that comes back positive; its members re-tested one by one, one positive.
    members = [_take(o, main, hours_ago=6) for o in _pcr_orders(factory, POOL_SIZE)]
    if len(members) >= 2:
        pool = pool_create(actor=None, lab=main, samples=members)
        result_enter(actor=None, code=pool.code, outcome="positive", ct_value="27.5")
        counts["pools"] += 1
        retests = list(
            TestOrder.objects.filter(reason=OrderReason.POOL_RETEST, parent__sample__pool=pool).order_by("id")
        )
        for index, order in enumerate(retests):
            sample = _take(order, main, hours_ago=2)
            outcome = "positive" if index == len(retests) // 2 else "negative"
            try:
                result_enter(
                    actor=None, code=sample.code, outcome=outcome, ct_value="21.0" if outcome == "positive" else None
                )
            except ApplicationError:
                continue
            counts["retests"] += 1
            counts[outcome] += 1
    return counts


def step_testing(demo: Demo) -> None:
    rng = random.Random(demo.seed + 31)
    with transaction.atomic():
        labs = _labs()
        if not labs:
            demo.say("Xét nghiệm: thiếu đơn vị hành chính, bỏ qua.")
            return
        if Result.objects.filter(lab__in=labs).exists():
            demo.say(f"Xét nghiệm: {TestOrder.objects.count():,} chỉ định (giữ nguyên).")
            return
        factory = Organisation.objects.filter(name=FACTORY_NAME).select_related("unit").first()
        hired = _new_hires(rng, factory) if factory is not None else 0
    # The sweep finds every recent event (the signals may have ordered some already: never twice).
    swept = sweep()
    with transaction.atomic():
        counts = _work(rng, labs, factory)
    overdue = TestOrder.objects.filter(status=OrderStatus.OPEN, due_on__lt=timezone.localdate()).count()
    demo.say(
        f"Xét nghiệm: {len(labs)} phòng xét nghiệm, {hired} công nhân mới tuyển, {swept.orders:,} chỉ định mới "
        f"theo quy định; {counts['negative']} âm tính, {counts['positive']} dương tính, "
        f"{counts['pools']} mẫu gộp dương tính với {counts['retests']} mẫu xét nghiệm lại; {overdue} chỉ định quá hạn."
    )
