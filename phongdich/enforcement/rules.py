"""Pure rules of enforcement: the cap on a gathering (G1) and who may inspect whom (G2).

``resolve_cap`` answers from plain data only (the measure rules of the control zones in force over the place,
the measure rules of the epidemic level in force, the dated cap rows), so it is table-tested without a
database; ``selectors.cap_for`` gathers that data for a place and a day.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from phongdich.geo.models import Level
from phongdich.zones.measures import MeasureRules, gathering_cap

HOUSEHOLD = 5  # the level below a hamlet: a household (not a unit)

KIND_OTHER = "other"


@dataclass(frozen=True)
class CapRow:
    """A dated cap on a kind of gathering (``CapRule`` as plain data)."""

    kind: str
    cap: int
    effective_from: date
    effective_to: date | None
    source: str
    uncertain: bool = False

    def in_force(self, on: date) -> bool:
        return self.effective_from <= on and (self.effective_to is None or on <= self.effective_to)


@dataclass(frozen=True)
class SourcedRules:
    """A measure set's rules with its name (to say where a cap comes from)."""

    rules: MeasureRules
    source: str


@dataclass(frozen=True)
class CapDecision:
    cap: int | None  # None: nothing names a number
    source: str
    uncertain: bool = False


def _cap_from(rules: MeasureRules, *, kind: str, indoors: bool) -> tuple[int | None, bool]:
    """The cap a measure set puts on a gathering of ``kind``: crowded events (not weddings or funerals,
    which the directives keep family-only and small) stop entirely when the set stops events."""
    if kind == KIND_OTHER and rules.events_stopped:
        return 0, "events_stopped" in rules.uncertain
    field = "indoor_gathering_cap" if indoors else "outdoor_gathering_cap"
    return gathering_cap(rules, indoors=indoors), field in rules.uncertain


def resolve_cap(
    *,
    kind: str,
    on: date,
    indoors: bool = True,
    zones: Sequence[SourcedRules] = (),
    level: SourcedRules | None = None,
    fallback: Sequence[CapRow] = (),
) -> CapDecision:
    """The cap on a gathering of ``kind`` on ``on``: the strictest cap of the control zones in force over the
    place; else the cap of the measure set of the epidemic level in force; else the latest dated cap row of
    that kind in force on the day; else no cap. A source that names no number gives way to the next."""
    zone_caps: list[tuple[int, bool, str]] = []
    for zone in zones:
        zone_cap, zone_uncertain = _cap_from(zone.rules, kind=kind, indoors=indoors)
        if zone_cap is not None:
            zone_caps.append((zone_cap, zone_uncertain, zone.source))
    if zone_caps:
        strictest = min(zone_caps, key=lambda c: c[0])
        return CapDecision(strictest[0], strictest[2], strictest[1])
    if level is not None:
        cap, uncertain = _cap_from(level.rules, kind=kind, indoors=indoors)
        if cap is not None:
            return CapDecision(cap, level.source, uncertain)
    rows = sorted((r for r in fallback if r.kind == kind and r.in_force(on)), key=lambda r: r.effective_from)
    if rows:
        row = rows[-1]
        return CapDecision(row.cap, row.source, row.uncertain)
    return CapDecision(None, "", False)


def needs_approval(expected_attendance: int, cap: int | None) -> bool:
    """An event over the cap needs the commune's approval; with no cap, none does."""
    return cap is not None and expected_attendance > cap


# --- Who may inspect whom (G2) ------------------------------------------------------------------------


@dataclass(frozen=True)
class Place:
    """A unit (level, tree, materialised path) or a household (level ``HOUSEHOLD``, the path of its hamlet)."""

    level: int
    path: str
    tree: str = ""


def may_inspect(inspector: Place, target: Place) -> bool:
    """Top-down, one step (seed 004 §2): the province inspects its districts, a district its communes, a
    commune its hamlets, a hamlet its households — never a peer, a level above, a level skipped, or a unit
    outside its own territory."""
    if inspector.level not in (Level.PROVINCE, Level.DISTRICT, Level.COMMUNE, Level.HAMLET):
        return False
    if target.level != inspector.level + 1:
        return False
    if inspector.tree != target.tree:
        return False
    if target.level == HOUSEHOLD:
        return target.path == inspector.path
    return target.path.startswith(inspector.path) and target.path != inspector.path
