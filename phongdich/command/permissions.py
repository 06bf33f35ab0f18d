"""Who may do what in the command app. Seeing follows ``orgs.scope``; these predicates decide writing.

* Directives and their tasks are recorded by the province's command: superusers and holders of the
  province-administrator, steering-committee or standing-committee role.
* An agency's response plans and its progress reports are recorded by its head (``organisation_head`` of
  it or of an organisation above it) or by an officer above it in the territory: a province administrator,
  steering-committee member, district or commune officer whose unit holds the organisation.
"""

from __future__ import annotations

from typing import Any

from phongdich.orgs.models import Organisation, Role, RoleAssignment
from phongdich.orgs.permissions import is_head_of
from phongdich.orgs.scope import scope_for

COMMAND_ROLES = frozenset({Role.PROVINCE_ADMIN, Role.STEERING_COMMITTEE, Role.STANDING_COMMITTEE})
TERRITORY_ROLES = frozenset({Role.PROVINCE_ADMIN, Role.STEERING_COMMITTEE, Role.DISTRICT_OFFICER, Role.COMMUNE_OFFICER})


def _authenticated(user: Any) -> bool:
    return user is not None and getattr(user, "is_authenticated", False) and user.is_active


def is_command(user: Any) -> bool:
    """Records directives and tasks; sees the Standing Committee overview."""
    if not _authenticated(user):
        return False
    return bool(user.is_superuser or COMMAND_ROLES & scope_for(user).roles)


def can_act_for(user: Any, organisation: Organisation) -> bool:
    """Records the organisation's response plans and progress reports."""
    if not _authenticated(user):
        return False
    if user.is_superuser:
        return True
    if is_head_of(user, organisation):
        return True
    unit = organisation.unit
    for tree, path in (
        RoleAssignment.objects.active()
        .filter(user=user, role__in=TERRITORY_ROLES, unit__isnull=False)
        .values_list("unit__tree", "unit__path")
    ):
        if unit.tree == tree and unit.path.startswith(path):
            return True
    return False
