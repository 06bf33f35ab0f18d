"""Write one audit line. Call it inside the transaction of the write it records."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.models import AnonymousUser
from django.db import models

from .middleware import current_request_context
from .models import AuditAction, AuditLog, User


def audit(
    *,
    actor: User | AnonymousUser | None,
    action: AuditAction | str,
    obj: models.Model | None = None,
    object_type: str = "",
    object_uid: str = "",
    summary: str = "",
    detail: dict[str, Any] | None = None,
    actor_username: str = "",
) -> AuditLog:
    """Append one line to the audit log, with the request's address when there is one.

    ``actor_username`` names the actor when there is no user object (a failed login).
    """
    if obj is not None:
        object_type = object_type or obj._meta.label_lower
        object_uid = object_uid or str(getattr(obj, "uid", None) or obj.pk)
    ctx = current_request_context()
    user = actor if isinstance(actor, User) else None
    return AuditLog.objects.create(
        actor=user,
        actor_username=(user.username if user else actor_username)[:150],
        action=str(action),
        object_type=object_type[:60],
        object_uid=object_uid[:64],
        summary=summary[:255],
        detail=detail or {},
        ip=ctx.ip if ctx else None,
        user_agent=ctx.user_agent if ctx else "",
        path=ctx.path if ctx else "",
    )
