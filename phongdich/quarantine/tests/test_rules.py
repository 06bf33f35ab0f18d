"""The dated quarantine schedule (Q2): plan_for over the rules loaded by the data migration."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest

from phongdich.quarantine.models import EpisodeKind, QuarantineRule
from phongdich.quarantine.rules import NoRule, plan_for

C, H, P, S = EpisodeKind.CENTRALISED, EpisodeKind.HOME, EpisodeKind.POST_QUARANTINE, EpisodeKind.SELF_ISOLATION


def d(text: str) -> date:
    day, month, year = (int(x) for x in text.split("/"))
    return date(year, month, day)


# start, vaccination, [(kind, first day, last day)], test dates, source contains, uncertain
CASES: list[tuple[str, str, list[tuple[str, str, str]], list[str], str, bool]] = [
    (
        "04/05/2021",
        "none",
        [(C, "04/05/2021", "17/05/2021"), (H, "18/05/2021", "31/05/2021")],
        [],
        "trước 05/05",
        False,
    ),
    (
        "05/05/2021",
        "none",
        [(C, "05/05/2021", "25/05/2021"), (H, "26/05/2021", "01/06/2021")],
        ["05/05/2021", "18/05/2021", "24/05/2021", "01/06/2021"],
        "600/CĐ-BCĐ",
        False,
    ),
    (
        "13/07/2021",
        "full_or_recovered",
        [(C, "13/07/2021", "02/08/2021"), (H, "03/08/2021", "09/08/2021")],
        ["13/07/2021", "26/07/2021", "01/08/2021", "09/08/2021"],
        "600/CĐ-BCĐ",
        False,
    ),
    (
        "14/07/2021",
        "none",
        [(C, "14/07/2021", "27/07/2021"), (H, "28/07/2021", "10/08/2021")],
        [],
        "5599/BYT-MT",
        False,
    ),
    (
        "10/10/2021",
        "full_or_recovered",
        [(C, "10/10/2021", "23/10/2021"), (H, "24/10/2021", "06/11/2021")],
        [],
        "5599",
        False,
    ),
    ("11/10/2021", "full_or_recovered", [(S, "11/10/2021", "17/10/2021")], ["11/10/2021"], "địa phương", True),
    (
        "11/10/2021",
        "partial",
        [(H, "11/10/2021", "17/10/2021"), (P, "18/10/2021", "24/10/2021")],
        [],
        "địa phương",
        True,
    ),
    (
        "06/11/2021",
        "none",
        [(C, "06/11/2021", "19/11/2021"), (H, "20/11/2021", "03/12/2021")],
        ["12/11/2021", "19/11/2021"],
        "địa phương",
        True,
    ),
]


@pytest.mark.parametrize(("start", "vaccination", "phases", "tests", "source", "uncertain"), CASES)
def test_plan_for_follows_the_dated_rules_Q2(
    db: Any,
    start: str,
    vaccination: str,
    phases: list[tuple[str, str, str]],
    tests: list[str],
    source: str,
    uncertain: bool,
) -> None:
    plan = plan_for(start=d(start), vaccination=vaccination, rules=QuarantineRule.objects.all())
    assert [(p.kind, p.start, p.end) for p in plan.phases] == [(k, d(a), d(b)) for k, a, b in phases]
    assert list(plan.test_dates) == [d(t) for t in tests]
    assert source in plan.rule.source
    assert plan.rule.uncertain is uncertain
    assert plan.rule.source_local is (source == "địa phương")


def test_local_rules_are_flagged_uncertain_and_local_Q2(db: Any) -> None:
    local = QuarantineRule.objects.filter(effective_from=date(2021, 10, 11))
    assert sorted(local.values_list("applies_to", flat=True)) == ["full_or_recovered", "none", "partial"]
    assert all(r.source_local and r.uncertain for r in local)


def test_rules_are_data_an_edited_row_changes_the_plan_Q2(db: Any) -> None:
    QuarantineRule.objects.filter(source__contains="5599").update(home_days=7)
    plan = plan_for(start=date(2021, 8, 1), vaccination="none", rules=QuarantineRule.objects.all())
    assert [p.days for p in plan.phases] == [14, 7]


def test_no_rule_before_the_schedule_Q2(db: Any) -> None:
    with pytest.raises(NoRule):
        plan_for(start=date(2019, 12, 1), vaccination="none", rules=QuarantineRule.objects.all())
