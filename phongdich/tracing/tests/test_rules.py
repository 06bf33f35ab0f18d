"""The F1 window (C4): table-driven over the rule rows of the data migration, and properties."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from phongdich.tracing.models import F1WindowRule
from phongdich.tracing.rules import NoWindowRule, Window, case_window, days_before_on, is_f1


def d(text: str) -> date:
    day, month, year = (int(x) for x in text.split("/"))
    return date(year, month, day)


# onset, sampling, isolated, exposure first, last, F1?
TABLE: list[tuple[str | None, str | None, str | None, str, str, bool]] = [
    ("10/11/2021", None, "12/11/2021", "07/11/2021", "07/11/2021", True),  # onset − 3: first day in
    ("10/11/2021", None, "12/11/2021", "06/11/2021", "06/11/2021", False),  # onset − 4: too early
    ("10/11/2021", None, "12/11/2021", "01/11/2021", "07/11/2021", True),  # span reaching into the window
    ("10/11/2021", None, "12/11/2021", "12/11/2021", "12/11/2021", True),  # the day of isolation counts
    ("10/11/2021", None, "12/11/2021", "13/11/2021", "20/11/2021", False),  # after isolation: never
    ("10/11/2021", None, None, "20/11/2021", "20/11/2021", True),  # not isolated yet: open window
    (None, "10/11/2021", "11/11/2021", "07/11/2021", "07/11/2021", True),  # asymptomatic: from sampling
    (None, "10/11/2021", "11/11/2021", "06/11/2021", "06/11/2021", False),
    ("05/11/2021", "10/11/2021", None, "02/11/2021", "02/11/2021", True),  # onset wins over sampling
    ("05/11/2021", "10/11/2021", None, "01/11/2021", "01/11/2021", False),
    (None, None, None, "01/11/2021", "01/11/2021", False),  # no date to count from
]


@pytest.mark.parametrize(("onset", "sampling", "isolated", "first", "last", "expected"), TABLE)
def test_f1_window_table_C4(
    db: Any, onset: str | None, sampling: str | None, isolated: str | None, first: str, last: str, expected: bool
) -> None:
    n = days_before_on(d(onset or sampling or "01/11/2021"), F1WindowRule.objects.all())
    assert n == 3
    result = is_f1(
        onset=d(onset) if onset else None,
        sampling=d(sampling) if sampling else None,
        isolated_on=d(isolated) if isolated else None,
        first=d(first),
        last=d(last),
        days_before=n,
    )
    assert result is expected


def test_f1_window_rule_rows_dated_with_sources_C4(db: Any) -> None:
    rules = list(F1WindowRule.objects.order_by("effective_from"))
    assert [r.days_before for r in rules] == [3, 3]
    assert "3638/QĐ-BYT" in rules[1].source
    assert not rules[1].uncertain
    assert rules[0].uncertain  # the 2020 manual's number of days is not confirmed
    assert days_before_on(d("30/07/2021"), rules) == 3
    with pytest.raises(NoWindowRule):
        days_before_on(d("01/01/2019"), rules)


def test_f1_window_follows_the_rule_in_force_C4(db: Any) -> None:
    F1WindowRule.objects.filter(source__contains="3638").update(effective_to=d("31/12/2021"))
    F1WindowRule.objects.create(days_before=2, effective_from=d("01/01/2022"), source="Thử nghiệm")
    rules = list(F1WindowRule.objects.all())
    assert days_before_on(d("31/12/2021"), rules) == 3
    assert days_before_on(d("01/01/2022"), rules) == 2


days = st.dates(min_value=date(2020, 1, 1), max_value=date(2022, 12, 31))
spans = st.tuples(days, st.integers(min_value=0, max_value=30)).map(lambda t: (t[0], t[0] + timedelta(days=t[1])))


@given(onset=days, span=spans, n=st.integers(min_value=0, max_value=14), extra=st.integers(min_value=0, max_value=7))
def test_f1_window_monotonic_in_n_C4(onset: date, span: tuple[date, date], n: int, extra: int) -> None:
    """A longer look-back never loses an F1."""
    first, last = span
    if is_f1(onset=onset, sampling=None, isolated_on=None, first=first, last=last, days_before=n):
        assert is_f1(onset=onset, sampling=None, isolated_on=None, first=first, last=last, days_before=n + extra)


@given(onset=days, span=spans, n=st.integers(min_value=0, max_value=14), gap=st.integers(min_value=0, max_value=40))
def test_exposure_after_isolation_never_f1_C4(onset: date, span: tuple[date, date], n: int, gap: int) -> None:
    first, last = span
    isolated = first - timedelta(days=1 + gap)
    assert not is_f1(onset=onset, sampling=None, isolated_on=isolated, first=first, last=last, days_before=n)


@given(start=days, length=st.integers(min_value=0, max_value=30), span=spans)
def test_window_overlap_is_a_shared_day_C4(start: date, length: int, span: tuple[date, date]) -> None:
    """``overlaps`` agrees with counting the days both cover, and the first shared day is one of them."""
    window = Window(start=start, end=start + timedelta(days=length))
    first, last = span
    shared = [
        first + timedelta(days=i)
        for i in range((last - first).days + 1)
        if start <= first + timedelta(days=i) <= window.end
    ]  # type: ignore[operator]
    assert window.overlaps(first, last) is bool(shared)
    assert window.first_shared_day(first, last) == (shared[0] if shared else None)


def test_case_window_counts_back_from_onset_C4() -> None:
    w = case_window(onset=d("10/11/2021"), sampling=d("12/11/2021"), isolated_on=d("13/11/2021"), days_before=3)
    assert w == Window(start=d("07/11/2021"), end=d("13/11/2021"))
    assert case_window(onset=None, sampling=None, isolated_on=None, days_before=3) is None
