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
from django.db import connections, models, router, transaction
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
from .selectors import forget_place

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
    # This process forgets the code at once; the others' caches never decide (see poster_place).
    token = locked.token
    transaction.on_commit(lambda: forget_place(token))
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


INSERT_FIELDS = ("premises", "person", "at", "received_at", "client_id", "source")


def _concrete(name: str) -> models.Field[Any, Any]:
    field = CheckIn._meta.get_field(name)
    if not isinstance(field, models.Field):  # pragma: no cover - the names above are fields
        raise TypeError(name)
    return field


def _column(name: str) -> str:
    return str(_concrete(name).column)


def _person_order(row: tuple[int, int, datetime, uuid.UUID]) -> tuple[int, datetime]:
    return row[1], row[2]


def _insert_checkins(
    rows: list[tuple[int, int, datetime, uuid.UUID]], *, now: datetime, source: str
) -> dict[uuid.UUID, int]:
    """``INSERT … ON CONFLICT (client_id) DO NOTHING RETURNING client_id, id`` of ``rows``
    (premises id, person id, at, client_id) in one statement: the ids of the rows stored now.

    The unique ``client_id`` is the idempotency check, folded into the insert (SQLite 3.35+ and
    PostgreSQL alike): a client_id already stored — or twice in ``rows`` — is skipped without
    an error, so no savepoint is needed and nothing is read before writing.

    The rows go in sorted by person and time: the ``(person, at)`` index and the people's
    primary key (the foreign-key check) are then walked in order, and rows of one person share
    their pages, instead of jumping to a random page of both for every row.
    """
    if not rows:
        return {}
    rows = sorted(rows, key=_person_order)
    db = router.db_for_write(CheckIn)
    connection = connections[db]
    fields = [_concrete(name) for name in INSERT_FIELDS]
    quote = connection.ops.quote_name
    columns = ", ".join(quote(str(f.column)) for f in fields)
    one = "(" + ", ".join(["%s"] * len(fields)) + ")"
    at_field, client_field = fields[2], fields[4]
    received = at_field.get_db_prep_value(now, connection)
    if connection.vendor == "postgresql":
        # Four arrays instead of 6 × 1,000 placeholders: a short statement, planned once, bound fast.
        sql = (
            f"INSERT INTO {quote(CheckIn._meta.db_table)} ({columns}) "  # noqa: S608 - names from the models
            "SELECT p, q, a, %s, c, %s FROM unnest(%s::bigint[], %s::bigint[], %s::timestamptz[], %s::uuid[]) "
            "AS t(p, q, a, c) "
            f"ON CONFLICT ({quote(_column('client_id'))}) DO NOTHING "
            f"RETURNING {quote(_column('client_id'))}, {quote(_column('id'))}"
        )
        params_pg: list[Any] = [
            now,
            source,
            [r[0] for r in rows],
            [r[1] for r in rows],
            [r[2] for r in rows],
            [r[3] for r in rows],
        ]
        with connection.cursor() as cursor:
            cursor.execute(sql, params_pg)
            return {value: int(pk) for value, pk in cursor.fetchall()}
    params: list[Any] = []
    for premises_id, person_id, at, client_id in rows:
        params += [
            premises_id,
            person_id,
            at_field.get_db_prep_value(at, connection),
            received,
            client_field.get_db_prep_value(client_id, connection),
            source,
        ]
    sql = (
        f"INSERT INTO {quote(CheckIn._meta.db_table)} ({columns}) VALUES {', '.join([one] * len(rows))} "  # noqa: S608
        f"ON CONFLICT ({quote(_column('client_id'))}) DO NOTHING "
        f"RETURNING {quote(_column('client_id'))}, {quote(_column('id'))}"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return {
            value if isinstance(value, uuid.UUID) else uuid.UUID(str(value)): int(pk) for value, pk in cursor.fetchall()
        }


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
    official at a gate) is the caller's business; when given, the check-in is audited. One
    ``INSERT … ON CONFLICT DO NOTHING``; the stored row is read back only on conflict.
    """
    if not premises.is_active:
        raise ValidationFailed(PREMISES_INACTIVE, field="premises")
    now = timezone.now()
    at = check_time(at, now=now)
    client_uuid = client_id if isinstance(client_id, uuid.UUID) else uuid.UUID(str(client_id))
    if source not in Source.values:
        raise ValueError(f"Unknown check-in source {source!r}")
    with transaction.atomic():
        stored = _insert_checkins([(premises.pk, person.pk, at, client_uuid)], now=now, source=source)
        if stored and actor is not None:
            audit(
                actor=actor,
                action=AuditAction.CREATE,
                object_type="checkins.checkin",
                object_uid=str(client_uuid),
                summary=f"{premises.name}"[:255],
                detail={"person": str(person.uid), "premises": str(premises.uid), "source": source},
            )
    if not stored:
        return CheckIn.objects.get(client_id=client_uuid), False
    checkin = CheckIn(
        id=stored[client_uuid],
        premises=premises,
        person=person,
        at=at,
        received_at=now,
        client_id=client_uuid,
        source=source,
    )
    return checkin, True


def poster_checkin_insert(*, code_id: int, device_hash: str, at: datetime, client_id: uuid.UUID) -> bool:
    """The scan page's check-in in one statement (and, outside a transaction, one commit).

    Inserts the check-in only if, at that instant, the poster's code is not revoked, its premises
    is in use and the phone is known — read by the same ``INSERT … SELECT`` — and the
    ``client_id`` is new. True when stored. False means one of those did not hold: the caller
    then takes the ordinary path (``checkin_record``), which says which, or finds the row already
    stored. So a cached code id can never let a check-in through a revoked poster.
    ``at`` must have passed ``check_time``.
    """
    db = router.db_for_write(CheckIn)
    connection = connections[db]
    quote = connection.ops.quote_name
    at_field, client_field = _concrete("at"), _concrete("client_id")
    columns = ", ".join(quote(_column(name)) for name in INSERT_FIELDS)
    sql = (
        f"INSERT INTO {quote(CheckIn._meta.db_table)} ({columns}) "  # noqa: S608 - names from the models
        f"SELECT c.{quote('premises_id')}, v.{quote('person_id')}, %s, %s, %s, %s "
        f"FROM {quote(PremisesCode._meta.db_table)} c "
        f"JOIN {quote(Premises._meta.db_table)} p ON p.{quote('id')} = c.{quote('premises_id')} "
        f"JOIN {quote(Visitor._meta.db_table)} v ON v.{quote('token_hash')} = %s "
        f"WHERE c.{quote('id')} = %s AND c.{quote('revoked_at')} IS NULL AND p.{quote('is_active')} = %s "
        f"ON CONFLICT ({quote(_column('client_id'))}) DO NOTHING RETURNING {quote('id')}"
    )
    params = [
        at_field.get_db_prep_value(at, connection),
        at_field.get_db_prep_value(timezone.now(), connection),
        client_field.get_db_prep_value(client_id, connection),
        Source.POSTER.value,
        device_hash,
        code_id,
        True,
    ]
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchone() is not None


@dataclass(frozen=True)
class PosterRow:
    """One scan-page check-in as the group writer inserts it (``groupcommit``): the code's id, the
    phone's token hash, when it was scanned (``check_time`` passed) and received, its client_id."""

    code_id: int
    device_hash: str
    at: datetime
    received_at: datetime
    client_id: uuid.UUID


def poster_checkins_insert(rows: list[PosterRow]) -> set[uuid.UUID]:
    """``poster_checkin_insert`` for many rows in ONE statement: the client_ids stored now.

    Each row is inserted only if its code is not revoked, its premises in use and its phone known
    (read by the same ``INSERT … SELECT``, row by row) and its ``client_id`` is new — also within
    ``rows``: a client_id twice is stored once. A row not returned was refused or a duplicate; the
    caller tells which by the ordinary path. In autocommit (the group writer) the statement is its
    own transaction; inside an atomic block it commits with the block.
    """
    if not rows:
        return set()
    db = router.db_for_write(CheckIn)
    connection = connections[db]
    quote = connection.ops.quote_name
    at_field, client_field = _concrete("at"), _concrete("client_id")
    columns = ", ".join(quote(_column(name)) for name in INSERT_FIELDS)
    joins = (
        f"JOIN {quote(PremisesCode._meta.db_table)} c ON c.{quote('id')} = t.code "
        f"JOIN {quote(Premises._meta.db_table)} p ON p.{quote('id')} = c.{quote('premises_id')} "
        f"JOIN {quote(Visitor._meta.db_table)} v ON v.{quote('token_hash')} = t.dev "
        f"WHERE c.{quote('revoked_at')} IS NULL AND p.{quote('is_active')} = %s "
        f"ON CONFLICT ({quote(_column('client_id'))}) DO NOTHING RETURNING {quote(_column('client_id'))}"
    )
    select = (
        f"INSERT INTO {quote(CheckIn._meta.db_table)} ({columns}) "
        f"SELECT c.{quote('premises_id')}, v.{quote('person_id')}, t.a, t.r, t.cid, %s "
    )
    params: list[Any]
    if connection.vendor == "postgresql":
        sql = (
            select + "FROM unnest(%s::bigint[], %s::text[], %s::timestamptz[], %s::timestamptz[], %s::uuid[]) "
            "AS t(code, dev, a, r, cid) " + joins
        )
        params = [
            Source.POSTER.value,
            [r.code_id for r in rows],
            [r.device_hash for r in rows],
            [r.at for r in rows],
            [r.received_at for r in rows],
            [r.client_id for r in rows],
            True,
        ]
    else:
        values = ", ".join(["(%s, %s, %s, %s, %s)"] * len(rows))
        sql = (
            select + f"FROM (SELECT column1 AS code, column2 AS dev, column3 AS a, column4 AS r, column5 AS cid "  # noqa: S608
            f"FROM (VALUES {values})) AS t " + joins
        )
        params = [Source.POSTER.value]
        for r in rows:
            params += [
                r.code_id,
                r.device_hash,
                at_field.get_db_prep_value(r.at, connection),
                at_field.get_db_prep_value(r.received_at, connection),
                client_field.get_db_prep_value(r.client_id, connection),
            ]
        params.append(True)
    if connection.vendor == "postgresql":
        return _server_bound(connection, sql, params)
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return {value if isinstance(value, uuid.UUID) else uuid.UUID(str(value)) for (value,) in cursor.fetchall()}


def _server_bound(connection: Any, sql: str, params: list[Any]) -> set[uuid.UUID]:
    """Run the group's statement with its parameters bound by the server, prepared once per
    connection. Django's psycopg cursors bind on the client side — psycopg quotes every element
    of the five arrays into the SQL text, in Python, for every group; here the arrays go as
    parameters of a statement the server has already planned: 0.1 ms less CPU per check-in in the
    gunicorn worker (``bench/checkins.py``). Database errors are Django's, as from its cursors; the
    statement is not in ``connection.queries`` (it is the group writer's, never a page's)."""
    import psycopg

    connection.ensure_connection()
    with connection.wrap_database_errors, psycopg.Cursor(connection.connection) as cursor:
        cursor.execute(sql, params, prepare=True)
        return {value for (value,) in cursor.fetchall()}


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


def checkins_record_batch(*, rows: list[BatchRow], actor: User | None, source: str = Source.BATCH) -> BatchResult:
    """Store already validated rows in one transaction; client_ids already stored (or repeated in
    the batch) are skipped by the insert itself — one statement per 1,000 rows, nothing read first."""
    now = timezone.now()
    created = 0
    with transaction.atomic(savepoint=False):  # the caller's transaction, if any: no savepoint
        for start in range(0, len(rows), 1000):
            chunk = rows[start : start + 1000]
            created += len(
                _insert_checkins(
                    [(r.premises_id, r.person_id, r.at, r.client_id) for r in chunk], now=now, source=source
                )
            )
        _audit_batch(actor=actor, received=len(rows), created=created)
    return BatchResult(created=created, duplicates=len(rows) - created)


def _audit_batch(*, actor: User | None, received: int, created: int) -> None:
    audit(
        actor=actor,
        action=AuditAction.IMPORT,
        object_type="checkins.checkin",
        summary=f"{created} lượt quét mã"[:255],
        detail={"received": received, "created": created, "duplicates": received - created},
    )


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
