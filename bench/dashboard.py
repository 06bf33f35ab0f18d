#!/usr/bin/env python3
"""Benchmark: the dashboard (D5) and the public page (G4) at a province's scale against the same at 1/100.

    python bench/dashboard.py [--db sqlite|postgres] [--smoke]

The full scale is 1.3 million people and 20,000 cases spread over 2021 (the surveillance bench's
generator), a year of weekly level decisions for every commune, quarantine facilities with one
episode per hundred people; the baseline is the same divided by 100 (the communes and their year of
levels stay: the province does not shrink). For each scale a child process opens its own database
(``var/bench/dashboard-<people>.sqlite3`` or ``phongdich_bench_dashboard_<people>``), builds the
stages it lacks and reuses them later, then times as the province administrator:

* each figure of the dashboard (``dashboard.overview``: the curve, cases per unit, the level map,
  quarantine occupancy, tests, vaccination, QR coverage, overdue tasks) at a day inside the data;
* the whole dashboard page through Django's test client, with the ten-minute vaccination figure kept
  (``page_dashboard``) and with every cache emptied first (``page_dashboard_cold``), and the public
  page with its two-minute page cache emptied before each request (the vaccination figure kept).

The parent prints p50/p95 per operation at both scales and the ratio full/baseline, and writes them
with a description of the machine to ``bench/results/dashboard-<db>-<date>.json``. See bench/README.md.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import random
import subprocess
import sys
import tempfile
import time
import warnings
from pathlib import Path
from typing import Any

from _common import (
    ROOT,
    Samples,
    Stage,
    compare,
    db_version,
    ensure_stages,
    fmt_ratio,
    machine,
    pg_database_url,
    write_result,
)

BENCH = "dashboard"
AS_OF = dt.date(2021, 11, 15)  # a day inside the synthetic year
STAGE_VERSIONS = {"population": 1, "cases": 1, "levels": 1, "quarantine": 1}
FULL_PEOPLE, FULL_CASES = 1_300_000, 20_000


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0] if __doc__ else None)
    parser.add_argument("--people", type=int, default=FULL_PEOPLE)
    parser.add_argument("--cases", type=int, default=FULL_CASES)
    parser.add_argument("--divisor", type=int, default=100)
    parser.add_argument("--db", choices=("sqlite", "postgres"), default="sqlite")
    parser.add_argument("--smoke", action="store_true", help="2,000 people and 50 cases against 1/10 of it")
    parser.add_argument("--seed", type=int, default=2021)
    parser.add_argument("--repeat", type=int, default=10)
    parser.add_argument("--workdir", type=Path, default=None)
    parser.add_argument("--out", type=Path, default=None)
    parser.add_argument("--pg-url", default=os.environ.get("BENCH_PG_URL", "postgres:///"))
    parser.add_argument("--rebuild", action="store_true")
    parser.add_argument("--child-out", type=Path, default=None, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.smoke:
        args.people, args.cases, args.divisor, args.repeat = 2_000, 50, 10, min(args.repeat, 3)
    args.workdir = (args.workdir or ROOT / "var" / "bench").resolve()
    return args


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    if args.child_out is not None:
        return child(args)
    args.workdir.mkdir(parents=True, exist_ok=True)
    started = time.monotonic()
    scales = {
        "baseline": {"people": max(1, args.people // args.divisor), "cases": max(1, args.cases // args.divisor)},
        "full": {"people": args.people, "cases": args.cases},
    }
    runs: dict[str, Any] = {}
    for label, scale in scales.items():
        print(f"==> {scale['people']:,} people, {scale['cases']:,} cases on {args.db}", file=sys.stderr, flush=True)
        with tempfile.NamedTemporaryFile(suffix=".json", dir=args.workdir, delete=False) as handle:
            out = Path(handle.name)
        try:
            command = [
                sys.executable,
                str(Path(__file__).resolve()),
                f"--child-out={out}",
                f"--people={scale['people']}",
                f"--cases={scale['cases']}",
                f"--db={args.db}",
                f"--seed={args.seed}",
                f"--repeat={args.repeat}",
                f"--workdir={args.workdir}",
                f"--pg-url={args.pg_url}",
                *(["--rebuild"] if args.rebuild else []),
            ]
            subprocess.run(command, check=True, cwd=ROOT)
            runs[label] = json.loads(out.read_text())
        finally:
            out.unlink(missing_ok=True)
    result = {
        "benchmark": BENCH,
        "date": dt.datetime.now().isoformat(timespec="seconds"),
        "db": args.db,
        "smoke": args.smoke,
        "seed": args.seed,
        "as_of": AS_OF.isoformat(),
        "scales": scales,
        "machine": machine(runs["full"].get("db_version", "")),
        "runs": runs,
        "operations": compare(runs["baseline"]["ops"], runs["full"]["ops"]),
        "seconds": round(time.monotonic() - started, 1),
    }
    print(table(result))
    write_result(result, bench=BENCH, args=args)
    return 0


def table(result: dict[str, Any]) -> str:
    base, full = result["scales"]["baseline"], result["scales"]["full"]
    head_b, head_f = f"{base['people']:,} p50 / p95 ms", f"{full['people']:,} p50 / p95 ms"
    lines = [f"{'operation':<28} {head_b:>24} {head_f:>28} {'ratio p50':>10} {'ratio p95':>10}", "-" * 104]
    for name, op in result["operations"].items():
        b, f = op["baseline"], op["full"]
        lines.append(
            f"{name:<28} {b['p50_ms']:>12.2f} / {b['p95_ms']:<9.2f} {f['p50_ms']:>16.2f} / {f['p95_ms']:<9.2f}"
            f" {fmt_ratio(op['ratio_p50']):>10} {fmt_ratio(op['ratio_p95']):>10}"
        )
    for label in ("baseline", "full"):
        run = result["runs"][label]
        lines.append(f"{label}: {run['counts']}")
        for stage, built in run["build"].items():
            lines.append(f"{label} {stage}: " + ("reused" if built["reused"] else f"built in {built['seconds']:.0f} s"))
    return "\n".join(lines)


# --- the child: one scale, one database -------------------------------------------------------------
def child(args: argparse.Namespace) -> int:
    os.environ["DJANGO_SETTINGS_MODULE"] = "phongdich.settings"
    os.environ.pop("DATABASE_URL", None)
    os.environ.pop("SQLITE_PATH", None)
    if args.db == "sqlite":
        os.environ["SQLITE_PATH"] = str(args.workdir / f"{BENCH}-{args.people}.sqlite3")
    else:
        os.environ["DATABASE_URL"] = pg_database_url(args.pg_url, f"phongdich_bench_{BENCH}_{args.people}")
    sys.path.insert(0, str(ROOT))
    warnings.filterwarnings("ignore", message="No directory at", category=UserWarning)
    import django

    django.setup()
    build = ensure_stages(
        plan=stages(args),
        marker=args.workdir / f"{BENCH}-{args.db}-{args.people}.json",
        db=args.db,
        sqlite_path=args.workdir / f"{BENCH}-{args.people}.sqlite3",
        pg_url=args.pg_url,
        db_name=f"phongdich_bench_{BENCH}_{args.people}",
        people=args.people,
        rebuild=args.rebuild,
    )
    from django.test.utils import setup_test_environment

    setup_test_environment()  # the test client's host, as in the tests
    load_before = os.getloadavg()[0]
    ops = measure(repeat=args.repeat)
    payload = {
        "build": build,
        "counts": counts(),
        "db_version": db_version(),
        "loadavg_1min": {"before": round(load_before, 2), "after": round(os.getloadavg()[0], 2)},
        "ops": ops,
    }
    args.child_out.write_text(json.dumps(payload))
    return 0


def stages(args: argparse.Namespace) -> list[Stage]:
    import surveillance

    scale = surveillance.Scale(
        people=args.people, cases=args.cases, cluster=max(1, args.cases // 2), contacts=0, arrivals=0
    )
    return [
        Stage(
            "population",
            {"version": STAGE_VERSIONS["population"], "people": args.people, "seed": args.seed},
            build=lambda: surveillance.build_population(people=args.people, seed=args.seed),
            clear=lambda: None,
        ),
        Stage(
            "cases",
            {"version": STAGE_VERSIONS["cases"], "cases": args.cases, "seed": args.seed},
            build=lambda: surveillance.build_cases(scale=scale, seed=args.seed),
            clear=surveillance.clear_cases,
        ),
        Stage(
            "levels",
            {"version": STAGE_VERSIONS["levels"], "seed": args.seed},
            build=lambda: build_levels(seed=args.seed),
            clear=clear_levels,
        ),
        Stage(
            "quarantine",
            {"version": STAGE_VERSIONS["quarantine"], "people": args.people, "seed": args.seed},
            build=lambda: build_quarantine(people=args.people, seed=args.seed),
            clear=clear_quarantine,
        ),
    ]


def clear_levels() -> None:
    from phongdich.levels.models import LevelDecision

    LevelDecision.objects.all().delete()


def build_levels(*, seed: int) -> dict[str, int]:
    """A decision for every commune every Monday of 2021, the level drifting by one at most."""
    from django.utils import timezone

    from phongdich.geo.models import Level, Unit
    from phongdich.levels.models import LevelDecision

    rng = random.Random(seed)
    communes = list(Unit.objects.filter(tree=surveillance_tree(), level=Level.COMMUNE).values_list("pk", flat=True))
    rows = []
    monday = dt.date(2021, 1, 4)
    levels = dict.fromkeys(communes, 1)
    for week in range(52):
        at = timezone.make_aware(dt.datetime.combine(monday + dt.timedelta(weeks=week), dt.time(8)))
        for pk in communes:
            levels[pk] = min(4, max(1, levels[pk] + rng.choice((-1, 0, 0, 0, 1))))
            rows.append(
                LevelDecision(
                    unit_id=pk, level=levels[pk], computed_level=levels[pk], published_at=at, effective_from=at
                )
            )
    LevelDecision.objects.bulk_create(rows, batch_size=5000)
    return {"decisions": len(rows)}


def surveillance_tree() -> str:
    import surveillance

    return str(surveillance.TREE)


def clear_quarantine() -> None:
    from phongdich.quarantine.models import Episode, Facility

    Episode.objects.filter(facility__name__startswith="Bench ").delete()
    Facility.objects.filter(name__startswith="Bench ").delete()


def build_quarantine(*, people: int, seed: int) -> dict[str, int]:
    """One facility per 65,000 people (capacity 300), one centralised episode per 100 people, a third open."""
    from django.db.models import Max, Min

    from phongdich.geo.models import Level, Unit
    from phongdich.people.models import Person
    from phongdich.quarantine.models import Episode, EpisodeStatus, Facility

    rng = random.Random(seed)
    communes = list(Unit.objects.filter(tree=surveillance_tree(), level=Level.COMMUNE).order_by("pk"))
    facilities = [
        Facility.objects.create(name=f"Bench {i + 1}", kind="centralised", unit=rng.choice(communes), capacity=300)
        for i in range(max(1, people // 65_000))
    ]
    bounds = Person.objects.aggregate(low=Min("id"), high=Max("id"))
    wanted = max(1, people // 100)
    ids = list(
        Person.objects.filter(id__in=rng.sample(range(bounds["low"], bounds["high"] + 1), wanted)).values_list(
            "id", flat=True
        )
    )
    rows = []
    for pk in ids:
        start = dt.date(2021, 5, 1) + dt.timedelta(days=rng.randrange(200))
        open_ = rng.random() < 1 / 3
        rows.append(
            Episode(
                person_id=pk,
                kind="centralised",
                facility=rng.choice(facilities),
                start_date=start,
                planned_end=start + dt.timedelta(days=14),
                released_on=None if open_ else start + dt.timedelta(days=14),
                status=EpisodeStatus.OPEN if open_ else EpisodeStatus.RELEASED,
            )
        )
    Episode.objects.bulk_create(rows, batch_size=5000)
    return {"facilities": len(facilities), "episodes": len(rows)}


def counts() -> dict[str, int]:
    from phongdich.cases.models import Case
    from phongdich.levels.models import LevelDecision
    from phongdich.people.models import Person
    from phongdich.quarantine.models import Episode

    return {
        "people": Person.objects.count(),
        "cases": Case.objects.count(),
        "level_decisions": LevelDecision.objects.count(),
        "episodes": Episode.objects.count(),
    }


def measure(*, repeat: int, username: str | None = None) -> dict[str, Any]:
    import surveillance
    from django.core.cache import cache
    from django.test import Client
    from django.urls import reverse
    from django.utils import timezone
    from django.utils.translation import get_language

    from phongdich.core.models import User
    from phongdich.dashboard import overview as ov
    from phongdich.dashboard import views

    user = User.objects.get(username=username or surveillance.ADMIN_USERNAME)
    root = ov.province()
    assert root is not None
    now = timezone.make_aware(dt.datetime.combine(AS_OF, dt.time(15)))
    today = AS_OF
    figures = {
        "curve": lambda: ov.epidemic_curve(root, end=today),
        "cases_by_unit": lambda: ov.case_tallies(root, today=today),
        "levels_map": lambda: ov.levels_by_commune(root, now=now),
        "quarantine": lambda: ov.quarantine_occupancy(root),
        "tests": lambda: ov.daily_tests(root, end=today),
        "vaccination": lambda: ov.vaccination(root, on=today),
        "vaccination_cached": lambda: ov.vaccination_cached(root, on=today),
        "qr_coverage": lambda: ov.healthpass_selectors.coverage_of(user, unit=root, now=now),
        "tasks_and_reports": lambda: ov.accountability(user, now=now),
        "overview_all": lambda: ov.overview_for(user, root, now=now),
        "charts": lambda: views.overview_charts(ov.overview_for(user, root, now=now)),
        "public_figures": lambda: ov.public_figures(now=now),
    }
    samples: dict[str, Samples] = {name: Samples() for name in figures}
    client = Client()
    client.force_login(user)
    pages = {"page_dashboard": reverse("dashboard-overview")}
    for name in pages:
        samples[name] = Samples()
    samples["page_public"] = Samples()
    samples["page_dashboard_cold"] = Samples()
    for _ in range(repeat):
        # Today's vaccination figure forgotten: the page computes it (the 2021 one timed below stays warm).
        cache.delete(f"dashboard:vaccination:{root.pk}:{timezone.localdate().isoformat()}")
        t0 = time.perf_counter()
        response = client.get(pages["page_dashboard"])
        samples["page_dashboard_cold"].seconds.append(time.perf_counter() - t0)
        assert response.status_code == 200, response.status_code
        for name, fn in figures.items():
            t0 = time.perf_counter()
            fn()
            samples[name].seconds.append(time.perf_counter() - t0)
        for name, url in pages.items():
            t0 = time.perf_counter()
            response = client.get(url)
            samples[name].seconds.append(time.perf_counter() - t0)
            assert response.status_code == 200, response.status_code
        cache.delete(f"dashboard:public:{get_language()}")  # the page computes, the vaccination figure is kept
        t0 = time.perf_counter()
        response = views.public(_anonymous_request())
        samples["page_public"].seconds.append(time.perf_counter() - t0)
        assert response.status_code == 200, response.status_code
    return {name: s.summary() for name, s in samples.items()}


def _anonymous_request() -> Any:
    from django.contrib.auth.models import AnonymousUser
    from django.test import RequestFactory

    request = RequestFactory().get("/cong-khai/")
    request.user = AnonymousUser()
    return request


if __name__ == "__main__":
    sys.path.insert(0, str(Path(__file__).resolve().parent))
    raise SystemExit(main())
