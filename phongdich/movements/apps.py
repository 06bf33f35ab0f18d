from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MovementsConfig(AppConfig):
    name = "phongdich.movements"
    label = "movements"
    verbose_name = _("Di biến động cư trú")
