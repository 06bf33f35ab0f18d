"""ISO weeks: ``2021-W42`` ↔ its Monday, and the local moments that bound a week."""

from __future__ import annotations

import re
from datetime import date, datetime, time, timedelta

from django.utils import timezone
from django.utils.translation import gettext as _

from phongdich.core.errors import ValidationFailed

WEEK_RE = re.compile(r"^\s*(\d{4})-?W(\d{1,2})\s*$", re.IGNORECASE)


def week_start_of(day: date) -> date:
    return day - timedelta(days=day.weekday())


def parse_week(text: str) -> date:
    """``2021-W42`` → Monday 18/10/2021; a Vietnamese error for anything else."""
    match = WEEK_RE.match(text or "")
    if match is None:
        raise ValidationFailed(_("Tuần phải có dạng YYYY-Www, ví dụ 2021-W42."), field="week")
    try:
        return date.fromisocalendar(int(match.group(1)), int(match.group(2)), 1)
    except ValueError:
        raise ValidationFailed(_("Không có tuần %(week)s.") % {"week": text}, field="week") from None


def week_label(monday: date) -> str:
    year, week, _day = monday.isocalendar()
    return f"{year}-W{week:02d}"


def last_complete_week(today: date | None = None) -> date:
    """The Monday of the last full ISO week before ``today``."""
    day = today or timezone.localdate()
    return week_start_of(day) - timedelta(days=7)


def local_start(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, time.min))


def week_bounds(monday: date) -> tuple[datetime, datetime]:
    """[Monday 00:00, next Monday 00:00) in local time."""
    return local_start(monday), local_start(monday + timedelta(days=7))
