from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class TravelConfig(AppConfig):
    name = "phongdich.travel"
    label = "travel"
    verbose_name = _("Đi lại, công tác ngoài tỉnh")

    def ready(self) -> None:
        from phongdich.people.panels import register_panel

        from .panels import trips_panel

        register_panel("travel", trips_panel, order=80)
