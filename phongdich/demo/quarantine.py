"""Demo step: quarantine (Q1–Q3). Three facilities in the province (a centralised camp, a hospital, a hotel)
and synthetic people in each kind of quarantine, dated from today so that the lists are alive: daily checks
of the recent days, people released from a facility into post-quarantine monitoring with hand-overs to
Phường Quán Triều (some acknowledged, one overdue, one just sent), and Quán Triều's people to follow today.

Everything goes through the quarantine services, as the system (``actor=None``)."""

# Seeded pseudo-random numbers on purpose: the same seed gives the same synthetic data.
# ruff: noqa: S311

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import TYPE_CHECKING

from django.db import transaction
from django.utils import timezone

from phongdich.geo.models import Unit
from phongdich.people.models import Person
from phongdich.quarantine.models import DailyCheck, Episode, EpisodeKind, Facility, FacilityKind, Handover
from phongdich.quarantine.services import (
    daily_check_record,
    episode_release,
    episode_start,
    facility_create,
    handover_acknowledge,
)

from . import catalogue

if TYPE_CHECKING:
    from .steps import Demo

DEMO_REASON = "Dữ liệu giả lập (demo)"


@dataclass(frozen=True)
class FacilitySpec:
    name: str
    kind: str
    unit_code: str
    capacity: int
    note: str = ""


FACILITIES = [
    FacilitySpec("Khu cách ly tập trung Ký túc xá K (giả lập)", FacilityKind.CENTRALISED, catalogue.QUAN_TRIEU, 300),
    FacilitySpec("Bệnh viện dã chiến số 1 (giả lập)", FacilityKind.HOSPITAL, catalogue.TAN_THINH, 120),
    FacilitySpec(
        "Khách sạn cách ly có thu phí Sông Cầu (giả lập)",
        FacilityKind.HOTEL,
        catalogue.TRUNG_VUONG,
        40,
        "Cách ly có thu phí theo nguyện vọng",
    ),
]

# How many people of each scenario (the follow-today commune is Phường Quán Triều).
CENTRALISED_OPEN = 6  # in the facilities now, started 5 days ago
HOME = 4  # home quarantine in Quán Triều, started 3 days ago
SELF_ISOLATION = 3  # self-isolation in Quán Triều, started 2 days ago
RELEASED = 4  # released from the camp into post-quarantine monitoring at home: 2 acknowledged, 1 overdue, 1 new
QUAN_TRIEU_NEEDED = HOME + SELF_ISOLATION + RELEASED


def _facilities(demo: Demo) -> list[Facility]:
    out = []
    for spec in FACILITIES:
        facility = Facility.objects.filter(name=spec.name).first()
        if facility is None:
            facility = facility_create(
                actor=None,
                name=spec.name,
                kind=spec.kind,
                unit=demo.unit(spec.unit_code),
                capacity=spec.capacity,
                readiness_note=spec.note,
            )
        out.append(facility)
    return out


def _pool(unit: Unit, *, exclude: set[int], limit: int) -> list[Person]:
    """Synthetic adults of ``unit`` without a login or any quarantine episode, in a stable order."""
    return list(
        Person.objects.filter(is_synthetic=True, user__isnull=True, merged_into__isnull=True, birth_year__lte=2003)
        .in_unit(unit)
        .exclude(pk__in=exclude)
        .exclude(quarantine_episodes__isnull=False)
        .order_by("id")[:limit]
    )


def _top_up(demo: Demo, commune: Unit, needed: int) -> None:
    """A small demo (few people) may have too few residents in the commune: draw more synthetic ones there."""
    from .synthetic import PopulationGenerator, people_bulk_create, residences_for

    have = len(_pool(commune, exclude=set(), limit=needed))
    if have >= needed:
        return
    residences = [r for r in residences_for(province=demo.unit("province")) if r.unit_id == commune.pk]
    generator = PopulationGenerator(
        seed=demo.seed + 11,
        residences=residences,
        taken_cccds={c for c in Person.objects.exclude(cccd=None).values_list("cccd", flat=True) if c},
        taken_phones=set(Person.objects.exclude(phone="").values_list("phone", flat=True)),
    )
    # Children and the elderly are drawn too: draw generously so that enough adults come out.
    people_bulk_create(generator=generator, count=3 * (needed - have) + 10, progress=None)


def _checks(episode: Episode, *, days: list[date], rng: random.Random) -> None:
    for day in days:
        fever = rng.random() < 0.08
        daily_check_record(
            actor=None,
            episode=episode,
            on=day,
            temperature=round(rng.uniform(37.6, 38.4) if fever else rng.uniform(36.2, 37.1), 1),
            fever=fever,
            cough=rng.random() < 0.1,
        )


def _at(day: date, hour: int) -> datetime:
    return timezone.make_aware(datetime.combine(day, time(hour)))


def step_quarantine(demo: Demo) -> None:
    facilities = _facilities(demo)
    existing = Episode.objects.filter(reason__endswith=DEMO_REASON).count()
    if existing:
        demo.say(f"Cách ly giả lập: {len(facilities)} cơ sở, {existing} đợt cách ly (giữ nguyên).")
        return
    quan_trieu = demo.unit(catalogue.QUAN_TRIEU)
    _top_up(demo, quan_trieu, QUAN_TRIEU_NEEDED)
    rng = random.Random(demo.seed + 9)
    today = timezone.localdate()
    now = timezone.now()
    taken: set[int] = set()

    def people(unit: Unit, n: int) -> list[Person]:
        chosen = _pool(unit, exclude=taken, limit=n)
        taken.update(p.pk for p in chosen)
        return chosen

    def recent(start: date, *, with_today: bool) -> list[date]:
        last = today if with_today else today - timedelta(days=1)
        return [start + timedelta(days=i) for i in range((last - start).days + 1)]

    camp = facilities[0]
    with transaction.atomic():
        # Quán Triều: released from the camp into post-quarantine monitoring; the camp hands them over.
        sent_times = [
            now - timedelta(days=3),
            now - timedelta(days=2),
            now - timedelta(hours=30),
            now - timedelta(hours=3),
        ]
        for n, (person, sent) in enumerate(zip(people(quan_trieu, RELEASED), sent_times, strict=False)):
            start = timezone.localdate(sent) - timedelta(days=14)
            episode = episode_start(
                actor=None,
                person=person,
                kind=EpisodeKind.CENTRALISED,
                facility=camp,
                start_date=start,
                reason=f"F1, về từ vùng dịch — {DEMO_REASON}",
            )
            _checks(episode, days=recent(start, with_today=False)[:14], rng=rng)
            following = episode_release(
                actor=None,
                episode=episode,
                on=timezone.localdate(sent),
                next_kind=EpisodeKind.POST_QUARANTINE,
                at=sent,
            )
            assert following is not None
            _checks(following, days=recent(following.start_date, with_today=False)[:-1], rng=rng)
            if n < 2:  # the first two were taken over within the day
                handover_acknowledge(
                    actor=None, handover=Handover.objects.get(episode=following), at=sent + timedelta(hours=5)
                )
        # Quán Triều: home quarantine and self-isolation; some already checked today.
        for n, person in enumerate(people(quan_trieu, HOME)):
            start = today - timedelta(days=3)
            episode = episode_start(
                actor=None,
                person=person,
                kind=EpisodeKind.HOME,
                start_date=start,
                vaccination="partial",
                reason=f"F1 của ca bệnh trong tổ dân phố — {DEMO_REASON}",
            )
            _checks(episode, days=recent(start, with_today=n == 0), rng=rng)
        for n, person in enumerate(people(quan_trieu, SELF_ISOLATION)):
            start = today - timedelta(days=2)
            episode = episode_start(
                actor=None,
                person=person,
                kind=EpisodeKind.SELF_ISOLATION,
                start_date=start,
                vaccination="full_or_recovered",
                reason=f"F1 đã tiêm đủ liều — {DEMO_REASON}",
            )
            _checks(episode, days=recent(start, with_today=n == 0), rng=rng)
        # Across the city: people in the three facilities now.
        city = demo.unit(catalogue.CITY)
        for n, person in enumerate(people(city, CENTRALISED_OPEN)):
            start = today - timedelta(days=5)
            episode = episode_start(
                actor=None,
                person=person,
                kind=EpisodeKind.CENTRALISED,
                facility=facilities[n % len(facilities)],
                start_date=start,
                reason=f"F1 của ca bệnh — {DEMO_REASON}",
            )
            _checks(episode, days=recent(start, with_today=n % 2 == 0), rng=rng)
    episodes = Episode.objects.filter(reason__endswith=DEMO_REASON)
    handovers = Handover.objects.filter(from_facility__in=facilities)
    overdue = sum(1 for h in handovers if h.is_overdue())
    demo.say(
        f"Cách ly giả lập: {len(facilities)} cơ sở, {episodes.count()} đợt cách ly "
        f"({episodes.filter(status='open').count()} đang mở), "
        f"{DailyCheck.objects.filter(episode__in=episodes).count()} lượt theo dõi sức khỏe, "
        f"{handovers.count()} bàn giao về {quan_trieu.name} ({overdue} quá hạn)."
    )
