"""Reads for control zones, the people inside them, passes and checkpoints (Z1, Z2).

"People inside" a zone on a day: for a set of units or a hamlet, the residents of those units and
everything below them (a commune includes its hamlets, through the units' materialised ``path``);
for a premises, the staff of the premises' organisation (people who work there, or hold a post there
on that day). ``people_in_zones`` and ``zone_person_ids`` answer it for every zone in force on a day,
for other apps (mobile ballot boxes for voters in lockdown, E1).
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable
from datetime import date
from functools import reduce
from operator import or_
from typing import Any

from django.core.exceptions import ValidationError
from django.db.models import Exists, OuterRef, Q, QuerySet
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from phongdich.core.audit import audit
from phongdich.core.errors import ApplicationError
from phongdich.core.models import AuditAction
from phongdich.geo.models import Unit
from phongdich.orgs.models import Organisation
from phongdich.orgs.scope import Scope, scope_for
from phongdich.people.models import Person, PersonQuerySet, StaffMembership
from phongdich.people.selectors import PersonPage, _page

from .measures import MeasureRules, strictest
from .models import Checkpoint, ControlZone, MeasureSet, PassCheck, TransportPass
from .plates import normalise_plate

ZONE_STATUSES = ("active", "ended", "all")
PASS_STATUSES = ("valid", "revoked", "all")


def _in_force(on: date, prefix: str = "") -> Q:
    return Q(**{f"{prefix}start_date__lte": on}) & (
        Q(**{f"{prefix}end_date__isnull": True}) | Q(**{f"{prefix}end_date__gte": on})
    )


def zones_in_force(*, on: date, kinds: Iterable[str] | None = None) -> QuerySet[ControlZone]:
    qs = ControlZone.objects.filter(_in_force(on))
    if kinds is not None:
        qs = qs.filter(zone_kind__in=list(kinds))
    return qs


# --- Who is inside -----------------------------------------------------------------------------


def _units_q(units: Iterable[Unit]) -> Q | None:
    conditions = [Q(tree=u.tree, path__startswith=u.path) for u in units]
    return reduce(or_, conditions) if conditions else None


def _staff_q(organisation_ids: list[int], on: date) -> Q:
    posts = StaffMembership.objects.filter(
        person=OuterRef("pk"), organisation_id__in=organisation_ids, start_date__lte=on
    ).filter(Q(end_date__isnull=True) | Q(end_date__gte=on))
    return Q(organisation_id__in=organisation_ids) | Q(Exists(posts))


def _inside_q(zones: list[ControlZone], on: date) -> Q:
    """The condition on Person for "inside one of ``zones`` on ``on``" (zones' units prefetched)."""
    units = [u for z in zones for u in z.units.all()]
    org_ids = sorted({z.premises.organisation_id for z in zones if z.premises is not None})
    conditions: list[Q] = []
    units_q = _units_q(units)
    if units_q is not None:
        conditions.append(Q(residence_unit__in=Unit.objects.filter(units_q).values("pk")))
    if org_ids:
        conditions.append(_staff_q(org_ids, on))
    return reduce(or_, conditions) if conditions else Q(pk__in=[])


def _zones_with_places(qs: QuerySet[ControlZone]) -> list[ControlZone]:
    return list(qs.select_related("premises").prefetch_related("units"))


def zone_people_queryset(*, zone: ControlZone, on: date | None = None) -> PersonQuerySet:
    """Everyone inside ``zone`` (not scoped: callers scope it). ``on`` (default: today, or the zone's
    last day when it has ended) matters for staff posts."""
    day = on or _zone_day(zone)
    return Person.objects.active().filter(_inside_q(_zones_with_places(ControlZone.objects.filter(pk=zone.pk)), day))


def _zone_day(zone: ControlZone) -> date:
    today = timezone.localdate()
    if zone.end_date is not None and zone.end_date < today:
        return zone.end_date
    return max(today, zone.start_date)


def people_in_zones(*, on: date, kinds: Iterable[str] | None = None) -> PersonQuerySet:
    """Everyone inside a zone in force on ``on`` (of ``kinds`` when given), as one lazy queryset."""
    zones = _zones_with_places(zones_in_force(on=on, kinds=kinds))
    if not zones:
        return Person.objects.none()
    return Person.objects.active().filter(_inside_q(zones, on))


def zone_person_ids(
    *, on: date, person_ids: Iterable[int] | None = None, kinds: Iterable[str] | None = None
) -> set[int]:
    """Ids of the people (among ``person_ids`` when given) inside a zone in force on ``on``."""
    qs = people_in_zones(on=on, kinds=kinds)
    if person_ids is not None:
        qs = qs.filter(pk__in=list(person_ids))
    return set(qs.values_list("pk", flat=True))


def person_zones(*, person: Person, on: date) -> list[ControlZone]:
    """The zones in force on ``on`` that ``person`` is inside."""
    found = []
    for zone in _zones_with_places(zones_in_force(on=on).select_related("measure_set")):
        if Person.objects.filter(pk=person.pk).filter(_inside_q([zone], on)).exists():
            found.append(zone)
    return found


def zone_people(
    *, user: Any, zone: ControlZone, on: date | None = None, after: str | None = None, limit: int = 50
) -> PersonPage:
    """One keyset page (by name) of the people inside ``zone`` whom ``user`` may see."""
    qs = zone_people_queryset(zone=zone, on=on).filter(pk__in=Person.objects.for_user(user).values("pk"))
    return _page(qs, after=after, limit=limit)


# --- Zones -------------------------------------------------------------------------------------


def _ancestor_paths(path: str) -> list[str]:
    parts = [p for p in path.strip("/").split("/") if p]
    return ["/" + "/".join(parts[: i + 1]) + "/" for i in range(len(parts))]


def _zone_scope_q(scope: Scope) -> Q:
    """Zones touching the scope: a unit of the zone inside the scope or above a scope root; a premises
    in the scope's units or organisations."""
    if scope.everything:
        return Q()
    conditions: list[Q] = []
    if scope.unit_paths:
        in_units = scope.units().values("pk")
        above = reduce(or_, (Q(tree=tree, path__in=_ancestor_paths(path)) for tree, path in scope.unit_paths))
        conditions.append(Q(units__in=in_units) | Q(units__in=Unit.objects.filter(above).values("pk")))
        conditions.append(Q(premises__unit__in=in_units))
    if scope.org_paths:
        orgs = Organisation.objects.filter(reduce(or_, (Q(path__startswith=p) for p in scope.org_paths)))
        conditions.append(Q(premises__organisation__in=orgs.values("pk")))
    if not conditions:
        return Q(pk__in=[])
    return Q(pk__in=ControlZone.objects.filter(reduce(or_, conditions)).values("pk"))


def zone_list(*, user: Any, status: str = "active", on: date | None = None) -> QuerySet[ControlZone]:
    """Zones the user's area touches: ``active`` (not ended: in force or to come), ``ended``, ``all``."""
    day = on or timezone.localdate()
    qs = ControlZone.objects.filter(_zone_scope_q(scope_for(user)))
    if status == "active":
        qs = qs.filter(Q(end_date__isnull=True) | Q(end_date__gte=day))
    elif status == "ended":
        qs = qs.filter(end_date__lt=day)
    return qs.select_related("measure_set", "premises", "premises__organisation").prefetch_related("units")


def zone_get(*, user: Any, uid: str | uuid.UUID) -> ControlZone:
    """A zone the user's area touches (404 otherwise)."""
    try:
        return zone_list(user=user, status="all").select_related("created_by").get(uid=uid)
    except (ControlZone.DoesNotExist, ValueError, TypeError, ValidationError):
        raise Http404 from None


def measure_sets(*, on: date | None = None) -> QuerySet[MeasureSet]:
    qs = MeasureSet.objects.all()
    if on is not None:
        qs = qs.filter(effective_from__lte=on).filter(Q(effective_to__isnull=True) | Q(effective_to__gte=on))
    return qs.order_by("level", "effective_from", "code")


def zones_covering_unit(*, unit: Unit, on: date) -> list[ControlZone]:
    """The zones in force on ``on`` that hold ``unit`` (a zone over its commune or district holds a hamlet)."""
    above = _ancestor_paths(unit.path)
    qs = zones_in_force(on=on).filter(
        pk__in=ControlZone.objects.filter(units__tree=unit.tree, units__path__in=above).values("pk")
    )
    return list(qs.select_related("measure_set").order_by("start_date", "id"))


def rules_in_force(*, unit: Unit, on: date) -> MeasureRules:
    """The measures that apply in ``unit`` on ``on``: the strictest of the zones holding it (none: no
    measures). What gatherings ask before allowing one (``measures.decide``)."""
    return strictest([zone.measure_set.rules() for zone in zones_covering_unit(unit=unit, on=on)])


def measure_set_for_level(level: int, *, on: date) -> MeasureSet | None:
    """The measure set of an epidemic level (1–4) in force on ``on``, for the levels app and gatherings."""
    return measure_sets(on=on).filter(level=level).order_by("-effective_from").first()


# --- Passes and checkpoints --------------------------------------------------------------------


def pass_queryset(*, user: Any, status: str = "all", plate: str = "") -> QuerySet[TransportPass]:
    """Passes issued by units in the user's area; ``valid`` (not revoked, not past), ``revoked``."""
    qs = scope_for(user).filter(TransportPass.objects.all(), unit_field="issuing_unit")
    if status == "valid":
        qs = qs.filter(revoked_at__isnull=True, valid_to__gte=timezone.localdate())
    elif status == "revoked":
        qs = qs.filter(revoked_at__isnull=False)
    plate = (plate or "").strip()
    if plate:
        try:
            qs = qs.filter(plate=normalise_plate(plate))
        except ApplicationError:
            qs = qs.filter(plate__icontains=plate.upper()[:16])
    return qs.select_related("issuing_unit", "origin_unit", "destination_unit").order_by("-id")


def pass_page(
    *, user: Any, status: str = "all", plate: str = "", after: str | None = None, limit: int = 50
) -> tuple[list[TransportPass], str]:
    """One keyset page (newest first) and the uid to continue after ('' on the last page)."""
    qs = pass_queryset(user=user, status=status, plate=plate)
    if after:
        try:
            pk = TransportPass.objects.filter(uid=uuid.UUID(after)).values_list("pk", flat=True).first()
        except ValueError:
            pk = None
        if pk is None:
            raise Http404
        qs = qs.filter(pk__lt=pk)
    rows = list(qs[: limit + 1])
    more = len(rows) > limit
    rows = rows[:limit]
    return rows, (str(rows[-1].uid) if more and rows else "")


def pass_get(*, user: Any, uid: str | uuid.UUID, audit_read: bool = True) -> TransportPass:
    """A pass in the user's area (404 otherwise); the read is audited (it holds the driver's data)."""
    try:
        found = pass_queryset(user=user).get(uid=uid)
    except (TransportPass.DoesNotExist, ValueError, TypeError, ValidationError):
        raise Http404 from None
    if audit_read:
        audit(
            actor=user,
            action=AuditAction.READ,
            obj=found,
            summary=_("Xem thẻ luồng xanh xe %(plate)s") % {"plate": found.plate},
        )
    return found


def pass_by_token(token: str) -> TransportPass | None:
    """The pass behind a QR token (anyone may ask: the public page); ``None`` when unknown or forged."""
    from .pass_tokens import nonce_of

    nonce = nonce_of(token)
    if nonce is None:
        return None
    return TransportPass.objects.select_related("issuing_unit").filter(nonce=nonce).first()


def checkpoint_list(*, user: Any) -> QuerySet[Checkpoint]:
    return (
        scope_for(user)
        .filter(Checkpoint.objects.filter(is_active=True), unit_field="unit")
        .select_related("unit", "zone")
        .order_by("name", "id")
    )


def checkpoint_get(*, user: Any, uid: str | uuid.UUID) -> Checkpoint:
    try:
        return checkpoint_list(user=user).get(uid=uid)
    except (Checkpoint.DoesNotExist, ValueError, TypeError, ValidationError):
        raise Http404 from None


def check_queryset(*, user: Any, checkpoint: Checkpoint | None = None) -> QuerySet[PassCheck]:
    """Checks at checkpoints in the user's area, newest first."""
    qs = scope_for(user).filter(PassCheck.objects.all(), unit_field="checkpoint__unit")
    if checkpoint is not None:
        qs = qs.filter(checkpoint=checkpoint)
    return qs.select_related("transport_pass", "checkpoint", "checked_by").order_by("-id")
