"""Personal codes (M1): signed uid + issue time, 24 h validity, forged and malformed codes refused."""

from __future__ import annotations

import base64
import uuid
from datetime import UTC, datetime, timedelta

import pytest
from django.test import override_settings

from phongdich.core.errors import ValidationFailed
from phongdich.healthpass.tokens import CODE_LENGTH, code_display, code_issue, code_verify

NOW = datetime(2021, 9, 1, 8, 0, tzinfo=UTC)


def test_code_round_trip_and_carries_no_integer_id_M1() -> None:
    uid = uuid.uuid4()
    code = code_issue(uid, now=NOW)
    assert len(code) == CODE_LENGTH
    assert code.isalnum()
    assert code == code.upper()
    verified = code_verify(code, now=NOW + timedelta(hours=1))
    assert verified.person_uid == uid
    assert verified.issued_at == NOW
    assert verified.expires_at == NOW + timedelta(hours=24)
    # Typed with spaces, dashes and lower case is the same code.
    assert code_verify(code_display(code).lower().replace(" ", "-"), now=NOW).person_uid == uid


def test_expired_code_refused_after_24_hours_M1() -> None:
    code = code_issue(uuid.uuid4(), now=NOW)
    code_verify(code, now=NOW + timedelta(hours=23, minutes=59))
    with pytest.raises(ValidationFailed, match="hết hạn"):
        code_verify(code, now=NOW + timedelta(hours=24))
    with pytest.raises(ValidationFailed, match="hết hạn"):
        code_verify(code, now=NOW - timedelta(hours=1))  # issued "in the future"


@override_settings(HEALTHPASS_VALID_HOURS=2)
def test_validity_is_a_setting_M1() -> None:
    code = code_issue(uuid.uuid4(), now=NOW)
    with pytest.raises(ValidationFailed, match="2 giờ"):
        code_verify(code, now=NOW + timedelta(hours=2))


def test_forged_code_refused_M1() -> None:
    code = code_issue(uuid.uuid4(), now=NOW)
    blob = bytearray(base64.b32decode(code))
    blob[3] ^= 1  # another person, same MAC
    with pytest.raises(ValidationFailed, match="không phải mã do hệ thống cấp"):
        code_verify(base64.b32encode(bytes(blob)).decode(), now=NOW)
    blob = bytearray(base64.b32decode(code))
    blob[19] ^= 1  # a later issue time, same MAC
    with pytest.raises(ValidationFailed, match="không phải mã do hệ thống cấp"):
        code_verify(base64.b32encode(bytes(blob)).decode(), now=NOW)
    with override_settings(SECRET_KEY="another-deployment-key-" + "x" * 40):
        other = code_issue(uuid.uuid4(), now=NOW)
    with pytest.raises(ValidationFailed, match="không phải mã do hệ thống cấp"):
        code_verify(other, now=NOW)


@pytest.mark.parametrize("text", ["", "ABC", "1" * CODE_LENGTH, "A" * (CODE_LENGTH + 1), "Ạ" * CODE_LENGTH])
def test_malformed_code_refused_M1(text: str) -> None:
    with pytest.raises(ValidationFailed, match="không hợp lệ"):
        code_verify(text, now=NOW)
