"""The "Cách ly" section of a person's page: their quarantine episodes (Q1–Q3)."""

from __future__ import annotations

from typing import Any

from django.urls import reverse
from django.utils.translation import gettext as _

from phongdich.people.models import Person
from phongdich.people.panels import Panel, PanelAction, PanelRow

from .models import Episode, EpisodeStatus

SHOWN = 5


def quarantine_panel(person: Person, user: Any) -> Panel:
    episodes = list(
        Episode.objects.filter(person=person).select_related("facility").order_by("-start_date", "-id")[:SHOWN]
    )
    rows = [
        PanelRow(
            text=str(episode.get_kind_display()),
            url=reverse("quarantine:episode", args=[episode.uid]),
            badge=str(episode.get_status_display()),
            badge_class="orange" if episode.status == EpisodeStatus.OPEN else "",
            note=" · ".join(
                part
                for part in (
                    f"{episode.start_date:%d/%m/%Y}–{(episode.released_on or episode.planned_end):%d/%m/%Y}",
                    episode.facility.name if episode.facility else "",
                )
                if part
            ),
        )
        for episode in episodes
    ]
    actions = []
    if not any(episode.status == EpisodeStatus.OPEN for episode in episodes):
        actions.append(PanelAction(_("Bắt đầu cách ly"), f"{reverse('quarantine:start')}?person={person.uid}"))
    return Panel(key="quarantine", title=_("Cách ly"), rows=rows, empty=_("Chưa có đợt cách ly."), actions=actions)
