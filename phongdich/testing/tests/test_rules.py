"""The mandatory-testing rule (T1): table-driven over the pure function, and the seeded rows."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

import pytest

from phongdich.testing import models as m
from phongdich.testing.rules import required_tests, rule_for


def rule(trigger: str, start: date, end: date | None = None, **fields: Any) -> m.MandatoryTestRule:
    values: dict[str, Any] = {
        "kind": m.TestKind.RAPID,
        "due_within_days": 1,
        "applies_to": "any",
        "source": "VB",
        **fields,
    }
    return m.MandatoryTestRule(trigger=trigger, effective_from=start, effective_to=end, **values)


RULES = [
    rule("new_hire", date(2021, 10, 11), due_within_days=1),
    rule("symptoms", date(2021, 10, 11), due_within_days=0),
    rule("epidemic_area_arrival", date(2021, 10, 11), date(2021, 12, 31), kind="pcr", due_within_days=2),
    rule("f1_schedule", date(2021, 5, 5), date(2021, 7, 13), kind="pcr", schedule_days=[1, 14, 20, 28]),
    rule("f1_schedule", date(2021, 10, 11), kind="pcr", schedule_days=[7, 14], applies_to="none"),
    rule("f1_schedule", date(2021, 10, 11), kind="pcr", schedule_days=[1], applies_to="full_or_recovered"),
]

D = date


@pytest.mark.parametrize(
    ("trigger", "on", "vaccination", "expected"),
    [
        # new hires: one rapid test within a day of starting, once the rule is in force
        ("new_hire", D(2021, 11, 1), "any", [("rapid", D(2021, 11, 2), None)]),
        ("new_hire", D(2021, 10, 10), "any", []),
        # symptoms: the same day
        ("symptoms", D(2021, 11, 1), "any", [("rapid", D(2021, 11, 1), None)]),
        # arrivals: PCR within two days while the rule is in force, nothing after it ended
        ("epidemic_area_arrival", D(2021, 12, 31), "any", [("pcr", D(2022, 1, 2), None)]),
        ("epidemic_area_arrival", D(2022, 1, 1), "any", []),
        # F1 from 05/05/2021: days 1, 14, 20 (and 28, day 7 at home) after the start of quarantine
        (
            "f1_schedule",
            D(2021, 6, 1),
            "none",
            [
                ("pcr", D(2021, 6, 1), 1),
                ("pcr", D(2021, 6, 14), 14),
                ("pcr", D(2021, 6, 20), 20),
                ("pcr", D(2021, 6, 28), 28),
            ],
        ),
        # F1 from 10/2021: unvaccinated days 7 and 14; fully vaccinated day 1; partly vaccinated no rule here
        ("f1_schedule", D(2021, 11, 1), "none", [("pcr", D(2021, 11, 7), 7), ("pcr", D(2021, 11, 14), 14)]),
        ("f1_schedule", D(2021, 11, 1), "full_or_recovered", [("pcr", D(2021, 11, 1), 1)]),
        ("f1_schedule", D(2021, 11, 1), "partial", []),
        # between the rules: nothing
        ("f1_schedule", D(2021, 8, 1), "none", []),
    ],
)
def test_rule_table_T1(trigger: str, on: date, vaccination: str, expected: list[tuple[str, date, int | None]]) -> None:
    due = required_tests(trigger=trigger, on=on, rules=RULES, vaccination=vaccination)
    assert [(d.kind, d.due_on, d.day) for d in due] == expected


def test_specific_vaccination_rule_beats_any_and_later_beats_earlier_T1() -> None:
    rules = [
        rule("f1_schedule", D(2021, 10, 11), schedule_days=[3], applies_to="any"),
        rule("f1_schedule", D(2021, 10, 11), schedule_days=[7, 14], applies_to="none"),
        rule("new_hire", D(2021, 10, 11), due_within_days=3),
        rule("new_hire", D(2021, 11, 1), due_within_days=1),
    ]
    assert rule_for(trigger="f1_schedule", on=D(2021, 12, 1), rules=rules, vaccination="none").schedule_days == [7, 14]
    assert rule_for(trigger="f1_schedule", on=D(2021, 12, 1), rules=rules, vaccination="partial").schedule_days == [3]
    assert required_tests(trigger="new_hire", on=D(2021, 11, 5), rules=rules)[0].due_on == D(2021, 11, 6)
    assert required_tests(trigger="new_hire", on=D(2021, 10, 20), rules=rules)[0].due_on == D(2021, 10, 23)


@pytest.mark.django_db
def test_seeded_rules_follow_rules_md_T1() -> None:
    rows = list(m.MandatoryTestRule.objects.all())
    on = D(2021, 6, 1)
    f1_may = rule_for(trigger="f1_schedule", on=on, rules=rows, vaccination="none")
    assert f1_may is not None
    assert f1_may.schedule_days[:3] == [1, 14, 20]
    assert "600/CĐ-BCĐ" in f1_may.source
    assert not f1_may.uncertain
    f1_oct = rule_for(trigger="f1_schedule", on=D(2021, 11, 1), rules=rows, vaccination="none")
    assert f1_oct is not None
    assert f1_oct.schedule_days == [7, 14]
    assert f1_oct.uncertain
    for trigger in ("new_hire", "epidemic_area_arrival", "symptoms"):
        found = rule_for(trigger=trigger, on=D(2022, 1, 1), rules=rows)
        assert found is not None
        assert found.uncertain
        assert found.source
    assert required_tests(trigger="symptoms", on=D(2022, 1, 1), rules=rows)[0].due_on == D(2022, 1, 1)


@pytest.mark.django_db
def test_rule_edit_requires_source_and_province_admin_T1(cast: Any) -> None:
    from django.core.exceptions import PermissionDenied

    from phongdich.core.errors import ValidationFailed
    from phongdich.testing.services import rule_create, rule_update

    with pytest.raises(ValidationFailed) as exc:
        rule_create(actor=cast.alice, trigger="new_hire", kind="pcr", effective_from=D(2022, 1, 1), source="  ")
    assert exc.value.field == "source"
    with pytest.raises(PermissionDenied):
        rule_create(actor=cast.cuong, trigger="new_hire", kind="pcr", effective_from=D(2022, 1, 1), source="QĐ 1")
    created = rule_create(actor=cast.alice, trigger="new_hire", kind="pcr", effective_from=D(2022, 1, 1), source="QĐ 1")
    with pytest.raises(ValidationFailed):
        rule_update(actor=cast.alice, rule=created, effective_to=D(2021, 12, 1))
    rule_update(actor=cast.alice, rule=created, due_within_days=3, effective_to=D(2022, 1, 1) + timedelta(days=30))
    created.refresh_from_db()
    assert created.due_within_days == 3
    with pytest.raises(ValidationFailed):
        rule_create(
            actor=cast.alice,
            trigger="new_hire",
            kind="pcr",
            effective_from=D(2022, 1, 1),
            source="X",
            schedule_days=[1],
        )
