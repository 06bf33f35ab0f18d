"""Demo step: medical supplies in stock (E6). The province receives test kits, protective equipment,
sanitiser and oxygen; it issues to every district; the city and Phổ Yên issue on to some of their communes;
communes use some. Low-stock thresholds for the province, the districts and those communes — Phường Quán Triều
ends below its threshold of rapid tests (the warning list's example). Everything goes through the supplies
services, as the system (``actor=None``), dated over the last ten days."""

# Seeded pseudo-random numbers on purpose: the same seed gives the same synthetic data.
# ruff: noqa: S311

from __future__ import annotations

import random
from datetime import timedelta
from typing import TYPE_CHECKING

from django.db import transaction
from django.utils import timezone

from phongdich.geo.models import Level, Unit
from phongdich.supplies.models import Movement, MovementKind, SupplyItem
from phongdich.supplies.services import holder_for, movement_record, threshold_set

from . import catalogue

if TYPE_CHECKING:
    from .steps import Demo

# What the province receives (item code → quantity) and what each district gets of it.
PROVINCE_RECEIPTS = {
    "test-rapid-antigen": 60_000,
    "test-pcr-kit": 12_000,
    "swab-vtm": 15_000,
    "mask-medical": 200_000,
    "mask-n95": 20_000,
    "ppe-suit": 8_000,
    "gloves": 30_000,
    "hand-sanitiser": 2_000,
    "oxygen-cylinder": 300,
    "oxygen-concentrator": 60,
    "pulse-oximeter": 400,
}
DISTRICT_SHARE = {
    "test-rapid-antigen": 3_000,
    "mask-medical": 10_000,
    "ppe-suit": 400,
    "hand-sanitiser": 100,
    "oxygen-cylinder": 15,
}
# Communes supplied by their district: (district code, commune code, rapid tests, masks).
COMMUNES = [
    (catalogue.CITY, catalogue.QUAN_TRIEU, 300, 2_000),
    (catalogue.CITY, catalogue.TRUNG_VUONG, 400, 2_000),
    (catalogue.CITY, catalogue.TAN_THINH, 250, 1_500),
    (catalogue.PHO_YEN, catalogue.DONG_TIEN, 800, 3_000),
]
LOW_COMMUNE = catalogue.QUAN_TRIEU
THRESHOLDS = {"province": 20_000, "district": 500, "commune": 150}
DEMO_NOTE = "Dữ liệu giả lập (demo)"


def step_supplies(demo: Demo) -> None:
    province = demo.unit("province")
    province_holder = holder_for(unit=province)
    if Movement.objects.filter(holder=province_holder).exists():
        demo.say(f"Vật tư: {Movement.objects.count():,} phát sinh kho (giữ nguyên).")
        return
    rng = random.Random(demo.seed + 53)
    today = timezone.localdate()
    items = {i.code: i for i in SupplyItem.objects.filter(code__in=PROVINCE_RECEIPTS)}
    kits = items["test-rapid-antigen"]
    with transaction.atomic():
        for code, quantity in PROVINCE_RECEIPTS.items():
            movement_record(
                actor=None,
                holder=province_holder,
                item=items[code],
                kind=MovementKind.RECEIVED,
                quantity=quantity,
                occurred_on=today - timedelta(days=10),
                reason="Bộ Y tế cấp; " + DEMO_NOTE,
            )
        threshold_set(actor=None, holder=province_holder, item=kits, minimum=THRESHOLDS["province"])
        districts = list(Unit.objects.filter(parent=province, level=Level.DISTRICT).order_by("code"))
        for district in districts:
            holder = holder_for(unit=district)
            for code, quantity in DISTRICT_SHARE.items():
                movement_record(
                    actor=None,
                    holder=province_holder,
                    item=items[code],
                    kind=MovementKind.ISSUED,
                    quantity=quantity,
                    receiver=holder,
                    occurred_on=today - timedelta(days=8),
                    reason=DEMO_NOTE,
                )
            movement_record(
                actor=None,
                holder=holder,
                item=kits,
                kind=MovementKind.USED,
                quantity=rng.randint(300, 1_200),
                occurred_on=today - timedelta(days=rng.randint(1, 6)),
                reason="Xét nghiệm tại trung tâm y tế; " + DEMO_NOTE,
            )
            threshold_set(actor=None, holder=holder, item=kits, minimum=THRESHOLDS["district"])
        for district_code, commune_code, rapid, masks in COMMUNES:
            district_holder = holder_for(unit=demo.unit(district_code))
            commune = demo.unit(commune_code)
            holder = holder_for(unit=commune)
            for item, quantity in ((kits, rapid), (items["mask-medical"], masks)):
                movement_record(
                    actor=None,
                    holder=district_holder,
                    item=item,
                    kind=MovementKind.ISSUED,
                    quantity=quantity,
                    receiver=holder,
                    occurred_on=today - timedelta(days=6),
                    reason=DEMO_NOTE,
                )
            # Quán Triều has used most of its tests (below its threshold); the others a little.
            used = rapid - 60 if commune_code == LOW_COMMUNE else rng.randint(20, rapid // 3)
            movement_record(
                actor=None,
                holder=holder,
                item=kits,
                kind=MovementKind.USED,
                quantity=used,
                occurred_on=today - timedelta(days=rng.randint(0, 4)),
                reason="Xét nghiệm sàng lọc tại trạm y tế; " + DEMO_NOTE,
            )
            threshold_set(actor=None, holder=holder, item=kits, minimum=THRESHOLDS["commune"])
        movement_record(
            actor=None,
            holder=holder_for(unit=demo.unit(catalogue.CITY)),
            item=items["mask-medical"],
            kind=MovementKind.ADJUSTMENT,
            quantity=-200,
            occurred_on=today - timedelta(days=2),
            reason="Kiểm kê: 200 khẩu trang hỏng do ẩm; " + DEMO_NOTE,
        )
    demo.say(
        f"Vật tư: kho tỉnh, {len(districts)} huyện và {len(COMMUNES)} xã, phường; "
        f"{Movement.objects.count():,} phát sinh kho; {demo.unit(LOW_COMMUNE).name} dưới mức tối thiểu test nhanh."
    )
