"""The "Khai báo y tế" section of a person's page: their latest medical declarations (M2)."""

from __future__ import annotations

from typing import Any

from django.urls import reverse
from django.utils.formats import date_format
from django.utils.timezone import localtime
from django.utils.translation import gettext as _

from phongdich.people.models import Person
from phongdich.people.panels import Panel, PanelAction, PanelRow

from .models import MedicalDeclaration

SHOWN = 3


def declarations_panel(person: Person, user: Any) -> Panel:
    declarations = list(
        MedicalDeclaration.objects.filter(person=person, superseded_at__isnull=True).order_by("-declared_at", "-id")[
            :SHOWN
        ]
    )
    rows = [
        PanelRow(
            text=date_format(localtime(declaration.declared_at), "d/m/Y H:i"),
            url=reverse("declarations:detail", args=[declaration.uid]),
            badge=_("có triệu chứng") if declaration.has_symptoms else "",
            badge_class="red",
            note=str(declaration.get_channel_display()),
        )
        for declaration in declarations
    ]
    actions = [PanelAction(_("Khai báo hộ"), reverse("declarations:create"))]
    return Panel(
        key="declarations", title=_("Khai báo y tế"), rows=rows, empty=_("Chưa khai báo y tế."), actions=actions
    )
