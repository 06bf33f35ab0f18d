"""``bench/checkins.py --smoke`` runs end to end on SQLite and prints every figure with its ratio (issue 4 bench)."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

from django.conf import settings

ROOT = Path(__file__).resolve().parents[3]
FIGURES = {
    "http_single_rps": "bare 200 OK view",
    "http_single_p99": "bare 200 OK view",
    "batch_rows_per_s": "executemany",
    "exposure_p50": "DuckDB over Parquet",
    "exposure_p95": "DuckDB over Parquet",
}


def test_checkins_bench_smoke_prints_every_figure_with_its_ratio_M1_C4(tmp_path: Path) -> None:
    env = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "DJANGO_SETTINGS_MODULE", "SQLITE_PATH")}
    env["PHONGDICH_VAR_DIR"] = str(tmp_path / "var")
    env["PHONGDICH_DATA_DIR"] = str(settings.DATA_DIR)
    out = tmp_path / "result.json"
    run = subprocess.run(
        [
            sys.executable,
            str(ROOT / "bench" / "checkins.py"),
            "--smoke",
            "--db=sqlite",
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
    assert result["scale"] == {"people": 2000, "premises": 80, "days": 30, "per_day": 2500, "checkins": 75000}
    assert result["counts"]["checkins_checkin"] == 75000  # what the timed requests stored went again
    assert result["machine"]["db_version"].startswith("SQLite")
    assert result["build"]["checkins"]["reused"] is False
    ops = result["operations"]
    assert set(ops) == set(FIGURES)
    for name, baseline in FIGURES.items():
        op = ops[name]
        assert op["baseline"] == baseline
        assert op["value"] > 0
        assert op["baseline_value"] > 0
        assert op["ratio"] > 0
        # Printed on one line: the figure, its value, its baseline's and the ratio.
        assert re.search(rf"^{name}\s+[\d,.]+ \S+\s+[\d,.]+ \S+\s+[\d.]+×", run.stdout, re.MULTILINE), run.stdout
    http = ops["http_single_rps"]["detail"]
    # Every timed request was answered; the check-ins were stored (201), none refused.
    assert http["checkin"]["statuses"].get("201", 0) == http["checkin"]["requests"] > 0
    assert http["bare"]["statuses"].get("200", 0) == http["bare"]["requests"] > 0
    # Bare and check-in jobs alternated (four rounds each); the CPU of each is accounted per request.
    assert len(http["checkin"]["rps_by_round"]) == len(http["bare"]["rps_by_round"]) == 4
    for name in ("bare", "checkin"):
        assert set(http["cpu_ms_per_request"][name]) == {"server", "database", "client", "machine"}
        assert http["cpu_ms_per_request"][name]["machine"] > 0
    batch = ops["batch_rows_per_s"]["detail"]
    assert batch["stored_by_endpoint"] == batch["stored_by_raw"] == batch["rows"] == 3000
    # The application and DuckDB answer the same question with the same rows.
    exposure = ops["exposure_p50"]["detail"]
    assert exposure["mismatches"] == 0
    # Two passes over the same cases: the first (cache as found) is kept beside the figures.
    assert exposure["first_pass"]["application"]["n"] == exposure["application"]["n"] == exposure["cases"]
    assert exposure["application"]["rows_mean"] == exposure["duckdb"]["rows_mean"] > 0
