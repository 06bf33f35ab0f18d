from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DemoConfig(AppConfig):
    """The demo data command and the synthetic-population generator (no models)."""

    name = "phongdich.demo"
    label = "demo"
    verbose_name = _("Dữ liệu mẫu")
