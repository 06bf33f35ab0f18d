"""Identity rules (D3): CCCD structure, Vietnamese mobile numbers, passports, birth dates.

Each rule raises ``ValidationFailed`` naming its field, with a message constant of this module
so that tests and callers can tell the failures apart.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from phongdich.core.errors import ValidationFailed

# GSO codes of the 63 provinces in force before 07/2025 (checked against vietnam-provinces 0.4.3).
# A CCCD starts with "0" + the code of the province where the birth was registered; the codes
# did not change with the 2025 merger for CCCDs already issued.
_PROVINCE_CODES_TEXT = (
    "01 02 04 06 08 10 11 12 14 15 17 19 20 22 24 25 26 27 30 31 33 34 35 36 37 38 40 42 44 45 46 48 49 "
    "51 52 54 56 58 60 62 64 66 67 68 70 72 74 75 77 79 80 82 83 84 86 87 89 91 92 93 94 95 96"
)
PROVINCE_CODES: frozenset[str] = frozenset(_PROVINCE_CODES_TEXT.split(" "))

# Century of birth → the digit for a man; a woman's is one more (Circular 07/2016/TT-BCA, art. 7).
_CENTURY_DIGIT = {19: 0, 20: 2, 21: 4, 22: 6, 23: 8}

CCCD_NOT_DIGITS = _("Số CCCD chỉ gồm chữ số (0–9).")
CCCD_OLD_CMND = _("Đây là số CMND 9 số cũ, không phải số CCCD. Vui lòng nhập số CCCD gồm 12 chữ số.")
CCCD_LENGTH = _("Số CCCD phải gồm đúng 12 chữ số.")
CCCD_PROVINCE = _("Ba số đầu của CCCD (mã tỉnh nơi đăng ký khai sinh) không hợp lệ.")
CCCD_SEX = _("Số thứ tư của CCCD (mã thế kỷ và giới tính) không khớp với giới tính.")
CCCD_CENTURY = _("Số thứ tư của CCCD (mã thế kỷ và giới tính) không khớp với thế kỷ của năm sinh.")
CCCD_YEAR = _("Số thứ năm và thứ sáu của CCCD phải là hai số cuối của năm sinh.")

PHONE_BAD_CHARS = _("Số điện thoại chỉ gồm chữ số (có thể có dấu cách, dấu chấm, gạch ngang hoặc +84 ở đầu).")
PHONE_LENGTH = _("Số điện thoại di động phải gồm 10 chữ số, bắt đầu bằng 0 (ví dụ 0912 345 678).")
PHONE_PREFIX = _("Đầu số điện thoại di động không hợp lệ (các đầu số hợp lệ: 03x, 05x, 07x, 08x, 09x).")

PASSPORT_INVALID = _("Số hộ chiếu gồm 6 đến 9 chữ cái in hoa hoặc chữ số, có ít nhất một chữ số.")

BIRTH_REQUIRED = _("Vui lòng nhập ngày sinh hoặc năm sinh.")
BIRTH_FUTURE = _("Ngày sinh không được ở tương lai.")
BIRTH_YEAR_FUTURE = _("Năm sinh không được ở tương lai.")
BIRTH_TOO_EARLY = _("Năm sinh phải từ năm 1900 trở đi.")
BIRTH_MISMATCH = _("Năm sinh không khớp với ngày sinh.")

NATIONALITY_INVALID = _("Quốc tịch là mã 2 chữ cái theo ISO 3166-1 (ví dụ VN, CN, KR).")

MOBILE_PREFIXES: frozenset[str] = frozenset(
    [f"03{d}" for d in "23456789"]
    + ["052", "056", "058", "059", "070", "076", "077", "078", "079"]
    + [f"08{d}" for d in "123456789"]
    + [f"09{d}" for d in "012346789"]
)

_PHONE_SEPARATORS = re.compile(r"[\s.\-()]")
_PASSPORT = re.compile(r"^[A-Z0-9]{6,9}$")


@dataclass(frozen=True)
class CccdParts:
    province_code: str  # GSO code, two digits
    sex: str  # "M" or "F"
    birth_year: int
    serial: str  # the last six digits


def cccd_sex_digit(*, sex: str, birth_year: int) -> int:
    """The fourth digit of a CCCD for this sex and year of birth."""
    return _CENTURY_DIGIT[_century(birth_year)] + (1 if sex == "F" else 0)


def _century(year: int) -> int:
    """19 for 1900–1999, 20 for 2000–2099 … (the CCCD's notion, not the calendar's)."""
    return year // 100


def cccd_make(*, province_code: str, sex: str, birth_year: int, serial: str) -> str:
    """Build a structurally valid CCCD (for tests and synthetic data)."""
    digit = cccd_sex_digit(sex=sex, birth_year=birth_year)
    return f"0{province_code}{digit}{birth_year % 100:02d}{serial}"


def cccd_parse(value: str) -> CccdParts:
    """Split a well-formed CCCD into its parts (checks digits, length, province, century digit)."""
    value = value.strip()
    if not value.isascii() or not value.isdigit():
        raise ValidationFailed(CCCD_NOT_DIGITS, field="cccd")
    if len(value) == 9:
        raise ValidationFailed(CCCD_OLD_CMND, field="cccd")
    if len(value) != 12:
        raise ValidationFailed(CCCD_LENGTH, field="cccd")
    if value[0] != "0" or value[1:3] not in PROVINCE_CODES:
        raise ValidationFailed(CCCD_PROVINCE, field="cccd")
    g = int(value[3])
    century = 19 + g // 2
    return CccdParts(
        province_code=value[1:3],
        sex="F" if g % 2 else "M",
        birth_year=century * 100 + int(value[4:6]),
        serial=value[6:],
    )


def validate_cccd(value: str, *, sex: str | None = None, birth_year: int | None = None) -> str:
    """Check a CCCD's structure against the person's sex and year of birth; return it stripped.

    ``PPP G YY RRRRRR``: ``0`` + province code, century/sex digit, last two digits of the
    birth year, six serial digits.
    """
    parts = cccd_parse(value)
    if sex in ("M", "F") and parts.sex != sex:
        raise ValidationFailed(CCCD_SEX, field="cccd")
    if birth_year is not None:
        if _century(birth_year) != _century(parts.birth_year):
            raise ValidationFailed(CCCD_CENTURY, field="cccd")
        if birth_year % 100 != parts.birth_year % 100:
            raise ValidationFailed(CCCD_YEAR, field="cccd")
    return value.strip()


def normalise_phone(value: str) -> str:
    """``+84 912.345.678`` → ``0912345678``; raises on anything that is not a Vietnamese mobile."""
    raw = _PHONE_SEPARATORS.sub("", value.strip())
    if raw.startswith("+84"):
        raw = "0" + raw[3:]
    elif raw.startswith("84") and len(raw) == 11:
        raw = "0" + raw[2:]
    if not raw.isascii() or not raw.isdigit():
        raise ValidationFailed(PHONE_BAD_CHARS, field="phone")
    if len(raw) != 10 or raw[0] != "0":
        raise ValidationFailed(PHONE_LENGTH, field="phone")
    if raw[:3] not in MOBILE_PREFIXES:
        raise ValidationFailed(PHONE_PREFIX, field="phone")
    return raw


def looks_like_phone(value: str) -> bool:
    try:
        normalise_phone(value)
    except ValidationFailed:
        return False
    return True


def normalise_passport(value: str) -> str:
    """Passport numbers: 6–9 letters or digits (at least one digit), stored upper-case."""
    raw = value.strip().replace(" ", "").upper()
    if not _PASSPORT.match(raw) or not any(ch.isdigit() for ch in raw):
        raise ValidationFailed(PASSPORT_INVALID, field="passport_no")
    return raw


def normalise_nationality(value: str) -> str:
    raw = value.strip().upper()
    if len(raw) != 2 or not raw.isascii() or not raw.isalpha():
        raise ValidationFailed(NATIONALITY_INVALID, field="nationality")
    return raw


def validate_birth(*, birth_date: date | None, birth_year: int | None, today: date | None = None) -> int:
    """Check a date of birth or a year of birth (or both, which must agree); return the year."""
    today = today or timezone.localdate()
    if birth_date is None and birth_year is None:
        raise ValidationFailed(BIRTH_REQUIRED, field="birth_year")
    if birth_date is not None:
        if birth_date > today:
            raise ValidationFailed(BIRTH_FUTURE, field="birth_date")
        if birth_date.year < 1900:
            raise ValidationFailed(BIRTH_TOO_EARLY, field="birth_date")
        if birth_year is not None and birth_year != birth_date.year:
            raise ValidationFailed(BIRTH_MISMATCH, field="birth_year")
        return birth_date.year
    assert birth_year is not None
    if birth_year > today.year:
        raise ValidationFailed(BIRTH_YEAR_FUTURE, field="birth_year")
    if birth_year < 1900:
        raise ValidationFailed(BIRTH_TOO_EARLY, field="birth_year")
    return birth_year
