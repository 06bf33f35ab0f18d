"""The one scoping mechanism (D4).

``scope_for(user)`` turns a user's active role assignments into a ``Scope``: the unit
subtrees and organisation subtrees they may see. Every selector that returns people or
their records filters through ``Scope.filter`` — nothing else decides who sees what.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import reduce
from operator import or_
from typing import TYPE_CHECKING, Any, TypeVar

from django.db import models

from phongdich.geo.models import Unit

from .models import Organisation, Role, RoleAssignment

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from phongdich.core.models import User

M = TypeVar("M", bound=models.Model)

_CACHE_ATTR = "_phongdich_scope"


@dataclass(frozen=True)
class Scope:
    everything: bool = False
    unit_paths: tuple[tuple[str, str], ...] = ()  # (tree, path) of each root unit
    org_paths: tuple[str, ...] = ()
    roles: frozenset[str] = field(default_factory=frozenset)

    @property
    def is_empty(self) -> bool:
        return not (self.everything or self.unit_paths or self.org_paths)

    def unit_q(self, prefix: str = "") -> models.Q:
        """A Q over Unit fields (``prefix`` like ``"residence_unit__"``) matching the scope's units."""
        if self.everything:
            return models.Q()
        if not self.unit_paths:
            return models.Q(pk__in=[])
        return reduce(
            or_,
            (models.Q(**{f"{prefix}tree": tree, f"{prefix}path__startswith": path}) for tree, path in self.unit_paths),
        )

    def units(self, queryset: models.QuerySet[Unit] | None = None) -> models.QuerySet[Unit]:
        qs = queryset if queryset is not None else Unit.objects.all()
        return qs.filter(self.unit_q())

    def organisations(self, queryset: models.QuerySet[Organisation] | None = None) -> Any:
        qs = queryset if queryset is not None else Organisation.objects.all()
        if self.everything:
            return qs
        conditions = [models.Q(path__startswith=p) for p in self.org_paths]
        if self.unit_paths:
            conditions.append(models.Q(unit__in=self.units()))
        if not conditions:
            return qs.none()
        return qs.filter(reduce(or_, conditions))

    def filter(self, queryset: models.QuerySet[M], *, unit_field: str | None, org_field: str | None = None) -> Any:
        """Restrict ``queryset`` to rows whose unit (or organisation) lies in scope.

        Units and organisations are matched through subqueries, so the filter stays one
        SQL statement whatever the size of the subtree.
        """
        if self.everything:
            return queryset
        conditions: list[models.Q] = []
        if unit_field and self.unit_paths:
            conditions.append(models.Q(**{f"{unit_field}__in": self.units().values("pk")}))
        if org_field and self.org_paths:
            orgs = Organisation.objects.filter(reduce(or_, (models.Q(path__startswith=p) for p in self.org_paths)))
            conditions.append(models.Q(**{f"{org_field}__in": orgs.values("pk")}))
        if not conditions:
            return queryset.none()
        return queryset.filter(reduce(or_, conditions))

    def contains_unit(self, unit: Unit) -> bool:
        return self._unit_in(unit.tree, unit.path)

    def contains_organisation(self, org: Organisation) -> bool:
        if self._org_in(org.path):
            return True
        return self.contains_unit(org.unit)

    def contains_paths(self, *, org_path: str, unit_tree: str | None, unit_path: str | None) -> bool:
        """``contains_organisation`` from an organisation's path and its unit's tree and path, as
        read by ``values_list`` — for checking many rows without building their model objects."""
        return self._org_in(org_path) or (unit_path is not None and self._unit_in(unit_tree, unit_path))

    def _org_in(self, path: str) -> bool:
        return self.everything or any(path.startswith(p) for p in self.org_paths)

    def _unit_in(self, tree: str | None, path: str) -> bool:
        return self.everything or any(tree == t and path.startswith(p) for t, p in self.unit_paths)


def scope_for(user: User | AnonymousUser | None) -> Scope:
    """The user's scope, computed once per user object (i.e. once per request)."""
    if user is None or not user.is_authenticated:
        return Scope()
    cached = getattr(user, _CACHE_ATTR, None)
    if cached is not None:
        return cached
    if user.is_superuser:
        scope = Scope(everything=True, roles=frozenset(Role.values))
    else:
        unit_paths: set[tuple[str, str]] = set()
        org_paths: set[str] = set()
        roles: set[str] = set()
        for ra in RoleAssignment.objects.active().filter(user=user).select_related("unit", "organisation"):
            roles.add(ra.role)
            if ra.unit is not None:
                unit_paths.add((ra.unit.tree, ra.unit.path))
            if ra.organisation is not None:
                org_paths.add(ra.organisation.path)
        scope = Scope(
            unit_paths=_minimal(unit_paths),
            org_paths=tuple(sorted(p for p in org_paths if not any(p != q and p.startswith(q) for q in org_paths))),
            roles=frozenset(roles),
        )
    setattr(user, _CACHE_ATTR, scope)
    return scope


def _minimal(paths: set[tuple[str, str]]) -> tuple[tuple[str, str], ...]:
    """Drop paths already covered by an ancestor path."""
    return tuple(
        sorted((t, p) for t, p in paths if not any(t == t2 and p != p2 and p.startswith(p2) for t2, p2 in paths))
    )


def forget_scope(user: Any) -> None:
    """Drop the cached scope (after roles change)."""
    if hasattr(user, _CACHE_ATTR):
        delattr(user, _CACHE_ATTR)
