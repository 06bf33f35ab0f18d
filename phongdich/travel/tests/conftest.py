"""Fixtures of the travel tests: the staff tree of the cast's enterprise (people.tests.factories) with an account
for each member, a province outside Thái Nguyên declared epidemic, and an industrial park."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

import pytest
from django.utils import timezone

from phongdich.core.models import User
from phongdich.geo.models import Level, UnitType
from phongdich.geo.services import unit_create
from phongdich.people.models import Person
from phongdich.people.tests.factories import StaffTree, build_staff_tree
from phongdich.zones.models import PlaceKind
from phongdich.zones.services import area_declare

PASSWORD = "matkhau-thu-nghiem"
KEYS = ("director", "workshop_head", "team_head", "deputy", "worker", "peer", "outsider")


@dataclass
class Staff:
    tree: StaffTree
    users: dict[str, Any]
    hanoi: Any  # a province outside Thái Nguyên, epidemic for the last 60 days
    bac_kan: Any  # a province outside Thái Nguyên, not epidemic

    def user(self, key: str) -> Any:
        return self.users[key]


@pytest.fixture
def staff(tree: Any, cast: Any) -> Staff:
    staff_tree = build_staff_tree(company=cast.enterprise, unit=tree.quan_trieu)
    users = {}
    for i, key in enumerate(KEYS):
        membership = staff_tree.by_key(key)
        user = User.objects.create_user(username=key, password=PASSWORD, first_name=membership.person.full_name)
        Person.objects.filter(pk=membership.person_id).update(user=user, phone=f"09123456{i:02d}")
        membership.person.refresh_from_db()
        users[key] = user
    hanoi = unit_create(
        tree="2021", code="01", name="Thành phố Hà Nội", level=Level.PROVINCE, unit_type=UnitType.THANH_PHO_TRUNG_UONG
    )
    bac_kan = unit_create(tree="2021", code="06", name="Tỉnh Bắc Kạn", level=Level.PROVINCE, unit_type=UnitType.TINH)
    area_declare(
        actor=None,
        kind=PlaceKind.UNIT,
        unit=hanoi,
        start_date=timezone.localdate() - timedelta(days=60),
        source_number="01/TB-THU",
        source_issuer="Bộ Y tế",
    )
    return Staff(staff_tree, users, hanoi, bac_kan)


def last_saturday(before: date | None = None) -> date:
    """The latest Saturday strictly before ``before`` (today by default)."""
    day = (before or timezone.localdate()) - timedelta(days=1)
    while day.weekday() != 5:
        day -= timedelta(days=1)
    return day
