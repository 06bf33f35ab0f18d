"""The personal health QR code (M1): the person's uid and the issue time, signed with SECRET_KEY.

Layout of the 30 bytes behind a code: the person's uid (16 bytes), the issue time in whole
minutes since the Unix epoch (4 bytes, big-endian) and the first 10 bytes of an HMAC-SHA256 over
those 20 bytes (``django.utils.crypto.salted_hmac`` with a salt of its own, keyed by SECRET_KEY).
Written in base32 that is exactly 48 characters from ``A–Z2–7`` — QR alphanumeric mode, and
typeable at a gate whatever the case or the spaces.

No integer id and no health fact is in it: a code says only "this person, issued then". It is
valid ``HEALTHPASS_VALID_HOURS`` (24 by default) after issue; the person's page issues a fresh
one at every visit, so an old screenshot stops working after a day.
"""

from __future__ import annotations

import base64
import hmac
import re
import uuid
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from django.conf import settings
from django.utils import timezone
from django.utils.crypto import salted_hmac
from django.utils.translation import gettext_lazy as _

from phongdich.core.errors import ValidationFailed

SALT = "phongdich.healthpass.code.v1"
MAC_BYTES = 10
CODE_LENGTH = 48
# A phone clock a little ahead of the server's is tolerated.
FUTURE_TOLERANCE = timedelta(minutes=5)

CODE_MALFORMED = _("Mã QR cá nhân không hợp lệ. Hãy quét lại hoặc nhập đủ 48 ký tự in dưới mã.")
CODE_FORGED = _("Mã QR cá nhân không hợp lệ (không phải mã do hệ thống cấp). Không ghi nhận.")
CODE_EXPIRED = _("Mã QR cá nhân đã hết hạn (quá %(hours)s giờ). Người dân mở lại trang mã QR cá nhân để lấy mã mới.")

_NOT_CODE = re.compile(r"[^A-Z2-7]")


def valid_hours() -> int:
    return int(getattr(settings, "HEALTHPASS_VALID_HOURS", 24))


def _mac(payload: bytes) -> bytes:
    return salted_hmac(SALT, payload, algorithm="sha256").digest()[:MAC_BYTES]


def _minutes(moment: datetime) -> int:
    return int(moment.timestamp() // 60)


def code_issue(person_uid: uuid.UUID, *, now: datetime | None = None) -> str:
    """A fresh 48-character code for the person (issued ``now``)."""
    now = now or timezone.now()
    payload = person_uid.bytes + _minutes(now).to_bytes(4, "big")
    return base64.b32encode(payload + _mac(payload)).decode("ascii")


def code_display(code: str) -> str:
    """The code in groups of four, as printed under the QR."""
    return " ".join(code[i : i + 4] for i in range(0, len(code), 4))


@dataclass(frozen=True)
class Verified:
    person_uid: uuid.UUID
    issued_at: datetime
    expires_at: datetime


def code_verify(text: str, *, now: datetime | None = None) -> Verified:
    """The person and issue time behind ``text``; ValidationFailed when malformed, forged or expired.

    Spaces, dashes and lower case are ignored (a typed code); anything else of the wrong
    length is malformed. The MAC is compared in constant time.
    """
    now = now or timezone.now()
    cleaned = re.sub(r"[\s-]", "", (text or "")[:200]).upper()
    if len(cleaned) != CODE_LENGTH or _NOT_CODE.search(cleaned):
        raise ValidationFailed(CODE_MALFORMED, field="code")
    blob = base64.b32decode(cleaned)
    payload, mac = blob[:20], blob[20:]
    if not hmac.compare_digest(mac, _mac(payload)):
        raise ValidationFailed(CODE_FORGED, field="code")
    issued = datetime.fromtimestamp(int.from_bytes(payload[16:20], "big") * 60, tz=UTC)
    hours = valid_hours()
    expires = issued + timedelta(hours=hours)
    if issued > now + FUTURE_TOLERANCE or now >= expires:
        raise ValidationFailed(CODE_EXPIRED % {"hours": hours}, field="code")
    return Verified(person_uid=uuid.UUID(bytes=payload[:16]), issued_at=issued, expires_at=expires)
