from typing import Any

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ExposuresConfig(AppConfig):
    name = "phongdich.exposures"
    label = "exposures"
    verbose_name = _("Đối chiếu quét mã QR")

    def ready(self) -> None:
        from django.db.models.signals import post_save

        from phongdich.cases.models import Case

        post_save.connect(_case_saved, sender=Case, dispatch_uid="exposures_case_saved")


def _case_saved(sender: Any, instance: Any, raw: bool = False, **kwargs: Any) -> None:
    """A confirmed case (newly, or its dates or isolation changed): match its check-ins in the background."""
    if raw:
        return
    from phongdich.cases.models import CONFIRMED_STATUSES

    if instance.status in CONFIRMED_STATUSES:
        from .services import exposures_queue_refresh

        exposures_queue_refresh(case=instance)
