from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class VaccinationConfig(AppConfig):
    name = "phongdich.vaccination"
    label = "vaccination"
    verbose_name = _("Tiêm chủng")

    def ready(self) -> None:
        from phongdich.people.panels import register_panel

        from .panels import vaccination_panel

        register_panel("vaccination", vaccination_panel, order=30)
