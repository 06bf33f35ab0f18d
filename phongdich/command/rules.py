"""Pure rules of the command app (no database): directive and task numbers, when a task is overdue for an
agency, and a directive's completion (R3, R4)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime, time

# "600-CV/TU", "23/CT-UBND", "167/CV-BCĐ", "15/CT-TTg", "04/2021/NQ-HĐND": a number, an optional year, then the
# kind and the issuing body's abbreviations (each starting with a capital), separated by "-" or "/".
_UPPER = "A-ZĐÂĂÊÔƠƯ"
_LETTERS = "A-Za-zĐđÂâĂăÊêÔôƠơƯư"
DIRECTIVE_NUMBER_RE = re.compile(
    rf"^\d{{1,5}}(?:/\d{{4}})?[-/][{_UPPER}][{_LETTERS}0-9]*(?:[-/][{_UPPER}0-9][{_LETTERS}0-9]*)*$"
)
# "2", "2.15", "2.14.1", "3a".
TASK_NUMBER_RE = re.compile(r"^\d{1,3}(?:\.\d{1,3}){0,3}[a-z]?$")

DONE = "done"
ONCE = "once"
DAILY = "daily"
ONGOING = "ongoing"


def normalise_number(value: str) -> str:
    """A directive number as written, without spaces (``600 - CV/TU`` → ``600-CV/TU``)."""
    return re.sub(r"\s+", "", value or "")


def is_directive_number(value: str) -> bool:
    return bool(DIRECTIVE_NUMBER_RE.match(normalise_number(value)))


def is_task_number(value: str) -> bool:
    return bool(TASK_NUMBER_RE.match((value or "").strip()))


def task_number_key(value: str) -> tuple[int | str, ...]:
    """Sort key: ``2.9`` before ``2.10``."""
    parts: list[int | str] = []
    for part in (value or "").split("."):
        digits = "".join(ch for ch in part if ch.isdigit())
        parts.append(int(digits) if digits else 0)
        parts.append(part[len(digits) :])
    return tuple(parts)


@dataclass(frozen=True)
class AssignmentState:
    """What the overdue rule needs to know about one agency's share of a task."""

    deadline_kind: str
    due_at: datetime | None = None
    daily_time: time | None = None
    status: str = "not_started"
    done_at: datetime | None = None
    # Daily tasks: the latest report's moment (any status counts as that day's report).
    last_reported_at: datetime | None = None


def daily_cutoff(now: datetime, daily_time: time) -> datetime:
    """Today's deadline of a daily task, in ``now``'s time zone."""
    return now.replace(hour=daily_time.hour, minute=daily_time.minute, second=0, microsecond=0)


def is_done(state: AssignmentState, now: datetime) -> bool:
    return state.status == DONE and (state.done_at is None or state.done_at <= now)


def is_overdue(state: AssignmentState, now: datetime) -> bool:
    """Overdue: the deadline has passed and the agency has not done it.

    * a one-off deadline: ``now`` is past ``due_at`` and the task is not done (done at or before ``now``);
    * a daily deadline (``trước 16h00 hằng ngày``): today's cutoff has passed and the agency has sent no report
      today before it (a report after the cutoff still leaves the day late); a task marked done is finished;
    * an ongoing task has no deadline and is never overdue.

    ``now`` is an aware local time (daily cutoffs are in local time).
    """
    if is_done(state, now):
        return False
    if state.deadline_kind == ONCE:
        return state.due_at is not None and now > state.due_at
    if state.deadline_kind == DAILY and state.daily_time is not None:
        cutoff = daily_cutoff(now, state.daily_time)
        if now <= cutoff:
            return False
        last = state.last_reported_at
        reported_today = (
            last is not None
            and last.astimezone(now.tzinfo).date() == now.date()
            and last.astimezone(now.tzinfo) <= cutoff
        )
        return not reported_today
    return False


def is_late(state: AssignmentState) -> bool:
    """Done, but after a one-off deadline."""
    return (
        state.deadline_kind == ONCE
        and state.status == DONE
        and state.due_at is not None
        and state.done_at is not None
        and state.done_at > state.due_at
    )


def completion_percent(done: int, total: int) -> int | None:
    """Done assignments as a whole percentage (rounded down, so 100 means every one); None when nothing
    is assigned."""
    if total <= 0:
        return None
    return done * 100 // total
