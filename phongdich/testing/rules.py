"""Who must be tested, and by when (T1): a pure function of the event and the dated rules.

No database, no clock. ``required_tests`` takes the trigger (a new hire, an arrival from an epidemic area,
symptoms, an F1's quarantine), the day of the event, the person's vaccination status (for the F1
schedule) and the rules; it returns the tests the rule in force on that day asks for.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from phongdich.quarantine.models import AppliesTo

from .models import Trigger


@dataclass(frozen=True)
class Due:
    kind: str
    due_on: date
    rule: Any
    day: int | None = None  # the day of quarantine, for the F1 schedule

    @property
    def key_suffix(self) -> str:
        return f"day:{self.day}" if self.day is not None else "rule"


def in_force(rule: Any, on: date) -> bool:
    return bool(rule.effective_from <= on and (rule.effective_to is None or on <= rule.effective_to))


def rule_for(*, trigger: str, on: date, rules: Iterable[Any], vaccination: str = AppliesTo.ANY) -> Any | None:
    """The rule for ``trigger`` in force on ``on``: a rule for the person's vaccination status beats one
    for any status, and a later one beats an earlier one. None when no rule applies."""
    candidates = [
        r for r in rules if r.trigger == trigger and in_force(r, on) and r.applies_to in (vaccination, AppliesTo.ANY)
    ]
    if not candidates:
        return None
    candidates.sort(key=lambda r: (r.applies_to == AppliesTo.ANY, -r.effective_from.toordinal(), -(r.pk or 0)))
    return candidates[0]


def required_tests(*, trigger: str, on: date, rules: Iterable[Any], vaccination: str = AppliesTo.ANY) -> list[Due]:
    """The tests an event of ``trigger`` on ``on`` calls for.

    New hire, arrival, symptoms: one test of the rule's kind within ``due_within_days`` of the event.
    F1: one test on each day of the rule's schedule, counted from the first day of quarantine (day 1 =
    ``on``)."""
    rule = rule_for(trigger=trigger, on=on, rules=rules, vaccination=vaccination)
    if rule is None:
        return []
    if trigger == Trigger.F1_SCHEDULE:
        days = sorted({int(d) for d in rule.schedule_days or [] if int(d) >= 1})
        return [Due(kind=rule.kind, due_on=on + timedelta(days=d - 1), rule=rule, day=d) for d in days]
    return [Due(kind=rule.kind, due_on=on + timedelta(days=int(rule.due_within_days)), rule=rule)]
