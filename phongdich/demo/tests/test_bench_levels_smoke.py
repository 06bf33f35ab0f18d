"""``bench/levels.py --smoke`` (1/100 of Vietnam's communes) runs end to end on SQLite, prints each figure
with its ratio to the Polars baseline, and computes the same levels as Polars (Z3 bench)."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

from django.conf import settings

ROOT = Path(__file__).resolve().parents[3]


def test_levels_bench_smoke_prints_ratios_and_matches_polars_Z3(tmp_path: Path) -> None:
    env = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "DJANGO_SETTINGS_MODULE", "SQLITE_PATH")}
    env["PHONGDICH_VAR_DIR"] = str(tmp_path / "var")
    env["PHONGDICH_DATA_DIR"] = str(settings.DATA_DIR)
    out = tmp_path / "result.json"
    run = subprocess.run(
        [
            sys.executable,
            str(ROOT / "bench" / "levels.py"),
            "--smoke",
            "--db=sqlite",
            "--repeat=2",
            f"--workdir={tmp_path / 'bench'}",
            f"--out={out}",
        ],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert run.returncode == 0, run.stderr[-3000:]
    result = json.loads(out.read_text())
    assert result["scale"] == {
        "provinces": 1,
        "districts": 7,
        "communes": 106,
        "cases": 1200,
        "week_cases": 900,
        "deaths": 12,
    }
    assert result["full_scale"]["communes"] == 10_600
    assert result["machine"]["db_version"].startswith("SQLite")
    assert result["build"]["cases"]["cases"] == 1200
    # Every commune, district and province assessed, at several levels, exactly as Polars computes them.
    checks = result["checks"]
    assert checks["units"] == 1 + 7 + 106
    assert checks["mismatches"] == 0
    assert sum(1 for n in checks["levels"].values() if n) >= 2
    for name in ("app_assess_week", "app_compute_week"):
        op = result["operations"][name]
        assert op["baseline"] == "polars_groupby"
        assert op["value_ms"] > 0
        assert op["baseline_ms"] > 0
        assert op["ratio"] > 0
        assert re.search(rf"^{name}\s+[\d,.]+ ms\s+[\d,.]+ ms\s+[\d.]+×", run.stdout, re.MULTILINE), run.stdout
