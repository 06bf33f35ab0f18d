"""Case reads: counts per period and unit (seed 001), days without a community case, the epidemic curve,
the police/health suspected list, scope (C1, C2, C5, D4)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any

import pytest

from phongdich.cases.models import Case, CaseStatus, DetectedIn, ReportedBy
from phongdich.cases.selectors import (
    case_counts,
    community_status,
    counts_sentence,
    days_since_last_community_case,
    epidemic_curve,
    suspected_list,
)
from phongdich.cases.services import case_register, case_transition
from phongdich.geo.models import Level, UnitType
from phongdich.geo.services import unit_create

from .conftest import at, make_person

SEED_001 = (
    "Tính từ ngày 01/11 đến 15h00 ngày 06/11/2021, tỉnh Thái Nguyên đã ghi nhận 28 trường hợp dương tính với "
    "SARS-CoV-2 tại huyện Võ Nhai, thị xã Phổ Yên, thành phố Sông Công và thành phố Thái Nguyên."
)


@pytest.fixture
def seed_001(tree: Any, confirmed_case: Callable[..., Case]) -> Any:
    """Seed 001's shape: 28 confirmed cases from 01/11 to 15:00 06/11/2021 in four districts, others outside."""
    vo_nhai = unit_create(
        tree="2021",
        code="170",
        name="Huyện Võ Nhai",
        level=Level.DISTRICT,
        unit_type=UnitType.HUYEN,
        parent=tree.province,
    )
    dinh_ca = unit_create(
        tree="2021",
        code="05716",
        name="Thị trấn Đình Cả",
        level=Level.COMMUNE,
        unit_type=UnitType.THI_TRAN,
        parent=vo_nhai,
    )
    song_cong = unit_create(
        tree="2021",
        code="165",
        name="Thành phố Sông Công",
        level=Level.DISTRICT,
        unit_type=UnitType.THANH_PHO,
        parent=tree.province,
    )
    luong_son = unit_create(
        tree="2021",
        code="05506",
        name="Phường Lương Sơn",
        level=Level.COMMUNE,
        unit_type=UnitType.PHUONG,
        parent=song_cong,
    )
    plan = [(dinh_ca, 4, date(2021, 11, 1)), (tree.dac_son, 9, date(2021, 11, 2)), (luong_son, 5, date(2021, 11, 3))]
    for unit, n, day in plan:
        for i in range(n):
            confirmed_case(unit, day, 8 + i)
    for i in range(6):
        confirmed_case(tree.quan_trieu, date(2021, 11, 4), 8 + i)
    for i in range(3):
        confirmed_case(tree.xom1, date(2021, 11, 5), 9 + i, detected_in=DetectedIn.QUARANTINE)
    confirmed_case(tree.quang_vinh, date(2021, 11, 6), 15)  # 15:00 sharp: counted
    # Outside the period: before it, after 15:00 on the last day, and a suspected case.
    confirmed_case(tree.quang_vinh, date(2021, 10, 31), 23)
    confirmed_case(tree.quang_vinh, date(2021, 11, 6), 16)
    case_register(actor=None, person=make_person(tree.quan_trieu), detected_in="community")
    return {"vo_nhai": vo_nhai, "song_cong": song_cong}


def test_counts_reproduce_seed_001_sentence_C1(tree: Any, cast: Any, seed_001: Any) -> None:
    counts = case_counts(user=cast.alice, start=at(date(2021, 11, 1), 0), end=at(date(2021, 11, 6), 15))
    assert counts.total == 28
    assert [(c.unit.name, c.count) for c in counts.districts] == [
        ("Huyện Võ Nhai", 4),
        ("Thị xã Phổ Yên", 9),
        ("Thành phố Sông Công", 5),
        ("Thành phố Thái Nguyên", 10),
    ]
    assert {c.unit.name: c.count for c in counts.communes} == {
        "Thị trấn Đình Cả": 4,
        "Xã Đắc Sơn": 9,
        "Phường Lương Sơn": 5,
        "Phường Quán Triều": 9,  # its hamlet's cases count in the commune
        "Phường Quang Vinh": 1,
    }
    assert counts_sentence(counts) == SEED_001


def test_counts_follow_scope_and_unit_C1(tree: Any, cast: Any, seed_001: Any) -> None:
    start, end = at(date(2021, 11, 1), 0), at(date(2021, 11, 6), 15)
    counts = case_counts(user=cast.dan, start=start, end=end)
    assert [(c.unit.name, c.count) for c in counts.districts] == [("Thành phố Thái Nguyên", 10)]
    assert case_counts(user=cast.chi, start=start, end=end).total == 1
    by_city = case_counts(user=cast.alice, start=start, end=end, unit=tree.city)
    assert counts_sentence(by_city) == (
        "Tính từ ngày 01/11 đến 15h00 ngày 06/11/2021, thành phố Thái Nguyên đã ghi nhận 10 trường hợp dương tính "
        "với SARS-CoV-2 tại phường Quán Triều và phường Quang Vinh."
    )
    empty = case_counts(user=cast.alice, start=at(date(2021, 12, 1), 0), end=at(date(2021, 12, 2), 23, 59))
    assert counts_sentence(empty) == (
        "Tính từ ngày 01/12 đến ngày 02/12/2021, toàn địa bàn không ghi nhận trường hợp dương tính với SARS-CoV-2."
    )


def test_days_since_last_community_case_ignore_quarantine_and_entry_C2(
    tree: Any, cast: Any, confirmed_case: Callable[..., Case]
) -> None:
    today = date(2021, 11, 20)
    assert days_since_last_community_case(unit=tree.city, today=today) is None
    confirmed_case(tree.quan_trieu, date(2021, 7, 21))
    confirmed_case(tree.xom1, date(2021, 11, 18), detected_in=DetectedIn.QUARANTINE)
    confirmed_case(tree.quang_vinh, date(2021, 11, 19), detected_in=DetectedIn.ENTRY)
    assert days_since_last_community_case(unit=tree.city, today=today) == 122
    assert days_since_last_community_case(unit=tree.quang_vinh, today=today) is None
    # As of an earlier day, later cases do not exist yet.
    assert days_since_last_community_case(unit=tree.city, today=date(2021, 7, 20)) is None
    # A discarded suspect does not reset the count; a new community case does.
    suspect = case_register(actor=None, person=make_person(tree.quan_trieu), detected_in="community")
    case_transition(actor=None, case=suspect, to=CaseStatus.DISCARDED, on_date=date(2021, 11, 19))
    assert days_since_last_community_case(unit=tree.city, today=today) == 122
    confirmed_case(tree.dac_son, date(2021, 11, 10))
    rows = {r.unit.name: (r.days, r.green) for r in community_status(user=cast.alice, today=today)}
    assert rows == {"Thành phố Thái Nguyên": (122, True), "Thị xã Phổ Yên": (10, False)}


def test_green_threshold_is_a_setting_C2(tree: Any, cast: Any, settings: Any, confirmed_case: Any) -> None:
    confirmed_case(tree.quan_trieu, date(2021, 11, 10))
    settings.CASES_GREEN_AFTER_DAYS = 7
    assert [r.green for r in community_status(user=cast.alice, today=date(2021, 11, 20))] == [True, True]
    settings.CASES_GREEN_AFTER_DAYS = 28
    assert [r.green for r in community_status(user=cast.alice, today=date(2021, 11, 20))] == [False, True]


def test_epidemic_curve_fills_zero_days_and_dates_asymptomatic_cases_by_sampling_C1(
    tree: Any, cast: Any, confirmed_case: Callable[..., Case]
) -> None:
    confirmed_case(tree.quan_trieu, date(2021, 11, 5), onset=date(2021, 11, 1))
    confirmed_case(tree.quan_trieu, date(2021, 11, 5), onset=date(2021, 11, 1))
    confirmed_case(tree.quan_trieu, date(2021, 11, 6), sampling=date(2021, 11, 4))  # no symptoms: sampling day
    confirmed_case(tree.quang_vinh, date(2021, 11, 6))  # neither: confirmation day
    case_register(
        actor=None, person=make_person(tree.quan_trieu), detected_in="community", onset_date=date(2021, 11, 2)
    )
    assert epidemic_curve(user=cast.alice) == [
        (date(2021, 11, 1), 2),
        (date(2021, 11, 2), 0),
        (date(2021, 11, 3), 0),
        (date(2021, 11, 4), 1),
        (date(2021, 11, 5), 0),
        (date(2021, 11, 6), 1),
    ]
    assert epidemic_curve(user=cast.chi, start=date(2021, 11, 5), end=date(2021, 11, 7)) == [
        (date(2021, 11, 5), 0),
        (date(2021, 11, 6), 1),
        (date(2021, 11, 7), 0),
    ]
    assert epidemic_curve(user=cast.alice, unit=tree.pho_yen) == []


def test_suspected_list_is_shared_by_police_and_health_C5(tree: Any, cast: Any) -> None:
    by_police = case_register(
        actor=None, person=make_person(tree.quan_trieu), detected_in="community", reported_by=ReportedBy.POLICE
    )
    by_health = case_register(actor=None, person=make_person(tree.xom1), detected_in="community")
    probable = case_register(actor=None, person=make_person(tree.quan_trieu), detected_in="community")
    case_transition(actor=None, case=probable, to=CaseStatus.PROBABLE, on_date=date(2021, 11, 3))
    discarded = case_register(actor=None, person=make_person(tree.quan_trieu), detected_in="community")
    case_transition(actor=None, case=discarded, to=CaseStatus.DISCARDED, on_date=date(2021, 11, 3))
    elsewhere = case_register(actor=None, person=make_person(tree.quang_vinh), detected_in="community")
    assert {c.pk for c in suspected_list(user=cast.cuong).items} == {by_police.pk, by_health.pk, probable.pk}
    assert [c.pk for c in suspected_list(user=cast.cuong, reported_by=ReportedBy.POLICE).items] == [by_police.pk]
    assert [c.pk for c in suspected_list(user=cast.hoa).items] == [by_health.pk]
    assert elsewhere.pk not in {c.pk for c in suspected_list(user=cast.cuong).items}
