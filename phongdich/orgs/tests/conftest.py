from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import pytest

from phongdich.orgs.models import Organisation, OrganisationKind, Sector
from phongdich.orgs.services import organisation_create


@dataclass
class World:
    """Organisations at every level of the test province (see the root conftest's tree)."""

    dept: Organisation  # Sở Y tế, province
    city_health: Organisation  # under the department, in the city
    qt_school: Organisation  # Quán Triều
    qv_committee: Organisation  # Quang Vinh
    hamlet_coop: Organisation  # Tổ dân phố 1 of Quán Triều
    enterprise: Organisation  # Đắc Sơn (the cast's)
    workshop: Organisation  # under the enterprise

    def by_key(self, key: str) -> Organisation:
        return getattr(self, key)  # type: ignore[no-any-return]


@pytest.fixture
def world(cast: Any, tree: Any) -> World:
    dept = organisation_create(
        name="Sở Y tế tỉnh Thái Nguyên",
        short_name="SYT",
        kind=OrganisationKind.DEPARTMENT,
        sector=Sector.HEALTH,
        unit=tree.province,
    )
    return World(
        dept=dept,
        city_health=organisation_create(
            name="Trung tâm Y tế thành phố Thái Nguyên",
            kind=OrganisationKind.HEALTH_AGENCY,
            sector=Sector.HEALTH,
            unit=tree.city,
            parent=dept,
        ),
        qt_school=organisation_create(
            name="Trường THCS Quán Triều", kind=OrganisationKind.SCHOOL, sector=Sector.EDUCATION, unit=tree.quan_trieu
        ),
        qv_committee=organisation_create(
            name="UBND phường Quang Vinh", kind=OrganisationKind.PEOPLES_COMMITTEE, unit=tree.quang_vinh
        ),
        hamlet_coop=organisation_create(
            name="Hợp tác xã Đoàn Kết", kind=OrganisationKind.ENTERPRISE, sector=Sector.ECONOMY, unit=tree.xom1
        ),
        enterprise=cast.enterprise,
        workshop=organisation_create(
            name="Phân xưởng may số 1", kind=OrganisationKind.ENTERPRISE, unit=tree.dac_son, parent=cast.enterprise
        ),
    )


# Who sees which organisation (D4): the expected scope of every persona.
VISIBLE = {
    "alice": {"dept", "city_health", "qt_school", "qv_committee", "hamlet_coop", "enterprise", "workshop"},
    "dan": {"city_health", "qt_school", "qv_committee", "hamlet_coop"},
    "cuong": {"qt_school", "hamlet_coop"},
    "chi": {"qv_committee"},
    "hoa": {"hamlet_coop"},
    "oanh": {"enterprise", "workshop"},
}
ALL_ORGS = sorted(VISIBLE["alice"])
PERSONAS = sorted(VISIBLE)
