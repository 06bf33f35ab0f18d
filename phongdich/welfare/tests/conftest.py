"""Shared pieces of the welfare tests: more hamlets of the test tree, the Fatherland Front bodies."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import pytest

from phongdich.geo.models import Level, UnitType
from phongdich.geo.services import unit_create
from phongdich.orgs.models import OrganisationKind
from phongdich.orgs.services import organisation_create


@dataclass
class Hamlets:
    qt1: Any  # Tổ dân phố 1 of Quán Triều (the tree's own)
    qt2: Any
    qt3: Any
    qv1: Any  # a hamlet of Quang Vinh


@pytest.fixture
def hamlets(tree: Any) -> Hamlets:
    def hamlet(parent: Any, code: str, name: str) -> Any:
        return unit_create(
            tree="2021", code=code, name=name, level=Level.HAMLET, unit_type=UnitType.TO_DAN_PHO, parent=parent
        )

    return Hamlets(
        qt1=tree.xom1,
        qt2=hamlet(tree.quan_trieu, "05431-02", "Tổ dân phố 2"),
        qt3=hamlet(tree.quan_trieu, "05431-03", "Tổ dân phố 3"),
        qv1=hamlet(tree.quang_vinh, "05434-01", "Tổ dân phố Quang Vinh 1"),
    )


@dataclass
class Front:
    quan_trieu: Any
    quang_vinh: Any
    city: Any


@pytest.fixture
def front(tree: Any) -> Front:
    def body(unit: Any, name: str) -> Any:
        return organisation_create(name=name, kind=OrganisationKind.FATHERLAND_FRONT, unit=unit)

    return Front(
        quan_trieu=body(tree.quan_trieu, "Ủy ban MTTQ phường Quán Triều"),
        quang_vinh=body(tree.quang_vinh, "Ủy ban MTTQ phường Quang Vinh"),
        city=body(tree.city, "Ủy ban MTTQ thành phố Thái Nguyên"),
    )
