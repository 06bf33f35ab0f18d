"""Reads for the stock ledger (E6), scoped (D4): a holder is visible when its unit or its organisation is.

A district officer sees the stock and the low-stock warnings of the district and of its communes; an
organisation head those of their organisation.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from typing import Any

from django.db.models import F, IntegerField, OuterRef, Q, QuerySet, Subquery, Sum, Value
from django.db.models.functions import Coalesce
from django.http import Http404

from phongdich.core.pagination import Page
from phongdich.geo.models import Level, Unit
from phongdich.orgs.models import Organisation
from phongdich.orgs.scope import scope_for

from .models import Holder, Movement, SupplyItem, Threshold

PAGE_SIZE = 50
MAX_PAGE_SIZE = 200


def _key(uid: str | uuid.UUID) -> uuid.UUID:
    try:
        return uid if isinstance(uid, uuid.UUID) else uuid.UUID(str(uid))
    except ValueError as exc:
        raise Http404 from exc


def visible_holders(user: Any) -> QuerySet[Holder]:
    scope = scope_for(user)
    if scope.everything:
        return Holder.objects.all()
    if scope.is_empty:
        return Holder.objects.none()
    return Holder.objects.filter(
        Q(unit__in=scope.units().values("pk")) | Q(organisation__in=scope.organisations().values("pk"))
    )


def holder_units(user: Any) -> QuerySet[Unit]:
    """Units in scope that may hold stock (province, district, commune), by level and name."""
    return scope_for(user).units().filter(level__lte=Level.COMMUNE).order_by("level", "name", "id")


def holder_organisations(user: Any) -> QuerySet[Organisation]:
    return scope_for(user).organisations().filter(is_active=True).order_by("name", "id")


@dataclass
class HolderRef:
    """The page's subject: a unit or an organisation, with its holder row when it has stock history."""

    unit: Unit | None
    organisation: Organisation | None
    holder: Holder | None

    @property
    def name(self) -> str:
        return self.unit.name if self.unit is not None else (self.organisation.name if self.organisation else "")

    @property
    def kind(self) -> str:
        return "u" if self.unit is not None else "o"

    @property
    def uid(self) -> uuid.UUID:
        target = self.unit if self.unit is not None else self.organisation
        assert target is not None
        return target.uid


def holder_ref(*, user: Any, kind: str, uid: str | uuid.UUID) -> HolderRef:
    """The unit (``kind="u"``) or organisation (``"o"``) ``uid`` in the user's scope, or 404."""
    key = _key(uid)
    scope = scope_for(user)
    if kind == "u":
        unit = scope.units().filter(uid=key).first()
        if unit is None:
            raise Http404
        return HolderRef(unit=unit, organisation=None, holder=Holder.objects.filter(unit=unit).first())
    if kind == "o":
        org = scope.organisations().filter(uid=key).first()
        if org is None:
            raise Http404
        return HolderRef(unit=None, organisation=org, holder=Holder.objects.filter(organisation=org).first())
    raise Http404


@dataclass
class StockRow:
    item: SupplyItem
    remaining: int
    minimum: int | None

    @property
    def low(self) -> bool:
        return self.minimum is not None and self.remaining < self.minimum


def stock_rows(holder: Holder | None, *, all_items: bool = False) -> list[StockRow]:
    """The holder's stock per item (items with any movement or a threshold; every active item if asked)."""
    if holder is None:
        totals: dict[int, int] = {}
        minimums: dict[int, int] = {}
    else:
        totals = {
            row["item"]: int(row["total"] or 0)
            for row in Movement.objects.filter(holder=holder).values("item").annotate(total=Sum("quantity"))
        }
        minimums = dict(Threshold.objects.filter(holder=holder).values_list("item", "minimum"))
    items = SupplyItem.objects.all() if all_items else SupplyItem.objects.filter(pk__in={*totals, *minimums})
    if all_items:
        items = items.filter(Q(is_active=True) | Q(pk__in={*totals, *minimums}))
    return [StockRow(item=i, remaining=totals.get(i.pk, 0), minimum=minimums.get(i.pk)) for i in items]


def movement_page(
    *, holder: Holder | None, item: SupplyItem | None = None, after: str | None = None, limit: int = PAGE_SIZE
) -> Page:
    """The holder's ledger, newest first (by id), keyset-paged."""
    if holder is None:
        return Page(items=[], next_after=None)
    qs = Movement.objects.filter(holder=holder).select_related(
        "item", "other_holder__unit", "other_holder__organisation", "actor"
    )
    if item is not None:
        qs = qs.filter(item=item)
    if after:
        try:
            pk = Movement.objects.filter(uid=uuid.UUID(str(after))).values_list("pk", flat=True).first()
        except ValueError:
            pk = None
        qs = qs.none() if pk is None else qs.filter(pk__lt=pk)
    limit = max(1, min(int(limit), MAX_PAGE_SIZE))
    rows = list(qs.order_by("-id")[: limit + 1])
    more = len(rows) > limit
    rows = rows[:limit]
    return Page(items=rows, next_after=str(rows[-1].uid) if more and rows else None)


def low_stock(*, user: Any, limit: int = 1000) -> list[Threshold]:
    """Thresholds in scope whose item's remaining stock is below the minimum, lowest share first.

    Each row carries ``remaining``.
    """
    remaining = (
        Movement.objects.filter(holder=OuterRef("holder"), item=OuterRef("item"))
        .order_by()
        .values("holder")
        .annotate(total=Sum("quantity"))
        .values("total")
    )
    qs = (
        Threshold.objects.filter(holder__in=visible_holders(user).values("pk"))
        .annotate(remaining=Coalesce(Subquery(remaining, output_field=IntegerField()), Value(0)))
        .filter(remaining__lt=F("minimum"))
        .select_related("holder__unit", "holder__organisation", "item")
        .order_by("holder__unit__path", "holder__organisation__name", "item__name", "id")
    )
    return list(qs[:limit])


def item_list() -> list[SupplyItem]:
    return list(SupplyItem.objects.order_by("category", "name"))


def item_by_code(code: str) -> SupplyItem | None:
    return SupplyItem.objects.filter(code=code).first()
