"""``bench/reports.py``'s building and measurements run on a tiny province in the test database (R1).

The full run builds a province of 2,187 submitters with a year of daily reports in its own database; this
smoke run builds a few units and organisations with two weeks of reports and times each operation once."""

from __future__ import annotations

import importlib
import sys
from pathlib import Path
from typing import Any

import pytest

from phongdich.command.models import Report

BENCH_DIR = Path(__file__).resolve().parents[3] / "bench"


def _bench() -> Any:
    if str(BENCH_DIR) not in sys.path:
        sys.path.insert(0, str(BENCH_DIR))
    return importlib.import_module("reports")


@pytest.mark.django_db
def test_reports_bench_build_and_measurements_smoke_R1() -> None:
    bench = _bench()
    scale = bench.Scale(districts=2, communes=4, organisations=6, days=7)
    built = bench.build(scale, seed=1)
    assert built["reports"] == Report.objects.count()
    assert 0 < built["reports"] <= scale.submitters * scale.days
    ops = bench.measure(repeat=1)
    checks = ops.pop("_checks")
    assert checks["expected"] == 2 + 6  # the districts and the organisations
    assert checks["submitted"] + checks["missing"] == checks["expected"]
    assert set(ops) == {"rollup_daily", "rollup_communes", "late_today", "page_rollup", "rollup_xlsx"}
    merged = bench.compare(ops, ops)
    assert all(op["ratio_p50"] == 1.0 for op in merged.values())
    text = bench.table(
        {
            "db": "sqlite",
            "scale_text": {"full": scale.describe(), "baseline": scale.describe()},
            "operations": merged,
            "checks": {"full": checks},
        }
    )
    assert "rollup_daily" in text
    assert "×" in text
