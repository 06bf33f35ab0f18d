"""Reads of the audit log: search with filters, keyset pages."""

from __future__ import annotations

import ipaddress
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Any

from django.core import signing
from django.db.models import QuerySet
from django.utils import timezone

from .models import AuditLog

_CURSOR_SALT = "phongdich.audit.cursor"


def audit_search(
    *,
    actor: str = "",
    action: str = "",
    object_type: str = "",
    object_uid: str = "",
    date_from: date | None = None,
    date_to: date | None = None,
    ip: str = "",
) -> QuerySet[AuditLog]:
    """Audit lines matching every given filter, newest first. Dates are whole days, local time."""
    qs = AuditLog.objects.all()
    if actor:
        qs = qs.filter(actor_username__iexact=actor.strip())
    if action:
        qs = qs.filter(action=action)
    if object_type:
        qs = qs.filter(object_type=object_type.strip().lower())
    if object_uid:
        qs = qs.filter(object_uid=object_uid.strip())
    tz = timezone.get_current_timezone()
    if date_from:
        qs = qs.filter(at__gte=datetime.combine(date_from, time.min, tzinfo=tz))
    if date_to:
        qs = qs.filter(at__lt=datetime.combine(date_to + timedelta(days=1), time.min, tzinfo=tz))
    if ip:
        try:
            qs = qs.filter(ip=str(ipaddress.ip_address(ip)))
        except ValueError:
            qs = qs.filter(ip__startswith=ip)
    return qs.order_by("-id")


@dataclass(frozen=True)
class KeysetPage:
    rows: list[AuditLog]
    next_cursor: str | None


def encode_cursor(last_id: int) -> str:
    """An opaque, signed position: the page after the line with this key."""
    return signing.dumps(last_id, salt=_CURSOR_SALT, compress=False)


def decode_cursor(cursor: str) -> int | None:
    try:
        value: Any = signing.loads(cursor, salt=_CURSOR_SALT)
    except signing.BadSignature:
        return None
    return value if isinstance(value, int) else None


def audit_page(qs: QuerySet[AuditLog], *, cursor: str = "", size: int = 50) -> KeysetPage:
    """One page of ``qs`` (ordered by ``-id``) after ``cursor``; no COUNT over the table."""
    after = decode_cursor(cursor) if cursor else None
    if after is not None:
        qs = qs.filter(id__lt=after)
    rows = list(qs.select_related(None)[: size + 1])
    has_more = len(rows) > size
    rows = rows[:size]
    return KeysetPage(rows=rows, next_cursor=encode_cursor(rows[-1].pk) if has_more and rows else None)
