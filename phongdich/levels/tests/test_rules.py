"""The level rule sets as data: every cell of Decisions 4800 and 218 table-tested, the HCMC worked example,
monotonicity properties (hypothesis) and the what-if command (Z3)."""

from __future__ import annotations

import io
import json
from typing import Any

import pytest
from django.core.management import CommandError, call_command
from hypothesis import given, settings
from hypothesis import strategies as st

from phongdich.core.errors import ValidationFailed
from phongdich.levels.models import RuleCell, RuleSet
from phongdich.levels.rules import Rules, assess, rules_load

# (cases sample inside the band, vaccination met, capacity, expected level, certainty) — every cell of 4800.
# Bands: < 20 [V], 20–< 50 [P], 50–< 150 [V], ≥ 150 [V]; criterion 2 met lowers the band's level by one,
# criterion 3 not met forbids the lowering (RULES, Decision 4800 section).
TABLE_4800 = [
    # < 20
    (0, True, "met", 1, "P"),
    (0, False, "met", 1, "U"),
    (0, True, "not_met", 1, "U"),
    (0, False, "not_met", 1, "U"),
    # 20–< 50
    (20, True, "met", 1, "U"),
    (20, False, "met", 2, "U"),
    (20, True, "not_met", 2, "U"),
    (20, False, "not_met", 2, "U"),
    # 50–< 150
    (73.5, True, "met", 2, "V"),
    (73.5, False, "met", 3, "U"),
    (73.5, True, "not_met", 3, "U"),
    (73.5, False, "not_met", 3, "U"),
    # ≥ 150
    (150, True, "met", 3, "P"),
    (150, False, "met", 4, "U"),
    (150, True, "not_met", 4, "U"),
    (150, False, "not_met", 4, "U"),
]
# Upper edges of each band (exclusive): just below stays in the band.
EDGES_4800 = [(19.99, 0), (49.99, 20), (149.99, 73.5)]

# 218: transmission bands < 50, 50–< 150, 150–600 [U], > 600 [V]; matrix with capacity high/medium/low;
# vaccination not met raises by one [V].
MATRIX_218 = {0: (1, 1, 2), 50: (1, 2, 3), 150: (2, 3, 4), 600.01: (3, 4, 4)}
TABLE_218 = [
    (cases, vacc, cap, (lv if vacc else min(4, lv + 1)))
    for cases, levels in MATRIX_218.items()
    for vacc in (True, False)
    for cap, lv in zip(("high", "medium", "low"), levels, strict=True)
]
# free beds /100k giving each capacity class: > 30 high, 10–30 medium, < 10 low [V].
BEDS = {"high": 31, "medium": 20, "low": 5}


def _indicators_4800(cases: float, vacc: bool, cap: str) -> dict[str, Any]:
    return {
        "community_cases_per_100k_week": cases,
        "vaccination_criterion_met": vacc,
        "treatment_capacity_met": cap == "met",
    }


def _indicators_218(cases: float, vacc: bool, cap: str) -> dict[str, Any]:
    return {"cases_per_100k_week": cases, "vaccination_criterion_met": vacc, "free_beds_per_100k": BEDS[cap]}


@pytest.fixture
def r4800(db: Any) -> Rules:
    return rules_load("4800")


@pytest.fixture
def r218(db: Any) -> Rules:
    return rules_load("218")


@pytest.mark.django_db
def test_rule_sets_are_dated_sourced_data_Z3() -> None:
    r4800, r218 = RuleSet.objects.get(code="4800"), RuleSet.objects.get(code="218")
    assert (str(r4800.effective_from), str(r4800.effective_to)) == ("2021-10-12", "2022-01-26")
    assert (str(r218.effective_from), r218.effective_to) == ("2022-01-27", None)
    assert "4800/QĐ-BYT" in r4800.source
    assert "218/QĐ-BYT" in r218.source
    assert RuleCell.objects.filter(rule_set=r4800).count() == len(TABLE_4800) == 16
    assert RuleCell.objects.filter(rule_set=r218).count() == len(TABLE_218) == 24
    # Criterion 2's pass marks and the elderly age are parameters flagged uncertain.
    for name in ("adult_one_dose_pass_pct", "elderly_full_pass_pct", "elderly_age"):
        assert r4800.parameters[name]["certainty"] == "U"
    assert r218.parameters["full_coverage_pass_pct"] == {
        "value": 75,
        "certainty": "V",
        "note": r218.parameters["full_coverage_pass_pct"]["note"],
    }
    assert r218.parameters["high_risk_full_pass_pct"]["value"] == 90


@pytest.mark.parametrize(("cases", "vacc", "cap", "level", "certainty"), TABLE_4800)
def test_every_cell_of_4800_Z3(r4800: Rules, cases: float, vacc: bool, cap: str, level: int, certainty: str) -> None:
    res = assess(r4800, _indicators_4800(cases, vacc, cap))
    assert res.level == level
    cell = next(c for c in r4800.cells if c.order == res.cell)
    assert (cell.vaccination_met, cell.capacity, cell.level, cell.certainty) == (vacc, cap, level, certainty)
    assert res.uncertain == (certainty == "U" or cell.band_certainty == "U")


@pytest.mark.parametrize(("below", "inside"), EDGES_4800)
@pytest.mark.parametrize("vacc", [True, False])
def test_4800_band_upper_bound_is_exclusive_Z3(r4800: Rules, below: float, inside: float, vacc: bool) -> None:
    assert (
        assess(r4800, _indicators_4800(below, vacc, "met")).level
        == assess(r4800, _indicators_4800(inside, vacc, "met")).level
    )


@pytest.mark.parametrize(("cases", "vacc", "cap", "level"), TABLE_218)
def test_every_cell_of_218_Z3(r218: Rules, cases: float, vacc: bool, cap: str, level: int) -> None:
    res = assess(r218, _indicators_218(cases, vacc, cap))
    assert res.level == level
    cell = next(c for c in r218.cells if c.order == res.cell)
    assert (cell.vaccination_met, cell.capacity, cell.level) == (vacc, cap, level)
    assert cell.certainty == "U"  # the 4 × 3 matrix is not confirmed
    assert cell.band_certainty == ("V" if cases > 600 else "U")


def test_218_very_high_starts_above_600_Z3(r218: Rules) -> None:
    at_600 = assess(r218, _indicators_218(600, True, "high"))
    above = assess(r218, _indicators_218(600.01, True, "high"))
    assert (at_600.level, above.level) == (2, 3)


def test_218_deaths_over_threshold_raise_one_level_Z3(r218: Rules) -> None:
    base = {"cases_per_100k_week": 10, "vaccination_criterion_met": True, "free_beds_per_100k": 40}
    assert assess(r218, {**base, "deaths_per_100k_week": 6}).level == 1
    assert assess(r218, {**base, "deaths_per_100k_week": 6.5}).level == 2


def test_218_coverage_percentages_decide_the_vaccination_criterion_Z3(r218: Rules) -> None:
    base = {"cases_per_100k_week": 10, "free_beds_per_100k": 40}
    met = assess(r218, {**base, "full_coverage_pct": 75, "high_risk_full_coverage_pct": 90})
    short = assess(r218, {**base, "full_coverage_pct": 74.9, "high_risk_full_coverage_pct": 95})
    assert (met.level, short.level) == (1, 2)


def test_hcmc_24_10_2021_worked_example_gives_level_2_Z3(r4800: Rules) -> None:
    """73.5 community cases /100k/week (band 50–<150) with criterion 2 met → level 2 under Decision 4800."""
    res = assess(r4800, {"community_cases_per_100k_week": 73.5, "vaccination_criterion_met": True})
    assert res.level == 2
    assert res.certainty == "V"
    assert res.assumed == ["treatment_capacity_met"]
    # Without criterion 2 the band's own level, 3.
    assert assess(r4800, {"community_cases_per_100k_week": 73.5, "vaccination_criterion_met": False}).level == 3


def test_4800_coverage_percentages_against_uncertain_pass_marks_Z3(r4800: Rules) -> None:
    base = {"community_cases_per_100k_week": 73.5, "treatment_capacity_met": True}
    met = assess(r4800, {**base, "adult_one_dose_pct": 70, "elderly_full_pct": 80})
    short = assess(r4800, {**base, "adult_one_dose_pct": 69.9, "elderly_full_pct": 99})
    assert (met.level, short.level) == (2, 3)
    assert met.uncertain  # the pass marks are [U]


def test_bad_indicator_is_refused_in_vietnamese_Z3(r4800: Rules) -> None:
    with pytest.raises(ValidationFailed, match="phải là số không âm"):
        assess(r4800, {"community_cases_per_100k_week": -1})
    with pytest.raises(ValidationFailed, match="Chỉ số không có"):
        assess(r4800, {"community_cases_per_100k_week": 1, "deaths": 2})
    with pytest.raises(ValidationFailed, match="Thiếu chỉ số"):
        assess(r4800, {"vaccination_criterion_met": True})


# --- properties --------------------------------------------------------------------------------
cases_st = st.floats(min_value=0, max_value=5000, allow_nan=False, allow_infinity=False)
pct_st = st.floats(min_value=0, max_value=100, allow_nan=False)


@pytest.mark.django_db
@settings(max_examples=200, deadline=None)
@given(a=cases_st, b=cases_st, vacc=st.booleans(), cap=st.booleans())
def test_more_cases_never_lower_the_level_4800_Z3(a: float, b: float, vacc: bool, cap: bool) -> None:
    rules = rules_load("4800")
    low, high = sorted((a, b))
    ind = {"vaccination_criterion_met": vacc, "treatment_capacity_met": cap}
    assert (
        assess(rules, {**ind, "community_cases_per_100k_week": low}).level
        <= assess(rules, {**ind, "community_cases_per_100k_week": high}).level
    )


@pytest.mark.django_db
@settings(max_examples=200, deadline=None)
@given(cases=cases_st, cap=st.booleans(), a1=pct_st, a2=pct_st, e1=pct_st, e2=pct_st)
def test_better_coverage_and_capacity_never_raise_the_level_4800_Z3(
    cases: float, cap: bool, a1: float, a2: float, e1: float, e2: float
) -> None:
    rules = rules_load("4800")
    worse = {"adult_one_dose_pct": min(a1, a2), "elderly_full_pct": min(e1, e2)}
    better = {"adult_one_dose_pct": max(a1, a2), "elderly_full_pct": max(e1, e2)}
    base = {"community_cases_per_100k_week": cases}
    assert (
        assess(rules, {**base, **better, "treatment_capacity_met": cap}).level
        <= assess(rules, {**base, **worse, "treatment_capacity_met": cap}).level
    )
    # Meeting the capacity criterion never raises.
    assert (
        assess(rules, {**base, **worse, "treatment_capacity_met": True}).level
        <= assess(rules, {**base, **worse, "treatment_capacity_met": False}).level
    )


metrics_218 = st.fixed_dictionaries(
    {
        "cases_per_100k_week": cases_st,
        "deaths_per_100k_week": st.floats(min_value=0, max_value=50, allow_nan=False),
        "oxygen_cases_per_100k_week": st.floats(min_value=0, max_value=100, allow_nan=False),
        "free_beds_per_100k": st.floats(min_value=0, max_value=100, allow_nan=False),
        "icu_beds_per_100k": st.floats(min_value=0, max_value=20, allow_nan=False),
        "full_coverage_pct": pct_st,
        "high_risk_full_coverage_pct": pct_st,
    }
)


@pytest.mark.django_db
@settings(max_examples=200, deadline=None)
@given(x=metrics_218, y=metrics_218)
def test_218_monotone_in_cases_coverage_and_capacity_Z3(x: dict[str, float], y: dict[str, float]) -> None:
    rules = rules_load("218")
    # y2 is x with more cases, deaths and oxygen cases and worse coverage and fewer beds: never a lower level.
    worse = dict(x)
    for k in ("cases_per_100k_week", "deaths_per_100k_week", "oxygen_cases_per_100k_week"):
        worse[k] = max(x[k], y[k])
    for k in ("full_coverage_pct", "high_risk_full_coverage_pct", "free_beds_per_100k", "icu_beds_per_100k"):
        worse[k] = min(x[k], y[k])
    assert assess(rules, x).level <= assess(rules, worse).level


# --- the what-if command -----------------------------------------------------------------------
@pytest.mark.django_db
def test_assess_level_command_prints_level_and_reasoning_json_Z3() -> None:
    out = io.StringIO()
    call_command(
        "assess_level",
        "--rules",
        "4800",
        "--indicator",
        "community_cases_per_100k_week=73.5",
        "--indicator",
        "vaccination_criterion_met=true",
        "--indicator",
        "treatment_capacity_met=true",
        stdout=out,
        skip_checks=True,
    )
    result = json.loads(out.getvalue())
    assert result["level"] == 2
    assert result["rule_set"] == "4800"
    assert any("73.5" in line for line in result["reasoning"])
    out = io.StringIO()
    call_command(
        "assess_level",
        "--rules",
        "218",
        "--indicator",
        "cases_per_100k_week=700",
        "--indicator",
        "full_coverage_pct=80",
        "--indicator",
        "high_risk_full_coverage_pct=95",
        "--indicator",
        "free_beds_per_100k=35",
        stdout=out,
        skip_checks=True,
    )
    assert json.loads(out.getvalue())["level"] == 3


@pytest.mark.django_db
def test_assess_level_command_refuses_bad_input_and_documents_names_Z3(capsys: Any) -> None:
    with pytest.raises(CommandError, match="true hoặc false"):
        call_command(
            "assess_level", "--rules", "4800", "--indicator", "vaccination_criterion_met=maybe", skip_checks=True
        )
    with pytest.raises(CommandError, match="NAME=VALUE"):
        call_command("assess_level", "--rules", "4800", "--indicator", "community_cases", skip_checks=True)
    from phongdich.levels.management.commands.assess_level import Command

    help_text = Command().create_parser("manage.py", "assess_level").format_help()
    for name in (
        "community_cases_per_100k_week",
        "vaccination_criterion_met",
        "treatment_capacity_met",
        "cases_per_100k_week",
        "oxygen_cases_per_100k_week",
        "deaths_per_100k_week",
        "full_coverage_pct",
        "free_beds_per_100k",
    ):
        assert name in help_text
