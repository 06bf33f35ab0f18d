"""Demo step: trips out of the province (M7) — approved, refused, pending, and one needing no approval — by
synthetic staff whose management chain the staff step built, to Đà Nẵng (the demo's epidemic area) and elsewhere;
a 3-on-site plan at an enterprise of KCN Yên Bình with workers allowed out and in (M8).

Trips are filed through ``travel.services.trip_file`` (the system as actor: the rules, the approvers and the
epidemic-area warning apply); the demo writes the decisions of the synthetic heads directly, as they have no
accounts. Running the step again adds nothing."""

# Seeded pseudo-random numbers on purpose: the same seed gives the same synthetic data.
# ruff: noqa: S311

from __future__ import annotations

import random
from datetime import date, datetime, time, timedelta
from typing import TYPE_CHECKING

from django.db import transaction
from django.utils import timezone

from phongdich.geo.models import Level, Unit
from phongdich.orgs.models import Organisation, OrganisationKind
from phongdich.people.models import Person, StaffMembership
from phongdich.travel.models import OnSitePlan, PassDirection, Trip, TripStatus, WorkerPass
from phongdich.travel.services import pass_add, plan_save, trip_file
from phongdich.zones.models import PlaceKind

if TYPE_CHECKING:
    from .steps import Demo

PARK_SHORT_NAME = "KCN Yên Bình"
DA_NANG = "48"
TREE = "2021"


def _moment(day: date, hour: int, minute: int = 0) -> datetime:
    return timezone.make_aware(datetime.combine(day, time(hour, minute)))


def _last(weekday: int, today: date) -> date:
    day = today - timedelta(days=1)
    while day.weekday() != weekday:
        day -= timedelta(days=1)
    return day


def _travellers(rng: random.Random, count: int) -> list[StaffMembership]:
    candidates = list(
        StaffMembership.objects.current()
        .filter(person__is_synthetic=True, manager__isnull=False, person__merged_into__isnull=True)
        .select_related("person", "organisation")
        .order_by("id")[:400]
    )
    rng.shuffle(candidates)
    chosen: list[StaffMembership] = []
    seen: set[int] = set()
    for m in candidates:
        if m.person_id not in seen:
            seen.add(m.person_id)
            chosen.append(m)
        if len(chosen) == count:
            break
    return chosen


def _trips(demo: Demo, rng: random.Random, today: date) -> int:
    if Trip.objects.filter(traveller__is_synthetic=True).exists():
        return 0
    da_nang = Unit.objects.filter(tree=TREE, code=DA_NANG, level=Level.PROVINCE).first()
    travellers = _travellers(rng, 4)
    if da_nang is None or len(travellers) < 4:
        return 0
    saturday, sunday, wednesday = _last(5, today), _last(6, today), _last(2, today)
    approved, refused, pending, free = travellers
    now = timezone.now()
    with transaction.atomic():
        trip = trip_file(
            actor=None,
            membership=approved,
            kind=PlaceKind.UNIT,
            unit=da_nang,
            depart_at=_moment(saturday, 6),
            return_at=_moment(saturday, 20),
            purpose="Dự đám cưới người thân",
            companions="Vợ và con",
        )
        Trip.objects.filter(pk=trip.pk).update(
            status=TripStatus.APPROVED, decided_at=now, decision_reason="Thực hiện 5K, khai báo y tế khi về"
        )
        trip = trip_file(
            actor=None,
            membership=refused,
            kind=PlaceKind.UNIT,
            unit=da_nang,
            depart_at=_moment(sunday, 7),
            return_at=_moment(sunday, 19),
            purpose="Đi du lịch",
        )
        Trip.objects.filter(pk=trip.pk).update(
            status=TripStatus.REFUSED,
            decided_at=now,
            decision_reason="Đà Nẵng đang là vùng dịch, không thực sự cần thiết",
        )
        trip_file(
            actor=None,
            membership=pending,
            kind=PlaceKind.COUNTRY,
            country="LA",
            depart_at=_moment(today + timedelta(days=5), 18),
            return_at=_moment(today + timedelta(days=7), 12),
            purpose="Thăm người thân",
        )
        trip_file(
            actor=None,
            membership=free,
            kind=PlaceKind.UNIT,
            unit=da_nang,
            depart_at=_moment(wednesday, 8),
            return_at=_moment(wednesday, 11),
            purpose="Họp trực tuyến tại điểm cầu (công tác)",
        )
    return 4


def _plan(rng: random.Random, today: date) -> tuple[int, int]:
    park = Organisation.objects.filter(kind=OrganisationKind.INDUSTRIAL_PARK, short_name=PARK_SHORT_NAME).first()
    enterprise = (
        Organisation.objects.filter(kind=OrganisationKind.ENTERPRISE, parent=park).order_by("id").first()
        if park
        else None
    )
    if enterprise is None or OnSitePlan.objects.filter(organisation=enterprise).exists():
        return 0, 0
    workers = list(
        Person.objects.filter(organisation=enterprise, is_synthetic=True, merged_into__isnull=True).order_by("id")[:500]
    )
    total = max(len(workers), 1)
    on_site = max(total * 7 // 10, 0)
    with transaction.atomic():
        plan = plan_save(
            actor=None,
            organisation=enterprise,
            start_date=today - timedelta(days=20),
            end_date=today + timedelta(days=10),
            capacity=on_site + 20,
            workers_total=total,
            workers_on_site=on_site,
            accommodation="Ký túc xá trong nhà máy và nhà ăn ca (dữ liệu giả lập)",
            note="Dữ liệu giả lập (demo)",
        )
        chosen = rng.sample(workers, min(5, len(workers)))
        for index, person in enumerate(chosen):
            out = index < 3
            start = today - timedelta(days=rng.randint(0, 10))
            pass_add(
                actor=None,
                plan=plan,
                person=person,
                direction=PassDirection.OUT if out else PassDirection.IN,
                from_date=start,
                to_date=start + timedelta(days=rng.randint(1, 4)),
                place=rng.choice(["Bắc Giang", "Hà Nội", "Tuyên Quang", "Bắc Kạn"]),
                reason="Việc gia đình" if out else "Kỹ thuật viên bảo trì dây chuyền",
            )
    return 1, len(chosen)


def step_travel(demo: Demo) -> None:
    rng = random.Random(demo.seed + 71)
    today = timezone.localdate()
    trips = _trips(demo, rng, today)
    plans, passes = _plan(rng, today)
    demo.say(
        f"Đi ngoài tỉnh: {Trip.objects.count()} chuyến"
        + (f" (thêm {trips})" if trips else "")
        + f"; phương án 3 tại chỗ: {OnSitePlan.objects.count()}"
        + (f" (thêm {plans}, {passes} người được ra, vào)" if plans else "")
        + f"; người lao động được ra, vào tỉnh: {WorkerPass.objects.count()}."
    )
