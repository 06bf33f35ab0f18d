"""Reads for testing, always through the user's scope (T1, T3, D4).

Orders are visible when their residence commune (snapshot) or their organisation lies in scope;
labs when their unit or organisation does; samples, pools and results through their order or lab.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Any

from django.db.models import Count, Q, QuerySet
from django.http import Http404
from django.utils import timezone

from phongdich.core.audit import audit
from phongdich.core.ids import uuid_or_404
from phongdich.core.models import AuditAction
from phongdich.core.pagination import Page
from phongdich.geo.models import Unit
from phongdich.orgs.models import Organisation
from phongdich.orgs.scope import scope_for

from .models import (
    PENDING_STATUSES,
    Lab,
    MandatoryTestRule,
    OrderStatus,
    Pool,
    Result,
    Sample,
    TestKind,
    TestOrder,
)


def _day_start(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, time.min))


def order_outcomes(order_ids: Iterable[int]) -> dict[int, str | None]:
    """Each order's final individual result: ``positive``, ``negative`` or ``invalid``, None while pending.

    Follow-ups count as the same test: a member of a positive pool, an invalid sample or a positive
    rapid test is settled by its re-test (the latest follow-up that was not cancelled)."""
    ids = [int(i) for i in order_ids]
    rows: dict[int, tuple[str, str]] = {}
    children: dict[int, list[int]] = {}
    frontier = set(ids)
    while frontier:
        found = TestOrder.objects.filter(pk__in=frontier).values_list("pk", "status", "outcome")
        for pk, status, outcome in found:
            rows[pk] = (status, outcome)
        kids = (
            TestOrder.objects.filter(parent_id__in=frontier)
            .exclude(status=OrderStatus.CANCELLED)
            .values_list("pk", "parent_id")
            .order_by("pk")
        )
        frontier = set()
        for pk, parent_id in kids:
            children.setdefault(parent_id, []).append(pk)
            if pk not in rows:
                frontier.add(pk)

    def final(pk: int, depth: int = 0) -> str | None:
        if pk not in rows or depth > 20:
            return None
        if children.get(pk):
            return final(children[pk][-1], depth + 1)
        status, outcome = rows[pk]
        return outcome or None if status == OrderStatus.RESULTED else None

    return {pk: final(pk) for pk in ids}


def test_due_person_ids(person_ids: Iterable[int], *, on: date) -> set[int]:
    """People with an order still waiting for a result (not resulted, not cancelled) due on or before ``on``."""
    ids = list(person_ids)
    if not ids:
        return set()
    return set(
        TestOrder.objects.filter(person_id__in=ids, status__in=PENDING_STATUSES, due_on__lte=on).values_list(
            "person_id", flat=True
        )
    )


def tests_and_positives(*, unit_path_prefix: str, start: date, end: date) -> tuple[int, int]:
    """(individual results, positive ones) between ``start`` and ``end`` (inclusive) by residence commune
    under ``unit_path_prefix``."""
    counts = Result.objects.filter(
        sample__isnull=False,
        resulted_at__gte=_day_start(start),
        resulted_at__lt=_day_start(end + timedelta(days=1)),
        sample__order__residence_unit__path__startswith=unit_path_prefix,
    ).aggregate(tests=Count("pk"), positives=Count("pk", filter=Q(outcome="positive")))
    return int(counts["tests"] or 0), int(counts["positives"] or 0)


# --- Scoped lists -------------------------------------------------------------------------------

PAGE_SIZE = 50


def visible_orders(user: Any) -> QuerySet[TestOrder]:
    qs: QuerySet[TestOrder] = scope_for(user).filter(
        TestOrder.objects.all(), unit_field="residence_unit", org_field="organisation"
    )
    return qs


@dataclass(frozen=True)
class OrderFilters:
    reason: str = ""
    status: str = ""
    overdue: bool = False
    unit: Unit | None = None
    organisation: Organisation | None = None
    person: Any = None


def order_queryset(*, user: Any, filters: OrderFilters, today: date | None = None) -> QuerySet[TestOrder]:
    today = today or timezone.localdate()
    qs = visible_orders(user).select_related("person", "residence_unit", "organisation")
    if filters.reason:
        qs = qs.filter(reason=filters.reason)
    if filters.status:
        qs = qs.filter(status=filters.status)
    if filters.overdue:
        qs = qs.filter(status=OrderStatus.OPEN, due_on__lt=today)
    if filters.unit is not None:
        qs = qs.filter(residence_unit__in=Unit.objects.subtree(filters.unit).values("pk"))
    if filters.organisation is not None:
        qs = qs.filter(organisation__path__startswith=filters.organisation.path)
    if filters.person is not None:
        qs = qs.filter(person=filters.person)
    return qs.order_by("due_on", "id")


def order_page(*, user: Any, filters: OrderFilters, after: str | None = None, limit: int = PAGE_SIZE) -> Page:
    qs = order_queryset(user=user, filters=filters)
    if after:
        row = TestOrder.objects.filter(uid=uuid_or_404(after)).values_list("due_on", "pk").first()
        if row is not None:
            qs = qs.filter(Q(due_on__gt=row[0]) | Q(due_on=row[0], pk__gt=row[1]))
    rows = list(qs[: limit + 1])
    more = len(rows) > limit
    rows = rows[:limit]
    return Page(items=rows, next_after=str(rows[-1].uid) if more and rows else None)


def order_get(*, user: Any, uid: Any, audited: bool = True) -> TestOrder:
    """One order in scope, or 404. Each audited call records a read of the person's record."""
    order = (
        visible_orders(user)
        .select_related("person", "residence_unit", "organisation", "rule", "parent")
        .filter(uid=uuid_or_404(uid))
        .first()
    )
    if order is None:
        raise Http404
    if audited:
        audit(
            actor=user,
            action=AuditAction.READ,
            obj=order,
            summary=f"{order.person.full_name}: {order.get_reason_display()}"[:255],
            detail={"person": str(order.person.uid)},
        )
    return order


def order_sample(order: TestOrder) -> Sample | None:
    return Sample.objects.select_related("lab", "pool").filter(order=order).first()


def order_result(order: TestOrder) -> Result | None:
    return Result.objects.filter(sample__order=order).first()


@dataclass(frozen=True)
class OverdueRow:
    key: str  # the unit's or organisation's uid
    name: str
    count: int


def overdue_summary(*, user: Any, by: str, today: date | None = None) -> list[OverdueRow]:
    """Overdue orders (open, past their due day) counted per residence commune or per organisation."""
    today = today or timezone.localdate()
    qs = visible_orders(user).filter(status=OrderStatus.OPEN, due_on__lt=today)
    if by == "organisation":
        org_rows = (
            qs.filter(organisation__isnull=False)
            .values("organisation__uid", "organisation__name")
            .annotate(n=Count("pk"))
            .order_by("-n", "organisation__name")
        )
        return [OverdueRow(str(r["organisation__uid"]), r["organisation__name"], r["n"]) for r in org_rows]
    rows = (
        qs.values("residence_unit__uid", "residence_unit__name")
        .annotate(n=Count("pk"))
        .order_by("-n", "residence_unit__name")
    )
    return [OverdueRow(str(r["residence_unit__uid"]), r["residence_unit__name"], r["n"]) for r in rows]


def person_orders(*, person: Any, limit: int = 5) -> list[TestOrder]:
    return list(TestOrder.objects.filter(person=person).order_by("-due_on", "-id")[:limit])


# --- Labs ---------------------------------------------------------------------------------------


def visible_labs(user: Any) -> QuerySet[Lab]:
    qs: QuerySet[Lab] = scope_for(user).filter(Lab.objects.all(), unit_field="unit", org_field="organisation")
    return qs


def lab_get(*, user: Any, uid: Any) -> Lab:
    lab = visible_labs(user).select_related("unit", "organisation").filter(uid=uuid_or_404(uid)).first()
    if lab is None:
        raise Http404
    return lab


def backlog_queryset(lab: Lab) -> QuerySet[Sample]:
    """Samples the lab received that have no result yet (neither their own nor their pool's)."""
    return (
        Sample.objects.filter(lab=lab, received_at__isnull=False, result__isnull=True)
        .filter(Q(pool__isnull=True) | Q(pool__result__isnull=True))
        .select_related("order", "order__person", "pool")
        .order_by("received_at", "id")
    )


@dataclass(frozen=True)
class LabLoad:
    lab: Lab
    backlog: int
    used_rapid: int
    used_pcr: int

    @property
    def over_pcr(self) -> bool:
        return self.used_pcr > self.lab.capacity_pcr

    @property
    def over_rapid(self) -> bool:
        return self.used_rapid > self.lab.capacity_rapid


def lab_load(lab: Lab, *, today: date | None = None) -> LabLoad:
    """Backlog and today's use (tests run: individual results and pool results) against the capacity."""
    day = today or timezone.localdate()
    used = Result.objects.filter(
        lab=lab,
        via_pool__isnull=True,
        resulted_at__gte=_day_start(day),
        resulted_at__lt=_day_start(day + timedelta(days=1)),
    ).aggregate(
        rapid=Count("pk", filter=Q(kind=TestKind.RAPID)),
        pcr=Count("pk", filter=Q(kind=TestKind.PCR)),
    )
    return LabLoad(
        lab=lab,
        backlog=backlog_queryset(lab).count(),
        used_rapid=int(used["rapid"] or 0),
        used_pcr=int(used["pcr"] or 0),
    )


def lab_loads(*, user: Any) -> list[LabLoad]:
    return [lab_load(lab) for lab in visible_labs(user).select_related("unit").order_by("name", "id")[:200]]


def open_pools(lab: Lab) -> list[Pool]:
    return list(Pool.objects.filter(lab=lab, result__isnull=True).annotate(size=Count("samples")).order_by("-id")[:50])


def visible_samples(user: Any) -> QuerySet[Sample]:
    """Samples of orders in scope, or received by a lab in scope."""
    return Sample.objects.filter(
        Q(order__in=visible_orders(user).values("pk")) | Q(lab__in=visible_labs(user).values("pk"))
    )


def visible_results(user: Any) -> QuerySet[Result]:
    return Result.objects.filter(
        Q(sample__order__in=visible_orders(user).values("pk")) | Q(lab__in=visible_labs(user).values("pk"))
    )


def visible_pools(user: Any) -> QuerySet[Pool]:
    return Pool.objects.filter(lab__in=visible_labs(user).values("pk"))


def rule_list() -> list[MandatoryTestRule]:
    return list(MandatoryTestRule.objects.all())
