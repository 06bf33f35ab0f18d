"""factory_boy factories for units and organisations; rows are made through the services."""

from __future__ import annotations

from typing import Any

import factory

from phongdich.geo.models import Level, Unit, UnitType
from phongdich.geo.services import unit_create
from phongdich.orgs.models import Organisation, OrganisationKind
from phongdich.orgs.services import organisation_create


class UnitFactory(factory.django.DjangoModelFactory):
    """A unit (a province unless told otherwise: pass ``parent``, ``level`` and ``unit_type``)."""

    class Meta:
        model = Unit

    tree = "2021"
    code = factory.Sequence(lambda n: f"9{n:04d}")
    name = factory.Sequence(lambda n: f"Tỉnh Thử Nghiệm {n}")
    level = Level.PROVINCE
    unit_type = UnitType.TINH
    parent = None

    @classmethod
    def _create(cls, model_class: type[Unit], *args: Any, **kwargs: Any) -> Unit:
        return unit_create(**kwargs)


class OrganisationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Organisation

    name = factory.Sequence(lambda n: f"Cơ quan thử nghiệm số {n}")
    kind = OrganisationKind.DEPARTMENT
    unit = factory.SubFactory(UnitFactory)
    parent = None

    @classmethod
    def _create(cls, model_class: type[Organisation], *args: Any, **kwargs: Any) -> Organisation:
        return organisation_create(**kwargs)
