from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "phongdich.core"
    label = "core"
    verbose_name = _("Lõi hệ thống")

    def ready(self) -> None:
        from . import signals  # noqa: F401  (connects the login/logout receivers)
