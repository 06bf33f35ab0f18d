"""The "Đi ngoài tỉnh" section of a person's page: their latest out-of-province trips the user may see (M7)."""

from __future__ import annotations

from typing import Any

from django.urls import reverse
from django.utils.formats import date_format
from django.utils.timezone import localtime
from django.utils.translation import gettext as _

from phongdich.people.models import Person
from phongdich.people.panels import Panel, PanelRow

from .models import TripStatus
from .selectors import TripFilters, trip_queryset

SHOWN = 3
RED = (TripStatus.UNAPPROVED, TripStatus.REFUSED)


def trips_panel(person: Person, user: Any) -> Panel | None:
    trips = list(trip_queryset(user=user, filters=TripFilters()).filter(traveller=person)[:SHOWN])
    if not trips:
        return None
    rows = [
        PanelRow(
            text=f"{trip.place_name}: {date_format(localtime(trip.depart_at), 'd/m/Y H:i')}",
            url=reverse("travel:detail", args=[trip.uid]),
            badge=str(trip.get_status_display()),
            badge_class="red" if trip.status in RED else "",
            note=trip.epidemic_warning and _("vùng dịch"),
        )
        for trip in trips
    ]
    return Panel(key="travel", title=_("Đi ngoài tỉnh"), rows=rows)
