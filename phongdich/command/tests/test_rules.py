"""The pure rules: directive and task numbers, overdue (one-off, daily before 16:00, ongoing) and completion,
table-driven (R3, R4)."""

from __future__ import annotations

from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest

from phongdich.command import rules
from phongdich.command.rules import AssignmentState

TZ = ZoneInfo("Asia/Ho_Chi_Minh")
NOW = datetime(2021, 11, 8, 10, 0, tzinfo=TZ)
TODAY_END = datetime(2021, 11, 8, 23, 59, tzinfo=TZ)
TOMORROW = datetime(2021, 11, 9, 17, 0, tzinfo=TZ)
YESTERDAY = datetime(2021, 11, 7, 17, 0, tzinfo=TZ)


@pytest.mark.parametrize(
    ("number", "valid"),
    [
        ("600-CV/TU", True),
        ("23/CT-UBND", True),
        ("167/CV-BCĐ", True),
        ("15/CT-TTg", True),
        ("257/TB-VPCP", True),
        ("04/2021/NQ-HĐND", True),
        ("600 - CV/TU", True),  # spaces are dropped
        ("600", False),
        ("CV/TU", False),
        ("600-cv/tu", False),
        ("600--CV", False),
        ("600-CV/", False),
        ("abc-600", False),
        ("", False),
    ],
)
def test_directive_number_pattern_R3(number: str, valid: bool) -> None:
    assert rules.is_directive_number(number) is valid


@pytest.mark.parametrize(
    ("number", "valid"),
    [("2", True), ("2.15", True), ("2.14.1", True), ("3a", True), ("2.", False), ("a", False), ("2,15", False)],
)
def test_task_number_pattern_R4(number: str, valid: bool) -> None:
    assert rules.is_task_number(number) is valid


def test_task_numbers_sort_as_numbers_R4() -> None:
    assert sorted(["2.10", "2.9", "2.15", "10", "2"], key=rules.task_number_key) == ["2", "2.9", "2.10", "2.15", "10"]


ONE_OFF = [
    # (due_at, status, done_at, overdue, late)
    (TODAY_END, "not_started", None, False, False),  # deadline later today
    (TOMORROW, "in_progress", None, False, False),  # deadline tomorrow
    (YESTERDAY, "not_started", None, True, False),  # deadline passed, nothing done
    (YESTERDAY, "in_progress", None, True, False),
    (YESTERDAY, "blocked", None, True, False),
    (YESTERDAY, "done", YESTERDAY - timedelta(hours=2), False, False),  # done before the deadline
    (YESTERDAY, "done", NOW - timedelta(hours=1), False, True),  # done after the deadline: late, not overdue
    (NOW - timedelta(minutes=1), "not_started", None, True, False),  # a minute past
    (NOW, "not_started", None, False, False),  # exactly at the deadline: not yet
    (YESTERDAY, "done", NOW + timedelta(hours=1), True, True),  # "done" only later than now: still overdue now
]


@pytest.mark.parametrize(("due_at", "status", "done_at", "overdue", "late"), ONE_OFF)
def test_one_off_deadline_overdue_and_late_R4(
    due_at: datetime, status: str, done_at: datetime | None, overdue: bool, late: bool
) -> None:
    state = AssignmentState(deadline_kind="once", due_at=due_at, status=status, done_at=done_at)
    assert rules.is_overdue(state, NOW) is overdue
    assert rules.is_late(state) is late


AT_1500 = datetime(2021, 11, 8, 15, 0, tzinfo=TZ)
AT_1700 = datetime(2021, 11, 8, 17, 0, tzinfo=TZ)
DAILY = [
    # (now, last report, status, overdue)
    (AT_1500, None, "in_progress", False),  # before 16:00: not yet
    (AT_1700, None, "in_progress", True),  # after 16:00, no report
    (AT_1700, datetime(2021, 11, 8, 9, 30, tzinfo=TZ), "in_progress", False),  # reported this morning
    (AT_1700, datetime(2021, 11, 8, 16, 0, tzinfo=TZ), "in_progress", False),  # at 16:00 sharp counts
    (AT_1700, datetime(2021, 11, 8, 16, 30, tzinfo=TZ), "in_progress", True),  # after the cutoff: late
    (AT_1700, datetime(2021, 11, 7, 15, 0, tzinfo=TZ), "in_progress", True),  # yesterday's report
    (AT_1700, None, "done", False),  # the task is finished
    # a report stamped in UTC on the same local day counts
    (AT_1700, datetime(2021, 11, 8, 2, 0, tzinfo=ZoneInfo("UTC")), "in_progress", False),
]


@pytest.mark.parametrize(("now", "last", "status", "overdue"), DAILY)
def test_daily_before_1600_overdue_R4(now: datetime, last: datetime | None, status: str, overdue: bool) -> None:
    state = AssignmentState(deadline_kind="daily", daily_time=time(16, 0), status=status, last_reported_at=last)
    assert rules.is_overdue(state, now) is overdue


def test_ongoing_task_is_never_overdue_R4() -> None:
    assert not rules.is_overdue(AssignmentState(deadline_kind="ongoing"), NOW + timedelta(days=400))


@pytest.mark.parametrize(
    ("done", "total", "percent"), [(0, 0, None), (0, 3, 0), (1, 3, 33), (2, 3, 66), (3, 3, 100), (99, 100, 99)]
)
def test_completion_percent_rounds_down_R3(done: int, total: int, percent: int | None) -> None:
    assert rules.completion_percent(done, total) == percent
