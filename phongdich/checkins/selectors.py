"""Reads for QR check-in: check-ins by premises or person in a window, codes, the person's phone."""

from __future__ import annotations

import threading
import time
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.conf import settings
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


# --- The scan page's hot path: a poster's token → its code and premises, cached in-process -------


@dataclass(frozen=True)
class PosterPlace:
    """What a check-in needs of a poster's code: ids for the insert, names for the answer."""

    code_id: int
    premises_id: int
    premises_name: str
    organisation_name: str


@dataclass
class _Snapshot:
    places: dict[str, PosterPlace]
    expires: float


_snapshot = _Snapshot(places={}, expires=0.0)
_places_lock = threading.Lock()


def places_ttl() -> float:
    return float(getattr(settings, "CHECKIN_CODE_CACHE_SECONDS", 60))


def _active_places(token: str | None = None) -> dict[str, PosterPlace]:
    """Active codes of premises in use (all, or the one printed with ``token``): one query, no models."""
    rows = PremisesCode.objects.filter(revoked_at__isnull=True, premises__is_active=True)
    if token is not None:
        rows = rows.filter(token=token)
    return {
        row[0]: PosterPlace(*row[1:])
        for row in rows.order_by().values_list(
            "token", "id", "premises_id", "premises__name", "premises__organisation__name"
        )
    }


def poster_place(token: str) -> PosterPlace | None:
    """The active code printed with ``token``, from this process's snapshot of every active code.

    The snapshot — one query over the active codes, a few tens of milliseconds for a province's
    8,000 premises — is taken again after ``CHECKIN_CODE_CACHE_SECONDS``; a token it does not
    hold (a code issued since) is looked up alone and added. The snapshot never decides whether a
    check-in is accepted: ``services.poster_checkin_insert`` reads the code's ``revoked_at``, the
    premises' ``is_active`` and the phone in the insert itself, so a code revoked by any process
    (or straight in the database) is refused at once. It only saves the lookup of the ids and of
    the names shown to the phone (a renamed premises shows its old name for at most the TTL).
    """
    global _snapshot
    if not token or len(token) > 64:
        return None
    now = time.monotonic()
    snapshot = _snapshot
    if snapshot.expires <= now:
        snapshot = _Snapshot(places=_active_places(), expires=now + places_ttl())
        with _places_lock:
            _snapshot = snapshot
    place = snapshot.places.get(token)
    if place is None:
        place = _active_places(token).get(token)
        if place is not None:
            with _places_lock:
                snapshot.places[token] = place
    return place


def forget_place(token: str) -> None:
    """Drop ``token`` from this process's snapshot (on revocation, and when a check-in through it fails)."""
    with _places_lock:
        _snapshot.places.pop(token, None)


def forget_places() -> None:
    """Drop the whole snapshot: the next check-in takes a new one."""
    global _snapshot
    with _places_lock:
        _snapshot = _Snapshot(places={}, expires=0.0)
