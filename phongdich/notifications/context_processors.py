"""``notifications_unread`` in every template: the signed-in user's unread count, counted only when a
template uses it."""

from __future__ import annotations

from functools import cache
from typing import Any

from django.http import HttpRequest

from .selectors import unread_count


def unread(request: HttpRequest) -> dict[str, Any]:
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"notifications_unread": 0}

    @cache
    def count() -> int:
        return unread_count(user)

    return {"notifications_unread": count}
