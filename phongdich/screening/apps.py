from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ScreeningConfig(AppConfig):
    name = "phongdich.screening"
    label = "screening"
    verbose_name = _("Xét nghiệm sàng lọc ngẫu nhiên")

    def ready(self) -> None:
        from phongdich.people.panels import register_panel

        from .panels import screening_panel

        register_panel("screening", screening_panel, order=45)
