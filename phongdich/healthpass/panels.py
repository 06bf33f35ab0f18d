"""The "Mã QR sức khỏe" section of a person's page: print or show the person's code (M1)."""

from __future__ import annotations

from typing import Any

from django.urls import reverse
from django.utils.translation import gettext as _

from phongdich.people.models import Person
from phongdich.people.panels import Panel, PanelAction

from .tokens import valid_hours


def pass_panel(person: Person, user: Any) -> Panel:
    return Panel(
        key="healthpass",
        title=_("Mã QR sức khỏe"),
        empty=_("Mã có hiệu lực %(hours)s giờ; người dân xuất trình tại cổng cơ quan, đơn vị.")
        % {"hours": valid_hours()},
        actions=[PanelAction(_("In, hiển thị mã QR cá nhân"), reverse("healthpass:person", args=[person.uid]))],
    )
