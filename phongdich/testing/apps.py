from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class TestingConfig(AppConfig):
    name = "phongdich.testing"
    label = "testing"
    verbose_name = _("Xét nghiệm")

    def ready(self) -> None:
        from phongdich.people.panels import register_panel

        from .panels import testing_panel
        from .triggers import connect

        connect()
        register_panel("testing", testing_panel, order=25)
