"""Reads of organisations, roles and follow assignments — always through the user's scope."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any
from uuid import UUID

from django.db.models import Count, Exists, OuterRef, Q, QuerySet
from django.http import Http404
from django.utils import timezone

from phongdich.core.models import User
from phongdich.core.text import fold
from phongdich.geo.models import Unit

from .models import FollowAssignment, Organisation, Premises, Role, RoleAssignment
from .scope import Scope, scope_for


def organisations_for(user: Any) -> QuerySet[Organisation]:
    qs: QuerySet[Organisation] = Organisation.objects.for_user(user)
    return qs


def organisation_list(
    *,
    user: Any,
    kind: str = "",
    sector: str = "",
    unit: Unit | None = None,
    q: str = "",
    active_only: bool = False,
) -> QuerySet[Organisation]:
    """Organisations in the user's scope, filtered; ``unit`` means the unit's whole subtree."""
    qs = organisations_for(user).select_related("unit", "parent")
    if kind:
        qs = qs.filter(kind=kind)
    if sector:
        qs = qs.filter(sector=sector)
    if unit is not None:
        qs = qs.filter(unit__tree=unit.tree, unit__path__startswith=unit.path)
    if q:
        folded = fold(q)
        if folded:
            qs = qs.filter(name_folded__contains=folded)
    if active_only:
        qs = qs.filter(is_active=True)
    return qs.order_by("name_folded", "id")


def organisation_get(*, user: Any, uid: UUID | str) -> Organisation:
    """One organisation in scope; anything else is 'not found'."""
    try:
        return organisations_for(user).select_related("unit", "parent").get(uid=uid)
    except (Organisation.DoesNotExist, ValueError) as exc:
        raise Http404 from exc


def premises_get(*, user: Any, uid: UUID | str) -> Premises:
    try:
        return (
            Premises.objects.filter(organisation__in=organisations_for(user))
            .select_related("organisation__unit", "unit")
            .get(uid=uid)
        )
    except (Premises.DoesNotExist, ValueError) as exc:
        raise Http404 from exc


def _current_staff(org: Organisation) -> Any:
    today = timezone.localdate()
    return org.staff.filter(Q(end_date__isnull=True) | Q(end_date__gte=today), start_date__lte=today)


@dataclass(frozen=True)
class Head:
    name: str
    position: str


def organisation_head(org: Organisation) -> Head | None:
    """The current head recorded in the staff registry (a membership with ``is_head``)."""
    m = _current_staff(org).filter(is_head=True).select_related("person").order_by("-start_date").first()
    if m is None:
        return None
    return Head(name=m.person.full_name, position=m.position)


@dataclass
class Compliance:
    """An organisation's registration at a glance, for its head (D5)."""

    head: Head | None
    premises_count: int
    staff_count: int
    children_count: int
    children_without_head: list[Organisation] = field(default_factory=list)

    @property
    def items(self) -> list[tuple[str, bool]]:
        """(check, passed) in display order: head, premises, staff, sub-units' heads."""
        return [
            ("head", self.head is not None),
            ("premises", self.premises_count > 0),
            ("staff", self.staff_count > 0),
            ("children", not self.children_without_head),
        ]

    @property
    def score(self) -> int:
        items = self.items
        return round(100 * sum(ok for _k, ok in items) / len(items))


def children_without_head(org: Organisation, *, limit: int = 50) -> list[Organisation]:
    """Sub-units (the whole subtree) that have no current head recorded."""
    today = timezone.localdate()
    head = _current_head_exists(today)
    return list(
        Organisation.objects.subtree(org)
        .exclude(pk=org.pk)
        .filter(is_active=True)
        .annotate(has_head=head)
        .filter(has_head=False)
        .select_related("unit")
        .order_by("path")[:limit]
    )


def _current_head_exists(today: Any) -> Exists:
    staff_model = Organisation._meta.get_field("staff").related_model
    return Exists(
        staff_model._default_manager.filter(
            Q(end_date__isnull=True) | Q(end_date__gte=today),
            organisation=OuterRef("pk"),
            is_head=True,
            start_date__lte=today,
        )
    )


def organisations_without_head(qs: QuerySet[Organisation]) -> QuerySet[Organisation]:
    return qs.annotate(has_head=_current_head_exists(timezone.localdate())).filter(has_head=False, is_active=True)


def organisations_without_premises(qs: QuerySet[Organisation]) -> QuerySet[Organisation]:
    return qs.annotate(
        has_premises=Exists(Premises.objects.filter(organisation=OuterRef("pk"), is_active=True))
    ).filter(has_premises=False, is_active=True)


def organisation_compliance(org: Organisation) -> Compliance:
    return Compliance(
        head=organisation_head(org),
        premises_count=org.premises.filter(is_active=True).count(),
        staff_count=_current_staff(org).count(),
        children_count=org.children.count(),
        children_without_head=children_without_head(org),
    )


def organisation_children(*, user: Any, org: Organisation) -> QuerySet[Organisation]:
    return organisations_for(user).filter(parent=org).select_related("unit").order_by("name_folded")


def visible_parent(*, user: Any, org: Organisation) -> Organisation | None:
    """The parent organisation if the user may open it (else only its name is shown)."""
    if org.parent is None:
        return None
    return org.parent if scope_for(user).contains_organisation(org.parent) else None


# --- Roles and follow assignments --------------------------------------------------------------


def roles_of(user: Any) -> QuerySet[RoleAssignment]:
    """The user's active role assignments."""
    return (
        RoleAssignment.objects.active().filter(user=user).select_related("unit", "organisation").order_by("role", "id")
    )


def role_assignment_list(*, username: str = "", role: str = "", unit: Unit | None = None) -> QuerySet[RoleAssignment]:
    qs = RoleAssignment.objects.select_related("user", "unit", "organisation")
    if username:
        qs = qs.filter(user__username__iexact=username.strip())
    if role:
        qs = qs.filter(role=role)
    if unit is not None:
        qs = qs.filter(unit__tree=unit.tree, unit__path__startswith=unit.path)
    return qs.order_by("user__username", "role", "id")


def follow_assignment_list(*, user: Any | None = None) -> QuerySet[FollowAssignment]:
    qs = FollowAssignment.objects.select_related("user", "unit")
    if user is not None:
        qs = qs.filter(user=user)
    return qs.order_by("user__username", "unit__path", "sector", "id")


@dataclass(frozen=True)
class FollowedItem:
    assignment: FollowAssignment
    unit: Unit | None
    sector: str
    sector_label: str
    organisations: int


def followed_by(user: Any) -> list[FollowedItem]:
    """What a steering/standing committee member follows, with the organisations in each (D5)."""
    items = []
    visible = organisations_for(user)
    for fa in follow_assignment_list(user=user):
        qs = visible
        if fa.unit is not None:
            qs = qs.filter(unit__tree=fa.unit.tree, unit__path__startswith=fa.unit.path)
        if fa.sector:
            qs = qs.filter(sector=fa.sector)
        items.append(
            FollowedItem(
                assignment=fa,
                unit=fa.unit,
                sector=fa.sector,
                sector_label=fa.get_sector_display() if fa.sector else "",
                organisations=qs.count(),
            )
        )
    return items


def scope_units(scope: Scope) -> QuerySet[Unit]:
    """The root units of a scope (the units the roles are held for)."""
    if scope.everything:
        return Unit.objects.filter(parent__isnull=True)
    if not scope.unit_paths:
        return Unit.objects.none()
    q = Q(pk__in=[])
    for tree, path in scope.unit_paths:
        q |= Q(tree=tree, path=path)
    return Unit.objects.filter(q).order_by("tree", "path")


def users_with_follower_roles() -> QuerySet[User]:
    return (
        User.objects.filter(
            role_assignments__role__in=[Role.STEERING_COMMITTEE, Role.STANDING_COMMITTEE], is_active=True
        )
        .distinct()
        .order_by("username")
    )


def role_counts() -> list[tuple[str, str, int]]:
    """(role, label, number of users holding it) for every role."""
    counts = dict(
        RoleAssignment.objects.active().values("role").annotate(n=Count("user", distinct=True)).values_list("role", "n")
    )
    return [(r.value, str(r.label), int(counts.get(r.value, 0))) for r in Role]
