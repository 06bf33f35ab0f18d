"""Demo step: movements (M3, M4). Synthetic residents of several communes of Thái Nguyên declared as arriving
in the last fortnight — most from Đà Nẵng (the epidemic area of the epidemic-areas step, so they are flagged),
some from the demo's foreign epidemic area, some from elsewhere — a quarter of them already gone again."""

# Seeded pseudo-random numbers on purpose: the same seed gives the same synthetic data.
# ruff: noqa: S311

from __future__ import annotations

import random
from datetime import timedelta
from typing import TYPE_CHECKING, Any

from django.db import transaction
from django.db.models import Count
from django.utils import timezone

from phongdich.geo.models import Level, Unit
from phongdich.movements.models import DeclaredBy, Direction, LodgingKind, Movement, Transport
from phongdich.movements.services import arrival_declare, departure_declare
from phongdich.people.models import Person
from phongdich.zones.models import ExposureFlag, PlaceKind

if TYPE_CHECKING:
    from .steps import Demo

TREE = "2021"
PROVINCE = "19"
DA_NANG = "48"
COUNTRY = "KR"
DEMO_NOTE = "Dữ liệu giả lập (demo)"
ARRIVALS = 80
COMMUNES = 6
ELSEWHERE = ("Quận Cầu Giấy, Hà Nội", "Thành phố Bắc Ninh, Bắc Ninh", "Huyện Chợ Đồn, Bắc Kạn")


def _communes() -> list[Unit]:
    """The communes of the province with the most synthetic residents (a small demo has few per commune)."""
    province = Unit.objects.filter(tree=TREE, code=PROVINCE, level=Level.PROVINCE).first()
    if province is None:
        return []
    residents = (
        Person.objects.filter(is_synthetic=True, user__isnull=True)
        .values("residence_unit__path")
        .annotate(n=Count("id"))
        .values_list("residence_unit__path", "n")
    )
    per_commune = {
        u: sum(n for path, n in residents if path.startswith(u.path))
        for u in Unit.objects.subtree(province).filter(level=Level.COMMUNE)
    }
    ranked = sorted((u for u, n in per_commune.items() if n), key=lambda u: (-per_commune[u], u.path))
    return sorted(ranked[:COMMUNES], key=lambda u: u.path)


def step_movements(demo: Demo) -> None:
    if Movement.objects.filter(note=DEMO_NOTE).exists():
        demo.say(f"Di biến động: đã có {Movement.objects.filter(note=DEMO_NOTE).count()} khai báo giả lập.")
        return
    rng = random.Random(demo.seed + 11)
    communes = _communes()
    da_nang = Unit.objects.filter(tree=TREE, code=DA_NANG, level=Level.PROVINCE).first()
    da_nang_communes = list(Unit.objects.subtree(da_nang).filter(level=Level.COMMUNE)) if da_nang else []
    today = timezone.localdate()
    arrived = departed = 0
    with transaction.atomic():
        for commune in communes:
            residents = list(
                Person.objects.filter(is_synthetic=True, user__isnull=True, merged_into__isnull=True)
                .in_unit(commune)
                .select_related("residence_unit")
                .order_by("id")[:200]
            )
            for person in rng.sample(residents, min(ARRIVALS // max(len(communes), 1), len(residents))):
                roll = rng.random()
                place: dict[str, Any]
                if roll < 0.6 and da_nang_communes:
                    place = {"place_kind": PlaceKind.UNIT, "place_unit": rng.choice(da_nang_communes)}
                    transport = rng.choice([Transport.PLANE, Transport.COACH, Transport.TRAIN])
                elif roll < 0.75:
                    place = {"place_kind": PlaceKind.COUNTRY, "country": COUNTRY}
                    transport = Transport.PLANE
                else:
                    place = {"place_kind": PlaceKind.UNIT, "place_note": rng.choice(ELSEWHERE)}
                    transport = rng.choice([Transport.CAR, Transport.MOTORBIKE, Transport.COACH])
                day = today - timedelta(days=rng.randint(1, 13))
                movement = arrival_declare(
                    actor=None,
                    person=person,
                    unit=person.residence_unit,
                    move_date=day,
                    place_from=day - timedelta(days=rng.randint(0, 10)),
                    transport=transport,
                    vehicle_no=f"VN{rng.randint(100, 999)}" if transport == Transport.PLANE else "",
                    lodging_kind=LodgingKind.OWN_HOME,
                    lodging_address=person.address or person.residence_unit.name,
                    expected_days=rng.randint(3, 21),
                    declared_by=rng.choice([DeclaredBy.SELF, DeclaredBy.OFFICIAL]),
                    note=DEMO_NOTE,
                    **place,
                )
                arrived += 1
                if rng.random() < 0.25:
                    departure_declare(
                        actor=None,
                        person=person,
                        unit=movement.unit,
                        move_date=min(today, day + timedelta(days=rng.randint(1, 5))),
                        transport=transport,
                        place_kind=PlaceKind.UNIT,
                        place_note=rng.choice(ELSEWHERE),
                        declared_by=DeclaredBy.OFFICIAL,
                        note=DEMO_NOTE,
                    )
                    departed += 1
    flagged = (
        ExposureFlag.objects.filter(cleared_at__isnull=True, source__startswith="movement:")
        .values("person")
        .distinct()
        .count()
    )
    present = Movement.objects.filter(note=DEMO_NOTE, direction=Direction.ARRIVAL, left_on__isnull=True).count()
    demo.say(
        f"Di biến động: {arrived} người đến {len(communes)} xã, phường ({departed} đã đi, {present} đang có mặt); "
        f"{flagged} người bị gắn cờ vì đến từ vùng dịch."
    )
