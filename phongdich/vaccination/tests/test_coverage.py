"""Coverage by residence, age at the day and series (V1), and the contract selectors."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest

from phongdich.people.tests.factories import PersonFactory
from phongdich.vaccination import services as s
from phongdich.vaccination.models import VaccineProduct
from phongdich.vaccination.selectors import Coverage, coverage_by_commune, coverage_report, dose_counts

pytestmark = pytest.mark.django_db
TODAY = date(2021, 12, 1)


def vaccinate(person: Any, *days: date, code: str = "astrazeneca") -> None:
    product = VaccineProduct.objects.get(code=code)
    for day in days:
        s.dose_record(actor=None, person=person, product=product, given_on=day, today=TODAY)


@pytest.fixture
def population(tree: Any) -> dict[str, Any]:
    qt, x1, qv = tree.quan_trieu, tree.xom1, tree.quang_vinh
    people = {
        # Quán Triều commune itself and its hamlet
        "adult_full": PersonFactory(residence_unit=qt, birth_year=1980),
        "hamlet_one": PersonFactory(residence_unit=x1, birth_year=1990),
        "hamlet_none": PersonFactory(residence_unit=x1, birth_year=1995),
        "elderly_boost": PersonFactory(residence_unit=x1, birth_year=1950),
        "elderly_none": PersonFactory(residence_unit=qt, birth_year=1940),
        # turns 18 on 10/08/2021
        "teen": PersonFactory(residence_unit=qt, birth_date=date(2003, 8, 10), birth_year=2003),
        # Quang Vinh
        "qv_one": PersonFactory(residence_unit=qv, birth_year=1985),
    }
    vaccinate(people["adult_full"], date(2021, 7, 1), date(2021, 8, 1))
    vaccinate(people["hamlet_one"], date(2021, 9, 1))
    vaccinate(people["elderly_boost"], date(2021, 6, 1), date(2021, 7, 1), date(2021, 10, 15), code="pfizer")
    vaccinate(people["teen"], date(2021, 8, 20))
    vaccinate(people["qv_one"], date(2021, 9, 10))
    return people


def test_hamlet_residents_count_under_their_commune_V1(tree: Any, population: Any) -> None:
    cov = coverage_by_commune(on=TODAY)
    qt = cov[tree.quan_trieu.pk]
    assert tree.xom1.pk not in cov
    assert qt == Coverage(
        population=6,
        adults=6,
        adults_one_dose=4,
        adults_full=2,
        elderly=2,
        elderly_full=1,
        one_dose=4,
        full=2,
        booster=1,
    )
    assert cov[tree.quang_vinh.pk].adults_one_dose == 1


def test_counts_only_doses_given_by_the_day_and_age_at_the_day_V1(tree: Any, population: Any) -> None:
    qt = coverage_by_commune(on=date(2021, 8, 1), commune_ids=[tree.quan_trieu.pk])[tree.quan_trieu.pk]
    # on 01/08 the teen is 17: not an adult yet; the hamlet dose of 01/09 and the booster not given yet
    assert (qt.population, qt.adults, qt.adults_one_dose, qt.adults_full, qt.booster) == (6, 5, 2, 2, 0)
    assert tree.quang_vinh.pk not in coverage_by_commune(on=date(2021, 8, 1), commune_ids=[tree.quan_trieu.pk])


def test_booster_is_not_a_second_full_series_V1(tree: Any, population: Any) -> None:
    qt = coverage_by_commune(on=date(2021, 10, 14))[tree.quan_trieu.pk]
    assert (qt.full, qt.booster) == (2, 0)
    qt = coverage_by_commune(on=date(2021, 10, 15))[tree.quan_trieu.pk]
    assert (qt.full, qt.booster) == (2, 1)


def test_elderly_age_is_a_parameter_V1(tree: Any, population: Any) -> None:
    qt = coverage_by_commune(on=TODAY, elderly_age=50)[tree.quan_trieu.pk]
    assert (qt.elderly, qt.elderly_full) == (2, 1)
    qt = coverage_by_commune(on=TODAY, elderly_age=40)[tree.quan_trieu.pk]
    assert (qt.elderly, qt.elderly_full) == (3, 2)


def test_dose_counts_per_person_on_the_day_V1(population: Any) -> None:
    ids = [population["elderly_boost"].pk, population["hamlet_none"].pk, population["hamlet_one"].pk]
    assert dose_counts(ids, on=date(2021, 7, 1)) == {ids[0]: 2, ids[1]: 0, ids[2]: 0}
    assert dose_counts(ids, on=TODAY) == {ids[0]: 3, ids[1]: 0, ids[2]: 1}


def test_report_drills_down_and_bands_by_age_V1(tree: Any, cast: Any, population: Any) -> None:
    report = coverage_report(user=cast.alice, on=TODAY, unit=None)
    assert report.unit == tree.province
    city = next(r for r in report.children if r.unit == tree.city)
    assert city.coverage.population == 7
    assert city.coverage.adults_one_dose == 5
    district = coverage_report(user=cast.alice, on=TODAY, unit=tree.city)
    assert [r.unit for r in district.children] == [tree.quan_trieu, tree.quang_vinh]
    bands = {r.band: r.coverage for r in district.bands}
    assert bands["65+"].population == 2
    assert bands["65+"].full == 1
    assert bands["18-49"].population == 5
    assert bands["18-49"].one_dose == 4
    assert bands["50-64"].population == 0
    assert bands["<18"].population == 0


def test_report_is_scoped_V1(tree: Any, cast: Any, population: Any) -> None:
    from django.http import Http404

    assert coverage_report(user=cast.cuong, on=TODAY, unit=None).unit == tree.quan_trieu
    with pytest.raises(Http404):
        coverage_report(user=cast.cuong, on=TODAY, unit=tree.quang_vinh)


def test_commune_report_lists_its_hamlets_V1(tree: Any, cast: Any, population: Any) -> None:
    report = coverage_report(user=cast.cuong, on=TODAY, unit=tree.quan_trieu)
    assert report.child_level is None
    rows = [(r.unit, r.coverage.population, r.coverage.one_dose) for r in report.children]
    # the hamlet (3 residents, 2 vaccinated), then the residents recorded at the commune itself
    assert rows == [(tree.xom1, 3, 2), (None, 3, 2)]
