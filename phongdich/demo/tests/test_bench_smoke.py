"""``bench/people_search.py --smoke`` runs end to end on SQLite and reports how cost grows (D3, issue 2 bench)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from django.conf import settings

ROOT = Path(__file__).resolve().parents[3]


def test_people_search_bench_smoke_runs_and_reports_ratios_D3(tmp_path: Path) -> None:
    env = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "DJANGO_SETTINGS_MODULE", "SQLITE_PATH")}
    env["PHONGDICH_VAR_DIR"] = str(tmp_path / "var")
    env["PHONGDICH_DATA_DIR"] = str(settings.DATA_DIR)  # the shipped data wheels, wherever they are
    out = tmp_path / "result.json"
    run = subprocess.run(
        [
            sys.executable,
            str(ROOT / "bench" / "people_search.py"),
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
    assert result["scales"] == {"baseline": 200, "full": 2000}
    assert result["machine"]["cpu_count"] >= 1
    assert result["machine"]["db_version"].startswith("SQLite")
    for run_ in result["runs"].values():
        assert run_["build"]["reused"] is False
    ops = result["operations"]
    for role in ("province_admin", "commune_officer"):
        for name in ("search/{}/all", "search/{}/cccd", "list/{}/first_page", "http/{}/people_list"):
            op = ops[name.format(role)]
            assert op["full"]["p50_ms"] > 0
            assert op["ratio_p50"] is not None
    # A CCCD finds exactly its person for the province administrator, at both scales.
    assert ops["search/province_admin/cccd"]["baseline"]["rows_mean"] == 1
    assert ops["search/province_admin/cccd"]["full"]["rows_mean"] == 1
    assert ops["list/province_admin/first_page"]["full"]["rows_mean"] == 50
    assert "ratio p50" in run.stdout
