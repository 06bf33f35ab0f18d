"""Background rebuild of levels and chains (queued after a contact, a case or an episode commits)."""

from __future__ import annotations

from celery import shared_task


@shared_task(name="tracing.refresh_people")
def refresh_people(person_ids: list[int]) -> dict[str, int]:
    from .services import tracing_refresh

    result = tracing_refresh(person_ids=person_ids)
    return {
        "chains": result.chains,
        "levels_changed": result.levels_changed,
        "chains_built": result.chains_built,
        "chains_removed": result.chains_removed,
    }
