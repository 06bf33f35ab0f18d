"""Which unit answers for a tip (G4): a pure rule over the kind and the chain of units above the place.

Local matters (a suspected case, a breach of the rules) go to the commune, which has the health station
and the commune police at hand. Matters the directives give to district-level agencies — illegal entry
(the police, seed 002 §2.4), price gouging and counterfeit supplies (market management, §2.10), false
information (culture and information, §2.6) — go to the district. Where the tree has no district level
(the two-tier tree since 07/2025), the commune answers.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Protocol, TypeVar

from phongdich.geo.models import Level

from .models import TipKind

ROUTING_LEVEL: dict[str, int] = {
    TipKind.SUSPECTED_CASE: Level.COMMUNE,
    TipKind.VIOLATION: Level.COMMUNE,
    TipKind.OTHER: Level.COMMUNE,
    TipKind.ILLEGAL_ENTRY: Level.DISTRICT,
    TipKind.PRICE_GOUGING: Level.DISTRICT,
    TipKind.FALSE_INFORMATION: Level.DISTRICT,
}


class HasLevel(Protocol):
    @property
    def level(self) -> int: ...


U = TypeVar("U", bound=HasLevel)


def routing_target(kind: str, chain: Sequence[U]) -> U:
    """The responsible unit for a tip of ``kind`` whose place has the units ``chain`` (the commune first,
    then each unit above it). The unit at the kind's level; none at that level: the first unit of the chain."""
    if not chain:
        raise ValueError("a tip needs a place")
    level = ROUTING_LEVEL.get(kind, Level.COMMUNE)
    for unit in chain:
        if unit.level == level:
            return unit
    return chain[0]
