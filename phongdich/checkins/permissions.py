"""Who may issue and revoke premises codes (M1).

The organisation's own head (or the head of an organisation above it), and the officials over
the unit where the organisation sits: province administrators, steering-committee members,
district and commune officers whose unit contains it.
"""

from __future__ import annotations

from typing import Any

from phongdich.orgs.models import Organisation, Role, RoleAssignment
from phongdich.orgs.permissions import is_head_of

CODE_OFFICIAL_ROLES = frozenset(
    {Role.PROVINCE_ADMIN, Role.STEERING_COMMITTEE, Role.DISTRICT_OFFICER, Role.COMMUNE_OFFICER}
)

_ATTR = "_phongdich_code_official_paths"


def _official_paths(user: Any) -> tuple[tuple[str, str], ...]:
    cached = getattr(user, _ATTR, None)
    if cached is None:
        cached = tuple(
            RoleAssignment.objects.active()
            .filter(user=user, role__in=CODE_OFFICIAL_ROLES, unit__isnull=False)
            .values_list("unit__tree", "unit__path")
        )
        setattr(user, _ATTR, cached)
    return cached


def is_code_official(user: Any) -> bool:
    """Holds at least one role that manages codes over a unit."""
    if not _authenticated(user):
        return False
    return bool(user.is_superuser or _official_paths(user))


def _authenticated(user: Any) -> bool:
    return user is not None and getattr(user, "is_authenticated", False) and user.is_active


def can_manage_codes(user: Any, organisation: Organisation) -> bool:
    if not _authenticated(user):
        return False
    if user.is_superuser:
        return True
    unit = organisation.unit
    if any(unit.tree == tree and unit.path.startswith(path) for tree, path in _official_paths(user)):
        return True
    return is_head_of(user, organisation)
