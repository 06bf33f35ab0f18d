"""factory_boy factories for people and staff memberships; rows are made through the services
(``person_create(actor=None, force=True)``, ``membership_create(actor=None)``), so every rule and
audit line of the real code applies to test data too."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

import factory

from phongdich.geo.models import Unit
from phongdich.orgs.models import Organisation, OrganisationKind
from phongdich.orgs.tests.factories import OrganisationFactory, UnitFactory
from phongdich.people.models import Person, StaffCategory, StaffMembership
from phongdich.people.services import person_create
from phongdich.people.staff_services import membership_create
from phongdich.people.validators import cccd_make

_FAMILY = ("Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Vũ", "Đặng", "Bùi", "Đỗ", "Ngô")
_GIVEN = ("An", "Bình", "Cường", "Dũng", "Giang", "Hà", "Khánh", "Linh", "Minh", "Nam", "Phúc", "Quân")


class PersonFactory(factory.django.DjangoModelFactory):
    """A person in the registry; ``PersonFactory(with_cccd=True)`` gives them a valid CCCD."""

    class Meta:
        model = Person

    full_name = factory.Sequence(lambda n: f"{_FAMILY[n % 10]} Văn {_GIVEN[n % 12]} {n}")
    birth_year = 1980
    sex = "M"
    residence_unit = factory.SubFactory(UnitFactory)

    class Params:
        with_cccd = factory.Trait(
            cccd=factory.LazyAttributeSequence(
                lambda o, n: cccd_make(
                    province_code="19", sex=o.sex, birth_year=o.birth_year, serial=f"{900000 + n:06d}"
                )
            )
        )

    @classmethod
    def _create(cls, model_class: type[Person], *args: Any, **kwargs: Any) -> Person:
        result = person_create(actor=None, force=True, **kwargs)
        assert result.person is not None, result
        return result.person


class StaffMembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = StaffMembership

    person = factory.SubFactory(PersonFactory)
    organisation = factory.SubFactory(OrganisationFactory)
    position = "Chuyên viên"
    category = StaffCategory.CIVIL_SERVANT
    start_date = date(2020, 1, 1)

    @classmethod
    def _create(cls, model_class: type[StaffMembership], *args: Any, **kwargs: Any) -> StaffMembership:
        return membership_create(actor=None, **kwargs)


# --- A scenario: a three-level organisation tree with its management chain ------------------------


@dataclass
class StaffTree:
    """Công ty (director) ⊃ Phân xưởng (workshop head) ⊃ Tổ may (team head ← deputy ← worker, peer).

    The workshop head has no manager recorded: the chain reaches the director as the head of the
    parent organisation. ``outsider`` heads an unrelated organisation in the same commune.
    """

    company: Organisation
    workshop: Organisation
    team: Organisation
    other: Organisation
    director: StaffMembership
    workshop_head: StaffMembership
    team_head: StaffMembership
    deputy: StaffMembership
    worker: StaffMembership
    peer: StaffMembership
    outsider: StaffMembership

    def by_key(self, key: str) -> StaffMembership:
        return getattr(self, key)  # type: ignore[no-any-return]


def build_staff_tree(*, company: Organisation, unit: Unit) -> StaffTree:
    """Build the tree under ``company`` (e.g. the cast's enterprise); people live in ``unit`` and work there."""
    workshop = OrganisationFactory(
        name="Phân xưởng may", kind=OrganisationKind.ENTERPRISE, unit=company.unit, parent=company
    )
    team = OrganisationFactory(name="Tổ may số 1", kind=OrganisationKind.ENTERPRISE, unit=company.unit, parent=workshop)
    other = OrganisationFactory(name="Công ty Khác", kind=OrganisationKind.ENTERPRISE, unit=company.unit)

    def member(name: str, org: Organisation, position: str, **extra: Any) -> StaffMembership:
        person = PersonFactory(full_name=name, residence_unit=unit, organisation=org, with_cccd=True)
        return StaffMembershipFactory(person=person, organisation=org, position=position, **extra)

    director = member("Trần Văn Giám", company, "Giám đốc", is_head=True)
    workshop_head = member("Lê Văn Xưởng", workshop, "Quản đốc", is_head=True)
    team_head = member("Phạm Thị Tổ", team, "Tổ trưởng", is_head=True, manager=workshop_head)
    deputy = member("Vũ Văn Phó", team, "Tổ phó", manager=team_head)
    worker = member("Đỗ Thị Công", team, "Công nhân", manager=deputy, category=StaffCategory.WORKER)
    peer = member("Ngô Văn Bạn", team, "Công nhân", manager=deputy, category=StaffCategory.WORKER)
    outsider = member("Bùi Văn Ngoài", other, "Giám đốc", is_head=True)
    return StaffTree(company, workshop, team, other, director, workshop_head, team_head, deputy, worker, peer, outsider)
