"""The pure travel rules (M7): which trips need approval, and who may approve."""

from __future__ import annotations

from datetime import date, datetime, time

import pytest

from phongdich.travel.rules import DEFAULT_HOURS, Hours, Reason, Relation, approval_needed, approver_relation

GIO_TO = date(2021, 4, 21)  # Giỗ Tổ Hùng Vương 2021, a Wednesday
HOLIDAYS = {GIO_TO: "Giỗ Tổ Hùng Vương"}


def at(day: str, hm: str) -> datetime:
    return datetime.fromisoformat(f"{day}T{hm}")


@pytest.mark.parametrize(
    ("depart", "ret", "reasons"),
    [
        # weekday office hours: no approval
        (at("2021-04-14", "07:30"), at("2021-04-14", "11:00"), ()),
        (at("2021-04-14", "13:30"), at("2021-04-14", "17:00"), ()),
        # evening, early morning, lunch break, overnight: outside office hours
        (at("2021-04-14", "18:00"), at("2021-04-14", "21:00"), (Reason.OUTSIDE_HOURS,)),
        (at("2021-04-14", "06:00"), at("2021-04-14", "10:00"), (Reason.OUTSIDE_HOURS,)),
        (at("2021-04-14", "11:00"), at("2021-04-14", "14:00"), (Reason.OUTSIDE_HOURS,)),
        (at("2021-04-12", "08:00"), at("2021-04-13", "16:00"), (Reason.OUTSIDE_HOURS,)),
        # Saturday, Sunday, a public holiday
        (at("2021-04-17", "08:00"), at("2021-04-17", "11:00"), (Reason.SATURDAY,)),
        (at("2021-04-18", "08:00"), at("2021-04-18", "11:00"), (Reason.SUNDAY,)),
        (at("2021-04-21", "08:00"), at("2021-04-21", "11:00"), (Reason.HOLIDAY,)),
        # Friday afternoon to Sunday morning: the weekend and the Friday night
        (at("2021-04-16", "15:00"), at("2021-04-18", "09:00"), (Reason.SATURDAY, Reason.SUNDAY, Reason.OUTSIDE_HOURS)),
        # back at midnight: nothing of the trip falls on the next day (a Saturday)
        (at("2021-04-16", "18:00"), at("2021-04-17", "00:00"), (Reason.OUTSIDE_HOURS,)),
    ],
)
def test_which_trips_need_approval_M7(depart: datetime, ret: datetime, reasons: tuple[str, ...]) -> None:
    need = approval_needed(depart, ret, holidays=HOLIDAYS, hours=[DEFAULT_HOURS])
    assert need.reasons == reasons
    assert need.needed is bool(reasons)


def test_holiday_days_are_named_M7() -> None:
    need = approval_needed(at("2021-04-20", "08:00"), at("2021-04-22", "10:00"), holidays=HOLIDAYS, hours=[])
    assert need.holidays == (GIO_TO,)


def test_office_hours_are_dated_data_M7() -> None:
    """A later period of office hours (e.g. winter hours from 07:30) applies from its date."""
    winter = Hours(
        weekdays=frozenset(range(5)),
        morning=(time(7, 30), time(11, 30)),
        afternoon=(time(13, 30), time(17, 0)),
        effective_from=date(2021, 10, 1),
    )
    periods = [DEFAULT_HOURS, winter]
    summer_trip = approval_needed(at("2021-09-15", "07:10"), at("2021-09-15", "09:00"), holidays={}, hours=periods)
    winter_trip = approval_needed(at("2021-10-13", "07:10"), at("2021-10-13", "09:00"), holidays={}, hours=periods)
    assert not summer_trip.needed
    assert winter_trip.reasons == (Reason.OUTSIDE_HOURS,)


def test_return_before_departure_is_refused_M7() -> None:
    with pytest.raises(ValueError):
        approval_needed(at("2021-04-14", "10:00"), at("2021-04-14", "09:00"), holidays={}, hours=[])


# chain of the traveller 1: direct head 2, then higher leaders 3 and 4
CHAIN = [2, 3, 4]


@pytest.mark.parametrize(
    ("approver", "expected"),
    [
        (2, Relation.DIRECT_HEAD),
        (3, Relation.HIGHER_LEADER),
        (4, Relation.HIGHER_LEADER),
        (5, None),  # a peer: not in the chain
        (1, None),  # oneself
        (9, None),  # someone outside the chain
        (None, None),
    ],
)
def test_who_may_approve_M7(approver: int | None, expected: str | None) -> None:
    assert approver_relation(approver=approver, traveller=1, chain=CHAIN) == expected


def test_oneself_never_approves_even_if_listed_M7() -> None:
    assert approver_relation(approver=1, traveller=1, chain=[1, 2]) is None
