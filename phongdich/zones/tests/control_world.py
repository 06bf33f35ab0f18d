"""A small world for the control-zone and pass tests (Z1, Z2), built through the services.

Quán Triều (cuong's commune) has Tổ dân phố 1 (hoa's hamlet); Quang Vinh is chi's commune; the cast's
enterprise (oanh's, in Đắc Sơn) has a workshop. People: one in the hamlet, one in the commune itself,
one in Quang Vinh, a worker of the enterprise living in Quang Vinh, a member of its staff for the first
half of 2021 (living in Đắc Sơn), and a former member whose post ended in 2020.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from phongdich.orgs.models import Premises
from phongdich.orgs.services import premises_create
from phongdich.people.staff_services import membership_end
from phongdich.people.tests.factories import PersonFactory, StaffMembershipFactory
from phongdich.zones.control_services import checkpoint_create, pass_issue
from phongdich.zones.models import Checkpoint, MeasureSet, TransportPass

STAFF_FROM, STAFF_TO = date(2021, 1, 1), date(2021, 5, 31)


@dataclass
class World:
    in_hamlet: Any
    in_commune: Any
    in_quang_vinh: Any
    worker: Any
    staff: Any
    former: Any
    workshop: Premises
    ct15: MeasureSet
    ct16: MeasureSet


def build_world(tree: Any, cast: Any) -> World:
    workshop = premises_create(organisation=cast.enterprise, name="Xưởng may", kind=Premises.Kind.WORKSHOP)
    staff = PersonFactory(full_name="Lê Thị Biên Chế", residence_unit=tree.dac_son)
    post = StaffMembershipFactory(person=staff, organisation=cast.enterprise, start_date=STAFF_FROM)
    membership_end(actor=None, membership=post, end_date=STAFF_TO)
    former = PersonFactory(full_name="Vũ Văn Cũ", residence_unit=tree.dac_son)
    old = StaffMembershipFactory(person=former, organisation=cast.enterprise, start_date=date(2019, 1, 1))
    membership_end(actor=None, membership=old, end_date=date(2020, 12, 31))
    return World(
        in_hamlet=PersonFactory(full_name="Nguyễn Văn Xóm", residence_unit=tree.xom1),
        in_commune=PersonFactory(full_name="Trần Thị Phường", residence_unit=tree.quan_trieu),
        in_quang_vinh=PersonFactory(full_name="Phạm Văn Vinh", residence_unit=tree.quang_vinh),
        worker=PersonFactory(full_name="Đỗ Thị Công", residence_unit=tree.quang_vinh, organisation=cast.enterprise),
        staff=staff,
        former=former,
        workshop=workshop,
        ct15=MeasureSet.objects.get(code="ct15"),
        ct16=MeasureSet.objects.get(code="ct16"),
    )


def issue(unit: Any, **extra: Any) -> TransportPass:
    values: dict[str, Any] = {
        "actor": None,
        "issuing_unit": unit,
        "plate": "20C-123.45",
        "driver_name": "Hoàng Văn Lái",
        "driver_phone": "0912345678",
        "driver_cccd": "019085000123",
        "goods": "Vải thiều",
        "origin_text": "Bắc Giang",
        "destination_unit": unit,
        "valid_from": date(2021, 5, 20),
        "valid_to": date(2021, 5, 31),
    }
    values.update(extra)
    return pass_issue(**values)


def checkpoint(unit: Any, name: str = "Chốt cầu Gia Bảy") -> Checkpoint:
    return checkpoint_create(actor=None, name=name, unit=unit)
