"""The synthetic-population generator: valid identity numbers, folded names, realistic shape (D1, D3)."""

from __future__ import annotations

from collections import Counter

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from phongdich.core.text import fold
from phongdich.demo.synthetic import (
    CCCD_MIN_AGE,
    REFERENCE_YEAR,
    Employer,
    PopulationGenerator,
    Residence,
)
from phongdich.people.validators import normalise_phone, validate_cccd

RESIDENCES = (
    Residence(unit_id=1, weight=1000, urban=True, hamlets=((11, "Tổ dân phố 1"), (12, "Tổ dân phố 2"))),
    Residence(unit_id=2, weight=3000, urban=False),
)
EMPLOYERS = (Employer(organisation_id=7, kind="enterprise", weight=3), Employer(organisation_id=8, kind="department"))


def people(seed: int = 1, n: int = 4000, **kwargs: object) -> list[dict[str, object]]:
    generator = PopulationGenerator(seed=seed, residences=RESIDENCES, employers=EMPLOYERS, **kwargs)  # type: ignore[arg-type]
    return list(generator.people(n))


@settings(max_examples=25, deadline=None)
@given(seed=st.integers(min_value=0, max_value=2**32))
def test_every_cccd_and_phone_passes_the_validators_D3(seed: int) -> None:
    for p in people(seed, 200):
        if p["cccd"] is not None:
            assert validate_cccd(p["cccd"], sex=p["sex"], birth_year=p["birth_year"]) == p["cccd"]
        if p["phone"]:
            assert normalise_phone(p["phone"]) == p["phone"]
        assert p["birth_date"] is None or p["birth_date"].year == p["birth_year"]
        assert p["is_synthetic"] is True


def test_cccds_and_phones_are_unique_and_mostly_from_thai_nguyen_D3() -> None:
    rows = people(n=20_000)
    cccds = [p["cccd"] for p in rows if p["cccd"]]
    phones = [p["phone"] for p in rows if p["phone"]]
    assert len(cccds) == len(set(cccds)) > 15_000
    assert len(phones) == len(set(phones)) > 12_000
    born_here = sum(1 for c in cccds if str(c).startswith("019")) / len(cccds)
    assert 0.80 < born_here < 0.92
    # Children under 14 have no CCCD; everyone older has one.
    for p in rows:
        assert (p["cccd"] is None) == (REFERENCE_YEAR - p["birth_year"] < CCCD_MIN_AGE)  # type: ignore[operator]


def test_taken_numbers_are_never_issued_again_D3() -> None:
    first = people(n=300)
    taken_cccds = {p["cccd"] for p in first if p["cccd"]}
    taken_phones = {p["phone"] for p in first if p["phone"]}
    again = people(n=300, taken_cccds=taken_cccds, taken_phones=taken_phones)
    assert not taken_cccds & {p["cccd"] for p in again}
    assert not taken_phones & {p["phone"] for p in again}


def test_names_are_folded_like_the_model_and_varied_D3() -> None:
    rows = people(n=5000)
    for p in rows:
        assert p["name_folded"] == fold(str(p["full_name"]))
        assert p["given_name_folded"] == str(p["name_folded"]).rsplit(" ", 1)[-1]
        assert 2 <= len(str(p["full_name"]).split()) <= 4
    names = Counter(p["full_name"] for p in rows)
    assert len(names) / len(rows) > 0.6  # unique enough for search to be meaningful
    assert names.most_common(1)[0][1] < 25
    families = Counter(str(p["full_name"]).split()[0] for p in rows)
    assert 0.25 < families["Nguyễn"] / len(rows) < 0.40
    assert families.most_common(1)[0][0] == "Nguyễn"
    # Women's middle name is never "Văn", men's never "Thị".
    for p in rows:
        words = str(p["full_name"]).split()
        assert not (p["sex"] == "F" and "Văn" in words[1:-1])
        assert not (p["sex"] == "M" and "Thị" in words[1:-1])


def test_same_seed_same_people_other_seed_other_people_D3() -> None:
    assert people(seed=5, n=100) == people(seed=5, n=100)
    assert [p["full_name"] for p in people(seed=5, n=100)] != [p["full_name"] for p in people(seed=6, n=100)]


def test_residence_follows_population_and_hamlets_D1() -> None:
    rows = people(n=8000)
    urban = [p for p in rows if p["residence_unit_id"] in (11, 12)]
    assert 0.22 < len(urban) / len(rows) < 0.28  # weight 1000 of 4000
    assert {p["residence_unit_id"] for p in rows} == {2, 11, 12}  # hamlet residents live in the hamlet
    assert all(str(p["address"]).startswith("Xóm ") for p in rows if p["residence_unit_id"] == 2)


def test_age_pyramid_and_occupations_are_plausible_D3() -> None:
    rows = people(n=10_000)
    ages = [REFERENCE_YEAR - int(p["birth_year"]) for p in rows]  # type: ignore[call-overload]
    assert 0.20 < sum(a < 15 for a in ages) / len(ages) < 0.28
    assert 0.05 < sum(a >= 65 for a in ages) / len(ages) < 0.12
    assert max(ages) < 100
    employed = [p for p in rows if p["organisation_id"]]
    assert employed
    for p in employed:
        assert 18 <= REFERENCE_YEAR - int(p["birth_year"]) < 60  # type: ignore[call-overload]
    workers = Counter(p["occupation"] for p in employed if p["organisation_id"] == 7)
    assert workers.most_common(1)[0][0] == "Công nhân"
    assert all(p["occupation"] == "Học sinh" for p in rows if 6 <= REFERENCE_YEAR - int(p["birth_year"]) < 18)  # type: ignore[call-overload]


@pytest.mark.parametrize("bad", [{"residences": ()}])
def test_generator_needs_residences_D3(bad: dict[str, object]) -> None:
    with pytest.raises(ValueError):
        PopulationGenerator(seed=1, **bad)  # type: ignore[arg-type]
