"""Reads for quarantine, always through the user's scope (Q1–Q3, D4).

Episodes are visible when the person's residence unit lies in scope (``Scope.filter``);
facilities when their unit or operating organisation does; hand-overs when the receiving
commune or the sending facility does. Lists are keyset pages without counts.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from django.db.models import Count, Exists, OuterRef, Q, QuerySet
from django.http import Http404
from django.utils import timezone

from phongdich.core.audit import audit
from phongdich.core.models import AuditAction
from phongdich.orgs.scope import scope_for

from .models import COMMUNE_KINDS, DailyCheck, Episode, EpisodeStatus, Facility, Handover, QuarantineRule

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


def facility_list(*, user: Any) -> list[Facility]:
    """Facilities in scope with ``occupancy`` (open episodes) beside their capacity."""
    qs = visible_facilities(user).select_related("unit", "operator")
    qs = qs.annotate(occupancy=Count("episodes", filter=Q(episodes__status=EpisodeStatus.OPEN)))
    return list(qs.order_by("name", "id"))


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


def follow_today(*, user: Any, today: date | None = None) -> list[FollowRow]:
    """The commune's "people to follow today": open home, post-quarantine and self-isolation episodes
    in scope with no health check recorded today, or a test due today."""
    day = today or timezone.localdate()
    checked = DailyCheck.objects.filter(episode=OuterRef("pk"), date=day)
    qs = (
        visible_episodes(user)
        .filter(status=EpisodeStatus.OPEN, kind__in=COMMUNE_KINDS, start_date__lte=day)
        .select_related("person", "person__residence_unit")
        .annotate(checked_today=Exists(checked))
        .order_by("person__name_folded", "id")
    )
    rows: list[FollowRow] = []
    for episode in qs[:2000]:
        due = day.isoformat() in (episode.test_dates or [])
        checked_today = bool(episode.checked_today)
        if not checked_today or due:
            rows.append(FollowRow(episode=episode, checked_today=checked_today, test_due_today=due))
    return rows


@dataclass(frozen=True)
class HandoverRow:
    handover: Handover
    overdue: bool


def visible_handovers(user: Any) -> QuerySet[Handover]:
    scope = scope_for(user)
    qs: QuerySet[Handover] = scope.filter(Handover.objects.all(), unit_field="to_unit", org_field=None)
    return qs


def handovers_pending(*, user: Any, now: datetime | None = None) -> list[HandoverRow]:
    """Hand-overs to communes in scope awaiting acknowledgement, oldest first, with the overdue flag."""
    moment = now or timezone.now()
    qs = (
        visible_handovers(user)
        .filter(acknowledged_at__isnull=True)
        .select_related("episode__person", "from_facility", "to_unit")
        .order_by("sent_at", "id")
    )
    return [HandoverRow(handover=h, overdue=h.is_overdue(moment)) for h in qs[:MAX_PAGE_SIZE]]


def handover_get_for_write(*, user: Any, uid: str | uuid.UUID) -> Handover:
    handover = visible_handovers(user).select_related("from_facility", "to_unit").filter(uid=_key(uid)).first()
    if handover is None:
        raise Http404
    return handover


def rule_list() -> list[QuarantineRule]:
    return list(QuarantineRule.objects.order_by("effective_from", "applies_to", "id"))
