"""The F1 window rule (C4), as pure functions over dates and the dated rule rows.

An F1 is a close contact of a confirmed case (F0) from N days before the case's onset — or before
its positive sample if it had no symptoms — until the case is isolated (Decision 3638/QĐ-BYT of
30/07/2021: N = 3). F2 are the close contacts of an F1 while the F1 could be infectious, until the
F1 is isolated; F3 … likewise. N is data (``F1WindowRule`` rows with effective dates), looked up by
the day the window starts from (onset, else sampling, else confirmation).

Exposure spans and windows are whole days, both ends included: an exposure on the day of isolation
counts (it may have happened before the isolation that day); one entirely after it never does.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Protocol


class WindowRule(Protocol):
    days_before: int
    effective_from: date
    effective_to: date | None


class NoWindowRule(LookupError):
    """No rule row covers the day."""


@dataclass(frozen=True)
class Window:
    """Days a person could pass the infection on: ``start`` … ``end`` (``None``: not isolated yet)."""

    start: date
    end: date | None

    @property
    def empty(self) -> bool:
        return self.end is not None and self.end < self.start

    def overlaps(self, first: date, last: date) -> bool:
        """Whether the exposure ``first`` … ``last`` shares at least one day with the window."""
        if self.empty or last < first:
            return False
        return last >= self.start and (self.end is None or first <= self.end)

    def first_shared_day(self, first: date, last: date) -> date | None:
        """The first day of the exposure inside the window (the contact could be infectious from it)."""
        if not self.overlaps(first, last):
            return None
        return max(first, self.start)


def anchor_day(*, onset: date | None, sampling: date | None, confirmation: date | None = None) -> date | None:
    """The day the F1 window counts back from: onset, else (no symptoms) sampling, else confirmation."""
    return onset or sampling or confirmation


def days_before_on(day: date, rules: Iterable[WindowRule]) -> int:
    """N of the rule in force on ``day`` (the latest-starting row covering it)."""
    covering = [r for r in rules if r.effective_from <= day and (r.effective_to is None or day <= r.effective_to)]
    if not covering:
        raise NoWindowRule(day)
    return max(covering, key=lambda r: r.effective_from).days_before


def case_window(
    *,
    onset: date | None,
    sampling: date | None,
    confirmation: date | None = None,
    isolated_on: date | None,
    days_before: int,
) -> Window | None:
    """The F0's infectious window: N days before onset/sampling until isolation (``None``: no date known)."""
    anchor = anchor_day(onset=onset, sampling=sampling, confirmation=confirmation)
    if anchor is None:
        return None
    return Window(start=anchor - timedelta(days=days_before), end=isolated_on)


def is_f1(
    *,
    onset: date | None,
    sampling: date | None,
    isolated_on: date | None,
    first: date,
    last: date,
    days_before: int,
    confirmation: date | None = None,
) -> bool:
    """Whether an exposure ``first`` … ``last`` to a case with these dates makes the contact an F1."""
    window = case_window(
        onset=onset, sampling=sampling, confirmation=confirmation, isolated_on=isolated_on, days_before=days_before
    )
    return window is not None and window.overlaps(first, last)
