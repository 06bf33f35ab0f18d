"""The gate colour rule (M1): a table of facts → colour, and adding a fact never makes it greener."""

from __future__ import annotations

from dataclasses import replace

import pytest
from hypothesis import given
from hypothesis import strategies as st

from phongdich.healthpass.rules import Colour, Facts, Risk, colour_of, gate_colour, risks

R, Y, G = Colour.RED, Colour.YELLOW, Colour.GREEN

TABLE = [
    ("nothing", Facts(), G),
    ("open case", Facts(open_case=True), R),
    ("centralised quarantine", Facts(quarantine_kind="centralised"), R),
    ("home quarantine", Facts(quarantine_kind="home"), R),
    ("post-quarantine monitoring", Facts(quarantine_kind="post_quarantine_monitoring"), Y),
    ("self-isolation", Facts(quarantine_kind="self_isolation"), Y),
    ("exposure flag", Facts(exposure_flag=True), Y),
    ("F0", Facts(contact_level=0), R),
    ("F1", Facts(contact_level=1), R),
    ("F2", Facts(contact_level=2), Y),
    ("F3 is not a gate fact", Facts(contact_level=3), G),
    ("unknown quarantine kind", Facts(quarantine_kind="something_else"), G),
    ("flag and monitoring stay yellow", Facts(exposure_flag=True, quarantine_kind="self_isolation"), Y),
    ("F2 with an open case is red", Facts(contact_level=2, open_case=True), R),
    ("flag with home quarantine is red", Facts(exposure_flag=True, quarantine_kind="home"), R),
    ("test due", Facts(test_due=True), Y),
    ("adult without a dose", Facts(unvaccinated_adult=True), Y),
    ("test due and no dose stay yellow", Facts(test_due=True, unvaccinated_adult=True), Y),
    ("no dose with home quarantine is red", Facts(unvaccinated_adult=True, quarantine_kind="home"), R),
]


@pytest.mark.parametrize(("label", "facts", "colour"), TABLE, ids=[row[0] for row in TABLE])
def test_gate_colour_table_M1(label: str, facts: Facts, colour: Colour) -> None:
    assert gate_colour(facts) == colour, label


def test_every_risk_has_a_colour_and_none_is_green_M1() -> None:
    assert all(colour_of([r]) > Colour.GREEN for r in Risk)
    assert colour_of([]) == Colour.GREEN


def test_colours_have_neutral_labels_and_instructions_M1() -> None:
    for colour in Colour:
        text = f"{colour.label} {colour.instruction}".lower()
        for word in ("f0", "f1", "f2", "ca bệnh", "cách ly tập trung", "dương tính", "vùng dịch"):
            assert word not in text


risk_sets = st.frozensets(st.sampled_from(list(Risk)))


@given(base=risk_sets, extra=risk_sets)
def test_adding_a_risk_never_makes_the_colour_greener_M1(base: frozenset[Risk], extra: frozenset[Risk]) -> None:
    assert colour_of(base | extra) >= colour_of(base)


facts_strategy = st.builds(
    Facts,
    open_case=st.booleans(),
    quarantine_kind=st.sampled_from([None, "centralised", "home", "post_quarantine_monitoring", "self_isolation"]),
    exposure_flag=st.booleans(),
    contact_level=st.sampled_from([None, 0, 1, 2, 3]),
    test_due=st.booleans(),
    unvaccinated_adult=st.booleans(),
)


@given(facts=facts_strategy)
def test_facts_add_risks_monotonically_M1(facts: Facts) -> None:
    """Turning on a boolean fact (a case, a flag) on top of any facts never lowers the colour."""
    before = gate_colour(facts)
    for field in ("open_case", "exposure_flag", "test_due", "unvaccinated_adult"):
        assert gate_colour(replace(facts, **{field: True})) >= before, field
    everything = replace(facts, open_case=True, exposure_flag=True, test_due=True, unvaccinated_adult=True)
    assert risks(facts) <= risks(everything)
