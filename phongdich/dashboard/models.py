"""Map outlines of units, imported from a GeoJSON file (``manage.py load_boundaries``)."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from phongdich.core.models import BaseModel
from phongdich.geo.models import Unit


class UnitBoundary(BaseModel):
    """A unit's outline as simplified rings of (longitude, latitude) pairs: enough to draw a map in SVG."""

    unit = models.OneToOneField(Unit, on_delete=models.CASCADE, related_name="boundary", verbose_name=_("đơn vị"))
    rings = models.JSONField(_("đường bao"), help_text=_("Danh sách vòng, mỗi vòng là danh sách [kinh độ, vĩ độ]"))
    source = models.CharField(_("tệp nguồn"), max_length=255, blank=True)

    class Meta:
        verbose_name = _("đường bao đơn vị hành chính")
        verbose_name_plural = _("đường bao đơn vị hành chính")

    def __str__(self) -> str:
        return str(self.unit)
