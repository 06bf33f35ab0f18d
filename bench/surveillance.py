#!/usr/bin/env python3
"""Benchmark: the surveillance pages at a province's scale against the same at 1/100.

    python bench/surveillance.py [--db sqlite|postgres] [--smoke] [--no-browser]

The full scale is 1.3 million people, 20,000 cases (10,000 of them in one cluster) and
200,000 contacts; the baseline, measured in the same run, is the same divided by 100 (13,000
people, 200 cases, a 100-case cluster, 2,000 contacts). For each scale a child process opens
its own database (``var/bench/surveillance-<people>.sqlite3`` or the PostgreSQL database
``phongdich_bench_surveillance_<people>``), builds what is missing in stages — Thái Nguyên 2021
and the synthetic people through the demo generator's bulk path, then the cases and the cluster,
then the contacts and what is derived from them, then arrivals — and reuses it on later runs.
It then times, as a province administrator and as a district officer of the cluster's district:

* the server time of each page (Django's test client, logged in: middleware, scope, template);
* the page load in Chromium (Playwright, against ``manage.py runserver`` on the bench database),
  until the page's ``load`` event and, for the transmission chain, until the graph has nodes.

The parent prints p50/p95 per operation at both scales and the ratio full/baseline, and writes
everything with a description of the machine to ``bench/results/surveillance-<db>-<date>.json``.
See ``bench/README.md``.
"""

from __future__ import annotations

import argparse
import contextlib
import datetime as dt
import hashlib
import json
import os
import random
import signal
import socket
import subprocess
import sys
import tempfile
import time
import uuid
import warnings
from collections.abc import Iterator
from dataclasses import asdict, dataclass
from functools import partial
from pathlib import Path
from typing import Any

from _common import (
    ROOT,
    Samples,
    Stage,
    analyze,
    compare,
    db_version,
    ensure_stages,
    fmt_ratio,
    machine,
    pg_database_url,
    summary,
    write_result,
)

BENCH = "surveillance"
PROVINCE = "19"
TREE = "2021"
DISTRICT = "172"  # Thị xã Phổ Yên: the cluster's district, the district officer's jurisdiction
ADMIN_USERNAME = "bench_tinh"
DISTRICT_USERNAME = "bench_huyen"
CHROMIUM = "/usr/bin/chromium"
# The chain page has drawn its graph when its SVG holds a node.
CHAIN_READY = "#chain-graph circle"
ROLLUP_ROW = b'class="subtotal"'  # the door-to-door page's district total: the list was computed
ROLLUP_READY = "#rollup tr.subtotal"
GRAPH_PAGE = 500  # people per page of the chain graph, as chain.js asks
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
# Bumped when a stage's build changes, so that the stage (and those after it) is built again.
STAGE_VERSIONS = {"population": 1, "cases": 1, "tracing": 1, "movements": 3}


@dataclass(frozen=True)
class Scale:
    people: int
    cases: int
    cluster: int
    contacts: int
    arrivals: int

    def divided(self, divisor: int) -> Scale:
        return Scale(**{k: max(1, round(v / divisor)) for k, v in asdict(self).items()})

    def describe(self) -> str:
        return (
            f"{self.people:,} people, {self.cases:,} cases ({self.cluster:,} in the cluster), "
            f"{self.contacts:,} contacts, {self.arrivals:,} arrivals"
        )


FULL = Scale(people=1_300_000, cases=20_000, cluster=10_000, contacts=200_000, arrivals=26_000)
SMOKE = Scale(people=2_000, cases=50, cluster=25, contacts=300, arrivals=40)


# --- the parent ---------------------------------------------------------------------------
def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0] if __doc__ else None)
    parser.add_argument("--people", type=int, default=FULL.people, help="people at the full scale")
    parser.add_argument("--cases", type=int, default=FULL.cases, help="cases at the full scale")
    parser.add_argument("--cluster", type=int, default=FULL.cluster, help="cases of the cluster at the full scale")
    parser.add_argument("--contacts", type=int, default=FULL.contacts, help="contacts at the full scale")
    parser.add_argument("--arrivals", type=int, default=FULL.arrivals, help="arrivals at the full scale")
    parser.add_argument("--divisor", type=int, default=100, help="the baseline is the full scale divided by this")
    parser.add_argument("--db", choices=("sqlite", "postgres"), default="sqlite")
    parser.add_argument("--smoke", action="store_true", help="2,000 people, 50 cases, 300 contacts vs 1/10 of it")
    parser.add_argument("--seed", type=int, default=2021)
    parser.add_argument("--repeat", type=int, default=20, help="server-time repetitions per page")
    parser.add_argument("--browser-repeat", type=int, default=8, help="Chromium page loads per page")
    parser.add_argument("--rounds", type=int, default=2, help="runs of each scale, alternated, samples pooled")
    parser.add_argument("--no-browser", action="store_true", help="skip the page loads in Chromium")
    parser.add_argument("--workdir", type=Path, default=None, help="where bench databases live (var/bench)")
    parser.add_argument("--out", type=Path, default=None, help="results file (bench/results/…)")
    parser.add_argument("--pg-url", default=os.environ.get("BENCH_PG_URL", "postgres:///"), help="server URL")
    parser.add_argument("--rebuild", action="store_true", help="rebuild the bench databases")
    # Internal: run one scale in this process and write its measurements to a file.
    parser.add_argument("--child-out", type=Path, default=None, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.smoke:
        args.people, args.cases, args.cluster, args.contacts, args.arrivals = asdict(SMOKE).values()
        args.divisor = 10
        args.repeat, args.browser_repeat, args.rounds = min(args.repeat, 4), min(args.browser_repeat, 2), 1
    if args.workdir is None:
        args.workdir = ROOT / "var" / "bench"
    args.workdir = args.workdir.resolve()
    return args


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    full = Scale(
        people=args.people, cases=args.cases, cluster=args.cluster, contacts=args.contacts, arrivals=args.arrivals
    )
    if args.child_out is not None:
        return child(args, full)
    if args.cluster > args.cases:
        raise SystemExit("--cluster cannot exceed --cases")
    args.workdir.mkdir(parents=True, exist_ok=True)
    started = time.monotonic()
    scales = {"baseline": full.divided(args.divisor), "full": full}
    runs: dict[str, Any] = {}
    # Rounds alternate the scales (baseline, full, baseline, full …), so that a busy spell of the
    # machine falls on both; each operation's samples of every round are pooled.
    for round_ in range(args.rounds):
        for label, scale in scales.items():
            print(f"==> {scale.describe()} on {args.db} (round {round_ + 1})", file=sys.stderr, flush=True)
            with tempfile.NamedTemporaryFile(suffix=".json", dir=args.workdir, delete=False) as handle:
                out = Path(handle.name)
            try:
                command = [sys.executable, str(Path(__file__).resolve()), *child_argv(args, scale, out)]
                subprocess.run(command, check=True, cwd=ROOT)
                payload = json.loads(out.read_text())
            finally:
                out.unlink(missing_ok=True)
            runs[label] = payload if label not in runs else pool(runs[label], payload)
    result = {
        "benchmark": BENCH,
        "date": dt.datetime.now().isoformat(timespec="seconds"),
        "db": args.db,
        "smoke": args.smoke,
        "seed": args.seed,
        "scales": {label: asdict(scale) for label, scale in scales.items()},
        "machine": machine(runs["full"].get("db_version", "")),
        "runs": runs,
        "operations": compare(runs["baseline"]["ops"], runs["full"]["ops"]),
        "seconds": round(time.monotonic() - started, 1),
    }
    print(table(result))
    write_result(result, bench=BENCH, args=args)
    return 0


def pool(run: dict[str, Any], later: dict[str, Any]) -> dict[str, Any]:
    """A scale's run with a later round's samples added to each operation (the first build kept)."""
    ops = {}
    for name, op in run["ops"].items():
        more = later["ops"].get(name)
        samples = op["samples_ms"] + (more["samples_ms"] if more else [])
        ops[name] = {**op, **timing([ms / 1000 for ms in samples], [])}
    loads = run["loadavg_1min"] if isinstance(run["loadavg_1min"], list) else [run["loadavg_1min"]]
    return {**run, "ops": ops, "loadavg_1min": [*loads, later["loadavg_1min"]], "notes": run["notes"]}


def timing(seconds: list[float], rows: list[int]) -> dict[str, Any]:
    """p50, p95 … of the samples, with the samples themselves (ms) for pooling rounds."""
    return {**summary(seconds, rows), "samples_ms": [round(x * 1000, 3) for x in seconds]}


def child_argv(args: argparse.Namespace, scale: Scale, out: Path) -> list[str]:
    argv = [
        f"--child-out={out}",
        f"--people={scale.people}",
        f"--cases={scale.cases}",
        f"--cluster={scale.cluster}",
        f"--contacts={scale.contacts}",
        f"--arrivals={scale.arrivals}",
        f"--db={args.db}",
        f"--seed={args.seed}",
        f"--repeat={args.repeat}",
        f"--browser-repeat={args.browser_repeat}",
        f"--workdir={args.workdir}",
        f"--pg-url={args.pg_url}",
    ]
    if args.no_browser:
        argv.append("--no-browser")
    return [*argv, "--rebuild"] if args.rebuild else argv


def table(result: dict[str, Any]) -> str:
    base, full = result["scales"]["baseline"], result["scales"]["full"]
    head_b, head_f = f"{base['people']:,} p50 / p95 ms", f"{full['people']:,} p50 / p95 ms"
    lines = [
        f"baseline: {Scale(**base).describe()}",
        f"full:     {Scale(**full).describe()}",
        "",
        f"{'operation':<44} {head_b:>22} {head_f:>26} {'ratio p50':>10} {'ratio p95':>10}",
        "-" * 116,
    ]
    for name, op in result["operations"].items():
        b, f = op["baseline"], op["full"]
        lines.append(
            f"{name:<44} {b['p50_ms']:>10.2f} / {b['p95_ms']:<9.2f} {f['p50_ms']:>14.2f} / {f['p95_ms']:<9.2f}"
            f" {fmt_ratio(op['ratio_p50']):>10} {fmt_ratio(op['ratio_p95']):>10}"
        )
    lines.append("")
    for label in ("baseline", "full"):
        run = result["runs"][label]
        loads = run.get("loadavg_1min") or []
        for load in loads if isinstance(loads, list) else [loads]:
            lines.append(f"load average while timing the {label}: {load['before']:.2f} → {load['after']:.2f}")
        for stage, built in run["build"].items():
            how = "reused" if built["reused"] else f"built in {built['seconds']:.0f} s"
            lines.append(f"{label} {stage}: {how}")
        for note in run.get("notes", []):
            lines.append(f"{label}: {note}")
    return "\n".join(lines)


# --- the child: one scale, one database -------------------------------------------------------
def database_env(args: argparse.Namespace, people: int) -> dict[str, str]:
    """The environment variables that point the settings at this scale's bench database."""
    if args.db == "sqlite":
        return {"SQLITE_PATH": str(args.workdir / f"{BENCH}-{people}.sqlite3")}
    return {"DATABASE_URL": pg_database_url(args.pg_url, f"phongdich_bench_{BENCH}_{people}")}


def child(args: argparse.Namespace, scale: Scale) -> int:
    # Stopped by the parent or by hand: leave through the finally clauses (the live server stops).
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
    args.workdir.mkdir(parents=True, exist_ok=True)
    os.environ["DJANGO_SETTINGS_MODULE"] = "phongdich.settings"
    os.environ.pop("DATABASE_URL", None)
    os.environ.pop("SQLITE_PATH", None)
    env = database_env(args, scale.people)
    os.environ.update(env)
    sys.path.insert(0, str(ROOT))
    # WhiteNoise warns that STATIC_ROOT was never collected; static files come from the finders.
    warnings.filterwarnings("ignore", message="No directory at", category=UserWarning)

    import django

    django.setup()
    marker = args.workdir / f"{BENCH}-{args.db}-{scale.people}.json"
    build = ensure_database(args=args, scale=scale, marker=marker)
    load_before = os.getloadavg()
    ops, notes = measure(args=args, scale=scale, env=env)
    # Other work on the machine skews timings: the load average says how busy it was.
    load = {"before": round(load_before[0], 2), "after": round(os.getloadavg()[0], 2)}
    payload = {
        "scale": asdict(scale),
        "build": build,
        "counts": counts(),
        "db_version": db_version(),
        "loadavg_1min": load,
        "notes": notes,
        "ops": ops,
    }
    args.child_out.write_text(json.dumps(payload))
    return 0


def stages(*, args: argparse.Namespace, scale: Scale) -> list[Stage]:
    seed = args.seed
    plan = [
        Stage(
            "population",
            {"version": STAGE_VERSIONS["population"], "people": scale.people, "seed": seed},
            build=lambda: build_population(people=scale.people, seed=seed),
            clear=lambda: None,  # the population is the database itself: it is recreated
        ),
        Stage(
            "cases",
            {
                "version": STAGE_VERSIONS["cases"],
                "cases": scale.cases,
                "cluster": scale.cluster,
                "seed": seed,
                "features": case_features(),
                "code": code_fingerprint("phongdich/cases/models.py"),
            },
            build=lambda: build_cases(scale=scale, seed=seed),
            clear=clear_cases,
        ),
    ]
    if has_app_model("tracing", "Contact"):
        plan.append(
            Stage(
                "tracing",
                {
                    "version": STAGE_VERSIONS["tracing"],
                    "contacts": scale.contacts,
                    "seed": seed,
                    # Levels and chains are derived by the tracing code: a change there derives them again.
                    "code": code_fingerprint("phongdich/tracing/models.py", "phongdich/tracing/services.py"),
                },
                build=lambda: build_tracing(scale=scale, seed=seed),
                clear=clear_tracing,
            )
        )
    if has_app_model("movements", "Movement"):
        plan.append(
            Stage(
                "movements",
                {
                    "version": STAGE_VERSIONS["movements"],
                    "arrivals": scale.arrivals,
                    "seed": seed,
                    "code": code_fingerprint("phongdich/movements/models.py"),
                },
                build=lambda: build_movements(scale=scale, seed=seed),
                clear=clear_movements,
            )
        )
    return plan


def code_fingerprint(*paths: str) -> str:
    """A short digest of source files whose change makes a stage's rows stale."""
    digest = hashlib.sha256()
    for path in paths:
        digest.update((ROOT / path).read_bytes())
    return digest.hexdigest()[:16]


def ensure_database(*, args: argparse.Namespace, scale: Scale, marker: Path) -> dict[str, Any]:
    """Reuse what the bench database already holds; build the stages it lacks (and those after).

    ``marker`` (beside the SQLite files) records what each stage was built with and how long it
    took. A new population means a new database; a later stage is cleared and built again alone.
    """
    return ensure_stages(
        plan=stages(args=args, scale=scale),
        marker=marker,
        db=args.db,
        sqlite_path=args.workdir / f"{BENCH}-{scale.people}.sqlite3",
        pg_url=args.pg_url,
        db_name=f"phongdich_bench_{BENCH}_{scale.people}",
        people=scale.people,
        rebuild=args.rebuild,
    )


@contextlib.contextmanager
def big_sqlite_cache() -> Iterator[None]:
    """A bulk load inserts into indexes at random places: with SQLite's default 2 MB page cache
    every insert rereads pages. 1 GB for the load only; the timed part runs with the defaults."""
    from django.db import connection

    if connection.vendor == "sqlite":
        with connection.cursor() as cursor:
            cursor.execute("PRAGMA cache_size = -1048576")
    try:
        yield
    finally:
        connection.close()


def build_population(*, people: int, seed: int) -> None:
    """The province (units and populations), the two users and ``people`` synthetic people."""
    from phongdich.core.models import User
    from phongdich.demo import steps
    from phongdich.demo.synthetic import PopulationGenerator, people_bulk_create, residences_for
    from phongdich.geo.models import Unit
    from phongdich.orgs.models import Role
    from phongdich.orgs.services import role_assign

    province = steps.province_load(province_code=PROVINCE, tree=TREE)
    district = Unit.objects.get(tree=TREE, code=DISTRICT)
    for username, role, unit in (
        (ADMIN_USERNAME, Role.PROVINCE_ADMIN, province),
        (DISTRICT_USERNAME, Role.DISTRICT_OFFICER, district),
    ):
        user = User.objects.create_user(username=username, password=None)
        role_assign(user=user, role=role, unit=unit)
    generator = PopulationGenerator(seed=seed, residences=residences_for(province=province))
    with big_sqlite_cache():
        people_bulk_create(generator=generator, count=people, batch_size=5000, progress=sys.stderr)


# --- cases and the cluster ---------------------------------------------------------------------
def case_features() -> list[str]:
    """What the case model offers that the build fills in (a cluster, the isolation day)."""
    from phongdich.cases.models import Case

    names = {f.name for f in Case._meta.get_fields()}
    return sorted(names & {"cluster", "isolated_on"})


def clear_cases() -> None:
    from phongdich.cases import models

    models.CaseStatusChange.objects.all().delete()
    models.Case.objects.all().delete()
    if hasattr(models, "Cluster"):
        models.Cluster.objects.all().delete()


def person_sample(*, rng: random.Random, count: int, district_count: int) -> list[tuple[int, int]]:
    """``count`` distinct people as ``(id, residence_unit_id)``: ``district_count`` of them living in
    the cluster's district (as many as there are, if fewer), the others anywhere in the province."""
    from django.db.models import Max, Min

    from phongdich.geo.models import Unit
    from phongdich.people.models import Person

    district = Unit.objects.get(tree=TREE, code=DISTRICT)
    local = list(
        Person.objects.filter(residence_unit__in=Unit.objects.subtree(district).values("pk"))
        .order_by("id")
        .values_list("id", "residence_unit_id")
    )
    chosen = rng.sample(local, min(district_count, len(local)))
    taken = {pk for pk, _unit in chosen}
    bounds = Person.objects.aggregate(low=Min("id"), high=Max("id"))
    total = Person.objects.count()
    wanted = min(count, total)
    while len(chosen) < wanted:
        ids = {rng.randint(bounds["low"], bounds["high"]) for _ in range(min(5000, 2 * (wanted - len(chosen))))}
        ids -= taken
        for pk, unit_id in Person.objects.filter(id__in=ids).values_list("id", "residence_unit_id"):
            if len(chosen) < wanted:
                chosen.append((pk, unit_id))
                taken.add(pk)
    # The cluster's cases come first; the others follow in a random order.
    head, tail = chosen[:district_count], chosen[district_count:]
    rng.shuffle(tail)
    return head + tail


def build_cases(*, scale: Scale, seed: int) -> None:
    """``scale.cases`` cases, the first ``scale.cluster`` of them one cluster in the district.

    The cases are spread over May–November 2021 (the cluster's over seven weeks from 10/05),
    with the registry's codes (``TN-2021-0001`` …, in order of confirmation), statuses in a
    realistic mix (mostly confirmed or recovered, a few suspected, probable, discarded or dead)
    and each case's registration in its history, as ``case_register`` writes them.
    """
    from django.utils import timezone

    from phongdich.cases.models import Case, CaseStatus, CaseStatusChange, DetectedIn
    from phongdich.demo.synthetic import BulkInserter

    rng = random.Random(seed + 3)
    people = person_sample(rng=rng, count=scale.cases, district_count=scale.cluster)
    features = case_features()
    cluster_id = build_cluster(scale=scale) if "cluster" in features else None
    statuses = (
        (CaseStatus.CONFIRMED, 0.42),
        (CaseStatus.RECOVERED, 0.4),
        (CaseStatus.DIED, 0.01),
        (CaseStatus.SUSPECTED, 0.09),
        (CaseStatus.PROBABLE, 0.03),
        (CaseStatus.DISCARDED, 0.05),
    )
    status_values, status_weights = zip(*statuses, strict=True)
    start = dt.date(2021, 5, 1)
    cluster_start = dt.date(2021, 5, 10)
    rows: list[dict[str, Any]] = []
    for i, (person_id, unit_id) in enumerate(people):
        in_cluster = i < scale.cluster
        status = rng.choices(status_values, status_weights)[0]
        if in_cluster:
            day = cluster_start + dt.timedelta(days=min(48, int(rng.expovariate(1 / 14))))
        else:
            day = start + dt.timedelta(days=rng.randrange(190))
        onset = day - dt.timedelta(days=rng.randrange(1, 4)) if rng.random() < 0.6 else None
        sampling = day - dt.timedelta(days=rng.randrange(0, 2))
        was_confirmed = status in (CaseStatus.CONFIRMED, CaseStatus.RECOVERED, CaseStatus.DIED)
        confirmed_at = (
            timezone.make_aware(dt.datetime.combine(day, dt.time(rng.randrange(6, 22), rng.randrange(60))))
            if was_confirmed
            else None
        )
        row: dict[str, Any] = {
            "uid": uuid.UUID(int=rng.getrandbits(128), version=4),
            "person_id": person_id,
            "status": status,
            "onset_date": onset,
            "sampling_date": sampling,
            "confirmation_date": day if was_confirmed else None,
            "confirmed_at": confirmed_at,
            "detected_in": DetectedIn.QUARANTINE if rng.random() < 0.55 else DetectedIn.COMMUNITY,
            "residence_unit_id": unit_id,
            "source_known": in_cluster or rng.random() < 0.6,
            "source_note": "Ổ dịch khu công nghiệp" if in_cluster else "",
            "reported_by": "health",
        }
        if in_cluster:
            row["cluster_id"] = cluster_id
        if "isolated_on" in features:
            row["isolated_on"] = sampling if row["detected_in"] == DetectedIn.QUARANTINE else day
        rows.append(row)
    # Codes in order of the day a case counts, as the registry hands them out.
    rows.sort(
        key=lambda r: r["confirmed_at"] or timezone.make_aware(dt.datetime.combine(r["sampling_date"], dt.time()))
    )
    for number, row in enumerate(rows, start=1):
        row["case_code"] = f"TN-2021-{number:04d}"
    with big_sqlite_cache():
        cases = BulkInserter(Case)
        for chunk in range(0, len(rows), 5000):
            cases.insert(rows[chunk : chunk + 5000])
        ids = dict(Case.objects.values_list("case_code", "id"))
        changes = BulkInserter(CaseStatusChange)
        history = [
            {
                "case_id": ids[row["case_code"]],
                "from_status": "",
                "to_status": row["status"],
                "on_date": row["confirmation_date"] or row["sampling_date"],
                "at": timezone.now(),
                "note": "Đăng ký ca bệnh",
            }
            for row in rows
        ]
        for chunk in range(0, len(history), 5000):
            changes.insert(history[chunk : chunk + 5000])


def build_cluster(*, scale: Scale) -> int:
    """The cluster, declared by the province administrator through ``cases.services.cluster_create``:
    an industrial park's commune of the district (Đồng Tiến, if the tree has it)."""
    from phongdich.cases.services import cluster_create
    from phongdich.core.models import User
    from phongdich.geo.models import Level, Unit

    district = Unit.objects.get(tree=TREE, code=DISTRICT)
    communes = Unit.objects.filter(parent=district, level=Level.COMMUNE).order_by("path")
    commune = communes.filter(name__contains="Đồng Tiến").first() or communes.first()
    cluster = cluster_create(
        actor=User.objects.get(username=ADMIN_USERNAME),
        name=f"Khu công nghiệp Yên Bình ({scale.cluster:,} ca)",
        start_date=dt.date(2021, 5, 10),
        place_unit=commune,
    )
    return int(cluster.pk)


# --- contacts, levels and chains -----------------------------------------------------------
def has_app_model(label: str, model: str) -> bool:
    from django.apps import apps

    try:
        apps.get_model(label, model)
    except LookupError:
        return False
    return True


def clear_tracing() -> None:
    from phongdich.tracing.models import ChainNode, ChainSnapshot, Contact, ContactLevel

    for model in (ChainNode, ChainSnapshot, ContactLevel, Contact):
        model.objects.all().delete()


def build_tracing(*, scale: Scale, seed: int) -> None:
    """``scale.contacts`` contacts in three kinds, then the levels and chains derived from them.

    * the cluster's cases infected one another: each case after the first was exposed on the line
      to an earlier one, so the cluster is one chain of transmission (``scale.cluster - 1`` links);
    * of the rest, 85 % are the F1s of the cases — household, workplace, meals, vehicles —, people
      of the district for the cluster's cases, of anywhere for the others, mostly inside the
      window of infectiousness, some before it;
    * 15 % are F2s: people exposed to one of those F1s in the days after.

    The rows are inserted in bulk; ``tracing.services.tracing_refresh`` then derives every level
    and builds every chain's snapshot and layout, as the background task does in production.
    """
    from phongdich.cases.models import Case
    from phongdich.demo.synthetic import BulkInserter, Progress
    from phongdich.geo.models import Unit
    from phongdich.people.models import Person
    from phongdich.tracing.models import Contact, ExposureType
    from phongdich.tracing.services import tracing_refresh

    rng = random.Random(seed + 5)
    district = Unit.objects.get(tree=TREE, code=DISTRICT)
    cases = list(
        Case.objects.order_by("sampling_date", "pk").values_list(
            "person_id", "sampling_date", "cluster_id", "person__residence_unit_id"
        )
    )
    case_people = {c[0] for c in cases}
    everyone = list(Person.objects.order_by("pk").values_list("pk", flat=True).iterator(chunk_size=20000))
    local = list(
        Person.objects.filter(residence_unit__in=Unit.objects.subtree(district).values("pk"))
        .order_by("pk")
        .values_list("pk", flat=True)
    )
    pairs: set[tuple[int, int]] = set()
    rows: list[dict[str, Any]] = []

    def add(source: int, contact: int, kind: str, last: dt.date, place_unit: int | None, text: str) -> bool:
        if source == contact or (source, contact) in pairs or (contact, source) in pairs:
            return False
        pairs.add((source, contact))
        first = last - dt.timedelta(days=rng.choice((0, 0, 1, 2)))
        rows.append(
            {
                "uid": uuid.UUID(int=rng.getrandbits(128), version=4),
                "source_id": source,
                "contact_id": contact,
                "exposure_type": kind,
                "place_unit_id": place_unit,
                "place_text": text,
                "first_exposure": first,
                "last_exposure": last,
            }
        )
        return True

    cluster_cases = [c for c in cases if c[2] is not None] if any(c[2] for c in cases) else []
    for j in range(1, len(cluster_cases)):
        person, day, _cluster, unit = cluster_cases[j]
        source = cluster_cases[rng.randrange(max(0, j - 200), j)][0]
        add(source, person, ExposureType.SHIFT, day - dt.timedelta(days=rng.randint(2, 5)), unit, "Dây chuyền sản xuất")
    remaining = max(0, scale.contacts - len(rows))
    f1_target = len(rows) + round(remaining * 0.85)
    f1s: list[tuple[int, dt.date]] = []
    kinds = (
        (ExposureType.HOUSEHOLD, 0.35),
        (ExposureType.WORKPLACE, 0.3),
        (ExposureType.MEAL, 0.15),
        (ExposureType.VEHICLE, 0.1),
        (ExposureType.GATHERING, 0.1),
    )
    kind_values, kind_weights = zip(*kinds, strict=True)
    attempts = 0
    while len(rows) < f1_target and attempts < 20 * scale.contacts:
        attempts += 1
        person, day, cluster, unit = cases[rng.randrange(len(cases))]
        pool = local if cluster is not None and local else everyone
        contact = pool[rng.randrange(len(pool))]
        if contact in case_people:
            continue
        # Most exposures fall in the days before the sample; one in ten a week or more before.
        back = rng.randint(7, 12) if rng.random() < 0.1 else rng.randint(0, 3)
        last = day - dt.timedelta(days=back)
        if add(person, contact, rng.choices(kind_values, kind_weights)[0], last, unit, ""):
            f1s.append((contact, last))
    while len(rows) < scale.contacts and f1s and attempts < 40 * scale.contacts:
        attempts += 1
        f1, exposed = f1s[rng.randrange(len(f1s))]
        contact = everyone[rng.randrange(len(everyone))]
        if contact in case_people:
            continue
        add(
            f1,
            contact,
            rng.choices(kind_values, kind_weights)[0],
            exposed + dt.timedelta(days=rng.randint(1, 4)),
            None,
            "",
        )
    with big_sqlite_cache():
        inserter = BulkInserter(Contact)
        meter = Progress(total=len(rows), label="Tiếp xúc", stream=sys.stderr)
        for chunk in range(0, len(rows), 5000):
            inserter.insert(rows[chunk : chunk + 5000])
            meter.update(len(rows[chunk : chunk + 5000]))
    analyze()
    started = time.monotonic()
    result = tracing_refresh(person_ids=None)
    print(
        f"tracing_refresh: {result.chains:,} chains, {result.levels_changed:,} levels"
        f" in {time.monotonic() - started:.0f} s",
        file=sys.stderr,
        flush=True,
    )


# --- arrivals from an epidemic area ----------------------------------------------------------
DA_NANG = "48"
DA_NANG_START = dt.date(2020, 7, 25)


def epidemic_area() -> Any:
    """Đà Nẵng, declared an epidemic area from 25/07/2020 (Thông báo 257/TB-VPCP), its units loaded."""
    from phongdich.geo.loaders import load_units
    from phongdich.geo.models import Level, Unit
    from phongdich.zones.models import EpidemicArea, PlaceKind
    from phongdich.zones.services import area_declare

    city = Unit.objects.filter(tree=TREE, code=DA_NANG, level=Level.PROVINCE).first()
    if city is None:
        load_units(province=DA_NANG, tree=TREE)
        city = Unit.objects.get(tree=TREE, code=DA_NANG, level=Level.PROVINCE)
    area = EpidemicArea.objects.filter(unit=city, source_number="257/TB-VPCP").first()
    if area is None:
        area = area_declare(
            actor=None,
            kind=PlaceKind.UNIT,
            unit=city,
            start_date=DA_NANG_START,
            source_number="257/TB-VPCP",
            source_date=dt.date(2020, 7, 27),
            source_issuer="Văn phòng Chính phủ",
            source_text="Thông báo kết luận của Thường trực Chính phủ về công tác phòng, chống dịch COVID-19",
            is_complex=True,
        )
    return area


def clear_movements() -> None:
    from phongdich.movements.models import Movement

    Movement.objects.all().delete()


def build_movements(*, scale: Scale, seed: int) -> None:
    """``scale.arrivals`` arrivals into the province, four in five from Đà Nẵng's communes, one in
    four into the cluster's district.

    The area is declared first (through ``zones.services.area_declare``); the arrivals follow in
    bulk, as officers declare them: July–August 2020 (some before the area's start on 25/07), into
    the commune the person lives in, by coach, plane, train or car, lodging at home or with
    relatives, two in five gone again a few days later. The others came from Hà Nội or abroad.
    """
    from django.db.models import Max, Min

    from phongdich.demo.synthetic import BulkInserter
    from phongdich.geo.models import Level, Unit
    from phongdich.movements.models import DeclaredBy, Direction, LodgingKind, Movement, Transport
    from phongdich.people.models import Person
    from phongdich.zones.models import PlaceKind

    rng = random.Random(seed + 11)
    area = epidemic_area()
    origins = list(Unit.objects.subtree(area.unit).filter(level=Level.COMMUNE).values_list("pk", flat=True))
    # One arrival in four comes to work in the district's industrial parks: its residents.
    district = Unit.objects.get(tree=TREE, code=DISTRICT)
    local = list(
        Person.objects.filter(residence_unit__in=Unit.objects.subtree(district).values("pk"))
        .order_by("pk")
        .values_list("id", "residence_unit_id")
    )
    chosen: dict[int, int] = dict(rng.sample(local, min(len(local), max(1, scale.arrivals // 4))))
    workers = set(chosen)
    bounds = Person.objects.aggregate(low=Min("id"), high=Max("id"))
    total = Person.objects.count()
    while len(chosen) < min(scale.arrivals, total):
        ids = {rng.randint(bounds["low"], bounds["high"]) for _ in range(min(5000, 2 * scale.arrivals))}
        for pk, unit_id in Person.objects.filter(id__in=ids - set(chosen)).values_list("id", "residence_unit_id"):
            if len(chosen) < scale.arrivals:
                chosen[pk] = unit_id
    communes = dict(Unit.objects.filter(pk__in=set(chosen.values())).values_list("pk", "level"))
    parents = dict(Unit.objects.filter(pk__in=set(chosen.values())).values_list("pk", "parent_id"))
    transports = (Transport.COACH, Transport.PLANE, Transport.TRAIN, Transport.CAR, Transport.MOTORBIKE)
    rows: list[dict[str, Any]] = []
    for person_id, unit_id in chosen.items():
        # From 15/07, ten days before the area's start; the district's workers came after it.
        day = dt.date(2020, 7, 25 if person_id in workers else 15) + dt.timedelta(days=rng.randrange(15))
        row: dict[str, Any] = {
            "uid": uuid.UUID(int=rng.getrandbits(128), version=4),
            "person_id": person_id,
            "direction": Direction.ARRIVAL,
            "unit_id": unit_id,
            "commune_id": unit_id if communes[unit_id] == Level.COMMUNE else parents[unit_id],
            "move_date": day,
            "transport": rng.choice(transports),
            "lodging_kind": rng.choice((LodgingKind.OWN_HOME, LodgingKind.OWN_HOME, LodgingKind.RELATIVE)),
            "lodging_address": "Nhà riêng",
            "declared_by": rng.choice((DeclaredBy.SELF, DeclaredBy.OFFICIAL)),
            "left_on": day + dt.timedelta(days=rng.randint(3, 14)) if rng.random() < 0.4 else None,
        }
        roll = rng.random()
        if roll < 0.8:
            row.update(
                place_kind=PlaceKind.UNIT,
                place_unit_id=rng.choice(origins),
                place_from=day - dt.timedelta(days=rng.randint(3, 30)),
            )
        elif roll < 0.9:
            row.update(place_kind=PlaceKind.COUNTRY, country=rng.choice(("KR", "JP", "CN", "TW")))
        else:
            row.update(place_note="Hà Nội")
        rows.append(row)
    with big_sqlite_cache():
        inserter = BulkInserter(Movement)
        for chunk in range(0, len(rows), 5000):
            inserter.insert(rows[chunk : chunk + 5000])


def counts() -> dict[str, int]:
    """What the bench database holds (rows per table the pages read)."""
    from django.apps import apps

    tables = {
        "people": ("people", "Person"),
        "cases": ("cases", "Case"),
        "clusters": ("cases", "Cluster"),
        "contacts": ("tracing", "Contact"),
        "contact_levels": ("tracing", "ContactLevel"),
        "chains": ("tracing", "ChainSnapshot"),
        "chain_nodes": ("tracing", "ChainNode"),
        "movements": ("movements", "Movement"),
    }
    found: dict[str, int] = {}
    for name, (label, model) in tables.items():
        if has_app_model(label, model):
            found[name] = apps.get_model(label, model).objects.count()
    return found


# --- measuring ---------------------------------------------------------------------------------
def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@contextlib.contextmanager
def live_server(env: dict[str, str]) -> Iterator[str]:
    """``manage.py runserver`` (threaded, no reloader) on the bench database; yields its address."""
    port = free_port()
    server_env = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "SQLITE_PATH")}
    server_env.update(env)
    server_env["DJANGO_SETTINGS_MODULE"] = "phongdich.settings"
    process = subprocess.Popen(
        [sys.executable, "manage.py", "runserver", f"127.0.0.1:{port}", "--noreload", "--skip-checks"],
        cwd=ROOT,
        env=server_env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                with socket.create_connection(("127.0.0.1", port), timeout=1):
                    break
            except OSError:
                if process.poll() is not None or time.monotonic() > deadline:
                    raise SystemExit("manage.py runserver did not start") from None
                time.sleep(0.2)
        yield f"http://127.0.0.1:{port}"
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


@dataclass
class Target:
    """A page to time: its URLs (one per repetition) and, for a graph, what shows it has drawn."""

    name: str
    urls: list[str]
    ready_selector: str | None = None
    browser: bool = True  # a page (timed in Chromium too), not a JSON endpoint or a download
    expect: bytes = b""  # what a response must hold to count (the list, not a form with errors)


def url_for(name: str, notes: list[str], **kwargs: Any) -> str | None:
    """The URL named ``name``, or ``None`` (and a note) when the code has no such page yet."""
    from django.urls import NoReverseMatch, reverse

    try:
        return reverse(name, kwargs=kwargs or None)
    except NoReverseMatch:
        note = f"not measured: no URL named {name!r} in this code"
        if note not in notes:
            notes.append(note)
        return None


def targets_for(*, user: Any, rng: random.Random, repeat: int, notes: list[str]) -> list[Target]:
    """The pages a user opens, each with ``repeat`` URLs (different cases, following pages …).

    A next page is asked for with the last row of the page before (``?after=<uid>``): the cursors
    are rows drawn at random from the user's list, so that the pages lie anywhere in it.
    """
    from urllib.parse import urlencode

    from phongdich.cases.selectors import visible_cases

    targets: list[Target] = []
    list_url = url_for("cases:list", notes)
    uids = [str(uid) for uid in visible_cases(user).order_by("pk").values_list("uid", flat=True)]
    if list_url:
        cursors = rng.sample(uids, min(repeat, len(uids)))
        targets.append(Target("cases_list", [list_url] * repeat))
        targets.append(Target("cases_list_next", [f"{list_url}?{urlencode({'after': c})}" for c in cursors]))
    case_urls = [url_for("cases:detail", notes, uid=uid) for uid in rng.sample(uids, min(repeat, len(uids)))]
    targets.append(Target("case_detail", [u for u in case_urls if u]))
    if has_app_model("tracing", "Contact"):
        targets.extend(tracing_targets(user=user, rng=rng, repeat=repeat, notes=notes))
    if has_app_model("movements", "Movement"):
        targets.extend(door_to_door_targets(repeat=repeat, notes=notes))
    return [t for t in targets if t.urls]


def door_to_door_targets(*, repeat: int, notes: list[str]) -> list[Target]:
    """The door-to-door list of the cluster's district for the epidemic area: the page (counts per
    commune) and the list itself (the Excel file of every arrival, audited)."""
    from urllib.parse import urlencode

    from phongdich.geo.models import Unit
    from phongdich.zones.models import EpidemicArea

    url = url_for("movements:door-to-door", notes)
    area = EpidemicArea.objects.filter(source_number="257/TB-VPCP").first()
    if url is None or area is None:
        return []
    district = Unit.objects.get(tree=TREE, code=DISTRICT)
    query = {"area": area.pk, "unit": district.pk}
    return [
        Target("door_to_door", [f"{url}?{urlencode(query)}"] * repeat, ready_selector=ROLLUP_READY, expect=ROLLUP_ROW),
        Target(
            "door_to_door_xlsx",
            [f"{url}?{urlencode({**query, 'format': 'xlsx'})}"] * repeat,
            browser=False,
            expect=b"PK",  # a zip: the .xlsx file
        ),
    ]


def tracing_targets(*, user: Any, rng: random.Random, repeat: int, notes: list[str]) -> list[Target]:
    """The contacts list (first and next pages) and the cluster's chain: its page and its graph's JSON."""
    from urllib.parse import urlencode

    from phongdich.cases.models import Case
    from phongdich.orgs.scope import scope_for
    from phongdich.people.models import Person
    from phongdich.tracing.models import ChainNode, ChainSnapshot, Contact

    targets: list[Target] = []
    contacts_url = url_for("tracing:contacts", notes)
    if contacts_url:
        # The contacts a user sees are those of a person in scope (either side), read here in
        # Python: the same filter in SQL, unlimited, is the slow query the page itself avoids.
        everything = scope_for(user).everything
        people = set() if everything else set(Person.objects.for_user(user).values_list("pk", flat=True))
        ids = [
            uid
            for uid, source, contact in Contact.objects.order_by("pk").values_list("uid", "source_id", "contact_id")
            if everything or source in people or contact in people
        ]
        cursors = [str(uid) for uid in rng.sample(ids, min(repeat, len(ids)))]
        targets.append(Target("contacts_list", [contacts_url] * repeat))
        targets.append(Target("contacts_list_next", [f"{contacts_url}?{urlencode({'after': c})}" for c in cursors]))
    # The cluster's chain: the chain its cases are in (the largest there is).
    cluster_id = Case.objects.filter(cluster__isnull=False).values_list("cluster_id", flat=True).first()
    chain_pk = ChainNode.objects.filter(cluster_id=cluster_id).values_list("chain_id", flat=True).first()
    chain = ChainSnapshot.objects.filter(pk=chain_pk).first()
    if chain is None:
        notes.append("not measured: the cluster has no chain")
        return targets
    page_url = url_for("tracing:chain", notes, uid=chain.uid)
    if page_url:
        targets.append(Target("chain_page", [page_url] * repeat, ready_selector=CHAIN_READY))
    graph_url = url_for("api:tracing-chain-graph", notes, uid=chain.uid)
    if graph_url:
        # What the chain page asks for first (chain.js): generations 0–2, leaves from generation 2
        # folded, 500 people; then the same from a node drawn at random (a later page); then a
        # page of every generation with nothing folded.
        shown = {"generations": 2, "hide_leaves": 1, "limit": GRAPH_PAGE}
        layout = list(ChainNode.objects.filter(chain=chain, generation__lte=2).values_list("generation", "position"))
        after = [f"{g}-{p}" for g, p in rng.sample(layout, min(repeat, len(layout)))]
        targets += [
            Target("chain_graph_json", [f"{graph_url}?{urlencode(shown)}"] * repeat, browser=False),
            Target(
                "chain_graph_json_next",
                [f"{graph_url}?{urlencode({**shown, 'after': a})}" for a in after],
                browser=False,
            ),
            Target("chain_graph_json_all", [f"{graph_url}?{urlencode({'limit': GRAPH_PAGE})}"] * repeat, browser=False),
        ]
    return targets


def measure(*, args: argparse.Namespace, scale: Scale, env: dict[str, str]) -> tuple[dict[str, Any], list[str]]:
    """Every timed operation, for each of the two users: server time, then Chromium page loads."""
    from django.test import Client

    from phongdich.core.models import User

    rng = random.Random(args.seed + 7)
    notes: list[str] = []
    users = {
        "province_admin": User.objects.get(username=ADMIN_USERNAME),
        "district_officer": User.objects.get(username=DISTRICT_USERNAME),
    }
    ops: dict[str, Any] = {}
    sessions: dict[str, str] = {}
    plans: dict[str, list[Target]] = {}
    for role, user in users.items():
        client = Client()
        client.force_login(user)
        sessions[role] = client.cookies["sessionid"].value
        plans[role] = targets_for(user=user, rng=rng, repeat=args.repeat, notes=notes)
        for target in plans[role]:
            client.get(target.urls[0])  # warm the templates and the caches, untimed
            http = Samples()
            for url in target.urls:
                response = http.time(partial(client.get, url))
                if response.status_code != 200:
                    raise SystemExit(f"GET {url} as {role}: HTTP {response.status_code}")
                if target.expect and target.expect not in response.content[:2_000_000]:
                    raise SystemExit(f"GET {url} as {role}: the response lacks {target.expect!r}")
                http.rows.append(len(response.content))
            ops[f"server/{role}/{target.name}"] = {
                **timing(http.seconds, []),
                "bytes_mean": _mean(http.rows),
            }
    if args.no_browser:
        notes.append("page loads in Chromium skipped (--no-browser)")
    elif not Path(CHROMIUM).exists():
        notes.append(f"page loads in Chromium skipped: {CHROMIUM} is missing")
    else:
        ops.update(measure_browser(args=args, env=env, sessions=sessions, plans=plans))
    return ops, notes


def measure_browser(
    *, args: argparse.Namespace, env: dict[str, str], sessions: dict[str, str], plans: dict[str, list[Target]]
) -> dict[str, Any]:
    """Page loads in Chromium: ``page.goto`` until the ``load`` event (and the graph, if any)."""
    from playwright.sync_api import sync_playwright

    ops: dict[str, Any] = {}
    with live_server(env) as base, sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
        try:
            for role, targets in plans.items():
                context = browser.new_context(locale="vi-VN")
                context.add_cookies([{"name": "sessionid", "value": sessions[role], "url": base}])
                page = context.new_page()
                page.set_default_timeout(120_000)
                for target in (t for t in targets if t.browser):
                    page.goto(base + target.urls[0])  # warm the server and the browser's cache
                    loads = Samples()
                    for url in target.urls[: args.browser_repeat]:
                        response = loads.time(partial(page_load, page, base + url, target.ready_selector))
                        if response is None or response.status != 200:
                            raise SystemExit(f"Chromium: {url} as {role}: {response and response.status}")
                    ops[f"browser/{role}/{target.name}"] = timing(loads.seconds, [])
                context.close()
        finally:
            browser.close()
    return ops


def page_load(page: Any, url: str, ready_selector: str | None) -> Any:
    response = page.goto(url, wait_until="load")
    if ready_selector:
        page.wait_for_selector(ready_selector, state="attached")
    return response


def _mean(values: list[int]) -> int:
    return round(sum(values) / len(values)) if values else 0


if __name__ == "__main__":
    sys.exit(main())
