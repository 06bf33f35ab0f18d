"""Writes of the health pass (M1): a gate scan (colour shown, check-in recorded, read audited)
and a citizen's own lookup of their code by CCCD, phone and birth (throttled)."""

from __future__ import annotations

import re
import uuid
from dataclasses import dataclass
from datetime import date, datetime

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from phongdich.checkins.models import Source
from phongdich.checkins.services import checkin_record
from phongdich.core import throttle
from phongdich.core.audit import audit
from phongdich.core.errors import ValidationFailed
from phongdich.core.models import AuditAction, User
from phongdich.orgs.models import Premises
from phongdich.people.models import Person
from phongdich.people.services import live_person
from phongdich.people.validators import normalise_phone, validate_cccd

from .rules import Colour, gate_colour
from .selectors import facts_of, gate_premises
from .tokens import code_verify

CODE_UNKNOWN = _("Mã QR cá nhân không còn gắn với hồ sơ nào. Người dân mở lại trang mã QR cá nhân để lấy mã mới.")
GATE_NOT_ALLOWED = _("Bạn không trực cổng tại địa điểm này.")
LOOKUP_MISMATCH = _("Thông tin không khớp với hồ sơ nào. Vui lòng kiểm tra số CCCD, số điện thoại và ngày sinh.")
LOOKUP_BLOCKED = _("Nhập sai quá nhiều lần. Vui lòng thử lại sau %(minutes)s phút.")
BIRTH_INVALID = _("Nhập ngày sinh dạng ngày/tháng/năm (ví dụ 05/09/1985) hoặc năm sinh (ví dụ 1985).")
CCCD_REQUIRED = _("Vui lòng nhập số CCCD.")


def initials(full_name: str) -> str:
    """``Nguyễn Văn An`` → ``N.V.A.`` (what a gate shows of a name)."""
    return "".join(f"{word[0].upper()}." for word in full_name.split() if word)


@dataclass(frozen=True)
class GateResult:
    colour: Colour
    initials: str
    birth_year: int
    premises: Premises
    at: datetime
    created: bool


def gate_scan(
    *, actor: User, premises: Premises, code: str, client_id: uuid.UUID | str, now: datetime | None = None
) -> GateResult:
    """Read a personal code at a gate: the person's colour, and a check-in at ``premises`` (source gate).

    Forged, expired or malformed codes raise ValidationFailed and store nothing. The read of the
    person's status is audited without the colour or any health fact.
    """
    now = now or timezone.now()
    if not gate_premises(actor).filter(pk=premises.pk).exists():
        raise PermissionDenied(GATE_NOT_ALLOWED)
    verified = code_verify(code, now=now)
    person = Person.objects.filter(uid=verified.person_uid).first()
    if person is None:
        raise ValidationFailed(CODE_UNKNOWN, field="code")
    person = live_person(person)
    colour = gate_colour(facts_of(person))
    with transaction.atomic():
        checkin, created = checkin_record(
            premises=premises, person=person, at=now, client_id=client_id, source=Source.GATE, actor=actor
        )
        audit(
            actor=actor,
            action=AuditAction.READ,
            obj=person,
            summary=f"Quét mã QR cá nhân tại cổng: {premises.name}"[:255],
            detail={"premises": str(premises.uid), "checkin": str(checkin.client_id)},
        )
    return GateResult(
        colour=colour,
        initials=initials(person.full_name),
        birth_year=person.birth_year,
        premises=premises,
        at=checkin.at,
        created=created,
    )


# --- A citizen's own lookup -------------------------------------------------------------------


def parse_birth(text: str) -> tuple[int, date | None]:
    """``05/09/1985``, ``5-9-1985`` or ``1985`` → (year, date or None); ValidationFailed otherwise."""
    text = (text or "").strip()
    if re.fullmatch(r"\d{4}", text):
        return int(text), None
    match = re.fullmatch(r"(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})", text)
    if match:
        day, month, year = (int(g) for g in match.groups())
        try:
            return year, date(year, month, day)
        except ValueError:
            pass
    raise ValidationFailed(BIRTH_INVALID, field="birth")


def _birth_matches(person: Person, year: int, born: date | None) -> bool:
    if born is not None and person.birth_date is not None:
        return person.birth_date == born
    return person.birth_year == year


def lookup_key(cccd: str) -> str:
    return f"healthpass:{cccd.strip()}"


def pass_lookup(*, cccd: str, phone: str, birth: str, ip: str | None) -> Person:
    """The person whose CCCD, phone and date (or year) of birth all match; counted like a login.

    Failures count per CCCD and per address (``core.throttle``, the login budget); once either
    reaches the limit every attempt is refused for the window, even a right one. A mismatch
    never says which of the three was wrong.
    """
    cccd = (cccd or "").strip()
    if throttle.is_blocked(lookup_key(cccd), ip):
        raise ValidationFailed(LOOKUP_BLOCKED % {"minutes": max(1, throttle.window_seconds() // 60)})
    if not cccd:
        raise ValidationFailed(CCCD_REQUIRED, field="cccd")
    cccd = validate_cccd(cccd)
    phone = normalise_phone(phone or "")
    year, born = parse_birth(birth)
    person = Person.objects.filter(cccd=cccd).first()
    if person is not None:
        person = live_person(person)
    if person is None or person.phone != phone or not _birth_matches(person, year, born):
        throttle.record_failure(lookup_key(cccd), ip)
        raise ValidationFailed(LOOKUP_MISMATCH)
    audit(
        actor=None,
        action=AuditAction.READ,
        obj=person,
        summary="Người dân tự tra cứu mã QR cá nhân",
        actor_username="citizen",
    )
    return person
