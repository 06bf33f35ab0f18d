from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ZonesConfig(AppConfig):
    name = "phongdich.zones"
    label = "zones"
    verbose_name = _("Vùng dịch")

    def ready(self) -> None:
        from phongdich.people.panels import register_panel

        from .control_panels import control_zones_panel
        from .panels import exposures_panel

        register_panel("exposures", exposures_panel, order=30)
        register_panel("control_zones", control_zones_panel, order=31)
