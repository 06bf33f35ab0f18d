"""Demo step: epidemic levels (Z3). Every district and the province report their treatment capacity for the
last weeks (one district short of free beds and oxygen), then the weekly assessment runs for each of those
weeks and for the current one, publishing as the weekly job would have on the Monday after each week — so
the demo week has communes at different levels (the outbreak's commune higher), with raises announced
48 hours ahead and a history to show.

Capacity figures are synthetic, seeded; a week already reported or assessed is kept.
"""

# Seeded pseudo-random numbers on purpose: the same seed gives the same synthetic data.
# ruff: noqa: S311

from __future__ import annotations

import random
from datetime import datetime, time, timedelta
from typing import TYPE_CHECKING

from django.utils import timezone

from phongdich.geo.models import Level, Unit
from phongdich.levels.models import Assessment, CapacityReport
from phongdich.levels.services import capacity_report_save, levels_assess_week
from phongdich.levels.weeks import week_label, week_start_of

from . import catalogue

if TYPE_CHECKING:
    from .steps import Demo

WEEKS_BACK = 4
# The district whose hospitals are stretched in the demo (Phổ Yên: the industrial parks).
STRETCHED_DISTRICT = "172"


def _capacity(rng: random.Random, unit: Unit, week: object) -> None:
    pop = unit.population or 50_000
    stretched = unit.code == STRETCHED_DISTRICT
    beds = max(5, int(pop / 100_000 * rng.uniform(40, 70)))
    free_share = rng.uniform(0.05, 0.12) if stretched else rng.uniform(0.6, 0.9)
    capacity_report_save(
        actor=None,
        unit=unit,
        week_start=week,  # type: ignore[arg-type]
        beds=beds,
        free_beds=int(beds * free_share),
        icu_beds=max(1, int(pop / 100_000 * rng.uniform(3, 6))),
        mobile_stations=rng.randint(2, 8) if unit.level == Level.DISTRICT else 0,
        oxygen_adequate=not stretched,
        oxygen_cases=rng.randint(0, 3),
        note="Số liệu mô phỏng",
    )


def step_levels(demo: Demo) -> None:
    province = demo.province or Unit.objects.get(tree=catalogue.TREE, code=catalogue.PROVINCE_CODE)
    rng = random.Random(demo.seed + 77)
    this_week = week_start_of(timezone.localdate())
    weeks = [this_week - timedelta(days=7 * back) for back in range(WEEKS_BACK, -1, -1)]
    reporters = [province, *Unit.objects.filter(parent=province, level=Level.DISTRICT).order_by("code")]
    reported = assessed = 0
    for week in weeks:
        for unit in reporters:
            if not CapacityReport.objects.filter(unit=unit, week_start=week).exists():
                _capacity(rng, unit, week)
                reported += 1
        if Assessment.objects.filter(week_start=week, unit=province).exists():
            continue
        # Published as the weekly job does: on the Monday after the week (the current week: now).
        monday_after = timezone.make_aware(datetime.combine(week + timedelta(days=7), time(7, 0)))
        result = levels_assess_week(actor=None, week_start=week, root=province, now=min(monday_after, timezone.now()))
        assessed += 1
        levels = ", ".join(f"cấp {k}: {v}" for k, v in result.levels.items() if v)
        demo.say(f"Cấp độ dịch tuần {week_label(week)} ({result.rule_set}): {levels}")
    demo.say(f"Cấp độ dịch: {reported} báo cáo năng lực điều trị, {assessed} tuần được đánh giá.")
