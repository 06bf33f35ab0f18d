"""Reads of the reports sent up to the province (R1, R2): the system's own figures that pre-fill a report,
who must submit a form, who has not (late, missing), the roll-up of a day, timeliness and completeness rates.

Who sees what: the recipients of the reports — the province's command (``permissions.is_command``), the
heads of the recipient organisation (the Health Department) and holders of the health role at the
province — see every submitter of every form; anyone else sees the submitters in their own scope.

``late_today(user)`` and ``rollup(...)`` are also read by the dashboard."""

from __future__ import annotations

import uuid
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db.models import Count, Q, QuerySet
from django.http import Http404
from django.utils import timezone

from phongdich.geo.models import Level, Unit
from phongdich.orgs.models import Organisation, Role, RoleAssignment
from phongdich.orgs.permissions import is_head_of
from phongdich.orgs.scope import scope_for

from .models import FieldKind, FigureSource, Report, ReportField, ReportForm, ReportPeriod, ReportVersion
from .permissions import can_act_for, is_command

# --- who receives, who submits ------------------------------------------------------------------------


def is_recipient(user: Any, form: ReportForm | None = None) -> bool:
    """Sees every submitter's report and the roll-up (the province's command, the Health Department)."""
    if user is None or not getattr(user, "is_authenticated", False) or not user.is_active:
        return False
    if is_command(user):
        return True
    if Role.HEALTH in scope_for(user).roles and (
        RoleAssignment.objects.active().filter(user=user, role=Role.HEALTH, unit__level=Level.PROVINCE).exists()
    ):
        return True
    if form is not None and form.recipient_id is not None:
        return is_head_of(user, form.recipient)  # type: ignore[arg-type]
    recipients = ReportForm.objects.exclude(recipient=None).values_list("recipient", flat=True).distinct()
    return any(is_head_of(user, org) for org in Organisation.objects.filter(pk__in=list(recipients)))


@dataclass(frozen=True)
class Submitter:
    """A unit or an organisation that must submit a form."""

    key: str
    name: str
    unit: Unit | None = None
    organisation: Organisation | None = None

    @property
    def uid(self) -> uuid.UUID:
        obj = self.unit or self.organisation
        assert obj is not None
        return obj.uid

    @property
    def kind(self) -> str:
        return "unit" if self.unit is not None else "organisation"


def unit_key(unit_id: int) -> str:
    return f"u:{unit_id}"


def org_key(org_id: int) -> str:
    return f"o:{org_id}"


def _tree() -> str:
    return str(getattr(settings, "ADMIN_TREE", "2021"))


def home_province() -> Unit | None:
    """The province the reports go up to (``PROVINCE_CODE`` in the tree in force)."""
    code = str(getattr(settings, "PROVINCE_CODE", "19"))
    return Unit.objects.filter(tree=_tree(), level=Level.PROVINCE, code=code).first()


def submitters(form: ReportForm, *, user: Any = None) -> list[Submitter]:
    """Every unit and organisation that must submit ``form`` (``user``: narrowed to their scope unless they
    receive the reports), units first (by path), then organisations by name."""
    everyone = user is None or is_recipient(user, form)
    scope = None if everyone else scope_for(user)
    province = home_province()
    prefix = province.path if province is not None else ""
    result: list[Submitter] = []
    if form.unit_level:
        units = Unit.objects.filter(tree=_tree(), level=form.unit_level, path__startswith=prefix)
        if scope is not None:
            units = units.filter(scope.unit_q())
        result += [Submitter(unit_key(u.pk), u.name, unit=u) for u in units.order_by("path")]
    if form.org_kinds:
        orgs = Organisation.objects.filter(
            kind__in=list(form.org_kinds), is_active=True, unit__tree=_tree(), unit__path__startswith=prefix
        )
        if form.org_unit_level:
            orgs = orgs.filter(unit__level=form.org_unit_level)
        if scope is not None:
            orgs = scope.organisations(orgs)
        result += [Submitter(org_key(o.pk), o.name, organisation=o) for o in orgs.order_by("name", "pk")]
    return result


def submitters_for(user: Any, form: ReportForm) -> list[Submitter]:
    """The submitters ``user`` may submit for (district and commune officers of the unit, heads of the
    organisation, the province's command for anyone)."""
    return [s for s in submitters(form, user=user) if can_submit(user, s)]


def can_submit(user: Any, submitter: Submitter) -> bool:
    if user is None or not getattr(user, "is_authenticated", False) or not user.is_active:
        return False
    if user.is_superuser:
        return True
    if submitter.organisation is not None:
        return can_act_for(user, submitter.organisation)
    unit = submitter.unit
    assert unit is not None
    for tree, path in (
        RoleAssignment.objects.active()
        .filter(
            user=user, unit__isnull=False, role__in=[Role.PROVINCE_ADMIN, Role.DISTRICT_OFFICER, Role.COMMUNE_OFFICER]
        )
        .values_list("unit__tree", "unit__path")
    ):
        if unit.tree == tree and unit.path.startswith(path):
            return True
    return False


def submitter_of(report: Report) -> Submitter:
    if report.unit_id:
        return Submitter(unit_key(report.unit_id), report.unit.name, unit=report.unit)  # type: ignore[union-attr]
    return Submitter(org_key(report.organisation_id), report.organisation.name, organisation=report.organisation)  # type: ignore[arg-type,union-attr]


# --- deadlines ----------------------------------------------------------------------------------------


def deadline_of(form: ReportForm, day: date) -> datetime:
    """The moment a report of ``form`` for ``day`` is due (aware)."""
    if form.period == ReportPeriod.ONE_OFF:
        assert form.due_at is not None
        return form.due_at
    assert form.deadline_time is not None
    return timezone.make_aware(datetime.combine(day, form.deadline_time))


def report_day_of(form: ReportForm, moment: datetime | None = None) -> date:
    """The day a report is filed for: today for a daily form, the deadline's day for a one-off form."""
    if form.period == ReportPeriod.ONE_OFF:
        assert form.due_at is not None
        return timezone.localdate(form.due_at)
    return timezone.localdate(moment or timezone.now())


def lock_hours() -> int:
    return int(getattr(settings, "COMMAND_REPORT_LOCK_HOURS", 48))


def locked_after(report: Report) -> datetime:
    """A report can be corrected until this moment (counted from its deadline, or from the first submission
    when that was later)."""
    start = max(deadline_of(report.form, report.day), report.first_submitted_at)
    return start + timedelta(hours=lock_hours())


def is_locked(report: Report, now: datetime | None = None) -> bool:
    return (now or timezone.now()) >= locked_after(report)


def daily_forms(on: date) -> QuerySet[ReportForm]:
    return ReportForm.objects.filter(period=ReportPeriod.DAILY, active_from__lte=on).filter(
        Q(active_to__isnull=True) | Q(active_to__gte=on)
    )


def forms_visible(user: Any) -> QuerySet[ReportForm]:
    return (
        ReportForm.objects.all()
        if user is not None and getattr(user, "is_authenticated", False)
        else ReportForm.objects.none()
    )


def form_get(*, user: Any, uid: str | uuid.UUID) -> ReportForm:
    try:
        return forms_visible(user).get(uid=uid)
    except (ReportForm.DoesNotExist, ValueError, TypeError) as exc:
        raise Http404 from exc


def form_fields(form: ReportForm) -> list[ReportField]:
    return list(form.fields.all())


# --- the system's own figures (pre-fill) -----------------------------------------------------------------


def _day_bounds(day: date) -> tuple[datetime, datetime]:
    start = timezone.make_aware(datetime.combine(day, time.min))
    return start, start + timedelta(days=1)


def system_figures(submitter: Submitter, day: date) -> dict[str, int]:
    """The figures the system holds for the submitter's area on ``day``: a unit counts its residents (its
    subtree), an organisation its members (its sub-organisations too)."""
    from phongdich.cases.models import CONFIRMED_STATUSES, Case
    from phongdich.declarations.models import MedicalDeclaration
    from phongdich.people.models import Person
    from phongdich.quarantine.models import Episode, EpisodeKind, EpisodeStatus
    from phongdich.testing.models import Result
    from phongdich.tracing.models import ContactLevel
    from phongdich.vaccination.models import Dose

    if submitter.unit is not None:
        unit = submitter.unit
        person_q = Q(person__residence_unit__tree=unit.tree, person__residence_unit__path__startswith=unit.path)
        by_residence = Q(residence_unit__tree=unit.tree, residence_unit__path__startswith=unit.path)
    else:
        assert submitter.organisation is not None
        person_q = Q(person__organisation__path__startswith=submitter.organisation.path)
        by_residence = person_q
    start, end = _day_bounds(day)
    figures: dict[str, int] = {}
    figures[FigureSource.NEW_CASES] = Case.objects.filter(
        by_residence, status__in=CONFIRMED_STATUSES, confirmed_at__gte=start, confirmed_at__lt=end
    ).count()
    levels = dict(ContactLevel.objects.filter(person_q, level__in=[1, 2]).values_list("level").annotate(n=Count("pk")))
    figures[FigureSource.F1] = int(levels.get(1, 0))
    figures[FigureSource.F2] = int(levels.get(2, 0))
    kinds = dict(
        Episode.objects.filter(person_q, start_date__lte=day)
        .exclude(status=EpisodeStatus.TRANSFERRED)
        .filter(Q(released_on__isnull=True) | Q(released_on__gt=day))
        .values_list("kind")
        .annotate(n=Count("pk"))
    )
    for source, kind in (
        (FigureSource.Q_CENTRALISED, EpisodeKind.CENTRALISED),
        (FigureSource.Q_HOME, EpisodeKind.HOME),
        (FigureSource.Q_POST, EpisodeKind.POST_QUARANTINE),
        (FigureSource.Q_SELF, EpisodeKind.SELF_ISOLATION),
    ):
        figures[source] = int(kinds.get(kind, 0))
    if submitter.unit is not None:
        from phongdich.testing.selectors import tests_and_positives

        tests, positives = tests_and_positives(unit_path_prefix=submitter.unit.path, start=day, end=day)
    else:
        # The day's results first (a short list), then which of their people work under the organisation:
        # one join from the results' date, never a walk from every person of the organisation to every result.
        day_results = list(
            Result.objects.filter(sample__isnull=False, resulted_at__gte=start, resulted_at__lt=end).values_list(
                "outcome", "sample__order__person_id"
            )
        )
        staff = set(
            Person.objects.filter(
                pk__in={person_id for _outcome, person_id in day_results},
                organisation__path__startswith=submitter.organisation.path,  # type: ignore[union-attr]
            ).values_list("pk", flat=True)
        )
        outcomes = [outcome for outcome, person_id in day_results if person_id in staff]
        tests, positives = len(outcomes), outcomes.count("positive")
    figures[FigureSource.TESTS], figures[FigureSource.POSITIVES] = tests, positives
    figures[FigureSource.DOSES] = Dose.objects.filter(person_q, given_on=day).count()
    figures[FigureSource.ARRIVALS] = MedicalDeclaration.objects.filter(
        by_residence, in_epidemic_area=True, arrival_date=day, superseded_at__isnull=True
    ).count()
    return {str(k): v for k, v in figures.items()}


def prefilled_values(form: ReportForm, submitter: Submitter, day: date) -> dict[str, Any]:
    """Initial values of a new report: each number field with a source takes the system's figure."""
    fields = form_fields(form)
    if not any(f.source for f in fields):
        return {}
    figures = system_figures(submitter, day)
    return {f.key: figures.get(f.source, 0) for f in fields if f.source and f.kind == FieldKind.NUMBER}


# --- reports of a day: submitted, late, missing ------------------------------------------------------------


@dataclass
class StatusRow:
    submitter: Submitter
    report: Report | None
    deadline: datetime
    now: datetime

    @property
    def status(self) -> str:
        """``on_time``, ``late`` (submitted after the deadline), ``overdue`` (not submitted, deadline passed)
        or ``pending`` (not submitted, still time)."""
        if self.report is not None:
            return "late" if self.report.late else "on_time"
        return "overdue" if self.now >= self.deadline else "pending"

    @property
    def submitted(self) -> bool:
        return self.report is not None

    @property
    def overdue(self) -> bool:
        return self.status == "overdue"


def _reports_by_key(form: ReportForm, day: date, keys: Iterable[str] | None = None) -> dict[str, Report]:
    qs = Report.objects.filter(form=form, day=day).select_related("unit", "organisation", "submitted_by")
    if keys is not None:
        qs = qs.filter(submitter_key__in=list(keys))
    return {r.submitter_key: r for r in qs}


def status_rows(form: ReportForm, day: date, *, user: Any = None, now: datetime | None = None) -> list[StatusRow]:
    moment = now or timezone.now()
    people = submitters(form, user=user)
    reports = _reports_by_key(form, day)
    deadline = deadline_of(form, day)
    return [StatusRow(s, reports.get(s.key), deadline, moment) for s in people]


def late_today(user: Any, *, now: datetime | None = None) -> list[StatusRow]:
    """Units and organisations (in the user's view) that have not submitted today's daily report(s), the
    ones past the deadline first; each row's ``status`` is ``overdue`` or ``pending``, ``submitter.name``
    its name and ``deadline`` the deadline. Used by the dashboard."""
    moment = now or timezone.now()
    today = timezone.localdate(moment)
    rows: list[StatusRow] = []
    for form in daily_forms(today):
        rows += [r for r in status_rows(form, today, user=user, now=moment) if not r.submitted]
    rows.sort(key=lambda r: (not r.overdue, r.deadline, r.submitter.kind != "unit", r.submitter.name))
    return rows


@dataclass
class Rollup:
    """The roll-up of a form on a day: the sum of the submitted reports' figures per number field, and who
    submitted on time, late, or not at all."""

    form: ReportForm
    day: date
    deadline: datetime
    fields: list[ReportField]
    totals: dict[str, int]
    rows: list[StatusRow] = field(default_factory=list)

    @property
    def number_fields(self) -> list[ReportField]:
        return [f for f in self.fields if f.kind == FieldKind.NUMBER]

    @property
    def text_fields(self) -> list[ReportField]:
        return [f for f in self.fields if f.kind == FieldKind.TEXT]

    @property
    def total_rows(self) -> list[tuple[ReportField, int]]:
        return [(f, self.totals.get(f.key, 0)) for f in self.number_fields]

    @property
    def submitted(self) -> list[StatusRow]:
        return [r for r in self.rows if r.submitted]

    @property
    def on_time(self) -> list[StatusRow]:
        return [r for r in self.rows if r.status == "on_time"]

    @property
    def late(self) -> list[StatusRow]:
        return [r for r in self.rows if r.status == "late"]

    @property
    def missing(self) -> list[StatusRow]:
        return [r for r in self.rows if not r.submitted]

    @property
    def expected(self) -> int:
        return len(self.rows)


def _as_int(value: Any) -> int:
    try:
        return int(value)
    except (TypeError, ValueError):
        return 0


def rollup(
    form: ReportForm | None = None, day: date | None = None, *, user: Any = None, now: datetime | None = None
) -> Rollup:
    """The roll-up of ``form`` (the first daily form in force when None) for ``day`` (when None: today, or the
    deadline's day of a one-off form), over
    the submitters ``user`` sees (all when ``user`` is None or receives the reports)."""
    moment = now or timezone.now()
    if form is None:
        form = daily_forms(day or timezone.localdate(moment)).order_by("active_from", "pk").first()
        if form is None:
            raise Http404
    day = day or report_day_of(form, moment)
    fields = form_fields(form)
    numbers = [f.key for f in fields if f.kind == FieldKind.NUMBER]
    rows = status_rows(form, day, user=user, now=moment)
    totals = dict.fromkeys(numbers, 0)
    for row in rows:
        if row.report is not None:
            for key in numbers:
                totals[key] += _as_int(row.report.values.get(key))
    return Rollup(form=form, day=day, deadline=deadline_of(form, day), fields=fields, totals=totals, rows=rows)


# --- one report -----------------------------------------------------------------------------------------


def can_see_report(user: Any, report: Report) -> bool:
    if is_recipient(user, report.form):
        return True
    sub = submitter_of(report)
    if can_submit(user, sub):
        return True
    scope = scope_for(user)
    if sub.unit is not None:
        return scope.units().filter(pk=sub.unit.pk).exists()
    return bool(scope.organisations().filter(pk=sub.organisation.pk).exists())  # type: ignore[union-attr]


def report_get(*, user: Any, uid: str | uuid.UUID) -> Report:
    try:
        report = Report.objects.select_related("form", "unit", "organisation", "submitted_by").get(uid=uid)
    except (Report.DoesNotExist, ValueError, TypeError) as exc:
        raise Http404 from exc
    if not can_see_report(user, report):
        raise PermissionDenied
    return report


def report_versions(report: Report) -> list[ReportVersion]:
    return list(report.versions.select_related("recorded_by"))


def report_find(form: ReportForm, day: date, submitter: Submitter) -> Report | None:
    return Report.objects.filter(form=form, day=day, submitter_key=submitter.key).first()


def submitter_get(*, user: Any, form: ReportForm, uid: str) -> Submitter:
    for s in submitters(form, user=user):
        if str(s.uid) == str(uid):
            return s
    raise Http404


# --- timeliness and completeness over time ----------------------------------------------------------------


@dataclass
class RateCell:
    expected: int = 0
    submitted: int = 0
    on_time: int = 0

    @property
    def completeness(self) -> int | None:
        return round(100 * self.submitted / self.expected) if self.expected else None

    @property
    def timeliness(self) -> int | None:
        return round(100 * self.on_time / self.expected) if self.expected else None


@dataclass
class RateRow:
    submitter: Submitter
    cells: list[RateCell]
    total: RateCell


@dataclass
class Rates:
    form: ReportForm
    weeks: list[date]  # Mondays
    rows: list[RateRow]


def rates(form: ReportForm, *, user: Any, end: date, weeks: int = 8, now: datetime | None = None) -> Rates:
    """Per submitter, per week (Monday to Sunday) up to ``end``: completeness (reports submitted / days due)
    and timeliness (on time / days due). A day counts once its deadline has passed."""
    moment = now or timezone.now()
    last_monday = end - timedelta(days=end.weekday())
    mondays = [last_monday - timedelta(weeks=i) for i in reversed(range(weeks))]
    first = max(mondays[0], form.active_from)
    last = end if form.active_to is None else min(end, form.active_to)
    days = [first + timedelta(days=i) for i in range((last - first).days + 1)]
    days = [d for d in days if deadline_of(form, d) <= moment]
    people = submitters(form, user=user)
    flags: dict[tuple[str, date], bool] = {}
    for key, day, late in Report.objects.filter(
        form=form, day__in=days, submitter_key__in=[s.key for s in people]
    ).values_list("submitter_key", "day", "late"):
        flags[(key, day)] = bool(late)
    rows: list[RateRow] = []
    for s in people:
        cells = [RateCell() for _ in mondays]
        total = RateCell()
        for day in days:
            index = (day - mondays[0]).days // 7
            if index < 0:
                continue
            for cell in (cells[index], total):
                cell.expected += 1
                if (s.key, day) in flags:
                    cell.submitted += 1
                    if not flags[(s.key, day)]:
                        cell.on_time += 1
        rows.append(RateRow(s, cells, total))
    return Rates(form=form, weeks=mondays, rows=rows)


def one_off_forms(*, user: Any) -> QuerySet[ReportForm]:
    return forms_visible(user).filter(period=ReportPeriod.ONE_OFF).order_by("-due_at", "-pk")


def reports_of(submitter: Submitter, *, limit: int = 30) -> list[Report]:
    field_name = "unit" if submitter.unit is not None else "organisation"
    obj = submitter.unit or submitter.organisation
    return list(Report.objects.filter(**{field_name: obj}).select_related("form").order_by("-day", "-pk")[:limit])
