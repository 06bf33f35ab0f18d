from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DeclarationsConfig(AppConfig):
    name = "phongdich.declarations"
    label = "declarations"
    verbose_name = _("Khai báo y tế")

    def ready(self) -> None:
        from phongdich.people.panels import register_panel

        from .panels import declarations_panel

        register_panel("declarations", declarations_panel, order=50)
