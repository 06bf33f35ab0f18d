"""Writes for quarantine (Q1–Q3): facilities, episodes, daily checks, release and hand-over.

Every write runs in one transaction with its audit line. ``actor=None`` is the system (demo,
commands); any other actor must have the person (and the facility) in scope.
"""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from phongdich.core.audit import audit
from phongdich.core.errors import NotInScope, ValidationFailed
from phongdich.core.models import AuditAction
from phongdich.geo.models import Level, Unit
from phongdich.orgs.models import Organisation, Role
from phongdich.orgs.scope import scope_for
from phongdich.people.models import Person

from .models import (
    VACCINATION_CHOICES,
    DailyCheck,
    Episode,
    EpisodeKind,
    EpisodeStatus,
    Facility,
    FacilityKind,
    Handover,
    QuarantineRule,
)
from .rules import NoRule, phase_at, phase_specs, plan_for

ALREADY_OPEN = _("Người này đang trong một đợt cách ly chưa kết thúc (%(kind)s từ %(start)s).")
FACILITY_FULL = _("Cơ sở cách ly “%(name)s” đã đủ %(capacity)s người.")
FACILITY_NOT_READY = _("Cơ sở cách ly “%(name)s” chưa sẵn sàng tiếp nhận.")
FACILITY_REQUIRED = _("Cách ly tập trung cần chọn cơ sở cách ly.")
FACILITY_ONLY_CENTRALISED = _("Chỉ cách ly tập trung mới gắn với cơ sở cách ly.")
NO_RULE = _("Không có quy định cách ly áp dụng cho ngày %(day)s.")
PERSON_NOT_IN_SCOPE = _("Người này không thuộc địa bàn của bạn.")
FACILITY_NOT_IN_SCOPE = _("Cơ sở cách ly không thuộc địa bàn của bạn.")
EPISODE_NOT_OPEN = _("Đợt cách ly này đã kết thúc.")
RELEASE_BEFORE_START = _("Ngày kết thúc không được trước ngày bắt đầu.")
DATE_IN_FUTURE = _("Ngày không được ở tương lai.")
CHECK_OUTSIDE_EPISODE = _("Ngày theo dõi phải nằm trong đợt cách ly.")
CHECK_DUPLICATE = _("Đã có kết quả theo dõi của ngày này.")
TEMPERATURE_RANGE = _("Nhiệt độ phải từ 34 đến 43 °C.")
HANDOVER_DONE = _("Bàn giao này đã được xác nhận.")
HANDOVER_NOT_IN_SCOPE = _("Xã/phường nhận bàn giao không thuộc địa bàn của bạn.")
NO_NEXT_PHASE = _("Quy định đã áp dụng không có giai đoạn tiếp theo; hãy chọn hình thức tiếp theo.")
BAD_KIND = _("Hình thức cách ly không hợp lệ.")
BAD_VACCINATION = _("Tình trạng tiêm chủng không hợp lệ.")
CAPACITY_POSITIVE = _("Sức chứa phải lớn hơn 0.")
CAPACITY_BELOW_OCCUPANCY = _("Sức chứa không được nhỏ hơn số người đang cách ly tại cơ sở (%(count)s).")
PERSON_MERGED = _("Hồ sơ này đã được gộp vào hồ sơ khác.")
NEXT_PHASE_DAYS = 7


def residence_commune(unit: Unit) -> Unit:
    """The commune of ``unit`` (itself, or the commune a hamlet belongs to)."""
    current = unit
    while current.level > Level.COMMUNE and current.parent_id is not None:
        current = Unit.objects.get(pk=current.parent_id)
    return current


def _check_person(actor: Any, person: Person) -> None:
    if actor is None:
        return
    if not Person.objects.for_user(actor).filter(pk=person.pk).exists():
        raise NotInScope(PERSON_NOT_IN_SCOPE, field="person")


def _check_facility(actor: Any, facility: Facility) -> None:
    if actor is None:
        return
    scope = scope_for(actor)
    if scope.contains_unit(facility.unit) or (
        facility.operator is not None and scope.contains_organisation(facility.operator)
    ):
        return
    raise NotInScope(FACILITY_NOT_IN_SCOPE, field="facility")


# Who opens, edits and declares the readiness of quarantine facilities (within their jurisdiction).
FACILITY_MANAGER_ROLES = frozenset(
    {
        Role.PROVINCE_ADMIN,
        Role.STEERING_COMMITTEE,
        Role.DISTRICT_OFFICER,
        Role.COMMUNE_OFFICER,
        Role.HEALTH,
        Role.MILITARY,
    }
)
NOT_FACILITY_MANAGER = _("Bạn không có quyền quản lý cơ sở cách ly.")


def can_manage_facilities(user: Any) -> bool:
    """Province, district and commune officers, health and military staff manage facilities in their scope."""
    if user is None or not getattr(user, "is_authenticated", False) or not user.is_active:
        return False
    return bool(user.is_superuser or scope_for(user).roles & FACILITY_MANAGER_ROLES)


def _check_manager(actor: Any) -> None:
    if actor is not None and not can_manage_facilities(actor):
        raise PermissionDenied(NOT_FACILITY_MANAGER)


def _facility_fields(*, name: str, kind: str, unit: Unit, capacity: int, actor: Any) -> None:
    if kind not in FacilityKind.values:
        raise ValidationFailed(_("Loại cơ sở không hợp lệ."), field="kind")
    if capacity is None or capacity <= 0:
        raise ValidationFailed(CAPACITY_POSITIVE, field="capacity")
    if not name.strip():
        raise ValidationFailed(_("Vui lòng nhập tên cơ sở."), field="name")
    if actor is not None and not scope_for(actor).contains_unit(unit):
        raise NotInScope(_("Địa bàn này không thuộc phạm vi của bạn."), field="unit")


def facility_create(
    *,
    actor: Any,
    name: str,
    kind: str,
    unit: Unit,
    capacity: int,
    operator: Organisation | None = None,
    ready: bool = True,
    readiness_note: str = "",
) -> Facility:
    _check_manager(actor)
    _facility_fields(name=name, kind=kind, unit=unit, capacity=capacity, actor=actor)
    with transaction.atomic():
        facility = Facility.objects.create(
            name=name.strip()[:255],
            kind=kind,
            unit=unit,
            operator=operator,
            capacity=capacity,
            ready=ready,
            readiness_note=readiness_note.strip()[:255],
        )
        audit(actor=actor, action=AuditAction.CREATE, obj=facility, summary=facility.name[:255])
    return facility


FACILITY_FIELDS = ("name", "kind", "unit", "operator", "capacity", "ready", "readiness_note")


def facility_update(*, actor: Any, facility: Facility, **changes: Any) -> Facility:
    """Change a facility's particulars or readiness (any of ``FACILITY_FIELDS``); audited with the changes.

    The facility must be in the actor's scope before and after; the capacity cannot drop below the
    people quarantined there now."""
    unknown = set(changes) - set(FACILITY_FIELDS)
    if unknown:
        raise ValidationFailed(_("Trường không hợp lệ: %(fields)s") % {"fields": ", ".join(sorted(unknown))})
    _check_manager(actor)
    _check_facility(actor, facility)
    with transaction.atomic():
        locked = Facility.objects.select_for_update().get(pk=facility.pk)
        values = {f: changes.get(f, getattr(locked, f)) for f in FACILITY_FIELDS}
        values["name"] = str(values["name"] or "").strip()[:255]
        values["readiness_note"] = str(values["readiness_note"] or "").strip()[:255]
        values["ready"] = bool(values["ready"])
        _facility_fields(
            name=values["name"], kind=values["kind"], unit=values["unit"], capacity=values["capacity"], actor=actor
        )
        occupancy = Episode.objects.filter(facility=locked, status=EpisodeStatus.OPEN).count()
        if values["capacity"] < occupancy:
            raise ValidationFailed(CAPACITY_BELOW_OCCUPANCY % {"count": occupancy}, field="capacity")
        changed: dict[str, list[str]] = {}
        for f, value in values.items():
            before = getattr(locked, f)
            if before != value:
                changed[f] = [str(before if before is not None else ""), str(value if value is not None else "")]
                setattr(locked, f, value)
        if changed:
            locked.save(update_fields=[*changed, "updated_at"])
            audit(
                actor=actor,
                action=AuditAction.UPDATE,
                obj=locked,
                summary=locked.name[:255],
                detail={"changes": changed},
            )
    facility.refresh_from_db()
    return facility


def _open_episode_refusal(person: Person) -> None:
    current = Episode.objects.select_for_update().filter(person=person, status=EpisodeStatus.OPEN).first()
    if current is not None:
        raise ValidationFailed(
            ALREADY_OPEN % {"kind": current.get_kind_display(), "start": f"{current.start_date:%d/%m/%Y}"},
            field="person",
        )


def _check_room(facility: Facility) -> None:
    locked = Facility.objects.select_for_update().get(pk=facility.pk)
    if not locked.ready:
        raise ValidationFailed(FACILITY_NOT_READY % {"name": locked.name}, field="facility")
    occupancy = Episode.objects.filter(facility=locked, status=EpisodeStatus.OPEN).count()
    if occupancy >= locked.capacity:
        raise ValidationFailed(FACILITY_FULL % {"name": locked.name, "capacity": locked.capacity}, field="facility")


def _save_episode(episode: Episode) -> Episode:
    try:
        with transaction.atomic():
            episode.save()
    except IntegrityError:
        raise ValidationFailed(_("Không lưu được đợt cách ly (người này đã có đợt đang mở)."), field="person") from None
    return episode


def episode_start(
    *,
    actor: Any,
    person: Person,
    kind: str,
    facility: Facility | None = None,
    start_date: date,
    vaccination: str = "none",
    reason: str = "",
) -> Episode:
    """Open an episode for ``person``; its planned end and test dates come from the rule in force (Q2)."""
    if kind not in EpisodeKind.values:
        raise ValidationFailed(BAD_KIND, field="kind")
    if vaccination not in dict(VACCINATION_CHOICES):
        raise ValidationFailed(BAD_VACCINATION, field="vaccination")
    if kind == EpisodeKind.CENTRALISED and facility is None:
        raise ValidationFailed(FACILITY_REQUIRED, field="facility")
    if kind != EpisodeKind.CENTRALISED and facility is not None:
        raise ValidationFailed(FACILITY_ONLY_CENTRALISED, field="facility")
    if person.merged_into_id is not None:
        raise ValidationFailed(PERSON_MERGED, field="person")
    if start_date > timezone.localdate():
        raise ValidationFailed(DATE_IN_FUTURE, field="start_date")
    _check_person(actor, person)
    if facility is not None:
        _check_facility(actor, facility)
    try:
        plan = plan_for(start=start_date, vaccination=vaccination, rules=QuarantineRule.objects.all())
    except NoRule:
        raise ValidationFailed(NO_RULE % {"day": f"{start_date:%d/%m/%Y}"}, field="start_date") from None
    # The episode covers the plan's first phase, whatever its kind (e.g. a piloted home quarantine of F1).
    first = plan.phases[0]
    with transaction.atomic():
        _open_episode_refusal(person)
        if facility is not None:
            _check_room(facility)
        episode = _save_episode(
            Episode(
                person=person,
                kind=kind,
                facility=facility,
                start_date=start_date,
                planned_end=first.end,
                test_dates=[d.isoformat() for d in first.test_dates],
                vaccination=vaccination,
                reason=reason.strip()[:255],
                rule=plan.rule,
                phase=0,
            )
        )
        audit(
            actor=actor,
            action=AuditAction.CREATE,
            obj=episode,
            summary=f"{person.full_name}: {episode.get_kind_display()} {start_date:%d/%m/%Y}–{first.end:%d/%m/%Y}",
            detail={"kind": kind, "rule": plan.rule.source, "facility": facility.name if facility else ""},
        )
    return episode


def daily_check_record(
    *,
    actor: Any,
    episode: Episode,
    on: date,
    temperature: Decimal | float | None = None,
    note: str = "",
    **symptoms: bool,
) -> DailyCheck:
    """Record one day's health check of an open episode (one per day)."""
    _check_person(actor, episode.person)
    unknown = set(symptoms) - set(DailyCheck.SYMPTOMS)
    if unknown:
        raise ValidationFailed(_("Triệu chứng không hợp lệ."), field=None)
    if not episode.is_open:
        raise ValidationFailed(EPISODE_NOT_OPEN)
    if on > timezone.localdate():
        raise ValidationFailed(DATE_IN_FUTURE, field="date")
    if on < episode.start_date:
        raise ValidationFailed(CHECK_OUTSIDE_EPISODE, field="date")
    if temperature is not None and not (Decimal("34") <= Decimal(str(temperature)) <= Decimal("43")):
        raise ValidationFailed(TEMPERATURE_RANGE, field="temperature")
    with transaction.atomic():
        if DailyCheck.objects.filter(episode=episode, date=on).exists():
            raise ValidationFailed(CHECK_DUPLICATE, field="date")
        try:
            with transaction.atomic():
                check = DailyCheck.objects.create(
                    episode=episode,
                    date=on,
                    temperature=Decimal(str(temperature)) if temperature is not None else None,
                    note=note.strip()[:255],
                    by=actor,
                    **{s: bool(symptoms.get(s, False)) for s in DailyCheck.SYMPTOMS},
                )
        except IntegrityError:
            raise ValidationFailed(CHECK_DUPLICATE, field="date") from None
        audit(
            actor=actor,
            action=AuditAction.CREATE,
            obj=check,
            summary=f"{episode.person.full_name}: {on:%d/%m/%Y}",
            detail={"episode": str(episode.uid), "symptoms": check.has_symptoms},
        )
    return check


def episode_release(
    *, actor: Any, episode: Episode, on: date, next_kind: str | None = None, at: datetime | None = None
) -> Episode | None:
    """Release ``episode`` on ``on``; the plan's next phase (or ``next_kind``) opens the same day.

    A centralised episode released into a following phase hands the person over to their
    residence commune. Returns the new episode, or None when the plan ends here.
    """
    _check_person(actor, episode.person)
    if next_kind is not None and next_kind not in EpisodeKind.values:
        raise ValidationFailed(BAD_KIND, field="next_kind")
    if on > timezone.localdate():
        raise ValidationFailed(DATE_IN_FUTURE, field="on")
    if on < episode.start_date:
        raise ValidationFailed(RELEASE_BEFORE_START, field="on")
    specs = phase_specs(episode.rule) if episode.rule is not None else []
    following = specs[episode.phase + 1] if episode.phase + 1 < len(specs) else None
    if next_kind is not None and following is None:
        following = (next_kind, NEXT_PHASE_DAYS, [])
    with transaction.atomic():
        locked = Episode.objects.select_for_update().get(pk=episode.pk)
        if locked.status != EpisodeStatus.OPEN:
            raise ValidationFailed(EPISODE_NOT_OPEN)
        locked.status = EpisodeStatus.RELEASED
        locked.released_on = on
        locked.save(update_fields=["status", "released_on", "updated_at"])
        audit(
            actor=actor,
            action=AuditAction.UPDATE,
            obj=locked,
            summary=f"{locked.person.full_name}: {locked.get_kind_display()} → {on:%d/%m/%Y}",
            detail={"released_on": on.isoformat()},
        )
        new: Episode | None = None
        if following is not None:
            kind, days, tests = following
            kind = next_kind or kind
            phase = phase_at(kind=kind, start=on, days=days, tests=tests)
            new = _save_episode(
                Episode(
                    person=locked.person,
                    kind=kind,
                    start_date=on,
                    planned_end=phase.end,
                    test_dates=[d.isoformat() for d in phase.test_dates],
                    vaccination=locked.vaccination,
                    reason=locked.reason,
                    rule=locked.rule,
                    phase=locked.phase + 1,
                    previous=locked,
                )
            )
            audit(
                actor=actor,
                action=AuditAction.CREATE,
                obj=new,
                summary=f"{new.person.full_name}: {new.get_kind_display()} {on:%d/%m/%Y}–{phase.end:%d/%m/%Y}",
                detail={"kind": kind, "previous": str(locked.uid)},
            )
            if locked.kind == EpisodeKind.CENTRALISED and locked.facility is not None:
                handover = Handover.objects.create(
                    episode=new,
                    from_facility=locked.facility,
                    to_unit=residence_commune(locked.person.residence_unit),
                    sent_at=at or timezone.now(),
                )
                audit(
                    actor=actor,
                    action=AuditAction.CREATE,
                    obj=handover,
                    summary=f"{locked.facility.name} → {handover.to_unit.name}: {new.person.full_name}",
                )
    episode.refresh_from_db()
    return new


def handover_acknowledge(*, actor: Any, handover: Handover, at: datetime | None = None) -> Handover:
    """The residence commune confirms it has taken over the person (actor's scope must hold the commune)."""
    if actor is not None and not scope_for(actor).contains_unit(handover.to_unit):
        raise NotInScope(HANDOVER_NOT_IN_SCOPE)
    with transaction.atomic():
        locked = Handover.objects.select_for_update().get(pk=handover.pk)
        if locked.acknowledged_at is not None:
            raise ValidationFailed(HANDOVER_DONE)
        locked.acknowledged_at = at or timezone.now()
        locked.acknowledged_by = actor
        locked.save(update_fields=["acknowledged_at", "acknowledged_by", "updated_at"])
        audit(
            actor=actor,
            action=AuditAction.UPDATE,
            obj=locked,
            summary=f"{locked.to_unit.name}: {locked.from_facility.name}",
            detail={"late": locked.acknowledged_at > locked.due_at},
        )
    handover.refresh_from_db()
    return handover
