"""Reads for the health pass (M1): a person's risk facts, the premises a user may keep a gate at,
and QR check-in coverage of organisations by unit (M1, D5).

Coverage at province scale (8,000 premises, millions of check-ins a day) is one SQL statement
per question: the organisations in scope, each annotated with three ``EXISTS`` probes — an
active code on one of its active premises, a check-in at one of them since midnight, and since
Monday. The check-in probes are answered by the ``(premises, at)`` index of ``CheckIn`` (a seek
per premises that stops at the first row), so their cost grows with the number of premises,
not of check-ins: under a second for 2,000 organisations, 8,000 premises and 5 million
check-ins on PostgreSQL on a 2-core machine. A ``GROUP BY`` over a week of check-ins would read
tens of millions of rows, and there is deliberately no index on ``at`` alone. Units are then
tallied in Python from the organisation rows (one row per organisation, a few thousand).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from typing import Any

from django.db.models import BooleanField, Exists, OuterRef, Q, QuerySet, Value, When
from django.db.models import Case as SqlCase
from django.utils import timezone

from phongdich.cases.models import OPEN_STATUSES, Case
from phongdich.checkins.models import CheckIn, PremisesCode
from phongdich.geo.models import Level, Unit
from phongdich.orgs.models import Organisation, Premises
from phongdich.orgs.scope import scope_for
from phongdich.people.models import Person
from phongdich.quarantine.models import Episode, EpisodeStatus
from phongdich.testing.selectors import test_due_person_ids
from phongdich.tracing.models import ContactLevel
from phongdich.vaccination.selectors import dose_counts, eligibility
from phongdich.zones.models import ExposureFlag

from .rules import Facts

# --- A person's facts -----------------------------------------------------------------------


def facts_of(person: Person, *, today: date | None = None) -> Facts:
    """The risk facts of one person, in a few indexed reads (not scoped: the gate shows a colour only)."""
    today = today or timezone.localdate()
    open_case = Case.objects.filter(person=person, status__in=[s.value for s in OPEN_STATUSES]).exists()
    kind = (
        Episode.objects.filter(person=person, status=EpisodeStatus.OPEN)
        .order_by("-start_date")
        .values_list("kind", flat=True)
        .first()
    )
    flagged = ExposureFlag.objects.filter(person=person, cleared_at__isnull=True).exists()
    level = ContactLevel.objects.filter(person=person).values_list("level", flat=True).first()
    test_due = person.pk in test_due_person_ids([person.pk], on=today)
    unvaccinated = eligibility(person, today).eligible and not dose_counts([person.pk], on=today)[person.pk]
    return Facts(
        open_case=open_case,
        quarantine_kind=kind,
        exposure_flag=flagged,
        contact_level=level,
        test_due=test_due,
        unvaccinated_adult=unvaccinated,
    )


# --- Gates ----------------------------------------------------------------------------------


def gate_premises(user: Any) -> QuerySet[Premises]:
    """Active premises of the active organisations the user may see (their own, for a head)."""
    scope = scope_for(user)
    if scope.is_empty:
        return Premises.objects.none()
    orgs = scope.organisations(Organisation.objects.filter(is_active=True))
    return Premises.objects.filter(is_active=True, organisation__in=orgs.values("pk")).select_related(
        "organisation", "unit"
    )


# --- Coverage -------------------------------------------------------------------------------


@dataclass(frozen=True)
class Period:
    today_start: datetime
    week_start: datetime  # Monday 00:00, local time


def period(now: datetime | None = None) -> Period:
    now = timezone.localtime(now or timezone.now())
    today = now.date()
    tz = timezone.get_current_timezone()
    today_start = datetime.combine(today, time.min, tzinfo=tz)
    return Period(today_start=today_start, week_start=today_start - timedelta(days=today.weekday()))


def organisations_covered(user: Any, *, unit: Unit | None = None, now: datetime | None = None) -> Any:
    """The active organisations in the user's scope (under ``unit``), annotated with
    ``has_qr``, ``checked_today`` and ``checked_week`` (one statement; see the module docstring)."""
    p = period(now)
    qs = scope_for(user).organisations(Organisation.objects.filter(is_active=True))
    if unit is not None:
        qs = qs.filter(unit__tree=unit.tree, unit__path__startswith=unit.path)
    own_premises = Premises.objects.filter(organisation=OuterRef(OuterRef("pk")), is_active=True).values("pk")
    return qs.annotate(
        has_qr=_per_row(
            PremisesCode.objects.filter(
                premises__organisation=OuterRef("pk"), premises__is_active=True, revoked_at__isnull=True
            )
        ),
        checked_today=_per_row(CheckIn.objects.filter(premises__in=own_premises, at__gte=p.today_start)),
        checked_week=_per_row(CheckIn.objects.filter(premises__in=own_premises, at__gte=p.week_start)),
    )


def _per_row(subquery: QuerySet[Any]) -> SqlCase:
    """``EXISTS`` evaluated row by row, even in a filter.

    A bare ``NOT EXISTS`` in WHERE ("without check-ins this week") is turned by PostgreSQL into
    an anti-join over every check-in of the week — minutes at province scale. Wrapped in a CASE
    it stays a probe of the ``(premises, at)`` index per organisation, and a keyset page walks
    the name index only until it has its rows.
    """
    return SqlCase(When(Exists(subquery), then=Value(True)), default=Value(False), output_field=BooleanField())


LIST_FILTERS = ("all", "no_qr", "no_today", "no_week")


def coverage_list(user: Any, *, unit: Unit | None = None, which: str = "all", now: datetime | None = None) -> Any:
    """Organisations of the coverage, filtered (without QR, without check-ins today / this week),
    ordered for keyset pages by ``(name_folded, id)``."""
    qs = organisations_covered(user, unit=unit, now=now).select_related("unit")
    if which == "no_qr":
        qs = qs.filter(has_qr=False)
    elif which == "no_today":
        qs = qs.filter(checked_today=False)
    elif which == "no_week":
        qs = qs.filter(checked_week=False)
    return qs.order_by("name_folded", "id")


def keyset_after(qs: Any, after_name: str | None, after_id: str) -> Any:
    if after_name is not None and after_id.isdigit():
        return qs.filter(Q(name_folded__gt=after_name) | Q(name_folded=after_name, id__gt=int(after_id)))
    return qs


@dataclass
class Tally:
    organisations: int = 0
    with_qr: int = 0
    checked_today: int = 0
    checked_week: int = 0

    def add(self, has_qr: bool, today: bool, week: bool) -> None:
        self.organisations += 1
        self.with_qr += int(has_qr)
        self.checked_today += int(today)
        self.checked_week += int(week)

    @staticmethod
    def _share(part: int, whole: int) -> float | None:
        return round(100 * part / whole, 1) if whole else None

    @property
    def share_qr(self) -> float | None:
        return self._share(self.with_qr, self.organisations)

    @property
    def share_today(self) -> float | None:
        return self._share(self.checked_today, self.organisations)

    @property
    def share_week(self) -> float | None:
        return self._share(self.checked_week, self.organisations)

    @property
    def without_qr(self) -> int:
        return self.organisations - self.with_qr

    @property
    def without_week(self) -> int:
        return self.organisations - self.checked_week


@dataclass
class CoverageRow:
    unit: Unit | None  # None: organisations placed on the parent unit itself
    tally: Tally = field(default_factory=Tally)


@dataclass
class Coverage:
    unit: Unit | None
    total: Tally
    rows: list[CoverageRow]  # one per child unit having organisations in scope


def default_unit(user: Any) -> Unit | None:
    """Where the overview opens: the user's one unit, else the province; None for an organisation-only scope."""
    scope = scope_for(user)
    if len(scope.unit_paths) == 1:
        tree, path = scope.unit_paths[0]
        return Unit.objects.filter(tree=tree, path=path).first()
    if scope.everything or scope.unit_paths:
        return Unit.objects.current_tree().filter(level=Level.PROVINCE).order_by("id").first()
    return None


def coverage_of(user: Any, *, unit: Unit | None, now: datetime | None = None) -> Coverage:
    """Totals under ``unit`` and per child unit, from one statement over the organisations in scope."""
    rows = organisations_covered(user, unit=unit, now=now).values_list(
        "unit__path", "has_qr", "checked_today", "checked_week"
    )
    total = Tally()
    buckets: dict[str, Tally] = {}
    prefix = unit.path if unit is not None else ""
    for path, has_qr, today, week in rows.iterator(chunk_size=2000):
        total.add(has_qr, today, week)
        if unit is None:
            continue
        rest = path[len(prefix) :]
        key = prefix + rest.split("/", 1)[0] + "/" if rest else ""
        buckets.setdefault(key, Tally()).add(has_qr, today, week)
    result: list[CoverageRow] = []
    if unit is not None:
        children = {u.path: u for u in Unit.objects.filter(tree=unit.tree, path__in=[k for k in buckets if k])}
        for key in sorted(buckets, key=lambda k: (k != "", children[k].name if k in children else "")):
            result.append(CoverageRow(unit=children.get(key) if key else None, tally=buckets[key]))
    return Coverage(unit=unit, total=total, rows=result)


def unit_ancestors(unit: Unit | None) -> list[Unit]:
    if unit is None:
        return []
    return list(unit.ancestors())
