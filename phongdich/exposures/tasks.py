"""Background exposure matching: a case's candidates refreshed after the case is confirmed (C4)."""

from __future__ import annotations

from celery import shared_task
from django.db import IntegrityError

ATTEMPTS = 3


@shared_task(name="exposures.refresh_case")
def refresh_case(case_id: int) -> dict[str, int]:
    """Refresh the candidates of one case. Two runs for the same case at once may collide on the
    unique (case, person, premises); the later one then runs again over what the first stored."""
    from phongdich.cases.models import Case

    from .services import exposures_refresh

    case = Case.objects.filter(pk=case_id).first()
    if case is None:
        return {"created": 0, "updated": 0, "removed": 0}
    for attempt in range(ATTEMPTS):
        try:
            result = exposures_refresh(actor=None, case=case)
            break
        except IntegrityError:
            if attempt == ATTEMPTS - 1:
                raise
    return {"created": result.created, "updated": result.updated, "removed": result.removed}
