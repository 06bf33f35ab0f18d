"""Writes for QR check-in (M1, C4): premises codes, phones identifying their owner, check-ins, purge.

Check-ins themselves are not audited one by one — they are the province's highest-volume rows
(millions a day) and record the person's own presence, not an official's act. What is audited:
every issue and revoke of a code, each batch received from an API client (one line with its
count), each check-in recorded by an official at a gate (``actor`` given) and every purge.
"""

from __future__ import annotations

import hashlib
import secrets
import uuid
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, connections, router, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from phongdich.core.audit import audit
from phongdich.core.errors import ValidationFailed
from phongdich.core.models import AuditAction, User
from phongdich.orgs.models import Premises
from phongdich.people.models import Person, Sex
from phongdich.people.services import CreateOutcome, live_person, person_create
from phongdich.people.validators import cccd_parse, normalise_phone, validate_cccd

from .models import CheckIn, IdempotencyRecord, PremisesCode, Source, Visitor
from .permissions import can_manage_codes

CODE_ACTIVE_EXISTS = _("Địa điểm này đang có mã QR còn hiệu lực. Hãy thu hồi hoặc cấp lại mã.")
CODE_ALREADY_REVOKED = _("Mã QR này đã bị thu hồi trước đó.")
PREMISES_INACTIVE = _("Địa điểm này đã ngừng sử dụng.")
NOT_ALLOWED = _("Bạn không có quyền quản lý mã QR của cơ quan, đơn vị này.")
AT_IN_FUTURE = _("Thời điểm quét mã ở tương lai. Vui lòng kiểm tra đồng hồ của điện thoại.")
AT_TOO_OLD = _("Thời điểm quét mã đã quá %(hours)s giờ, không thể ghi nhận.")
NAME_REQUIRED = _("Vui lòng nhập họ và tên.")
PHONE_REQUIRED = _("Vui lòng nhập số điện thoại.")
BIRTH_YEAR_REQUIRED = _("Vui lòng nhập năm sinh (hoặc số CCCD).")
SEX_REQUIRED = _("Vui lòng chọn giới tính (hoặc nhập số CCCD).")

# Clock skew tolerated for a phone's time in the future.
FUTURE_TOLERANCE = timedelta(minutes=5)


def _hash(value: str) -> str:
    return hashlib.sha256(value.encode()).hexdigest()


def device_token_hash(token: str) -> str:
    """What ``Visitor.token_hash`` holds for a phone's device token (for bulk loaders too)."""
    return _hash(token)


def new_token() -> str:
    """192 random bits, URL-safe (32 characters)."""
    return secrets.token_urlsafe(24)


# --- Premises codes -------------------------------------------------------------------------


def _require_manager(actor: User | None, premises: Premises) -> None:
    if actor is not None and not can_manage_codes(actor, premises.organisation):
        raise PermissionDenied(NOT_ALLOWED)


@transaction.atomic
def premises_code_issue(*, actor: User | None, premises: Premises) -> PremisesCode:
    """A new code for premises that has none active."""
    _require_manager(actor, premises)
    locked = Premises.objects.select_for_update().get(pk=premises.pk)
    if not locked.is_active:
        raise ValidationFailed(PREMISES_INACTIVE)
    if PremisesCode.objects.active().filter(premises=locked).exists():
        raise ValidationFailed(CODE_ACTIVE_EXISTS)
    code = PremisesCode.objects.create(premises=locked, token=new_token(), issued_at=timezone.now(), issued_by=actor)
    audit(
        actor=actor,
        action=AuditAction.CREATE,
        obj=code,
        summary=f"{locked.name} — {locked.organisation.name}"[:255],
        detail={"premises": str(locked.uid)},
    )
    return code


@transaction.atomic
def premises_code_revoke(*, actor: User | None, code: PremisesCode, reason: str = "") -> PremisesCode:
    """Revoke a code: its poster then answers "revoked" (410) when scanned."""
    locked = PremisesCode.objects.select_for_update().select_related("premises__organisation").get(pk=code.pk)
    _require_manager(actor, locked.premises)
    if locked.revoked_at is not None:
        raise ValidationFailed(CODE_ALREADY_REVOKED)
    locked.revoked_at = timezone.now()
    locked.revoked_by = actor
    locked.reason = " ".join(reason.split())[:255]
    locked.save(update_fields=["revoked_at", "revoked_by", "reason", "updated_at"])
    audit(
        actor=actor,
        action=AuditAction.UPDATE,
        obj=locked,
        summary=f"{locked.premises.name} — thu hồi"[:255],
        detail={"premises": str(locked.premises.uid), "reason": locked.reason},
    )
    return locked


@transaction.atomic
def premises_code_reissue(*, actor: User | None, premises: Premises, reason: str = "") -> PremisesCode:
    """Revoke the active code (if any) and issue a new one, in one transaction."""
    _require_manager(actor, premises)
    current = PremisesCode.objects.active().filter(premises=premises).first()
    if current is not None:
        premises_code_revoke(actor=actor, code=current, reason=reason)
    return premises_code_issue(actor=actor, premises=premises)


# --- Phones and people ----------------------------------------------------------------------


@dataclass(frozen=True)
class Identified:
    visitor: Visitor
    device_token: str  # give to the phone once; the server keeps only its hash


def visitor_by_token(token: str) -> Visitor | None:
    """The phone's visitor record, or None for an unknown or malformed token."""
    if not token or len(token) > 64:
        return None
    return Visitor.objects.select_related("person").filter(token_hash=_hash(token)).first()


def person_resolve(
    *,
    full_name: str,
    phone: str,
    cccd: str = "",
    birth_year: int | None = None,
    sex: str = "",
    premises: Premises,
) -> Person:
    """The person a phone's owner says they are: found by CCCD, or by phone + name + year; else created.

    With a CCCD, sex and year of birth come from it. A new person's residence is recorded as
    the premises' unit (the page asks no address); officials correct it when they meet them.
    """
    full_name = " ".join((full_name or "").split())
    if not full_name:
        raise ValidationFailed(NAME_REQUIRED, field="full_name")
    if not (phone or "").strip():
        raise ValidationFailed(PHONE_REQUIRED, field="phone")
    phone = normalise_phone(phone)
    cccd = (cccd or "").strip()
    if cccd:
        cccd = validate_cccd(cccd)
        holder = Person.objects.filter(cccd=cccd).first()
        if holder is not None:
            return live_person(holder)
        parts = cccd_parse(cccd)
        birth_year, sex = parts.birth_year, parts.sex
    if not birth_year:
        raise ValidationFailed(BIRTH_YEAR_REQUIRED, field="birth_year")
    if sex not in Sex.values:
        raise ValidationFailed(SEX_REQUIRED, field="sex")
    result = person_create(
        actor=None,
        full_name=full_name,
        phone=phone,
        cccd=cccd or None,
        birth_year=birth_year,
        sex=sex,
        residence_unit=premises.unit,
    )
    if result.outcome == CreateOutcome.POSSIBLE_DUPLICATE:
        return live_person(result.candidates[0])
    assert result.person is not None
    return result.person


@transaction.atomic
def visitor_identify(
    *,
    premises: Premises,
    full_name: str,
    phone: str,
    cccd: str = "",
    birth_year: int | None = None,
    sex: str = "",
) -> Identified:
    """A phone's first visit: resolve (or create) the person and give the phone a device token."""
    person = person_resolve(
        full_name=full_name, phone=phone, cccd=cccd, birth_year=birth_year, sex=sex, premises=premises
    )
    token = new_token()
    visitor = Visitor.objects.create(token_hash=_hash(token), person=person)
    return Identified(visitor=visitor, device_token=token)


# --- Check-ins ------------------------------------------------------------------------------


def max_age() -> timedelta:
    return timedelta(hours=int(getattr(settings, "CHECKIN_MAX_AGE_HOURS", 72)))


def check_time(at: datetime, *, now: datetime | None = None, field: str = "at") -> datetime:
    """``at`` must lie between now − CHECKIN_MAX_AGE_HOURS and now + 5 minutes."""
    now = now or timezone.now()
    if timezone.is_naive(at):
        at = timezone.make_aware(at)
    if at > now + FUTURE_TOLERANCE:
        raise ValidationFailed(AT_IN_FUTURE, field=field)
    if at < now - max_age():
        raise ValidationFailed(AT_TOO_OLD % {"hours": int(max_age().total_seconds() // 3600)}, field=field)
    return at


def checkin_record(
    *,
    premises: Premises,
    person: Person,
    at: datetime,
    client_id: uuid.UUID | str,
    source: str,
    actor: User | None = None,
) -> tuple[CheckIn, bool]:
    """Store one check-in once: the same ``client_id`` sent again returns the stored row, ``created=False``.

    ``at`` is checked against the server's clock (``check_time``). Scope of ``actor`` (an
    official at a gate) is the caller's business; when given, the check-in is audited.
    """
    if not premises.is_active:
        raise ValidationFailed(PREMISES_INACTIVE, field="premises")
    now = timezone.now()
    at = check_time(at, now=now)
    client_uuid = client_id if isinstance(client_id, uuid.UUID) else uuid.UUID(str(client_id))
    if source not in Source.values:
        raise ValueError(f"Unknown check-in source {source!r}")
    try:
        with transaction.atomic():
            checkin = CheckIn.objects.create(
                premises=premises, person=person, at=at, received_at=now, client_id=client_uuid, source=source
            )
            if actor is not None:
                audit(
                    actor=actor,
                    action=AuditAction.CREATE,
                    object_type="checkins.checkin",
                    object_uid=str(client_uuid),
                    summary=f"{premises.name}"[:255],
                    detail={"person": str(person.uid), "premises": str(premises.uid), "source": source},
                )
    except IntegrityError:
        stored = CheckIn.objects.filter(client_id=client_uuid).first()
        if stored is None:  # not the client_id: a genuine integrity error
            raise
        return stored, False
    return checkin, True


@dataclass(frozen=True)
class BatchRow:
    premises_id: int
    person_id: int
    at: datetime
    client_id: uuid.UUID


@dataclass(frozen=True)
class BatchResult:
    created: int
    duplicates: int


@transaction.atomic
def checkins_record_batch(*, rows: list[BatchRow], actor: User | None, source: str = Source.BATCH) -> BatchResult:
    """Store already validated rows in one transaction; client_ids already stored are skipped."""
    now = timezone.now()
    ids = [row.client_id for row in rows]
    existing = set(CheckIn.objects.filter(client_id__in=ids).values_list("client_id", flat=True))
    seen: set[uuid.UUID] = set(existing)
    fresh: list[CheckIn] = []
    for row in rows:
        if row.client_id in seen:
            continue
        seen.add(row.client_id)
        fresh.append(
            CheckIn(
                premises_id=row.premises_id,
                person_id=row.person_id,
                at=row.at,
                received_at=now,
                client_id=row.client_id,
                source=source,
            )
        )
    # ignore_conflicts covers a concurrent request storing the same client_id meanwhile.
    CheckIn.objects.bulk_create(fresh, batch_size=1000, ignore_conflicts=True)
    audit(
        actor=actor,
        action=AuditAction.IMPORT,
        object_type="checkins.checkin",
        summary=f"{len(fresh)} lượt quét mã"[:255],
        detail={"received": len(rows), "created": len(fresh), "duplicates": len(rows) - len(fresh)},
    )
    return BatchResult(created=len(fresh), duplicates=len(rows) - len(fresh))


# --- Retention ------------------------------------------------------------------------------


def retention_days() -> int:
    return int(getattr(settings, "CHECKIN_RETENTION_DAYS", 30))


def _last_id_received_before(moment: datetime) -> int:
    """The largest id whose ``received_at`` is before ``moment`` (binary search on the primary key).

    Ids are handed out in order of receipt, so ``received_at`` grows with the id; a handful of
    primary-key lookups replace an index on the timestamp.
    """
    bounds = CheckIn.objects.order_by("id").values_list("id", flat=True)
    low_id, high_id = bounds.first(), bounds.last()
    if low_id is None or high_id is None:
        return 0
    answer = 0
    lo, hi = low_id, high_id
    while lo <= hi:
        mid = (lo + hi) // 2
        row = CheckIn.objects.filter(id__gte=mid).order_by("id").values_list("id", "received_at").first()
        if row is None:
            hi = mid - 1
            continue
        row_id, received = row
        if received < moment:
            answer = max(answer, row_id)
            lo = row_id + 1
        else:
            hi = mid - 1
    return answer


def checkins_purge(*, days: int | None = None, batch_size: int = 10_000, now: datetime | None = None) -> int:
    """Delete check-ins older than ``days`` (default CHECKIN_RETENTION_DAYS), in batches; audit the count.

    A check-in with ``at`` before the cutoff was received at most CHECKIN_MAX_AGE_HOURS after
    it, so every such row has an id at or below the last id received before cutoff + that age.
    The purge walks that id range in windows of ``batch_size`` — each one short transaction on
    the primary key — and deletes the rows of each window older than the cutoff. Stale
    idempotency records go too.
    """
    days = retention_days() if days is None else days
    now = now or timezone.now()
    cutoff = now - timedelta(days=days)
    last = _last_id_received_before(cutoff + max_age())
    first = CheckIn.objects.order_by("id").values_list("id", flat=True).first()
    deleted = 0
    if first is not None and last:
        db = router.db_for_write(CheckIn)
        start = first
        while start <= last:
            end = min(start + batch_size, last + 1)
            with transaction.atomic(using=db):
                count, _by_model = CheckIn.objects.filter(id__gte=start, id__lt=end, at__lt=cutoff).delete()
            deleted += count
            start = end
        if connections[db].vendor == "postgresql" and deleted:
            with connections[db].cursor() as cursor:
                cursor.execute("ANALYZE checkins_checkin")
    IdempotencyRecord.objects.filter(created_at__lt=now - timedelta(days=2)).delete()
    audit(
        actor=None,
        action=AuditAction.DELETE,
        object_type="checkins.checkin",
        summary=f"Xóa {deleted} lượt quét mã quá {days} ngày"[:255],
        detail={"deleted": deleted, "days": days, "cutoff": cutoff.isoformat()},
        actor_username="system",
    )
    return deleted


def idempotency_hash(payload: Any) -> str:
    import json

    return _hash(json.dumps(payload, sort_keys=True, separators=(",", ":"), default=str))
