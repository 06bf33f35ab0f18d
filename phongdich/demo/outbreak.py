"""Demo step: an outbreak at a factory in an industrial park (C3, C4, Q2), in the shape of seed 004
(an outbreak at a company of an industrial park with many workers, "trên 40 trường hợp").

A synthetic garment factory in Khu công nghiệp Yên Bình (Phường Đồng Tiến, Thị xã Phổ Yên) — its name
is invented and marked "(mô phỏng)". Over the 16 days up to today its synthetic workers become
confirmed cases, growing to 49, all in one cluster. Each case is isolated the day it is confirmed;
two co-workers (same line) and one or two household members are recorded as contacts, and for some
household members a neighbour they met before they were quarantined (F2). The F-levels are derived by
the tracing services; co-worker F1s go to centralised quarantine at a facility, household F1s and F2s
to home quarantine. Centralised quarantine that has ended hands the person over to their commune;
the older hand-overs are acknowledged, the latest wait for the commune.

Dated from today so that the cluster's growth, projection and the quarantine lists are alive.
Everything goes through the services, as the system (``actor=None``). Idempotent: if the cluster
exists, nothing is added.
"""

# Seeded pseudo-random numbers on purpose: the same seed gives the same synthetic data.
# ruff: noqa: S311

from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from typing import TYPE_CHECKING

from django.db import transaction
from django.utils import timezone

from phongdich.cases.models import Case, CaseStatus, Cluster, DetectedIn
from phongdich.cases.services import case_register, cluster_create
from phongdich.geo.models import Level, Unit
from phongdich.orgs.models import Organisation, OrganisationKind, Premises, Sector
from phongdich.orgs.services import organisation_create, premises_create
from phongdich.people.models import Person, StaffMembership
from phongdich.people.services import person_create
from phongdich.quarantine.models import Episode, EpisodeKind, EpisodeStatus, Facility, FacilityKind, Handover
from phongdich.quarantine.services import episode_release, episode_start, facility_create, handover_acknowledge
from phongdich.tracing.models import Contact, ExposureType
from phongdich.tracing.services import contact_record, f1_quarantine, tracing_refresh

from . import catalogue
from .synthetic import PopulationGenerator, Residence

if TYPE_CHECKING:
    from .steps import Demo

FACTORY_NAME = "Công ty TNHH Dệt may Hướng Dương (mô phỏng)"
FACTORY_ADDRESS = "Lô CN-15, KCN Yên Bình, phường Đồng Tiến, thị xã Phổ Yên (mô phỏng)"
PARK_NAME = "Khu công nghiệp Yên Bình"
CLUSTER_NAME = "Ổ dịch Công ty TNHH Dệt may Hướng Dương (mô phỏng)"
FACILITY_NAME = "Khu cách ly tập trung thị xã Phổ Yên (mô phỏng)"
NOTE = "Dữ liệu giả lập (demo): ổ dịch tại doanh nghiệp trong khu công nghiệp"
LINES = ("Xưởng may số 1", "Xưởng may số 2", "Xưởng cắt")
# Confirmed cases per day over 16 days up to today: 49 in all, still growing.
DAILY_CASES = (1, 1, 1, 1, 2, 2, 2, 3, 3, 3, 4, 4, 5, 5, 6, 6)
# Where the workers live: the factory's district, Sông Công next door, and the city.
RESIDENCE_DISTRICTS = ((catalogue.PHO_YEN, 6), ("165", 2), (catalogue.CITY, 1))


@dataclass
class Built:
    cases: list[Case] = field(default_factory=list)
    coworkers: list[tuple[Person, date]] = field(default_factory=list)  # F1 and the day they are quarantined
    household: list[tuple[Person, date]] = field(default_factory=list)
    second: list[tuple[Person, date]] = field(default_factory=list)  # F2


def _moment(day: date, hour: int) -> datetime:
    moment = timezone.make_aware(datetime.combine(day, time(hour)))
    return min(moment, timezone.now())


class _People:
    """Synthetic people made through ``person_create``; names drawn by the demo's generator."""

    def __init__(self, seed: int, communes: list[Unit], factory: Organisation) -> None:
        self.rng = random.Random(seed)
        self.generator = PopulationGenerator(
            seed=seed, residences=[Residence(unit_id=u.pk, weight=1.0) for u in communes]
        )
        self.communes = communes
        self.factory = factory

    def make(self, *, unit: Unit | None = None, worker: bool = False, age: tuple[int, int] = (20, 50)) -> Person:
        sex = "F" if self.rng.random() < (0.7 if worker else 0.5) else "M"
        birth_year = 2021 - self.rng.randint(*age)
        name, _folded, _given = self.generator.name(sex=sex, birth_year=birth_year)
        result = person_create(
            actor=None,
            force=True,
            full_name=name,
            birth_year=birth_year,
            sex=sex,
            residence_unit=unit or self.rng.choice(self.communes),
            organisation=self.factory if worker else None,
            occupation="Công nhân may" if worker else "",
            is_synthetic=True,
        )
        assert result.person is not None
        return result.person


def _communes() -> list[Unit]:
    communes: list[Unit] = []
    for code, weight in RESIDENCE_DISTRICTS:
        district = Unit.objects.filter(tree=catalogue.TREE, code=code, level=Level.DISTRICT).first()
        if district is None:
            continue
        found = list(Unit.objects.filter(parent=district, level=Level.COMMUNE).order_by("code"))
        communes += found * weight
    return communes


def _factory(park_unit: Unit) -> tuple[Organisation, list[Premises]]:
    factory = Organisation.objects.filter(name=FACTORY_NAME, unit=park_unit).first()
    if factory is None:
        park = Organisation.objects.filter(name=PARK_NAME, kind=OrganisationKind.INDUSTRIAL_PARK).first()
        factory = organisation_create(
            name=FACTORY_NAME,
            kind=OrganisationKind.ENTERPRISE,
            unit=park_unit,
            parent=park,
            short_name="Dệt may Hướng Dương",
            sector=Sector.INDUSTRY,
            address=FACTORY_ADDRESS,
        )
    # Like every demo organisation: an office and a gate, where QR posters go (M1).
    for name, kind in (("Văn phòng công ty", Premises.Kind.OFFICE), ("Cổng chính", Premises.Kind.GATE)):
        if not Premises.objects.filter(organisation=factory, name=name).exists():
            premises_create(organisation=factory, name=name, kind=kind, address=FACTORY_ADDRESS)
    lines = []
    for name in LINES:
        line = Premises.objects.filter(organisation=factory, name=name).first()
        if line is None:
            line = premises_create(
                organisation=factory, name=name, kind=Premises.Kind.WORKSHOP, address=FACTORY_ADDRESS
            )
        lines.append(line)
    return factory, lines


def _facility(unit: Unit) -> Facility:
    facility = Facility.objects.filter(name=FACILITY_NAME).first()
    if facility is None:
        facility = facility_create(
            actor=None,
            name=FACILITY_NAME,
            kind=FacilityKind.CENTRALISED,
            unit=unit,
            capacity=250,
            readiness_note="Dữ liệu giả lập (demo)",
        )
    return facility


def build_outbreak(*, seed: int, today: date) -> tuple[Cluster, Built] | None:
    """The factory, its cluster, cases, contacts and their quarantine; ``None`` when the units are missing."""
    park_unit = Unit.objects.filter(tree=catalogue.TREE, code=catalogue.DONG_TIEN).first()
    communes = _communes()
    if park_unit is None or not communes:
        return None
    rng = random.Random(seed)
    factory, lines = _factory(park_unit)
    people = _People(seed, communes, factory)
    first_day = today - timedelta(days=len(DAILY_CASES) - 1)
    cluster = cluster_create(
        actor=None,
        name=CLUSTER_NAME,
        start_date=first_day,
        organisation=factory,
        note="Ổ dịch giả lập theo dạng Chỉ thị của Ban Thường vụ Tỉnh ủy (ổ dịch tại doanh nghiệp trong KCN).",
    )
    built = Built()
    for offset, n in enumerate(DAILY_CASES):
        day = first_day + timedelta(days=offset)
        for i in range(n):
            worker = people.make(worker=True)
            symptoms = rng.random() < 0.7
            case = case_register(
                actor=None,
                person=worker,
                status=CaseStatus.CONFIRMED,
                detected_in=DetectedIn.COMMUNITY,
                onset_date=day - timedelta(days=rng.randint(1, 2)) if symptoms else None,
                sampling_date=day - timedelta(days=1),
                confirmed_at=_moment(day, 9 + i % 8),
                isolated_on=day,
                source_known=bool(built.cases),
                source_note="Cùng dây chuyền sản xuất" if built.cases else "Chưa rõ nguồn lây",
                cluster=cluster,
                notes=NOTE,
            )
            line = lines[len(built.cases) % len(lines)]
            if built.cases:
                # The case caught it from an earlier case of the factory: the chain of transmission.
                source = built.cases[rng.randrange(max(0, len(built.cases) - 6), len(built.cases))]
                # Met on a shift while the source could pass it on: before the source was isolated.
                assert source.confirmation_date is not None
                met = min(source.confirmation_date, day - timedelta(days=2))
                contact_record(
                    actor=None,
                    source=source.person,
                    contact=worker,
                    exposure_type=ExposureType.SHIFT,
                    first_exposure=met,
                    organisation=factory,
                    premises=line,
                )
            built.cases.append(case)
            exposed = day - timedelta(days=1)
            quarantined = min(day + timedelta(days=1), today)
            for _k in range(2):
                coworker = people.make(worker=True)
                contact_record(
                    actor=None,
                    source=worker,
                    contact=coworker,
                    exposure_type=ExposureType.SHIFT,
                    first_exposure=exposed,
                    organisation=factory,
                    premises=line,
                )
                built.coworkers.append((coworker, quarantined))
            for k in range(1 + (len(built.cases) % 2)):
                relative = people.make(unit=worker.residence_unit, age=(5, 70) if k else (20, 60))
                contact_record(
                    actor=None,
                    source=worker,
                    contact=relative,
                    exposure_type=ExposureType.HOUSEHOLD,
                    first_exposure=day - timedelta(days=3),
                    last_exposure=day,
                    place_unit=worker.residence_unit,
                )
                built.household.append((relative, quarantined))
                if k == 0 and len(built.cases) % 3 == 0:
                    # A neighbour met on the day before the household member was quarantined: F2.
                    neighbour = people.make(unit=worker.residence_unit)
                    contact_record(
                        actor=None,
                        source=relative,
                        contact=neighbour,
                        exposure_type=ExposureType.MEAL,
                        first_exposure=day,
                        place_unit=worker.residence_unit,
                    )
                    built.second.append((neighbour, quarantined))
    return cluster, built


def quarantine_outbreak(*, built: Built, facility: Facility, today: date) -> dict[str, int]:
    """F1 co-workers to the facility, household F1s and F2s home; ended stays handed over and mostly acknowledged."""
    tracing_refresh(person_ids=[p.pk for p, _d in built.coworkers + built.household + built.second])
    by_day: dict[tuple[date, str], list[Person]] = {}
    for person, day in built.coworkers:
        by_day.setdefault((day, EpisodeKind.CENTRALISED), []).append(person)
    for person, day in built.household:
        by_day.setdefault((day, EpisodeKind.HOME), []).append(person)
    started = refused = 0
    for (day, kind), group in sorted(by_day.items()):
        result = f1_quarantine(
            actor=None,
            people=group,
            kind=kind,
            start_date=day,
            facility=facility if kind == EpisodeKind.CENTRALISED else None,
        )
        started += len(result.started)
        refused += len(result.refused)
    for person, day in built.second:
        episode_start(actor=None, person=person, kind=EpisodeKind.HOME, start_date=day, reason="F2 (ổ dịch giả lập)")
        started += 1
    # Centralised stays that have ended: released into the next phase, handed over to the commune.
    released = acknowledged = 0
    now = timezone.now()
    ended = Episode.objects.filter(
        facility=facility, status=EpisodeStatus.OPEN, kind=EpisodeKind.CENTRALISED, planned_end__lte=today
    ).select_related("person", "rule", "facility")
    for episode in ended.order_by("planned_end", "pk"):
        assert episode.planned_end is not None
        episode_release(
            actor=None, episode=episode, on=episode.planned_end, at=min(_moment(episode.planned_end, 16), now)
        )
        released += 1
    for handover in Handover.objects.filter(from_facility=facility, acknowledged_at__isnull=True).order_by("sent_at"):
        # The communes took over those sent before today, six hours later; today's wait for them.
        if timezone.localdate(handover.sent_at) < today:
            handover_acknowledge(actor=None, handover=handover, at=handover.sent_at + timedelta(hours=6))
            acknowledged += 1
    return {"started": started, "refused": refused, "released": released, "acknowledged": acknowledged}


def _factory_staff(cluster: Cluster, *, seed: int) -> None:
    """The factory's head, deputies and staff among its workers, like every demo organisation (D3)."""
    from .steps import _staff_build  # imported here: steps imports this module

    factory = cluster.organisation
    if factory is not None and not StaffMembership.objects.filter(organisation=factory).exists():
        _staff_build(org=factory, head_title="Giám đốc", rng=random.Random(seed))


def step_outbreak(demo: Demo) -> None:
    """The factory outbreak: 49 cases in a cluster, their contacts traced and quarantined."""
    existing = Cluster.objects.filter(name=CLUSTER_NAME).first()
    if existing is not None:
        demo.say(f"Ổ dịch giả lập: {existing.cases.count()} ca (giữ nguyên).")
        return
    today = timezone.localdate()
    with transaction.atomic():
        made = build_outbreak(seed=demo.seed + 4, today=today)
        if made is None:
            demo.say("Ổ dịch giả lập: thiếu đơn vị hành chính của thị xã Phổ Yên, bỏ qua.")
            return
        cluster, built = made
        _factory_staff(cluster, seed=demo.seed + 4)
        facility = _facility(Unit.objects.get(tree=catalogue.TREE, code=catalogue.DONG_TIEN))
        counts = quarantine_outbreak(built=built, facility=facility, today=today)
    contacts = Contact.objects.filter(contact__in=[p for p, _d in built.coworkers + built.household]).count()
    demo.say(
        f"Ổ dịch giả lập: {cluster.cases.count()} ca tại {FACTORY_NAME}, {contacts} F1, {len(built.second)} F2; "
        f"cách ly {counts['started']} người, {counts['released']} người hết cách ly tập trung được bàn giao "
        f"({counts['acknowledged']} đã tiếp nhận)."
    )
