"""Writes of the zones app: declare, edit and end epidemic areas; the look-back rule; visits; flags (M5).

Flags are derived data: ``flags_refresh_for_person`` and ``flags_refresh_for_area`` re-run the pure
rule (``rules.exposures``) over the stored visits and make the flags say what it says, so they can
be called again and again. A visit is judged in the look-back window ending on the day it was
reported; the window's length is the rule in force on that day.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from phongdich.core.audit import audit
from phongdich.core.errors import ValidationFailed
from phongdich.core.models import AuditAction, User
from phongdich.geo.models import Unit
from phongdich.orgs.models import Role
from phongdich.orgs.scope import scope_for
from phongdich.people.models import Person

from .countries import COUNTRIES
from .models import DEFAULT_LOOK_BACK_DAYS, EpidemicArea, ExposureFlag, LookBackRule, PlaceKind, PlaceVisit
from .rules import AreaSpan, Visit, exposures

AREA_MANAGER_ROLES = frozenset({Role.PROVINCE_ADMIN, Role.HEALTH})
AREA_FIELDS = (
    "start_date",
    "end_date",
    "source_number",
    "source_date",
    "source_issuer",
    "source_text",
    "is_complex",
    "note",
)


def can_manage_areas(user: Any) -> bool:
    """Province administrators and health officers declare, edit and end epidemic areas."""
    if user is None or not getattr(user, "is_authenticated", False) or not user.is_active:
        return False
    return bool(user.is_superuser or scope_for(user).roles & AREA_MANAGER_ROLES)


def _require_manager(actor: Any) -> None:
    if not can_manage_areas(actor):
        raise PermissionDenied(_("Chỉ quản trị hệ thống cấp tỉnh và cán bộ y tế được công bố, sửa vùng dịch."))


def _place(*, kind: str, country: str, unit: Unit | None) -> tuple[str, Unit | None]:
    if kind == PlaceKind.COUNTRY:
        code = (country or "").strip().upper()
        if not code:
            raise ValidationFailed(_("Chọn nước."), field="country")
        if code not in COUNTRIES:
            raise ValidationFailed(_("Không có mã nước “%(code)s” trong danh mục.") % {"code": code}, field="country")
        return code, None
    if kind == PlaceKind.UNIT:
        if not isinstance(unit, Unit):
            raise ValidationFailed(_("Chọn tỉnh, huyện hoặc xã."), field="unit")
        return "", unit
    raise ValidationFailed(_("Chọn nước ngoài hoặc địa phương trong nước."), field="kind")


def _check_span(start: date | None, end: date | None, *, start_field: str, end_field: str) -> None:
    if start is None:
        raise ValidationFailed(_("Nhập ngày bắt đầu."), field=start_field)
    if end is not None and end < start:
        raise ValidationFailed(_("Ngày kết thúc không được trước ngày bắt đầu."), field=end_field)


def _queue_area_refresh(area: EpidemicArea) -> None:
    from .tasks import refresh_area_flags

    area_id = area.pk
    transaction.on_commit(lambda: refresh_area_flags.delay(area_id))


# --- Epidemic areas ----------------------------------------------------------------------------


def area_declare(
    *,
    actor: User | None,
    kind: str,
    country: str = "",
    unit: Unit | None = None,
    start_date: date,
    end_date: date | None = None,
    source_number: str = "",
    source_date: date | None = None,
    source_issuer: str = "",
    source_text: str = "",
    is_complex: bool = False,
    note: str = "",
) -> EpidemicArea:
    """Declare a place epidemic; people whose stored visits put them there are flagged (retroactively)."""
    if actor is not None:
        _require_manager(actor)
    country, unit = _place(kind=kind, country=country, unit=unit)
    _check_span(start_date, end_date, start_field="start_date", end_field="end_date")
    if not (source_number.strip() or source_text.strip()):
        raise ValidationFailed(_("Nhập số văn bản hoặc nội dung căn cứ công bố."), field="source_number")
    with transaction.atomic():
        area = EpidemicArea.objects.create(
            kind=kind,
            country=country,
            unit=unit,
            start_date=start_date,
            end_date=end_date,
            source_number=source_number.strip(),
            source_date=source_date,
            source_issuer=source_issuer.strip(),
            source_text=source_text.strip(),
            is_complex=is_complex,
            note=note.strip(),
            created_by=actor,
        )
        audit(
            actor=actor,
            action=AuditAction.CREATE,
            obj=area,
            summary=_("Công bố vùng dịch %(place)s") % {"place": area.place_name},
            detail={"place": area.place_key, "start": start_date.isoformat(), "source": area.source_label},
        )
        _queue_area_refresh(area)
    return area


def area_update(*, actor: User | None, area: EpidemicArea, **fields: Any) -> EpidemicArea:
    """Change an area's dates, source, complexity flag or note; its flags are re-evaluated."""
    if actor is not None:
        _require_manager(actor)
    unknown = set(fields) - set(AREA_FIELDS)
    if unknown:
        raise ValidationFailed(_("Không sửa được trường %(fields)s.") % {"fields": ", ".join(sorted(unknown))})
    start = fields.get("start_date", area.start_date)
    end = fields.get("end_date", area.end_date)
    _check_span(start, end, start_field="start_date", end_field="end_date")
    with transaction.atomic():
        locked = EpidemicArea.objects.select_for_update().get(pk=area.pk)
        changed = {}
        for name, value in fields.items():
            value = value.strip() if isinstance(value, str) else value
            old = getattr(locked, name)
            if old != value:
                changed[name] = [str(old) if old is not None else None, str(value) if value is not None else None]
                setattr(locked, name, value)
        if changed:
            locked.save()
            audit(
                actor=actor,
                action=AuditAction.UPDATE,
                obj=locked,
                summary=_("Sửa vùng dịch %(place)s") % {"place": locked.place_name},
                detail={"changed": changed},
            )
            _queue_area_refresh(locked)
    return locked


def area_end(*, actor: User | None, area: EpidemicArea, end_date: date) -> EpidemicArea:
    """End an area on ``end_date`` (its last epidemic day); flags no longer supported are cleared."""
    if end_date is None:
        raise ValidationFailed(_("Nhập ngày kết thúc."), field="end_date")
    return area_update(actor=actor, area=area, end_date=end_date)


# --- The look-back rule ------------------------------------------------------------------------


def look_back_days_on(day: date) -> int:
    """The look-back window in force on ``day`` (14 days when no rule says otherwise)."""
    rule = (
        LookBackRule.objects.filter(effective_from__lte=day)
        .filter(Q(effective_to__isnull=True) | Q(effective_to__gte=day))
        .order_by("-effective_from", "-id")
        .first()
    )
    return rule.days if rule else DEFAULT_LOOK_BACK_DAYS


def lookback_rule_set(
    *, actor: User | None, days: int, effective_from: date, source: str, note: str = ""
) -> LookBackRule:
    """A new look-back window from ``effective_from``; the rule before it ends the day before. Every
    area is re-evaluated."""
    if actor is not None:
        _require_manager(actor)
    if days is None or not 1 <= days <= 60:
        raise ValidationFailed(_("Số ngày truy ngược phải từ 1 đến 60."), field="days")
    if effective_from is None:
        raise ValidationFailed(_("Nhập ngày áp dụng."), field="effective_from")
    if not (source or "").strip():
        raise ValidationFailed(_("Nhập căn cứ (số văn bản, ngày, cơ quan ban hành)."), field="source")
    if LookBackRule.objects.filter(effective_from=effective_from).exists():
        raise ValidationFailed(_("Đã có quy định áp dụng từ ngày này."), field="effective_from")
    with transaction.atomic():
        before = (
            LookBackRule.objects.select_for_update()
            .filter(effective_from__lt=effective_from)
            .filter(Q(effective_to__isnull=True) | Q(effective_to__gte=effective_from))
        )
        for rule in before:
            rule.effective_to = effective_from - timedelta(days=1)
            rule.save(update_fields=["effective_to", "updated_at"])
        later = LookBackRule.objects.filter(effective_from__gt=effective_from).order_by("effective_from").first()
        rule = LookBackRule.objects.create(
            days=days,
            effective_from=effective_from,
            effective_to=later.effective_from - timedelta(days=1) if later else None,
            source=source.strip(),
            note=note.strip(),
        )
        audit(
            actor=actor,
            action=AuditAction.CREATE,
            obj=rule,
            summary=_("Số ngày truy ngược %(days)s từ %(day)s") % {"days": days, "day": f"{effective_from:%d/%m/%Y}"},
            detail={"days": days, "effective_from": effective_from.isoformat(), "source": rule.source},
        )
        area_ids = list(EpidemicArea.objects.values_list("pk", flat=True))

        def queue() -> None:
            from .tasks import refresh_area_flags

            for area_id in area_ids:
                refresh_area_flags.delay(area_id)

        transaction.on_commit(queue)
    return rule


# --- Visits ------------------------------------------------------------------------------------


def visit_record(
    *,
    actor: User | None,
    person: Person,
    kind: str,
    country: str = "",
    unit: Unit | None = None,
    from_date: date,
    to_date: date | None = None,
    reported_on: date | None = None,
    source: str,
) -> PlaceVisit:
    """Record that ``person`` stayed in a place (declarations, movements and travel call this with
    ``source="declaration:<uid>"`` …); the person's flags are refreshed at once."""
    if actor is not None and not Person.objects.for_user(actor).filter(pk=person.pk).exists():
        raise PermissionDenied(_("Người này không thuộc địa bàn của bạn."))
    country, unit = _place(kind=kind, country=country, unit=unit)
    to_date = to_date or from_date
    _check_span(from_date, to_date, start_field="from_date", end_field="to_date")
    reported_on = reported_on or timezone.localdate()
    if from_date > reported_on:
        raise ValidationFailed(_("Ngày đến không được sau ngày khai báo."), field="from_date")
    source = (source or "").strip()
    if not source or len(source) > 80:
        raise ValidationFailed(_("Nguồn phải có dạng “loại:mã”, tối đa 80 ký tự."), field="source")
    with transaction.atomic():
        visit = PlaceVisit.objects.create(
            person=person,
            kind=kind,
            country=country,
            unit=unit,
            from_date=from_date,
            to_date=to_date,
            reported_on=reported_on,
            source=source,
            recorded_by=actor,
        )
        audit(
            actor=actor,
            action=AuditAction.CREATE,
            obj=visit,
            summary=_("Ghi nơi đã đến: %(place)s") % {"place": visit.place_name},
            detail={"person": str(person.uid), "place": visit.place_key, "source": source},
        )
        flags_refresh_for_person(person=person)
    return visit


# --- Flags -------------------------------------------------------------------------------------


@dataclass(frozen=True)
class RefreshResult:
    created: int = 0
    reopened: int = 0
    cleared: int = 0

    def __add__(self, other: RefreshResult) -> RefreshResult:
        return RefreshResult(self.created + other.created, self.reopened + other.reopened, self.cleared + other.cleared)


def area_span(area: EpidemicArea) -> AreaSpan:
    return AreaSpan(
        area_id=area.pk,
        place=area.place_key,
        start=area.start_date,
        end=area.end_date,
        name=area.place_name,
        source=area.source_label,
    )


def _as_rule_visit(visit: PlaceVisit) -> Visit:
    return Visit(
        place=visit.place_key,
        from_date=visit.from_date,
        to_date=visit.to_date,
        place_name=visit.place_name,
        source=visit.source,
    )


def _supported(
    visits: Iterable[tuple[Visit, date]], areas: list[AreaSpan], look_back: dict[date, int]
) -> dict[tuple[int, str], tuple[str, date, date]]:
    """(area id, source) → (reason, from, to) of the earliest exposure the rule finds."""
    by_day: dict[date, list[Visit]] = defaultdict(list)
    for visit, on in visits:
        by_day[on].append(visit)
    best: dict[tuple[int, str], tuple[str, date, date]] = {}
    for on, day_visits in by_day.items():
        if on not in look_back:
            look_back[on] = look_back_days_on(on)
        for exp in exposures(day_visits, areas, on=on, look_back_days=look_back[on]):
            key = (int(exp.area_id), exp.visit.source)
            if key not in best or exp.from_date < best[key][1]:
                best[key] = (exp.reason, exp.from_date, exp.to_date)
    return best


def _apply(
    *, person_id: int, supported: dict[tuple[int, str], tuple[str, date, date]], area_ids: set[int] | None
) -> RefreshResult:
    """Make ``person_id``'s flags (for ``area_ids``, or all) match ``supported``."""
    now = timezone.now()
    existing = ExposureFlag.objects.select_for_update().filter(person_id=person_id)
    if area_ids is not None:
        existing = existing.filter(area_id__in=area_ids)
    created = reopened = cleared = 0
    seen: set[tuple[int, str]] = set()
    for flag in existing:
        key = (flag.area_id, flag.source)
        seen.add(key)
        if key in supported:
            reason, start, end = supported[key]
            changed = (flag.reason, flag.visit_from, flag.visit_to) != (reason, start, end)
            if flag.cleared_at is not None:
                flag.cleared_at = None
                flag.flagged_at = now
                reopened += 1
                changed = True
            if changed:
                flag.reason, flag.visit_from, flag.visit_to = reason, start, end
                flag.save()
        elif flag.cleared_at is None:
            flag.cleared_at = now
            flag.save(update_fields=["cleared_at", "updated_at"])
            cleared += 1
    new = [
        ExposureFlag(
            person_id=person_id,
            area_id=area_id,
            source=source,
            reason=reason[:400],
            visit_from=start,
            visit_to=end,
            flagged_at=now,
        )
        for (area_id, source), (reason, start, end) in supported.items()
        if (area_id, source) not in seen
    ]
    ExposureFlag.objects.bulk_create(new)
    created = len(new)
    return RefreshResult(created, reopened, cleared)


def flags_refresh_for_person(
    *, person: Person, visits: Iterable[Visit] | None = None, on: date | None = None
) -> RefreshResult:
    """Flag ``person`` for every epidemic area the rule finds; clear flags it no longer supports.

    Without ``visits``, the person's stored visits are judged, each in the window ending on the
    day it was reported. With ``visits`` (rule ``Visit``s whose ``source`` names their record), they
    are judged in the window ending on ``on`` (today by default). Idempotent."""
    areas = [area_span(a) for a in EpidemicArea.objects.select_related("unit")]
    if visits is None:
        stored = PlaceVisit.objects.filter(person=person).select_related("unit")
        pairs = [(_as_rule_visit(v), v.reported_on) for v in stored]
    else:
        day = on or timezone.localdate()
        pairs = [(v, day) for v in visits]
    with transaction.atomic():
        return _apply(person_id=person.pk, supported=_supported(pairs, areas, {}), area_ids=None)


def flags_refresh_for_area(*, area: EpidemicArea) -> RefreshResult:
    """Re-evaluate one area against every stored visit to it (or inside it): run when an area is
    declared or changed, so people who came back before the declaration are flagged too."""
    area = EpidemicArea.objects.select_related("unit").get(pk=area.pk)
    span = area_span(area)
    if area.kind == PlaceKind.COUNTRY:
        candidates = PlaceVisit.objects.filter(kind=PlaceKind.COUNTRY, country=area.country)
    else:
        assert area.unit is not None
        candidates = PlaceVisit.objects.filter(
            kind=PlaceKind.UNIT, unit__in=Unit.objects.subtree(area.unit).values("pk")
        )
    per_person: dict[int, list[tuple[Visit, date]]] = defaultdict(list)
    for visit in candidates.select_related("unit").order_by("person_id", "id"):
        per_person[visit.person_id].append((_as_rule_visit(visit), visit.reported_on))
    flagged = set(area.flags.values_list("person_id", flat=True))
    total = RefreshResult()
    look_back: dict[date, int] = {}
    with transaction.atomic():
        for person_id in sorted(set(per_person) | flagged):
            supported = _supported(per_person.get(person_id, []), [span], look_back)
            total = total + _apply(person_id=person_id, supported=supported, area_ids={area.pk})
    return total
