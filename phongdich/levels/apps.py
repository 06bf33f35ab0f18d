from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class LevelsConfig(AppConfig):
    name = "phongdich.levels"
    label = "levels"
    verbose_name = _("Cấp độ dịch")
