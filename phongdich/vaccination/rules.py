"""The pure vaccination rules (V1): age at a day, eligibility from the dated rule rows, and the
derived kind of a dose. No database access: callers pass the rows in."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from typing import Protocol

from django.utils.translation import gettext as _


class RuleRow(Protocol):
    effective_from: date
    effective_to: date | None
    min_age: int
    source: str
    uncertain: bool


@dataclass(frozen=True)
class Rule:
    """A plain rule row (for tests and callers without the model)."""

    effective_from: date
    effective_to: date | None
    min_age: int
    source: str = ""
    uncertain: bool = False


@dataclass(frozen=True)
class Eligibility:
    eligible: bool
    reason: str
    source: str = ""
    uncertain: bool = False


def age_on(*, birth_date: date | None, birth_year: int, on: date) -> int:
    """Completed years on ``on``. With only the birth year known, the age reached in that year
    (``on.year - birth_year``) — the way commune lists count "từ 18 tuổi trở lên"."""
    if birth_date is not None:
        return on.year - birth_date.year - ((on.month, on.day) < (birth_date.month, birth_date.day))
    return on.year - birth_year


def rule_in_force(rules: Sequence[RuleRow], on: date) -> RuleRow | None:
    """The latest rule whose dates contain ``on``."""
    found = [r for r in rules if r.effective_from <= on and (r.effective_to is None or on <= r.effective_to)]
    return max(found, key=lambda r: r.effective_from) if found else None


def check_eligibility(*, birth_date: date | None, birth_year: int, on: date, rules: Sequence[RuleRow]) -> Eligibility:
    rule = rule_in_force(rules, on)
    if rule is None:
        return Eligibility(
            False, _("Ngày %(day)s chưa có quy định về đối tượng tiêm chủng.") % {"day": f"{on:%d/%m/%Y}"}
        )
    age = age_on(birth_date=birth_date, birth_year=birth_year, on=on)
    if age < rule.min_age:
        return Eligibility(
            False,
            _("Người được tiêm %(age)s tuổi vào ngày tiêm; quy định đang áp dụng (%(source)s) là từ %(min)s tuổi.")
            % {"age": age, "source": rule.source, "min": rule.min_age},
            rule.source,
            rule.uncertain,
        )
    return Eligibility(True, "", rule.source, rule.uncertain)


@dataclass(frozen=True)
class DoseShape:
    kind: str  # "primary" or "booster"
    completes_series: bool


def dose_shape(*, dose_number: int, series_doses: int) -> DoseShape:
    """The kind of the ``dose_number``-th dose when the primary series has ``series_doses`` doses
    (those of the product of the first dose: mixed schedules keep the first product's count)."""
    if dose_number <= series_doses:
        return DoseShape("primary", dose_number == series_doses)
    return DoseShape("booster", False)
