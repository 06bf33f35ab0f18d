from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OrgsConfig(AppConfig):
    name = "phongdich.orgs"
    label = "orgs"
    verbose_name = _("Cơ quan, đơn vị")

    def ready(self) -> None:
        from phongdich.core.access import register_audit_reader_check
        from phongdich.geo import access as geo_access

        from .permissions import is_province_admin
        from .scope import scope_for

        # The lower apps cannot ask about roles themselves: orgs answers for them.
        register_audit_reader_check(is_province_admin)
        geo_access.register(scope=scope_for, is_province_admin=is_province_admin)
