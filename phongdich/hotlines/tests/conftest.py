"""Helpers for the hotline and tip tests, on the root ``tree``/``cast`` fixtures."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.core.cache import cache


@pytest.fixture(autouse=True)
def _clear_cache() -> None:
    cache.clear()


@pytest.fixture
def tip_data(tree: Any) -> Callable[..., dict[str, Any]]:
    """``tip_data(**overrides)``: a complete, valid public tip about Quán Triều."""

    def build(**overrides: Any) -> dict[str, Any]:
        data: dict[str, Any] = {
            "kind": "suspected_case",
            "description": "Nhà số 5 có người từ Đà Nẵng về, sốt và ho, chưa khai báo y tế.",
            "commune": tree.quan_trieu.code,
            "address": "Tổ 3, đường Dương Tự Minh",
            "happened_at": "",
            "reporter_name": "",
            "reporter_phone": "",
        }
        data.update(overrides)
        return data

    return build
