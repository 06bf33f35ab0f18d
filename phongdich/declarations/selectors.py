"""Reads of the declarations app, always through the official's scope (D4): out of scope is 404."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from typing import Any

from django.db.models import Q, QuerySet
from django.http import Http404
from django.utils.translation import gettext as _

from phongdich.core.audit import audit
from phongdich.core.models import AuditAction
from phongdich.orgs.scope import scope_for

from .models import FollowUpTask, MedicalDeclaration


@dataclass
class Page:
    items: list[Any]
    next_after: int | None


def _keyset(qs: QuerySet[Any], after: int | str | None, limit: int) -> Page:
    if after not in (None, ""):
        try:
            qs = qs.filter(id__lt=int(str(after)))
        except ValueError:
            raise Http404 from None
    limit = max(1, min(int(limit), 200))
    rows = list(qs[: limit + 1])
    return Page(items=rows[:limit], next_after=rows[limit - 1].pk if len(rows) > limit else None)


def declaration_queryset(*, user: Any, symptoms: bool = False, epidemic: bool = False) -> QuerySet[MedicalDeclaration]:
    """Current versions of declarations whose residence commune lies in the user's scope, newest first."""
    qs = scope_for(user).filter(
        MedicalDeclaration.objects.filter(superseded_at__isnull=True), unit_field="residence_unit"
    )
    if symptoms:
        qs = qs.filter(has_symptoms=True)
    if epidemic:
        qs = qs.filter(in_epidemic_area=True)
    return qs.select_related("residence_unit", "person").order_by("-id")


def declaration_list(
    *, user: Any, symptoms: bool = False, epidemic: bool = False, after: int | str | None = None, limit: int = 50
) -> Page:
    return _keyset(declaration_queryset(user=user, symptoms=symptoms, epidemic=epidemic), after, limit)


def declaration_get(*, user: Any, uid: str | uuid.UUID) -> MedicalDeclaration:
    """One version, with its visits; an audited read. Out of the user's scope: 404."""
    qs = scope_for(user).filter(MedicalDeclaration.objects.all(), unit_field="residence_unit")
    try:
        declaration = qs.select_related("residence_unit", "person", "first", "recorded_by").get(uid=uid)
    except (MedicalDeclaration.DoesNotExist, ValueError, TypeError):
        raise Http404 from None
    audit(
        actor=user,
        action=AuditAction.READ,
        obj=declaration,
        summary=_("Xem tờ khai y tế của %(name)s") % {"name": declaration.full_name},
        detail={"person": str(declaration.person.uid)},
    )
    return declaration


def declaration_versions(declaration: MedicalDeclaration) -> list[MedicalDeclaration]:
    root = declaration.root
    return list(MedicalDeclaration.objects.filter(Q(pk=root.pk) | Q(first=root)).order_by("version"))


def task_queryset(*, user: Any, status: str = "open") -> QuerySet[FollowUpTask]:
    """The follow-up tasks of the communes in the user's scope (open, done or all), newest first."""
    qs = scope_for(user).filter(FollowUpTask.objects.all(), unit_field="commune")
    if status == "open":
        qs = qs.filter(done_at__isnull=True)
    elif status == "done":
        qs = qs.filter(done_at__isnull=False)
    return qs.select_related("commune", "person", "declaration", "done_by").order_by("-id")


def task_list(*, user: Any, status: str = "open", after: int | str | None = None, limit: int = 50) -> Page:
    return _keyset(task_queryset(user=user, status=status), after, limit)


def task_get(*, user: Any, uid: str | uuid.UUID) -> FollowUpTask:
    qs = scope_for(user).filter(FollowUpTask.objects.all(), unit_field="commune")
    try:
        return qs.select_related("commune").get(uid=uid)
    except (FollowUpTask.DoesNotExist, ValueError, TypeError):
        raise Http404 from None
