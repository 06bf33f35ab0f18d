from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class WelfareConfig(AppConfig):
    name = "phongdich.welfare"
    label = "welfare"
    verbose_name = _("Bầu cử, hỗ trợ, nguồn lực")
