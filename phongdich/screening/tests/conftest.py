"""Screening fixtures: an industrial park in Phổ Yên with two enterprises and their staff, built through the
services (organisation_create, membership_create via the people factories).

KCN Yên Bình (industrial park, Xã Đắc Sơn) ⊃ Công ty May A (10 staff, one more whose post ended) and
Công ty Điện tử B (5 staff, one of them also on A's staff). Công ty Ngoài KCN (3 staff) is outside the park.
``hung`` heads Công ty May A; ``oanh`` (the cast's head of Công ty TNHH Mẫu) has nothing to do with the park.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

import pytest

from phongdich.orgs.models import Organisation, OrganisationKind, Role
from phongdich.orgs.services import organisation_create, role_assign
from phongdich.people.models import Person
from phongdich.people.staff_services import membership_end
from phongdich.people.tests.factories import PersonFactory, StaffMembershipFactory


@dataclass
class Park:
    park: Organisation
    a: Organisation
    b: Organisation
    outside: Organisation
    a_staff: list[Person]
    b_staff: list[Person]
    shared: Person
    former: Person
    outside_staff: list[Person]
    hung: Any


@pytest.fixture
def park(cast: Any, tree: Any) -> Park:
    from phongdich.core.models import User

    kcn = organisation_create(name="KCN Yên Bình", kind=OrganisationKind.INDUSTRIAL_PARK, unit=tree.dac_son)
    a = organisation_create(name="Công ty May A", kind=OrganisationKind.ENTERPRISE, unit=tree.dac_son, parent=kcn)
    b = organisation_create(name="Công ty Điện tử B", kind=OrganisationKind.ENTERPRISE, unit=tree.dac_son, parent=kcn)
    outside = organisation_create(name="Công ty Ngoài KCN", kind=OrganisationKind.ENTERPRISE, unit=tree.dac_son)

    def staff(org: Organisation, n: int) -> list[Person]:
        people = []
        for _ in range(n):
            person = PersonFactory(residence_unit=tree.dac_son, organisation=org)
            StaffMembershipFactory(person=person, organisation=org, position="Công nhân")
            people.append(person)
        return people

    a_staff = staff(a, 10)
    b_staff = staff(b, 4)
    shared = a_staff[0]
    StaffMembershipFactory(person=shared, organisation=b, position="Kiêm nhiệm")
    former = PersonFactory(residence_unit=tree.dac_son)
    membership_end(
        actor=None,
        membership=StaffMembershipFactory(person=former, organisation=a, position="Công nhân"),
        end_date=date(2020, 6, 30),
    )
    outside_staff = staff(outside, 3)
    hung = User.objects.create_user(username="hung", password=cast.password, first_name="Hùng")
    role_assign(user=hung, role=Role.ORGANISATION_HEAD, organisation=a)
    return Park(kcn, a, b, outside, a_staff, b_staff, shared, former, outside_staff, hung)
