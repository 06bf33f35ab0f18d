#!/usr/bin/env python3
"""Benchmark: person search and the people list at a baseline and at a full scale.

    python bench/people_search.py [--scale 1000000] [--baseline 10000] [--db sqlite|postgres] [--smoke]

For each scale a child process opens its own database (``var/bench/people_search-<N>.sqlite3``
or the PostgreSQL database ``phongdich_bench_<N>``), builds it once — Thái Nguyên 2021 and N
synthetic people through the demo generator's bulk path — and reuses it on later runs. It then
times, as a province administrator and as a commune officer:

* ``people.selectors.person_search`` over ~200 realistic queries (full names without diacritics,
  in upper case, given names alone, CCCDs, phone numbers), reported per kind of query;
* ``people.selectors.person_list``: the first page and five keyset next pages;
* the people list page over HTTP (Django's test client, logged in).

The parent prints p50/p95 per operation at both scales and the ratio full/baseline, and writes
everything with a description of the machine to ``bench/results/people_search-<db>-<date>.json``.
See ``bench/README.md``.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import random
import statistics
import subprocess
import sys
import tempfile
import time
import warnings
from functools import partial
from pathlib import Path
from typing import Any

from _common import (
    ROOT,
    Samples,
    compare,
    db_version,
    fmt_ratio,
    machine,
    pg_database_url,
    postgres_exists,
    postgres_recreate,
    read_marker,
    remove_sqlite,
    write_result,
)

BENCH = "people_search"
# Bumped when the generator or the build changes, so that an old bench database is rebuilt.
BUILD_VERSION = 1
PROVINCE = "19"
TREE = "2021"
COMMUNE = "05431"  # Phường Quán Triều: the commune officer's commune
ADMIN_USERNAME = "bench_tinh"
COMMUNE_USERNAME = "bench_xa"


# --- the parent ---------------------------------------------------------------------------
def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0] if __doc__ else None)
    parser.add_argument("--scale", type=int, default=1_000_000, help="people at the full scale")
    parser.add_argument("--baseline", type=int, default=10_000, help="people at the baseline scale")
    parser.add_argument("--db", choices=("sqlite", "postgres"), default="sqlite")
    parser.add_argument("--smoke", action="store_true", help="scale 2,000 / baseline 200, fewer repetitions")
    parser.add_argument("--seed", type=int, default=2021)
    parser.add_argument("--queries", type=int, default=200, help="search queries per scale")
    parser.add_argument("--repeat", type=int, default=20, help="repetitions of the list and page timings")
    parser.add_argument("--workdir", type=Path, default=None, help="where bench databases live (var/bench)")
    parser.add_argument("--out", type=Path, default=None, help="results file (bench/results/…)")
    parser.add_argument("--pg-url", default=os.environ.get("BENCH_PG_URL", "postgres:///"), help="server URL")
    parser.add_argument("--rebuild", action="store_true", help="rebuild the bench databases")
    # Internal: run one scale in this process and write its measurements to a file.
    parser.add_argument("--child-scale", type=int, default=None, help=argparse.SUPPRESS)
    parser.add_argument("--child-out", type=Path, default=None, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.smoke:
        args.scale, args.baseline = 2_000, 200
        args.queries, args.repeat = min(args.queries, 60), min(args.repeat, 5)
    if args.workdir is None:
        args.workdir = ROOT / "var" / "bench"
    args.workdir = args.workdir.resolve()
    return args


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    if args.child_scale is not None:
        return child(args)
    args.workdir.mkdir(parents=True, exist_ok=True)
    started = time.monotonic()
    runs: dict[str, Any] = {}
    for label, scale in (("baseline", args.baseline), ("full", args.scale)):
        print(f"==> {scale:,} people on {args.db}", file=sys.stderr, flush=True)
        with tempfile.NamedTemporaryFile(suffix=".json", dir=args.workdir, delete=False) as handle:
            out = Path(handle.name)
        try:
            command = [sys.executable, str(Path(__file__).resolve()), *child_argv(args, scale, out)]
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
        "scales": {"baseline": args.baseline, "full": args.scale},
        "machine": machine(runs["full"].get("db_version", "")),
        "runs": runs,
        "operations": compare(runs["baseline"]["ops"], runs["full"]["ops"]),
        "seconds": round(time.monotonic() - started, 1),
    }
    print(table(result))
    write_result(result, bench=BENCH, args=args)
    return 0


def child_argv(args: argparse.Namespace, scale: int, out: Path) -> list[str]:
    argv = [
        f"--child-scale={scale}",
        f"--child-out={out}",
        f"--db={args.db}",
        f"--seed={args.seed}",
        f"--queries={args.queries}",
        f"--repeat={args.repeat}",
        f"--workdir={args.workdir}",
        f"--pg-url={args.pg_url}",
    ]
    return [*argv, "--rebuild"] if args.rebuild else argv


def table(result: dict[str, Any]) -> str:
    base, full = result["scales"]["baseline"], result["scales"]["full"]
    head_b, head_f = f"{base:,} p50 / p95 ms", f"{full:,} p50 / p95 ms"
    lines = [
        f"{'operation':<42} {head_b:>22} {head_f:>24} {'ratio p50':>10} {'ratio p95':>10}",
        "-" * 112,
    ]
    for name, op in result["operations"].items():
        b, f = op["baseline"], op["full"]
        lines.append(
            f"{name:<42} {b['p50_ms']:>10.2f} / {b['p95_ms']:<9.2f} {f['p50_ms']:>12.2f} / {f['p95_ms']:<9.2f}"
            f" {fmt_ratio(op['ratio_p50']):>10} {fmt_ratio(op['ratio_p95']):>10}"
        )
    build = result["runs"]["full"]["build"]
    lines.append("")
    for label in ("baseline", "full"):
        load = result["runs"][label].get("loadavg_1min")
        if load:
            lines.append(f"load average while timing the {label}: {load['before']:.2f} → {load['after']:.2f}")
    lines.append(
        f"full-scale database: {'reused' if build['reused'] else 'built'}"
        + (f" in {build['seconds']:.0f} s" if not build["reused"] else "")
    )
    return "\n".join(lines)


# --- the child: one scale, one database -------------------------------------------------------
def child(args: argparse.Namespace) -> int:
    scale: int = args.child_scale
    args.workdir.mkdir(parents=True, exist_ok=True)
    name = f"phongdich_bench_{scale}"
    os.environ["DJANGO_SETTINGS_MODULE"] = "phongdich.settings"
    if args.db == "sqlite":
        os.environ.pop("DATABASE_URL", None)
        sqlite_path = args.workdir / f"{BENCH}-{scale}.sqlite3"
        os.environ["SQLITE_PATH"] = str(sqlite_path)
    else:
        os.environ["DATABASE_URL"] = pg_database_url(args.pg_url, name)
    sys.path.insert(0, str(ROOT))
    # WhiteNoise warns that STATIC_ROOT was never collected; the bench serves no static files.
    warnings.filterwarnings("ignore", message="No directory at", category=UserWarning)

    import django

    django.setup()
    marker = args.workdir / f"{BENCH}-{args.db}-{scale}.json"
    build = ensure_database(args=args, scale=scale, name=name, marker=marker)
    load_before = os.getloadavg()
    ops = measure(args=args)
    # Other work on the machine skews timings: the load average says how busy it was.
    load = {"before": round(load_before[0], 2), "after": round(os.getloadavg()[0], 2)}
    payload = {"scale": scale, "build": build, "db_version": db_version(), "loadavg_1min": load, "ops": ops}
    args.child_out.write_text(json.dumps(payload))
    return 0


def ensure_database(*, args: argparse.Namespace, scale: int, name: str, marker: Path) -> dict[str, Any]:
    """Reuse the bench database when it holds what this run needs; otherwise build it afresh.

    ``marker`` (beside the SQLite files) records what the database was built with.
    """
    from django.core.management import call_command
    from django.db import connection

    from phongdich.people.models import Person

    wanted = {"version": BUILD_VERSION, "scale": scale, "seed": args.seed}
    recorded = read_marker(marker)
    exists = Path(os.environ["SQLITE_PATH"]).exists() if args.db == "sqlite" else postgres_exists(args.pg_url, name)
    reuse = exists and not args.rebuild and all(recorded.get(k) == v for k, v in wanted.items())
    if reuse:
        call_command("migrate", verbosity=0, interactive=False)  # forward to the code's schema
        call_command("createcachetable", verbosity=0)
        if Person.objects.filter(is_synthetic=True).count() == scale:
            return {"reused": True, "seconds": recorded.get("seconds")}
        connection.close()
    marker.unlink(missing_ok=True)
    if args.db == "sqlite":
        remove_sqlite(Path(os.environ["SQLITE_PATH"]))
    else:
        postgres_recreate(args.pg_url, name)
    started = time.monotonic()
    call_command("migrate", verbosity=0, interactive=False)
    call_command("createcachetable", verbosity=0)
    build_population(scale=scale, seed=args.seed)
    seconds = round(time.monotonic() - started, 1)
    marker.write_text(json.dumps({**wanted, "seconds": seconds}))
    return {"reused": False, "seconds": seconds}


def build_population(*, scale: int, seed: int) -> None:
    """The province (units and populations), two users and ``scale`` synthetic people."""
    from django.db import connection

    from phongdich.core.models import User
    from phongdich.demo import steps
    from phongdich.demo.synthetic import PopulationGenerator, people_bulk_create, residences_for
    from phongdich.geo.models import Unit
    from phongdich.orgs.models import Role
    from phongdich.orgs.services import role_assign

    province = steps.province_load(province_code=PROVINCE, tree=TREE)
    commune = Unit.objects.get(tree=TREE, code=COMMUNE)
    for username, role, unit in (
        (ADMIN_USERNAME, Role.PROVINCE_ADMIN, province),
        (COMMUNE_USERNAME, Role.COMMUNE_OFFICER, commune),
    ):
        user = User.objects.create_user(username=username, password=None)
        role_assign(user=user, role=role, unit=unit)
    generator = PopulationGenerator(seed=seed, residences=residences_for(province=province))
    if connection.vendor == "sqlite":
        # A bulk load inserts into seven indexes at random places: with SQLite's default 2 MB page
        # cache every insert rereads pages. 1 GB for the load only; the timed part runs with the
        # defaults, on a new connection.
        with connection.cursor() as cursor:
            cursor.execute("PRAGMA cache_size = -1048576")
    people_bulk_create(generator=generator, count=scale, batch_size=5000, progress=sys.stderr)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    connection.close()


# --- measuring ---------------------------------------------------------------------------------


def build_queries(*, seed: int, count: int) -> list[tuple[str, str]]:
    """``(kind, query)`` pairs drawn from the people in the database, the same mix at every scale.

    Four people in five are drawn from the whole province, one in five from the commune
    officer's commune, so that the officer's searches find something.
    """
    from django.db.models import Max, Min

    from phongdich.core.text import fold
    from phongdich.geo.models import Unit
    from phongdich.people.models import Person

    rng = random.Random(seed)
    bounds = Person.objects.aggregate(low=Min("id"), high=Max("id"))
    low, high = bounds["low"], bounds["high"]
    commune = Unit.objects.get(tree=TREE, code=COMMUNE)
    local_ids = list(
        Person.objects.filter(residence_unit__in=Unit.objects.subtree(commune).values("pk"))
        .order_by("id")
        .values_list("id", flat=True)[:5000]
    )
    fields = ("full_name", "given_name_folded", "cccd", "phone")
    people: list[tuple[str, str, str | None, str]] = []
    while len(people) < count * 2:
        ids = [rng.choice(local_ids) if local_ids and rng.random() < 0.2 else rng.randint(low, high) for _ in range(64)]
        people.extend(Person.objects.filter(id__in=ids).values_list(*fields))
    rng.shuffle(people)
    mix = (
        ("name_folded", 0.25),
        ("name_upper", 0.125),
        ("name_upper_folded", 0.125),
        ("given_name", 0.125),
        ("family_middle", 0.075),
        ("cccd", 0.15),
        ("phone", 0.15),
    )
    queries: list[tuple[str, str]] = []
    pool = iter(people)
    for kind, share in mix:
        wanted = max(1, round(count * share))
        while wanted:
            full_name, _given, cccd, phone = next(pool)
            if kind == "name_folded":
                query = fold(full_name)
            elif kind == "name_upper":
                query = full_name.upper()
            elif kind == "name_upper_folded":
                query = fold(full_name).upper()
            elif kind == "given_name":
                query = full_name.split()[-1]
            elif kind == "family_middle":
                query = " ".join(fold(full_name).split()[:2])
            elif kind == "cccd":
                if not cccd:
                    continue
                query = cccd
            else:
                if not phone:
                    continue
                query = f"{phone[:4]} {phone[4:7]} {phone[7:]}" if rng.random() < 0.3 else phone
            queries.append((kind, query))
            wanted -= 1
    return queries


def measure(*, args: argparse.Namespace) -> dict[str, Any]:
    """Every timed operation, for each of the two users."""
    from urllib.parse import urlencode

    from django.test import Client
    from django.urls import reverse

    from phongdich.core.models import User
    from phongdich.orgs.scope import forget_scope
    from phongdich.people.selectors import person_list, person_search

    queries = build_queries(seed=args.seed + 1, count=args.queries)
    users = {
        "province_admin": User.objects.get(username=ADMIN_USERNAME),
        "commune_officer": User.objects.get(username=COMMUNE_USERNAME),
    }
    list_url = reverse("people:list")
    ops: dict[str, Any] = {}

    for role, user in users.items():
        for _kind, q in queries[:10]:  # warm the connection and the caches, untimed
            person_search(user=user, q=q)

        everything = Samples()
        by_kind: dict[str, Samples] = {}
        for kind, q in queries:
            samples = by_kind.setdefault(kind, Samples())
            forget_scope(user)  # the scope is computed once per request, as in a page view
            page = samples.time(partial(person_search, user=user, q=q))
            samples.rows.append(len(page.items))
            everything.seconds.append(samples.seconds[-1])
            everything.rows.append(len(page.items))
        ops[f"search/{role}/all"] = everything.summary()
        for kind, samples in by_kind.items():
            ops[f"search/{role}/{kind}"] = samples.summary()

        first, following = Samples(), Samples()
        cursors: list[str] = []
        for _ in range(args.repeat):
            forget_scope(user)
            page = first.time(partial(person_list, user=user))
            first.rows.append(len(page.items))
            after = page.next_after
            for _page in range(5):
                if after is None:
                    break
                cursors.append(after)
                page = following.time(partial(person_list, user=user, after=after))
                following.rows.append(len(page.items))
                after = page.next_after
        ops[f"list/{role}/first_page"] = first.summary()
        if following.seconds:
            ops[f"list/{role}/next_page"] = following.summary()

        client = Client()
        client.force_login(user)
        client.get(list_url)  # warm the templates
        urls = {
            "people_list": [list_url] * args.repeat,
            "people_list_next": [f"{list_url}?{urlencode({'after': c})}" for c in cursors[: args.repeat]],
            "people_search": [
                f"{list_url}?{urlencode({'q': q})}" for _kind, q in queries[:: max(1, len(queries) // args.repeat)]
            ],
        }
        for name, targets in urls.items():
            http = Samples()
            for url in targets:
                response = http.time(partial(client.get, url))
                if response.status_code != 200:
                    raise SystemExit(f"GET {url} as {role}: HTTP {response.status_code}")
                http.rows.append(len(response.content))
            if http.seconds:
                ops[f"http/{role}/{name}"] = {**http.summary(), "rows_mean": 0, "bytes_mean": _mean(http.rows)}
    return ops


def _mean(values: list[int]) -> int:
    return round(statistics.fmean(values)) if values else 0


if __name__ == "__main__":
    sys.exit(main())
