from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class TestingConfig(AppConfig):
    name = "phongdich.testing"
    label = "testing"
    verbose_name = _("Xét nghiệm")
