from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class QuarantineConfig(AppConfig):
    name = "phongdich.quarantine"
    label = "quarantine"
    verbose_name = _("Cách ly")

    def ready(self) -> None:
        from phongdich.people.panels import register_panel

        from .panels import quarantine_panel

        register_panel("quarantine", quarantine_panel, order=20)
