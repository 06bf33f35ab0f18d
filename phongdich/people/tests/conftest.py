"""People fixtures: residents of Quán Triều, Quang Vinh and Tổ dân phố 1, staff of the cast's enterprise.

Who sees whom (D4):

=========  =====================================================================
alice      everyone (province)
dan        an, dao, lan, kim (Quán Triều, Tổ 1), binh, dung (Quang Vinh) — the city
cuong      an, dao, lan, kim (Quán Triều and its Tổ dân phố 1)
chi        binh, dung (Quang Vinh)
hoa        lan (Tổ dân phố 1)
oanh       dung, em (staff of Công ty TNHH Mẫu; em lives in Đắc Sơn, outside the city)
=========  =====================================================================
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

import pytest

from phongdich.people.models import Person
from phongdich.people.services import person_create
from phongdich.people.validators import cccd_make


@dataclass
class People:
    an: Person  # Nguyễn Văn An, Quán Triều
    dao: Person  # Trần Thị Đào, Quán Triều
    lan: Person  # Phạm Thị Lan, Tổ dân phố 1 (a hamlet of Quán Triều)
    kim: Person  # Kim Min Jun, Korean, Quán Triều
    binh: Person  # Lê Văn Bình, Quang Vinh
    dung: Person  # Đỗ Đức Dũng, Quang Vinh, works at the enterprise
    em: Person  # Hoàng Văn Em, Đắc Sơn, works at the enterprise

    def all(self) -> list[Person]:
        return [self.an, self.dao, self.lan, self.kim, self.binh, self.dung, self.em]


VISIBLE = {
    "alice": {"an", "dao", "lan", "kim", "binh", "dung", "em"},
    "dan": {"an", "dao", "lan", "kim", "binh", "dung"},
    "cuong": {"an", "dao", "lan", "kim"},
    "chi": {"binh", "dung"},
    "hoa": {"lan"},
    "oanh": {"dung", "em"},
}
PERSONAS = tuple(VISIBLE)


def make_person(**fields: Any) -> Person:
    result = person_create(actor=None, **fields)
    assert result.person is not None, result
    return result.person


@pytest.fixture
def people(tree: Any, cast: Any) -> People:
    return People(
        an=make_person(
            full_name="Nguyễn Văn An",
            birth_date=date(1985, 3, 2),
            sex="M",
            cccd=cccd_make(province_code="19", sex="M", birth_year=1985, serial="000101"),
            phone="0912345678",
            residence_unit=tree.quan_trieu,
            address="Số 5, đường Dương Tự Minh",
        ),
        dao=make_person(
            full_name="Trần Thị Đào",
            birth_year=1990,
            sex="F",
            cccd=cccd_make(province_code="19", sex="F", birth_year=1990, serial="000202"),
            phone="0987654321",
            residence_unit=tree.quan_trieu,
        ),
        lan=make_person(full_name="Phạm Thị Lan", birth_year=2001, sex="F", residence_unit=tree.xom1),
        kim=make_person(
            full_name="Kim Min Jun",
            birth_year=1992,
            sex="M",
            nationality="KR",
            passport_no="M12345678",
            residence_unit=tree.quan_trieu,
            entry_date=date(2021, 5, 1),
            entry_point="Nội Bài",
            visa_purpose="Lao động",
        ),
        binh=make_person(full_name="Lê Văn Bình", birth_year=1970, sex="M", residence_unit=tree.quang_vinh),
        dung=make_person(
            full_name="Đỗ Đức Dũng",
            birth_year=1995,
            sex="M",
            phone="0367000111",
            residence_unit=tree.quang_vinh,
            organisation=cast.enterprise,
            occupation="Công nhân",
        ),
        em=make_person(
            full_name="Hoàng Văn Em",
            birth_year=1998,
            sex="M",
            residence_unit=tree.dac_son,
            organisation=cast.enterprise,
            occupation="Công nhân",
        ),
    )
