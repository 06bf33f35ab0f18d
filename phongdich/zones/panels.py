"""The "Vùng dịch đã đến" section of a person's page: active exposure flags with their reason (M5)."""

from __future__ import annotations

from typing import Any

from django.urls import reverse
from django.utils.translation import gettext as _

from phongdich.people.models import Person
from phongdich.people.panels import Panel, PanelAction, PanelRow

from .models import ExposureFlag

SHOWN = 5


def exposures_panel(person: Person, user: Any) -> Panel:
    flags = list(
        ExposureFlag.objects.filter(person=person, cleared_at__isnull=True)
        .select_related("area", "area__unit")
        .order_by("-visit_to", "-id")[:SHOWN]
    )
    rows = [
        PanelRow(
            text=flag.area.place_name,
            url=reverse("zones:area_detail", args=[flag.area.uid]),
            badge=_("phơi nhiễm"),
            badge_class="orange",
            note=flag.reason,
        )
        for flag in flags
    ]
    actions = [PanelAction(_("Ghi nơi đã đến"), f"{reverse('zones:visit_create')}?person={person.uid}")]
    return Panel(
        key="exposures",
        title=_("Vùng dịch đã đến"),
        rows=rows,
        empty=_("Không có cờ phơi nhiễm đang hiệu lực."),
        actions=actions,
    )
