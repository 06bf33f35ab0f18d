from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CommandConfig(AppConfig):
    name = "phongdich.command"
    label = "command"
    verbose_name = _("Chỉ đạo, điều hành")
