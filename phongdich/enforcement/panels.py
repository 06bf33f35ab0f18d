"""The "Vi phạm quy định phòng, chống dịch" section of a person's page: the violations recorded against the
person that the user may see (G3). Registered from ``EnforcementConfig.ready``; hidden when there are none."""

from __future__ import annotations

from typing import Any

from django.urls import reverse
from django.utils.translation import gettext as _

from phongdich.people.models import Person
from phongdich.people.panels import Panel, PanelRow

from .selectors import violation_queryset


def violations_panel(person: Person, user: Any) -> Panel | None:
    violations = list(violation_queryset(user=user).filter(person=person)[:20])
    if not violations:
        return None
    rows = [
        PanelRow(
            text=f"{v.occurred_on:%d/%m/%Y} — {v.get_kind_display()}",
            url=reverse("enforcement:violation", args=[v.uid]),
            note=v.get_sanction_display(),
            badge=_("đã công khai") if v.published else "",
            badge_class="green" if v.published else "",
        )
        for v in violations
    ]
    return Panel(key="violations", title=_("Vi phạm quy định phòng, chống dịch"), rows=rows)
