"""The gate colour of a person (M1): a pure function over the risk facts a selector gathers.

Each fact has a colour; the person's colour is the worst of their facts' colours, green with
none. So adding a fact never makes the colour greener (tested as a hypothesis property).

The table (issue #4, point 3):

===================================================  ======
fact                                                  colour
===================================================  ======
open case (suspected, probable, confirmed)            red
open quarantine episode, centralised or at home       red
open episode of post-quarantine monitoring or
self-isolation                                        yellow
active exposure flag (stayed in an epidemic area)     yellow
derived contact level F0 or F1                        red
derived contact level F2                              yellow
a test order due today or overdue (T1)                yellow
an adult (18 or over) with no vaccine dose (V1)       yellow
===================================================  ======

A test due and the lack of a dose only ask for care at the gate (yellow): the person is not a
known risk, but the directives want them tested or vaccinated first. One dose or more counts as
vaccinated here; under 18 nobody is asked for a dose (the eligibility age of Resolution 21/NQ-CP).
"""

from __future__ import annotations

import enum
from collections.abc import Iterable
from dataclasses import dataclass

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _


class Colour(enum.IntEnum):
    """Ordered from the least to the most restrictive."""

    GREEN = 0
    YELLOW = 1
    RED = 2

    @property
    def css(self) -> str:
        return self.name.lower()

    @property
    def label(self) -> Promise:
        return COLOUR_LABELS[self]

    @property
    def instruction(self) -> Promise:
        return INSTRUCTIONS[self]


COLOUR_LABELS: dict[Colour, Promise] = {
    Colour.GREEN: _("XANH"),
    Colour.YELLOW: _("VÀNG"),
    Colour.RED: _("ĐỎ"),
}

# Neutral words for the gate: what to do, never why.
INSTRUCTIONS: dict[Colour, Promise] = {
    Colour.GREEN: _("Mời vào. Thực hiện 5K."),
    Colour.YELLOW: _("Đo thân nhiệt, đeo khẩu trang, hạn chế tiếp xúc; mời liên hệ bộ phận y tế của cơ quan."),
    Colour.RED: _("Chưa vào. Mời chờ tại khu vực riêng và báo cán bộ y tế."),
}


class Risk(enum.StrEnum):
    OPEN_CASE = "open_case"
    QUARANTINE_STRICT = "quarantine_strict"  # centralised or home quarantine, open
    QUARANTINE_MONITORING = "quarantine_monitoring"  # post-quarantine monitoring or self-isolation, open
    EXPOSURE_FLAG = "exposure_flag"
    CONTACT_F0_F1 = "contact_f0_f1"
    CONTACT_F2 = "contact_f2"
    TEST_DUE = "test_due"
    UNVACCINATED_ADULT = "unvaccinated_adult"


RISK_COLOUR: dict[Risk, Colour] = {
    Risk.OPEN_CASE: Colour.RED,
    Risk.QUARANTINE_STRICT: Colour.RED,
    Risk.QUARANTINE_MONITORING: Colour.YELLOW,
    Risk.EXPOSURE_FLAG: Colour.YELLOW,
    Risk.CONTACT_F0_F1: Colour.RED,
    Risk.CONTACT_F2: Colour.YELLOW,
    Risk.TEST_DUE: Colour.YELLOW,
    Risk.UNVACCINATED_ADULT: Colour.YELLOW,
}


@dataclass(frozen=True)
class Facts:
    """What the selector found about one person (plain values, no model objects)."""

    open_case: bool = False
    quarantine_kind: str | None = None  # EpisodeKind value of the open episode
    exposure_flag: bool = False
    contact_level: int | None = None  # derived F-level (0 = F0, 1 = F1, 2 = F2 …)
    test_due: bool = False  # an open test order due on or before today
    unvaccinated_adult: bool = False  # 18 or over and no dose recorded


STRICT_QUARANTINE_KINDS = frozenset({"centralised", "home"})
MONITORING_KINDS = frozenset({"post_quarantine_monitoring", "self_isolation"})


def risks(facts: Facts) -> frozenset[Risk]:
    found: set[Risk] = set()
    if facts.open_case:
        found.add(Risk.OPEN_CASE)
    if facts.quarantine_kind in STRICT_QUARANTINE_KINDS:
        found.add(Risk.QUARANTINE_STRICT)
    elif facts.quarantine_kind in MONITORING_KINDS:
        found.add(Risk.QUARANTINE_MONITORING)
    if facts.exposure_flag:
        found.add(Risk.EXPOSURE_FLAG)
    if facts.contact_level is not None:
        if facts.contact_level <= 1:
            found.add(Risk.CONTACT_F0_F1)
        elif facts.contact_level == 2:
            found.add(Risk.CONTACT_F2)
    if facts.test_due:
        found.add(Risk.TEST_DUE)
    if facts.unvaccinated_adult:
        found.add(Risk.UNVACCINATED_ADULT)
    return frozenset(found)


def colour_of(found: Iterable[Risk]) -> Colour:
    """The worst colour of the facts; green when there is none."""
    return max((RISK_COLOUR[r] for r in found), default=Colour.GREEN)


def gate_colour(facts: Facts) -> Colour:
    return colour_of(risks(facts))
