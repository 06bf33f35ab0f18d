"""Writes to organisations, premises, roles and follow assignments."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from phongdich.core.audit import audit
from phongdich.core.errors import ValidationFailed
from phongdich.core.models import AuditAction, User
from phongdich.geo.models import Unit

from .models import ORGANISATION_ROLES, Organisation, OrganisationKind, Role, RoleAssignment, Sector
from .scope import forget_scope


@transaction.atomic
def organisation_create(
    *,
    name: str,
    kind: OrganisationKind | str,
    unit: Unit,
    parent: Organisation | None = None,
    short_name: str = "",
    sector: Sector | str = "",
    address: str = "",
    phone: str = "",
    email: str = "",
    tax_code: str = "",
    actor: User | None = None,
) -> Organisation:
    name = " ".join(name.split())
    if not name:
        raise ValidationFailed(_("Tên cơ quan không được để trống."), field="name")
    org = Organisation.objects.create(
        name=name,
        kind=str(kind),
        unit=unit,
        parent=parent,
        short_name=short_name,
        sector=str(sector),
        address=address,
        phone=phone,
        email=email,
        tax_code=tax_code,
    )
    org.path = f"{parent.path if parent else '/'}{org.pk}/"
    org.save(update_fields=["path"])
    audit(actor=actor, action=AuditAction.CREATE, obj=org, summary=org.name)
    return org


@transaction.atomic
def role_assign(
    *,
    user: User,
    role: Role | str,
    unit: Unit | None = None,
    organisation: Organisation | None = None,
    actor: User | None = None,
    **dates: Any,
) -> RoleAssignment:
    """Give ``user`` a role over a unit or an organisation (exactly one of them)."""
    role = Role(role)
    if (unit is None) == (organisation is None):
        raise ValidationFailed(_("Vai trò phải gắn với đúng một địa bàn hoặc một cơ quan."))
    if role in ORGANISATION_ROLES and organisation is None:
        raise ValidationFailed(_("Vai trò này phải gắn với một cơ quan, đơn vị."), field="organisation")
    ra, _created = RoleAssignment.objects.get_or_create(
        user=user, role=role, unit=unit, organisation=organisation, defaults=dates
    )
    audit(
        actor=actor,
        action=AuditAction.CREATE,
        obj=ra,
        summary=f"{user.username}: {role.label} — {unit or organisation}",
    )
    forget_scope(user)
    return ra
