"""Scenario: seeds 004 and 001 replayed on synthetic people, through the services only (C3, C4, Q2, C1).

Seed 004 (May 2021): "ổ dịch rất nguy hiểm tại Công ty ... tại Khu công nghiệp ... (hiện đã có trên 40
trường hợp nhiễm bệnh)" and "khẩn trương truy vết ... cách ly ... thực hiện nghiêm khâu bàn giao, tiếp
nhận". A synthetic factory's cluster passes 40 cases; every F1 recorded is found and put in quarantine;
the facility's hand-overs are acknowledged by the communes, none left overdue.

Seed 001: "tính từ ngày 01/11 đến 15h00' ngày 06/11/2021, tỉnh Thái Nguyên đã ghi nhận 28 trường hợp
dương tính ... tại huyện Võ Nhai, thị xã Phổ Yên, thành phố Sông Công và thành phố Thái Nguyên".
"""

from __future__ import annotations

from datetime import date, datetime, timedelta
from typing import Any

import pytest
from django.utils import timezone

from phongdich.cases.models import Case, CaseStatus, DetectedIn
from phongdich.cases.selectors import case_counts, cluster_outlook, counts_sentence
from phongdich.cases.services import case_register, cluster_create
from phongdich.geo.models import Level, UnitType
from phongdich.geo.services import unit_create
from phongdich.orgs.models import OrganisationKind, Premises
from phongdich.orgs.services import organisation_create, premises_create
from phongdich.quarantine.models import EpisodeKind, EpisodeStatus, FacilityKind, Handover
from phongdich.quarantine.selectors import handover_queryset
from phongdich.quarantine.services import episode_release, facility_create, handover_acknowledge
from phongdich.tracing.models import ContactLevel, ExposureType
from phongdich.tracing.selectors import f1_unquarantined_queryset
from phongdich.tracing.services import contact_record, f1_quarantine, tracing_refresh

from .conftest import at, make_person

OUTBREAK_START = date(2021, 5, 10)
# Confirmed cases per day over 14 days: 43 in all ("trên 40 trường hợp").
OUTBREAK_DAILY = (1, 1, 1, 2, 2, 2, 3, 3, 4, 4, 4, 5, 5, 6)
SEED_001 = (
    "Tính từ ngày 01/11 đến 15h00 ngày 06/11/2021, tỉnh Thái Nguyên đã ghi nhận 28 trường hợp dương tính với "
    "SARS-CoV-2 tại huyện Võ Nhai, thị xã Phổ Yên, thành phố Sông Công và thành phố Thái Nguyên."
)


def _confirmed(person: Any, day: date, hour: int = 9, **extra: Any) -> Case:
    return case_register(
        actor=None,
        person=person,
        status=CaseStatus.CONFIRMED,
        detected_in=DetectedIn.COMMUNITY,
        sampling_date=day - timedelta(days=1),
        confirmed_at=at(day, hour),
        **extra,
    )


@pytest.fixture
def districts(tree: Any) -> dict[str, Any]:
    """Võ Nhai and Sông Công with a commune each, next to the city and Phổ Yên of the ``tree``."""
    vo_nhai = unit_create(
        tree="2021",
        code="170",
        name="Huyện Võ Nhai",
        level=Level.DISTRICT,
        unit_type=UnitType.HUYEN,
        parent=tree.province,
    )
    song_cong = unit_create(
        tree="2021",
        code="165",
        name="Thành phố Sông Công",
        level=Level.DISTRICT,
        unit_type=UnitType.THANH_PHO,
        parent=tree.province,
    )
    return {
        "170": unit_create(
            tree="2021", code="05716", name="Xã La Hiên", level=Level.COMMUNE, unit_type=UnitType.XA, parent=vo_nhai
        ),
        "172": tree.dac_son,
        "165": unit_create(
            tree="2021",
            code="05830",
            name="Phường Lương Sơn",
            level=Level.COMMUNE,
            unit_type=UnitType.PHUONG,
            parent=song_cong,
        ),
        "164": tree.quang_vinh,
    }


def test_factory_cluster_traced_quarantined_handed_over_C3_C4_Q2(tree: Any, cast: Any) -> None:
    factory = organisation_create(
        name="Công ty TNHH May mặc Thử nghiệm (mô phỏng)", kind=OrganisationKind.ENTERPRISE, unit=tree.dac_son
    )
    line = premises_create(organisation=factory, name="Xưởng may số 1", kind=Premises.Kind.WORKSHOP)
    cluster = cluster_create(
        actor=cast.alice, name="Ổ dịch công ty may", start_date=OUTBREAK_START, organisation=factory
    )
    facility = facility_create(
        actor=None,
        name="Khu cách ly tập trung thử nghiệm",
        kind=FacilityKind.CENTRALISED,
        unit=tree.dac_son,
        capacity=200,
    )
    homes = [tree.dac_son, tree.dac_son, tree.quan_trieu, tree.quang_vinh]
    cases: list[Case] = []
    coworkers: list[tuple[Any, date]] = []
    household: list[tuple[Any, date]] = []
    planted_per_district = {"172": 0, "164": 0}
    for offset, n in enumerate(OUTBREAK_DAILY):
        day = OUTBREAK_START + timedelta(days=offset)
        for i in range(n):
            home = homes[len(cases) % len(homes)]
            planted_per_district["172" if home == tree.dac_son else "164"] += 1
            worker = make_person(home)
            case = _confirmed(worker, day, 8 + i, isolated_on=day, cluster=cluster)
            cases.append(case)
            coworker = make_person(homes[(len(cases) + 1) % len(homes)])
            contact_record(
                actor=None,
                source=worker,
                contact=coworker,
                exposure_type=ExposureType.SHIFT,
                first_exposure=day - timedelta(days=1),
                organisation=factory,
                premises=line,
            )
            coworkers.append((coworker, day + timedelta(days=1)))
            relative = make_person(home)
            contact_record(
                actor=None,
                source=worker,
                contact=relative,
                exposure_type=ExposureType.HOUSEHOLD,
                first_exposure=day - timedelta(days=3),
                last_exposure=day,
            )
            household.append((relative, day + timedelta(days=1)))
    # A contact met after the case was isolated is recorded, but is not an F1.
    late = make_person(tree.dac_son)
    contact_record(
        actor=None,
        source=cases[0].person,
        contact=late,
        exposure_type=ExposureType.OTHER,
        first_exposure=OUTBREAK_START + timedelta(days=5),
    )
    tracing_refresh(person_ids=[p.pk for p, _d in coworkers + household] + [late.pk])

    # The cluster passes 40 cases and is growing on its last day.
    assert cluster.cases.count() == sum(OUTBREAK_DAILY) > 40
    outlook = cluster_outlook(cluster=cluster, as_of=OUTBREAK_START + timedelta(days=len(OUTBREAK_DAILY) - 1))
    assert outlook.total == sum(OUTBREAK_DAILY)
    assert outlook.week.last7 > outlook.week.previous7
    assert outlook.doubling is not None
    # Counts per district of the factory's cases are what was planted.
    counts = case_counts(
        user=cast.alice,
        start=at(OUTBREAK_START, 0),
        end=at(OUTBREAK_START + timedelta(days=len(OUTBREAK_DAILY)), 0),
        unit=tree.province,
    )
    assert {c.unit.code: c.count for c in counts.districts} == planted_per_district

    # Every F1 recorded is found: all of them are waiting for quarantine, the late contact is not.
    f1 = {p.pk for p, _d in coworkers + household}
    assert set(ContactLevel.objects.filter(level=1).values_list("person_id", flat=True)) == f1
    assert set(f1_unquarantined_queryset(user=cast.alice).values_list("person_id", flat=True)) == f1
    assert not ContactLevel.objects.filter(person=late, level=1).exists()

    # Co-workers to the facility, household members home, on the day after the case.
    for group, kind in ((coworkers, EpisodeKind.CENTRALISED), (household, EpisodeKind.HOME)):
        for person, day in group:
            result = f1_quarantine(
                actor=None,
                people=[person],
                kind=kind,
                start_date=day,
                facility=facility if kind == EpisodeKind.CENTRALISED else None,
            )
            assert result.refused == []
    assert not f1_unquarantined_queryset(user=cast.alice).exists()
    # Dân sees the F1s of the city only; none is left there either.
    assert not f1_unquarantined_queryset(user=cast.dan).exists()

    # The facility's stays end (21 days under 600/CĐ-BCĐ): released into home quarantine, handed over.
    released = 0
    for episode in facility.episodes.filter(status=EpisodeStatus.OPEN).select_related("person", "rule"):
        assert episode.planned_end is not None
        assert episode.planned_end == episode.start_date + timedelta(days=20)
        following = episode_release(actor=None, episode=episode, on=episode.planned_end, at=at(episode.planned_end, 10))
        assert following is not None
        assert following.kind == EpisodeKind.HOME
        released += 1
    assert released == len(coworkers)
    handovers = Handover.objects.filter(from_facility=facility)
    assert handovers.count() == released
    assert handover_queryset(user=cast.alice, status="overdue").count() == released  # sent in 2021
    # Each commune acknowledges its own: Cường for Quán Triều, Chi for Quang Vinh, the province otherwise.
    officers = {tree.quan_trieu.pk: cast.cuong, tree.quang_vinh.pk: cast.chi}
    for handover in handovers.select_related("to_unit"):
        handover_acknowledge(
            actor=officers.get(handover.to_unit_id, cast.alice),
            handover=handover,
            at=handover.sent_at + timedelta(hours=3),
        )
    assert not handover_queryset(user=cast.alice, status="overdue").exists()
    assert not handover_queryset(user=cast.alice, status="pending").exists()
    assert handover_queryset(user=cast.alice, status="acknowledged").count() == released


def test_seed_001_counts_per_district_and_period_C1(tree: Any, cast: Any, districts: dict[str, Any]) -> None:
    # (district code, cases, first day) in the order the districts reported their first case.
    wave = [("170", 3, date(2021, 11, 1)), ("172", 12, date(2021, 11, 2)), ("165", 5, date(2021, 11, 4))]
    wave.append(("164", 8, date(2021, 11, 5)))
    for code, n, first in wave:
        for i in range(n):
            day = min(first + timedelta(days=i % 2), date(2021, 11, 6))
            _confirmed(make_person(districts[code]), day, 8 + i % 7)
    # Outside the period: the evening before, and after 15:00 on 06/11.
    _confirmed(make_person(districts["164"]), date(2021, 10, 31), 20)
    _confirmed(make_person(districts["172"]), date(2021, 11, 6), 16)
    start = timezone.make_aware(datetime(2021, 11, 1))
    end = timezone.make_aware(datetime(2021, 11, 6, 15))
    counts = case_counts(user=cast.alice, start=start, end=end, unit=tree.province)
    assert counts.total == 28
    assert [(c.unit.code, c.count) for c in counts.districts] == [(code, n) for code, n, _f in wave]
    assert counts_sentence(counts) == SEED_001
    # The same period seen by the city's officer: only the city's 8.
    city = case_counts(user=cast.dan, start=start, end=end, unit=tree.city)
    assert city.total == 8
