"""The "Tiêm chủng" section of a person's page: their doses and priority groups (V1)."""

from __future__ import annotations

from typing import Any

from django.urls import reverse
from django.utils.translation import gettext as _

from phongdich.people.models import Person
from phongdich.people.panels import Panel, PanelAction, PanelRow

from .models import AdverseEvent, PriorityAssignment
from .selectors import person_doses
from .services import can_record


def vaccination_panel(person: Person, user: Any) -> Panel:
    rows = []
    doses = person_doses(person=person)
    with_events = set(AdverseEvent.objects.filter(dose__in=doses).values_list("dose_id", flat=True))
    for dose in doses:
        rows.append(
            PanelRow(
                text=_("Mũi %(n)s — %(product)s") % {"n": dose.dose_number, "product": dose.product.name},
                url=reverse("vaccination:dose", args=[dose.uid]),
                badge=str(dose.get_kind_display()) if not dose.completes_series else _("Đủ mũi cơ bản"),
                badge_class="green" if dose.completes_series else "",
                note=f"{dose.given_on:%d/%m/%Y}"
                + (" · " + _("có phản ứng sau tiêm") if dose.pk in with_events else ""),
            )
        )
    for assignment in PriorityAssignment.objects.filter(person=person).select_related("group", "priority_list"):
        rows.append(
            PanelRow(
                text=_("Nhóm ưu tiên %(code)s — %(name)s")
                % {"code": assignment.group.code, "name": assignment.group.name},
                note=assignment.priority_list.name,
            )
        )
    actions = []
    if can_record(user):
        actions.append(PanelAction(_("Ghi mũi tiêm"), reverse("vaccination:person-dose", args=[person.uid])))
        actions.append(PanelAction(_("Xếp nhóm ưu tiên"), reverse("vaccination:person-priority", args=[person.uid])))
    return Panel(
        key="vaccination",
        title=_("Tiêm chủng"),
        rows=rows,
        empty=_("Chưa có mũi tiêm nào được ghi nhận."),
        actions=actions,
        more_url=f"{reverse('vaccination:doses')}?person={person.uid}" if doses else "",
    )
