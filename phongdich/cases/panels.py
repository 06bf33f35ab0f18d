"""The "Ca bệnh" section of a person's page (C1)."""

from __future__ import annotations

from typing import Any

from django.urls import reverse
from django.utils.translation import gettext as _

from phongdich.people.models import Person
from phongdich.people.panels import Panel, PanelAction, PanelRow

from .models import Case

SHOWN = 5


def cases_panel(person: Person, user: Any) -> Panel:
    cases = list(Case.objects.filter(person=person).order_by("-created_at", "-id")[:SHOWN])
    rows = [
        PanelRow(
            text=case.case_code,
            url=reverse("cases:detail", args=[case.uid]),
            badge=str(case.get_status_display()),
            badge_class="red" if case.is_open else "",
            note=_("xác định %(day)s") % {"day": f"{case.confirmation_date:%d/%m/%Y}"}
            if case.confirmation_date
            else "",
        )
        for case in cases
    ]
    actions = []
    if not any(case.is_open for case in cases):
        actions.append(PanelAction(_("Ghi nhận ca bệnh"), f"{reverse('cases:register')}?person={person.uid}"))
    return Panel(key="cases", title=_("Ca bệnh"), rows=rows, empty=_("Không có ca bệnh."), actions=actions)
