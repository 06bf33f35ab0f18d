"""Reads of the levels app: the level in force, the overview of a unit and its children, a unit's history.

Levels are figures about territory, not about people: a user sees the units of their jurisdiction and the
units above them (their district's and province's level concern them too).
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

from django.conf import settings
from django.db.models import QuerySet
from django.http import Http404
from django.utils import timezone

from phongdich.geo.models import Level, Unit
from phongdich.orgs.scope import scope_for

from .models import LEVEL_COLOURS, Assessment, CapacityReport, LevelDecision
from .weeks import local_start


def _decisions_in_force(unit: Unit, at: datetime) -> QuerySet[LevelDecision]:
    return LevelDecision.objects.filter(unit=unit, superseded_at__isnull=True, effective_from__lte=at).order_by(
        "-effective_from", "-published_at", "-id"
    )


def decision_in_force(unit: Unit, *, at: datetime | None = None) -> LevelDecision | None:
    return _decisions_in_force(unit, at or timezone.now()).first()


def current_level(unit: Unit, *, on: date | None = None) -> int | None:
    """The level in force for ``unit`` on the day ``on`` (today by default): the latest published decision
    (computed or the province's override) that has taken effect by the end of that day. A hamlet has its
    commune's level. None if the unit was never assessed."""
    while unit.level > Level.COMMUNE and unit.parent_id is not None:
        unit = Unit.objects.get(pk=unit.parent_id)
    at = timezone.now() if on is None else local_start(on + timedelta(days=1)) - timedelta(microseconds=1)
    return _decisions_in_force(unit, at).values_list("level", flat=True).first()


def pending_decision(unit: Unit, *, at: datetime | None = None) -> LevelDecision | None:
    """A published decision that has not taken effect yet (a raise during its 48 hours' notice)."""
    return (
        LevelDecision.objects.filter(unit=unit, superseded_at__isnull=True, effective_from__gt=at or timezone.now())
        .order_by("effective_from")
        .first()
    )


def can_view(user: Any, unit: Unit) -> bool:
    """Units in the user's scope and the units above them."""
    scope = scope_for(user)
    if scope.everything:
        return True
    return any(unit.tree == t and (unit.path.startswith(p) or p.startswith(unit.path)) for t, p in scope.unit_paths)


def unit_get(*, user: Any, uid: str | uuid.UUID) -> Unit:
    try:
        unit = Unit.objects.get(uid=uid, level__lte=Level.COMMUNE)
    except (Unit.DoesNotExist, ValueError, TypeError):
        raise Http404 from None
    if not can_view(user, unit):
        raise Http404
    return unit


def home_unit(user: Any) -> Unit | None:
    """Where the overview opens: the user's topmost unit (the province for the province's administrators)."""
    scope = scope_for(user)
    tree = getattr(settings, "ADMIN_TREE", "2021")
    if scope.everything:
        return Unit.objects.filter(tree=tree, level=Level.PROVINCE).order_by("code").first()
    paths = sorted((p for t, p in scope.unit_paths if t == tree), key=len)
    if not paths:
        return None
    unit = Unit.objects.filter(tree=tree, path=paths[0]).first()
    while unit is not None and unit.level > Level.COMMUNE and unit.parent_id:
        unit = Unit.objects.get(pk=unit.parent_id)
    return unit


@dataclass
class LevelRow:
    unit: Unit
    level: int | None
    colour: str
    decision: LevelDecision | None
    pending: LevelDecision | None
    assessment: Assessment | None

    @property
    def figures(self) -> dict[str, Any]:
        return self.assessment.indicators if self.assessment else {}


def latest_week(unit: Unit | None = None) -> date | None:
    qs = Assessment.objects.all()
    if unit is not None:
        qs = qs.filter(unit__tree=unit.tree, unit__path__startswith=unit.path)
    return qs.order_by("-week_start").values_list("week_start", flat=True).first()


def level_rows(units: list[Unit], *, week: date | None) -> list[LevelRow]:
    """For each unit: the level in force now, a pending decision, and the assessment of ``week``."""
    ids = [u.pk for u in units]
    now = timezone.now()
    in_force: dict[int, LevelDecision] = {}
    pending: dict[int, LevelDecision] = {}
    for d in LevelDecision.objects.filter(unit_id__in=ids, superseded_at__isnull=True).order_by(
        "unit_id", "effective_from", "published_at", "id"
    ):
        if d.effective_from <= now:
            in_force[d.unit_id] = d
        elif d.unit_id not in pending:
            pending[d.unit_id] = d
    assessments: dict[int, Assessment] = {}
    if week is not None:
        for a in Assessment.objects.filter(unit_id__in=ids, week_start=week).select_related("rule_set"):
            assessments[a.unit_id] = a
    rows = []
    for u in units:
        current = in_force.get(u.pk)
        level = current.level if current else None
        rows.append(
            LevelRow(
                unit=u,
                level=level,
                colour=LEVEL_COLOURS.get(level or 0, "none"),
                decision=current,
                pending=pending.get(u.pk),
                assessment=assessments.get(u.pk),
            )
        )
    return rows


def children_in_view(user: Any, unit: Unit) -> list[Unit]:
    scope = scope_for(user)
    qs = Unit.objects.filter(parent=unit, level__lte=Level.COMMUNE)
    if not scope.everything:
        qs = qs.filter(scope.unit_q() | _ancestor_q(scope, unit.tree))
    return list(qs.order_by("code"))


def _ancestor_q(scope: Any, tree: str) -> Any:
    from django.db.models import Q

    codes = {c for t, p in scope.unit_paths if t == tree for c in p.strip("/").split("/")}
    return Q(tree=tree, code__in=codes)


def unit_history(unit: Unit, *, limit: int = 104) -> tuple[list[Assessment], list[LevelDecision]]:
    assessments = list(
        Assessment.objects.filter(unit=unit).select_related("rule_set").order_by("-week_start", "-id")[:limit]
    )
    decisions = list(
        LevelDecision.objects.filter(unit=unit).select_related("published_by").order_by("-published_at", "-id")[:limit]
    )
    return assessments, decisions


def capacity_reports(*, user: Any, week: date | None = None) -> QuerySet[CapacityReport]:
    scope = scope_for(user)
    qs = CapacityReport.objects.select_related("unit").filter(scope.unit_q("unit__"))
    if week is not None:
        qs = qs.filter(week_start=week)
    return qs.order_by("-week_start", "unit__path")


def assessments_in_scope(*, user: Any, week: date | None = None, level: int | None = None) -> QuerySet[Assessment]:
    scope = scope_for(user)
    qs = Assessment.objects.select_related("unit", "rule_set").filter(scope.unit_q("unit__"))
    if week is not None:
        qs = qs.filter(week_start=week)
    if level is not None:
        qs = qs.filter(unit__level=level)
    return qs
