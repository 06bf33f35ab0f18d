"""Reads for quarantine, always through the user's scope (Q1–Q3, D4).

Episodes are visible when the person's residence unit lies in scope (``Scope.filter``);
facilities when their unit or operating organisation does; hand-overs when the receiving
commune or the sending facility does. Lists are keyset pages without counts.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

from django.db.models import Count, Exists, OuterRef, Q, QuerySet
from django.http import Http404
from django.utils import timezone

from phongdich.core.audit import audit
from phongdich.core.models import AuditAction
from phongdich.orgs.scope import scope_for

from .models import (
    COMMUNE_KINDS,
    DailyCheck,
    Episode,
    EpisodeStatus,
    Facility,
    Handover,
    QuarantineRule,
    handover_hours,
)

PAGE_SIZE = 50
MAX_PAGE_SIZE = 200


def _key(uid: str | uuid.UUID) -> uuid.UUID:
    try:
        return uid if isinstance(uid, uuid.UUID) else uuid.UUID(str(uid))
    except ValueError as exc:
        raise Http404 from exc


def visible_facilities(user: Any) -> QuerySet[Facility]:
    qs: QuerySet[Facility] = scope_for(user).filter(Facility.objects.all(), unit_field="unit", org_field="operator")
    return qs


def facility_queryset(*, user: Any, kind: str = "", ready: str = "") -> QuerySet[Facility]:
    """Facilities in scope with ``occupancy`` (open episodes) beside their capacity, by name."""
    qs = visible_facilities(user).select_related("unit", "operator")
    if kind:
        qs = qs.filter(kind=kind)
    if ready in ("1", "0"):
        qs = qs.filter(ready=ready == "1")
    qs = qs.annotate(occupancy=Count("episodes", filter=Q(episodes__status=EpisodeStatus.OPEN)))
    return qs.order_by("name", "id")


@dataclass(frozen=True)
class Page:
    """One keyset page: ``next_after`` is the uid of the last row when there are more (no COUNT is run)."""

    items: list[Any]
    next_after: str | None


def _after(qs: QuerySet[Any], field: str, after: str | None, *, descending: bool = False) -> QuerySet[Any]:
    """Rows after the row ``after`` (a uid) in the order (``field``, id) — ascending or descending."""
    if not after:
        return qs
    try:
        key = uuid.UUID(str(after))
    except ValueError:
        return qs.none()
    row = qs.model.objects.filter(uid=key).values_list(field, "pk").first()
    if row is None:
        return qs.none()
    value, pk = row
    op = "lt" if descending else "gt"
    return qs.filter(Q(**{f"{field}__{op}": value}) | Q(**{field: value, f"pk__{op}": pk}))


def _page(qs: QuerySet[Any], limit: int) -> tuple[list[Any], str | None]:
    limit = max(1, min(int(limit), MAX_PAGE_SIZE))
    rows = list(qs[: limit + 1])
    more = len(rows) > limit
    rows = rows[:limit]
    return rows, (str(rows[-1].uid) if more and rows else None)


def facility_page(
    *, user: Any, kind: str = "", ready: str = "", after: str | None = None, limit: int = PAGE_SIZE
) -> Page:
    qs = _after(facility_queryset(user=user, kind=kind, ready=ready), "name", after)
    items, next_after = _page(qs, limit)
    return Page(items=items, next_after=next_after)


def facility_list(*, user: Any) -> list[Facility]:
    """The first facilities in scope (up to ``MAX_PAGE_SIZE``), by name."""
    return list(facility_queryset(user=user)[:MAX_PAGE_SIZE])


def facility_get(*, user: Any, uid: str | uuid.UUID) -> Facility:
    facility = (
        visible_facilities(user)
        .select_related("unit", "operator")
        .annotate(occupancy=Count("episodes", filter=Q(episodes__status=EpisodeStatus.OPEN)))
        .filter(uid=_key(uid))
        .first()
    )
    if facility is None:
        raise Http404
    return facility


def facility_open_episodes(*, user: Any, facility: Facility) -> list[Episode]:
    return list(
        visible_episodes(user)
        .filter(facility=facility, status=EpisodeStatus.OPEN)
        .select_related("person")
        .order_by("start_date", "id")[:MAX_PAGE_SIZE]
    )


def visible_episodes(user: Any) -> QuerySet[Episode]:
    qs: QuerySet[Episode] = scope_for(user).filter(
        Episode.objects.all(), unit_field="person__residence_unit", org_field=None
    )
    return qs


def open_episode_queryset(*, user: Any, kind: str = "") -> QuerySet[Episode]:
    qs = visible_episodes(user).filter(status=EpisodeStatus.OPEN)
    if kind:
        qs = qs.filter(kind=kind)
    return qs.select_related("person", "person__residence_unit", "facility")


@dataclass(frozen=True)
class EpisodePage:
    items: list[Episode]
    next_after: str | None


def open_episode_list(*, user: Any, kind: str = "", after: str | None = None, limit: int = PAGE_SIZE) -> EpisodePage:
    """One keyset page of open episodes, newest first; ``after`` is the uid of the last row before."""
    limit = max(1, min(int(limit), MAX_PAGE_SIZE))
    qs = open_episode_queryset(user=user, kind=kind)
    if after:
        try:
            pk = Episode.objects.filter(uid=uuid.UUID(str(after))).values_list("pk", flat=True).first()
        except ValueError:
            pk = None
        if pk is not None:
            qs = qs.filter(pk__lt=pk)
    rows = list(qs.order_by("-pk")[: limit + 1])
    more = len(rows) > limit
    rows = rows[:limit]
    return EpisodePage(items=rows, next_after=str(rows[-1].uid) if more and rows else None)


def _episode(user: Any, uid: str | uuid.UUID) -> Episode:
    episode = (
        visible_episodes(user)
        .select_related("person", "person__residence_unit", "facility", "rule", "previous")
        .filter(uid=_key(uid))
        .first()
    )
    if episode is None:
        raise Http404
    return episode


def episode_get(*, user: Any, uid: str | uuid.UUID) -> Episode:
    """One episode in scope, or 404. Each call is an audited read of the person's record."""
    episode = _episode(user, uid)
    audit(
        actor=user,
        action=AuditAction.READ,
        obj=episode,
        summary=f"{episode.person.full_name}: {episode.get_kind_display()}",
        detail={"person": str(episode.person.uid)},
    )
    return episode


def episode_get_for_write(*, user: Any, uid: str | uuid.UUID) -> Episode:
    return _episode(user, uid)


def episode_checks(*, episode: Episode) -> list[DailyCheck]:
    return list(episode.checks.select_related("by").order_by("date", "id"))


def episode_handover(*, episode: Episode) -> Handover | None:
    return Handover.objects.filter(episode=episode).select_related("from_facility", "to_unit").first()


@dataclass(frozen=True)
class FollowRow:
    episode: Episode
    checked_today: bool
    test_due_today: bool


def follow_today_queryset(*, user: Any, today: date | None = None) -> QuerySet[Episode]:
    """The commune's "people to follow today": open home, post-quarantine and self-isolation episodes
    in scope with no health check recorded today, or a test due today; by name."""
    day = today or timezone.localdate()
    checked = DailyCheck.objects.filter(episode=OuterRef("pk"), date=day)
    return (
        visible_episodes(user)
        .filter(status=EpisodeStatus.OPEN, kind__in=COMMUNE_KINDS, start_date__lte=day)
        .select_related("person", "person__residence_unit")
        .annotate(checked_today=Exists(checked))
        .filter(Q(checked_today=False) | Q(test_dates__icontains=day.isoformat()))
        .order_by("person__name_folded", "id")
    )


def _follow_row(episode: Episode, day: date) -> FollowRow:
    return FollowRow(
        episode=episode,
        checked_today=bool(episode.checked_today),  # type: ignore[attr-defined]
        test_due_today=day.isoformat() in (episode.test_dates or []),
    )


@dataclass(frozen=True)
class FollowPage:
    items: list[FollowRow]
    next_after: str | None


def follow_today_page(
    *, user: Any, today: date | None = None, after: str | None = None, limit: int = PAGE_SIZE
) -> FollowPage:
    day = today or timezone.localdate()
    qs = _after(follow_today_queryset(user=user, today=day), "person__name_folded", after)
    items, next_after = _page(qs, limit)
    return FollowPage(items=[_follow_row(e, day) for e in items], next_after=next_after)


def follow_today(*, user: Any, today: date | None = None) -> list[FollowRow]:
    """The first rows (up to ``MAX_PAGE_SIZE``) of the people to follow today."""
    day = today or timezone.localdate()
    return [_follow_row(e, day) for e in follow_today_queryset(user=user, today=day)[:MAX_PAGE_SIZE]]


@dataclass(frozen=True)
class HandoverRow:
    handover: Handover
    overdue: bool


def visible_handovers(user: Any) -> QuerySet[Handover]:
    scope = scope_for(user)
    qs: QuerySet[Handover] = scope.filter(Handover.objects.all(), unit_field="to_unit", org_field=None)
    return qs


HANDOVER_STATUSES = ("pending", "overdue", "acknowledged", "all")


def handover_queryset(*, user: Any, status: str = "pending", now: datetime | None = None) -> QuerySet[Handover]:
    """Hand-overs to communes in scope: ``pending`` (not acknowledged), ``overdue`` (not acknowledged within
    the limit), ``acknowledged`` or ``all``; oldest first."""
    moment = now or timezone.now()
    qs = visible_handovers(user).select_related(
        "episode__person", "episode__person__residence_unit", "from_facility", "to_unit", "acknowledged_by"
    )
    if status in ("pending", "overdue"):
        qs = qs.filter(acknowledged_at__isnull=True)
    if status == "overdue":
        qs = qs.filter(sent_at__lt=moment - timedelta(hours=handover_hours()))
    elif status == "acknowledged":
        qs = qs.filter(acknowledged_at__isnull=False)
    return qs.order_by("sent_at", "id")


@dataclass(frozen=True)
class HandoverPage:
    items: list[HandoverRow]
    next_after: str | None


def handover_page(
    *, user: Any, status: str = "pending", now: datetime | None = None, after: str | None = None, limit: int = PAGE_SIZE
) -> HandoverPage:
    moment = now or timezone.now()
    qs = _after(handover_queryset(user=user, status=status, now=moment), "sent_at", after)
    items, next_after = _page(qs, limit)
    return HandoverPage(
        items=[HandoverRow(handover=h, overdue=h.is_overdue(moment)) for h in items], next_after=next_after
    )


def handovers_pending(*, user: Any, now: datetime | None = None) -> list[HandoverRow]:
    """Hand-overs awaiting acknowledgement (up to ``MAX_PAGE_SIZE``), oldest first, with the overdue flag."""
    moment = now or timezone.now()
    qs = handover_queryset(user=user, status="pending", now=moment)
    return [HandoverRow(handover=h, overdue=h.is_overdue(moment)) for h in qs[:MAX_PAGE_SIZE]]


def handover_get_for_write(*, user: Any, uid: str | uuid.UUID) -> Handover:
    handover = visible_handovers(user).select_related("from_facility", "to_unit").filter(uid=_key(uid)).first()
    if handover is None:
        raise Http404
    return handover


def rule_list() -> list[QuarantineRule]:
    return list(QuarantineRule.objects.order_by("effective_from", "applies_to", "id"))
