"""``bench/surveillance.py --smoke`` runs end to end on SQLite and reports how cost grows (issue 3 bench)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings

ROOT = Path(__file__).resolve().parents[3]
CHROMIUM = Path("/usr/bin/chromium")
ROLES = ("province_admin", "district_officer")
PAGES = (
    "cases_list",
    "cases_list_next",
    "case_detail",
    "contacts_list",
    "contacts_list_next",
    "chain_page",
    "door_to_door",
)
ENDPOINTS = ("chain_graph_json", "chain_graph_json_next", "chain_graph_json_all", "door_to_door_xlsx")


def test_surveillance_bench_smoke_runs_and_reports_ratios_for_every_page_C4(tmp_path: Path) -> None:
    browser = CHROMIUM.exists()
    if not browser and os.environ.get("CI") == "true":
        pytest.fail(f"CI=true and {CHROMIUM} is missing: install Debian's chromium package")
    env = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "DJANGO_SETTINGS_MODULE", "SQLITE_PATH")}
    env["PHONGDICH_VAR_DIR"] = str(tmp_path / "var")
    env["PHONGDICH_DATA_DIR"] = str(settings.DATA_DIR)  # the shipped data wheels, wherever they are
    out = tmp_path / "result.json"
    run = subprocess.run(
        [
            sys.executable,
            str(ROOT / "bench" / "surveillance.py"),
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
    assert result["scales"]["full"] == {"people": 2000, "cases": 50, "cluster": 25, "contacts": 300, "arrivals": 40}
    assert result["scales"]["baseline"] == {"people": 200, "cases": 5, "cluster": 2, "contacts": 30, "arrivals": 4}
    assert result["machine"]["cpu_count"] >= 1
    assert result["machine"]["db_version"].startswith("SQLite")
    for run_ in result["runs"].values():
        assert all(stage["reused"] is False for stage in run_["build"].values())
    assert result["runs"]["full"]["counts"]["people"] == 2000
    counts = result["runs"]["full"]["counts"]
    assert counts["cases"] == 50
    assert counts["clusters"] == 1
    assert counts["contacts"] == 300
    # The levels and chains were derived from the contacts, as in production.
    assert counts["chains"] >= 1
    assert counts["contact_levels"] > 0
    assert counts["movements"] == 40
    ops = result["operations"]
    kinds = ("server", "browser") if browser else ("server",)
    expected = {f"{kind}/{role}/{page}" for kind in kinds for role in ROLES for page in PAGES}
    expected |= {f"server/{role}/{endpoint}" for role in ROLES for endpoint in ENDPOINTS}
    assert expected <= set(ops)
    # Every operation measured at both scales has its ratio, and the table prints it.
    for name, op in ops.items():
        assert op["full"]["p50_ms"] > 0, name
        assert op["ratio_p50"] is not None, name
        assert name in run.stdout
    assert "ratio p50" in run.stdout
