"""Who may change organisations, premises, roles and follow assignments (D4).

Seeing is decided by ``scope.py``; these predicates decide *changing*, role by role:
a user who is district officer of one district and commune officer of a commune
elsewhere manages organisations only in the district.
"""

from __future__ import annotations

from functools import reduce
from operator import or_
from typing import Any

from django.db.models import Q, QuerySet

from phongdich.geo.models import Unit

from .models import Organisation, Role, RoleAssignment
from .scope import scope_for

# Roles that may create and edit organisations within the units they hold them for.
ORGANISATION_MANAGER_ROLES = frozenset({Role.PROVINCE_ADMIN, Role.DISTRICT_OFFICER})
# Roles whose holders a follow assignment may be given to (D5).
FOLLOWER_ROLES = frozenset({Role.STEERING_COMMITTEE, Role.STANDING_COMMITTEE})

_PATHS_ATTR = "_phongdich_manager_paths"


def _authenticated(user: Any) -> bool:
    return user is not None and getattr(user, "is_authenticated", False) and user.is_active


def is_province_admin(user: Any) -> bool:
    """Superusers and holders of the province-administrator role."""
    if not _authenticated(user):
        return False
    return bool(user.is_superuser or Role.PROVINCE_ADMIN in scope_for(user).roles)


def _manager_unit_paths(user: Any) -> tuple[tuple[str, str], ...]:
    cached = getattr(user, _PATHS_ATTR, None)
    if cached is None:
        rows = (
            RoleAssignment.objects.active()
            .filter(user=user, role__in=ORGANISATION_MANAGER_ROLES, unit__isnull=False)
            .values_list("unit__tree", "unit__path")
        )
        cached = tuple(rows)
        setattr(user, _PATHS_ATTR, cached)
    return cached


def forget_permissions(user: Any) -> None:
    if hasattr(user, _PATHS_ATTR):
        delattr(user, _PATHS_ATTR)


def can_create_organisations(user: Any) -> bool:
    return _authenticated(user) and (user.is_superuser or bool(_manager_unit_paths(user)))


def can_manage_organisations_in(user: Any, unit: Unit) -> bool:
    """Province administrators and district officers, in the units they hold the role for."""
    if not _authenticated(user):
        return False
    if user.is_superuser:
        return True
    return any(unit.tree == tree and unit.path.startswith(path) for tree, path in _manager_unit_paths(user))


def manageable_units(user: Any) -> QuerySet[Unit]:
    """Units where ``user`` may place an organisation."""
    if user.is_superuser:
        return Unit.objects.all()
    paths = _manager_unit_paths(user)
    if not paths:
        return Unit.objects.none()
    return Unit.objects.filter(reduce(or_, (Q(tree=t, path__startswith=p) for t, p in paths)))


def can_edit_organisation(user: Any, organisation: Organisation) -> bool:
    return can_manage_organisations_in(user, organisation.unit)


def is_head_of(user: Any, organisation: Organisation) -> bool:
    """The user holds the organisation-head role for this organisation or one above it."""
    if not _authenticated(user):
        return False
    return (
        RoleAssignment.objects.active()
        .filter(user=user, role=Role.ORGANISATION_HEAD, organisation__in=_ancestors_and_self(organisation))
        .exists()
    )


def _ancestors_and_self(organisation: Organisation) -> list[int]:
    return [int(pk) for pk in organisation.path.strip("/").split("/") if pk] or [organisation.pk]


def can_manage_premises(user: Any, organisation: Organisation) -> bool:
    """Whoever may edit the organisation, and its own head."""
    return can_edit_organisation(user, organisation) or is_head_of(user, organisation)


def can_manage_roles(user: Any) -> bool:
    return is_province_admin(user)
