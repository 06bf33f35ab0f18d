"""Writes for control zones, goods-transport passes and checkpoints (Z1, Z2).

Zones are declared, edited and lifted by officers whose jurisdiction holds the whole zone; passes are
issued, revoked and re-issued by officers of the issuing unit; checkpoint staff record every check,
whatever its result. Every write is audited in its transaction.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from phongdich.core.audit import audit
from phongdich.core.errors import ValidationFailed
from phongdich.core.models import AuditAction, User
from phongdich.geo.models import Level, Unit
from phongdich.orgs.models import Premises, Role
from phongdich.orgs.scope import scope_for
from phongdich.people.validators import cccd_parse, normalise_phone

from .models import (
    Checkpoint,
    ControlZone,
    MeasureSet,
    PassCheck,
    PassResult,
    TransportPass,
    ZoneArea,
    ZoneKind,
)
from .pass_tokens import clean_token, new_nonce, nonce_of
from .passes import pass_status
from .plates import normalise_plate

ZONE_MANAGER_ROLES = frozenset(
    {Role.PROVINCE_ADMIN, Role.STEERING_COMMITTEE, Role.HEALTH, Role.DISTRICT_OFFICER, Role.COMMUNE_OFFICER}
)
PASS_ISSUER_ROLES = frozenset(
    {Role.PROVINCE_ADMIN, Role.STEERING_COMMITTEE, Role.DISTRICT_OFFICER, Role.COMMUNE_OFFICER, Role.POLICE}
)
CHECKPOINT_ROLES = frozenset(
    {
        Role.PROVINCE_ADMIN,
        Role.STEERING_COMMITTEE,
        Role.HEALTH,
        Role.POLICE,
        Role.MILITARY,
        Role.DISTRICT_OFFICER,
        Role.COMMUNE_OFFICER,
        Role.HAMLET_HEAD,
    }
)
ZONE_FIELDS = (
    "name",
    "zone_kind",
    "area",
    "units",
    "premises",
    "measure_set",
    "start_date",
    "end_date",
    "decision_number",
    "decision_date",
    "issuing_authority",
    "note",
)

NOT_YOUR_AREA = _("Vùng này nằm ngoài địa bàn của bạn.")


def _has_role(user: Any, roles: frozenset[str]) -> bool:
    if user is None or not getattr(user, "is_authenticated", False) or not user.is_active:
        return False
    return bool(user.is_superuser or scope_for(user).roles & roles)


def can_manage_zones(user: Any) -> bool:
    """Province administrators, steering committees, health, district and commune officers (in their area)."""
    return _has_role(user, ZONE_MANAGER_ROLES)


def can_issue_passes(user: Any) -> bool:
    return _has_role(user, PASS_ISSUER_ROLES)


def can_check_passes(user: Any) -> bool:
    return _has_role(user, CHECKPOINT_ROLES)


# --- Control zones -----------------------------------------------------------------------------


@dataclass(frozen=True)
class ZonePlace:
    area: str
    units: list[Unit]
    premises: Premises | None


def _zone_place(*, area: str, units: list[Unit] | None, premises: Premises | None) -> ZonePlace:
    units = list(dict.fromkeys(units or []))
    if area == ZoneArea.UNITS:
        if not units:
            raise ValidationFailed(_("Chọn ít nhất một đơn vị hành chính."), field="units")
        return ZonePlace(area, units, None)
    if area == ZoneArea.HAMLET:
        if len(units) != 1 or units[0].level != Level.HAMLET:
            raise ValidationFailed(_("Chọn đúng một thôn, xóm, tổ dân phố."), field="units")
        return ZonePlace(area, units, None)
    if area == ZoneArea.PREMISES:
        if not isinstance(premises, Premises):
            raise ValidationFailed(_("Chọn cơ sở, địa điểm."), field="premises")
        return ZonePlace(area, [], premises)
    raise ValidationFailed(_("Chọn phạm vi của vùng."), field="area")


def _require_zone_place_in_scope(actor: Any, place: ZonePlace) -> None:
    if not can_manage_zones(actor):
        raise PermissionDenied(_("Bạn không có quyền thiết lập vùng cách ly, phong tỏa, giãn cách."))
    scope = scope_for(actor)
    if place.premises is not None:
        inside = scope.contains_unit(place.premises.unit) or scope.contains_organisation(place.premises.organisation)
    else:
        inside = all(scope.contains_unit(u) for u in place.units)
    if not inside:
        raise PermissionDenied(NOT_YOUR_AREA)


def _check_zone(values: dict[str, Any]) -> None:
    if values.get("zone_kind") not in ZoneKind.values:
        raise ValidationFailed(_("Chọn loại vùng."), field="zone_kind")
    if not (values.get("name") or "").strip():
        raise ValidationFailed(_("Nhập tên vùng."), field="name")
    start, end = values.get("start_date"), values.get("end_date")
    if start is None:
        raise ValidationFailed(_("Nhập ngày bắt đầu."), field="start_date")
    if end is not None and end < start:
        raise ValidationFailed(_("Ngày kết thúc không được trước ngày bắt đầu."), field="end_date")
    measure_set = values.get("measure_set")
    if not isinstance(measure_set, MeasureSet):
        raise ValidationFailed(_("Chọn bộ biện pháp áp dụng."), field="measure_set")
    if measure_set.effective_from > start or (measure_set.effective_to and measure_set.effective_to < start):
        raise ValidationFailed(
            _("Bộ biện pháp “%(name)s” không có hiệu lực vào ngày bắt đầu.") % {"name": measure_set.name},
            field="measure_set",
        )
    if not (values.get("decision_number") or "").strip():
        raise ValidationFailed(_("Nhập số quyết định."), field="decision_number")
    if not (values.get("issuing_authority") or "").strip():
        raise ValidationFailed(_("Nhập cơ quan quyết định."), field="issuing_authority")


def _zone_detail(zone: ControlZone) -> dict[str, Any]:
    return {
        "kind": zone.zone_kind,
        "area": zone.area,
        "units": sorted(f"{u.tree}:{u.code}" for u in zone.units.all()),
        "premises": str(zone.premises.uid) if zone.premises else None,
        "measure_set": zone.measure_set.code,
        "start": zone.start_date.isoformat(),
        "end": zone.end_date.isoformat() if zone.end_date else None,
        "decision": zone.decision_number,
    }


def zone_create(
    *,
    actor: User | None,
    name: str,
    zone_kind: str,
    area: str,
    measure_set: MeasureSet,
    start_date: date,
    decision_number: str,
    issuing_authority: str,
    units: list[Unit] | None = None,
    premises: Premises | None = None,
    end_date: date | None = None,
    decision_date: date | None = None,
    note: str = "",
) -> ControlZone:
    """Declare an isolation, lockdown or distancing zone (``actor=None``: the system, e.g. the demo)."""
    place = _zone_place(area=area, units=units, premises=premises)
    if actor is not None:
        _require_zone_place_in_scope(actor, place)
    values = {
        "name": name,
        "zone_kind": zone_kind,
        "measure_set": measure_set,
        "start_date": start_date,
        "end_date": end_date,
        "decision_number": decision_number,
        "issuing_authority": issuing_authority,
    }
    _check_zone(values)
    with transaction.atomic():
        zone = ControlZone.objects.create(
            name=name.strip(),
            zone_kind=zone_kind,
            area=place.area,
            premises=place.premises,
            measure_set=measure_set,
            start_date=start_date,
            end_date=end_date,
            decision_number=decision_number.strip(),
            decision_date=decision_date,
            issuing_authority=issuing_authority.strip(),
            note=note.strip(),
            created_by=actor,
        )
        zone.units.set(place.units)
        audit(
            actor=actor,
            action=AuditAction.CREATE,
            obj=zone,
            summary=_("Thiết lập vùng %(name)s") % {"name": zone.name},
            detail=_zone_detail(zone),
        )
    return zone


def zone_update(*, actor: User | None, zone: ControlZone, **fields: Any) -> ControlZone:
    """Change a zone (its place too); a lifted zone keeps its end."""
    unknown = set(fields) - set(ZONE_FIELDS)
    if unknown:
        raise ValidationFailed(_("Không sửa được trường %(fields)s.") % {"fields": ", ".join(sorted(unknown))})
    old_units = list(zone.units.all())
    current: dict[str, Any] = {
        "name": zone.name,
        "zone_kind": zone.zone_kind,
        "area": zone.area,
        "units": old_units,
        "premises": zone.premises,
        "measure_set": zone.measure_set,
        "start_date": zone.start_date,
        "end_date": zone.end_date,
        "decision_number": zone.decision_number,
        "decision_date": zone.decision_date,
        "issuing_authority": zone.issuing_authority,
        "note": zone.note,
    }
    values = {**current, **fields}
    place = _zone_place(area=values["area"], units=values["units"], premises=values["premises"])
    if actor is not None:
        # Both the zone as it was and as it will be must lie in the officer's area.
        _require_zone_place_in_scope(actor, _zone_place(area=zone.area, units=old_units, premises=zone.premises))
        _require_zone_place_in_scope(actor, place)
    if zone.lifted_on is not None and values["end_date"] != zone.end_date:
        raise ValidationFailed(_("Vùng đã được dỡ bỏ; không sửa ngày kết thúc."), field="end_date")
    _check_zone(values)
    with transaction.atomic():
        locked = ControlZone.objects.select_for_update().get(pk=zone.pk)
        before = _zone_detail(locked)
        for name in ZONE_FIELDS:
            if name in ("units", "area", "premises"):
                continue
            value = values[name]
            setattr(locked, name, value.strip() if isinstance(value, str) else value)
        locked.area, locked.premises = place.area, place.premises
        locked.save()
        locked.units.set(place.units)
        after = _zone_detail(locked)
        changed = {k: [before[k], after[k]] for k in after if before[k] != after[k]}
        audit(
            actor=actor,
            action=AuditAction.UPDATE,
            obj=locked,
            summary=_("Sửa vùng %(name)s") % {"name": locked.name},
            detail={"changed": changed},
        )
    return locked


def zone_lift(
    *, actor: User | None, zone: ControlZone, lifted_on: date, decision_number: str = "", note: str = ""
) -> ControlZone:
    """Lift a zone from ``lifted_on``: its last day in force is the day before."""
    if actor is not None:
        _require_zone_place_in_scope(
            actor, _zone_place(area=zone.area, units=list(zone.units.all()), premises=zone.premises)
        )
    if lifted_on is None:
        raise ValidationFailed(_("Nhập ngày dỡ bỏ."), field="lifted_on")
    if zone.lifted_on is not None:
        raise ValidationFailed(_("Vùng này đã được dỡ bỏ."), field="lifted_on")
    if lifted_on <= zone.start_date:
        raise ValidationFailed(_("Ngày dỡ bỏ phải sau ngày bắt đầu."), field="lifted_on")
    if zone.end_date is not None and lifted_on > zone.end_date + timedelta(days=1):
        raise ValidationFailed(_("Vùng đã hết hiệu lực trước ngày này."), field="lifted_on")
    with transaction.atomic():
        locked = ControlZone.objects.select_for_update().get(pk=zone.pk)
        locked.lifted_on = lifted_on
        locked.end_date = lifted_on - timedelta(days=1)
        locked.lift_decision_number = (decision_number or "").strip()[:60]
        if note.strip():
            locked.note = f"{locked.note}\n{note.strip()}".strip()
        locked.save()
        audit(
            actor=actor,
            action=AuditAction.UPDATE,
            obj=locked,
            summary=_("Dỡ bỏ vùng %(name)s từ %(day)s") % {"name": locked.name, "day": f"{lifted_on:%d/%m/%Y}"},
            detail={"lifted_on": lifted_on.isoformat(), "decision": locked.lift_decision_number},
        )
    return locked


# --- Goods-transport passes --------------------------------------------------------------------


def _require_issuer(actor: Any, issuing_unit: Unit) -> None:
    if not can_issue_passes(actor):
        raise PermissionDenied(_("Bạn không có quyền cấp thẻ luồng xanh."))
    if not scope_for(actor).contains_unit(issuing_unit):
        raise PermissionDenied(_("Đơn vị cấp thẻ nằm ngoài địa bàn của bạn."))


def _pass_values(values: dict[str, Any]) -> dict[str, Any]:
    """Validated, normalised pass fields (ValidationFailed naming the field)."""
    out = dict(values)
    out["plate"] = normalise_plate(values.get("plate") or "")
    out["driver_name"] = " ".join((values.get("driver_name") or "").split())
    if not out["driver_name"]:
        raise ValidationFailed(_("Nhập họ tên lái xe."), field="driver_name")
    try:
        out["driver_phone"] = normalise_phone(values.get("driver_phone") or "")
    except ValidationFailed as exc:
        raise ValidationFailed(exc.message, field="driver_phone") from None
    cccd = (values.get("driver_cccd") or "").strip()
    if cccd:
        try:
            cccd_parse(cccd)
        except ValidationFailed as exc:
            raise ValidationFailed(exc.message, field="driver_cccd") from None
    out["driver_cccd"] = cccd
    out["goods"] = (values.get("goods") or "").strip()
    if not out["goods"]:
        raise ValidationFailed(_("Nhập loại hàng hóa vận chuyển."), field="goods")
    for end in ("origin", "destination"):
        text = (values.get(f"{end}_text") or "").strip()
        unit = values.get(f"{end}_unit")
        if unit is None and not text:
            raise ValidationFailed(_("Chọn đơn vị trong tỉnh hoặc ghi địa điểm ngoài tỉnh."), field=f"{end}_unit")
        out[f"{end}_text"] = "" if unit is not None else text
    start, end_day = values.get("valid_from"), values.get("valid_to")
    if start is None:
        raise ValidationFailed(_("Nhập ngày bắt đầu có giá trị."), field="valid_from")
    if end_day is None:
        raise ValidationFailed(_("Nhập ngày hết giá trị."), field="valid_to")
    if end_day < start:
        raise ValidationFailed(_("Ngày hết giá trị không được trước ngày bắt đầu."), field="valid_to")
    out["carrier"] = (values.get("carrier") or "").strip()
    out["note"] = (values.get("note") or "").strip()
    return out


def pass_issue(
    *,
    actor: User | None,
    issuing_unit: Unit,
    plate: str,
    driver_name: str,
    driver_phone: str,
    goods: str,
    valid_from: date,
    valid_to: date,
    driver_cccd: str = "",
    carrier: str = "",
    origin_unit: Unit | None = None,
    origin_text: str = "",
    destination_unit: Unit | None = None,
    destination_text: str = "",
    zones: list[ControlZone] | None = None,
    note: str = "",
) -> TransportPass:
    """Issue a goods-transport pass with a fresh secret token."""
    if actor is not None:
        _require_issuer(actor, issuing_unit)
    values = _pass_values(
        {
            "plate": plate,
            "driver_name": driver_name,
            "driver_phone": driver_phone,
            "driver_cccd": driver_cccd,
            "carrier": carrier,
            "goods": goods,
            "origin_unit": origin_unit,
            "origin_text": origin_text,
            "destination_unit": destination_unit,
            "destination_text": destination_text,
            "valid_from": valid_from,
            "valid_to": valid_to,
            "note": note,
        }
    )
    with transaction.atomic():
        issued = TransportPass.objects.create(nonce=new_nonce(), issuing_unit=issuing_unit, issued_by=actor, **values)
        issued.zones.set(zones or [])
        audit(
            actor=actor,
            action=AuditAction.CREATE,
            obj=issued,
            summary=_("Cấp thẻ luồng xanh cho xe %(plate)s") % {"plate": issued.plate},
            detail={
                "plate": issued.plate,
                "valid_from": valid_from.isoformat(),
                "valid_to": valid_to.isoformat(),
                "issuing_unit": issuing_unit.code,
            },
        )
    return issued


def pass_revoke(*, actor: User | None, transport_pass: TransportPass, reason: str) -> TransportPass:
    """Revoke a pass: from now on every check of its token answers "revoked"."""
    if actor is not None:
        _require_issuer(actor, transport_pass.issuing_unit)
    reason = (reason or "").strip()
    if not reason:
        raise ValidationFailed(_("Nhập lý do thu hồi."), field="reason")
    with transaction.atomic():
        locked = TransportPass.objects.select_for_update().get(pk=transport_pass.pk)
        if locked.revoked_at is not None:
            raise ValidationFailed(_("Thẻ này đã bị thu hồi."), field="reason")
        locked.revoked_at = timezone.now()
        locked.revoke_reason = reason[:255]
        locked.save(update_fields=["revoked_at", "revoke_reason", "updated_at"])
        audit(
            actor=actor,
            action=AuditAction.UPDATE,
            obj=locked,
            summary=_("Thu hồi thẻ luồng xanh xe %(plate)s") % {"plate": locked.plate},
            detail={"reason": locked.revoke_reason},
        )
    return locked


def pass_reissue(
    *,
    actor: User | None,
    transport_pass: TransportPass,
    valid_from: date | None = None,
    valid_to: date | None = None,
    reason: str = "",
) -> TransportPass:
    """Re-issue a pass (lost card, new dates): the old one is revoked, a new one with a new token made."""
    old = transport_pass
    if actor is not None:
        _require_issuer(actor, old.issuing_unit)
    if old.replaced_by_id is not None:
        raise ValidationFailed(_("Thẻ này đã được cấp lại."))
    with transaction.atomic():
        new = pass_issue(
            actor=actor,
            issuing_unit=old.issuing_unit,
            plate=old.plate,
            driver_name=old.driver_name,
            driver_phone=old.driver_phone,
            driver_cccd=old.driver_cccd,
            carrier=old.carrier,
            goods=old.goods,
            origin_unit=old.origin_unit,
            origin_text=old.origin_text,
            destination_unit=old.destination_unit,
            destination_text=old.destination_text,
            valid_from=valid_from or old.valid_from,
            valid_to=valid_to or old.valid_to,
            zones=list(old.zones.all()),
            note=old.note,
        )
        locked = TransportPass.objects.select_for_update().get(pk=old.pk)
        if locked.revoked_at is None:
            locked.revoked_at = timezone.now()
            locked.revoke_reason = (reason or "").strip()[:255] or _("Đã cấp lại thẻ mới")
        locked.replaced_by = new
        locked.save(update_fields=["revoked_at", "revoke_reason", "replaced_by", "updated_at"])
        audit(
            actor=actor,
            action=AuditAction.UPDATE,
            obj=locked,
            summary=_("Cấp lại thẻ luồng xanh xe %(plate)s") % {"plate": locked.plate},
            detail={"new": str(new.uid), "reason": locked.revoke_reason},
        )
    return new


# --- Checkpoints and checks --------------------------------------------------------------------


def checkpoint_create(*, actor: User | None, name: str, unit: Unit, zone: ControlZone | None = None) -> Checkpoint:
    if actor is not None:
        if not (can_manage_zones(actor) or _has_role(actor, frozenset({Role.POLICE, Role.MILITARY}))):
            raise PermissionDenied(_("Bạn không có quyền lập chốt kiểm soát."))
        if not scope_for(actor).contains_unit(unit):
            raise PermissionDenied(NOT_YOUR_AREA)
    name = " ".join((name or "").split())
    if not name:
        raise ValidationFailed(_("Nhập tên chốt."), field="name")
    with transaction.atomic():
        checkpoint = Checkpoint.objects.create(name=name[:160], unit=unit, zone=zone, created_by=actor)
        audit(
            actor=actor,
            action=AuditAction.CREATE,
            obj=checkpoint,
            summary=_("Lập chốt kiểm soát %(name)s") % {"name": checkpoint.name},
            detail={"unit": unit.code, "zone": str(zone.uid) if zone else None},
        )
    return checkpoint


@dataclass(frozen=True)
class CheckOutcome:
    check: PassCheck
    result: PassResult
    transport_pass: TransportPass | None


def pass_check(*, actor: User | None, checkpoint: Checkpoint, code: str, at: datetime | None = None) -> CheckOutcome:
    """Check what was scanned or typed at ``checkpoint`` and record the check, whatever the answer:
    valid, not yet valid, expired, revoked, or unknown (malformed, forged or no such pass)."""
    if actor is not None:
        if not can_check_passes(actor):
            raise PermissionDenied(_("Bạn không có quyền kiểm tra thẻ tại chốt."))
        if not scope_for(actor).contains_unit(checkpoint.unit):
            raise PermissionDenied(_("Chốt này nằm ngoài địa bàn của bạn."))
    if not checkpoint.is_active:
        raise ValidationFailed(_("Chốt này đã ngừng hoạt động."))
    if not (code or "").strip():
        raise ValidationFailed(_("Quét mã QR hoặc nhập mã in dưới mã QR."), field="code")
    at = at or timezone.now()
    nonce = nonce_of(code)
    found = (
        TransportPass.objects.select_related("issuing_unit", "origin_unit", "destination_unit")
        .filter(nonce=nonce)
        .first()
        if nonce
        else None
    )
    if found is None:
        result = PassResult.UNKNOWN
    else:
        result = pass_status(
            valid_from=found.valid_from,
            valid_to=found.valid_to,
            revoked=found.revoked_at is not None and found.revoked_at <= at,
            on=timezone.localdate(at),
        )
    with transaction.atomic():
        check = PassCheck.objects.create(
            transport_pass=found,
            checkpoint=checkpoint,
            checked_at=at,
            result=result,
            code=(clean_token(code) or " ".join(code.split()))[:64],
            checked_by=actor,
        )
        audit(
            actor=actor,
            action=AuditAction.CREATE,
            obj=check,
            summary=_("Kiểm tra thẻ luồng xanh tại %(checkpoint)s: %(result)s")
            % {"checkpoint": checkpoint.name, "result": result.label},
            detail={"result": str(result), "pass": str(found.uid) if found else None},
        )
    return CheckOutcome(check=check, result=result, transport_pass=found)
