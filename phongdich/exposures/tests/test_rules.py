"""Exposure matching rule (C4): table-driven at the edges, and properties (hypothesis).

Times are minutes after 08:00 on 10/11/2021 (UTC, the rule is time-zone blind); dwell 60, margin
15 unless a row says otherwise; the case is person 1 at premises 100; the window is the whole day
unless a row says otherwise.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from phongdich.exposures.rules import CheckInTime, Interval, match, merge

T0 = datetime(2021, 11, 10, 8, 0, tzinfo=UTC)
DAY = Interval(datetime(2021, 11, 10, tzinfo=UTC), datetime(2021, 11, 11, tzinfo=UTC))
CASE = 1
P, Q = 100, 200


def m(minutes: float) -> datetime:
    return T0 + timedelta(minutes=minutes)


def run(
    case_at: list[tuple[int, float]],
    others: list[tuple[int, int, float]],
    *,
    dwell: int = 60,
    margin: int = 15,
    window: Interval = DAY,
    dwell_q: int | None = None,
) -> list[tuple[int, int, float, float, int]]:
    found = match(
        case_person_id=CASE,
        case_checkins=[CheckInTime(CASE, premises, m(t)) for premises, t in case_at],
        others=[CheckInTime(person, premises, m(t)) for person, premises, t in others],
        dwell={P: timedelta(minutes=dwell), Q: timedelta(minutes=dwell if dwell_q is None else dwell_q)},
        margin=timedelta(minutes=margin),
        window=window,
    )
    return [
        (c.person_id, c.premises_id, (c.start - T0).total_seconds() / 60, (c.end - T0).total_seconds() / 60, c.minutes)
        for c in found
    ]


# name, case check-ins (premises, minute), others (person, premises, minute), options, expected
# expected rows: (person, premises, overlap from, overlap to (minutes after 08:00), overlap minutes)
TABLE: list[tuple[str, list[tuple[int, float]], list[tuple[int, int, float]], dict, list]] = [  # type: ignore[type-arg]
    ("same time", [(P, 0)], [(2, P, 0)], {}, [(2, P, 0, 60, 60)]),
    # The case is present (widened) 07:45–09:15. Another person checking in at 09:15 touches it:
    # closed intervals, so a zero-minute overlap still makes a candidate.
    ("touching after: inclusive", [(P, 0)], [(2, P, 75)], {}, [(2, P, 75, 75, 0)]),
    ("one second after: out", [(P, 0)], [(2, P, 75 + 1 / 60)], {}, []),
    # Present 06:45–07:45 touches 07:45 from before.
    ("touching before: inclusive", [(P, 0)], [(2, P, -75)], {}, [(2, P, -15, -15, 0)]),
    ("one second before: out", [(P, 0)], [(2, P, -75 - 1 / 60)], {}, []),
    # Dwell: with 30 minutes the case is present 07:45–08:45, so 09:00 is out; with 60 it is in.
    ("short dwell leaves out", [(P, 0)], [(2, P, 60)], {"dwell": 30}, []),
    ("dwell reaches", [(P, 0)], [(2, P, 60)], {"dwell": 60}, [(2, P, 60, 75, 15)]),
    # Margin: without it 09:05 is after 09:00; with 15 it is in.
    ("no margin leaves out", [(P, 0)], [(2, P, 65)], {"margin": 0}, []),
    ("margin reaches", [(P, 0)], [(2, P, 65)], {"margin": 15}, [(2, P, 65, 75, 10)]),
    ("another premises", [(P, 0)], [(2, Q, 0)], {}, []),
    ("same person is not their own contact", [(P, 0)], [(CASE, P, 0)], {}, []),
    # Window: the check-in of the case lies before the window; the shared time is clipped to it.
    (
        "before the infectious window",
        [(P, 0)],
        [(2, P, 0)],
        {"window": Interval(m(24 * 60), m(48 * 60))},
        [],
    ),
    (
        "clipped to the window start",
        [(P, 0)],
        [(2, P, 0)],
        {"window": Interval(m(30), m(24 * 60))},
        [(2, P, 30, 60, 30)],
    ),
    # The window ends at 24:00 of the isolation day, excluded: a presence starting then is out.
    (
        "after the infectious window (end excluded)",
        [(P, 0)],
        [(2, P, 0)],
        {"window": Interval(m(-24 * 60), m(-15))},
        [],
    ),
    # Two check-ins of the case 30 min apart merge into one presence 07:45–09:45;
    # the other person present 08:00–09:00 and 09:00–10:00: one candidate, 105 minutes (08:00–09:45).
    ("check-ins merge", [(P, 0), (P, 30)], [(2, P, 0), (2, P, 60)], {}, [(2, P, 0, 105, 105)]),
    # The same person at two premises: two candidates.
    (
        "one candidate per premises",
        [(P, 0), (Q, 120)],
        [(2, P, 10), (2, Q, 130)],
        {},
        [(2, P, 10, 70, 60), (2, Q, 130, 190, 60)],
    ),
    # Dwell per premises: Q (a canteen, say) 20 minutes; check-in 08:40 at Q after the case's 08:00.
    ("dwell of the premises kind", [(Q, 0)], [(2, Q, 40)], {"dwell_q": 20}, []),
    ("dwell of the premises kind reaches", [(Q, 0)], [(2, Q, 30)], {"dwell_q": 20}, [(2, Q, 30, 35, 5)]),
    ("case without check-ins", [], [(2, P, 0)], {}, []),
]


@pytest.mark.parametrize(("name", "case_at", "others", "options", "expected"), TABLE, ids=[r[0] for r in TABLE])
def test_exposure_rule_table_C4(
    name: str,
    case_at: list[tuple[int, float]],
    others: list[tuple[int, int, float]],
    options: dict,
    expected: list,  # type: ignore[type-arg]
) -> None:
    assert run(case_at, others, **options) == expected


def test_merge_joins_touching_and_overlapping_C4() -> None:
    ivs = [Interval(m(0), m(10)), Interval(m(10), m(20)), Interval(m(30), m(40)), Interval(m(35), m(36))]
    assert merge(ivs) == [Interval(m(0), m(20)), Interval(m(30), m(40))]


minutes = st.integers(min_value=-600, max_value=600)


@given(a=minutes, a_len=st.integers(0, 300), b=minutes, b_len=st.integers(0, 300))
def test_overlap_symmetric_C4(a: int, a_len: int, b: int, b_len: int) -> None:
    x, y = Interval(m(a), m(a + a_len)), Interval(m(b), m(b + b_len))
    assert x.overlaps(y) == y.overlaps(x)
    assert x.intersection(y) == y.intersection(x)


@given(
    case_at=st.lists(minutes, min_size=1, max_size=4),
    others=st.lists(st.tuples(st.integers(2, 6), st.sampled_from([P, Q]), minutes), max_size=12),
    margin=st.integers(0, 60),
    extra=st.integers(0, 60),
    dwell=st.integers(1, 120),
)
def test_wider_margin_never_removes_a_candidate_C4(
    case_at: list[int], others: list[tuple[int, int, int]], margin: int, extra: int, dwell: int
) -> None:
    window = Interval(m(-24 * 60), m(24 * 60))
    case = [(P, float(t)) for t in case_at]
    rows = [(p, q, float(t)) for p, q, t in others]
    narrow = run(case, rows, margin=margin, dwell=dwell, window=window)
    wide = run(case, rows, margin=margin + extra, dwell=dwell, window=window)
    assert {(r[0], r[1]) for r in narrow} <= {(r[0], r[1]) for r in wide}
    # ... and never shortens an overlap.
    wide_minutes = {(r[0], r[1]): r[4] for r in wide}
    assert all(wide_minutes[(r[0], r[1])] >= r[4] for r in narrow)
