"""The "Vùng cách ly, phong tỏa, giãn cách" section of a person's page: the zones the person is inside
today, with the measure set that applies (Z1). Registered from ``ZonesConfig.ready``."""

from __future__ import annotations

from typing import Any

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from phongdich.people.models import Person
from phongdich.people.panels import Panel, PanelRow

from .control_selectors import person_zones


def control_zones_panel(person: Person, user: Any) -> Panel:
    zones = person_zones(person=person, on=timezone.localdate())
    rows = [
        PanelRow(
            text=zone.name,
            url=reverse("zones:control_detail", args=[zone.uid]),
            badge=zone.get_zone_kind_display(),
            badge_class="red" if zone.zone_kind == "lockdown" else "orange",
            note=zone.measure_set.name,
        )
        for zone in zones
    ]
    return Panel(
        key="control_zones",
        title=_("Vùng cách ly, phong tỏa, giãn cách"),
        rows=rows,
        empty=_("Không ở trong vùng nào hôm nay."),
    )
