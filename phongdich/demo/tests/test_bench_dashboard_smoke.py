"""``bench/dashboard.py``'s stages and measurements run on a small province in the test database (D5, G4).

The full run builds 1.3 million people in its own database (minutes); this smoke run uses the tests'
province with a handful of people, twice the figures of one scale compared with the other.
"""

from __future__ import annotations

import importlib
import sys
from pathlib import Path
from typing import Any

from django.core.cache import cache

from phongdich.dashboard.tests.test_overview import TODAY, _case
from phongdich.levels.models import LevelDecision
from phongdich.people.tests.factories import PersonFactory
from phongdich.quarantine.models import Episode

BENCH_DIR = Path(__file__).resolve().parents[3] / "bench"


def _bench() -> Any:
    if str(BENCH_DIR) not in sys.path:
        sys.path.insert(0, str(BENCH_DIR))
    return importlib.import_module("dashboard")


def test_dashboard_bench_stages_and_measurements_smoke_D5_G4(tree: Any, cast: Any) -> None:
    bench = _bench()
    for unit in (tree.quan_trieu, tree.quang_vinh, tree.dac_son, tree.xom1):
        PersonFactory.create_batch(5, residence_unit=unit)
        _case(unit, TODAY)
    assert bench.build_levels(seed=1) == {"decisions": 3 * 52}
    assert LevelDecision.objects.count() == 156
    built = bench.build_quarantine(people=2000, seed=1)
    assert built == {"facilities": 1, "episodes": 20}
    assert Episode.objects.filter(facility__name="Bench 1").count() == 20
    cache.clear()
    runs = {label: {"ops": bench.measure(repeat=1, username=cast.alice.username)} for label in ("baseline", "full")}
    ops = bench.compare(runs["baseline"]["ops"], runs["full"]["ops"])
    assert set(ops) >= {"curve", "cases_by_unit", "levels_map", "page_dashboard", "page_public", "public_figures"}
    for op in ops.values():
        assert op["full"]["p50_ms"] > 0
        assert op["ratio_p50"] is not None
    text = bench.table(
        {
            "scales": {"baseline": {"people": 2}, "full": {"people": 20}},
            "operations": ops,
            "runs": {label: {"counts": {}, "build": {}} for label in runs},
        }
    )
    assert "page_dashboard" in text
    assert "×" in text
    bench.clear_quarantine()
    bench.clear_levels()
    assert not LevelDecision.objects.exists()
