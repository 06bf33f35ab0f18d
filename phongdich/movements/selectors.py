"""Reads of the movements app, scoped by the destination unit (D4): the movement list, a movement
(audited), the commune's "present now" list, the door-to-door list ("arrived from area X since D")
and its roll-up per commune and district. Lists are keyset pages (no COUNT)."""

from __future__ import annotations

import uuid
from collections import OrderedDict
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from django.db.models import Count, Q, QuerySet
from django.http import Http404
from django.utils import timezone

from phongdich.core.audit import audit
from phongdich.core.models import AuditAction
from phongdich.geo.models import Level, Unit
from phongdich.orgs.scope import scope_for
from phongdich.zones.models import EpidemicArea, PlaceKind

from .models import Direction, Movement

PAGE_SIZE = 50
MAX_PAGE_SIZE = 200


def visible_movements(user: Any) -> QuerySet[Movement]:
    return scope_for(user).filter(Movement.objects.all(), unit_field="unit")


def _related(qs: QuerySet[Movement]) -> QuerySet[Movement]:
    return qs.select_related("person", "unit", "commune", "place_unit", "person__residence_unit")


def movement_queryset(
    *,
    user: Any,
    direction: str = "",
    date_from: date | None = None,
    date_to: date | None = None,
    unit: Unit | None = None,
) -> QuerySet[Movement]:
    qs = visible_movements(user)
    if direction in Direction.values:
        qs = qs.filter(direction=direction)
    if date_from:
        qs = qs.filter(move_date__gte=date_from)
    if date_to:
        qs = qs.filter(move_date__lte=date_to)
    if unit is not None:
        qs = qs.filter(unit__in=Unit.objects.subtree(unit).values("pk"))
    return _related(qs).order_by("-move_date", "-id")


@dataclass(frozen=True)
class Page:
    """One keyset page: ``next_after`` is the uid of the last row when there are more (no COUNT is run)."""

    items: list[Any]
    next_after: str | None


def _after(qs: QuerySet[Movement], after: str | None) -> QuerySet[Movement]:
    """Rows after the row ``after`` (a uid) in the order (-move_date, -id)."""
    if not after:
        return qs
    try:
        key = uuid.UUID(str(after))
    except ValueError:
        return qs.none()
    row = Movement.objects.filter(uid=key).values_list("move_date", "pk").first()
    if row is None:
        return qs.none()
    day, pk = row
    return qs.filter(Q(move_date__lt=day) | Q(move_date=day, pk__lt=pk))


def _page(qs: QuerySet[Movement], *, after: str | None, limit: int) -> Page:
    limit = max(1, min(int(limit), MAX_PAGE_SIZE))
    rows = list(_after(qs, after)[: limit + 1])
    more = len(rows) > limit
    rows = rows[:limit]
    return Page(items=rows, next_after=str(rows[-1].uid) if more and rows else None)


def movement_page(*, user: Any, after: str | None = None, limit: int = PAGE_SIZE, **filters: Any) -> Page:
    return _page(movement_queryset(user=user, **filters), after=after, limit=limit)


def movement_get(*, user: Any, uid: str | uuid.UUID) -> Movement:
    """One movement in scope, or 404. An audited read of the person's record."""
    try:
        key = uid if isinstance(uid, uuid.UUID) else uuid.UUID(str(uid))
    except ValueError as exc:
        raise Http404 from exc
    movement = _related(visible_movements(user)).select_related("recorded_by", "closed_by").filter(uid=key).first()
    if movement is None:
        raise Http404
    audit(
        actor=user,
        action=AuditAction.READ,
        obj=movement,
        summary=f"{movement.person.full_name} ({movement.person.birth_year})",
        detail={"person": str(movement.person.uid)},
    )
    return movement


def present_now_queryset(*, user: Any, unit: Unit | None = None, today: date | None = None) -> QuerySet[Movement]:
    """Arrivals in scope with no departure yet (overdue expected departures included; see ``is_overdue``)."""
    today = today or timezone.localdate()
    qs = visible_movements(user).filter(direction=Direction.ARRIVAL, left_on__isnull=True, move_date__lte=today)
    if unit is not None:
        qs = qs.filter(unit__in=Unit.objects.subtree(unit).values("pk"))
    return _related(qs).order_by("-move_date", "-id")


def present_now_page(
    *, user: Any, unit: Unit | None = None, after: str | None = None, limit: int = PAGE_SIZE, today: date | None = None
) -> Page:
    return _page(present_now_queryset(user=user, unit=unit, today=today), after=after, limit=limit)


def scope_units(user: Any, *, levels: tuple[int, ...] = (Level.COMMUNE, Level.HAMLET)) -> QuerySet[Unit]:
    """Communes and hamlets (current tree) in the user's jurisdiction, for filters and forms."""
    return scope_for(user).units(Unit.objects.current_tree()).filter(level__in=levels).order_by("path")


# --- Door-to-door: "everyone who arrived from area X since D" ------------------------------------


@dataclass(frozen=True)
class Place:
    """Where people came from: a country code, or a unit (its subtree counts)."""

    kind: str
    country: str = ""
    unit: Unit | None = None

    @property
    def name(self) -> str:
        from phongdich.zones.countries import country_name

        return country_name(self.country) if self.kind == PlaceKind.COUNTRY else (self.unit.name if self.unit else "")

    @classmethod
    def of_area(cls, area: EpidemicArea) -> Place:
        return cls(kind=area.kind, country=area.country, unit=area.unit)


def _from_place_q(place: Place) -> Q:
    """Arrivals from ``place``: the same country, or a unit inside it (the area semantics of ``zones.rules``)."""
    if place.kind == PlaceKind.COUNTRY:
        return Q(place_kind=PlaceKind.COUNTRY, country=place.country)
    assert place.unit is not None
    return Q(place_kind=PlaceKind.UNIT, place_unit__tree=place.unit.tree, place_unit__path__startswith=place.unit.path)


def door_to_door_queryset(*, user: Any, place: Place, since: date, unit: Unit | None = None) -> QuerySet[Movement]:
    """Arrivals in scope from ``place`` on or after ``since``, ordered by district, commune, date."""
    qs = visible_movements(user).filter(_from_place_q(place), direction=Direction.ARRIVAL, move_date__gte=since)
    if unit is not None:
        qs = qs.filter(unit__in=Unit.objects.subtree(unit).values("pk"))
    return _related(qs).select_related("commune__parent").order_by("commune__path", "move_date", "id")


@dataclass
class CommuneCount:
    commune: Unit
    arrivals: int
    present: int


@dataclass
class DistrictRollup:
    district: Unit | None
    communes: list[CommuneCount] = field(default_factory=list)

    @property
    def arrivals(self) -> int:
        return sum(c.arrivals for c in self.communes)

    @property
    def present(self) -> int:
        return sum(c.present for c in self.communes)


def door_to_door_rollup(*, user: Any, place: Place, since: date, unit: Unit | None = None) -> list[DistrictRollup]:
    """Counts per commune (arrivals, and of them still present), grouped per district; one grouped query."""
    qs = visible_movements(user).filter(_from_place_q(place), direction=Direction.ARRIVAL, move_date__gte=since)
    if unit is not None:
        qs = qs.filter(unit__in=Unit.objects.subtree(unit).values("pk"))
    counts = list(
        qs.order_by()
        .values("commune")
        .annotate(arrivals=Count("id"), present=Count("id", filter=Q(left_on__isnull=True)))
    )
    communes = Unit.objects.select_related("parent").in_bulk([c["commune"] for c in counts])
    rows = sorted(
        (CommuneCount(communes[c["commune"]], c["arrivals"], c["present"]) for c in counts),
        key=lambda r: r.commune.path,
    )
    grouped: OrderedDict[int | None, DistrictRollup] = OrderedDict()
    for row in rows:
        district = row.commune.parent
        key = district.pk if district is not None else None
        grouped.setdefault(key, DistrictRollup(district=district)).communes.append(row)
    return list(grouped.values())


def default_since(area: EpidemicArea | None, today: date | None = None) -> date:
    """The area's start; without an area, today − the look-back window in force (``zones`` rule)."""
    from datetime import timedelta

    from phongdich.zones.services import look_back_days_on

    today = today or timezone.localdate()
    window = today - timedelta(days=look_back_days_on(today))
    if area is None:
        return window
    return area.start_date
