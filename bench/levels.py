#!/usr/bin/env python3
"""Benchmark: the weekly epidemic-level assessment of every commune of Vietnam, against a Polars group-by.

    python bench/levels.py [--db sqlite|postgres] [--smoke] [--repeat N]

A synthetic Vietnam — 63 provinces, 705 districts, 10,600 communes with populations (≈ 96 million
people on paper), 120,000 cases (90,000 of them confirmed in the assessed week, 60 % found in the
community), 1,200 deaths in the week, first doses for 10–100 % of each commune's people and a capacity report
from every district and province — is built
once in its own database (``var/bench/levels-<communes>.sqlite3`` or ``phongdich_bench_levels_<communes>``)
and reused. ``--smoke`` builds 1/100 of it (one province, 7 districts, 106 communes).

Then, in the same run, each repeated ``--repeat`` times:

* **app_assess_week**: ``levels.services.levels_assess_week`` for ISO week 2021-W46 under Decision
  4800 — the week's counts read with grouped queries, added up the tree, every unit assessed by the
  pure rule function with its reasoning, and the ~11,400 assessments stored (each repeat starts
  from a week without assessments, as a new week does);
* **app_compute_week**: the same without storing (``WeekData`` + ``rules.assess`` for every unit);
* **polars_groupby** (the baseline of both): the same rows read from the database into Polars, grouped
  by commune, district and province, rates per 100,000 joined with the capacity figures, and the level
  looked up from the same rule cells — a plain data-frame computation with no reasoning and no writes.

The levels the application and Polars compute are compared unit by unit (``mismatches`` must be 0).
The script prints each operation's p50 with its ratio to the baseline and writes
``bench/results/levels-<db>-<date>.json`` with a description of the machine. See ``bench/README.md``.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import random
import sys
import time
import uuid
import warnings
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

from _common import (
    ROOT,
    Samples,
    Stage,
    db_version,
    ensure_stages,
    machine,
    pg_database_url,
    write_result,
)

BENCH = "levels"
STAGE_VERSIONS = {"units": 1, "cases": 1, "doses": 1, "capacity": 1}
WEEK = dt.date(2021, 11, 15)  # 2021-W46
TREE = "2021"


@dataclass(frozen=True)
class Scale:
    provinces: int
    districts: int
    communes: int
    cases: int
    week_cases: int
    deaths: int

    def describe(self) -> str:
        return (
            f"{self.provinces} provinces, {self.districts:,} districts, {self.communes:,} communes, "
            f"{self.cases:,} cases ({self.week_cases:,} in the week), {self.deaths:,} deaths"
        )


FULL = Scale(provinces=63, districts=705, communes=10_600, cases=120_000, week_cases=90_000, deaths=1_200)
SMOKE = Scale(provinces=1, districts=7, communes=106, cases=1_200, week_cases=900, deaths=12)


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0] if __doc__ else None)
    parser.add_argument("--db", choices=("sqlite", "postgres"), default="sqlite")
    parser.add_argument("--smoke", action="store_true", help="1/100: 1 province, 7 districts, 106 communes (CI)")
    parser.add_argument("--repeat", type=int, default=None, help="timed runs of each operation (5; smoke 3)")
    parser.add_argument("--seed", type=int, default=2021)
    parser.add_argument("--workdir", type=Path, default=None, help="where bench databases live (var/bench)")
    parser.add_argument("--out", type=Path, default=None, help="results file (bench/results/…)")
    parser.add_argument("--pg-url", default=os.environ.get("BENCH_PG_URL", "postgres:///"), help="server URL")
    parser.add_argument("--rebuild", action="store_true", help="rebuild the bench database")
    args = parser.parse_args(argv)
    args.scale = SMOKE if args.smoke else FULL
    if args.repeat is None:
        args.repeat = 3 if args.smoke else 5
    args.workdir = (args.workdir or ROOT / "var" / "bench").resolve()
    return args


def database_env(args: argparse.Namespace) -> dict[str, str]:
    n = args.scale.communes
    if args.db == "sqlite":
        return {"SQLITE_PATH": str(args.workdir / f"{BENCH}-{n}.sqlite3")}
    return {"DATABASE_URL": pg_database_url(args.pg_url, f"phongdich_bench_{BENCH}_{n}")}


# --- building ----------------------------------------------------------------------------------
def _split(total: int, parts: int, rng: random.Random) -> list[int]:
    """``total`` split into ``parts`` positive counts, unevenly."""
    cuts = sorted(rng.sample(range(1, total), parts - 1)) if parts > 1 else []
    bounds = [0, *cuts, total]
    return [bounds[i + 1] - bounds[i] for i in range(parts)]


def build_units(scale: Scale, seed: int) -> dict[str, Any]:
    from phongdich.core.text import fold
    from phongdich.demo.synthetic import BulkInserter
    from phongdich.geo.models import Level, Unit

    rng = random.Random(seed)
    per_province = _split(scale.districts, scale.provinces, rng) if scale.provinces > 1 else [scale.districts]
    per_district = _split(scale.communes, scale.districts, rng)
    rows: list[dict[str, Any]] = []
    commune_pops: list[int] = []
    d_index = c_index = 0
    structure = []
    for p in range(scale.provinces):
        p_code = f"{p + 1:02d}"
        districts = []
        for _ in range(per_province[p]):
            d_code = f"{d_index + 1:03d}"
            communes = []
            for _ in range(per_district[d_index]):
                c_code = f"{c_index + 1:05d}"
                pop = int(rng.lognormvariate(8.9, 0.5)) + 500
                communes.append((c_code, pop))
                commune_pops.append(pop)
                c_index += 1
            districts.append((d_code, communes))
            d_index += 1
        structure.append((p_code, districts))

    def unit_row(code: str, name: str, level: int, kind: str, path: str, parent: int | None, pop: int) -> dict:
        return {
            "uid": uuid.UUID(int=rng.getrandbits(128), version=4),
            "tree": TREE,
            "code": code,
            "name": name,
            "level": level,
            "unit_type": kind,
            "parent_id": parent,
            "path": path,
            "name_folded": fold(name),
            "population": pop,
            "population_year": 2021,
            "population_source": "synthesized",
        }

    ids: dict[str, int] = {}
    for level in (Level.PROVINCE, Level.DISTRICT, Level.COMMUNE):
        rows = []
        for p_code, districts in structure:
            p_pop = sum(pop for _d, cs in districts for _c, pop in cs)
            if level == Level.PROVINCE:
                rows.append(unit_row(p_code, f"Tỉnh {p_code}", level, "tinh", f"/{p_code}/", None, p_pop))
                continue
            for d_code, communes in districts:
                d_path = f"/{p_code}/{d_code}/"
                if level == Level.DISTRICT:
                    d_pop = sum(pop for _c, pop in communes)
                    rows.append(unit_row(d_code, f"Huyện {d_code}", level, "huyen", d_path, ids[p_code], d_pop))
                    continue
                for c_code, pop in communes:
                    rows.append(unit_row(c_code, f"Xã {c_code}", level, "xa", f"{d_path}{c_code}/", ids[d_code], pop))
        inserter = BulkInserter(Unit)
        for i in range(0, len(rows), 5000):
            inserter.insert(rows[i : i + 5000])
        ids.update(Unit.objects.filter(tree=TREE, level=level).values_list("code", "id"))
    return {"units": len(ids), "population": sum(commune_pops)}


def clear_units() -> None:
    from phongdich.geo.models import Unit

    Unit.objects.filter(tree=TREE).delete()


def build_cases(scale: Scale, seed: int) -> dict[str, Any]:
    from django.utils import timezone

    from phongdich.cases.models import Case, CaseStatusChange
    from phongdich.core.text import fold
    from phongdich.demo.synthetic import BulkInserter
    from phongdich.geo.models import Level, Unit
    from phongdich.people.models import Person

    rng = random.Random(seed + 1)
    communes = list(Unit.objects.filter(tree=TREE, level=Level.COMMUNE).values_list("id", "population"))
    # Cases concentrate: a few hot communes take most of them (a level-4 tail), most communes few or none.
    weights = [(pop or 0) * (rng.paretovariate(1.2) if rng.random() < 0.15 else 0.05) for _id, pop in communes]
    homes = rng.choices([c for c, _p in communes], weights=weights, k=scale.cases)
    people = []
    for i, unit_id in enumerate(homes):
        name = f"Người Giả Lập {i}"
        people.append(
            {
                "uid": uuid.UUID(int=rng.getrandbits(128), version=4),
                "full_name": name,
                "name_folded": fold(name),
                "given_name_folded": str(i),
                "birth_year": rng.randrange(1930, 2015),
                "sex": rng.choice("MF"),
                "nationality": "VN",
                "residence_unit_id": unit_id,
                "is_synthetic": True,
            }
        )
    persons = BulkInserter(Person)
    for i in range(0, len(people), 5000):
        persons.insert(people[i : i + 5000])
    person_ids = list(Person.objects.filter(is_synthetic=True).order_by("id").values_list("id", "residence_unit_id"))
    rows = []
    for i, (person_id, unit_id) in enumerate(person_ids):
        in_week = i < scale.week_cases
        day = WEEK + dt.timedelta(days=rng.randrange(7)) if in_week else WEEK - dt.timedelta(days=rng.randrange(1, 60))
        dead = i < scale.deaths
        rows.append(
            {
                "uid": uuid.UUID(int=rng.getrandbits(128), version=4),
                "case_code": f"BN-{i + 1:07d}",
                "person_id": person_id,
                "status": "died" if dead else ("confirmed" if in_week else "recovered"),
                "confirmation_date": day,
                "confirmed_at": timezone.make_aware(dt.datetime.combine(day, dt.time(rng.randrange(24)))),
                "detected_in": "community" if rng.random() < 0.6 else "quarantine",
                "residence_unit_id": unit_id,
                "reported_by": "health",
            }
        )
    cases = BulkInserter(Case)
    for i in range(0, len(rows), 5000):
        cases.insert(rows[i : i + 5000])
    dead_ids = Case.objects.filter(status="died").values_list("id", "confirmation_date")
    changes = [
        {
            "case_id": case_id,
            "from_status": "confirmed",
            "to_status": "died",
            "on_date": min(day + dt.timedelta(days=2), WEEK + dt.timedelta(days=6)),
            "at": timezone.now(),
            "note": "",
        }
        for case_id, day in dead_ids
        if day is not None
    ]
    BulkInserter(CaseStatusChange).insert(changes)
    return {"people": len(people), "cases": len(rows), "deaths": len(changes)}


def clear_cases() -> None:
    from phongdich.cases.models import Case, CaseStatusChange
    from phongdich.people.models import Person
    from phongdich.vaccination.models import Dose

    Dose.objects.all().delete()
    CaseStatusChange.objects.all().delete()
    Case.objects.all().delete()
    Person.objects.filter(is_synthetic=True).delete()


def build_doses(scale: Scale, seed: int) -> dict[str, Any]:
    """Doses before the week: communes differ (coverage from 10 % to 100 % of their people), so that
    criterion 2 is met in some and not in others."""
    from phongdich.demo.synthetic import BulkInserter
    from phongdich.people.models import Person
    from phongdich.vaccination.models import Dose, VaccineProduct

    rng = random.Random(seed + 3)
    product = VaccineProduct.objects.order_by("id").first()
    if product is None:
        return {"doses": 0}
    share: dict[int, float] = {}
    rows = []
    given = WEEK - dt.timedelta(days=40)
    people = Person.objects.filter(is_synthetic=True).order_by("id").values_list("id", "residence_unit_id")
    for person_id, unit_id in people:
        coverage = share.setdefault(unit_id, rng.choice((0.1, 0.5, 0.8, 0.95, 1.0)))
        if rng.random() >= coverage:
            continue
        rows.append(
            {
                "uid": uuid.UUID(int=rng.getrandbits(128), version=4),
                "person_id": person_id,
                "product_id": product.pk,
                "dose_number": 1,
                "given_on": given,
                "kind": "primary",
                "completes_series": rng.random() < coverage,
            }
        )
    inserter = BulkInserter(Dose)
    for i in range(0, len(rows), 5000):
        inserter.insert(rows[i : i + 5000])
    return {"doses": len(rows)}


def clear_doses() -> None:
    from phongdich.vaccination.models import Dose

    Dose.objects.all().delete()


def build_capacity(scale: Scale, seed: int) -> dict[str, Any]:
    from phongdich.geo.models import Level, Unit
    from phongdich.levels.models import CapacityReport

    rng = random.Random(seed + 2)
    reports = []
    for unit_id, level, population in Unit.objects.filter(tree=TREE, level__lte=Level.DISTRICT).values_list(
        "id", "level", "population"
    ):
        pop = population or 0
        beds = max(1, int(pop / 100_000 * rng.uniform(20, 80)))
        reports.append(
            CapacityReport(
                unit_id=unit_id,
                week_start=WEEK,
                beds=beds,
                free_beds=int(beds * rng.uniform(0.05, 0.9)),
                icu_beds=int(pop / 100_000 * rng.uniform(0.5, 6)),
                mobile_stations=rng.randrange(0, 12) if level == Level.DISTRICT else 0,
                oxygen_adequate=rng.random() < 0.85,
                oxygen_cases=rng.randrange(0, 40),
            )
        )
    CapacityReport.objects.bulk_create(reports, batch_size=2000)
    return {"reports": len(reports)}


def clear_capacity() -> None:
    from phongdich.levels.models import Assessment, CapacityReport, LevelDecision

    LevelDecision.objects.all().delete()
    Assessment.objects.all().delete()
    CapacityReport.objects.all().delete()


def ensure_database(args: argparse.Namespace) -> dict[str, Any]:
    scale: Scale = args.scale
    plan = [
        Stage(
            "units",
            {"v": STAGE_VERSIONS["units"], **asdict(scale), "seed": args.seed},
            lambda: build_units(scale, args.seed),
            clear_units,
        ),
        Stage("cases", {"v": STAGE_VERSIONS["cases"]}, lambda: build_cases(scale, args.seed), clear_cases),
        Stage("doses", {"v": STAGE_VERSIONS["doses"]}, lambda: build_doses(scale, args.seed), clear_doses),
        Stage("capacity", {"v": STAGE_VERSIONS["capacity"]}, lambda: build_capacity(scale, args.seed), clear_capacity),
    ]
    env = database_env(args)
    return ensure_stages(
        plan=plan,
        marker=args.workdir / f"{BENCH}-{args.db}-{scale.communes}.json",
        db=args.db,
        sqlite_path=Path(env.get("SQLITE_PATH", args.workdir / "unused.sqlite3")),
        pg_url=args.pg_url,
        db_name=f"phongdich_bench_{BENCH}_{scale.communes}",
        people=scale.cases,
        rebuild=args.rebuild,
    )


# --- the baseline: a plain Polars group-by over the same rows ------------------------------------
def polars_levels(rules: Any) -> dict[int, int]:
    """Levels of every unit under 4800 from the week's rows (community cases, people and doses, capacity
    reports), grouped with Polars by commune, district and province."""
    import polars as pl
    from django.db import connection

    start = dt.datetime.combine(WEEK, dt.time.min, tzinfo=dt.timezone(dt.timedelta(hours=7)))
    end = start + dt.timedelta(days=7)
    with connection.cursor() as cur:
        cur.execute("SELECT id, code, level, path, population FROM geo_unit WHERE tree = %s", [TREE])
        units = pl.DataFrame(cur.fetchall(), schema=["id", "code", "level", "path", "population"], orient="row")
        cur.execute(
            "SELECT residence_unit_id FROM cases_case WHERE detected_in = 'community' "
            "AND status IN ('confirmed', 'recovered', 'died') AND confirmed_at >= %s AND confirmed_at < %s",
            [connection.ops.adapt_datetimefield_value(start), connection.ops.adapt_datetimefield_value(end)],
        )
        cases = pl.DataFrame(cur.fetchall(), schema=["unit_id"], orient="row")
        cur.execute(
            "SELECT unit_id, free_beds, icu_beds, mobile_stations, oxygen_adequate FROM levels_capacityreport "
            "WHERE week_start = %s",
            [connection.ops.adapt_datefield_value(WEEK)],
        )
        capacity = pl.DataFrame(
            cur.fetchall(),
            schema=["unit_id", "free_beds", "icu_beds", "mobile_stations", "oxygen_adequate"],
            orient="row",
        )
        # Criterion 2 from the same rows the application reads: people by residence (bench people have
        # birth years only) and their doses given by the end of the week.
        on = WEEK + dt.timedelta(days=6)
        cur.execute(
            "SELECT residence_unit_id, birth_year FROM people_person WHERE merged_into_id IS NULL AND birth_year <= %s",
            [on.year],
        )
        people = pl.DataFrame(cur.fetchall(), schema=["unit_id", "birth_year"], orient="row")
        cur.execute(
            "SELECT p.residence_unit_id, p.birth_year, d.person_id, d.completes_series FROM vaccination_dose d "
            "JOIN people_person p ON p.id = d.person_id WHERE d.given_on <= %s AND p.merged_into_id IS NULL",
            [connection.ops.adapt_datefield_value(on)],
        )
        doses = pl.DataFrame(
            cur.fetchall(), schema=["unit_id", "birth_year", "person_id", "completes_series"], orient="row"
        )
    adult_year, elderly_year = on.year - 18, on.year - int(rules.value("elderly_age"))
    parts = units.with_columns(pl.col("path").str.strip_chars("/").str.split("/").alias("codes"))
    codes = parts.select(
        "id",
        pl.col("codes").list.get(0, null_on_oob=True).alias("p"),
        pl.col("codes").list.get(1, null_on_oob=True).alias("d"),
        pl.col("codes").list.get(2, null_on_oob=True).alias("c"),
    )
    per_unit = cases.group_by("unit_id").len("n").join(codes, left_on="unit_id", right_on="id")
    totals = pl.concat(
        [per_unit.group_by(key).agg(pl.col("n").sum()).rename({key: "code"}) for key in ("p", "d", "c")]
    ).drop_nulls("code")
    cap = capacity.join(codes, left_on="unit_id", right_on="id")
    cap_totals = pl.concat(
        [
            cap.group_by(key)
            .agg(
                pl.col("free_beds").sum(),
                pl.col("icu_beds").sum(),
                pl.col("mobile_stations").sum(),
                pl.col("oxygen_adequate").cast(pl.Boolean).all(),
            )
            .rename({key: "code"})
            for key in ("p", "d", "c")
        ]
    ).drop_nulls("code")
    vaccinated = (
        doses.with_columns(pl.col("completes_series").cast(pl.Boolean))
        .group_by("person_id", "unit_id", "birth_year")
        .agg(pl.col("completes_series").any().alias("full"))
    )
    coverage = (
        pl.concat(
            [
                people.select(
                    "unit_id",
                    (pl.col("birth_year") <= adult_year).alias("adult"),
                    (pl.col("birth_year") <= elderly_year).alias("elderly"),
                    pl.lit(False).alias("dosed"),
                    pl.lit(False).alias("full"),
                ),
                vaccinated.select(
                    "unit_id",
                    (pl.col("birth_year") <= adult_year).alias("adult"),
                    (pl.col("birth_year") <= elderly_year).alias("elderly"),
                    pl.lit(True).alias("dosed"),
                    pl.col("full"),
                ),
            ]
        )
        .join(codes, left_on="unit_id", right_on="id")
        .drop_nulls("c")
        .group_by("c")
        .agg(
            (pl.col("adult") & ~pl.col("dosed")).sum().alias("adults"),
            (pl.col("adult") & pl.col("dosed")).sum().alias("adults_one_dose"),
            (pl.col("elderly") & ~pl.col("dosed")).sum().alias("elderly"),
            (pl.col("elderly") & pl.col("full")).sum().alias("elderly_full"),
        )
        .join(codes.select("c", "p", "d").unique(), on="c")
    )
    cov_totals = pl.concat(
        [
            coverage.group_by(key)
            .agg(pl.col("adults", "adults_one_dose", "elderly", "elderly_full").sum())
            .rename({key: "code"})
            for key in ("p", "d", "c")
        ]
    ).drop_nulls("code")
    frame = (
        units.join(codes.select("id", "d"), on="id")
        .join(cov_totals, on="code", how="left")
        .join(totals, on="code", how="left")
        .with_columns(pl.col("n").fill_null(0))
        # A commune's capacity is its district's (the nearest unit with reports).
        .with_columns(pl.when(pl.col("level") == 3).then(pl.col("d")).otherwise(pl.col("code")).alias("cap_code"))
        .join(cap_totals, left_on="cap_code", right_on="code", how="left")
        .join(units.select(pl.col("code").alias("cap_code"), pl.col("population").alias("cap_pop")), on="cap_code")
        .filter(pl.col("level") <= 3)
        .with_columns(
            (pl.col("n") * 100_000 / pl.col("population")).round(2).alias("rate"),
            (
                pl.col("oxygen_adequate")
                & (
                    (pl.col("free_beds") * 100_000 / pl.col("cap_pop")).round(2)
                    >= rules.value("capacity_free_beds_per_100k_min")
                )
                & (
                    (pl.col("icu_beds") * 100_000 / pl.col("cap_pop")).round(2)
                    >= rules.value("capacity_icu_beds_per_100k_min")
                )
                & (pl.col("mobile_stations") >= rules.value("capacity_mobile_stations_min"))
            )
            .fill_null(True)
            .alias("capacity_met"),
            (
                (pl.col("adults") > 0)
                & (pl.col("elderly") > 0)
                & (
                    (100 * pl.col("adults_one_dose") / pl.col("adults")).round(2)
                    >= rules.value("adult_one_dose_pass_pct")
                )
                & ((100 * pl.col("elderly_full") / pl.col("elderly")).round(2) >= rules.value("elderly_full_pass_pct"))
            )
            .fill_null(False)
            .alias("vaccination_met"),
        )
    )
    level = pl.lit(None, dtype=pl.Int64)
    for cell in rules.cells:
        cond = (pl.col("capacity_met") == (cell.capacity == "met")) & (
            pl.col("vaccination_met") == cell.vaccination_met
        )
        if cell.cases_min is not None:
            cond &= pl.col("rate") >= cell.cases_min
        if cell.cases_max is not None:
            cond &= pl.col("rate") < cell.cases_max
        level = pl.when(cond).then(pl.lit(cell.level)).otherwise(level)
    out = frame.with_columns(level.alias("level_out")).select("id", "level_out")
    return dict(zip(out["id"].to_list(), out["level_out"].to_list(), strict=True))


# --- measuring ---------------------------------------------------------------------------------
def measure(args: argparse.Namespace) -> tuple[dict[str, Any], dict[str, Any]]:
    from phongdich.levels.models import Assessment
    from phongdich.levels.rules import assess, rules_load
    from phongdich.levels.services import WeekData, levels_assess_week

    rules = rules_load("4800")
    app, compute, baseline = Samples(), Samples(), Samples()

    def compute_week() -> dict[int, int]:
        data = WeekData(tree=TREE, week_start=WEEK, rules=rules)
        levels = {}
        for row in data.units.values():
            ind = data.indicators(row)
            if ind is not None:
                levels[row.id] = assess(rules, ind).level
        return levels

    polars_result: dict[int, int] = {}
    for _ in range(args.repeat):
        # Each timed weekly job starts from a week without assessments, as a new week does.
        Assessment.objects.filter(week_start=WEEK).delete()
        result = app.time(lambda: levels_assess_week(actor=None, week_start=WEEK, rules_code="4800", publish=False))
        app.rows.append(result.assessed)
        levels = compute.time(compute_week)
        compute.rows.append(len(levels))
        polars_result = baseline.time(lambda: polars_levels(rules))
        baseline.rows.append(len(polars_result))
    stored = dict(Assessment.objects.filter(week_start=WEEK, rule_set__code="4800").values_list("unit_id", "level"))
    mismatches = sum(1 for unit_id, level in stored.items() if polars_result.get(unit_id) != level)
    distribution = {str(k): sum(1 for v in stored.values() if v == k) for k in (1, 2, 3, 4)}
    base = baseline.summary()
    ops = {}
    for name, samples in (("app_assess_week", app), ("app_compute_week", compute)):
        s = samples.summary()
        ops[name] = {
            "baseline": "polars_groupby",
            "value_ms": s["p50_ms"],
            "baseline_ms": base["p50_ms"],
            "ratio": round(s["p50_ms"] / base["p50_ms"], 2) if base["p50_ms"] else None,
            "summary": s,
        }
    ops["polars_groupby"] = {"summary": base}
    checks = {"units": len(stored), "mismatches": mismatches, "levels": distribution}
    return ops, checks


def table(result: dict[str, Any]) -> str:
    lines = [
        f"{result['scale_text']} on {result['db']}",
        "",
        f"{'operation':<20} {'p50':>12} {'baseline p50':>14} {'ratio':>8}",
        "-" * 58,
    ]
    for name in ("app_assess_week", "app_compute_week"):
        op = result["operations"][name]
        lines.append(f"{name:<20} {op['value_ms']:>9,.1f} ms {op['baseline_ms']:>11,.1f} ms {op['ratio']:>7.2f}×")
    checks = result["checks"]
    lines.append("")
    lines.append(
        f"units assessed: {checks['units']:,}; levels 1–4: {checks['levels']}; "
        f"mismatches against Polars: {checks['mismatches']}"
    )
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    args.workdir.mkdir(parents=True, exist_ok=True)
    started = time.monotonic()
    os.environ["DJANGO_SETTINGS_MODULE"] = "phongdich.settings"
    os.environ.pop("DATABASE_URL", None)
    os.environ.pop("SQLITE_PATH", None)
    os.environ.update(database_env(args))
    sys.path.insert(0, str(ROOT))
    warnings.filterwarnings("ignore", message="No directory at", category=UserWarning)

    import django

    django.setup()
    scale: Scale = args.scale
    print(f"==> {scale.describe()} on {args.db}", file=sys.stderr, flush=True)
    build = ensure_database(args)
    load_before = os.getloadavg()[0]
    ops, checks = measure(args)
    result = {
        "benchmark": BENCH,
        "date": dt.datetime.now().isoformat(timespec="seconds"),
        "db": args.db,
        "smoke": args.smoke,
        "seed": args.seed,
        "week": "2021-W46",
        "rules": "4800",
        "scale": asdict(scale),
        "scale_text": scale.describe(),
        "full_scale": asdict(FULL),
        "repeat": args.repeat,
        "machine": machine(db_version()),
        "build": build,
        "loadavg_1min": {"before": round(load_before, 2), "after": round(os.getloadavg()[0], 2)},
        "operations": ops,
        "checks": checks,
        "seconds": round(time.monotonic() - started, 1),
    }
    print(table(result))
    write_result(result, bench=BENCH, args=args)
    return 0


if __name__ == "__main__":
    sys.exit(main())
