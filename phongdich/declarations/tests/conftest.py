"""Helpers for the declaration tests: a valid public form body, built on the root ``tree`` fixture."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from typing import Any

import pytest
from django.core.cache import cache
from django.utils import timezone

from phongdich.people.validators import cccd_make


@pytest.fixture(autouse=True)
def _clear_cache() -> None:
    cache.clear()


@pytest.fixture
def form_data(tree: Any) -> Callable[..., dict[str, Any]]:
    """``form_data(**overrides)``: a complete, valid self-service declaration for a resident of Quán Triều."""

    def build(**overrides: Any) -> dict[str, Any]:
        data: dict[str, Any] = {
            "full_name": "Nguyễn Văn Khai",
            "id_number": cccd_make(province_code="19", sex="M", birth_year=1990, serial="123456"),
            "birth_year": "1990",
            "sex": "M",
            "nationality": "VN",
            "residence_unit": tree.quan_trieu.code,
            "address": "Số 5, đường Dương Tự Minh",
            "phone": "0912345678",
            "email": "",
            "pledge": "on",
        }
        data.update(overrides)
        return {k: v for k, v in data.items() if v is not None}

    return build


def days_ago(n: int) -> str:
    return (timezone.localdate() - timedelta(days=n)).isoformat()
