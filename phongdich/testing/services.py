"""Writes for testing (T1, T3): orders, samples, pools, results, labs and the mandatory-test rules.

Every write runs in one transaction with its audit line. ``actor=None`` is the system (the rule
engine, the demo, commands); any other actor must have the person (or the lab) in scope.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from django.db import IntegrityError, transaction
from django.utils.translation import gettext_lazy as _

from phongdich.core.audit import audit
from phongdich.core.errors import NotInScope, ValidationFailed
from phongdich.core.models import AuditAction
from phongdich.orgs.models import Organisation
from phongdich.people.models import Person
from phongdich.quarantine.services import residence_commune

from .models import MandatoryTestRule, OrderReason, TestKind, TestOrder

PERSON_NOT_IN_SCOPE = _("Người này không thuộc địa bàn của bạn.")
PERSON_MERGED = _("Hồ sơ này đã được gộp vào hồ sơ khác.")
BAD_REASON = _("Lý do chỉ định không hợp lệ.")
BAD_KIND = _("Loại xét nghiệm không hợp lệ.")
SOURCE_KEY_REQUIRED = _("Thiếu nguồn chỉ định.")

# The kind of test a reason calls for when the caller does not say.
DEFAULT_KIND = {
    OrderReason.F1_SCHEDULE: TestKind.PCR,
    OrderReason.POOL_RETEST: TestKind.PCR,
    OrderReason.CONFIRMATION: TestKind.PCR,
}


def check_person(actor: Any, person: Person) -> None:
    if actor is None:
        return
    if not Person.objects.for_user(actor).filter(pk=person.pk).exists():
        raise NotInScope(PERSON_NOT_IN_SCOPE, field="person")


def order_create(
    *,
    actor: Any,
    person: Person,
    reason: str,
    due_on: date,
    source_key: str,
    organisation: Organisation | None = None,
    kind: str | None = None,
    note: str = "",
    rule: MandatoryTestRule | None = None,
    parent: TestOrder | None = None,
) -> TestOrder:
    """Order a test of ``person``. Idempotent: a second call with the same (person, source_key) returns
    the order already made and writes nothing."""
    if reason not in OrderReason.values:
        raise ValidationFailed(BAD_REASON, field="reason")
    kind = kind or DEFAULT_KIND.get(OrderReason(reason), TestKind.RAPID)
    if kind not in TestKind.values:
        raise ValidationFailed(BAD_KIND, field="kind")
    source_key = (source_key or "").strip()[:120]
    if not source_key:
        raise ValidationFailed(SOURCE_KEY_REQUIRED, field="source_key")
    existing = TestOrder.objects.filter(person=person, source_key=source_key).first()
    if existing is not None:
        return existing
    if person.merged_into_id is not None:
        raise ValidationFailed(PERSON_MERGED, field="person")
    check_person(actor, person)
    if organisation is None and reason != OrderReason.MANUAL:
        organisation = person.organisation
    try:
        with transaction.atomic():
            order = TestOrder.objects.create(
                person=person,
                reason=reason,
                kind=kind,
                due_on=due_on,
                organisation=organisation,
                residence_unit=residence_commune(person.residence_unit),
                rule=rule,
                source_key=source_key,
                parent=parent,
                note=note.strip()[:255],
                created_by=actor if getattr(actor, "is_authenticated", False) else None,
            )
            audit(
                actor=actor,
                action=AuditAction.CREATE,
                obj=order,
                summary=f"{person.full_name}: {order.get_reason_display()} ({order.get_kind_display()})"[:255],
                detail={"person": str(person.uid), "source_key": source_key, "due_on": due_on.isoformat()},
            )
    except IntegrityError:
        # Another worker made the same order meanwhile.
        return TestOrder.objects.get(person=person, source_key=source_key)
    return order
