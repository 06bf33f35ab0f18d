"""Measure sets as data and the pure "what is allowed" answers (Z1, Z2): the seeded sets of Directives
15/CT-TTg, 16/CT-TTg and 19/CT-TTg and of levels 1–4, table-driven; uncertain measures are flagged."""

from __future__ import annotations

from decimal import Decimal

import pytest

from phongdich.zones.measures import Activity, MeasureRules, decide, gathering_cap, strictest
from phongdich.zones.models import MEASURE_FIELDS, MeasureSet


def rules(code: str) -> MeasureRules:
    return MeasureSet.objects.get(code=code).rules()


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("code", "indoor", "outdoor", "distance"),
    [
        ("ct15", 20, 9, Decimal("2.0")),  # no meeting > 20 per room; no group of 10 or more outside
        ("ct16", 2, 2, Decimal("2.0")),  # no group > 2 outside offices, schools, hospitals
        ("ct19", 30, 20, Decimal("1.0")),
    ],
)
def test_seeded_directives_caps_and_distance_Z1(code: str, indoor: int, outdoor: int, distance: Decimal) -> None:
    measure_rules = rules(code)
    assert gathering_cap(measure_rules, indoors=True) == indoor
    assert gathering_cap(measure_rules, indoors=False) == outdoor
    assert measure_rules.min_distance_m == distance


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("code", "activity", "kwargs", "allowed"),
    [
        ("ct15", Activity.GATHERING, {"size": 20, "indoors": True}, True),
        ("ct15", Activity.GATHERING, {"size": 21, "indoors": True}, False),
        ("ct15", Activity.GATHERING, {"size": 9, "indoors": False}, True),
        ("ct15", Activity.GATHERING, {"size": 10, "indoors": False}, False),
        ("ct16", Activity.GATHERING, {"size": 2, "indoors": False}, True),
        ("ct16", Activity.GATHERING, {"size": 3, "indoors": False}, False),
        ("ct19", Activity.EVENT, {"size": 5}, False),  # festivals, rites, crowded events stop
        ("ct15", Activity.BUSINESS, {"business_kind": "karaoke"}, False),  # non-essential
        ("ct15", Activity.BUSINESS, {"business_kind": "food_grocery"}, True),
        ("ct16", Activity.BUSINESS, {"business_kind": "restaurant"}, False),
        ("ct16", Activity.BUSINESS, {"business_kind": "pharmacy"}, True),
        ("ct19", Activity.BUSINESS, {"business_kind": "restaurant"}, True),  # most reopen
        ("ct19", Activity.BUSINESS, {"business_kind": "karaoke"}, False),
        ("ct19", Activity.BUSINESS, {"business_kind": "massage"}, False),
        ("ct19", Activity.BUSINESS, {"business_kind": "bar"}, False),
        ("ct19", Activity.BUSINESS, {"business_kind": "discotheque"}, False),
        ("ct19", Activity.BUSINESS, {"business_kind": "beauty_salon"}, False),
        ("ct16", Activity.PUBLIC_TRANSPORT, {}, False),  # public transport stops
        ("ct19", Activity.PUBLIC_TRANSPORT, {}, True),
        ("ct16", Activity.LEAVING_HOME, {}, False),  # stay home
        ("ct15", Activity.LEAVING_HOME, {}, True),
        ("ct16", Activity.GOODS_TRANSPORT, {}, True),  # goods keep flowing (Z2)
        ("level-4", Activity.GOODS_TRANSPORT, {}, True),
    ],
)
def test_what_each_directive_allows_Z1(code: str, activity: Activity, kwargs: dict, allowed: bool) -> None:
    assert decide(rules(code), activity, **kwargs).allowed is allowed


@pytest.mark.django_db
def test_unconfirmed_measures_are_flagged_and_answers_say_so_Z1() -> None:
    # What the comparison table states is not flagged; what it does not is.
    assert MeasureSet.objects.get(code="ct16").uncertain == []
    assert not decide(rules("ct16"), Activity.GATHERING, size=3, indoors=False).uncertain
    ct19 = rules("ct19")
    assert {"indoor_gathering_cap", "outdoor_gathering_cap"} <= ct19.uncertain
    assert decide(ct19, Activity.GATHERING, size=25, indoors=True).uncertain
    assert not decide(ct19, Activity.BUSINESS, business_kind="karaoke").uncertain
    # Every level's measure is reference data only: all flagged.
    for level in (1, 2, 3, 4):
        assert set(MeasureSet.objects.get(level=level).uncertain) == set(MEASURE_FIELDS)


@pytest.mark.django_db
def test_levels_are_seeded_from_128_and_grow_stricter_Z1() -> None:
    sets = {ms.level: ms for ms in MeasureSet.objects.filter(level__isnull=False)}
    assert sorted(sets) == [1, 2, 3, 4]
    assert all("128/NQ-CP" in ms.source_document for ms in sets.values())
    assert gathering_cap(sets[1].rules(), indoors=True) is None
    assert decide(sets[1].rules(), Activity.GATHERING, size=500).allowed
    assert not decide(sets[4].rules(), Activity.LEAVING_HOME).allowed
    caps = [gathering_cap(sets[n].rules(), indoors=True) for n in (2, 3, 4)]
    assert caps == sorted(caps, reverse=True)


@pytest.mark.parametrize(
    ("measure_rules", "activity", "kwargs", "allowed"),
    [
        (MeasureRules(), Activity.GATHERING, {"size": 1000}, True),  # no cap named: allowed
        (MeasureRules(events_stopped=True), Activity.GATHERING, {"size": 5}, True),
        (MeasureRules(events_stopped=True), Activity.EVENT, {"size": 5}, False),
        (MeasureRules(indoor_gathering_cap=50), Activity.EVENT, {"size": 50}, True),
        (MeasureRules(indoor_gathering_cap=50), Activity.EVENT, {"size": 51}, False),
        (MeasureRules(indoor_gathering_cap=50), Activity.GATHERING, {"size": 51, "indoors": False}, True),
        (MeasureRules(non_essential_closed=True), Activity.BUSINESS, {"business_kind": "production"}, True),
        (MeasureRules(closed_business_kinds=frozenset({"gym"})), Activity.BUSINESS, {"business_kind": "gym"}, False),
        (MeasureRules(public_transport="limited"), Activity.PUBLIC_TRANSPORT, {}, True),
    ],
)
def test_pure_rules_table_Z1(measure_rules: MeasureRules, activity: Activity, kwargs: dict, allowed: bool) -> None:
    assert decide(measure_rules, activity, **kwargs).allowed is allowed


def test_questions_without_their_facts_are_refused_Z1() -> None:
    with pytest.raises(ValueError):
        decide(MeasureRules(), Activity.GATHERING)
    with pytest.raises(ValueError):
        decide(MeasureRules(), Activity.BUSINESS)
    with pytest.raises(ValueError):
        decide(MeasureRules(), "dancing")


@pytest.mark.django_db
def test_overlapping_zones_apply_each_measure_at_its_strictest_Z1() -> None:
    ct15, ct16, ct19 = rules("ct15"), rules("ct16"), rules("ct19")
    both = strictest([ct15, ct19])
    assert (both.indoor_gathering_cap, both.outdoor_gathering_cap) == (20, 9)
    assert both.min_distance_m == Decimal("2.0")
    assert both.non_essential_closed
    assert both.closed_business_kinds == ct19.closed_business_kinds
    assert both.public_transport == "limited"
    assert both.uncertain == ct15.uncertain | ct19.uncertain
    assert strictest([ct15, ct16]).public_transport == "stopped"
    assert strictest([ct15, ct16]).stay_home
    assert strictest([ct19]) == ct19
    assert strictest([]) == MeasureRules()
    assert decide(strictest([]), Activity.GATHERING, size=1000).allowed
