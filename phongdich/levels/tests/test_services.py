"""The weekly assessment from the system's own data, publication with 48 hours' notice for a raise,
the province's override, and ``current_level`` (Z3)."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied
from django.utils import timezone

from phongdich.core.errors import ValidationFailed
from phongdich.core.models import AuditLog
from phongdich.geo.models import Level
from phongdich.levels.models import Assessment, LevelDecision
from phongdich.levels.selectors import current_level, pending_decision
from phongdich.levels.services import capacity_report_save, level_publish, levels_assess_week

from .helpers import WEEK, cases, died, set_population, unit


@pytest.mark.django_db
def test_vinh_phuc_18_11_2021_province_level_from_its_own_totals_not_majority_Z3() -> None:
    """Province level 2 from its own totals while 8 of its 9 districts are at level 1 (Vĩnh Phúc, 18/11/2021)."""
    province = unit("26", "Tỉnh Vĩnh Phúc", Level.PROVINCE, None, 180_000)
    districts = []
    for i in range(9):
        d = unit(f"2{i:02d}", f"Huyện {i}", Level.DISTRICT, province, 20_000)
        c = unit(f"08{i:03d}", f"Xã {i}", Level.COMMUNE, d, 20_000)
        districts.append((d, c))
    for _d, c in districts[:8]:
        cases(c, 3)  # 15 community cases /100k/week: band < 20
    cases(districts[8][1], 30)  # 150 /100k/week: band ≥ 150
    result = levels_assess_week(actor=None, week_start=WEEK, rules_code="4800", publish=False)
    assert result.assessed == 1 + 9 + 9
    level = {a.unit_id: a for a in Assessment.objects.filter(week_start=WEEK)}
    district_levels = [level[d.pk].level for d, _c in districts]
    assert district_levels.count(1) == 8
    assert level[districts[8][0].pk].level == 4
    # The province's own total: 54 cases for 180,000 people = 30 /100k → band 20–< 50 → level 2.
    assert level[province.pk].indicators["community_cases_per_100k_week"] == 30.0
    assert level[province.pk].counts["community_cases"] == 54
    assert level[province.pk].level == 2
    assert max(set(district_levels), key=district_levels.count) == 1  # what a majority of districts would say


@pytest.mark.django_db
def test_week_counts_community_cases_by_residence_hamlet_under_commune_Z3(tree: Any) -> None:
    for u, pop in ((tree.province, 100_000), (tree.city, 50_000), (tree.pho_yen, 50_000)):
        set_population(u, pop)
    for u in (tree.quan_trieu, tree.quang_vinh, tree.dac_son):
        set_population(u, 10_000)
    cases(tree.xom1, 2)  # a hamlet of Quán Triều
    cases(tree.quan_trieu, 1)
    cases(tree.quan_trieu, 4, detected_in="quarantine")  # found in quarantine: not community
    cases(tree.quan_trieu, 3, day=WEEK - timedelta(days=1))  # the week before
    cases(tree.quan_trieu, 2, status="suspected")  # not confirmed
    dead = cases(tree.dac_son, 1)[0]
    died(dead, WEEK + timedelta(days=4))
    levels_assess_week(actor=None, week_start=WEEK, rules_code="4800", publish=False)
    qt = Assessment.objects.get(unit=tree.quan_trieu, week_start=WEEK)
    assert qt.counts["community_cases"] == 3
    assert qt.counts["cases"] == 7
    assert qt.indicators["community_cases_per_100k_week"] == 30.0
    city = Assessment.objects.get(unit=tree.city, week_start=WEEK)
    assert city.indicators["community_cases_per_100k_week"] == 6.0
    # 218 counts every new case and the deaths.
    levels_assess_week(actor=None, week_start=WEEK, rules_code="218", publish=False)
    ds = Assessment.objects.get(unit=tree.dac_son, week_start=WEEK, rule_set__code="218")
    assert ds.indicators["deaths_per_100k_week"] == 10.0
    assert ds.level >= 2  # deaths over 6 /100k raise one level
    assert Assessment.objects.filter(unit=tree.xom1).count() == 0  # hamlets are counted, not assessed


@pytest.mark.django_db
def test_capacity_reports_add_up_and_reach_communes_from_their_district_Z3(tree: Any, cast: Any) -> None:
    for u, pop in ((tree.province, 100_000), (tree.city, 50_000), (tree.pho_yen, 50_000)):
        set_population(u, pop)
    for u in (tree.quan_trieu, tree.quang_vinh, tree.dac_son):
        set_population(u, 10_000)
    capacity_report_save(
        actor=cast.dan,
        unit=tree.city,
        week_start=WEEK,
        beds=40,
        free_beds=20,
        icu_beds=2,
        mobile_stations=3,
        oxygen_adequate=True,
        oxygen_cases=1,
    )
    capacity_report_save(
        actor=cast.alice,
        unit=tree.pho_yen,
        week_start=WEEK,
        beds=10,
        free_beds=2,
        icu_beds=0,
        mobile_stations=1,
        oxygen_adequate=False,
        oxygen_cases=0,
    )
    levels_assess_week(actor=None, week_start=WEEK, rules_code="4800", publish=False)
    qv = Assessment.objects.get(unit=tree.quang_vinh, week_start=WEEK)
    assert qv.counts["capacity_source"] == "164"
    assert qv.indicators["free_beds_per_100k"] == 40.0  # 20 free beds for the city's 50,000
    assert qv.indicators["oxygen_supply_adequate"] is True
    province = Assessment.objects.get(unit=tree.province, week_start=WEEK)
    assert province.counts["capacity_free_beds"] == 22
    assert province.indicators["oxygen_supply_adequate"] is False  # one district short of oxygen
    with pytest.raises(PermissionDenied):
        capacity_report_save(
            actor=cast.chi,
            unit=tree.dac_son,
            week_start=WEEK,
            beds=1,
            free_beds=1,
            icu_beds=0,
            mobile_stations=0,
            oxygen_adequate=True,
            oxygen_cases=0,
        )
    with pytest.raises(ValidationFailed, match="giường trống"):
        capacity_report_save(
            actor=cast.alice,
            unit=tree.dac_son,
            week_start=WEEK,
            beds=1,
            free_beds=2,
            icu_beds=0,
            mobile_stations=0,
            oxygen_adequate=True,
            oxygen_cases=0,
        )


def _populate(tree: Any) -> None:
    for u, pop in ((tree.province, 30_000), (tree.city, 20_000), (tree.pho_yen, 10_000)):
        set_population(u, pop)
    for u in (tree.quan_trieu, tree.quang_vinh, tree.dac_son):
        set_population(u, 10_000)


@pytest.mark.django_db
def test_weekly_job_publishes_raise_48_hours_ahead_and_lowering_at_once_Z3(tree: Any) -> None:
    _populate(tree)
    cases(tree.quan_trieu, 20)  # 200 /100k → level 4 (criterion 2 not met)
    now = timezone.now()
    result = levels_assess_week(actor=None, week_start=WEEK, rules_code="4800", now=now)
    assert result.published == 6
    d = LevelDecision.objects.get(unit=tree.quan_trieu)
    assert d.level == 4
    assert d.effective_from - d.published_at == timedelta(hours=48)
    assert LevelDecision.objects.get(unit=tree.dac_son).effective_from == now  # level 1: no raise
    today = timezone.localdate()
    assert current_level(tree.quan_trieu, on=today) is None  # announced, not yet in force
    assert current_level(tree.quan_trieu, on=today + timedelta(days=3)) == 4
    assert current_level(tree.xom1, on=today + timedelta(days=3)) == 4  # a hamlet has its commune's level
    assert current_level(tree.dac_son) == 1
    assert pending_decision(tree.quan_trieu) == d
    # Again for the same week: the assessments are updated, nothing new published.
    again = levels_assess_week(actor=None, week_start=WEEK, rules_code="4800", now=now)
    assert again.published == 0
    assert Assessment.objects.filter(week_start=WEEK).count() == 6
    # The next week, no cases: Quán Triều's pending raise is superseded by a level 1 at once.
    later = now + timedelta(days=1)
    levels_assess_week(actor=None, week_start=WEEK + timedelta(days=7), rules_code="4800", now=later)
    d.refresh_from_db()
    assert d.superseded_at == later
    assert current_level(tree.quan_trieu, on=today + timedelta(days=3)) == 1
    assert AuditLog.objects.filter(object_type="levels.assessment").count() == 3


@pytest.mark.django_db
def test_province_override_needs_a_reason_and_a_raise_48_hours_notice_Z3(tree: Any, cast: Any) -> None:
    _populate(tree)
    levels_assess_week(actor=None, week_start=WEEK, rules_code="4800")
    assert current_level(tree.dac_son) == 1
    with pytest.raises(ValidationFailed, match="lý do"):
        level_publish(actor=cast.alice, unit=tree.dac_son, level=3)
    with pytest.raises(ValidationFailed, match="48 giờ"):
        level_publish(
            actor=cast.alice,
            unit=tree.dac_son,
            level=3,
            reason="Ổ dịch tại khu công nghiệp",
            effective_from=timezone.now() + timedelta(hours=47),
        )
    with pytest.raises(PermissionDenied):
        level_publish(actor=cast.dan, unit=tree.dac_son, level=3, reason="x")
    d = level_publish(actor=cast.alice, unit=tree.dac_son, level=3, reason="Ổ dịch tại khu công nghiệp")
    assert d.is_override
    assert d.computed_level == 1
    assert d.effective_from - d.published_at == timedelta(hours=48)
    assert current_level(tree.dac_son) == 1
    assert current_level(tree.dac_son, on=timezone.localdate() + timedelta(days=3)) == 3
    # The weekly job leaves the province's override alone.
    assert levels_assess_week(actor=None, week_start=WEEK, rules_code="4800").published == 0
    # Lowering takes effect at once (back to the computed level: no reason needed).
    back = level_publish(actor=cast.alice, unit=tree.dac_son, level=1)
    assert back.effective_from == back.published_at
    assert not back.is_override
    d.refresh_from_db()
    assert d.superseded_at is not None
    assert current_level(tree.dac_son, on=timezone.localdate() + timedelta(days=3)) == 1
    assert AuditLog.objects.filter(object_type="levels.leveldecision").count() == 2


@pytest.mark.django_db
def test_week_before_the_rules_is_refused_Z3(tree: Any) -> None:
    from datetime import date

    with pytest.raises(ValidationFailed, match="12/10/2021"):
        levels_assess_week(actor=None, week_start=date(2021, 9, 6))
    # The rule set in force is chosen by the week: W04/2022 ends on 30/01/2022, under 218.
    _populate(tree)
    assert levels_assess_week(actor=None, week_start=date(2022, 1, 24), publish=False).rule_set == "218"
    assert levels_assess_week(actor=None, week_start=date(2022, 1, 17), publish=False).rule_set == "4800"


@pytest.mark.django_db
def test_vaccination_coverage_from_the_vaccination_app_meets_criterion_2_Z3(tree: Any) -> None:
    """Criterion 2 from ``vaccination.selectors.coverage_by_commune``: ≥ 70 % of adults with one dose and
    ≥ 80 % of the elderly fully vaccinated lower Quán Triều's band level by one; the district adds up."""
    from phongdich.people.tests.factories import PersonFactory
    from phongdich.vaccination.models import Dose, DoseKind, VaccineProduct

    _populate(tree)
    product = VaccineProduct.objects.order_by("id").first()
    assert product is not None
    cases(tree.quan_trieu, 6)  # 60 /100k: band 50–< 150 (6 unvaccinated adults)
    given = WEEK - timedelta(days=30)
    for birth_year in [1990] * 20 + [1940]:
        person = PersonFactory(residence_unit=tree.xom1, birth_year=birth_year)
        Dose.objects.create(
            person=person,
            product=product,
            dose_number=1,
            given_on=given,
            kind=DoseKind.PRIMARY,
            completes_series=birth_year == 1940,
        )
    levels_assess_week(actor=None, week_start=WEEK, rules_code="4800", publish=False)
    qt = Assessment.objects.get(unit=tree.quan_trieu, week_start=WEEK)
    assert qt.counts["cov_adults"] == 27
    assert qt.indicators["adult_one_dose_pct"] == round(100 * 21 / 27, 2)  # 77.78 % ≥ 70 %
    assert qt.indicators["elderly_full_pct"] == 100.0
    assert qt.level == 2
    qv = Assessment.objects.get(unit=tree.quang_vinh, week_start=WEEK)
    assert "adult_one_dose_pct" not in qv.indicators  # nobody registered: no coverage, criterion not met
    city = Assessment.objects.get(unit=tree.city, week_start=WEEK)
    assert city.counts["cov_adults"] == 27  # the district from its communes' counts


@pytest.mark.django_db
def test_weekly_task_assesses_the_last_complete_week_Z3(tree: Any) -> None:
    from phongdich.levels.tasks import assess_last_week
    from phongdich.levels.weeks import last_complete_week, week_label

    _populate(tree)
    result = assess_last_week()
    assert result["week"] == week_label(last_complete_week())
    assert result["rules"] == "218"
    assert result["assessed"] == 6
    assert Assessment.objects.filter(week_start=last_complete_week()).count() == 6
