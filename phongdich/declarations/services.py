"""Writes of the declarations app: file a declaration (self-service or assisted), update it with its code,
create the commune's follow-up, mark a follow-up done (M2).

Every rule is checked before anything is written; the writes of one declaration — person, declaration,
visits, exposure flags, follow-up, audit — happen in one transaction.
"""

from __future__ import annotations

import hashlib
import re
import secrets
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from phongdich.core.audit import audit
from phongdich.core.errors import ValidationFailed
from phongdich.core.models import AuditAction, User
from phongdich.geo.models import Level, Unit
from phongdich.orgs.scope import scope_for
from phongdich.people.models import Person
from phongdich.people.services import CreateOutcome, person_create
from phongdich.people.validators import (
    normalise_nationality,
    normalise_passport,
    normalise_phone,
    validate_birth,
    validate_cccd,
)
from phongdich.zones.countries import COUNTRIES
from phongdich.zones.models import ExposureFlag, PlaceKind
from phongdich.zones.services import visit_record

from .models import (
    EXPOSURE_FIELDS,
    SYMPTOM_FIELDS,
    Channel,
    DeclaredVisit,
    FollowUpTask,
    MedicalDeclaration,
    Vehicle,
)

CODE_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # no 0/O, 1/I
CODE_LENGTH = 8
LOOK_BACK_DAYS = 14
MAX_VISITS = 5

REQUIRED = gettext_lazy("Vui lòng nhập mục này.")
MARKUP = gettext_lazy("Không được nhập mã HTML hoặc ký tự < > trong mục này.")
FUTURE = gettext_lazy("Ngày không được ở tương lai.")
VISIT_TOO_OLD = gettext_lazy("Chỉ khai nơi đã đến trong 14 ngày gần đây (từ ngày %(day)s).")
TO_BEFORE_FROM = gettext_lazy("Ngày rời đi không được trước ngày đến.")
ARRIVAL_BEFORE_DEPARTURE = gettext_lazy("Ngày đến không được trước ngày khởi hành.")
COMMUNE_UNKNOWN = gettext_lazy("Không có xã, phường này trong danh mục. Vui lòng chọn lại.")
COMMUNE_OUT_OF_SCOPE = gettext_lazy("Xã, phường này không thuộc địa bàn của bạn.")
SEX_INVALID = gettext_lazy("Vui lòng chọn giới tính.")
CODE_WRONG = gettext_lazy("Mã khai báo hoặc số điện thoại không đúng.")
PLACE_UNKNOWN = gettext_lazy("Không có nơi này trong danh mục. Vui lòng chọn lại.")

TEXT_FIELDS = {
    "full_name": 120,
    "address": 200,
    "vehicle_number": 20,
    "seat": 10,
    "departure_place": 120,
    "arrival_place": 120,
}
_MARKUP = re.compile(r"[<>]")


@dataclass(frozen=True)
class Filed:
    declaration: MedicalDeclaration
    code: str | None  # shown once, on the first version only


def _hash(code: str) -> str:
    return hashlib.sha256(f"{settings.SECRET_KEY}:declaration:{code.strip().upper()}".encode()).hexdigest()


def _new_code() -> tuple[str, str]:
    while True:
        code = "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))
        digest = _hash(code)
        if not MedicalDeclaration.objects.filter(code_hash=digest).exists():
            return code, digest


def commune_by_code(code: str) -> Unit | None:
    """A commune of the tree in force, by its GSO code."""
    return Unit.objects.filter(
        tree=getattr(settings, "ADMIN_TREE", "2021"), code=(code or "").strip(), level=Level.COMMUNE
    ).first()


def _text(data: dict[str, Any], name: str, *, required: bool = False) -> str:
    value = " ".join(str(data.get(name) or "").split())
    if required and not value:
        raise ValidationFailed(REQUIRED, field=name)
    if _MARKUP.search(value):
        raise ValidationFailed(MARKUP, field=name)
    return value[: TEXT_FIELDS.get(name, 200)]


def _past(value: Any, field: str, today: date) -> date | None:
    if value in (None, ""):
        return None
    if not isinstance(value, date):
        raise ValidationFailed(REQUIRED, field=field)
    if value > today:
        raise ValidationFailed(FUTURE, field=field)
    return value


def clean_declaration(data: dict[str, Any], *, today: date | None = None) -> dict[str, Any]:
    """Normalise and check the declaration's own fields; raise ValidationFailed on the first bad one."""
    today = today or timezone.localdate()
    out: dict[str, Any] = {}
    out["full_name"] = _text(data, "full_name", required=True)
    sex = str(data.get("sex") or "")
    if sex not in ("M", "F"):
        raise ValidationFailed(SEX_INVALID, field="sex")
    out["sex"] = sex
    year = data.get("birth_year")
    if year in (None, ""):
        raise ValidationFailed(REQUIRED, field="birth_year")
    try:
        out["birth_year"] = validate_birth(birth_date=None, birth_year=int(year), today=today)
    except ValidationFailed as exc:
        raise ValidationFailed(exc.message, field="birth_year") from None
    except (TypeError, ValueError):
        raise ValidationFailed(REQUIRED, field="birth_year") from None
    out["nationality"] = _relabel(lambda: normalise_nationality(str(data.get("nationality") or "VN")), "nationality")
    id_number = str(data.get("id_number") or "").strip().replace(" ", "")
    if not id_number:
        raise ValidationFailed(REQUIRED, field="id_number")
    if id_number.isdigit():
        out["id_number"] = _relabel(
            lambda: validate_cccd(id_number, sex=sex, birth_year=out["birth_year"]), "id_number"
        )
    else:
        out["id_number"] = _relabel(lambda: normalise_passport(id_number), "id_number")
    unit = data.get("residence_unit")
    if not isinstance(unit, Unit):
        unit = commune_by_code(str(unit or ""))
    if unit is None or unit.level != Level.COMMUNE:
        raise ValidationFailed(COMMUNE_UNKNOWN, field="residence_unit")
    out["residence_unit"] = unit
    out["address"] = _text(data, "address", required=True)
    phone = str(data.get("phone") or "").strip()
    if not phone:
        raise ValidationFailed(REQUIRED, field="phone")
    out["phone"] = normalise_phone(phone)
    email = str(data.get("email") or "").strip()
    if _MARKUP.search(email):
        raise ValidationFailed(MARKUP, field="email")
    out["email"] = email[:254]
    vehicle = str(data.get("vehicle") or "")
    out["vehicle"] = vehicle if vehicle in Vehicle.values else Vehicle.OTHER
    for name in ("vehicle_number", "seat", "departure_place", "arrival_place"):
        out[name] = _text(data, name)
    out["departure_date"] = _past(data.get("departure_date"), "departure_date", today)
    out["arrival_date"] = _past(data.get("arrival_date"), "arrival_date", today)
    if out["departure_date"] and out["arrival_date"] and out["arrival_date"] < out["departure_date"]:
        raise ValidationFailed(ARRIVAL_BEFORE_DEPARTURE, field="arrival_date")
    for name in (*SYMPTOM_FIELDS, *EXPOSURE_FIELDS):
        out[name] = bool(data.get(name))
    return out


def _relabel(check: Any, field: str) -> Any:
    try:
        return check()
    except ValidationFailed as exc:
        raise ValidationFailed(exc.message, field=field) from None


def clean_visits(visits: list[dict[str, Any]], *, today: date | None = None) -> list[dict[str, Any]]:
    """Places visited: a unit or a country, from/to within the last 14 days, not in the future, to ≥ from.

    Each item may carry ``row`` (1-based) so the error names the form's row fields (``visit_<row>_from``)."""
    today = today or timezone.localdate()
    earliest = today - timedelta(days=LOOK_BACK_DAYS)
    out = []
    for index, visit in enumerate(visits[:MAX_VISITS], start=1):
        prefix = f"visit_{visit.get('row', index)}_"
        kind = visit.get("kind")
        unit, country = visit.get("unit"), str(visit.get("country") or "").strip().upper()
        if kind == PlaceKind.UNIT and isinstance(unit, Unit):
            country = ""
        elif kind == PlaceKind.COUNTRY and country in COUNTRIES:
            unit = None
        else:
            raise ValidationFailed(PLACE_UNKNOWN, field=prefix + "place")
        start, end = visit.get("from_date"), visit.get("to_date") or visit.get("from_date")
        if not isinstance(start, date):
            raise ValidationFailed(REQUIRED, field=prefix + "from")
        if not isinstance(end, date):
            raise ValidationFailed(REQUIRED, field=prefix + "to")
        if start > today:
            raise ValidationFailed(FUTURE, field=prefix + "from")
        if end > today:
            raise ValidationFailed(FUTURE, field=prefix + "to")
        if end < start:
            raise ValidationFailed(TO_BEFORE_FROM, field=prefix + "to")
        if end < earliest:
            raise ValidationFailed(VISIT_TOO_OLD % {"day": f"{earliest:%d/%m/%Y}"}, field=prefix + "from")
        out.append({"kind": kind, "unit": unit, "country": country, "from_date": start, "to_date": end})
    return out


def _person(*, actor: User | None, values: dict[str, Any]) -> Person:
    id_number = values["id_number"]
    is_cccd = id_number.isdigit()
    result = person_create(
        actor=actor,
        full_name=values["full_name"],
        birth_year=values["birth_year"],
        sex=values["sex"],
        cccd=id_number if is_cccd else None,
        passport_no="" if is_cccd else id_number,
        nationality=values["nationality"],
        phone=values["phone"],
        email=values["email"],
        residence_unit=values["residence_unit"],
        address=values["address"],
    )
    if result.outcome == CreateOutcome.POSSIBLE_DUPLICATE:
        # Same phone, folded name and year of birth: the same declarant.
        return result.candidates[0]
    assert result.person is not None
    return result.person


def _store(
    *,
    actor: User | None,
    person: Person,
    values: dict[str, Any],
    visits: list[dict[str, Any]],
    channel: str,
    first: MedicalDeclaration | None,
    version: int,
    code_hash: str | None,
) -> MedicalDeclaration:
    today = timezone.localdate()
    declaration = MedicalDeclaration.objects.create(
        person=person,
        first=first,
        version=version,
        code_hash=code_hash,
        declared_at=timezone.now(),
        channel=channel,
        recorded_by=actor,
        has_symptoms=any(values[name] for name in SYMPTOM_FIELDS),
        **values,
    )
    source = f"declaration:{declaration.uid}"
    for visit in visits:
        DeclaredVisit.objects.create(declaration=declaration, **visit)
        visit_record(actor=None, person=person, reported_on=today, source=source, **visit)
    flags = list(
        ExposureFlag.objects.filter(person=person, source=source, cleared_at__isnull=True).select_related(
            "area", "area__unit"
        )
    )
    reasons = []
    if declaration.has_symptoms:
        reasons.append(_("Khai có triệu chứng: %(list)s") % {"list": ", ".join(declaration.symptoms)})
    if flags:
        declaration.in_epidemic_area = True
        declaration.save(update_fields=["in_epidemic_area", "updated_at"])
        reasons.append(
            _("Đã đến vùng dịch: %(places)s") % {"places": ", ".join(sorted({f.area.place_name for f in flags}))}
        )
    audit(
        actor=actor,
        action=AuditAction.CREATE if first is None else AuditAction.UPDATE,
        obj=declaration,
        summary=_("Tờ khai y tế của %(name)s (lần %(version)s)") % {"name": person.full_name, "version": version},
        detail={
            "person": str(person.uid),
            "channel": channel,
            "first": str(first.uid) if first else None,
            "visits": len(visits),
        },
    )
    if reasons:
        task = FollowUpTask.objects.create(
            commune=values["residence_unit"], person=person, declaration=declaration, reason="; ".join(reasons)[:400]
        )
        audit(actor=actor, action=AuditAction.CREATE, obj=task, summary=task.reason, detail={"person": str(person.uid)})
    return declaration


def declaration_file(*, actor: User | None, channel: str, data: dict[str, Any], visits: list[dict[str, Any]]) -> Filed:
    """File a new declaration: the person is matched by CCCD (or registered), visits recorded and judged
    by the epidemic-area rule, a follow-up created for the commune when needed. Returns the code once."""
    values = clean_declaration(data)
    cleaned_visits = clean_visits(visits)
    if channel not in Channel.values:
        raise ValidationFailed(REQUIRED, field="channel")
    if actor is not None and not scope_for(actor).contains_unit(values["residence_unit"]):
        raise ValidationFailed(COMMUNE_OUT_OF_SCOPE, field="residence_unit")
    code, digest = _new_code()
    with transaction.atomic():
        person = _person(actor=actor, values=values)
        declaration = _store(
            actor=actor,
            person=person,
            values=values,
            visits=cleaned_visits,
            channel=channel,
            first=None,
            version=1,
            code_hash=digest,
        )
    return Filed(declaration=declaration, code=code)


def declaration_by_code(*, code: str, phone: str) -> MedicalDeclaration:
    """The current version of the declaration with this code, if ``phone`` is the one it was filed with."""
    root = MedicalDeclaration.objects.filter(code_hash=_hash(code or "")).first() if code else None
    try:
        phone = normalise_phone(phone or "")
    except ValidationFailed:
        raise ValidationFailed(CODE_WRONG, field="code") from None
    if root is None:
        raise ValidationFailed(CODE_WRONG, field="code")
    current = MedicalDeclaration.objects.filter(Q(pk=root.pk) | Q(first=root)).order_by("-version").first()
    assert current is not None
    if not secrets.compare_digest(current.phone, phone):
        raise ValidationFailed(CODE_WRONG, field="code")
    return MedicalDeclaration.objects.select_related("person", "residence_unit").get(pk=current.pk)


def declaration_update(*, code: str, phone: str, data: dict[str, Any], visits: list[dict[str, Any]]) -> Filed:
    """The declarant updates their declaration with its code and phone: a new version, the old one kept."""
    current = declaration_by_code(code=code, phone=phone)
    values = clean_declaration(data)
    cleaned_visits = clean_visits(visits)
    with transaction.atomic():
        locked = MedicalDeclaration.objects.select_for_update().get(pk=current.pk)
        if locked.superseded_at is not None:
            raise ValidationFailed(CODE_WRONG, field="code")
        locked.superseded_at = timezone.now()
        locked.save(update_fields=["superseded_at", "updated_at"])
        declaration = _store(
            actor=None,
            person=locked.person,
            values=values,
            visits=cleaned_visits,
            channel=Channel.SELF,
            first=locked.root,
            version=locked.version + 1,
            code_hash=None,
        )
    return Filed(declaration=declaration, code=None)


def task_done(*, actor: User, task: FollowUpTask) -> FollowUpTask:
    """The commune has followed the person up."""
    if not scope_for(actor).contains_unit(task.commune):
        raise PermissionDenied
    with transaction.atomic():
        locked = FollowUpTask.objects.select_for_update().get(pk=task.pk)
        if locked.done_at is None:
            locked.done_at = timezone.now()
            locked.done_by = actor
            locked.save(update_fields=["done_at", "done_by", "updated_at"])
            audit(
                actor=actor,
                action=AuditAction.UPDATE,
                obj=locked,
                summary=_("Đã theo dõi: %(reason)s") % {"reason": locked.reason},
            )
    return locked
