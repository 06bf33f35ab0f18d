"""Reads for testing, always through the user's scope (T1, T3, D4).

Orders are visible when their residence commune (snapshot) or their organisation lies in scope;
labs when their unit or organisation does; samples, pools and results through their order or lab.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, datetime, time, timedelta

from django.db.models import Count, Q
from django.utils import timezone

from .models import PENDING_STATUSES, OrderStatus, Result, TestOrder


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
