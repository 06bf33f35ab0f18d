"""Writes of the movements app: declare an arrival or a departure (M3, M9).

An arrival into a commune or hamlet in the actor's jurisdiction records the stay in the place the
person came from through ``zones.services.visit_record`` (source ``movement:<uid>``), so the exposure
flags follow at once (M5). A departure closes the person's open arrival in that commune.
"""

from __future__ import annotations

import re
from datetime import date, time, timedelta
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from phongdich.core.audit import audit
from phongdich.core.errors import ValidationFailed
from phongdich.core.models import AuditAction
from phongdich.geo.models import Level, Unit
from phongdich.orgs.scope import scope_for
from phongdich.people.models import Person
from phongdich.zones.countries import COUNTRIES
from phongdich.zones.models import PlaceKind
from phongdich.zones.services import visit_record

from .models import DeclaredBy, Direction, LodgingKind, Movement, Transport

MAX_STAY_DAYS = 366


def may_record(actor: Any) -> bool:
    """Anyone with a jurisdiction of units (commune officers, hamlet heads, district and province staff)."""
    if actor is None:
        return True
    return bool(
        getattr(actor, "is_authenticated", False) and (scope_for(actor).everything or scope_for(actor).unit_paths)
    )


def _commune_of(unit: Unit) -> Unit:
    if unit.level == Level.COMMUNE:
        return unit
    if unit.level == Level.HAMLET and unit.parent is not None:
        return unit.parent
    raise ValidationFailed(_("Chọn xã, phường, thị trấn hoặc thôn, xóm, tổ dân phố."), field="unit")


def _check_unit(actor: Any, unit: Unit | None) -> Unit:
    if not isinstance(unit, Unit):
        raise ValidationFailed(_("Chọn xã, phường hoặc thôn, xóm nơi đến/đi."), field="unit")
    commune = _commune_of(unit)
    if unit.tree != getattr(settings, "ADMIN_TREE", "2021"):
        raise ValidationFailed(_("Đơn vị này không thuộc danh mục hành chính đang dùng."), field="unit")
    if actor is not None and not scope_for(actor).contains_unit(unit):
        raise PermissionDenied(_("Đơn vị này nằm ngoài địa bàn bạn quản lý."))
    return commune


def _place(
    *, place_kind: str, country: str, place_unit: Unit | None, place_note: str, required: bool
) -> tuple[str, str, Unit | None, str]:
    note = " ".join((place_note or "").split())[:255]
    if not place_kind:
        if required:
            raise ValidationFailed(_("Chọn nơi đi: nước ngoài hay trong nước."), field="place_kind")
        return "", "", None, note
    if place_kind == PlaceKind.COUNTRY:
        code = (country or "").strip().upper()
        if not code:
            raise ValidationFailed(_("Chọn nước."), field="country")
        if code not in COUNTRIES:
            raise ValidationFailed(_("Không có mã nước “%(code)s” trong danh mục.") % {"code": code}, field="country")
        return place_kind, code, None, note
    if place_kind == PlaceKind.UNIT:
        if place_unit is None and not note:
            raise ValidationFailed(
                _("Nhập mã tỉnh, huyện, xã hoặc ghi địa chỉ nơi đi/đến trong nước."), field="place_unit"
            )
        return place_kind, "", place_unit, note
    raise ValidationFailed(_("Chọn nước ngoài hoặc địa phương trong nước."), field="place_kind")


def _check_date(day: date | None, *, field: str) -> date:
    if not isinstance(day, date):
        raise ValidationFailed(_("Nhập ngày."), field=field)
    if day > timezone.localdate():
        raise ValidationFailed(_("Ngày không được sau hôm nay."), field=field)
    return day


def _choice(value: str, choices: Any, *, field: str, required: bool = True) -> str:
    if not value and not required:
        return ""
    if value not in choices.values:
        raise ValidationFailed(_("Giá trị không hợp lệ: “%(value)s”.") % {"value": value}, field=field)
    return value


def _declarant_phone(phone: str) -> str:
    from phongdich.people.validators import normalise_phone

    phone = (phone or "").strip()
    if not phone:
        return ""
    try:
        return normalise_phone(phone)
    except ValidationFailed as exc:
        raise ValidationFailed(exc.message, field="declarant_phone") from None


def open_arrival(*, person: Person, commune: Unit) -> Movement | None:
    return (
        Movement.objects.filter(person=person, commune=commune, direction=Direction.ARRIVAL, left_on__isnull=True)
        .order_by("-move_date", "-id")
        .first()
    )


def arrival_declare(
    *,
    actor: Any,
    person: Person,
    unit: Unit,
    move_date: date,
    place_kind: str,
    country: str = "",
    place_unit: Unit | None = None,
    place_note: str = "",
    place_from: date | None = None,
    move_time: time | None = None,
    transport: str,
    vehicle_no: str = "",
    lodging_kind: str,
    lodging_address: str,
    expected_days: int | None = None,
    expected_departure: date | None = None,
    declared_by: str = DeclaredBy.OFFICIAL,
    declarant_name: str = "",
    declarant_phone: str = "",
    note: str = "",
    reported_on: date | None = None,
) -> Movement:
    """Declare that ``person`` arrived in ``unit`` (a commune or hamlet of the actor's jurisdiction)."""
    if actor is not None and not may_record(actor):
        raise PermissionDenied(_("Bạn không có địa bàn quản lý để khai báo di biến động."))
    commune = _check_unit(actor, unit)
    if not isinstance(person, Person) or person.merged_into_id is not None:
        raise ValidationFailed(_("Chọn người khai báo."), field="person")
    move_date = _check_date(move_date, field="move_date")
    kind, country, place_unit, place_note = _place(
        place_kind=place_kind, country=country, place_unit=place_unit, place_note=place_note, required=True
    )
    if place_from is not None and place_from > move_date:
        raise ValidationFailed(_("Ngày bắt đầu ở nơi đi không được sau ngày đến."), field="place_from")
    transport = _choice(transport, Transport, field="transport")
    lodging_kind = _choice(lodging_kind, LodgingKind, field="lodging_kind")
    declared_by = _choice(declared_by, DeclaredBy, field="declared_by")
    lodging_address = " ".join((lodging_address or "").split())
    if not lodging_address:
        raise ValidationFailed(_("Nhập địa chỉ nơi lưu trú."), field="lodging_address")
    if expected_days is not None:
        if not 0 <= expected_days <= MAX_STAY_DAYS:
            raise ValidationFailed(
                _("Số ngày dự kiến lưu trú phải từ 0 đến %(max)s.") % {"max": MAX_STAY_DAYS}, field="expected_days"
            )
        by_days = move_date + timedelta(days=expected_days)
        if expected_departure is not None and expected_departure != by_days:
            raise ValidationFailed(
                _("Nhập số ngày lưu trú hoặc ngày dự kiến đi, không nhập cả hai khác nhau."), field="expected_days"
            )
        expected_departure = by_days
    if expected_departure is not None and expected_departure < move_date:
        raise ValidationFailed(_("Ngày dự kiến đi không được trước ngày đến."), field="expected_departure")
    if open_arrival(person=person, commune=commune) is not None:
        raise ValidationFailed(
            _("Người này đang lưu trú tại %(commune)s (chưa khai báo đi).") % {"commune": commune.name},
            field="person",
        )
    with transaction.atomic():
        movement = Movement.objects.create(
            person=person,
            direction=Direction.ARRIVAL,
            unit=unit,
            commune=commune,
            place_kind=kind,
            country=country,
            place_unit=place_unit,
            place_note=place_note,
            place_from=place_from,
            move_date=move_date,
            move_time=move_time,
            transport=transport,
            vehicle_no=(vehicle_no or "").strip()[:40],
            lodging_kind=lodging_kind,
            lodging_address=lodging_address[:255],
            expected_departure=expected_departure,
            declared_by=declared_by,
            declarant_name=" ".join((declarant_name or "").split())[:120],
            declarant_phone=_declarant_phone(declarant_phone),
            note=(note or "").strip()[:255],
            recorded_by=actor,
        )
        audit(
            actor=actor,
            action=AuditAction.CREATE,
            obj=movement,
            summary=_("Khai báo đến %(unit)s: %(person)s") % {"unit": unit.name, "person": person.full_name},
            detail={"person": str(person.uid), "from": movement.place_key or place_note, "date": move_date.isoformat()},
        )
        if kind == PlaceKind.COUNTRY or place_unit is not None:
            # The stay in the origin is a visit: the exposure rule flags it when the origin is an epidemic area.
            visible = actor is None or Person.objects.for_user(actor).filter(pk=person.pk).exists()
            visit_record(
                actor=actor if visible else None,
                person=person,
                kind=kind,
                country=country,
                unit=place_unit,
                from_date=place_from or move_date,
                to_date=move_date,
                reported_on=max(reported_on or timezone.localdate(), move_date),
                source=f"movement:{movement.uid}",
            )
    return movement


def departure_declare(
    *,
    actor: Any,
    person: Person,
    unit: Unit,
    move_date: date,
    place_kind: str = "",
    country: str = "",
    place_unit: Unit | None = None,
    place_note: str = "",
    move_time: time | None = None,
    transport: str,
    vehicle_no: str = "",
    declared_by: str = DeclaredBy.OFFICIAL,
    declarant_name: str = "",
    note: str = "",
) -> Movement:
    """Declare that ``person`` left ``unit``; their open arrival in that commune (if any) is closed."""
    if actor is not None and not may_record(actor):
        raise PermissionDenied(_("Bạn không có địa bàn quản lý để khai báo di biến động."))
    commune = _check_unit(actor, unit)
    if not isinstance(person, Person) or person.merged_into_id is not None:
        raise ValidationFailed(_("Chọn người khai báo."), field="person")
    move_date = _check_date(move_date, field="move_date")
    kind, country, place_unit, place_note = _place(
        place_kind=place_kind, country=country, place_unit=place_unit, place_note=place_note, required=False
    )
    transport = _choice(transport, Transport, field="transport")
    declared_by = _choice(declared_by, DeclaredBy, field="declared_by")
    with transaction.atomic():
        arrival = (
            Movement.objects.select_for_update()
            .filter(person=person, commune=commune, direction=Direction.ARRIVAL, left_on__isnull=True)
            .order_by("-move_date", "-id")
            .first()
        )
        if arrival is not None and move_date < arrival.move_date:
            raise ValidationFailed(
                _("Ngày đi không được trước ngày đến (%(day)s).") % {"day": f"{arrival.move_date:%d/%m/%Y}"},
                field="move_date",
            )
        if arrival is None and not Person.objects.filter(pk=person.pk).in_unit(commune).exists():
            raise ValidationFailed(
                _("Người này không cư trú và chưa khai báo đến %(commune)s.") % {"commune": commune.name},
                field="person",
            )
        movement = Movement.objects.create(
            person=person,
            direction=Direction.DEPARTURE,
            unit=unit,
            commune=commune,
            place_kind=kind,
            country=country,
            place_unit=place_unit,
            place_note=place_note,
            move_date=move_date,
            move_time=move_time,
            transport=transport,
            vehicle_no=(vehicle_no or "").strip()[:40],
            declared_by=declared_by,
            declarant_name=" ".join((declarant_name or "").split())[:120],
            note=(note or "").strip()[:255],
            recorded_by=actor,
        )
        if arrival is not None:
            arrival.left_on = move_date
            arrival.closed_by = movement
            arrival.save(update_fields=["left_on", "closed_by", "updated_at"])
        audit(
            actor=actor,
            action=AuditAction.CREATE,
            obj=movement,
            summary=_("Khai báo đi khỏi %(unit)s: %(person)s") % {"unit": unit.name, "person": person.full_name},
            detail={
                "person": str(person.uid),
                "date": move_date.isoformat(),
                "closes": str(arrival.uid) if arrival is not None else None,
            },
        )
    return movement


def person_for_declaration(
    *,
    actor: Any,
    unit: Unit,
    cccd: str = "",
    phone: str = "",
    full_name: str = "",
    birth_year: int | None = None,
    sex: str = "",
    address: str = "",
) -> Person:
    """The person a declaration is about: found by CCCD (anywhere: it names one person), else by phone
    among the people the actor may see (with the name when several share it); otherwise registered
    through ``people.services.person_create`` with the lodging unit as the place of residence, so its
    validation and de-duplication apply."""
    from phongdich.core.text import fold
    from phongdich.people.services import CreateOutcome, live_person, person_create
    from phongdich.people.validators import normalise_phone, validate_cccd

    cccd = re.sub(r"[\s.]", "", cccd or "")
    if cccd:
        cccd = validate_cccd(cccd)
        holder = Person.objects.filter(cccd=cccd).first()
        if holder is not None:
            return live_person(holder)
    phone = (phone or "").strip()
    if phone:
        phone = normalise_phone(phone)
        visible = Person.objects.all() if actor is None else Person.objects.for_user(actor)
        same = list(visible.active().filter(phone=phone)[:20])
        if full_name:
            same = [p for p in same if p.name_folded == fold(full_name)[:120]] or same
        if len(same) == 1:
            return same[0]
    if not (full_name or "").strip():
        raise ValidationFailed(
            _("Không tìm thấy hồ sơ: nhập họ tên, năm sinh, giới tính để đăng ký mới."), field="full_name"
        )
    if not birth_year:
        raise ValidationFailed(_("Nhập năm sinh."), field="birth_year")
    _check_unit(actor, unit)
    result = person_create(
        actor=actor,
        full_name=full_name,
        birth_year=birth_year,
        sex=sex,
        cccd=cccd,
        phone=phone,
        residence_unit=unit,
        address=address,
    )
    if result.outcome is CreateOutcome.POSSIBLE_DUPLICATE:
        return result.candidates[0]
    assert result.person is not None
    return result.person


PUBLIC_DECLARERS = (DeclaredBy.SELF, DeclaredBy.LODGING_OWNER)
_MARKUP = re.compile(r"[<>]")


def _plain(value: str, *, field: str) -> str:
    from phongdich.declarations.services import MARKUP

    value = " ".join((value or "").split())
    if _MARKUP.search(value):
        raise ValidationFailed(MARKUP, field=field)
    return value


def arrival_self_declare(
    *,
    declared_by: str,
    full_name: str,
    id_number: str,
    birth_year: int | None,
    sex: str,
    nationality: str = "VN",
    phone: str,
    unit: Unit,
    lodging_address: str,
    declarant_name: str = "",
    declarant_phone: str = "",
    place_note: str = "",
    vehicle_no: str = "",
    **arrival: Any,
) -> Movement:
    """The public arrival declaration (no login), by the person themself or by the lodging owner for a guest.

    The identity is checked as the public medical declaration checks it (``declarations.services.
    clean_declaration``: name, CCCD or passport, year of birth, sex, phone, no markup); the person is found
    by CCCD or registered (the arrival commune as the place of residence), then the arrival is stored
    through ``arrival_declare`` with no actor, so the visit and exposure flags follow. All or nothing."""
    from phongdich.declarations.services import REQUIRED, clean_declaration
    from phongdich.people.services import CreateOutcome, person_create

    if declared_by not in PUBLIC_DECLARERS:
        raise ValidationFailed(_("Chọn người khai báo."), field="declared_by")
    commune = _check_unit(None, unit)
    values = clean_declaration(
        {
            "full_name": full_name,
            "id_number": id_number,
            "birth_year": birth_year,
            "sex": sex,
            "nationality": nationality or "VN",
            "residence_unit": commune,
            "address": lodging_address,
            "phone": phone,
        }
    )
    place_note = _plain(place_note, field="place_note")
    vehicle_no = _plain(vehicle_no, field="vehicle_no")
    declarant_name = _plain(declarant_name, field="declarant_name")
    if declared_by == DeclaredBy.LODGING_OWNER:
        if not declarant_name:
            raise ValidationFailed(REQUIRED, field="declarant_name")
        if not (declarant_phone or "").strip():
            raise ValidationFailed(REQUIRED, field="declarant_phone")
    else:
        declarant_name, declarant_phone = "", ""
    is_cccd = values["id_number"].isdigit()
    with transaction.atomic():
        result = person_create(
            actor=None,
            full_name=values["full_name"],
            birth_year=values["birth_year"],
            sex=values["sex"],
            cccd=values["id_number"] if is_cccd else None,
            passport_no="" if is_cccd else values["id_number"],
            nationality=values["nationality"],
            phone=values["phone"],
            residence_unit=commune,
            address=values["address"],
        )
        person = result.candidates[0] if result.outcome == CreateOutcome.POSSIBLE_DUPLICATE else result.person
        assert person is not None
        return arrival_declare(
            actor=None,
            person=person,
            unit=unit,
            lodging_address=values["address"],
            place_note=place_note,
            vehicle_no=vehicle_no,
            declared_by=declared_by,
            declarant_name=declarant_name,
            declarant_phone=declarant_phone,
            **arrival,
        )
