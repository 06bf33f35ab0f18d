#!/usr/bin/env python3
"""Benchmark: the 16:00 roll-up of the daily reports at a province's scale, against the same at 1/100.

    python bench/reports.py [--db sqlite|postgres] [--smoke] [--repeat N] [--days N]

Two synthetic provinces are built, each once in its own database (``var/bench/reports-<submitters>.sqlite3``
or ``phongdich_bench_reports_<submitters>``) and reused:

* **full** — every unit of a province the size of Thái Nguyên: 9 districts, 178 communes and 2,000
  organisations (member agencies, hospitals, schools, enterprises), with a year (365 days) of daily reports:
  the districts and organisations submit the 16:00 report of seed 002 §2.15, the communes a commune daily
  report of the same fields; 5 % of the reports are missing, 10 % late;
* **baseline** — 1/100 of it: 1 district, 2 communes, 20 organisations, the same year.

Each scale runs in a child process on its own database; in it, each operation is timed ``--repeat`` times
on the last day at 16:00:

* **rollup_daily**: ``reports_selectors.rollup`` of the districts' and agencies' daily form (sum of the
  submitted reports' figures per field, the late and missing lists);
* **rollup_communes**: the same for the communes' form;
* **late_today**: ``reports_selectors.late_today`` for the Health Department (every daily form);
* **page_rollup**: the roll-up page as the Health Department sees it (HTTP through Django's test client);
* **rollup_xlsx**: the roll-up as an Excel workbook.

The script prints each operation's p50 at both scales with the ratio full / baseline and writes
``bench/results/reports-<db>-<date>.json`` with a description of the machine. See ``bench/README.md``.
The timings do not include building (reported separately). ``--smoke`` shrinks both scales (CI).
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import random
import subprocess
import sys
import time
import warnings
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

from _common import ROOT, Samples, compare, db_version, fmt_ratio, machine, pg_database_url, read_marker, write_result

BENCH = "reports"
VERSION = 1
TREE = "2021"
PROVINCE_CODE = "19"
LAST_DAY = dt.date(2021, 12, 31)


@dataclass(frozen=True)
class Scale:
    districts: int
    communes: int
    organisations: int
    days: int

    @property
    def submitters(self) -> int:
        return self.districts + self.communes + self.organisations

    def describe(self) -> str:
        return (
            f"{self.districts} districts, {self.communes} communes, {self.organisations:,} organisations, "
            f"{self.days} days of daily reports"
        )


FULL = Scale(districts=9, communes=178, organisations=2_000, days=365)
BASELINE = Scale(districts=1, communes=2, organisations=20, days=365)
SMOKE_FULL = Scale(districts=3, communes=12, organisations=60, days=14)
SMOKE_BASELINE = Scale(districts=1, communes=2, organisations=3, days=14)


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0] if __doc__ else None)
    parser.add_argument("--db", choices=("sqlite", "postgres"), default="sqlite")
    parser.add_argument("--smoke", action="store_true", help="small scales (CI)")
    parser.add_argument("--repeat", type=int, default=None, help="timed runs of each operation (7; smoke 2)")
    parser.add_argument("--seed", type=int, default=2021)
    parser.add_argument("--workdir", type=Path, default=None, help="where bench databases live (var/bench)")
    parser.add_argument("--out", type=Path, default=None, help="results file (bench/results/…)")
    parser.add_argument("--pg-url", default=os.environ.get("BENCH_PG_URL", "postgres:///"), help="server URL")
    parser.add_argument("--child", choices=("full", "baseline"), default=None, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    args.workdir = args.workdir or ROOT / "var" / "bench"
    if args.repeat is None:
        args.repeat = 2 if args.smoke else 7
    return args


def scales(smoke: bool) -> dict[str, Scale]:
    return {"baseline": SMOKE_BASELINE, "full": SMOKE_FULL} if smoke else {"baseline": BASELINE, "full": FULL}


def database_env(args: argparse.Namespace, scale: Scale) -> dict[str, str]:
    n = f"{scale.submitters}x{scale.days}"
    if args.db == "sqlite":
        return {"SQLITE_PATH": str(args.workdir / f"{BENCH}-{n}.sqlite3")}
    return {"DATABASE_URL": pg_database_url(args.pg_url, f"phongdich_bench_{BENCH}_{n}")}


# --- building (inside Django) ---------------------------------------------------------------------


COMMUNE_FORM = "bench-commune-daily"
KINDS = ("department", "health_agency", "police", "military", "hospital", "school", "enterprise")


def build(scale: Scale, seed: int) -> dict[str, Any]:
    """The province's units and organisations, the two daily forms, and ``scale.days`` days of reports
    ending on ``LAST_DAY`` (its last day submitted up to 16:00). Returns row counts and seconds."""
    from django.db import transaction

    from phongdich.command import reports_selectors as rs
    from phongdich.command.models import Report, ReportField, ReportForm
    from phongdich.command.reports_services import daily_form_seeded
    from phongdich.core.models import User
    from phongdich.geo.models import Level, UnitType
    from phongdich.geo.services import unit_create
    from phongdich.orgs.models import Organisation, Role
    from phongdich.orgs.services import organisation_create, role_assign

    started = time.perf_counter()
    rng = random.Random(seed)
    with transaction.atomic():
        province = unit_create(
            tree=TREE, code=PROVINCE_CODE, name="Tỉnh Bench", level=Level.PROVINCE, unit_type=UnitType.TINH
        )
        districts = [
            unit_create(
                tree=TREE,
                code=f"{100 + d}",
                name=f"Huyện Bench {d + 1}",
                level=Level.DISTRICT,
                unit_type=UnitType.HUYEN,
                parent=province,
            )
            for d in range(scale.districts)
        ]
        for c in range(scale.communes):
            unit_create(
                tree=TREE,
                code=f"{10000 + c}",
                name=f"Xã Bench {c + 1}",
                level=Level.COMMUNE,
                unit_type=UnitType.XA,
                parent=districts[c % len(districts)],
            )
        health = organisation_create(name="Sở Y tế Bench", kind="health_agency", unit=province)
        for o in range(scale.organisations - 1):
            organisation_create(name=f"Cơ quan Bench {o + 1:04d}", kind=KINDS[o % len(KINDS)], unit=province)
        daily = daily_form_seeded()
        daily.org_kinds = list(KINDS)
        daily.org_unit_level = None
        daily.recipient = health
        daily.save()
        communes = ReportForm.objects.create(
            code=COMMUNE_FORM,
            name="Báo cáo hằng ngày cấp xã (bench)",
            period="daily",
            deadline_time=daily.deadline_time,
            active_from=daily.active_from,
            unit_level=Level.COMMUNE,
            recipient=health,
        )
        ReportField.objects.bulk_create(
            ReportField(form=communes, key=f.key, label=f.label, kind=f.kind, source=f.source, order=f.order)
            for f in daily.fields.all()
        )
        user = User.objects.create_user(username="bench_yte", password="bench-reports-1")  # noqa: S106
        role_assign(user=user, role=Role.HEALTH, unit=province)
    units_seconds = time.perf_counter() - started

    started = time.perf_counter()
    rows = 0
    numbers = [f.key for f in daily.fields.all() if f.kind == "number"]
    for form in (daily, communes):
        people = rs.submitters(form)
        batch: list[Report] = []
        for offset in range(scale.days - 1, -1, -1):
            day = LAST_DAY - dt.timedelta(days=offset)
            deadline = rs.deadline_of(form, day)
            for s in people:
                draw = rng.random()
                if draw < 0.05:
                    continue
                if offset == 0 and draw > 0.85:
                    continue  # the last day: not yet in at 16:00
                late = draw < 0.15 and offset > 0
                moment = (
                    deadline + dt.timedelta(minutes=rng.randrange(5, 240))
                    if late
                    else deadline - dt.timedelta(minutes=rng.randrange(10, 420))
                )
                values: dict[str, Any] = {k: rng.randrange(0, 30) for k in numbers}
                values["situation"] = "Tình hình ổn định."
                values["difficulties"] = ""
                values["proposals"] = ""
                batch.append(
                    Report(
                        form=form,
                        day=day,
                        unit=s.unit,
                        organisation=s.organisation,
                        submitter_key=s.key,
                        values=values,
                        version=1,
                        first_submitted_at=moment,
                        submitted_at=moment,
                        late=late,
                    )
                )
                if len(batch) >= 5000:
                    Report.objects.bulk_create(batch)
                    rows += len(batch)
                    batch = []
        Report.objects.bulk_create(batch)
        rows += len(batch)
    return {
        "units_and_orgs_seconds": round(units_seconds, 1),
        "reports": rows,
        "reports_seconds": round(time.perf_counter() - started, 1),
        "organisations": Organisation.objects.count(),
    }


def measure(*, repeat: int, username: str = "bench_yte") -> dict[str, Any]:
    """Time each operation ``repeat`` times on ``LAST_DAY`` at 16:00 (the clock held there)."""
    from unittest import mock

    from django.test import Client
    from django.urls import reverse
    from django.utils import timezone

    from phongdich.command import documents
    from phongdich.command import reports_selectors as rs
    from phongdich.command.models import ReportForm
    from phongdich.core.models import User

    user = User.objects.get(username=username)
    daily = ReportForm.objects.get(code="daily-covid")
    communes = ReportForm.objects.filter(code=COMMUNE_FORM).first() or daily
    at_1600 = timezone.make_aware(dt.datetime.combine(LAST_DAY, dt.time(16, 0)))
    samples = {
        name: Samples() for name in ("rollup_daily", "rollup_communes", "late_today", "page_rollup", "rollup_xlsx")
    }
    client = Client()
    client.force_login(user)
    url = reverse("command:report_rollup", args=[daily.uid]) + f"?day={LAST_DAY.isoformat()}"
    with mock.patch.object(timezone, "now", return_value=at_1600):
        for _ in range(repeat):
            roll = samples["rollup_daily"].time(lambda: rs.rollup(daily, LAST_DAY, user=user, now=at_1600))
            samples["rollup_daily"].rows.append(roll.expected)
            roll_c = samples["rollup_communes"].time(lambda: rs.rollup(communes, LAST_DAY, user=user, now=at_1600))
            samples["rollup_communes"].rows.append(roll_c.expected)
            late = samples["late_today"].time(lambda: rs.late_today(user, now=at_1600))
            samples["late_today"].rows.append(len(late))
            response = samples["page_rollup"].time(lambda: client.get(url))
            assert response.status_code == 200, response.status_code
            samples["page_rollup"].rows.append(roll.expected)
            content = samples["rollup_xlsx"].time(lambda r=roll: documents.rollup_xlsx(r))
            samples["rollup_xlsx"].rows.append(len(content))
    ops = {name: s.summary() for name, s in samples.items()}
    ops["_checks"] = {  # type: ignore[assignment]
        "expected": roll.expected,
        "submitted": len(roll.submitted),
        "late": len(roll.late),
        "missing": len(roll.missing),
        "new_cases_total": roll.totals.get("new_cases", 0),
    }
    return ops


# --- the child: one scale on its own database -----------------------------------------------------------


def child(args: argparse.Namespace) -> int:
    scale = scales(args.smoke)[args.child]
    os.environ["DJANGO_SETTINGS_MODULE"] = "phongdich.settings"
    os.environ.pop("DATABASE_URL", None)
    os.environ.pop("SQLITE_PATH", None)
    os.environ.update(database_env(args, scale))
    os.environ["ADMIN_TREE"] = TREE
    os.environ["PROVINCE_CODE"] = PROVINCE_CODE
    sys.path.insert(0, str(ROOT))
    warnings.filterwarnings("ignore", message="No directory at", category=UserWarning)
    import django

    django.setup()
    from _common import analyze, postgres_exists, postgres_recreate, remove_sqlite
    from django.core.management import call_command
    from django.db import connection

    wanted = {"v": VERSION, **asdict(scale), "seed": args.seed}
    marker = args.workdir / f"{BENCH}-{args.db}-{scale.submitters}x{scale.days}.json"
    recorded = read_marker(marker)
    env = database_env(args, scale)
    name = f"phongdich_bench_{BENCH}_{scale.submitters}x{scale.days}"
    exists = Path(env["SQLITE_PATH"]).exists() if args.db == "sqlite" else postgres_exists(args.pg_url, name)
    if exists and recorded.get("wanted") == wanted:
        call_command("migrate", verbosity=0, interactive=False)
        built = recorded["build"]
    else:
        connection.close()
        if args.db == "sqlite":
            remove_sqlite(Path(env["SQLITE_PATH"]))
        else:
            postgres_recreate(args.pg_url, name)
        call_command("migrate", verbosity=0, interactive=False)
        call_command("createcachetable", verbosity=0)
        print(f"==> building {scale.describe()} on {args.db}", file=sys.stderr, flush=True)
        built = build(scale, args.seed)
        analyze()
        marker.write_text(json.dumps({"wanted": wanted, "build": built}, indent=2) + "\n")
    ops = measure(repeat=args.repeat)
    print(json.dumps({"scale": asdict(scale), "build": built, "ops": ops, "db_version": db_version()}))
    return 0


def table(result: dict[str, Any]) -> str:
    lines = [
        f"16:00 roll-up on {result['db']}: full = {result['scale_text']['full']}; "
        f"baseline = {result['scale_text']['baseline']}",
        "",
        f"{'operation':<18} {'baseline p50':>14} {'full p50':>12} {'ratio':>8}",
        "-" * 56,
    ]
    for name, op in result["operations"].items():
        lines.append(
            f"{name:<18} {op['baseline']['p50_ms']:>11,.1f} ms {op['full']['p50_ms']:>9,.1f} ms "
            f"{fmt_ratio(op['ratio_p50']):>8}"
        )
    for label, checks in result["checks"].items():
        lines.append(f"{label}: {checks}")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    args.workdir.mkdir(parents=True, exist_ok=True)
    if args.child:
        return child(args)
    started = time.monotonic()
    runs: dict[str, Any] = {}
    for label in ("baseline", "full"):
        command = [sys.executable, str(Path(__file__).resolve()), "--child", label, "--db", args.db]
        command += ["--repeat", str(args.repeat), "--seed", str(args.seed), "--workdir", str(args.workdir)]
        command += ["--pg-url", args.pg_url] + (["--smoke"] if args.smoke else [])
        load_before = os.getloadavg()[0]
        done = subprocess.run(command, check=True, capture_output=True, text=True, cwd=ROOT)
        runs[label] = json.loads(done.stdout.strip().splitlines()[-1])
        runs[label]["loadavg_1min"] = {"before": round(load_before, 2), "after": round(os.getloadavg()[0], 2)}
    checks = {label: runs[label]["ops"].pop("_checks") for label in runs}
    sc = scales(args.smoke)
    result = {
        "benchmark": BENCH,
        "date": dt.datetime.now().isoformat(timespec="seconds"),
        "db": args.db,
        "smoke": args.smoke,
        "seed": args.seed,
        "day": LAST_DAY.isoformat(),
        "repeat": args.repeat,
        "scales": {label: asdict(s) for label, s in sc.items()},
        "scale_text": {label: s.describe() for label, s in sc.items()},
        "machine": machine(runs["full"]["db_version"]),
        "build": {label: runs[label]["build"] for label in runs},
        "loadavg_1min": {label: runs[label]["loadavg_1min"] for label in runs},
        "operations": compare(runs["baseline"]["ops"], runs["full"]["ops"]),
        "checks": checks,
        "seconds": round(time.monotonic() - started, 1),
    }
    print(table(result))
    write_result(result, bench=BENCH, args=args)
    return 0


if __name__ == "__main__":
    sys.exit(main())
