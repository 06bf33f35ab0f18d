"""Excel exports (audited): the people inside a control zone, the zone list, the pass list (Z1, Z2)."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _

from phongdich.core.exports import EXPORT_MAX_ROWS, ExportFile, audited_export
from phongdich.people.models import Person

from .control_selectors import pass_queryset, zone_list, zone_people_queryset
from .models import ControlZone, TransportPass


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


def zones_export(*, user: Any, status: str = "active") -> ExportFile:
    """The zone list the user is looking at (their area, ``status``)."""
    rows = list(zone_list(user=user, status=status).order_by("-start_date", "-id")[: EXPORT_MAX_ROWS + 1])
    return audited_export(
        user=user,
        model=ControlZone,
        columns=[
            (_("Vùng"), lambda z: z.name),
            (_("Loại vùng"), lambda z: z.get_zone_kind_display()),
            (_("Phạm vi"), lambda z: _place(z)),
            (_("Bộ biện pháp"), lambda z: z.measure_set.name),
            (_("Từ ngày"), lambda z: f"{z.start_date:%d/%m/%Y}"),
            (_("Đến hết ngày"), lambda z: f"{z.end_date:%d/%m/%Y}" if z.end_date else ""),
            (_("Số quyết định"), lambda z: z.decision_number),
            (_("Cơ quan quyết định"), lambda z: z.issuing_authority),
        ],
        rows=rows,
        summary=_("Xuất %(count)s vùng cách ly, phong tỏa, giãn cách") % {"count": len(rows)},
        detail={"status": status},
        name="vung-kiem-soat",
    )


def _place(zone: ControlZone) -> str:
    if zone.premises is not None:
        return f"{zone.premises.name} — {zone.premises.organisation.name}"
    return ", ".join(u.name for u in zone.units.all())


def passes_export(*, user: Any, status: str = "valid", plate: str = "") -> ExportFile:
    """The pass list the user is looking at (passes issued in their area)."""
    rows = list(pass_queryset(user=user, status=status, plate=plate)[: EXPORT_MAX_ROWS + 1])
    return audited_export(
        user=user,
        model=TransportPass,
        columns=[
            (_("Biển kiểm soát"), lambda p: p.plate),
            (_("Lái xe"), lambda p: p.driver_name),
            (_("Số điện thoại lái xe"), lambda p: p.driver_phone),
            (_("Hàng hóa"), lambda p: p.goods),
            (_("Nơi đi"), lambda p: p.origin_label),
            (_("Nơi đến"), lambda p: p.destination_label),
            (_("Có giá trị từ ngày"), lambda p: f"{p.valid_from:%d/%m/%Y}"),
            (_("Có giá trị đến hết ngày"), lambda p: f"{p.valid_to:%d/%m/%Y}"),
            (_("Đơn vị cấp"), lambda p: p.issuing_unit.name),
            (_("Thu hồi lúc"), lambda p: f"{p.revoked_at:%d/%m/%Y %H:%M}" if p.revoked_at else ""),
        ],
        rows=rows,
        summary=_("Xuất %(count)s thẻ luồng xanh") % {"count": len(rows)},
        detail={"status": status, "plate": plate},
        name="the-luong-xanh",
    )
