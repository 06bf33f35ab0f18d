"""Reads of the command app, scoped by ``orgs.scope``: the plans of an organisation and the agencies lacking
a plan (R6); directives an agency is assigned by, each directive's completion matrix, an agency's tasks and
the Standing Committee overview (R3, R4). Out of scope is 404."""

from __future__ import annotations

import uuid
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from django.core.exceptions import ObjectDoesNotExist, ValidationError
from django.db.models import Count, Exists, OuterRef, Q, QuerySet
from django.http import Http404
from django.utils import timezone

from phongdich.geo.models import Unit
from phongdich.orgs.models import Organisation

from . import rules
from .models import (
    DeadlineKind,
    Directive,
    DirectiveTask,
    PlanLevel,
    ProgressStatus,
    ResponsePlan,
    ResponsePlanVersion,
    TaskAssignment,
    TaskProgress,
)
from .permissions import is_command

LEVELS = tuple(PlanLevel.values)


@dataclass
class Page:
    items: list[Any]
    next_after: int | None


def _after(qs: QuerySet[Any], after: int | str | None, *, descending: bool) -> QuerySet[Any]:
    if after in (None, ""):
        return qs
    try:
        value = int(str(after))
    except ValueError:
        raise Http404 from None
    return qs.filter(id__lt=value) if descending else qs.filter(id__gt=value)


def _page(qs: QuerySet[Any], limit: int) -> Page:
    limit = max(1, min(int(limit), 200))
    rows = list(qs[: limit + 1])
    return Page(items=rows[:limit], next_after=rows[limit - 1].pk if len(rows) > limit else None)


def _get(qs: QuerySet[Any], uid: str | uuid.UUID) -> Any:
    try:
        return qs.get(uid=uid)
    except (ObjectDoesNotExist, ValidationError, ValueError, TypeError):
        raise Http404 from None


# --- response plans (R6) ----------------------------------------------------------------------------


def organisations_in_scope(*, user: Any, district: Unit | None = None, kind: str = "") -> QuerySet[Organisation]:
    """Active organisations the user may see, optionally those of one district (its subtree) and of one kind."""
    qs = Organisation.objects.for_user(user).filter(is_active=True)
    if district is not None:
        qs = qs.filter(unit__tree=district.tree, unit__path__startswith=district.path)
    if kind:
        qs = qs.filter(kind=kind)
    return qs


def _lacking(qs: QuerySet[Organisation], level: int | None) -> QuerySet[Organisation]:
    if level is not None:
        return qs.exclude(Exists(ResponsePlan.objects.filter(organisation=OuterRef("pk"), level=level)))
    return qs.annotate(_plans=Count("response_plans", distinct=True)).filter(_plans__lt=len(LEVELS))


@dataclass
class MissingRow:
    organisation: Organisation
    missing: list[int]

    @property
    def missing_labels(self) -> list[str]:
        return [str(PlanLevel(level).label) for level in self.missing]


def missing_plans_queryset(
    *, user: Any, level: int | None = None, district: Unit | None = None, kind: str = ""
) -> QuerySet[Organisation]:
    """Organisations in scope lacking a plan for ``level`` (or for any level), in id order."""
    qs = _lacking(organisations_in_scope(user=user, district=district, kind=kind), level)
    return qs.select_related("unit").order_by("id")


def missing_rows(orgs: list[Organisation]) -> list[MissingRow]:
    have: dict[int, set[int]] = defaultdict(set)
    for org_id, level in ResponsePlan.objects.filter(organisation__in=orgs).values_list("organisation", "level"):
        have[org_id].add(level)
    return [MissingRow(org, [lv for lv in LEVELS if lv not in have[org.pk]]) for org in orgs]


def missing_plans_page(
    *,
    user: Any,
    level: int | None = None,
    district: Unit | None = None,
    kind: str = "",
    after: int | str | None = None,
    limit: int = 50,
) -> Page:
    qs = _after(missing_plans_queryset(user=user, level=level, district=district, kind=kind), after, descending=False)
    page = _page(qs, limit)
    page.items = missing_rows(page.items)
    return page


def missing_counts(*, user: Any, district: Unit | None = None, kind: str = "") -> dict[str, int]:
    """How many organisations in scope (``total``), lacking a plan for each level (``1``…``4``) and for any."""
    base = organisations_in_scope(user=user, district=district, kind=kind)
    counts = {"total": base.count(), "any": _lacking(base, None).count()}
    for level in LEVELS:
        counts[str(level)] = _lacking(base, level).count()
    return counts


def organisation_get(*, user: Any, uid: str | uuid.UUID) -> Organisation:
    return _get(Organisation.objects.for_user(user).select_related("unit"), uid)


def organisation_plans(organisation: Organisation) -> list[tuple[int, str, ResponsePlan | None]]:
    """The four levels with the plan in force (or None)."""
    plans = {p.level: p for p in ResponsePlan.objects.filter(organisation=organisation).select_related("recorded_by")}
    return [(level, str(PlanLevel(level).label), plans.get(level)) for level in LEVELS]


def plan_versions(plan: ResponsePlan) -> list[ResponsePlanVersion]:
    return list(plan.versions.select_related("recorded_by").order_by("-version"))


def plan_version_get(*, user: Any, uid: str | uuid.UUID) -> ResponsePlanVersion:
    orgs = Organisation.objects.for_user(user).values("pk")
    qs = ResponsePlanVersion.objects.filter(plan__organisation__in=orgs).select_related("plan__organisation")
    return _get(qs, uid)


# --- directives (R3, R4) ----------------------------------------------------------------------------


def visible_directives(user: Any) -> QuerySet[Directive]:
    """The province's command sees every directive; an agency (and the officers above it) those that
    assign a task to an organisation in their scope."""
    if is_command(user):
        return Directive.objects.all()
    orgs = Organisation.objects.for_user(user).values("pk")
    assigned = TaskAssignment.objects.filter(task__directive=OuterRef("pk"), organisation__in=orgs)
    return Directive.objects.filter(Exists(assigned))


def visible_assignments(user: Any) -> QuerySet[TaskAssignment]:
    """Assignments of organisations in the user's scope (every one for the province's command)."""
    qs = TaskAssignment.objects.all()
    if not is_command(user):
        qs = qs.filter(organisation__in=Organisation.objects.for_user(user).values("pk"))
    return qs


def directive_get(*, user: Any, uid: str | uuid.UUID) -> Directive:
    return _get(visible_directives(user).prefetch_related(None), uid)


def _now(now: datetime | None) -> datetime:
    return timezone.localtime(now or timezone.now())


def overdue_q(now: datetime) -> Q:
    """A filter over TaskAssignment matching ``rules.is_overdue`` (one-off deadlines in SQL; the few daily
    tasks judged by the rule)."""
    once = Q(task__deadline_kind=DeadlineKind.ONCE, task__due_at__lt=now) & ~Q(status=ProgressStatus.DONE)
    daily_ids = [
        a.pk
        for a in TaskAssignment.objects.filter(task__deadline_kind=DeadlineKind.DAILY)
        .exclude(status=ProgressStatus.DONE)
        .select_related("task")
        if rules.is_overdue(state_of(a), now)
    ]
    return once | Q(pk__in=daily_ids)


def state_of(assignment: TaskAssignment) -> rules.AssignmentState:
    task = assignment.task
    return rules.AssignmentState(
        deadline_kind=task.deadline_kind,
        due_at=task.due_at,
        daily_time=task.daily_time,
        status=assignment.status,
        done_at=assignment.done_at,
        last_reported_at=assignment.last_reported_at,
    )


@dataclass
class Tally:
    total: int = 0
    done: int = 0
    overdue: int = 0
    blocked: int = 0

    def add(self, assignment: TaskAssignment, now: datetime) -> None:
        self.total += 1
        self.done += assignment.status == ProgressStatus.DONE
        self.blocked += assignment.status == ProgressStatus.BLOCKED
        self.overdue += rules.is_overdue(state_of(assignment), now)

    @property
    def percent(self) -> int | None:
        return rules.completion_percent(self.done, self.total)


def _tallies(assignments: QuerySet[TaskAssignment], now: datetime) -> dict[int, Tally]:
    tallies: dict[int, Tally] = defaultdict(Tally)
    for a in assignments.select_related("task"):
        tallies[a.task.directive_id].add(a, now)
    return tallies


@dataclass
class DirectiveRow:
    directive: Directive
    tally: Tally


def directive_queryset(*, user: Any, q: str = "") -> QuerySet[Directive]:
    qs = visible_directives(user)
    if q.strip():
        term = q.strip()
        qs = qs.filter(Q(number__icontains=term) | Q(title__icontains=term) | Q(issuing_body__icontains=term))
    return qs.order_by("-id")


def directive_page(
    *, user: Any, q: str = "", after: int | str | None = None, limit: int = 50, now: datetime | None = None
) -> Page:
    """Directives (newest recorded first) with the completion of the assignments the user may see."""
    moment = _now(now)
    page = _page(_after(directive_queryset(user=user, q=q), after, descending=True), limit)
    tallies = _tallies(visible_assignments(user).filter(task__directive__in=page.items), moment)
    page.items = [DirectiveRow(d, tallies.get(d.pk, Tally())) for d in page.items]
    return page


@dataclass
class Cell:
    assignment: TaskAssignment
    overdue: bool
    late: bool


@dataclass
class TaskRow:
    task: DirectiveTask
    cells: list[Cell | None]
    tally: Tally = field(default_factory=Tally)


@dataclass
class Matrix:
    organisations: list[Organisation]
    rows: list[TaskRow]
    tally: Tally
    by_org: list[tuple[Organisation, Tally]]


def directive_matrix(*, user: Any, directive: Directive, now: datetime | None = None) -> Matrix:
    """Tasks × agencies: each cell an agency's status of a task (overdue, late flagged), with per-task,
    per-agency and overall completion. Agencies out of the user's scope are left out."""
    moment = _now(now)
    tasks = sorted(directive.tasks.select_related("lead"), key=lambda t: rules.task_number_key(t.number))
    assignments = list(
        visible_assignments(user).filter(task__directive=directive).select_related("task", "organisation")
    )
    orgs = sorted({a.organisation_id: a.organisation for a in assignments}.values(), key=lambda o: (o.path, o.name))
    index = {org.pk: i for i, org in enumerate(orgs)}
    rows = {t.pk: TaskRow(t, [None] * len(orgs)) for t in tasks}
    overall = Tally()
    by_org: dict[int, Tally] = defaultdict(Tally)
    for a in assignments:
        state = state_of(a)
        rows[a.task_id].cells[index[a.organisation_id]] = Cell(a, rules.is_overdue(state, moment), rules.is_late(state))
        rows[a.task_id].tally.add(a, moment)
        overall.add(a, moment)
        by_org[a.organisation_id].add(a, moment)
    return Matrix(
        organisations=orgs,
        rows=[rows[t.pk] for t in tasks],
        tally=overall,
        by_org=[(org, by_org[org.pk]) for org in orgs],
    )


TASK_FILTERS = ("status", "org", "q")
TASK_STATUS_FILTERS = ("open", "overdue", "done", *ProgressStatus.values)


def assignment_queryset(
    *, user: Any, status: str = "", organisation: Organisation | None = None, now: datetime | None = None
) -> QuerySet[TaskAssignment]:
    """The tasks of the agencies in the user's scope; ``status``: open (not done), overdue, done or a status."""
    moment = _now(now)
    qs = TaskAssignment.objects.filter(organisation__in=Organisation.objects.for_user(user).values("pk"))
    if organisation is not None:
        qs = qs.filter(organisation=organisation)
    if status == "open":
        qs = qs.exclude(status=ProgressStatus.DONE)
    elif status == "overdue":
        qs = qs.filter(overdue_q(moment))
    elif status in ProgressStatus.values:
        qs = qs.filter(status=status)
    return qs.select_related("task__directive", "task__lead", "organisation").order_by("-id")


@dataclass
class AssignmentRow:
    assignment: TaskAssignment
    overdue: bool
    late: bool


def assignment_rows(assignments: list[TaskAssignment], now: datetime | None = None) -> list[AssignmentRow]:
    moment = _now(now)
    return [AssignmentRow(a, rules.is_overdue(state_of(a), moment), rules.is_late(state_of(a))) for a in assignments]


def assignment_page(
    *,
    user: Any,
    status: str = "",
    organisation: Organisation | None = None,
    after: int | str | None = None,
    limit: int = 50,
    now: datetime | None = None,
) -> Page:
    qs = assignment_queryset(user=user, status=status, organisation=organisation, now=now)
    page = _page(_after(qs, after, descending=True), limit)
    page.items = assignment_rows(page.items, now)
    return page


def assignment_get(*, user: Any, uid: str | uuid.UUID) -> TaskAssignment:
    return _get(visible_assignments(user).select_related("task__directive", "task__lead", "organisation"), uid)


def assignment_reports(assignment: TaskAssignment) -> list[TaskProgress]:
    return list(assignment.reports.select_related("reported_by").order_by("-reported_at", "-id"))


def progress_get(*, user: Any, uid: str | uuid.UUID) -> TaskProgress:
    qs = TaskProgress.objects.filter(assignment__in=visible_assignments(user).values("pk"))
    return _get(qs.select_related("assignment__organisation"), uid)


@dataclass
class Overview:
    directives: list[DirectiveRow]
    agencies: list[tuple[Organisation, Tally]]
    tally: Tally


def overview(*, user: Any, now: datetime | None = None) -> Overview:
    """Every directive the user sees with its completion and overdue count, and every agency's record across
    them (most overdue first)."""
    moment = _now(now)
    directives = list(visible_directives(user).order_by("-issued_on", "-id"))
    by_directive: dict[int, Tally] = defaultdict(Tally)
    by_org: dict[int, Tally] = defaultdict(Tally)
    orgs: dict[int, Organisation] = {}
    total = Tally()
    for a in visible_assignments(user).select_related("task", "organisation"):
        by_directive[a.task.directive_id].add(a, moment)
        by_org[a.organisation_id].add(a, moment)
        orgs[a.organisation_id] = a.organisation
        total.add(a, moment)
    agencies = sorted(
        ((orgs[pk], tally) for pk, tally in by_org.items()),
        key=lambda pair: (-pair[1].overdue, pair[1].percent if pair[1].percent is not None else 101, pair[0].name),
    )
    return Overview(
        directives=[DirectiveRow(d, by_directive.get(d.pk, Tally())) for d in directives],
        agencies=agencies,
        tally=total,
    )
