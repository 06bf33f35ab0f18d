"""The "Sàng lọc ngẫu nhiên" section of a person's page: the rounds they were drawn in and the result (T2).

Hidden for people never drawn. A round links to its page when the user sees the campaign.
"""

from __future__ import annotations

from typing import Any

from django.urls import reverse
from django.utils.translation import gettext as _

from phongdich.people.models import Person
from phongdich.people.panels import Panel, PanelRow

from .exports import outcome_label
from .models import Selection
from .selectors import outcomes_for, visible_campaigns

SHOWN = 5
BADGES = {"positive": "red", "negative": "green", "invalid": "orange"}


def screening_panel(person: Person, user: Any) -> Panel | None:
    selections = list(
        Selection.objects.filter(person=person)
        .select_related("round__campaign", "organisation")
        .order_by("-round__period_start", "-id")[:SHOWN]
    )
    if not selections:
        return None
    outcomes = outcomes_for([s.order_id for s in selections if s.order_id])
    visible = set(
        visible_campaigns(user).filter(pk__in={s.round.campaign_id for s in selections}).values_list("pk", flat=True)
    )
    rows = []
    for s in selections:
        outcome = outcomes.get(s.order_id) if s.order_id else None
        rows.append(
            PanelRow(
                text=_("%(name)s, kỳ %(number)s") % {"name": s.round.campaign.name, "number": s.round.number},
                url=reverse("screening:round", args=[s.round.uid]) if s.round.campaign_id in visible else "",
                note=f"{s.organisation.name} · {s.round.due_on:%d/%m/%Y}",
                badge=outcome_label(outcome),
                badge_class=BADGES.get(outcome or "", ""),
            )
        )
    return Panel(key="screening", title=_("Sàng lọc ngẫu nhiên"), rows=rows)
