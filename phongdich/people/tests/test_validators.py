"""Identity rules (D3): CCCD structure, mobile numbers, passports and birth dates — as tables."""

from __future__ import annotations

import json
import os
import zipfile
from datetime import date
from pathlib import Path

import pytest
from django.conf import settings
from hypothesis import given
from hypothesis import strategies as st

from phongdich.core.errors import ValidationFailed
from phongdich.people import validators as v

TODAY = date(2026, 6, 1)


# --- CCCD ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("cccd", "sex", "year"),
    [
        ("019085000101", "M", 1985),  # Thái Nguyên, man born in the 1900s
        ("019190000202", "F", 1990),  # woman, 1900s
        ("001203123456", "M", 2003),  # Hà Nội, man born in the 2000s
        ("079300654321", "F", 2000),  # TP Hồ Chí Minh, woman born in 2000
        ("096199000001", "F", 1999),  # Cà Mau, the last code
        ("001000000000", "M", 1900),
    ],
)
def test_valid_cccd_accepted_D3(cccd: str, sex: str, year: int) -> None:
    assert v.validate_cccd(cccd, sex=sex, birth_year=year) == cccd


@pytest.mark.parametrize(
    ("cccd", "sex", "year", "message"),
    [
        ("01908500010A", "M", 1985, v.CCCD_NOT_DIGITS),
        ("019 085 000101", "M", 1985, v.CCCD_NOT_DIGITS),
        ("０19085000101", "M", 1985, v.CCCD_NOT_DIGITS),  # full-width digit
        ("090855123", "M", 1985, v.CCCD_OLD_CMND),  # a 9-digit CMND is not a CCCD
        ("01908500010", "M", 1985, v.CCCD_LENGTH),
        ("0190850001011", "M", 1985, v.CCCD_LENGTH),
        ("003085000101", "M", 1985, v.CCCD_PROVINCE),  # 03 is not a province code
        ("099085000101", "M", 1985, v.CCCD_PROVINCE),
        ("119085000101", "M", 1985, v.CCCD_PROVINCE),  # must start with 0
        ("019185000101", "M", 1985, v.CCCD_SEX),  # woman's digit for a man
        ("019085000101", "F", 1985, v.CCCD_SEX),  # man's digit for a woman
        ("019285000101", "M", 1985, v.CCCD_CENTURY),  # 2000s digit, born 1985
        ("019003000101", "M", 2003, v.CCCD_CENTURY),  # 1900s digit, born 2003
        ("019086000101", "M", 1985, v.CCCD_YEAR),  # YY 86, born 1985
        ("019290000101", "M", 2009, v.CCCD_YEAR),
    ],
)
def test_invalid_cccd_each_failure_has_its_message_D3(cccd: str, sex: str, year: int, message: object) -> None:
    with pytest.raises(ValidationFailed) as exc:
        v.validate_cccd(cccd, sex=sex, birth_year=year)
    assert exc.value.field == "cccd"
    assert str(exc.value.message) == str(message)


def test_cccd_messages_are_distinct_and_vietnamese_D3() -> None:
    messages = [
        v.CCCD_NOT_DIGITS,
        v.CCCD_OLD_CMND,
        v.CCCD_LENGTH,
        v.CCCD_PROVINCE,
        v.CCCD_SEX,
        v.CCCD_CENTURY,
        v.CCCD_YEAR,
    ]
    texts = [str(m) for m in messages]
    assert len(set(texts)) == len(texts)
    assert all("CCCD" in t for t in texts)


def test_province_codes_are_the_63_pre_2025_provinces_D3() -> None:
    assert len(v.PROVINCE_CODES) == 63
    assert "19" in v.PROVINCE_CODES  # Thái Nguyên
    wheels = sorted(Path(settings.DATA_DIR).glob("vietnam_provinces-0.4.3-*.whl"))
    if not wheels:
        if os.environ.get("CI") == "true":
            pytest.fail("vietnam-provinces 0.4.3 wheel missing from DATA_DIR (scripts/setup fetches it)")
        pytest.skip("vietnam-provinces 0.4.3 wheel not fetched (scripts/setup fetches it)")
    with zipfile.ZipFile(wheels[0]) as wheel:
        provinces = json.loads(wheel.read("vietnam_provinces/data/nested-divisions.json"))
    assert {f"{p['code']:02d}" for p in provinces} == v.PROVINCE_CODES


def test_cccd_parse_gives_province_sex_and_year_D3() -> None:
    parts = v.cccd_parse("019303123456")
    assert parts == v.CccdParts(province_code="19", sex="F", birth_year=2003, serial="123456")


_SEX = st.sampled_from(["M", "F"])
_YEAR = st.integers(min_value=1900, max_value=2099)
_SERIAL = st.from_regex(r"\A[0-9]{6}\Z")
_PROVINCE = st.sampled_from(sorted(v.PROVINCE_CODES))


@given(province=_PROVINCE, sex=_SEX, year=_YEAR, serial=_SERIAL)
def test_any_generated_cccd_is_valid_for_its_sex_and_year_D3(province: str, sex: str, year: int, serial: str) -> None:
    cccd = v.cccd_make(province_code=province, sex=sex, birth_year=year, serial=serial)
    assert v.validate_cccd(cccd, sex=sex, birth_year=year) == cccd


@given(
    province=_PROVINCE,
    sex=_SEX,
    year=_YEAR,
    serial=_SERIAL,
    position=st.sampled_from([3, 4, 5]),
    delta=st.integers(min_value=1, max_value=9),
)
def test_changing_the_century_sex_or_year_digits_breaks_the_cccd_D3(
    province: str, sex: str, year: int, serial: str, position: int, delta: int
) -> None:
    cccd = v.cccd_make(province_code=province, sex=sex, birth_year=year, serial=serial)
    digit = (int(cccd[position]) + delta) % 10
    changed = cccd[:position] + str(digit) + cccd[position + 1 :]
    with pytest.raises(ValidationFailed) as exc:
        v.validate_cccd(changed, sex=sex, birth_year=year)
    assert exc.value.field == "cccd"


# --- Mobile numbers --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("raw", "normalised"),
    [
        ("0912345678", "0912345678"),
        ("0912 345 678", "0912345678"),
        ("0912.345.678", "0912345678"),
        ("0912-345-678", "0912345678"),
        ("+84912345678", "0912345678"),
        ("+84 912 345 678", "0912345678"),
        ("84912345678", "0912345678"),
        ("0321234567", "0321234567"),
        ("0398765432", "0398765432"),
        ("0521234567", "0521234567"),
        ("0561234567", "0561234567"),
        ("0581234567", "0581234567"),
        ("0591234567", "0591234567"),
        ("0701234567", "0701234567"),
        ("0761234567", "0761234567"),
        ("0791234567", "0791234567"),
        ("0811234567", "0811234567"),
        ("0891234567", "0891234567"),
        ("0901234567", "0901234567"),
        ("0941234567", "0941234567"),
        ("0961234567", "0961234567"),
        ("0991234567", "0991234567"),
    ],
)
def test_valid_mobile_numbers_are_normalised_D3(raw: str, normalised: str) -> None:
    assert v.normalise_phone(raw) == normalised


@pytest.mark.parametrize(
    ("raw", "message"),
    [
        ("09123456a8", v.PHONE_BAD_CHARS),
        ("0912/345/678", v.PHONE_BAD_CHARS),
        ("091234567", v.PHONE_LENGTH),  # 9 digits
        ("09123456789", v.PHONE_LENGTH),  # 11 digits
        ("1912345678", v.PHONE_LENGTH),  # does not start with 0
        ("+849123456789", v.PHONE_LENGTH),
        ("0312345678", v.PHONE_PREFIX),  # 031 is not a mobile prefix
        ("0512345678", v.PHONE_PREFIX),
        ("0571234567", v.PHONE_PREFIX),
        ("0711234567", v.PHONE_PREFIX),
        ("0751234567", v.PHONE_PREFIX),
        ("0801234567", v.PHONE_PREFIX),
        ("0951234567", v.PHONE_PREFIX),
        ("0208123456", v.PHONE_PREFIX),  # a Thái Nguyên landline
    ],
)
def test_invalid_mobile_numbers_rejected_with_message_D3(raw: str, message: object) -> None:
    with pytest.raises(ValidationFailed) as exc:
        v.normalise_phone(raw)
    assert exc.value.field == "phone"
    assert str(exc.value.message) == str(message)


# --- Passports (M6) --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("raw", "clean"), [("M12345678", "M12345678"), ("c1234567", "C1234567"), ("E 123456", "E123456")]
)
def test_valid_passports_M6(raw: str, clean: str) -> None:
    assert v.normalise_passport(raw) == clean


@pytest.mark.parametrize("raw", ["12345", "ABCDEFGH", "M1234567890", "M-123456", "Ñ1234567"])
def test_invalid_passports_M6(raw: str) -> None:
    with pytest.raises(ValidationFailed) as exc:
        v.normalise_passport(raw)
    assert exc.value.field == "passport_no"


# --- Birth dates -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("birth_date", "birth_year", "year"),
    [
        (date(1985, 3, 2), None, 1985),
        (None, 1985, 1985),  # year only
        (date(1985, 3, 2), 1985, 1985),  # both, agreeing
        (date(1900, 1, 1), None, 1900),
        (TODAY, None, TODAY.year),
    ],
)
def test_valid_birth_D3(birth_date: date | None, birth_year: int | None, year: int) -> None:
    assert v.validate_birth(birth_date=birth_date, birth_year=birth_year, today=TODAY) == year


@pytest.mark.parametrize(
    ("birth_date", "birth_year", "field", "message"),
    [
        (None, None, "birth_year", v.BIRTH_REQUIRED),
        (date(2026, 6, 2), None, "birth_date", v.BIRTH_FUTURE),
        (None, 2027, "birth_year", v.BIRTH_YEAR_FUTURE),
        (date(1899, 12, 31), None, "birth_date", v.BIRTH_TOO_EARLY),
        (None, 1899, "birth_year", v.BIRTH_TOO_EARLY),
        (date(1985, 3, 2), 1986, "birth_year", v.BIRTH_MISMATCH),
    ],
)
def test_invalid_birth_D3(birth_date: date | None, birth_year: int | None, field: str, message: object) -> None:
    with pytest.raises(ValidationFailed) as exc:
        v.validate_birth(birth_date=birth_date, birth_year=birth_year, today=TODAY)
    assert exc.value.field == field
    assert str(exc.value.message) == str(message)
