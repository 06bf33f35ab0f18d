"""Exposure matching (C4), as pure functions over check-in times: who shared premises with a case.

A check-in at ``t`` stands for presence during ``[t, t + dwell]``, the dwell depending on the kind
of premises (``settings.CHECKIN_DWELL_MINUTES``, 60 minutes by default). The case's presence is
widened by a margin on each side (``settings.EXPOSURE_MARGIN_MINUTES``, 15 by default) to allow
for clocks, queues and people who scan late: ``[t - margin, t + dwell + margin]``. Another
person's presence at the same premises that meets the widened presence of the case, inside the
case's infectious window, makes them a candidate contact.

Conventions (tested at the edges in ``tests/test_rules.py``):

- Intervals are closed: two intervals that only touch (one ends at the very moment the other
  starts) DO overlap, with an overlap of zero minutes. We err on the side of asking an officer.
  It matches the range query on ``(premises, at)``, which includes both ends.
- The overlap shown is the overlap of the other person's presence with the case's widened
  presence (so the margin counts), clipped to the infectious window.
- The infectious window is whole local days (``tracing.rules.case_window``): from 00:00 of its
  first day until 24:00 of the isolation day, which is excluded (a presence starting at midnight
  after the isolation day is outside); no isolation yet means until now.
- A person is never a contact of themself; several check-ins of the case (or of the other person)
  at the same premises merge into one candidate per person and premises: its first overlap
  start, last overlap end, and the minutes of the union of the overlaps (never counted twice).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta

DEFAULT_DWELL = timedelta(minutes=60)
DEFAULT_MARGIN = timedelta(minutes=15)


@dataclass(frozen=True, order=True)
class Interval:
    """A closed interval of time ``[start, end]``."""

    start: datetime
    end: datetime

    def overlaps(self, other: Interval) -> bool:
        """Closed intervals: touching ends overlap (symmetric)."""
        return self.start <= other.end and other.start <= self.end

    def intersection(self, other: Interval) -> Interval | None:
        if not self.overlaps(other):
            return None
        return Interval(max(self.start, other.start), min(self.end, other.end))


@dataclass(frozen=True)
class CheckInTime:
    """One check-in as the rule sees it."""

    person_id: int
    premises_id: int
    at: datetime


@dataclass(frozen=True)
class Candidate:
    """A person who shared premises with the case: first overlap start, last overlap end, minutes."""

    person_id: int
    premises_id: int
    start: datetime
    end: datetime
    minutes: int


def presence(at: datetime, dwell: timedelta) -> Interval:
    """Presence assumed after a check-in at ``at``: ``[at, at + dwell]``."""
    return Interval(at, at + dwell)


def widened(at: datetime, dwell: timedelta, margin: timedelta) -> Interval:
    """The case's presence with the margin on each side: ``[at - margin, at + dwell + margin]``."""
    return Interval(at - margin, at + dwell + margin)


def merge(intervals: Iterable[Interval]) -> list[Interval]:
    """Union of closed intervals as sorted, disjoint intervals (touching ones merge)."""
    result: list[Interval] = []
    for iv in sorted(intervals):
        if result and iv.start <= result[-1].end:
            if iv.end > result[-1].end:
                result[-1] = Interval(result[-1].start, iv.end)
        else:
            result.append(iv)
    return result


def clip(interval: Interval, window: Interval) -> Interval | None:
    """``interval`` inside the infectious ``window``, whose end is excluded (24:00 of the isolation day)."""
    if interval.start >= window.end or interval.end < window.start:
        return None
    return Interval(max(interval.start, window.start), min(interval.end, window.end))


def search_ranges(
    case_checkins: Iterable[CheckInTime],
    *,
    dwell: Mapping[int, timedelta],
    margin: timedelta,
    window: Interval,
) -> dict[int, list[Interval]]:
    """Per premises, the merged widened presences of the case that reach into the window.

    Another check-in at ``t`` can meet a widened presence ``[s, e]`` only if
    ``s - dwell <= t <= e``: the range to read on the ``(premises, at)`` index.
    """
    spans: dict[int, list[Interval]] = defaultdict(list)
    for c in case_checkins:
        iv = widened(c.at, dwell.get(c.premises_id, DEFAULT_DWELL), margin)
        if clip(iv, window) is not None:
            spans[c.premises_id].append(iv)
    return {premises: merge(ivs) for premises, ivs in spans.items()}


def match(
    *,
    case_person_id: int,
    case_checkins: Iterable[CheckInTime],
    others: Iterable[CheckInTime],
    dwell: Mapping[int, timedelta],
    margin: timedelta,
    window: Interval,
) -> list[Candidate]:
    """Candidates: everyone else whose presence meets the case's widened presence at the same premises
    inside the window, one per (person, premises), sorted by first overlap then person."""
    ranges = search_ranges(case_checkins, dwell=dwell, margin=margin, window=window)
    overlaps: dict[tuple[int, int], list[Interval]] = defaultdict(list)
    for o in others:
        if o.person_id == case_person_id:
            continue
        spans = ranges.get(o.premises_id)
        if not spans:
            continue
        mine = presence(o.at, dwell.get(o.premises_id, DEFAULT_DWELL))
        for span in spans:
            shared = span.intersection(mine)
            if shared is None:
                continue
            inside = clip(shared, window)
            if inside is not None:
                overlaps[(o.person_id, o.premises_id)].append(inside)
    result = []
    for (person_id, premises_id), ivs in overlaps.items():
        union = merge(ivs)
        seconds = sum((iv.end - iv.start).total_seconds() for iv in union)
        result.append(
            Candidate(
                person_id=person_id,
                premises_id=premises_id,
                start=union[0].start,
                end=union[-1].end,
                minutes=int(seconds // 60),
            )
        )
    result.sort(key=lambda c: (c.start, c.person_id, c.premises_id))
    return result
