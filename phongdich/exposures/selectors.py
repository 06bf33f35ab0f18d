"""Reads for exposure matching (C4): the query over check-ins, a case's candidates, cases to decide.

``exposure_query`` answers "who shared premises with this case in its infectious window" with two
kinds of index reads, never a scan: the case's own check-ins in the window on ``(person, at)``, then
every other check-in at those premises in the ranges the case's presences can reach, on
``(premises, at)`` — all ranges in one statement (an OR of index ranges), chunked. The pure rule
(``rules.match``) does the rest in memory.

Lists are scoped through the cases the user may see (``cases.selectors.visible_cases``) and keyset
paged without counts; reading a case's candidates (people's records) is audited by the caller.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from functools import reduce
from operator import or_
from typing import Any

from django.conf import settings
from django.db.models import Count, Q, QuerySet
from django.utils import timezone

from phongdich.cases.models import Case
from phongdich.cases.selectors import visible_cases
from phongdich.checkins.models import CheckIn
from phongdich.checkins.selectors import checkins_of
from phongdich.core.ids import parse_uuid
from phongdich.orgs.models import Premises
from phongdich.quarantine.models import Episode
from phongdich.tracing.models import F1WindowRule
from phongdich.tracing.rules import NoWindowRule, anchor_day, case_window, days_before_on
from phongdich.tracing.services import _isolation

from .models import CandidateStatus, ExposureCandidate
from .rules import DEFAULT_MARGIN, Candidate, CheckInTime, Interval, match, search_ranges

PAGE_SIZE = 50
MAX_PAGE_SIZE = 200
# Ranges per statement: each is one index range on (premises, at); a case's 14 days rarely need more.
RANGES_PER_QUERY = 100


def margin() -> timedelta:
    """The margin on each side of the case's presence (``settings.EXPOSURE_MARGIN_MINUTES``, default 15)."""
    minutes = getattr(settings, "EXPOSURE_MARGIN_MINUTES", None)
    return timedelta(minutes=int(minutes)) if minutes is not None else DEFAULT_MARGIN


def dwell_for(kind: str) -> timedelta:
    """Presence assumed after a check-in at premises of ``kind`` (``settings.CHECKIN_DWELL_MINUTES``)."""
    default = int(getattr(settings, "CHECKIN_DWELL_DEFAULT_MINUTES", 60))
    table: dict[str, int] = getattr(settings, "CHECKIN_DWELL_MINUTES", {}) or {}
    return timedelta(minutes=int(table.get(kind, default)))


def _midnight(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, time.min))


def infectious_window(case: Case, *, now: datetime | None = None) -> Interval | None:
    """The case's infectious window as times, from the F1 window rule of ``tracing`` (dated data).

    N days before onset (or sampling, or confirmation) from 00:00, until 24:00 of the isolation day —
    the case's own isolation day, else its first quarantine episode from the window's start — and
    never beyond ``now``. ``None`` when the case has no date to count from or no rule covers it.
    """
    now = now or timezone.now()
    anchor = anchor_day(onset=case.onset_date, sampling=case.sampling_date, confirmation=case.confirmation_date)
    if anchor is None:
        return None
    try:
        days = days_before_on(anchor, F1WindowRule.objects.all())
    except NoWindowRule:
        return None
    window = case_window(
        onset=case.onset_date,
        sampling=case.sampling_date,
        confirmation=case.confirmation_date,
        isolated_on=None,
        days_before=days,
    )
    if window is None:
        return None
    spans = sorted(Episode.objects.filter(person_id=case.person_id).values_list("start_date", "released_on"))
    isolated = _isolation(list(spans), window.start, case.isolated_on)
    start = _midnight(window.start)
    end = now if isolated is None else min(now, _midnight(isolated + timedelta(days=1)))
    if end <= start:
        return None
    return Interval(start, end)


def exposure_query(case: Case, *, now: datetime | None = None) -> list[Candidate]:
    """Everyone whose check-ins met the case's at the same premises inside its infectious window.

    This is the function the exposure benchmark times. Two index reads: the case's check-ins
    (``(person, at)``), then the other check-ins in the reachable ranges (``(premises, at)``).
    """
    window = infectious_window(case, now=now)
    if window is None:
        return []
    gap = margin()
    # The longest dwell reaches back furthest: a check-in that early may still be present in the window.
    longest = max([dwell_for(k) for k in Premises.Kind.values], default=timedelta(minutes=60))
    own = [
        CheckInTime(person_id=case.person_id, premises_id=p, at=at)
        for p, at in checkins_of(case.person_id, window.start - longest - gap, window.end + gap).values_list(
            "premises_id", "at"
        )
    ]
    if not own:
        return []
    kinds = dict(Premises.objects.filter(pk__in={c.premises_id for c in own}).values_list("pk", "kind"))
    dwell = {pk: dwell_for(kind) for pk, kind in kinds.items()}
    ranges = search_ranges(own, dwell=dwell, margin=gap, window=window)
    conditions = [
        Q(premises_id=premises_id, at__gte=span.start - dwell[premises_id], at__lte=span.end)
        for premises_id, spans in ranges.items()
        for span in spans
    ]
    others: list[CheckInTime] = []
    for i in range(0, len(conditions), RANGES_PER_QUERY):
        chunk = conditions[i : i + RANGES_PER_QUERY]
        rows = (
            CheckIn.objects.filter(reduce(or_, chunk))
            .exclude(person_id=case.person_id)
            .values_list("person_id", "premises_id", "at")
        )
        others.extend(CheckInTime(person_id=a, premises_id=b, at=c) for a, b, c in rows)
    return match(
        case_person_id=case.person_id, case_checkins=own, others=others, dwell=dwell, margin=gap, window=window
    )


# --- lists ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Page:
    items: list[Any]
    next_after: str | None


def candidate_queryset(*, case: Case, status: str = "") -> QuerySet[ExposureCandidate]:
    qs = ExposureCandidate.objects.filter(case=case).select_related(
        "person", "person__residence_unit", "premises", "premises__organisation", "decided_by", "contact"
    )
    if status:
        qs = qs.filter(status=status)
    return qs


def candidate_list(*, case: Case, status: str = "", after: str | None = None, limit: int = PAGE_SIZE) -> Page:
    """One keyset page of a case's candidates (the case is already checked in scope by the caller).

    Ordered by the row's key (candidates are written in order of first overlap); ``after`` is the
    uid of the last row of the page before.
    """
    limit = max(1, min(int(limit), MAX_PAGE_SIZE))
    qs = candidate_queryset(case=case, status=status)
    key = parse_uuid(after) if after else None
    if key is not None:
        pk = ExposureCandidate.objects.filter(uid=key, case=case).values_list("pk", flat=True).first()
        if pk is not None:
            qs = qs.filter(pk__gt=pk)
    rows = list(qs.order_by("pk")[: limit + 1])
    more = len(rows) > limit
    rows = rows[:limit]
    return Page(items=rows, next_after=str(rows[-1].uid) if more and rows else None)


@dataclass(frozen=True)
class PendingCase:
    case: Case
    pending: int


def pending_cases(*, user: Any, after: str | None = None, limit: int = PAGE_SIZE) -> Page:
    """Cases the user may see with candidates still to decide, newest case first (keyset on the case)."""
    limit = max(1, min(int(limit), MAX_PAGE_SIZE))
    ids = ExposureCandidate.objects.filter(status=CandidateStatus.NEW, case__in=visible_cases(user).values("pk"))
    key = parse_uuid(after) if after else None
    if key is not None:
        pk = Case.objects.filter(uid=key).values_list("pk", flat=True).first()
        if pk is not None:
            ids = ids.filter(case_id__lt=pk)
    case_ids = list(ids.values_list("case_id", flat=True).distinct().order_by("-case_id")[: limit + 1])
    more = len(case_ids) > limit
    case_ids = case_ids[:limit]
    cases = Case.objects.select_related("person", "residence_unit").in_bulk(case_ids)
    counts = dict(
        ExposureCandidate.objects.filter(status=CandidateStatus.NEW, case_id__in=case_ids)
        .values("case_id")
        .annotate(n=Count("id"))
        .values_list("case_id", "n")
    )
    items = [PendingCase(case=cases[i], pending=counts.get(i, 0)) for i in case_ids if i in cases]
    return Page(items=items, next_after=str(items[-1].case.uid) if more and items else None)
