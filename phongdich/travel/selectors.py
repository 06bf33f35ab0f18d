"""Reads of the travel app, scoped (D4): a trip is seen by its traveller, by the people in its management chain
and by whoever sees its organisation; plans and worker passes by whoever sees the enterprise."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import date
from typing import Any

from django.db.models import Q, QuerySet
from django.http import Http404

from phongdich.core.pagination import Page
from phongdich.orgs.models import Organisation, OrganisationKind
from phongdich.orgs.scope import scope_for

from .models import OnSitePlan, PassDirection, Trip, TripStatus, WorkerPass


def id_page(qs: QuerySet[Any], *, after: str | int | None = None, limit: int = 50) -> Page:
    """Newest first by id, without counting; ``after`` is the id of the last row of the previous page."""
    qs = qs.order_by("-id")
    try:
        last = int(after) if after not in (None, "") else None
    except (TypeError, ValueError):
        last = None
    if last is not None:
        qs = qs.filter(id__lt=last)
    rows = list(qs[: limit + 1])
    return Page(rows[:limit], rows[limit - 1].pk if len(rows) > limit else None)


@dataclass(frozen=True)
class TripFilters:
    status: str = ""
    needs_approval: bool | None = None
    organisation: Organisation | None = None
    mine: bool = False
    start: date | None = None
    end: date | None = None


def trip_queryset(*, user: Any, filters: TripFilters | None = None) -> QuerySet[Trip]:
    filters = filters or TripFilters()
    if user is None or not user.is_authenticated:
        return Trip.objects.none()
    own = Q(traveller__user=user)
    if filters.mine:
        visible = own
    else:
        chain = Q(pk__in=Trip.approvers.through.objects.filter(person__user=user).values("trip_id"))
        orgs = scope_for(user).organisations()
        visible = own | chain | Q(organisation__in=orgs.values("pk"))
    qs = Trip.objects.filter(visible)
    if filters.status in TripStatus.values:
        qs = qs.filter(status=filters.status)
    if filters.needs_approval is not None:
        qs = qs.filter(needs_approval=filters.needs_approval)
    if filters.organisation is not None:
        qs = qs.filter(organisation__path__startswith=filters.organisation.path)
    if filters.start is not None:
        qs = qs.filter(return_at__date__gte=filters.start)
    if filters.end is not None:
        qs = qs.filter(depart_at__date__lte=filters.end)
    return qs.select_related("traveller", "organisation", "unit", "decided_by").order_by("-id")


def trip_get(*, user: Any, uid: str | uuid.UUID) -> Trip:
    trip = (
        trip_queryset(user=user)
        .select_related("membership", "membership__person", "declaration")
        .filter(uid=uid)
        .first()
    )
    if trip is None:
        raise Http404
    return trip


def pending_for(user: Any) -> QuerySet[Trip]:
    """Pending trips the user is in the management chain of (to decide)."""
    if user is None or not user.is_authenticated:
        return Trip.objects.none()
    ids = Trip.approvers.through.objects.filter(person__user=user).values("trip_id")
    return trip_queryset(user=user).filter(pk__in=ids, status=TripStatus.PENDING)


# --- Workforce movement (M8) ------------------------------------------------------------------------


def parks(user: Any) -> QuerySet[Organisation]:
    return scope_for(user).organisations(Organisation.objects.filter(kind=OrganisationKind.INDUSTRIAL_PARK))


def enterprises(user: Any) -> QuerySet[Organisation]:
    return (
        scope_for(user)
        .organisations(Organisation.objects.filter(kind=OrganisationKind.ENTERPRISE, is_active=True))
        .order_by("name")
    )


def _under(qs: QuerySet[Any], *, park: Organisation | None, organisation: Organisation | None) -> QuerySet[Any]:
    if organisation is not None:
        qs = qs.filter(organisation=organisation)
    if park is not None:
        qs = qs.filter(organisation__path__startswith=park.path)
    return qs


def plan_queryset(
    *, user: Any, park: Organisation | None = None, organisation: Organisation | None = None, on: date | None = None
) -> QuerySet[OnSitePlan]:
    orgs = scope_for(user).organisations()
    qs = OnSitePlan.objects.filter(organisation__in=orgs.values("pk"))
    qs = _under(qs, park=park, organisation=organisation)
    if on is not None:
        qs = qs.filter(Q(end_date__isnull=True) | Q(end_date__gte=on), start_date__lte=on)
    return qs.select_related("organisation", "organisation__parent").order_by("-start_date", "-id")


def plan_get(*, user: Any, uid: str | uuid.UUID) -> OnSitePlan:
    plan = plan_queryset(user=user).filter(uid=uid).first()
    if plan is None:
        raise Http404
    return plan


def pass_queryset(
    *,
    user: Any,
    park: Organisation | None = None,
    organisation: Organisation | None = None,
    direction: str = "",
    on: date | None = None,
    plan: OnSitePlan | None = None,
) -> QuerySet[WorkerPass]:
    orgs = scope_for(user).organisations()
    qs = WorkerPass.objects.filter(organisation__in=orgs.values("pk"))
    qs = _under(qs, park=park, organisation=organisation)
    if plan is not None:
        qs = qs.filter(plan=plan)
    if direction in PassDirection.values:
        qs = qs.filter(direction=direction)
    if on is not None:
        qs = qs.filter(from_date__lte=on, to_date__gte=on)
    return qs.select_related("person", "organisation", "plan").order_by("-from_date", "-id")
