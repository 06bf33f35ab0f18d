"""Reads of enforcement: the cap for a place and day, gatherings per commune and week, inspections and what was
not inspected in a period, violations (scoped) and the published ones (public).

Gatherings and violations are scoped by their commune; an inspection is visible to the users of the
inspecting unit and of the unit inspected.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from django.core.exceptions import ValidationError
from django.db.models import Q, QuerySet
from django.http import Http404
from django.utils import timezone

from phongdich.core.audit import audit
from phongdich.core.models import AuditAction
from phongdich.core.pagination import Page
from phongdich.geo.models import Level, Unit
from phongdich.levels.selectors import current_level
from phongdich.orgs.scope import scope_for
from phongdich.zones.control_selectors import measure_set_for_level, zones_in_force

from .models import CapRule, FollowUp, Gathering, Inspection, InspectionPlan, Regulation, Violation
from .rules import CapDecision, CapRow, SourcedRules, resolve_cap


def commune_of(unit: Unit) -> Unit:
    """The commune of a hamlet (a commune is its own); other levels are refused by the callers."""
    if unit.level == Level.HAMLET and unit.parent_id is not None:
        return Unit.objects.get(pk=unit.parent_id)
    return unit


def week_start(day: date) -> date:
    return day - timedelta(days=day.weekday())


# --- Caps (G1) -----------------------------------------------------------------------------------------


def cap_rows(on: date) -> list[CapRow]:
    qs = CapRule.objects.filter(effective_from__lte=on).filter(Q(effective_to__isnull=True) | Q(effective_to__gte=on))
    return [CapRow(r.kind, r.cap, r.effective_from, r.effective_to, r.source, r.uncertain) for r in qs]


def zone_rules_over(unit: Unit, *, on: date) -> list[SourcedRules]:
    """The measure rules of the control zones in force on ``on`` whose units contain ``unit``."""
    found = []
    for zone in zones_in_force(on=on).select_related("measure_set").prefetch_related("units"):
        if any(u.tree == unit.tree and unit.path.startswith(u.path) for u in zone.units.all()):
            found.append(SourcedRules(zone.measure_set.rules(), f"{zone.name} ({zone.measure_set.name})"))
    return found


def level_rules_for(unit: Unit, *, on: date) -> SourcedRules | None:
    level = current_level(unit, on=on)
    if level is None:
        return None
    measure_set = measure_set_for_level(level, on=on)
    if measure_set is None:
        return None
    return SourcedRules(measure_set.rules(), measure_set.name)


def cap_for(*, unit: Unit, kind: str, on: date, indoors: bool = True) -> CapDecision:
    """The cap on a gathering of ``kind`` at ``unit`` on ``on`` (``rules.resolve_cap`` on the data in force)."""
    return resolve_cap(
        kind=kind,
        on=on,
        indoors=indoors,
        zones=zone_rules_over(unit, on=on),
        level=level_rules_for(unit, on=on),
        fallback=cap_rows(on),
    )


# --- Gatherings ---------------------------------------------------------------------------------------


@dataclass(frozen=True)
class GatheringFilters:
    commune: Unit | None = None
    week: date | None = None  # any day of the week
    status: str = ""


def gathering_queryset(*, user: Any, filters: GatheringFilters | None = None) -> QuerySet[Gathering]:
    f = filters or GatheringFilters()
    qs = scope_for(user).filter(Gathering.objects.all(), unit_field="unit")
    if f.commune is not None:
        qs = qs.filter(commune=f.commune)
    if f.week is not None:
        start = week_start(f.week)
        qs = qs.filter(event_date__gte=start, event_date__lte=start + timedelta(days=6))
    if f.status:
        qs = qs.filter(status=f.status)
    return qs.select_related("unit", "commune").order_by("-event_date", "-id")


def gathering_get(*, user: Any, uid: str | uuid.UUID) -> Gathering:
    try:
        return gathering_queryset(user=user).select_related("decided_by", "created_by", "organiser").get(uid=uid)
    except (Gathering.DoesNotExist, ValueError, TypeError, ValidationError):
        raise Http404 from None


def visible_communes(user: Any) -> QuerySet[Unit]:
    return scope_for(user).units(Unit.objects.filter(level=Level.COMMUNE)).order_by("path")


def visible_places(user: Any) -> QuerySet[Unit]:
    """Communes and hamlets where the user may register a gathering or a violation."""
    return scope_for(user).units(Unit.objects.filter(level__in=[Level.COMMUNE, Level.HAMLET])).order_by("path")


# --- Inspections (G2) ------------------------------------------------------------------------------------


def _inspection_scope_q(user: Any, prefix: str = "") -> Q:
    scope = scope_for(user)
    if scope.everything:
        return Q()
    units = scope.units().values("pk")
    return Q(**{f"{prefix}inspector_unit__in": units}) | Q(**{f"{prefix}target_unit__in": units})


def inspection_queryset(*, user: Any, inspector: Unit | None = None) -> QuerySet[Inspection]:
    qs = Inspection.objects.filter(_inspection_scope_q(user))
    if inspector is not None:
        qs = qs.filter(inspector_unit=inspector)
    return qs.select_related("inspector_unit", "target_unit", "household_head", "plan").order_by("-inspected_on", "-id")


def inspection_get(*, user: Any, uid: str | uuid.UUID) -> Inspection:
    try:
        inspection = inspection_queryset(user=user).get(uid=uid)
    except (Inspection.DoesNotExist, ValueError, TypeError, ValidationError):
        raise Http404 from None
    if inspection.household_head_id is not None:
        audit(
            actor=user,
            action=AuditAction.READ,
            obj=inspection,
            summary="Xem biên bản kiểm tra hộ gia đình",
            detail={"person": str(inspection.household_head.uid) if inspection.household_head else ""},
        )
    return inspection


def plan_queryset(*, user: Any) -> QuerySet[InspectionPlan]:
    scope = scope_for(user)
    qs = InspectionPlan.objects.all()
    if not scope.everything:
        units = scope.units().values("pk")
        qs = qs.filter(Q(inspector_unit__in=units) | Q(targets__in=units)).distinct()
    return qs.select_related("inspector_unit").prefetch_related("targets").order_by("-start_date", "-id")


def plan_get(*, user: Any, uid: str | uuid.UUID) -> InspectionPlan:
    try:
        return plan_queryset(user=user).get(uid=uid)
    except (InspectionPlan.DoesNotExist, ValueError, TypeError, ValidationError):
        raise Http404 from None


def inspectable_units(user: Any) -> QuerySet[Unit]:
    """Units in the user's scope that inspect others (province, district, commune, hamlet)."""
    return scope_for(user).units(Unit.objects.all()).order_by("level", "path")


def month_bounds(day: date) -> tuple[date, date]:
    start = day.replace(day=1)
    end = (start + timedelta(days=32)).replace(day=1) - timedelta(days=1)
    return start, end


def not_inspected(*, inspector: Unit, start: date, end: date) -> list[Unit]:
    """The units right below ``inspector`` with no inspection by it between ``start`` and ``end`` (households
    are not units: a hamlet's list is empty)."""
    done = Inspection.objects.filter(
        inspector_unit=inspector, inspected_on__gte=start, inspected_on__lte=end, household_head__isnull=True
    ).filter(household_address="")
    return list(Unit.objects.filter(parent=inspector).exclude(pk__in=done.values("target_unit")).order_by("name"))


def open_follow_ups(*, user: Any, overdue_on: date | None = None) -> QuerySet[FollowUp]:
    qs = FollowUp.objects.filter(closed_on__isnull=True).filter(
        inspection__in=Inspection.objects.filter(_inspection_scope_q(user)).values("pk")
    )
    if overdue_on is not None:
        qs = qs.filter(deadline__lt=overdue_on)
    return qs.select_related("inspection__inspector_unit", "inspection__target_unit").order_by("deadline", "id")


# --- Violations (G3, G5) ------------------------------------------------------------------------------


def regulation_list() -> QuerySet[Regulation]:
    return Regulation.objects.filter(is_active=True).order_by("document", "code")


def violation_queryset(*, user: Any, kind: str = "", published: str = "") -> QuerySet[Violation]:
    qs = scope_for(user).filter(Violation.objects.all(), unit_field="unit")
    if kind:
        qs = qs.filter(kind=kind)
    if published == "yes":
        qs = qs.filter(published=True)
    elif published == "no":
        qs = qs.filter(published=False)
    return qs.select_related("commune", "unit", "regulation", "organisation").order_by("-occurred_on", "-id")


def violation_get(*, user: Any, uid: str | uuid.UUID) -> Violation:
    try:
        violation = (
            violation_queryset(user=user)
            .select_related("person", "gathering", "created_by", "trip__traveller")
            .get(uid=uid)
        )
    except (Violation.DoesNotExist, ValueError, TypeError, ValidationError):
        raise Http404 from None
    if violation.person_id is not None:
        audit(
            actor=user,
            action=AuditAction.READ,
            obj=violation,
            summary="Xem hồ sơ vi phạm của một người",
            detail={"person": str(violation.person.uid) if violation.person else ""},
        )
    return violation


@dataclass(frozen=True)
class PublicViolation:
    """What the public page may show: no identity number, phone or address beyond the commune; a person's
    name only when the decision says so."""

    uid: uuid.UUID
    occurred_on: date
    commune: str
    district: str
    offender: str
    offender_kind: str
    kind: str
    regulation: str
    sanction: str
    fine_amount: int | None
    head_disciplined: str
    decision_number: str
    decision_date: date | None


def _public(v: Violation, anonymous: str) -> PublicViolation:
    from .models import OffenderKind

    named = v.offender_kind == OffenderKind.ORGANISATION or v.name_published
    district = v.commune.parent.name if v.commune.parent is not None else ""
    return PublicViolation(
        uid=v.uid,
        occurred_on=v.occurred_on,
        commune=v.commune.name,
        district=district,
        offender=v.offender_name if named else anonymous,
        offender_kind=v.get_offender_kind_display(),
        kind=v.get_kind_display(),
        regulation=str(v.regulation) if v.regulation is not None else "",
        sanction=v.get_sanction_display(),
        fine_amount=v.fine_amount,
        head_disciplined=v.head_disciplined if named else "",
        decision_number=v.decision_number,
        decision_date=v.decision_date,
    )


def published_violations(*, after: int | None = None, limit: int = 50) -> tuple[list[PublicViolation], int | None]:
    """One page of the published violations, newest publication first (keyset on id)."""
    from django.utils.translation import gettext as _

    qs = Violation.objects.filter(published=True).select_related("commune__parent", "regulation").order_by("-id")
    if after is not None:
        qs = qs.filter(id__lt=after)
    rows = list(qs[: limit + 1])
    next_after = rows[limit - 1].pk if len(rows) > limit else None
    anonymous = _("Cá nhân (không công bố tên)")
    return [_public(v, anonymous) for v in rows[:limit]], next_after


def today() -> date:
    return timezone.localdate()


# --- Keyset pages -------------------------------------------------------------------------------------


def date_page(qs: QuerySet[Any], *, field: str, after: str | None = None, limit: int = 50) -> Page:
    """One page of ``qs`` newest first by (``field``, id) without counting: ``after`` is ``YYYY-MM-DD.id`` of the
    last row of the previous page (a malformed one starts from the top)."""
    qs = qs.order_by(f"-{field}", "-id")
    if after:
        day_text, _sep, id_text = after.partition(".")
        try:
            day, last_id = date.fromisoformat(day_text), int(id_text)
        except ValueError:
            day, last_id = None, None
        if day is not None:
            qs = qs.filter(Q(**{f"{field}__lt": day}) | Q(**{field: day, "id__lt": last_id}))
    rows = list(qs[: limit + 1])
    next_after = None
    if len(rows) > limit:
        last = rows[limit - 1]
        next_after = f"{getattr(last, field).isoformat()}.{last.pk}"
    return Page(rows[:limit], next_after)
