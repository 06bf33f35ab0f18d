from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CasesConfig(AppConfig):
    name = "phongdich.cases"
    label = "cases"
    verbose_name = _("Ca bệnh")

    def ready(self) -> None:
        from phongdich.people.panels import register_panel

        from .panels import cases_panel

        register_panel("cases", cases_panel, order=10)
