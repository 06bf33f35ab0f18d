"""The figures of the dashboard and of the public page, for one unit's subtree (D5, G4).

Every figure is an aggregate query (GROUP BY in the database); Python only walks the grouped rows,
whose number is bounded by the number of units or days, never by the number of people or cases.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Any

from django.core.cache import cache
from django.db.models import Count, Q
from django.db.models.functions import Coalesce
from django.http import Http404
from django.utils import timezone

from phongdich.cases.models import CONFIRMED_STATUSES, Case, CaseStatus, DetectedIn
from phongdich.command.reports_selectors import late_today
from phongdich.command.selectors import overdue_q, visible_assignments
from phongdich.geo.models import Level, Unit
from phongdich.healthpass import selectors as healthpass_selectors
from phongdich.levels.models import LevelDecision
from phongdich.orgs.scope import scope_for
from phongdich.quarantine.models import EpisodeStatus, Facility
from phongdich.testing.selectors import tests_and_positives
from phongdich.vaccination.selectors import Coverage, coverage_by_commune

from .models import UnitBoundary

CURVE_DAYS = 60
TEST_DAYS = 14


# --- where: the unit the dashboard looks at ---------------------------------------------------------


def root_units(user: Any) -> list[Unit]:
    """The units whose subtree the user may see as a whole: the province for the province's command."""
    scope = scope_for(user)
    if scope.everything:
        return list(Unit.objects.current_tree().filter(level=Level.PROVINCE).order_by("code")[:1])
    if not scope.unit_paths:
        return []
    q = Q(pk__in=[])
    for tree, path in scope.unit_paths:
        q |= Q(tree=tree, path=path)
    return list(Unit.objects.filter(q).order_by("path"))


def dashboard_unit(user: Any, uid: str | None = None) -> Unit | None:
    """The unit asked for (it must lie in the user's scope), else the user's first root unit."""
    if uid:
        try:
            key = uuid.UUID(str(uid))
        except ValueError as exc:
            raise Http404 from exc
        unit = scope_for(user).units(Unit.objects.filter(uid=key)).first()
        if unit is None:
            raise Http404
        return unit
    roots = root_units(user)
    return roots[0] if roots else None


def province() -> Unit | None:
    return Unit.objects.current_tree().filter(level=Level.PROVINCE).order_by("code").first()


def children_of(unit: Unit) -> list[Unit]:
    return list(Unit.objects.filter(parent=unit).order_by("code"))


def _child_key(root: Unit, path: str) -> str:
    """The path of the child of ``root`` that ``path`` lies under ("" for ``root`` itself)."""
    rest = path[len(root.path) :]
    return root.path + rest.split("/", 1)[0] + "/" if rest else ""


def _communes(root: Unit) -> list[Unit]:
    if root.level >= Level.COMMUNE:
        unit = root
        while unit.level > Level.COMMUNE and unit.parent_id is not None:
            unit = Unit.objects.get(pk=unit.parent_id)
        return [unit]
    return list(Unit.objects.subtree(root).filter(level=Level.COMMUNE).order_by("path"))


# --- figures ----------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class CurveDay:
    day: date
    community: int
    quarantine: int  # found in quarantine or at entry
    other: int  # found in a health facility

    @property
    def total(self) -> int:
        return self.community + self.quarantine + self.other


@dataclass
class CaseTally:
    total: int = 0
    today: int = 0
    treating: int = 0
    recovered: int = 0
    died: int = 0


@dataclass(frozen=True)
class UnitCases:
    unit: Unit | None  # None: cases placed on the root unit itself
    tally: CaseTally


@dataclass(frozen=True)
class LevelCell:
    unit: Unit
    level: int | None
    rings: list[Any] | None = None


@dataclass(frozen=True)
class FacilityRow:
    facility: Facility
    capacity: int
    occupied: int

    @property
    def percent(self) -> int | None:
        return round(100 * self.occupied / self.capacity) if self.capacity else None


@dataclass(frozen=True)
class TestDay:
    day: date
    tests: int
    positives: int

    @property
    def positivity(self) -> float | None:
        return round(100 * self.positives / self.tests, 1) if self.tests else None


@dataclass(frozen=True)
class VaccinationRow:
    unit: Unit
    coverage: Coverage


def percent(part: int, whole: int) -> float | None:
    return round(100 * part / whole, 1) if whole else None


def _cases_in(root: Unit) -> Any:
    return Case.objects.filter(
        status__in=CONFIRMED_STATUSES, residence_unit__tree=root.tree, residence_unit__path__startswith=root.path
    )


def epidemic_curve(root: Unit, *, end: date, days: int = CURVE_DAYS) -> list[CurveDay]:
    """Confirmed cases per curve day (onset, else sampling, else confirmation), community against quarantine
    and entry, the last ``days`` days up to ``end``, zeros filled."""
    start = end - timedelta(days=days - 1)
    rows = (
        _cases_in(root)
        .annotate(day=Coalesce("onset_date", "sampling_date", "confirmation_date"))
        .filter(day__gte=start, day__lte=end)
        .order_by()
        .values_list("day", "detected_in")
        .annotate(n=Count("id"))
    )
    per: dict[tuple[date, str], int] = {(d, k): n for d, k, n in rows}
    result = []
    for i in range(days):
        d = start + timedelta(days=i)
        result.append(
            CurveDay(
                day=d,
                community=per.get((d, DetectedIn.COMMUNITY), 0),
                quarantine=per.get((d, DetectedIn.QUARANTINE), 0) + per.get((d, DetectedIn.ENTRY), 0),
                other=per.get((d, DetectedIn.HEALTH_FACILITY), 0),
            )
        )
    return result


def case_tallies(root: Unit, *, today: date) -> tuple[CaseTally, list[UnitCases]]:
    """Cumulative, new today, in treatment, recovered and died: the whole and per child unit, one query."""
    rows = (
        _cases_in(root)
        .order_by()
        .values_list("residence_unit__path")
        .annotate(
            total=Count("id"),
            today=Count("id", filter=Q(confirmation_date=today)),
            treating=Count("id", filter=Q(status=CaseStatus.CONFIRMED)),
            recovered=Count("id", filter=Q(status=CaseStatus.RECOVERED)),
            died=Count("id", filter=Q(status=CaseStatus.DIED)),
        )
    )
    whole = CaseTally()
    buckets: dict[str, CaseTally] = {}
    for path, total, new, treating, recovered, died in rows:
        for tally in (whole, buckets.setdefault(_child_key(root, path), CaseTally())):
            tally.total += total
            tally.today += new
            tally.treating += treating
            tally.recovered += recovered
            tally.died += died
    children = {u.path: u for u in children_of(root)}
    per_unit = [UnitCases(unit=children[k], tally=buckets[k]) for k in sorted(buckets) if k in children]
    if "" in buckets:
        per_unit.append(UnitCases(unit=None, tally=buckets[""]))
    return whole, per_unit


def levels_by_commune(root: Unit, *, now: datetime | None = None) -> list[LevelCell]:
    """Every commune under ``root`` with the level in force (as ``levels.selectors.current_level``), and its
    outline when one was imported: one query for the decisions, one for the outlines."""
    moment = now or timezone.now()
    communes = _communes(root)
    ids = [c.pk for c in communes]
    level: dict[int, int] = {}
    decisions = (
        LevelDecision.objects.filter(unit_id__in=ids, superseded_at__isnull=True, effective_from__lte=moment)
        .order_by("unit_id", "-effective_from", "-published_at", "-id")
        .values_list("unit_id", "level")
    )
    for unit_id, value in decisions.iterator(chunk_size=2000):
        level.setdefault(unit_id, value)
    rings = dict(UnitBoundary.objects.filter(unit_id__in=ids).values_list("unit_id", "rings"))
    return [LevelCell(unit=c, level=level.get(c.pk), rings=rings.get(c.pk)) for c in communes]


def quarantine_occupancy(root: Unit) -> list[FacilityRow]:
    """Centralised quarantine facilities under ``root``: capacity against open episodes."""
    facilities = (
        Facility.objects.filter(unit__tree=root.tree, unit__path__startswith=root.path)
        .annotate(occupied=Count("episodes", filter=Q(episodes__status=EpisodeStatus.OPEN)))
        .order_by("name")
    )
    return [FacilityRow(facility=f, capacity=f.capacity, occupied=f.occupied) for f in facilities]


def daily_tests(root: Unit, *, end: date, days: int = TEST_DAYS) -> list[TestDay]:
    result = []
    for i in range(days - 1, -1, -1):
        d = end - timedelta(days=i)
        tests, positives = tests_and_positives(unit_path_prefix=root.path, start=d, end=d)
        result.append(TestDay(day=d, tests=tests, positives=positives))
    return result


def vaccination(root: Unit, *, on: date) -> tuple[Coverage, list[VaccinationRow]]:
    """Coverage of the whole and per child unit (communes summed into their district)."""
    communes = _communes(root)
    per_commune = coverage_by_commune(on=on, commune_ids=[c.pk for c in communes])
    whole = Coverage()
    buckets: dict[str, Coverage] = {}
    by_id = {c.pk: c for c in communes}
    level_below = root.level < Level.COMMUNE
    for commune_id, cov in per_commune.items():
        commune = by_id.get(commune_id)
        if commune is None:
            continue
        key = _child_key(root, commune.path) if level_below else commune.path
        buckets.setdefault(key, Coverage()).add(cov)
        whole.add(cov)
    children = {u.path: u for u in children_of(root)} if level_below else {c.path: c for c in communes}
    rows = [VaccinationRow(unit=children[k], coverage=buckets[k]) for k in sorted(buckets) if k in children]
    return whole, rows


VACCINATION_CACHE_SECONDS = 600


def vaccination_cached(root: Unit, *, on: date) -> tuple[Coverage, list[VaccinationRow], datetime]:
    """``vaccination`` kept ten minutes per unit and day, with the moment it was computed: coverage groups
    every person of the subtree (seconds at a province of 1.3 million, see bench/README.md), while
    the other figures take milliseconds."""
    key = f"dashboard:vaccination:{root.pk}:{on.isoformat()}"
    cached = cache.get(key)
    if cached is None:
        whole, rows = vaccination(root, on=on)
        cached = (whole, rows, timezone.now())
        cache.set(key, cached, VACCINATION_CACHE_SECONDS)
    return cached


@dataclass(frozen=True)
class TaskRow:
    task: str
    directive: str
    organisation: str
    due: datetime | None


@dataclass
class Accountability:
    overdue_tasks: int
    task_rows: list[TaskRow]
    late_reports: list[Any]


def late_reports(user: Any, *, now: datetime) -> list[Any]:
    """Units and organisations that have not sent today's daily report (the command app's reports)."""
    return list(late_today(user, now=now))


def accountability(user: Any, *, now: datetime, limit: int = 10) -> Accountability:
    overdue = visible_assignments(user).filter(overdue_q(now))
    rows = [
        TaskRow(
            task=a.task.title,
            directive=str(a.task.directive),
            organisation=a.organisation.name,
            due=a.task.due_at,
        )
        for a in overdue.select_related("task", "task__directive", "organisation").order_by("task__due_at", "id")[
            :limit
        ]
    ]
    return Accountability(overdue_tasks=overdue.count(), task_rows=rows, late_reports=late_reports(user, now=now))


@dataclass
class Overview:
    root: Unit
    today: date
    computed_at: datetime
    curve: list[CurveDay]
    cases: CaseTally
    cases_by_unit: list[UnitCases]
    levels: list[LevelCell]
    quarantine: list[FacilityRow]
    testing: list[TestDay]
    vaccination: Coverage
    vaccination_by_unit: list[VaccinationRow]
    vaccination_at: datetime
    qr: Any
    accountability: Accountability
    timings: dict[str, float] = field(default_factory=dict)

    @property
    def tests_total(self) -> int:
        return sum(t.tests for t in self.testing)

    @property
    def positives_total(self) -> int:
        return sum(t.positives for t in self.testing)

    @property
    def positivity(self) -> float | None:
        return percent(self.positives_total, self.tests_total)

    @property
    def quarantine_capacity(self) -> int:
        return sum(f.capacity for f in self.quarantine)

    @property
    def quarantine_occupied(self) -> int:
        return sum(f.occupied for f in self.quarantine)


def overview_for(user: Any, root: Unit, *, now: datetime | None = None) -> Overview:
    import time

    moment = timezone.localtime(now or timezone.now())
    today = moment.date()
    timings: dict[str, float] = {}

    def timed(name: str, fn: Any, *args: Any, **kwargs: Any) -> Any:
        t0 = time.perf_counter()
        value = fn(*args, **kwargs)
        timings[name] = round((time.perf_counter() - t0) * 1000, 1)
        return value

    cases, by_unit = timed("cases", case_tallies, root, today=today)
    vacc, vacc_rows, vacc_at = timed("vaccination", vaccination_cached, root, on=today)
    return Overview(
        root=root,
        today=today,
        computed_at=moment,
        curve=timed("curve", epidemic_curve, root, end=today),
        cases=cases,
        cases_by_unit=by_unit,
        levels=timed("levels", levels_by_commune, root, now=moment),
        quarantine=timed("quarantine", quarantine_occupancy, root),
        testing=timed("testing", daily_tests, root, end=today),
        vaccination=vacc,
        vaccination_by_unit=vacc_rows,
        vaccination_at=timezone.localtime(vacc_at),
        qr=timed("qr", healthpass_selectors.coverage_of, user, unit=root, now=moment),
        accountability=timed("accountability", accountability, user, now=moment),
        timings=timings,
    )


# --- the public page (G4) -------------------------------------------------------------------------


@dataclass
class PublicFigures:
    province: Unit
    computed_at: datetime
    cases: CaseTally
    levels: list[LevelCell]
    vaccination: Coverage
    vaccination_at: datetime


def public_figures(*, now: datetime | None = None) -> PublicFigures | None:
    """Aggregates only, for the whole province: no name, no address, no case code."""
    root = province()
    if root is None:
        return None
    moment = timezone.localtime(now or timezone.now())
    cases, _per_unit = case_tallies(root, today=moment.date())
    vacc, _rows, vacc_at = vaccination_cached(root, on=moment.date())
    return PublicFigures(
        province=root,
        computed_at=moment,
        cases=cases,
        levels=levels_by_commune(root, now=moment),
        vaccination=vacc,
        vaccination_at=timezone.localtime(vacc_at),
    )
