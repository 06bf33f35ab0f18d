"""The growth arithmetic of a cluster: week-on-week, log-linear fit, doubling time, projection (C3)."""

from __future__ import annotations

import itertools
import math
from datetime import date, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from phongdich.cases.growth import (
    MIN_DAYS,
    doubling_time,
    fit_loglinear,
    outlook,
    project,
    week_growth,
)

AS_OF = date(2021, 5, 24)


def exponential(start: float, doubling: float, n: int) -> list[int]:
    return [round(start * 2 ** (t / doubling)) for t in range(n)]


@pytest.mark.parametrize(
    ("counts", "expected"),
    [
        # Too few days, too few cases, cases on too few days: no fit, so no doubling.
        ([1, 2, 4, 8], None),
        ([0, 0, 1, 0, 1, 0, 1, 0], None),
        ([0, 0, 0, 0, 0, 0, 9, 9], None),
        # Flat and falling: not growing.
        ([5] * 10, None),
        ([20, 16, 13, 10, 8, 6, 5, 4], None),
        # Noisy and hardly rising: the interval of the slope includes zero, so not determined.
        ([3, 6, 2, 5, 3, 6, 4, 3, 5, 4], None),
        # Clean doublings.
        (exponential(4, 3, 14), 3.0),
        (exponential(10, 2, 10), 2.0),
        (exponential(8, 5, 14), 5.0),
    ],
)
def test_doubling_time_table_C3(counts: list[int], expected: float | None) -> None:
    result = doubling_time(fit_loglinear(counts))
    if expected is None:
        assert result is None
    else:
        assert result is not None
        assert result.days == pytest.approx(expected, rel=0.05)
        assert result.low <= result.days
        assert result.high is not None
        assert result.days <= result.high


@pytest.mark.parametrize(
    ("daily", "last7", "previous7", "ratio"),
    [
        ({}, 0, 0, None),
        ({AS_OF: 3, AS_OF - timedelta(days=6): 2}, 5, 0, None),
        ({AS_OF: 4, AS_OF - timedelta(days=7): 2, AS_OF - timedelta(days=13): 2}, 4, 4, 1.0),
        # The day after ``as_of`` and the 15th day back are not counted.
        ({AS_OF + timedelta(days=1): 9, AS_OF - timedelta(days=14): 9, AS_OF - timedelta(days=8): 5}, 0, 5, 0.0),
        ({AS_OF - timedelta(days=i): 3 for i in range(14)}, 21, 21, 1.0),
    ],
)
def test_week_growth_table_C3(daily: dict[date, int], last7: int, previous7: int, ratio: float | None) -> None:
    week = week_growth(daily, AS_OF)
    assert (week.last7, week.previous7, week.ratio) == (last7, previous7, ratio)


def test_outlook_window_starts_at_first_case_and_projects_after_as_of_C3() -> None:
    counts = exponential(2, 3, 10)
    first = AS_OF - timedelta(days=9)
    daily = {first + timedelta(days=i): n for i, n in enumerate(counts)}
    daily[AS_OF + timedelta(days=2)] = 50  # after as_of: ignored
    result = outlook(daily, AS_OF)
    assert result.window_start == first
    assert result.series[0] == (first, counts[0])
    assert result.series[-1] == (AS_OF, counts[-1])
    assert result.total == sum(counts)
    assert [d for d, _p in result.projection] == [AS_OF + timedelta(days=h) for h in range(1, 8)]
    assert result.doubling is not None
    assert result.doubling.days == pytest.approx(3, rel=0.15)
    # A longer history: the fit only uses the last 14 days.
    long = {AS_OF - timedelta(days=i): 5 for i in range(30)}
    assert outlook(long, AS_OF).window_start == AS_OF - timedelta(days=13)
    assert outlook(long, AS_OF).doubling is None


def test_no_cases_is_not_an_error_C3() -> None:
    result = outlook({}, AS_OF)
    assert result.fit is None
    assert result.doubling is None
    assert result.projection == []
    assert result.total == 0


# --- Properties -------------------------------------------------------------------------------

counts_strategy = st.lists(st.integers(min_value=0, max_value=200), min_size=MIN_DAYS, max_size=21)


@settings(max_examples=80, deadline=None)
@given(value=st.integers(min_value=1, max_value=500), n=st.integers(min_value=MIN_DAYS, max_value=21))
def test_constant_counts_never_double_C3(value: int, n: int) -> None:
    fit = fit_loglinear([value] * n)
    assert doubling_time(fit) is None
    if fit is not None:
        assert abs(fit.slope) < 1e-6


@settings(max_examples=80, deadline=None)
@given(
    doubling=st.floats(min_value=1.5, max_value=10.0),
    start=st.integers(min_value=20, max_value=100),
    n=st.integers(min_value=10, max_value=14),
)
def test_exponential_counts_give_their_doubling_time_C3(doubling: float, start: int, n: int) -> None:
    result = doubling_time(fit_loglinear(exponential(start, doubling, n)))
    assert result is not None
    assert result.days == pytest.approx(doubling, rel=0.1)


@settings(max_examples=80, deadline=None)
@given(doubling=st.floats(min_value=1.5, max_value=10.0), start=st.integers(min_value=1, max_value=50))
def test_falling_counts_never_double_C3(doubling: float, start: int) -> None:
    falling = list(reversed(exponential(start, doubling, 12)))
    assert doubling_time(fit_loglinear(falling)) is None


@settings(max_examples=150, deadline=None)
@given(counts=counts_strategy, horizon=st.integers(min_value=1, max_value=14))
def test_band_contains_the_point_and_cumulative_band_widens_C3(counts: list[int], horizon: int) -> None:
    fit = fit_loglinear(counts)
    if fit is None:
        return
    days = project(fit, horizon)
    assert [p.h for p in days] == list(range(1, horizon + 1))
    for p in days:
        assert 0 <= p.low <= p.expected <= p.high
        assert 0 <= p.cumulative_low <= p.cumulative <= p.cumulative_high
        assert all(math.isfinite(v) for v in (p.low, p.high, p.cumulative_low, p.cumulative_high))
    widths = [p.cumulative_high - p.cumulative_low for p in days]
    # Never narrower with a longer horizon (a steeply falling trend adds next to nothing: equal in floats).
    assert all(later >= earlier * (1 - 1e-12) for earlier, later in itertools.pairwise(widths))
    assert widths[-1] > widths[0] or horizon == 1 or fit.slope < 0
    if fit.slope >= 0:
        daily = [p.high - p.low for p in days]
        assert all(later > earlier for earlier, later in itertools.pairwise(daily))


@settings(max_examples=60, deadline=None)
@given(counts=counts_strategy)
def test_doubling_only_when_the_slope_is_surely_positive_C3(counts: list[int]) -> None:
    fit = fit_loglinear(counts)
    result = doubling_time(fit)
    if result is not None:
        assert fit is not None
        assert fit.slope_low > 0
        assert result.days == pytest.approx(math.log(2) / fit.slope)
