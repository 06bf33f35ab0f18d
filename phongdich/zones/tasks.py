"""Background re-evaluation of an epidemic area's flags (queued after the area's change commits)."""

from __future__ import annotations

from celery import shared_task


@shared_task(name="zones.refresh_area_flags")
def refresh_area_flags(area_id: int) -> dict[str, int]:
    from .models import EpidemicArea
    from .services import flags_refresh_for_area

    area = EpidemicArea.objects.filter(pk=area_id).first()
    if area is None:
        return {"created": 0, "reopened": 0, "cleared": 0}
    result = flags_refresh_for_area(area=area)
    return {"created": result.created, "reopened": result.reopened, "cleared": result.cleared}
