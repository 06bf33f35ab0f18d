"""The "Xét nghiệm" section of a person's page: their latest test orders and results (T1, T3)."""

from __future__ import annotations

from typing import Any

from django.urls import reverse
from django.utils.translation import gettext as _

from phongdich.people.models import Person
from phongdich.people.panels import Panel, PanelAction, PanelRow

from .models import OrderStatus, Outcome
from .selectors import person_orders
from .services import can_take_samples

BADGES = {Outcome.POSITIVE: "red", Outcome.NEGATIVE: "green", Outcome.INVALID: "orange"}


def testing_panel(person: Person, user: Any) -> Panel:
    rows = []
    for order in person_orders(person=person):
        if order.status == OrderStatus.RESULTED and order.outcome:
            badge, badge_class = order.get_outcome_display(), BADGES.get(Outcome(order.outcome), "")
        else:
            badge = order.get_status_display()
            badge_class = "orange" if order.is_overdue() else ""
        rows.append(
            PanelRow(
                text=f"{order.get_kind_display()} — {order.get_reason_display()}",
                url=reverse("testing:order", args=[order.uid]),
                badge=str(badge),
                badge_class=badge_class,
                note=_("hạn %(day)s") % {"day": f"{order.due_on:%d/%m/%Y}"},
            )
        )
    actions = []
    if can_take_samples(user):
        actions.append(PanelAction(_("Chỉ định xét nghiệm"), f"{reverse('testing:order-create')}?person={person.uid}"))
    return Panel(
        key="testing",
        actions=actions,
        title=_("Xét nghiệm"),
        rows=rows,
        empty=_("Chưa có chỉ định xét nghiệm."),
        more_url=f"{reverse('testing:orders')}?person={person.uid}" if rows else "",
    )
