"""The routing rule of tips (G4): a pure function of the kind and the units above the place, table-tested."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import pytest

from phongdich.geo.models import Level
from phongdich.hotlines.models import TipKind
from phongdich.hotlines.routing import ROUTING_LEVEL, routing_target
from phongdich.hotlines.services import route_tip


@dataclass(frozen=True)
class U:
    name: str
    level: int


COMMUNE, DISTRICT, PROVINCE = U("xã", Level.COMMUNE), U("huyện", Level.DISTRICT), U("tỉnh", Level.PROVINCE)
THREE_TIER = [COMMUNE, DISTRICT, PROVINCE]
TWO_TIER = [COMMUNE, PROVINCE]  # the tree in force since 07/2025 has no district level


@pytest.mark.parametrize(
    ("kind", "chain", "expected"),
    [
        (TipKind.SUSPECTED_CASE, THREE_TIER, COMMUNE),
        (TipKind.VIOLATION, THREE_TIER, COMMUNE),
        (TipKind.OTHER, THREE_TIER, COMMUNE),
        (TipKind.ILLEGAL_ENTRY, THREE_TIER, DISTRICT),
        (TipKind.PRICE_GOUGING, THREE_TIER, DISTRICT),
        (TipKind.FALSE_INFORMATION, THREE_TIER, DISTRICT),
        (TipKind.ILLEGAL_ENTRY, TWO_TIER, COMMUNE),
        (TipKind.FALSE_INFORMATION, TWO_TIER, COMMUNE),
        (TipKind.SUSPECTED_CASE, TWO_TIER, COMMUNE),
        ("unknown", THREE_TIER, COMMUNE),
    ],
)
def test_routing_table_G4(kind: str, chain: list[U], expected: U) -> None:
    assert routing_target(kind, chain) == expected


def test_every_kind_has_a_routing_level_G4() -> None:
    assert set(ROUTING_LEVEL) == set(TipKind.values)


def test_a_tip_needs_a_place_G4() -> None:
    with pytest.raises(ValueError, match="place"):
        routing_target(TipKind.OTHER, [])


@pytest.mark.django_db
def test_route_tip_over_the_real_tree_G4(tree: Any) -> None:
    assert route_tip(kind=TipKind.SUSPECTED_CASE, commune=tree.quan_trieu) == tree.quan_trieu
    assert route_tip(kind=TipKind.ILLEGAL_ENTRY, commune=tree.quan_trieu) == tree.city
    assert route_tip(kind=TipKind.PRICE_GOUGING, commune=tree.dac_son) == tree.pho_yen
