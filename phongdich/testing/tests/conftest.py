"""Testing fixtures: a lab in Quán Triều (through the service) and helpers that walk an order to a sample.

Who sees what: alice everything; cuong Quán Triều; chi Quang Vinh (the out-of-scope officer).
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from typing import Any

import pytest
from django.utils import timezone

from phongdich.people.models import Person
from phongdich.people.tests.factories import PersonFactory
from phongdich.testing import models as m
from phongdich.testing import services as s


@pytest.fixture
def lab(tree: Any) -> m.Lab:
    return s.lab_create(
        actor=None, name="Phòng xét nghiệm CDC Thái Nguyên", unit=tree.quan_trieu, capacity_pcr=3, capacity_rapid=100
    )


@pytest.fixture
def resident(tree: Any) -> Callable[..., Person]:
    def make(**fields: Any) -> Person:
        return PersonFactory(residence_unit=fields.pop("unit", tree.quan_trieu), **fields)

    return make


@pytest.fixture
def sampled(lab: m.Lab, resident: Callable[..., Person]) -> Callable[..., m.Sample]:
    """``sampled(kind=..., person=..., reason=...)``: an order, its sample taken an hour ago and received by ``lab``."""
    counter = iter(range(1, 10_000))

    def make(
        *, kind: str = m.TestKind.PCR, person: Person | None = None, reason: str = m.OrderReason.MANUAL
    ) -> m.Sample:
        n = next(counter)
        person = person or resident()
        order = s.order_create(
            actor=None, person=person, reason=reason, due_on=timezone.localdate(), source_key=f"test:{n}", kind=kind
        )
        sample = s.sample_take(
            actor=None, order=order, code=f"M{n:04d}", taken_at=timezone.now() - timedelta(hours=1), lab=lab
        )
        return s.sample_receive(actor=None, lab=lab, code=sample.code)

    return make
