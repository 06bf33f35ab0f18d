"""Goods-transport passes, the pure parts (Z2): plate formats, validity on a day, the QR token."""

from __future__ import annotations

import base64
import re
from datetime import date

import pytest

from phongdich.core.errors import ValidationFailed
from phongdich.zones.models import PassResult
from phongdich.zones.pass_tokens import clean_token, new_nonce, nonce_of, token_display, token_for
from phongdich.zones.passes import pass_status
from phongdich.zones.plates import PLATE_INVALID, PLATE_PROVINCE, normalise_plate


@pytest.mark.parametrize(
    ("typed", "canonical"),
    [
        ("20C-123.45", "20C-123.45"),
        ("20c 12345", "20C-123.45"),
        ("20C12345", "20C-123.45"),
        ("29LD-012.34", "29LD-012.34"),
        ("20H-1234", "20H-1234"),  # old four-digit serial
        ("20R-000.12", "20R-000.12"),  # trailer
        ("20-B1 123.45", "20-B1 123.45"),  # motorcycle
        ("20b1-12345", "20-B1 123.45"),
    ],
)
def test_plates_are_normalised_Z2(typed: str, canonical: str) -> None:
    assert normalise_plate(typed) == canonical


@pytest.mark.parametrize(
    ("typed", "message"),
    [
        ("", PLATE_INVALID),
        ("ABC-123.45", PLATE_INVALID),
        ("20-123.45", PLATE_INVALID),  # no series
        ("20C-123", PLATE_INVALID),  # too short
        ("20C-1234567", PLATE_INVALID),
        ("20I-123.45", PLATE_INVALID),  # I does not begin a series
        ("20O-123.45", PLATE_INVALID),
        ("20ĐC-123.45", PLATE_INVALID),
        ("05C-123.45", PLATE_PROVINCE),
    ],
)
def test_bad_plates_are_refused_with_a_vietnamese_message_Z2(typed: str, message: str) -> None:
    with pytest.raises(ValidationFailed) as caught:
        normalise_plate(typed)
    assert caught.value.field == "plate"
    assert caught.value.message == message


FROM, TO = date(2021, 5, 20), date(2021, 5, 31)


@pytest.mark.parametrize(
    ("on", "revoked", "expected"),
    [
        (date(2021, 5, 19), False, PassResult.NOT_YET_VALID),
        (FROM, False, PassResult.VALID),
        (date(2021, 5, 25), False, PassResult.VALID),
        (TO, False, PassResult.VALID),
        (date(2021, 6, 1), False, PassResult.EXPIRED),
        (date(2021, 5, 25), True, PassResult.REVOKED),
        (date(2021, 5, 19), True, PassResult.REVOKED),
        (date(2021, 6, 1), True, PassResult.REVOKED),
    ],
)
def test_pass_validity_table_Z2(on: date, revoked: bool, expected: PassResult) -> None:
    assert pass_status(valid_from=FROM, valid_to=TO, revoked=revoked, on=on) == expected


def test_token_round_trip_and_forms_it_may_arrive_in_Z2() -> None:
    nonce = new_nonce()
    token = token_for(nonce)
    assert len(token) == 32
    assert re.fullmatch("[A-Z2-7]{32}", token)
    assert nonce_of(token) == nonce
    assert nonce_of(token.lower()) == nonce
    assert nonce_of(token_display(token)) == nonce  # typed in groups of four
    assert nonce_of(f"https://phongdich.example/luong-xanh/{token}/") == nonce  # the QR's address
    assert new_nonce() != nonce


def test_forged_and_malformed_tokens_are_refused_Z2() -> None:
    nonce = new_nonce()
    raw = base64.b32decode(token_for(nonce))
    forged = base64.b32encode(raw[:10] + bytes(10)).decode()  # right nonce, wrong MAC
    other = base64.b32encode(bytes.fromhex(new_nonce()) + raw[10:]).decode()  # MAC of another nonce
    assert nonce_of(forged) is None
    assert nonce_of(other) is None
    assert nonce_of("") is None
    assert nonce_of("not a token") is None
    assert clean_token("A" * 31) == ""
    assert clean_token("1" * 32) == ""  # 0, 1, 8, 9 are not base32
