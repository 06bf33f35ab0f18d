from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class HotlinesConfig(AppConfig):
    name = "phongdich.hotlines"
    label = "hotlines"
    verbose_name = _("Đường dây nóng, tin báo")
