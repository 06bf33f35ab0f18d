"""The exposure rule, table-driven at its edges, and its monotonicity as properties (M5)."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from phongdich.zones.rules import AreaSpan, Visit, exposures, place_within

DA_NANG = "/48/"
HAI_CHAU = "/48/492/"  # a district of Đà Nẵng
THACH_THANG = "/48/492/20224/"  # a commune of Hải Châu
ON = date(2020, 8, 5)


def _area(place: str, start: date, end: date | None = None) -> AreaSpan:
    return AreaSpan(area_id=1, place=place, start=start, end=end, name="Thành phố Đà Nẵng", source="257/TB-VPCP")


CASES = [
    # (name, visit place, from, to, area place, area start, area end, look-back, expected)
    (
        "one day before the area starts",
        DA_NANG,
        date(2020, 7, 24),
        date(2020, 7, 24),
        DA_NANG,
        date(2020, 7, 25),
        None,
        14,
        False,
    ),
    (
        "the day the area starts",
        DA_NANG,
        date(2020, 7, 25),
        date(2020, 7, 25),
        DA_NANG,
        date(2020, 7, 25),
        None,
        14,
        True,
    ),
    (
        "a stay across the start",
        DA_NANG,
        date(2020, 7, 23),
        date(2020, 7, 26),
        DA_NANG,
        date(2020, 7, 25),
        None,
        14,
        True,
    ),
    (
        "the day the area ends",
        DA_NANG,
        date(2020, 8, 1),
        date(2020, 8, 1),
        DA_NANG,
        date(2020, 7, 25),
        date(2020, 8, 1),
        14,
        True,
    ),
    (
        "the day after it ends",
        DA_NANG,
        date(2020, 8, 2),
        date(2020, 8, 2),
        DA_NANG,
        date(2020, 7, 25),
        date(2020, 8, 1),
        14,
        False,
    ),
    ("14 days ago", DA_NANG, ON - timedelta(14), ON - timedelta(14), DA_NANG, date(2020, 7, 1), None, 14, True),
    ("15 days ago", DA_NANG, ON - timedelta(15), ON - timedelta(15), DA_NANG, date(2020, 7, 1), None, 14, False),
    (
        "15 days ago, 21-day rule",
        DA_NANG,
        ON - timedelta(15),
        ON - timedelta(15),
        DA_NANG,
        date(2020, 7, 1),
        None,
        21,
        True,
    ),
    (
        "22 days ago, 21-day rule",
        DA_NANG,
        ON - timedelta(22),
        ON - timedelta(22),
        DA_NANG,
        date(2020, 7, 1),
        None,
        21,
        False,
    ),
    (
        "a commune inside an epidemic district",
        THACH_THANG,
        date(2020, 7, 30),
        date(2020, 7, 30),
        HAI_CHAU,
        date(2020, 7, 25),
        None,
        14,
        True,
    ),
    (
        "a commune inside an epidemic province",
        THACH_THANG,
        date(2020, 7, 30),
        date(2020, 7, 30),
        DA_NANG,
        date(2020, 7, 25),
        None,
        14,
        True,
    ),
    (
        "a district is not inside its commune",
        HAI_CHAU,
        date(2020, 7, 30),
        date(2020, 7, 30),
        THACH_THANG,
        date(2020, 7, 25),
        None,
        14,
        False,
    ),
    ("another province", "/01/", date(2020, 7, 30), date(2020, 7, 30), DA_NANG, date(2020, 7, 25), None, 14, False),
    (
        "a path that only shares a prefix",
        "/480/",
        date(2020, 7, 30),
        date(2020, 7, 30),
        DA_NANG,
        date(2020, 7, 25),
        None,
        14,
        False,
    ),
    ("a country", "KR", date(2020, 7, 30), date(2020, 7, 31), "KR", date(2020, 2, 25), None, 14, True),
    ("another country", "JP", date(2020, 7, 30), date(2020, 7, 31), "KR", date(2020, 2, 25), None, 14, False),
    ("a country is not a unit", "/48/", date(2020, 7, 30), date(2020, 7, 31), "KR", date(2020, 2, 25), None, 14, False),
    (
        "ongoing area, visit up to today",
        DA_NANG,
        date(2020, 8, 5),
        date(2020, 8, 5),
        DA_NANG,
        date(2020, 7, 25),
        None,
        14,
        True,
    ),
    (
        "a visit after the day judged",
        DA_NANG,
        date(2020, 8, 6),
        date(2020, 8, 7),
        DA_NANG,
        date(2020, 7, 25),
        None,
        14,
        False,
    ),
    (
        "a long stay reaching into the window",
        DA_NANG,
        date(2020, 6, 1),
        date(2020, 7, 28),
        DA_NANG,
        date(2020, 7, 25),
        None,
        14,
        True,
    ),
    (
        "area that ended before the window",
        DA_NANG,
        date(2020, 7, 1),
        date(2020, 7, 10),
        DA_NANG,
        date(2020, 7, 1),
        date(2020, 7, 10),
        14,
        False,
    ),
    (
        "tree-prefixed paths",
        "2021:/48/492/",
        date(2020, 7, 30),
        date(2020, 7, 30),
        "2021:/48/",
        date(2020, 7, 25),
        None,
        14,
        True,
    ),
    (
        "other tree",
        "2025:/48/492/",
        date(2020, 7, 30),
        date(2020, 7, 30),
        "2021:/48/",
        date(2020, 7, 25),
        None,
        14,
        False,
    ),
]


@pytest.mark.parametrize(
    ("place", "start", "end", "area_place", "area_start", "area_end", "look_back", "expected"),
    [c[1:] for c in CASES],
    ids=[c[0] for c in CASES],
)
def test_exposure_rule_edges_M5(
    place: str,
    start: date,
    end: date,
    area_place: str,
    area_start: date,
    area_end: date | None,
    look_back: int,
    expected: bool,
) -> None:
    found = exposures(
        [Visit(place, start, end)], [_area(area_place, area_start, area_end)], on=ON, look_back_days=look_back
    )
    assert bool(found) is expected


def test_exposure_reason_is_vietnamese_with_dates_and_source_M5() -> None:
    visit = Visit(THACH_THANG, date(2020, 7, 26), date(2020, 7, 26), place_name="Phường Thạch Thang")
    area = AreaSpan(
        area_id=7, place=DA_NANG, start=date(2020, 7, 25), name="Thành phố Đà Nẵng", source="Thông báo 257/TB-VPCP"
    )
    (exp,) = exposures([visit], [area], on=ON, look_back_days=14)
    assert exp.area_id == 7
    assert exp.reason == (
        "Đến Phường Thạch Thang ngày 26/07/2020, Thành phố Đà Nẵng là vùng dịch từ 25/07/2020 (Thông báo 257/TB-VPCP)"
    )
    (exp,) = exposures(
        [Visit(DA_NANG, date(2020, 7, 20), date(2020, 7, 27))],
        [_area(DA_NANG, date(2020, 7, 25))],
        on=ON,
        look_back_days=14,
    )
    assert exp.reason == "Đến Thành phố Đà Nẵng từ 20/07/2020 đến 27/07/2020, vùng dịch từ 25/07/2020 (257/TB-VPCP)"
    assert (exp.from_date, exp.to_date) == (date(2020, 7, 25), date(2020, 7, 27))


def test_place_within_M5() -> None:
    assert place_within("/48/492/", "/48/")
    assert place_within("cn", "CN")
    assert not place_within("/48/", "/48")  # an area path must be a whole path
    with pytest.raises(ValueError):
        exposures([], [], on=ON, look_back_days=-1)


# --- Properties ------------------------------------------------------------------------------

PLACES = ["/48/", "/48/492/", "/48/492/20224/", "/48/490/", "/01/", "KR", "CN"]
BASE = date(2020, 6, 1)
days = st.integers(min_value=0, max_value=90)


@st.composite
def visits(draw: st.DrawFn) -> Visit:
    start = draw(days)
    return Visit(
        draw(st.sampled_from(PLACES)), BASE + timedelta(start), BASE + timedelta(start + draw(st.integers(0, 10)))
    )


@st.composite
def areas(draw: st.DrawFn) -> AreaSpan:
    start = draw(days)
    end = draw(st.one_of(st.none(), st.integers(0, 40)))
    return AreaSpan(
        area_id=draw(st.integers(0, 1_000_000)),
        place=draw(st.sampled_from(PLACES)),
        start=BASE + timedelta(start),
        end=None if end is None else BASE + timedelta(start + end),
    )


def _keys(found: list) -> set:  # type: ignore[type-arg]
    return {(e.area_id, e.visit) for e in found}


@given(st.lists(visits(), max_size=6), st.lists(areas(), max_size=5), days, st.integers(0, 30), st.integers(0, 30))
def test_widening_the_window_never_removes_an_exposure_M5(
    vs: list[Visit], ars: list[AreaSpan], on: int, look_back: int, extra: int
) -> None:
    day = BASE + timedelta(on)
    narrow = _keys(exposures(vs, ars, on=day, look_back_days=look_back))
    wide = _keys(exposures(vs, ars, on=day, look_back_days=look_back + extra))
    assert narrow <= wide


@given(st.lists(visits(), max_size=6), st.lists(areas(), max_size=5), areas(), days, st.integers(0, 30))
def test_adding_an_area_never_removes_an_exposure_M5(
    vs: list[Visit], ars: list[AreaSpan], new: AreaSpan, on: int, look_back: int
) -> None:
    day = BASE + timedelta(on)
    before = _keys(exposures(vs, ars, on=day, look_back_days=look_back))
    after = _keys(exposures(vs, [*ars, new], on=day, look_back_days=look_back))
    assert before <= after
