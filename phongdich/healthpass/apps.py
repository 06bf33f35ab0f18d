from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class HealthpassConfig(AppConfig):
    name = "phongdich.healthpass"
    label = "healthpass"
    verbose_name = _("Mã QR sức khỏe")
