"""Writes to organisations, premises, roles and follow assignments.

Each function is one transaction with its audit line. When ``actor`` is given, the
function checks that the actor may make the change (``permissions.py``); commands and
the demo pass no actor.
"""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.db.models import Value
from django.db.models.functions import Concat, Substr
from django.utils.translation import gettext as _

from phongdich.core.audit import audit
from phongdich.core.errors import NotInScope, ValidationFailed
from phongdich.core.models import AuditAction, User
from phongdich.geo.models import Unit

from . import permissions
from .models import (
    ORGANISATION_ROLES,
    FollowAssignment,
    Organisation,
    OrganisationKind,
    Premises,
    Role,
    RoleAssignment,
    Sector,
)
from .scope import forget_scope, scope_for

ORGANISATION_FIELDS = (
    "name",
    "short_name",
    "kind",
    "sector",
    "unit",
    "parent",
    "address",
    "phone",
    "email",
    "tax_code",
    "is_active",
)
PREMISES_FIELDS = ("name", "kind", "unit", "address", "is_active")


def _not_allowed() -> NotInScope:
    return NotInScope(_("Bạn không có quyền thực hiện thao tác này trong phạm vi được giao."))


def _clean_name(name: str, field: str = "name") -> str:
    name = " ".join((name or "").split())
    if not name:
        raise ValidationFailed(_("Tên không được để trống."), field=field)
    return name


def _audit_value(value: Any) -> Any:
    if isinstance(value, Unit):
        return value.code
    if isinstance(value, Organisation):
        return str(value.uid)
    if value is None or isinstance(value, bool | int | str):
        return value
    return str(value)


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
    if actor is not None:
        if not permissions.can_manage_organisations_in(actor, unit):
            raise _not_allowed()
        if parent is not None and not scope_for(actor).contains_organisation(parent):
            raise ValidationFailed(_("Cơ quan cấp trên nằm ngoài phạm vi bạn quản lý."), field="parent")
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
def organisation_update(*, organisation: Organisation, actor: User | None = None, **changes: Any) -> Organisation:
    """Change an organisation's fields; a new parent moves its whole subtree."""
    unknown = set(changes) - set(ORGANISATION_FIELDS)
    if unknown:
        raise ValueError(f"Unknown organisation fields: {sorted(unknown)}")
    org = Organisation.objects.select_for_update().get(pk=organisation.pk)
    if actor is not None and not permissions.can_edit_organisation(actor, org):
        raise _not_allowed()
    if "name" in changes:
        changes["name"] = _clean_name(changes["name"])
    new_unit = changes.get("unit", org.unit)
    if actor is not None and new_unit != org.unit and not permissions.can_manage_organisations_in(actor, new_unit):
        raise ValidationFailed(_("Địa bàn mới nằm ngoài phạm vi bạn quản lý."), field="unit")
    new_parent = changes.get("parent", org.parent)
    if new_parent is not None and new_parent.path.startswith(org.path):
        raise ValidationFailed(
            _("Không thể đặt cơ quan làm cấp trên của chính nó hoặc của cấp trên nó."), field="parent"
        )
    if (
        actor is not None
        and new_parent is not None
        and new_parent != org.parent
        and not scope_for(actor).contains_organisation(new_parent)
    ):
        raise ValidationFailed(_("Cơ quan cấp trên nằm ngoài phạm vi bạn quản lý."), field="parent")

    changed: dict[str, list[Any]] = {}
    for field, value in changes.items():
        if field in ("kind", "sector") and value is not None:
            value = str(value)
        old = getattr(org, field)
        if old != value:
            changed[field] = [_audit_value(old), _audit_value(value)]
            setattr(org, field, value)
    if not changed:
        return org
    old_path = org.path
    if "parent" in changed:
        org.path = f"{new_parent.path if new_parent else '/'}{org.pk}/"
    org.save()
    if org.path != old_path:
        Organisation.objects.filter(path__startswith=old_path).exclude(pk=org.pk).update(
            path=Concat(Value(org.path), Substr("path", len(old_path) + 1))
        )
    audit(actor=actor, action=AuditAction.UPDATE, obj=org, summary=org.name, detail={"changed": changed})
    return org


@transaction.atomic
def premises_create(
    *,
    organisation: Organisation,
    name: str,
    kind: Premises.Kind | str = Premises.Kind.OFFICE,
    unit: Unit | None = None,
    address: str = "",
    actor: User | None = None,
) -> Premises:
    """Register a place of an organisation (its office, a gate, a workshop line …)."""
    if actor is not None and not permissions.can_manage_premises(actor, organisation):
        raise _not_allowed()
    unit = unit or organisation.unit
    if unit.tree != organisation.unit.tree:
        raise ValidationFailed(_("Địa bàn của địa điểm thuộc bộ đơn vị hành chính khác."), field="unit")
    premises = Premises.objects.create(
        organisation=organisation,
        name=_clean_name(name),
        kind=str(kind),
        unit=unit,
        address=" ".join(address.split()),
    )
    audit(actor=actor, action=AuditAction.CREATE, obj=premises, summary=f"{organisation.name}: {premises.name}")
    return premises


@transaction.atomic
def premises_update(*, premises: Premises, actor: User | None = None, **changes: Any) -> Premises:
    unknown = set(changes) - set(PREMISES_FIELDS)
    if unknown:
        raise ValueError(f"Unknown premises fields: {sorted(unknown)}")
    premises = Premises.objects.select_for_update().select_related("organisation__unit").get(pk=premises.pk)
    if actor is not None and not permissions.can_manage_premises(actor, premises.organisation):
        raise _not_allowed()
    if "name" in changes:
        changes["name"] = _clean_name(changes["name"])
    if "unit" in changes and changes["unit"].tree != premises.organisation.unit.tree:
        raise ValidationFailed(_("Địa bàn của địa điểm thuộc bộ đơn vị hành chính khác."), field="unit")
    changed: dict[str, list[Any]] = {}
    for field, value in changes.items():
        old = getattr(premises, field)
        if old != value:
            changed[field] = [_audit_value(old), _audit_value(value)]
            setattr(premises, field, value)
    if changed:
        premises.save()
        audit(actor=actor, action=AuditAction.UPDATE, obj=premises, summary=premises.name, detail={"changed": changed})
    return premises


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
    if actor is not None and not permissions.can_manage_roles(actor):
        raise _not_allowed()
    role = Role(role)
    if (unit is None) == (organisation is None):
        raise ValidationFailed(_("Vai trò phải gắn với đúng một địa bàn hoặc một cơ quan."))
    if role in ORGANISATION_ROLES and organisation is None:
        raise ValidationFailed(_("Vai trò này phải gắn với một cơ quan, đơn vị."), field="organisation")
    if actor is not None:
        actor_scope = scope_for(actor)
        if unit is not None and not actor_scope.contains_unit(unit):
            raise ValidationFailed(_("Địa bàn nằm ngoài phạm vi bạn quản lý."), field="unit")
        if organisation is not None and not actor_scope.contains_organisation(organisation):
            raise ValidationFailed(_("Cơ quan nằm ngoài phạm vi bạn quản lý."), field="organisation")
    ra, _created = RoleAssignment.objects.get_or_create(
        user=user, role=role, unit=unit, organisation=organisation, defaults=dates
    )
    audit(
        actor=actor,
        action=AuditAction.CREATE,
        obj=ra,
        summary=f"{user.username}: {role.label} — {unit or organisation}",
        detail={
            "user": user.username,
            "role": str(role),
            "unit": unit.code if unit else None,
            "organisation": str(organisation.uid) if organisation else None,
        },
    )
    forget_scope(user)
    permissions.forget_permissions(user)
    return ra


@transaction.atomic
def role_revoke(*, assignment: RoleAssignment, actor: User | None = None) -> None:
    """Take a role away. The audit line keeps what was held, over what, and since when."""
    if actor is not None and not permissions.can_manage_roles(actor):
        raise _not_allowed()
    ra = RoleAssignment.objects.select_related("user", "unit", "organisation").get(pk=assignment.pk)
    if actor is not None and ra.user_id == actor.pk and ra.role == Role.PROVINCE_ADMIN and not actor.is_superuser:
        raise ValidationFailed(_("Bạn không thể tự thu hồi quyền quản trị của chính mình."))
    detail = {
        "user": ra.user.username,
        "role": ra.role,
        "unit": ra.unit.code if ra.unit else None,
        "organisation": str(ra.organisation.uid) if ra.organisation else None,
        "valid_from": ra.valid_from.isoformat() if ra.valid_from else None,
        "valid_to": ra.valid_to.isoformat() if ra.valid_to else None,
        "assigned_at": ra.created_at.isoformat(),
    }
    audit(
        actor=actor,
        action=AuditAction.DELETE,
        obj=ra,
        summary=f"{ra.user.username}: {Role(ra.role).label} — {ra.unit or ra.organisation}",
        detail=detail,
    )
    user = ra.user
    ra.delete()
    forget_scope(user)
    permissions.forget_permissions(user)


def _holds_follower_role(user: User) -> bool:
    return RoleAssignment.objects.active().filter(user=user, role__in=permissions.FOLLOWER_ROLES).exists()


@transaction.atomic
def follow_assign(
    *,
    user: User,
    unit: Unit | None = None,
    sector: Sector | str = "",
    note: str = "",
    actor: User | None = None,
) -> FollowAssignment:
    """Assign a steering or standing committee member a locality and/or a sector to follow (D5)."""
    if actor is not None and not permissions.can_manage_roles(actor):
        raise _not_allowed()
    sector = str(sector or "")
    if unit is None and not sector:
        raise ValidationFailed(_("Hãy chọn một địa bàn hoặc một lĩnh vực để theo dõi."), field="unit")
    if sector and sector not in Sector.values:
        raise ValidationFailed(_("Lĩnh vực không hợp lệ."), field="sector")
    if not _holds_follower_role(user):
        raise ValidationFailed(
            _("Chỉ thành viên Ban Chỉ đạo hoặc Ủy viên Ban Thường vụ mới được phân công theo dõi."), field="user"
        )
    if unit is not None and not scope_for(user).contains_unit(unit):
        raise ValidationFailed(_("Địa bàn nằm ngoài phạm vi phụ trách của ủy viên này."), field="unit")
    if FollowAssignment.objects.filter(user=user, unit=unit, sector=sector).exists():
        raise ValidationFailed(_("Ủy viên này đã được phân công theo dõi nội dung này."), field="unit")
    fa = FollowAssignment.objects.create(user=user, unit=unit, sector=sector, note=" ".join(note.split()))
    audit(
        actor=actor,
        action=AuditAction.CREATE,
        obj=fa,
        summary=f"{user.username} → {unit or Sector(sector).label}",
        detail={"user": user.username, "unit": unit.code if unit else None, "sector": sector},
    )
    return fa


@transaction.atomic
def follow_revoke(*, assignment: FollowAssignment, actor: User | None = None) -> None:
    if actor is not None and not permissions.can_manage_roles(actor):
        raise _not_allowed()
    fa = FollowAssignment.objects.select_related("user", "unit").get(pk=assignment.pk)
    audit(
        actor=actor,
        action=AuditAction.DELETE,
        obj=fa,
        summary=str(fa),
        detail={"user": fa.user.username, "unit": fa.unit.code if fa.unit else None, "sector": fa.sector},
    )
    fa.delete()
