"""Vietnamese vehicle registration plates (biển kiểm soát), as written on a goods-transport pass (Z2).

A plate is the two-digit code of the registering province (11–99), a series and a serial of four or
five digits. Cars and lorries carry a series of one or two letters (``20C-123.45``, ``29LD-012.34``);
motorcycles a letter and a digit (``20-B1 123.45``). Letters I, J, O, Q and W do not begin a series.
Spaces, dots and dashes are ignored when typed; the canonical form is the one printed above.
"""

from __future__ import annotations

import re

from django.utils.translation import gettext_lazy as _

from phongdich.core.errors import ValidationFailed

PLATE_INVALID = _(
    "Biển kiểm soát không đúng dạng: hai số mã tỉnh, sê-ri chữ, bốn hoặc năm chữ số (ví dụ 20C-123.45, 29LD-012.34)."
)
PLATE_PROVINCE = _("Hai số đầu của biển kiểm soát (mã tỉnh) phải từ 11 đến 99.")

_SEPARATORS = re.compile(r"[\s.\-_]")
_FIRST = "A-HK-NPR-VXYZ"
# Tried in this order: a car's letter series first, so that 20C12345 is 20C-123.45, not 20-C1 2345.
_CAR = re.compile(rf"^(\d{{2}})([{_FIRST}][A-Z]?)(\d{{4,5}})$")
_MOTORCYCLE = re.compile(rf"^(\d{{2}})([{_FIRST}]\d)(\d{{4,5}})$")


def normalise_plate(value: str) -> str:
    """``20c 123 45`` → ``20C-123.45``; raises ``ValidationFailed`` (field ``plate``) when it is not a plate."""
    raw = _SEPARATORS.sub("", (value or "").strip().upper())
    match = _CAR.match(raw) or _MOTORCYCLE.match(raw)
    if match is None:
        raise ValidationFailed(PLATE_INVALID, field="plate")
    province, series, serial = match.groups()
    if not 11 <= int(province) <= 99:
        raise ValidationFailed(PLATE_PROVINCE, field="plate")
    number = f"{serial[:3]}.{serial[3:]}" if len(serial) == 5 else serial
    if series[-1].isdigit():  # a motorcycle: 20-B1 123.45
        return f"{province}-{series} {number}"
    return f"{province}{series}-{number}"


def plate_key(value: str) -> str:
    """The plate without separators (``20C12345``), for searching what was typed any way."""
    return _SEPARATORS.sub("", (value or "").strip().upper())
