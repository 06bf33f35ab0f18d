from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ExposuresConfig(AppConfig):
    name = "phongdich.exposures"
    label = "exposures"
    verbose_name = _("Đối chiếu quét mã QR")
