"""Reads of the zones app. Areas are public facts; flagged people are seen only through scope (D4)."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import date
from typing import Any

from django.db.models import Count, Q, QuerySet
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from phongdich.core.audit import audit
from phongdich.core.models import AuditAction
from phongdich.geo.models import Unit
from phongdich.people.models import Person

from .models import EpidemicArea, ExposureFlag, LookBackRule

FLAG_STATUSES = ("active", "cleared", "all")


def area_list(*, user: Any, status: str = "all", on: date | None = None) -> QuerySet[EpidemicArea]:
    """Areas (``status`` active / ended / all on ``on``), each with ``flagged``: active flags of people
    in the user's scope."""
    day = on or timezone.localdate()
    visible = Person.objects.for_user(user).values("pk")
    qs = EpidemicArea.objects.select_related("unit").annotate(
        flagged=Count("flags", filter=Q(flags__cleared_at__isnull=True, flags__person__in=visible))
    )
    if status == "active":
        qs = qs.filter(Q(end_date__isnull=True) | Q(end_date__gte=day), start_date__lte=day)
    elif status == "ended":
        qs = qs.filter(end_date__lt=day)
    return qs.order_by("-start_date", "-id")


def area_get(*, uid: str | uuid.UUID) -> EpidemicArea:
    try:
        return EpidemicArea.objects.select_related("unit").get(uid=uid)
    except (EpidemicArea.DoesNotExist, ValueError, TypeError):
        raise Http404 from None


def flag_queryset(
    *, user: Any, area: EpidemicArea | None = None, commune: Unit | None = None, status: str = "active"
) -> QuerySet[ExposureFlag]:
    """Flags of people the user may see; by area, by residence commune (or any unit: its subtree), status."""
    qs = ExposureFlag.objects.filter(person__in=Person.objects.for_user(user).values("pk"))
    if area is not None:
        qs = qs.filter(area=area)
    if commune is not None:
        qs = qs.filter(person__residence_unit__in=Unit.objects.subtree(commune).values("pk"))
    if status == "active":
        qs = qs.filter(cleared_at__isnull=True)
    elif status == "cleared":
        qs = qs.filter(cleared_at__isnull=False)
    return qs.select_related("person", "person__residence_unit", "area", "area__unit").order_by("-id")


@dataclass
class FlagPage:
    items: list[ExposureFlag]
    next_after: int | None


def flag_list(
    *,
    user: Any,
    area: EpidemicArea | None = None,
    commune: Unit | None = None,
    status: str = "active",
    after: int | str | None = None,
    limit: int = 50,
) -> FlagPage:
    """One keyset page (newest first) of ``flag_queryset``; ``after`` is the last id of the page before."""
    qs = flag_queryset(user=user, area=area, commune=commune, status=status)
    if after not in (None, ""):
        try:
            qs = qs.filter(id__lt=int(str(after)))
        except ValueError:
            raise Http404 from None
    limit = max(1, min(int(limit), 200))
    rows = list(qs[: limit + 1])
    next_after = rows[limit - 1].pk if len(rows) > limit else None
    return FlagPage(items=rows[:limit], next_after=next_after)


def person_exposures(*, user: Any, uid: str | uuid.UUID) -> tuple[Person, list[ExposureFlag]]:
    """A person's exposure flags (active first): 404 outside the user's scope; an audited read."""
    try:
        person = Person.objects.for_user(user).get(uid=uid)
    except (Person.DoesNotExist, ValueError, TypeError):
        raise Http404 from None
    flags = list(
        ExposureFlag.objects.filter(person=person)
        .select_related("area", "area__unit", "person", "person__residence_unit")
        .order_by("cleared_at", "-flagged_at")
    )
    audit(
        actor=user,
        action=AuditAction.READ,
        obj=person,
        summary=_("Xem cờ phơi nhiễm của %(name)s") % {"name": person.full_name},
        detail={"flags": len(flags)},
    )
    return person, flags


def lookback_rules() -> QuerySet[LookBackRule]:
    return LookBackRule.objects.order_by("-effective_from", "-id")
