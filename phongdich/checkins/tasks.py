"""Background jobs of the check-in app (Celery beat runs the purge every night)."""

from __future__ import annotations

from celery import shared_task

from .services import checkins_purge


@shared_task(name="phongdich.checkins.tasks.purge_checkins")
def purge_checkins() -> int:
    """Delete check-ins older than CHECKIN_RETENTION_DAYS; returns how many."""
    return checkins_purge()
