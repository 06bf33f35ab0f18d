"""The weekly assessment as a Celery task (beat: every Monday morning, for the week just ended)."""

from __future__ import annotations

from typing import Any

from celery import shared_task


@shared_task(name="levels.assess_last_week")
def assess_last_week(rules: str | None = None) -> dict[str, Any]:
    from .services import levels_assess_week
    from .weeks import last_complete_week, week_label

    week = last_complete_week()
    result = levels_assess_week(actor=None, week_start=week, rules_code=rules)
    return {
        "week": week_label(week),
        "rules": result.rule_set,
        "assessed": result.assessed,
        "published": result.published,
        "raised": result.raised,
    }
