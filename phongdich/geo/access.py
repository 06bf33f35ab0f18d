"""Whose jurisdiction contains which unit — asked of ``orgs``, which registers the answer at start-up.

``geo`` sits below ``orgs`` (imports run one way), yet adding a hamlet needs the actor's scope,
which is built from role assignments that ``orgs`` owns. So ``orgs`` registers its
``scope_for`` and its province-administrator predicate here when the app is ready
(``OrgsConfig.ready``); ``geo`` asks through :func:`unit_scope` and :func:`is_province_admin`.

Until something is registered the answers fail closed: superusers see everything, nobody else
anything.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, Protocol

from django.db.models import QuerySet

from .models import Unit


class UnitScope(Protocol):
    """The part of ``orgs.scope.Scope`` that geo uses."""

    @property
    def everything(self) -> bool: ...

    def contains_unit(self, unit: Unit) -> bool: ...

    def units(self, queryset: QuerySet[Unit] | None = None) -> QuerySet[Unit]: ...


class _Everything:
    everything = True

    def contains_unit(self, unit: Unit) -> bool:
        return True

    def units(self, queryset: QuerySet[Unit] | None = None) -> QuerySet[Unit]:
        return queryset if queryset is not None else Unit.objects.all()


class _Nothing:
    everything = False

    def contains_unit(self, unit: Unit) -> bool:
        return False

    def units(self, queryset: QuerySet[Unit] | None = None) -> QuerySet[Unit]:
        return (queryset if queryset is not None else Unit.objects.all()).none()


ScopeResolver = Callable[[Any], UnitScope]
UserPredicate = Callable[[Any], bool]

_resolver: ScopeResolver | None = None
_province_admin: UserPredicate | None = None


def register(*, scope: ScopeResolver, is_province_admin: UserPredicate) -> None:
    """Called once by ``orgs`` when it starts."""
    global _resolver, _province_admin  # a start-up registry, set once
    _resolver = scope
    _province_admin = is_province_admin


def _active(user: Any) -> bool:
    return user is not None and bool(getattr(user, "is_authenticated", False)) and bool(user.is_active)


def unit_scope(user: Any) -> UnitScope:
    """The units ``user`` may act on (their jurisdiction)."""
    if not _active(user):
        return _Nothing()
    if _resolver is not None:
        return _resolver(user)
    return _Everything() if user.is_superuser else _Nothing()


def is_province_admin(user: Any) -> bool:
    """May import populations and manage the tree of the whole province."""
    if not _active(user):
        return False
    if user.is_superuser:
        return True
    return bool(_province_admin is not None and _province_admin(user))
