"""The pure eligibility rules and dose shapes, table-driven (V1)."""

from __future__ import annotations

from datetime import date

import pytest

from phongdich.vaccination.rules import Rule, age_on, check_eligibility, dose_shape, rule_in_force

RULES = [Rule(date(2021, 3, 8), None, 18, "Nghị quyết 21/NQ-CP")]
LATER = [*RULES[:0], Rule(date(2021, 3, 8), date(2021, 10, 31), 18, "A"), Rule(date(2021, 11, 1), None, 12, "B", True)]


@pytest.mark.parametrize(
    ("birth_date", "birth_year", "on", "expected"),
    [
        (date(2003, 6, 15), 2003, date(2021, 6, 14), 17),
        (date(2003, 6, 15), 2003, date(2021, 6, 15), 18),
        (date(2004, 2, 29), 2004, date(2022, 2, 28), 17),
        (date(2004, 2, 29), 2004, date(2022, 3, 1), 18),
        (None, 2003, date(2021, 1, 1), 18),
        (None, 2004, date(2021, 12, 31), 17),
    ],
)
def test_age_on_the_day_V1(birth_date: date | None, birth_year: int, on: date, expected: int) -> None:
    assert age_on(birth_date=birth_date, birth_year=birth_year, on=on) == expected


@pytest.mark.parametrize(
    ("birth_date", "birth_year", "on", "rules", "eligible", "words"),
    [
        (date(1980, 1, 1), 1980, date(2021, 3, 8), RULES, True, ""),
        (date(1980, 1, 1), 1980, date(2021, 3, 7), RULES, False, "chưa có quy định"),
        (date(2003, 6, 15), 2003, date(2021, 6, 14), RULES, False, "17 tuổi"),
        (date(2003, 6, 15), 2003, date(2021, 6, 15), RULES, True, ""),
        (None, 2003, date(2021, 1, 10), [Rule(date(2021, 1, 1), None, 18)], True, ""),
        (None, 2005, date(2021, 10, 31), LATER, False, "từ 18 tuổi"),
        (None, 2005, date(2021, 11, 1), LATER, True, ""),
        (date(2015, 1, 1), 2015, date(2021, 11, 1), LATER, False, "6 tuổi"),
    ],
)
def test_eligibility_table_V1(
    birth_date: date | None, birth_year: int, on: date, rules: list[Rule], eligible: bool, words: str
) -> None:
    verdict = check_eligibility(birth_date=birth_date, birth_year=birth_year, on=on, rules=rules)
    assert verdict.eligible is eligible
    assert words in verdict.reason


def test_uncertain_rule_is_reported_V1() -> None:
    verdict = check_eligibility(birth_date=None, birth_year=2000, on=date(2021, 12, 1), rules=LATER)
    assert verdict.eligible
    assert verdict.uncertain
    assert verdict.source == "B"


def test_latest_rule_in_force_wins_V1() -> None:
    rules = [Rule(date(2021, 1, 1), None, 18, "old"), Rule(date(2021, 6, 1), None, 16, "new")]
    assert rule_in_force(rules, date(2021, 5, 31)).source == "old"  # type: ignore[union-attr]
    assert rule_in_force(rules, date(2021, 6, 1)).source == "new"  # type: ignore[union-attr]


@pytest.mark.parametrize(
    ("number", "series", "kind", "completes"),
    [
        (1, 2, "primary", False),
        (2, 2, "primary", True),
        (3, 2, "booster", False),
        (2, 3, "primary", False),
        (3, 3, "primary", True),
        (1, 1, "primary", True),
        (2, 1, "booster", False),
    ],
)
def test_dose_shape_table_V1(number: int, series: int, kind: str, completes: bool) -> None:
    shape = dose_shape(dose_number=number, series_doses=series)
    assert (shape.kind, shape.completes_series) == (kind, completes)
