"""Reads of the staff registry (D2–D3), always through the user's scope.

A membership is visible to whoever sees its organisation (``orgs.scope``) or its person
(``Person.objects.for_user``); it may be changed only by whoever sees its organisation.
Staff lists are keyset pages ordered by ``(head first, folded name, id)``; the cursor is the
``uid`` of the last membership of a page.

"Who may approve for X" is ``selectors.approvers_for`` (the one rule); this module labels
each approver with their relation to X and gathers the chains of all of a person's posts.
"""

from __future__ import annotations

import enum
import uuid
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Q, QuerySet
from django.http import Http404
from django.utils import timezone

from phongdich.core.audit import audit
from phongdich.core.ids import parse_uuid
from phongdich.core.models import AuditAction
from phongdich.orgs.models import Organisation
from phongdich.orgs.scope import scope_for

from .models import Person, StaffMembership
from .selectors import approvers_for, memberships_of

PAGE_SIZE = 50
MAX_PAGE_SIZE = 200


@dataclass(frozen=True)
class StaffPage:
    items: list[StaffMembership]
    next_after: str | None


def _display(qs: QuerySet[StaffMembership]) -> QuerySet[StaffMembership]:
    return qs.select_related("person", "organisation", "manager__person", "manager__organisation")


def _current_q() -> Q:
    today = timezone.localdate()
    return Q(start_date__lte=today) & (Q(end_date__isnull=True) | Q(end_date__gte=today))


def staff_organisations(*, user: Any, organisation: Organisation | None, include_sub: bool = False) -> Any:
    """The organisations whose staff a list shows: one (and its sub-units), or all in scope."""
    scope = scope_for(user)
    if organisation is None:
        return scope.organisations()
    if not scope.contains_organisation(organisation):
        raise Http404
    if include_sub:
        return scope.organisations(Organisation.objects.subtree(organisation))
    return Organisation.objects.filter(pk=organisation.pk)


def staff_queryset(
    *, user: Any, organisation: Organisation | None = None, include_sub: bool = False, include_ended: bool = False
) -> QuerySet[StaffMembership]:
    """Every membership of a staff list (for exports), head first then by name."""
    orgs = staff_organisations(user=user, organisation=organisation, include_sub=include_sub)
    qs = StaffMembership.objects.filter(organisation__in=orgs.values("pk"))
    if not include_ended:
        qs = qs.filter(_current_q())
    return _display(qs).order_by("-is_head", "person__name_folded", "id")


def _after_q(after: str | uuid.UUID | None) -> Q:
    key = parse_uuid(after)
    row = (
        StaffMembership.objects.filter(uid=key).values_list("is_head", "person__name_folded", "id").first()
        if key
        else None
    )
    if row is None:
        return Q()
    is_head, name, pk = row
    same_name_after = Q(person__name_folded__gt=name) | Q(person__name_folded=name, id__gt=pk)
    if is_head:
        return Q(is_head=False) | (Q(is_head=True) & same_name_after)
    return Q(is_head=False) & same_name_after


def staff_list(
    *,
    user: Any,
    organisation: Organisation | None = None,
    include_sub: bool = False,
    include_ended: bool = False,
    after: str | uuid.UUID | None = None,
    limit: int = PAGE_SIZE,
) -> StaffPage:
    """One keyset page of the staff of an organisation in scope (404 outside it), or of every one in scope."""
    limit = max(1, min(int(limit), MAX_PAGE_SIZE))
    qs = staff_queryset(user=user, organisation=organisation, include_sub=include_sub, include_ended=include_ended)
    rows = list(qs.filter(_after_q(after))[: limit + 1])
    more = len(rows) > limit
    rows = rows[:limit]
    return StaffPage(items=rows, next_after=str(rows[-1].uid) if more and rows else None)


def _visible(user: Any) -> Q:
    scope = scope_for(user)
    return Q(organisation__in=scope.organisations().values("pk")) | Q(
        person__in=Person.objects.for_user(user).values("pk")
    )


def _get(qs: QuerySet[StaffMembership], uid: str | uuid.UUID) -> StaffMembership:
    key = parse_uuid(uid)
    membership = _display(qs).filter(uid=key).first() if key else None
    if membership is None:
        raise Http404
    return membership


def membership_get(*, user: Any, uid: str | uuid.UUID) -> StaffMembership:
    """One membership the user may see (its organisation or its person in scope), or 404. An audited read."""
    membership = _get(StaffMembership.objects.filter(_visible(user)), uid)
    audit(
        actor=user,
        action=AuditAction.READ,
        obj=membership,
        summary=f"{membership.person.full_name} — {membership.position} — {membership.organisation.name}"[:255],
    )
    return membership


def membership_get_for_write(*, user: Any, uid: str | uuid.UUID) -> StaffMembership:
    """One membership of an organisation in the user's scope (edit and end pages), or 404."""
    return _get(StaffMembership.objects.filter(organisation__in=scope_for(user).organisations().values("pk")), uid)


def visible_person_ids(*, user: Any, memberships: list[StaffMembership]) -> set[int]:
    """Which of these memberships' people the user may open (one query)."""
    ids = {m.person_id for m in memberships}
    if not ids:
        return set()
    return set(Person.objects.for_user(user).filter(pk__in=ids).values_list("pk", flat=True))


def current_head(*, organisation: Organisation) -> StaffMembership | None:
    return (
        _display(StaffMembership.objects.filter(_current_q(), organisation=organisation, is_head=True))
        .order_by("-start_date", "id")
        .first()
    )


def _ancestor_ids(organisation: Organisation) -> list[int]:
    return [int(part) for part in organisation.path.strip("/").split("/") if part.isdigit()] or [organisation.pk]


def manager_choices(*, organisation: Organisation, exclude: StaffMembership | None = None) -> QuerySet[StaffMembership]:
    """Who may be chosen as a direct head: current staff of the organisation and of those above it."""
    qs = StaffMembership.objects.filter(_current_q(), organisation_id__in=_ancestor_ids(organisation))
    if exclude is not None:
        qs = qs.exclude(person_id=exclude.person_id)
    return qs.select_related("person", "organisation").order_by("organisation__path", "-is_head", "person__name_folded")


# --- Who may approve -----------------------------------------------------------------------------


class Relation(enum.StrEnum):
    """How an approver stands to the membership they approve for."""

    DIRECT_HEAD = "direct_head"  # the membership's own manager
    HIGHER_LEADER = "higher_leader"  # a manager further up the chain of managers
    ORGANISATION_HEAD = "organisation_head"  # the head of the organisation or of one above it


@dataclass(frozen=True)
class Approver:
    membership: StaffMembership
    relation: Relation


def _manager_chain_ids(membership: StaffMembership) -> list[int]:
    """The ids along the ``manager`` links above ``membership``, nearest first (ended posts included)."""
    ids: list[int] = []
    next_id = membership.manager_id
    while next_id is not None and next_id not in ids and next_id != membership.pk:
        ids.append(next_id)
        next_id = StaffMembership.objects.filter(pk=next_id).values_list("manager_id", flat=True).first()
    return ids


def approver_chain(*, membership: StaffMembership) -> list[Approver]:
    """``approvers_for(membership)`` (nearest first), each labelled with its relation."""
    chain = _manager_chain_ids(membership)
    result = []
    for approver in approvers_for(membership=membership):
        if approver.pk == membership.manager_id:
            relation = Relation.DIRECT_HEAD
        elif approver.pk in chain:
            relation = Relation.HIGHER_LEADER
        else:
            relation = Relation.ORGANISATION_HEAD
        result.append(Approver(membership=approver, relation=relation))
    return result


@dataclass(frozen=True)
class PostApprovers:
    """One of a person's posts and, while it is current, who may approve for it."""

    membership: StaffMembership
    is_current: bool
    approvers: list[Approver] = field(default_factory=list)


def person_approvers(*, person: Person, current_only: bool = False) -> list[PostApprovers]:
    """For each post of ``person`` (current ones first), the ordered approvers: direct head first,
    then higher leaders and the heads up the organisation tree. The caller has checked the person's scope."""
    today = timezone.localdate()
    posts = []
    for membership in memberships_of(person=person):
        current = membership.start_date <= today and (membership.end_date is None or membership.end_date >= today)
        if current_only and not current:
            continue
        posts.append(
            PostApprovers(
                membership=membership,
                is_current=current,
                approvers=approver_chain(membership=membership) if current else [],
            )
        )
    posts.sort(key=lambda p: not p.is_current)
    return posts
