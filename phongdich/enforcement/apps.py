from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class EnforcementConfig(AppConfig):
    name = "phongdich.enforcement"
    label = "enforcement"
    verbose_name = _("Kiểm tra, xử lý vi phạm")
