"""The tracing section of a person's page (registered in ``apps.py``): level, who exposed them, their contacts."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from phongdich.cases.models import Case
from phongdich.people.models import Person
from phongdich.people.panels import Panel, PanelAction, PanelRow

from .selectors import person_tracing

BADGES = {0: "red", 1: "orange", 2: "yellow"}


def tracing_panel(person: Person, user: Any) -> Panel | None:
    record = person_tracing(user=user, person=person, limit=5)
    has_case = Case.objects.filter(person=person).exists()
    if record.level is None and not record.sources and not record.contacts and not has_case:
        return None
    rows: list[PanelRow] = []
    level = record.level
    if level is not None:
        note = ""
        if level.index_case is not None and level.level:
            note = _("ca nguồn %(code)s") % {"code": level.index_case.case_code}
        if level.exposed_from:
            note = f"{note} · {_('từ %(day)s') % {'day': f'{level.exposed_from:%d/%m/%Y}'}}".strip(" ·")
        status = _("đang/đã cách ly") if record.in_quarantine else _("chưa cách ly")
        text = _("Cấp tiếp xúc") if level.level else _("Ca bệnh")
        rows.append(
            PanelRow(
                text=f"{text} — {status}" if level.level == 1 else text,
                badge=level.label,
                badge_class=BADGES.get(level.level, "") if level.level is not None else "",
                note=note,
                url=reverse("tracing:chain", args=[record.chain.uid]) if record.chain else "",
            )
        )
    for c in record.sources:
        rows.append(
            PanelRow(
                text=_("Tiếp xúc với %(name)s") % {"name": c.source.full_name},
                note=f"{c.get_exposure_type_display()}, {c.first_exposure:%d/%m/%Y}–{c.last_exposure:%d/%m/%Y}",
            )
        )
    for c in record.contacts:
        row = getattr(c.contact, "tracing_level", None)
        rows.append(
            PanelRow(
                text=_("Người tiếp xúc: %(name)s") % {"name": c.contact.full_name},
                badge=row.label if row is not None else "",
                note=f"{c.get_exposure_type_display()}, {c.first_exposure:%d/%m/%Y}–{c.last_exposure:%d/%m/%Y}",
            )
        )
    actions = [
        PanelAction(
            gettext_lazy("Ghi nhận người tiếp xúc"), reverse("tracing:contact-create-person", args=[person.uid])
        )
    ]
    return Panel(
        key="tracing",
        title=gettext_lazy("Truy vết tiếp xúc"),
        rows=rows,
        actions=actions,
        more_url=f"{reverse('tracing:contacts')}?{urlencode({'person': str(person.uid)})}",
    )
