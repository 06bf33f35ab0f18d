"""Excel export of the people inside a control zone (Z1), audited."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _

from phongdich.core.exports import EXPORT_MAX_ROWS, ExportFile, audited_export
from phongdich.people.models import Person

from .control_selectors import zone_people_queryset
from .models import ControlZone


def zone_people_export(*, user: Any, zone: ControlZone) -> ExportFile:
    """The people inside ``zone`` whom ``user`` may see, by name."""
    qs = (
        zone_people_queryset(zone=zone)
        .filter(pk__in=Person.objects.for_user(user).values("pk"))
        .select_related("residence_unit", "organisation")
        .order_by("name_folded", "id")
    )
    rows = list(qs[: EXPORT_MAX_ROWS + 1])
    return audited_export(
        user=user,
        obj=zone,
        columns=[
            (_("Họ và tên"), lambda p: p.full_name),
            (_("Năm sinh"), lambda p: p.birth_year),
            (_("Giới tính"), lambda p: p.get_sex_display()),
            (_("Số điện thoại"), lambda p: p.phone),
            (_("Nơi cư trú"), lambda p: p.residence_unit.name),
            (_("Địa chỉ"), lambda p: p.address),
            (_("Cơ quan, nơi làm việc"), lambda p: p.organisation.name if p.organisation else ""),
        ],
        rows=rows,
        summary=_("Xuất %(count)s người trong vùng %(name)s") % {"count": len(rows), "name": zone.name},
        detail={"zone": str(zone.uid)},
        name="nguoi-trong-vung",
    )
