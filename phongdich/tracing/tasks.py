"""Background rebuild of levels and chains (queued after a contact, a case or an episode commits)."""

from __future__ import annotations

from celery import shared_task
from django.db import IntegrityError

ATTEMPTS = 3


@shared_task(name="tracing.refresh_people")
def refresh_people(person_ids: list[int]) -> dict[str, int]:
    """Re-derive the chains of these people. Two workers rebuilding the same chain at once may collide
    on its unique rows; the later one then simply runs again over what the first one stored."""
    from .services import tracing_refresh

    for attempt in range(ATTEMPTS):
        try:
            result = tracing_refresh(person_ids=person_ids)
            break
        except IntegrityError:
            if attempt == ATTEMPTS - 1:
                raise
    return {
        "chains": result.chains,
        "levels_changed": result.levels_changed,
        "chains_built": result.chains_built,
        "chains_removed": result.chains_removed,
    }
