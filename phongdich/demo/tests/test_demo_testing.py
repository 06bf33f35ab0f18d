"""The demo's testing step: labs, the factory's new hires and the symptomatic declarations ordered tests by
the rules, results with a positive PCR pool and its re-tests, some overdue orders — idempotent (T1, T3)."""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any

import pytest
from django.utils import timezone

from phongdich.cases.models import Case, CaseStatus
from phongdich.demo.declarations import step_declarations
from phongdich.demo.outbreak import FACTORY_NAME, step_outbreak
from phongdich.demo.steps import (
    Demo,
    run,
    step_hamlets,
    step_organisations,
    step_people,
    step_staff,
    step_units,
    step_users,
)
from phongdich.demo.testing import NEW_HIRE_POSITION, step_testing
from phongdich.testing import models as m

PEOPLE = 300


def demo_run() -> str:
    out = io.StringIO()
    steps = [
        ("units", step_units),
        ("hamlets", step_hamlets),
        ("organisations", step_organisations),
        ("people", step_people),
        ("staff", step_staff),
        ("users", step_users),
        ("declarations", step_declarations),
        ("outbreak", step_outbreak),
        ("testing", step_testing),
    ]
    run(Demo(people=PEOPLE, out=out, progress=None), steps)
    return out.getvalue()


def _counts() -> tuple[int, ...]:
    return (m.Lab.objects.count(), m.TestOrder.objects.count(), m.Sample.objects.count(), m.Result.objects.count())


@pytest.mark.django_db
def test_demo_testing_orders_results_pool_and_overdue_idempotently_T1_T3(settings: Any, tmp_path: Path) -> None:
    settings.VAR_DIR = tmp_path
    output = demo_run()
    assert "Xét nghiệm:" in output
    assert m.Lab.objects.count() == 2
    hires = m.TestOrder.objects.filter(reason=m.OrderReason.NEW_HIRE, organisation__name=FACTORY_NAME)
    assert hires.count() > 0
    assert all(o.person.memberships.filter(position=NEW_HIRE_POSITION).exists() for o in hires)
    symptomatic = m.TestOrder.objects.filter(reason=m.OrderReason.SYMPTOMS)
    assert symptomatic.exists()
    assert all(o.person.declarations.filter(has_symptoms=True).exists() for o in symptomatic)
    pool_result = m.Result.objects.get(pool__isnull=False)
    assert pool_result.outcome == "positive"
    retests = m.TestOrder.objects.filter(reason=m.OrderReason.POOL_RETEST)
    assert retests.count() == pool_result.pool.samples.count()  # type: ignore[union-attr]
    assert retests.filter(outcome="positive").count() == 1
    positive = retests.get(outcome="positive")
    assert Case.objects.filter(person=positive.person, status=CaseStatus.CONFIRMED).exists()
    assert m.TestOrder.objects.filter(reason=m.OrderReason.CONFIRMATION).exists()  # after the positive rapid test
    assert m.TestOrder.objects.filter(status=m.OrderStatus.OPEN, due_on__lt=timezone.localdate()).exists()
    assert all(o.person.is_synthetic for o in m.TestOrder.objects.select_related("person"))

    counts = _counts()
    out = io.StringIO()
    step_testing(Demo(people=PEOPLE, out=out, progress=None))
    assert "giữ nguyên" in out.getvalue()
    assert _counts() == counts
