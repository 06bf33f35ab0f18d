"""The pure rules, table-driven: the cap on a gathering from the zone's measures, the epidemic level or the
dated cap rows (G1), whether an event needs the commune's approval (G1), and who may inspect whom (G2)."""

from __future__ import annotations

from datetime import date

import pytest

from phongdich.enforcement.rules import (
    HOUSEHOLD,
    CapRow,
    Place,
    SourcedRules,
    may_inspect,
    needs_approval,
    resolve_cap,
)
from phongdich.geo.models import Level
from phongdich.zones.measures import MeasureRules

CT15 = SourcedRules(MeasureRules(indoor_gathering_cap=20, outdoor_gathering_cap=9, events_stopped=True), "CT15")
CT16 = SourcedRules(MeasureRules(indoor_gathering_cap=2, outdoor_gathering_cap=2, events_stopped=True), "CT16")
LEVEL1 = SourcedRules(MeasureRules(uncertain=frozenset({"indoor_gathering_cap"})), "L1")  # names no number
LEVEL2 = SourcedRules(
    MeasureRules(indoor_gathering_cap=50, outdoor_gathering_cap=100, uncertain=frozenset({"indoor_gathering_cap"})),
    "L2",
)
LEVEL3 = SourcedRules(MeasureRules(indoor_gathering_cap=20, outdoor_gathering_cap=30, events_stopped=True), "L3")
FALLBACK = (
    CapRow("wedding", 50, date(2020, 3, 21), None, "21/03/2020"),
    CapRow("funeral", 50, date(2020, 3, 21), None, "21/03/2020"),
    CapRow("wedding", 30, date(2021, 5, 1), date(2021, 5, 31), "tháng 5/2021", uncertain=True),
)
DAY = date(2021, 11, 10)


@pytest.mark.parametrize(
    ("kind", "on", "indoors", "zones", "level", "expected"),
    [
        # Nothing in force but the 21/03/2020 rule: weddings and funerals ≤ 50, other events no cap.
        ("wedding", DAY, True, (), None, (50, "21/03/2020", False)),
        ("funeral", DAY, False, (), None, (50, "21/03/2020", False)),
        ("other", DAY, True, (), None, (None, "", False)),
        # Before 21/03/2020 nothing applies.
        ("wedding", date(2020, 3, 20), True, (), None, (None, "", False)),
        # A later dated row wins while in force, then the older one again.
        ("wedding", date(2021, 5, 15), True, (), None, (30, "tháng 5/2021", True)),
        ("wedding", date(2021, 6, 1), True, (), None, (50, "21/03/2020", False)),
        # The level's measure set, indoors or out, with its uncertainty.
        ("wedding", DAY, True, (), LEVEL2, (50, "L2", True)),
        ("wedding", DAY, False, (), LEVEL2, (100, "L2", False)),
        ("funeral", DAY, True, (), LEVEL3, (20, "L3", False)),
        # Level 1 names no number: the dated rule applies.
        ("wedding", DAY, True, (), LEVEL1, (50, "21/03/2020", False)),
        ("other", DAY, True, (), LEVEL1, (None, "", False)),
        # Events stopped: a crowded event (not a wedding or funeral) has a cap of 0.
        ("other", DAY, True, (), LEVEL3, (0, "L3", False)),
        # A control zone over the place wins over the level; the strictest zone wins.
        ("wedding", DAY, True, (CT15,), LEVEL2, (20, "CT15", False)),
        ("wedding", DAY, False, (CT15,), LEVEL2, (9, "CT15", False)),
        ("wedding", DAY, True, (CT15, CT16), LEVEL2, (2, "CT16", False)),
        ("other", DAY, True, (CT15,), None, (0, "CT15", False)),
        # A zone that names no number gives way to the level.
        ("wedding", DAY, True, (LEVEL1,), LEVEL3, (20, "L3", False)),
    ],
)
def test_g1_cap_table_G1(
    kind: str, on: date, indoors: bool, zones: tuple[SourcedRules, ...], level: SourcedRules | None, expected: tuple
) -> None:
    decision = resolve_cap(kind=kind, on=on, indoors=indoors, zones=zones, level=level, fallback=FALLBACK)
    assert (decision.cap, decision.source, decision.uncertain) == expected


@pytest.mark.parametrize(
    ("expected_attendance", "cap", "needed"),
    [(50, 50, False), (51, 50, True), (1, 0, True), (3, 2, True), (2, 2, False), (500, None, False)],
)
def test_g1_approval_needed_over_the_cap_only_G1(expected_attendance: int, cap: int | None, needed: bool) -> None:
    assert needs_approval(expected_attendance, cap) is needed


PROVINCE = Place(Level.PROVINCE, "/19/", "2021")
CITY = Place(Level.DISTRICT, "/19/164/", "2021")
PHO_YEN = Place(Level.DISTRICT, "/19/172/", "2021")
QUAN_TRIEU = Place(Level.COMMUNE, "/19/164/05431/", "2021")
DAC_SON = Place(Level.COMMUNE, "/19/172/05857/", "2021")
XOM1 = Place(Level.HAMLET, "/19/164/05431/05431-01/", "2021")
XOM1_HOUSEHOLD = Place(HOUSEHOLD, "/19/164/05431/05431-01/", "2021")
OTHER_HOUSEHOLD = Place(HOUSEHOLD, "/19/172/05857/05857-01/", "2021")
CITY_2025 = Place(Level.DISTRICT, "/19/164/", "2025")


@pytest.mark.parametrize(
    ("inspector", "target", "allowed"),
    [
        (PROVINCE, CITY, True),  # province → district
        (CITY, QUAN_TRIEU, True),  # district → its commune
        (QUAN_TRIEU, XOM1, True),  # commune → its hamlet
        (XOM1, XOM1_HOUSEHOLD, True),  # hamlet → its household
        (PROVINCE, QUAN_TRIEU, False),  # a level skipped
        (CITY, XOM1, False),
        (QUAN_TRIEU, XOM1_HOUSEHOLD, False),  # a commune does not inspect households directly
        (CITY, PROVINCE, False),  # upwards
        (XOM1, QUAN_TRIEU, False),
        (CITY, PHO_YEN, False),  # a peer
        (CITY, CITY, False),  # itself
        (PHO_YEN, QUAN_TRIEU, False),  # another district's commune
        (QUAN_TRIEU, DAC_SON, False),
        (XOM1, OTHER_HOUSEHOLD, False),  # another hamlet's household
        (PROVINCE, CITY_2025, False),  # another tree
        (XOM1_HOUSEHOLD, XOM1_HOUSEHOLD, False),  # a household inspects nobody
    ],
)
def test_g2_who_may_inspect_whom_G2(inspector: Place, target: Place, allowed: bool) -> None:
    assert may_inspect(inspector, target) is allowed
