"""Machinery shared by the benchmarks in ``bench/``: timings, ratios, the machine, bench databases.

A benchmark script runs each scale in a child process on its own database and compares the
two runs. Nothing here imports Django at module level: the parent never sets Django up.
"""

from __future__ import annotations

import json
import os
import platform
import re
import statistics
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TypeVar

ROOT = Path(__file__).resolve().parents[1]
T = TypeVar("T")


# --- reporting ---------------------------------------------------------------------------------
def display_path(path: Path) -> str:
    try:
        return str(path.relative_to(ROOT))
    except ValueError:
        return str(path)


def write_result(result: dict[str, Any], *, bench: str, args: Any) -> Path:
    """Write a run's figures as JSON: ``args.out``, else ``bench/results/<bench>-<db>-<date>.json`` (a smoke
    run: under ``args.workdir``); say where on stderr."""
    import datetime as dt

    out_path: Path = args.out or (
        (args.workdir / "results" if args.smoke else ROOT / "bench" / "results")
        / f"{bench}-{args.db}-{dt.datetime.now().date().isoformat()}.json"
    )
    out_path.parent.mkdir(parents=True, exist_ok=True)
    out_path.write_text(json.dumps(result, indent=2, ensure_ascii=False) + "\n")
    print(f"\nWritten to {display_path(out_path)}", file=sys.stderr)
    return out_path


def compare(baseline: dict[str, Any], full: dict[str, Any]) -> dict[str, Any]:
    """Each operation at both scales, with the ratios full / baseline of p50 and p95."""
    merged: dict[str, Any] = {}
    for name in full:
        if name not in baseline:
            continue
        b, f = baseline[name], full[name]
        merged[name] = {
            "baseline": b,
            "full": f,
            "ratio_p50": round(f["p50_ms"] / b["p50_ms"], 2) if b["p50_ms"] > 0 else None,
            "ratio_p95": round(f["p95_ms"] / b["p95_ms"], 2) if b["p95_ms"] > 0 else None,
        }
    return merged


def fmt_ratio(value: float | None) -> str:
    return "—" if value is None else f"{value:.2f}×"


def machine(db_version: str) -> dict[str, Any]:
    info: dict[str, Any] = {
        "cpu_count": os.cpu_count(),
        "cpu_model": "",
        "ram_gb": None,
        "os": platform.platform(),
        "python": platform.python_version(),
        "db_version": db_version,
    }
    cpuinfo = Path("/proc/cpuinfo")
    if cpuinfo.exists():
        for line in cpuinfo.read_text().splitlines():
            if line.startswith("model name"):
                info["cpu_model"] = line.split(":", 1)[1].strip()
                break
    meminfo = Path("/proc/meminfo")
    if meminfo.exists():
        for line in meminfo.read_text().splitlines():
            if line.startswith("MemTotal:"):
                info["ram_gb"] = round(int(line.split()[1]) / 1024 / 1024, 1)
                break
    try:
        import django

        info["django"] = django.get_version()
    except ImportError:  # pragma: no cover - the bench runs in the project's environment
        info["django"] = ""
    return info


# --- bench databases -----------------------------------------------------------------------------
def remove_sqlite(path: Path) -> None:
    for suffix in ("", "-wal", "-shm"):
        Path(f"{path}{suffix}").unlink(missing_ok=True)


def db_version() -> str:
    from django.db import connection

    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute("select sqlite_version()")
            return f"SQLite {cursor.fetchone()[0]}"
        cursor.execute("show server_version")
        return f"PostgreSQL {cursor.fetchone()[0]}"


DB_SETTINGS = ("shared_buffers", "effective_cache_size", "synchronous_commit", "max_wal_size", "wal_compression")


def db_settings() -> dict[str, str]:
    """The PostgreSQL server settings a benchmark's figures depend on (nothing on SQLite)."""
    from django.db import connection

    if connection.vendor != "postgresql":
        return {}
    with connection.cursor() as cursor:
        cursor.execute("SELECT name, current_setting(name) FROM pg_settings WHERE name = ANY(%s)", [list(DB_SETTINGS)])
        return dict(cursor.fetchall())


def read_marker(marker: Path) -> dict[str, Any]:
    try:
        recorded = json.loads(marker.read_text())
    except (OSError, ValueError):
        return {}
    return recorded if isinstance(recorded, dict) else {}


def pg_database_url(server_url: str, name: str) -> str:
    """``postgres:///`` + ``db`` → ``postgres:///db``; a database already in the URL is replaced."""
    match = re.match(r"^([a-z][a-z0-9+.-]*://[^/?#]*)(/[^?#]*)?(.*)$", server_url)
    if match is None:
        raise SystemExit(f"Not a database URL: {server_url}")
    return f"{match.group(1)}/{name}{match.group(3)}"


def postgres_admin(url: str) -> Any:
    import psycopg

    return psycopg.connect(pg_database_url(url, "postgres"), autocommit=True)


def postgres_exists(url: str, name: str) -> bool:
    with postgres_admin(url) as conn:
        return conn.execute("select 1 from pg_database where datname = %s", [name]).fetchone() is not None


def postgres_recreate(url: str, name: str) -> None:
    from psycopg import sql

    with postgres_admin(url) as conn:
        conn.execute(sql.SQL("drop database if exists {} with (force)").format(sql.Identifier(name)))
        conn.execute(sql.SQL("create database {}").format(sql.Identifier(name)))


# --- measuring ---------------------------------------------------------------------------------
def percentile(values: list[float], q: float) -> float:
    """Linear-interpolated percentile (q in 0..100)."""
    ordered = sorted(values)
    if len(ordered) == 1:
        return ordered[0]
    position = (len(ordered) - 1) * q / 100
    low = int(position)
    high = min(low + 1, len(ordered) - 1)
    return ordered[low] + (ordered[high] - ordered[low]) * (position - low)


def summary(samples: list[float], rows: list[int]) -> dict[str, Any]:
    ms = [s * 1000 for s in samples]
    return {
        "n": len(ms),
        "p50_ms": round(percentile(ms, 50), 3),
        "p95_ms": round(percentile(ms, 95), 3),
        "mean_ms": round(statistics.fmean(ms), 3),
        "max_ms": round(max(ms), 3),
        "rows_mean": round(statistics.fmean(rows), 1) if rows else 0,
    }


class Samples:
    """Timings (seconds) of one operation, with the rows each call returned."""

    def __init__(self) -> None:
        self.seconds: list[float] = []
        self.rows: list[int] = []

    def time(self, fn: Callable[[], T]) -> T:
        started = time.perf_counter()
        result = fn()
        self.seconds.append(time.perf_counter() - started)
        return result

    def summary(self) -> dict[str, Any]:
        return summary(self.seconds, self.rows)


# --- bench databases built in stages -------------------------------------------------------------


@dataclass(frozen=True)
class Stage:
    """A part of a bench database, built after the stages before it and cleared before them.

    ``build`` may return details (row counts, timings) that are recorded with the stage."""

    name: str
    wanted: dict[str, Any]
    build: Callable[[], dict[str, Any] | None]
    clear: Callable[[], None]


def analyze() -> None:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")


# --- PostgreSQL bulk loading -------------------------------------------------------------------


@dataclass(frozen=True)
class Dropped:
    """What ``pg_drop_for_load`` took off a table, to be put back by ``pg_restore_after_load``."""

    table: str
    constraints: list[tuple[str, str]]  # (name, definition), in the order they are added back
    indexes: list[tuple[str, str]]  # (name, CREATE INDEX statement)


def pg_drop_for_load(table: str, *, primary_key: bool) -> Dropped:
    """Drop ``table``'s indexes, unique constraints and own foreign keys (and with
    ``primary_key`` its primary key) before a bulk load: each row then goes into the heap only.

    Foreign keys of other tables point at the primary key, so ``primary_key=False`` is the
    choice for a table others reference."""
    from django.db import connection

    kinds = "('p', 'u', 'f')" if primary_key else "('u', 'f')"
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT conname, pg_get_constraintdef(oid) FROM pg_constraint "  # noqa: S608 - fixed text
            f"WHERE conrelid = %s::regclass AND contype IN {kinds} "
            "ORDER BY contype = 'f', contype <> 'p', conname",
            [table],
        )
        constraints = cursor.fetchall()
        cursor.execute(
            "SELECT indexname, indexdef FROM pg_indexes WHERE tablename = %s AND indexname NOT IN "
            "(SELECT conname FROM pg_constraint WHERE conrelid = %s::regclass) ORDER BY indexname",
            [table, table],
        )
        indexes = cursor.fetchall()
        for name, _definition in indexes:
            cursor.execute(f'DROP INDEX "{name}"')
        for name, _definition in reversed(constraints):
            cursor.execute(f'ALTER TABLE "{table}" DROP CONSTRAINT "{name}"')
    return Dropped(table, constraints, indexes)


def pg_restore_after_load(dropped: Dropped, *, trusted_foreign_keys: bool = False) -> dict[str, float]:
    """Put back what ``pg_drop_for_load`` dropped, each timed (seconds by name).

    ``trusted_foreign_keys``: foreign keys come back ``NOT VALID`` — enforced for every new row,
    but the loaded rows are not checked again (the caller built them from the referenced ids)."""
    from django.db import connection

    timings: dict[str, float] = {}
    with connection.cursor() as cursor:
        cursor.execute("SET maintenance_work_mem = '1GB'")
        for name, definition in dropped.constraints:
            started = time.monotonic()
            print(f"    creating {name}", file=sys.stderr, flush=True)
            suffix = " NOT VALID" if trusted_foreign_keys and definition.startswith("FOREIGN KEY") else ""
            cursor.execute(f'ALTER TABLE "{dropped.table}" ADD CONSTRAINT "{name}" {definition}{suffix}')
            timings[name] = round(time.monotonic() - started, 1)
        for name, statement in dropped.indexes:
            started = time.monotonic()
            print(f"    creating {name}", file=sys.stderr, flush=True)
            cursor.execute(statement)
            timings[name] = round(time.monotonic() - started, 1)
    return timings


def pg_copy_rows(model: Any, rows: Any, *, columns: list[str] | None = None) -> int:
    """``COPY`` dicts of field values (``rows``, an iterable) into ``model``'s table, in the
    caller's transaction; fields a row leaves out take their defaults, ``created_at`` and
    ``updated_at`` the time of the call. Values go through the fields' ``get_db_prep_save`` only
    for the types psycopg does not adapt by itself (JSON). Returns the number of rows."""
    from django.db import connection
    from django.utils import timezone

    fields = [f for f in model._meta.concrete_fields if not f.primary_key]
    if columns is not None:
        fields = [f for f in fields if f.attname in columns]
    now = timezone.now()
    defaults = {f.attname: f.get_default() for f in fields} | {"created_at": now, "updated_at": now}
    json = [f.get_internal_type() == "JSONField" for f in fields]
    names = ", ".join(connection.ops.quote_name(f.column) for f in fields)
    count = 0
    with (
        connection.cursor() as cursor,
        cursor.cursor.copy(f"COPY {connection.ops.quote_name(model._meta.db_table)} ({names}) FROM STDIN") as copy,
    ):
        for row in rows:
            full = defaults | row
            copy.write_row(
                [
                    f.get_db_prep_save(full[f.attname], connection) if is_json else full[f.attname]
                    for f, is_json in zip(fields, json, strict=True)
                ]
            )
            count += 1
    return count


def ensure_stages(
    *,
    plan: list[Stage],
    marker: Path,
    db: str,
    sqlite_path: Path,
    pg_url: str,
    db_name: str,
    people: int,
    rebuild: bool = False,
    first_stale: Callable[[int], int] | None = None,
    analyze_each: bool = True,
) -> dict[str, Any]:
    """Reuse what the bench database already holds; build the stages it lacks (and those after).

    ``marker`` records what each stage was built with and how long it took. A new population (the
    first stage) means a new database; a later stage is cleared and built again with those after
    it. ``first_stale`` may move the first stage to rebuild earlier (e.g. a file beside the
    database is gone). ``analyze_each=False``: one ``ANALYZE`` after the last stage built instead
    of one after each (for stages that do not query what the stages before them loaded). Runs
    inside the child process, with Django set up on the bench database.
    """
    from django.core.management import call_command
    from django.db import connection

    from phongdich.people.models import Person

    recorded = read_marker(marker)
    exists = sqlite_path.exists() if db == "sqlite" else postgres_exists(pg_url, db_name)
    fresh = rebuild or not exists or recorded.get(plan[0].name, {}).get("wanted") != plan[0].wanted
    if not fresh:
        call_command("migrate", verbosity=0, interactive=False)  # forward to the code's schema
        call_command("createcachetable", verbosity=0)
        fresh = Person.objects.filter(is_synthetic=True).count() != people
    if fresh:
        connection.close()
        recorded = {}
        if db == "sqlite":
            remove_sqlite(sqlite_path)
        else:
            postgres_recreate(pg_url, db_name)
        call_command("migrate", verbosity=0, interactive=False)
        call_command("createcachetable", verbosity=0)
    # The first stage whose record differs from what this run wants is built again, with all after it.
    stale = next(
        (i for i, stage in enumerate(plan) if recorded.get(stage.name, {}).get("wanted") != stage.wanted),
        len(plan),
    )
    if first_stale is not None:
        stale = first_stale(stale)
    for stage in reversed(plan[stale:]):
        stage.clear()
        recorded.pop(stage.name, None)
    marker.write_text(json.dumps(recorded))
    result: dict[str, Any] = {}
    for i, stage in enumerate(plan):
        if i < stale:
            result[stage.name] = {"reused": True, **{k: v for k, v in recorded[stage.name].items() if k != "wanted"}}
            continue
        print(f"--> building {stage.name}", file=sys.stderr, flush=True)
        started = time.monotonic()
        detail = stage.build() or {}
        if analyze_each or i == len(plan) - 1:
            analyze()
        seconds = round(time.monotonic() - started, 1)
        recorded[stage.name] = {"wanted": stage.wanted, "seconds": seconds, **detail}
        marker.write_text(json.dumps(recorded))
        result[stage.name] = {"reused": False, "seconds": seconds, **detail}
        print(f"    {stage.name}: {seconds:,.1f} s", file=sys.stderr, flush=True)
    connection.close()
    return result
