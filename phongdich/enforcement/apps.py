from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class EnforcementConfig(AppConfig):
    name = "phongdich.enforcement"
    label = "enforcement"
    verbose_name = _("Kiểm tra, xử lý vi phạm")

    def ready(self) -> None:
        from phongdich.people.panels import register_panel

        from .panels import violations_panel

        register_panel("violations", violations_panel, order=80)
