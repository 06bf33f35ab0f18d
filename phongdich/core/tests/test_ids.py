"""Identifiers from URLs and forms are read safely: a malformed one is "not found", never a 500 (D4)."""

from __future__ import annotations

import uuid
from typing import Any

import pytest
from django.http import Http404

from phongdich.core.ids import parse_uuid, uuid_or_404

U = uuid.UUID("12345678-1234-5678-1234-567812345678")


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (U, U),
        (str(U), U),
        (U.hex, U),
        (str(U).upper(), U),
        ("", None),
        (None, None),
        ("not-a-uuid", None),
        ("12345678-1234-5678-1234-56781234567", None),
        (True, None),
        (42, None),
        (["x"], None),
    ],
)
def test_parse_uuid_table_D4(value: Any, expected: uuid.UUID | None) -> None:
    assert parse_uuid(value) == expected


def test_uuid_or_404_D4() -> None:
    assert uuid_or_404(str(U)) == U
    with pytest.raises(Http404):
        uuid_or_404("../../etc/passwd")
