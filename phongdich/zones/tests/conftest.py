"""Zones fixtures: part of Đà Nẵng (another province, as load_units would bring it) and two residents."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import pytest


@dataclass
class DaNang:
    city: Any  # Thành phố Đà Nẵng (province level, GSO 48)
    hai_chau: Any  # Quận Hải Châu
    thach_thang: Any  # Phường Thạch Thang
    son_tra: Any  # Quận Sơn Trà


@pytest.fixture
def da_nang(db: Any) -> DaNang:
    from phongdich.geo.models import Level, UnitType
    from phongdich.geo.services import unit_create

    city = unit_create(
        tree="2021", code="48", name="Thành phố Đà Nẵng", level=Level.PROVINCE, unit_type=UnitType.THANH_PHO_TRUNG_UONG
    )
    hai_chau = unit_create(
        tree="2021", code="492", name="Quận Hải Châu", level=Level.DISTRICT, unit_type=UnitType.QUAN, parent=city
    )
    thach_thang = unit_create(
        tree="2021",
        code="20224",
        name="Phường Thạch Thang",
        level=Level.COMMUNE,
        unit_type=UnitType.PHUONG,
        parent=hai_chau,
    )
    son_tra = unit_create(
        tree="2021", code="493", name="Quận Sơn Trà", level=Level.DISTRICT, unit_type=UnitType.QUAN, parent=city
    )
    return DaNang(city, hai_chau, thach_thang, son_tra)


@dataclass
class Residents:
    an: Any  # lives in Quán Triều (cuong's commune)
    binh: Any  # lives in Quang Vinh (chi's commune)


@pytest.fixture
def residents(tree: Any) -> Residents:
    from phongdich.people.services import person_create

    def person(name: str, unit: Any, sex: str, cccd: str) -> Any:
        result = person_create(
            actor=None, force=True, full_name=name, birth_year=1990, sex=sex, residence_unit=unit, cccd=cccd
        )
        return result.person

    return Residents(
        an=person("Nguyễn Văn An", tree.quan_trieu, "M", "019090000001"),
        binh=person("Trần Thị Bình", tree.quang_vinh, "F", "019190000002"),
    )
