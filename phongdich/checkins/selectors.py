"""Reads for QR check-in: check-ins by premises or person in a window, codes, the person's phone."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.db.models import QuerySet

from .models import CheckIn, PremisesCode


def checkins_at(premises_id: int, start: datetime, end: datetime) -> QuerySet[CheckIn]:
    """Check-ins at one premises with ``start <= at <= end`` (both ends included), by time.

    Served by the ``(premises, at)`` index. Not scoped: for services (exposure matching) that
    have already checked the user's right to the case.
    """
    return CheckIn.objects.filter(premises_id=premises_id, at__gte=start, at__lte=end).order_by("at", "id")


def checkins_of(person_id: int, start: datetime, end: datetime) -> QuerySet[CheckIn]:
    """Check-ins of one person with ``start <= at <= end``, by time (the ``(person, at)`` index)."""
    return CheckIn.objects.filter(person_id=person_id, at__gte=start, at__lte=end).order_by("at", "id")


def active_code(premises: Any) -> PremisesCode | None:
    return PremisesCode.objects.active().filter(premises=premises).first()


def code_by_token(token: str) -> PremisesCode | None:
    """The code printed with ``token`` (active or revoked), with its premises and organisation."""
    if not token or len(token) > 64:
        return None
    return PremisesCode.objects.select_related("premises__organisation", "premises__unit").filter(token=token).first()
