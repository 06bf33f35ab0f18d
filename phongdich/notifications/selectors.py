"""Reads: a user's own notifications (nobody sees another's), the unread count, and who should be told
about a unit or an organisation (the holders of a role there)."""

from __future__ import annotations

import uuid
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.db.models import Q, QuerySet
from django.http import Http404

from phongdich.core.models import User
from phongdich.geo.models import Unit
from phongdich.orgs.models import Organisation, RoleAssignment

from .models import Notification


@dataclass
class Page:
    items: list[Notification]
    next_after: int | None


def _user_notifications(user: Any) -> QuerySet[Notification]:
    if user is None or not getattr(user, "is_authenticated", False):
        return Notification.objects.none()
    return Notification.objects.filter(recipient_id=user.pk)


def unread_count(user: Any) -> int:
    return _user_notifications(user).filter(read_at__isnull=True).count()


def unread_list(user: Any, *, limit: int = 100) -> list[Notification]:
    """The newest unread notifications (first on the inbox page)."""
    return list(_user_notifications(user).filter(read_at__isnull=True).order_by("-id")[:limit])


def read_page(user: Any, *, after: int | str | None = None, limit: int = 50) -> Page:
    """Read notifications, newest first, keyset paged by id."""
    qs = _user_notifications(user).filter(read_at__isnull=False).order_by("-id")
    if after not in (None, ""):
        try:
            qs = qs.filter(id__lt=int(str(after)))
        except ValueError:
            raise Http404 from None
    limit = max(1, min(int(limit), 200))
    rows = list(qs[: limit + 1])
    return Page(items=rows[:limit], next_after=rows[limit - 1].pk if len(rows) > limit else None)


def notification_page(user: Any, *, after: int | str | None = None, limit: int = 50, unread: bool = False) -> Page:
    """All (or only unread) notifications of the user, newest first, keyset paged by id (for the API)."""
    qs = _user_notifications(user).order_by("-id")
    if unread:
        qs = qs.filter(read_at__isnull=True)
    if after not in (None, ""):
        try:
            qs = qs.filter(id__lt=int(str(after)))
        except ValueError:
            raise Http404 from None
    limit = max(1, min(int(limit), 200))
    rows = list(qs[: limit + 1])
    return Page(items=rows[:limit], next_after=rows[limit - 1].pk if len(rows) > limit else None)


def notification_get(*, user: Any, uid: str | uuid.UUID) -> Notification:
    """One of the user's own notifications; anyone else's is 404."""
    try:
        return _user_notifications(user).get(uid=uid)
    except (Notification.DoesNotExist, ValueError, TypeError):
        raise Http404 from None


# --- recipients -------------------------------------------------------------------------------------


def users_with_role(
    *,
    unit: Unit | None = None,
    organisation: Organisation | None = None,
    roles: Iterable[str] | None = None,
    include_ancestors: bool = False,
) -> QuerySet[User]:
    """Active users holding an active role assignment on ``unit`` (with ``include_ancestors``: or on any unit
    above it) or on ``organisation``; ``roles`` narrows the roles. Distinct, ordered by username."""
    conditions = Q()
    if unit is not None:
        units = Unit.objects.filter(pk=unit.pk)
        if include_ancestors:
            units = Unit.objects.filter(Q(pk=unit.pk) | Q(pk__in=unit.ancestors().values("pk")))
        conditions |= Q(unit__in=units)
    if organisation is not None:
        conditions |= Q(organisation=organisation)
    if unit is None and organisation is None:
        return User.objects.none()
    assignments = RoleAssignment.objects.active().filter(conditions)
    if roles is not None:
        assignments = assignments.filter(role__in=[str(r) for r in roles])
    return User.objects.filter(is_active=True, pk__in=assignments.values("user_id")).order_by("username")
