"""The travel rules (M7), pure: no database, no clock.

``approval_needed``: a trip out of the province needs the approval of the direct head or a higher leader when
any part of it falls on a public holiday, a Saturday, a Sunday, or outside office hours (seed 000, seed 001 §4).
A lunch break between the two sessions is outside office hours.

``approver_relation``: who may approve, given the traveller's management chain (the approvers nearest first,
as ``people.selectors.approvers_for`` lists them): the first is the direct head, the others higher leaders;
the traveller never approves their own trip, and nobody outside the chain (a peer, another organisation's
head) does.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Any


class Reason:
    HOLIDAY = "holiday"
    SATURDAY = "saturday"
    SUNDAY = "sunday"
    OUTSIDE_HOURS = "outside_hours"


REASON_ORDER = (Reason.HOLIDAY, Reason.SATURDAY, Reason.SUNDAY, Reason.OUTSIDE_HOURS)


@dataclass(frozen=True)
class Hours:
    """Office hours of one period: working weekdays (0 = Monday) and the two sessions."""

    weekdays: frozenset[int]
    morning: tuple[time, time]
    afternoon: tuple[time, time]
    effective_from: date = date.min
    effective_to: date | None = None

    def applies(self, day: date) -> bool:
        return self.effective_from <= day and (self.effective_to is None or day <= self.effective_to)


DEFAULT_HOURS = Hours(
    weekdays=frozenset({0, 1, 2, 3, 4}), morning=(time(7, 0), time(11, 30)), afternoon=(time(13, 30), time(17, 0))
)


@dataclass(frozen=True)
class ApprovalNeed:
    needed: bool
    reasons: tuple[str, ...]
    holidays: tuple[date, ...] = ()


def hours_on(day: date, periods: Iterable[Hours]) -> Hours:
    """The office hours in force on ``day`` (the latest period that started by then), else the default."""
    chosen = [p for p in periods if p.applies(day)]
    return max(chosen, key=lambda p: p.effective_from) if chosen else DEFAULT_HOURS


def _within_sessions(start: datetime, end: datetime, hours: Hours) -> bool:
    """The part of a working day from ``start`` to ``end`` lies inside one session of ``hours``."""
    if start.weekday() not in hours.weekdays:
        return False
    day = start.date()
    return any(
        datetime.combine(day, s) <= start and end <= datetime.combine(day, e)
        for s, e in (hours.morning, hours.afternoon)
    )


def approval_needed(
    depart_at: datetime, return_at: datetime, *, holidays: Mapping[date, Any] | Iterable[date], hours: Iterable[Hours]
) -> ApprovalNeed:
    """Whether a trip from ``depart_at`` to ``return_at`` (naive local times) needs approval, and why."""
    if return_at <= depart_at:
        raise ValueError("return_at must be after depart_at")
    holiday_days = set(holidays)
    periods = list(hours)
    reasons: set[str] = set()
    holidays_hit: list[date] = []
    day = depart_at.date()
    while day <= return_at.date():
        day_start = datetime.combine(day, time.min)
        start, end = max(depart_at, day_start), min(return_at, day_start + timedelta(days=1))
        day += timedelta(days=1)
        if end <= start:
            continue  # the trip ends at midnight: nothing of it falls on this day
        today = start.date()
        office = hours_on(today, periods)
        if today in holiday_days:
            reasons.add(Reason.HOLIDAY)
            holidays_hit.append(today)
        if today.weekday() == 5:
            reasons.add(Reason.SATURDAY)
        elif today.weekday() == 6:
            reasons.add(Reason.SUNDAY)
        elif today not in holiday_days and not _within_sessions(start, end, office):
            reasons.add(Reason.OUTSIDE_HOURS)
    ordered = tuple(r for r in REASON_ORDER if r in reasons)
    return ApprovalNeed(needed=bool(ordered), reasons=ordered, holidays=tuple(holidays_hit))


class Relation:
    DIRECT_HEAD = "direct_head"
    HIGHER_LEADER = "higher_leader"


def approver_relation(*, approver: Any, traveller: Any, chain: Sequence[Any]) -> str | None:
    """``approver``'s standing for ``traveller``'s trip: the direct head, a higher leader, or None (may not
    approve). ``chain`` lists the people who may approve, nearest first; ids or objects, compared by equality."""
    if approver is None or approver == traveller or approver not in chain:
        return None
    return Relation.DIRECT_HEAD if chain[0] == approver else Relation.HIGHER_LEADER
