from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class HealthpassConfig(AppConfig):
    name = "phongdich.healthpass"
    label = "healthpass"
    verbose_name = _("Mã QR sức khỏe")

    def ready(self) -> None:
        from phongdich.people.panels import register_panel

        from .panels import pass_panel

        register_panel("healthpass", pass_panel, order=60)
