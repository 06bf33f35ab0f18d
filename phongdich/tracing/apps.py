from typing import Any

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class TracingConfig(AppConfig):
    name = "phongdich.tracing"
    label = "tracing"
    verbose_name = _("Truy vết, ổ dịch")

    def ready(self) -> None:
        from django.db.models.signals import post_save

        from phongdich.cases.models import Case
        from phongdich.people.panels import register_panel
        from phongdich.quarantine.models import Episode

        from .panels import tracing_panel

        post_save.connect(_person_changed, sender=Case, dispatch_uid="tracing_case_saved")
        post_save.connect(_person_changed, sender=Episode, dispatch_uid="tracing_episode_saved")
        register_panel("tracing", tracing_panel, order=40)


def _person_changed(sender: Any, instance: Any, raw: bool = False, **kwargs: Any) -> None:
    """A case (registered, moved on, dates or isolation changed) or an episode: re-derive its chain.

    Only people already in a chain matter; the check runs in the background task.
    """
    if raw:
        return
    from .models import Contact
    from .services import tracing_queue_refresh

    person_id = instance.person_id
    if Contact.objects.filter(source_id=person_id).exists() or Contact.objects.filter(contact_id=person_id).exists():
        tracing_queue_refresh(person_ids=[person_id])
