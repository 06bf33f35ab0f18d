"""The quarantine plan (Q2): a pure function of the start date, the vaccination status and the dated rules.

A rule's phases run back to back: centralised days, then home days, then self-monitoring days.
``test_days`` are day numbers counted from the first day of the plan (day 1 = the start date).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

from .models import AppliesTo, EpisodeKind


@dataclass(frozen=True)
class Phase:
    kind: str
    start: date
    end: date
    test_dates: tuple[date, ...] = ()

    @property
    def label(self) -> str:
        return str(EpisodeKind(self.kind).label)

    @property
    def days(self) -> int:
        return (self.end - self.start).days + 1


@dataclass(frozen=True)
class Plan:
    rule: Any
    phases: tuple[Phase, ...] = field(default_factory=tuple)

    @property
    def end(self) -> date | None:
        return self.phases[-1].end if self.phases else None

    @property
    def test_dates(self) -> tuple[date, ...]:
        return tuple(d for p in self.phases for d in p.test_dates)


class NoRule(LookupError):
    """No rule is in force for that date and vaccination status."""


def rule_for(*, on: date, vaccination: str, rules: Iterable[Any]) -> Any:
    """The rule in force on ``on`` for ``vaccination``: a rule for that status beats one for any status."""
    candidates = [
        r
        for r in rules
        if r.effective_from <= on
        and (r.effective_to is None or on <= r.effective_to)
        and r.applies_to in (vaccination, AppliesTo.ANY)
    ]
    if not candidates:
        raise NoRule(on)
    candidates.sort(key=lambda r: (r.applies_to == AppliesTo.ANY, -r.effective_from.toordinal()))
    return candidates[0]


def phase_specs(rule: Any) -> list[tuple[str, int, list[int]]]:
    """(kind, days, test days counted from the phase's first day) for each phase of ``rule``."""
    lengths: list[tuple[str, int]] = []
    kind: str
    if rule.centralised_days:
        lengths.append((EpisodeKind.CENTRALISED, rule.centralised_days))
    if rule.home_days:
        lengths.append((EpisodeKind.HOME, rule.home_days))
    if rule.self_monitoring_days:
        kind = EpisodeKind.POST_QUARANTINE if lengths else EpisodeKind.SELF_ISOLATION
        lengths.append((kind, rule.self_monitoring_days))
    specs: list[tuple[str, int, list[int]]] = []
    first = 1
    for kind, days in lengths:
        tests = sorted(int(d) - first + 1 for d in rule.test_days or [] if first <= int(d) < first + days)
        specs.append((kind, days, tests))
        first += days
    return specs


def phase_at(*, kind: str, start: date, days: int, tests: list[int]) -> Phase:
    return Phase(
        kind=kind,
        start=start,
        end=start + timedelta(days=days - 1),
        test_dates=tuple(start + timedelta(days=d - 1) for d in tests),
    )


def plan_for(*, start: date, vaccination: str, rules: Iterable[Any]) -> Plan:
    """The phases (with dates and test dates) for someone starting quarantine on ``start``."""
    rule = rule_for(on=start, vaccination=vaccination, rules=rules)
    phases: list[Phase] = []
    first = start
    for kind, days, tests in phase_specs(rule):
        phase = phase_at(kind=kind, start=first, days=days, tests=tests)
        phases.append(phase)
        first = phase.end + timedelta(days=1)
    return Plan(rule=rule, phases=tuple(phases))
