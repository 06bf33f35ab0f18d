"""Reads of the hotlines app: the public hotline directory, teams with who is on duty now, and tips scoped
to the user's jurisdiction by their responsible unit (out of scope is 404); a tip's detail is an audited read."""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from django.db.models import Prefetch, Q, QuerySet
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from phongdich.core.audit import audit
from phongdich.core.models import AuditAction
from phongdich.geo.models import Level, Unit
from phongdich.orgs.scope import scope_for

from .models import DutyShift, Hotline, RapidResponseTeam, Tip, TipEvent, TipStatus

TIP_FILTERS = ("status", "kind", "channel", "unit", "q")


@dataclass
class Page:
    items: list[Any]
    next_after: int | None


@dataclass
class DirectoryGroup:
    unit: Unit
    hotlines: list[Hotline] = field(default_factory=list)


def public_directory() -> list[DirectoryGroup]:
    """Public, active hotlines grouped by unit (the province first, then each district in order)."""
    groups: dict[int, DirectoryGroup] = {}
    qs = Hotline.objects.filter(is_public=True, is_active=True).select_related("unit").order_by("unit__path", "name")
    for hotline in qs:
        groups.setdefault(hotline.unit_id, DirectoryGroup(unit=hotline.unit)).hotlines.append(hotline)
    return list(groups.values())


def _on_duty(moment: datetime) -> Prefetch[Any]:
    return Prefetch("shifts", queryset=DutyShift.objects.at(moment).order_by("start"), to_attr="on_duty")


def hotlines_with_duty(*, user: Any, moment: datetime | None = None) -> list[Hotline]:
    """Every active hotline (the directory is public knowledge) with ``on_duty``: the shifts running now."""
    moment = moment or timezone.now()
    qs = Hotline.objects.filter(is_active=True).select_related("unit").prefetch_related(_on_duty(moment))
    return list(qs.order_by("unit__path", "name"))


def visible_teams(user: Any) -> QuerySet[RapidResponseTeam]:
    """Teams of the units in the user's scope, and of the units above them (a commune sees its district's team)."""
    scope = scope_for(user)
    if scope.everything:
        return RapidResponseTeam.objects.all()
    own = scope.filter(RapidResponseTeam.objects.all(), unit_field="unit")
    above = Q(pk__in=[])
    for tree, path in scope.unit_paths:
        codes = [code for code in path.strip("/").split("/") if code]
        above |= Q(unit__tree=tree, unit__code__in=codes, unit__level__lte=Level.DISTRICT)
    return (own | RapidResponseTeam.objects.filter(above)).distinct()


def teams_with_duty(*, user: Any, moment: datetime | None = None) -> list[RapidResponseTeam]:
    """Active teams the user may see, with members and ``on_duty`` (the shifts running at ``moment``)."""
    moment = moment or timezone.now()
    qs = (
        visible_teams(user)
        .filter(is_active=True)
        .select_related("unit")
        .prefetch_related("members", _on_duty(moment))
        .order_by("unit__path", "name")
    )
    return list(qs)


def team_get(*, user: Any, uid: str | uuid.UUID) -> RapidResponseTeam:
    try:
        return visible_teams(user).select_related("unit").get(uid=uid)
    except (RapidResponseTeam.DoesNotExist, ValueError, TypeError):
        raise Http404 from None


def upcoming_shifts(team: RapidResponseTeam, *, moment: datetime | None = None, limit: int = 20) -> list[DutyShift]:
    moment = moment or timezone.now()
    return list(team.shifts.filter(end__gt=moment).order_by("start")[:limit])


# --- tips ---------------------------------------------------------------------------------------


def _visible_tips(user: Any) -> QuerySet[Tip]:
    """Tips whose responsible unit lies in the user's scope, and the tips assigned to the user."""
    scoped = scope_for(user).filter(Tip.objects.all(), unit_field="routed_unit")
    if user is None or not getattr(user, "is_authenticated", False):
        return scoped
    return Tip.objects.filter(Q(pk__in=scoped.values("pk")) | Q(assignee_id=user.pk))


def tip_queryset(
    *,
    user: Any,
    status: str = "",
    kind: str = "",
    channel: str = "",
    unit: Unit | None = None,
    q: str = "",
) -> QuerySet[Tip]:
    """Tips whose responsible unit lies in the user's scope (or assigned to the user), newest first;
    ``status="open"`` for not closed; ``unit``: tips in that unit's subtree (by the place's commune)."""
    qs = _visible_tips(user)
    if status == "open":
        qs = qs.exclude(status=TipStatus.CLOSED)
    elif status in TipStatus.values:
        qs = qs.filter(status=status)
    if kind:
        qs = qs.filter(kind=kind)
    if channel:
        qs = qs.filter(channel=channel)
    if unit is not None:
        qs = qs.filter(commune__tree=unit.tree, commune__path__startswith=unit.path)
    if q.strip():
        qs = qs.filter(code=q.strip().upper())
    return qs.select_related("commune", "routed_unit", "assignee").order_by("-id")


def tip_page(*, user: Any, after: int | str | None = None, limit: int = 50, **filters: Any) -> Page:
    qs = tip_queryset(user=user, **filters)
    if after not in (None, ""):
        try:
            qs = qs.filter(id__lt=int(str(after)))
        except ValueError:
            raise Http404 from None
    limit = max(1, min(int(limit), 200))
    rows = list(qs[: limit + 1])
    return Page(items=rows[:limit], next_after=rows[limit - 1].pk if len(rows) > limit else None)


def tip_get_for_write(*, user: Any, uid: str | uuid.UUID) -> Tip:
    """A tip in scope (no audit line: the write that follows is audited); out of scope: 404."""
    qs = _visible_tips(user)
    try:
        return qs.select_related("commune", "hamlet", "routed_unit", "assignee", "received_by").get(uid=uid)
    except (Tip.DoesNotExist, ValueError, TypeError):
        raise Http404 from None


def tip_get(*, user: Any, uid: str | uuid.UUID) -> Tip:
    """A tip in scope with the reporter's details: an audited read. Out of scope: 404."""
    tip = tip_get_for_write(user=user, uid=uid)
    audit(
        actor=user,
        action=AuditAction.READ,
        obj=tip,
        summary=_("Xem tin báo %(code)s") % {"code": tip.code},
    )
    return tip


def tip_events(tip: Tip) -> list[TipEvent]:
    return list(tip.events.select_related("actor").order_by("at", "id"))


def tip_by_code(code: str) -> Tip | None:
    """The tip a reporter follows by its code (the public status page shows no personal data)."""
    code = "".join(ch for ch in (code or "").upper() if ch.isalnum())
    if not code:
        return None
    return Tip.objects.filter(code=code).select_related("routed_unit").first()
