"""The exposure rule (M5), pure: no database, no clock. Other apps call it with what they hold.

A *place* is either a country (ISO 3166-1 alpha-2, e.g. ``"CN"``) or an administrative unit given
by its materialised path (``"/48/490/20194/"``, optionally prefixed by its tree: ``"2021:/48/490/"``).
A visit matches an area when its place is the area or lies inside it (path prefix: a commune lies
inside its district and province), the visit's dates overlap the area's epidemic span, and that
overlap falls within the look-back window of ``look_back_days`` days ending on ``on``.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from django.utils.translation import gettext as _


@dataclass(frozen=True)
class Visit:
    place: str
    from_date: date
    to_date: date
    place_name: str = ""
    source: str = ""


@dataclass(frozen=True)
class AreaSpan:
    area_id: Any
    place: str
    start: date
    end: date | None = None
    name: str = ""
    source: str = ""


@dataclass(frozen=True)
class Exposure:
    area_id: Any
    visit: Visit
    from_date: date  # the first day of the visit that counts
    to_date: date  # the last day of the visit that counts
    reason: str


def is_unit_place(place: str) -> bool:
    return "/" in place


def place_within(place: str, area_place: str) -> bool:
    """``place`` is ``area_place`` or lies inside it."""
    if is_unit_place(place) != is_unit_place(area_place):
        return False
    if is_unit_place(place):
        return area_place.endswith("/") and place.startswith(area_place)
    return place.upper() == area_place.upper()


def _d(day: date) -> str:
    return day.strftime("%d/%m/%Y")


def _reason(visit: Visit, area: AreaSpan) -> str:
    name = visit.place_name or area.name or visit.place
    if visit.from_date == visit.to_date:
        went = _("Đến %(place)s ngày %(day)s") % {"place": name, "day": _d(visit.from_date)}
    else:
        went = _("Đến %(place)s từ %(start)s đến %(end)s") % {
            "place": name,
            "start": _d(visit.from_date),
            "end": _d(visit.to_date),
        }
    if area.name and area.name != name:
        span = _("%(area)s là vùng dịch từ %(start)s") % {"area": area.name, "start": _d(area.start)}
    else:
        span = _("vùng dịch từ %(start)s") % {"start": _d(area.start)}
    if area.end is not None:
        span += " " + _("đến %(end)s") % {"end": _d(area.end)}
    text = f"{went}, {span}"
    if area.source:
        text += f" ({area.source})"
    return text


def exposures(visits: Iterable[Visit], areas: Iterable[AreaSpan], *, on: date, look_back_days: int) -> list[Exposure]:
    """Every (visit, area) pair where the visit put the person in the area while it was epidemic,
    within ``look_back_days`` days up to and including ``on`` (the window is ``on - look_back_days``
    to ``on``: with 14 days, a visit 14 days ago counts and one 15 days ago does not)."""
    if look_back_days < 0:
        raise ValueError("look_back_days must not be negative")
    window_start = on - timedelta(days=look_back_days)
    area_list = list(areas)
    found: list[Exposure] = []
    for visit in visits:
        for area in area_list:
            if not place_within(visit.place, area.place):
                continue
            start = max(visit.from_date, area.start, window_start)
            end = min(visit.to_date, area.end or on, on)
            if start <= end:
                found.append(
                    Exposure(
                        area_id=area.area_id, visit=visit, from_date=start, to_date=end, reason=_reason(visit, area)
                    )
                )
    return found
