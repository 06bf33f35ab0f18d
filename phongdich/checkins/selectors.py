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


_places: dict[str, tuple[float, PosterPlace]] = {}
_places_lock = threading.Lock()
MAX_PLACES = 50_000


def places_ttl() -> float:
    return float(getattr(settings, "CHECKIN_CODE_CACHE_SECONDS", 60))


def poster_place(token: str) -> PosterPlace | None:
    """The active code printed with ``token``, from a per-process cache of ``CHECKIN_CODE_CACHE_SECONDS``.

    Only active codes of premises in use are cached. The cache never decides whether a check-in
    is accepted: ``services.poster_checkin_insert`` reads the code's ``revoked_at`` and the
    premises' ``is_active`` in the insert itself, so a code revoked by any process (or straight
    in the database) is refused at once; the cache only saves the lookup of the ids and of the
    names shown to the phone (a renamed premises shows its old name for at most the TTL).
    """
    if not token or len(token) > 64:
        return None
    now = time.monotonic()
    entry = _places.get(token)
    if entry is not None and entry[0] > now:
        return entry[1]
    code = code_by_token(token)
    if code is None or not code.is_active or not code.premises.is_active:
        forget_place(token)
        return None
    place = PosterPlace(code.pk, code.premises_id, code.premises.name, code.premises.organisation.name)
    with _places_lock:
        if len(_places) >= MAX_PLACES:
            _places.clear()
        _places[token] = (now + places_ttl(), place)
    return place


def forget_place(token: str) -> None:
    """Drop ``token`` from this process's cache (on revocation, and when a check-in through it fails)."""
    with _places_lock:
        _places.pop(token, None)


def forget_places() -> None:
    with _places_lock:
        _places.clear()
