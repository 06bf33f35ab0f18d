"""Demo step: epidemic areas (M5). Đà Nẵng from 25/07/2020 as in seed 002 (Thông báo 257/TB-VPCP), a country,
and a few hundred synthetic residents of Thái Nguyên who came back from them, flagged by the rule."""

# Seeded pseudo-random numbers on purpose: the same seed gives the same synthetic data.
# ruff: noqa: S311

from __future__ import annotations

import random
from datetime import date, timedelta
from typing import TYPE_CHECKING

from django.db import transaction

from phongdich.geo.loaders import load_units
from phongdich.geo.models import Level, Unit
from phongdich.people.models import Person
from phongdich.zones.models import EpidemicArea, ExposureFlag, PlaceKind, PlaceVisit
from phongdich.zones.services import area_declare, flags_refresh_for_area, visit_record

if TYPE_CHECKING:
    from .steps import Demo

DA_NANG = "48"
TREE = "2021"
DA_NANG_START = date(2020, 7, 25)
COUNTRY = "KR"
COUNTRY_START = date(2020, 2, 25)
REPORTED_ON = date(2020, 8, 6)  # the door-to-door round after seed 002 (report due 29/07, then weekly)
SOURCE_PREFIX = "demo:"
DEMO_NOTE = "Dữ liệu giả lập (demo)"


def _da_nang() -> Unit:
    city = Unit.objects.filter(tree=TREE, code=DA_NANG, level=Level.PROVINCE).first()
    if city is None:
        load_units(province=DA_NANG, tree=TREE)
        city = Unit.objects.get(tree=TREE, code=DA_NANG, level=Level.PROVINCE)
    return city


def _areas(city: Unit) -> tuple[EpidemicArea, EpidemicArea]:
    da_nang = EpidemicArea.objects.filter(unit=city, source_number="257/TB-VPCP").first()
    if da_nang is None:
        da_nang = area_declare(
            actor=None,
            kind=PlaceKind.UNIT,
            unit=city,
            start_date=DA_NANG_START,
            source_number="257/TB-VPCP",
            source_date=date(2020, 7, 27),
            source_issuer="Văn phòng Chính phủ",
            source_text="Thông báo kết luận của Thường trực Chính phủ về công tác phòng, chống dịch COVID-19",
            is_complex=True,
        )
    country = EpidemicArea.objects.filter(kind=PlaceKind.COUNTRY, country=COUNTRY, note=DEMO_NOTE).first()
    if country is None:
        country = area_declare(
            actor=None,
            kind=PlaceKind.COUNTRY,
            country=COUNTRY,
            start_date=COUNTRY_START,
            source_text="Vùng dịch nước ngoài giả lập cho bản trình diễn",
            note=DEMO_NOTE,
        )
    return da_nang, country


def _visits(demo: Demo, city: Unit) -> int:
    """Visits of synthetic residents: most to Đà Nẵng's communes in July 2020 (some before 25/07, which the rule
    does not flag), some to the country in the spring of 2020. Kept if already recorded."""
    if PlaceVisit.objects.filter(source__startswith=SOURCE_PREFIX).exists():
        return 0
    people = list(
        Person.objects.filter(is_synthetic=True, user__isnull=True).order_by("id").values_list("pk", flat=True)
    )
    rng = random.Random(demo.seed + 5)
    chosen = rng.sample(people, min(300, len(people) // 5))
    communes = list(Unit.objects.subtree(city).filter(level=Level.COMMUNE))
    by_pk = Person.objects.in_bulk(chosen)
    with transaction.atomic():
        for n, pk in enumerate(chosen):
            if n % 6 == 5:
                start = date(2020, 3, 1) + timedelta(days=rng.randint(0, 20))
                visit_record(
                    actor=None,
                    person=by_pk[pk],
                    kind=PlaceKind.COUNTRY,
                    country=COUNTRY,
                    from_date=start,
                    to_date=start + timedelta(days=rng.randint(0, 6)),
                    reported_on=start + timedelta(days=rng.randint(7, 12)),
                    source=f"{SOURCE_PREFIX}{n}",
                )
                continue
            start = date(2020, 7, 10) + timedelta(days=rng.randint(0, 22))
            visit_record(
                actor=None,
                person=by_pk[pk],
                kind=PlaceKind.UNIT,
                unit=rng.choice(communes),
                from_date=start,
                to_date=min(start + timedelta(days=rng.randint(0, 4)), REPORTED_ON),
                reported_on=REPORTED_ON,
                source=f"{SOURCE_PREFIX}{n}",
            )
    return len(chosen)


def step_epidemic_areas(demo: Demo) -> None:
    city = _da_nang()
    recorded = _visits(demo, city)
    da_nang, country = _areas(city)
    # Declaring queues the re-evaluation after commit; run it here too (idempotent) so the demo is complete
    # whether or not it runs inside an outer transaction.
    for area in (da_nang, country):
        flags_refresh_for_area(area=area)
    flagged = ExposureFlag.objects.filter(cleared_at__isnull=True).values("person").distinct().count()
    demo.say(
        f"Vùng dịch: {city.name} từ {DA_NANG_START:%d/%m/%Y} (257/TB-VPCP), Hàn Quốc; "
        f"{PlaceVisit.objects.count()} lượt đến"
        + (f" (thêm {recorded})" if recorded else "")
        + f", {flagged} người bị gắn cờ."
    )
