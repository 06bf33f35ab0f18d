"""The public page (G4): no login, the province's levels and daily figures, the update time, no personal data."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.core.cache import cache
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from phongdich.cases.models import CaseStatus
from phongdich.dashboard.tests.test_overview import TODAY, _case, _level

pytestmark = pytest.mark.urls("phongdich.dashboard.tests.urls_public")


@pytest.fixture(autouse=True)
def _fresh_cache() -> None:
    cache.clear()


@pytest.fixture
def scene(tree: Any) -> list[Any]:
    _level(tree.quan_trieu, 3, days_ago=1)
    _level(tree.dac_son, 1, days_ago=1)
    return [
        _case(tree.quan_trieu, TODAY),
        _case(tree.quang_vinh, TODAY),
        _case(tree.dac_son, TODAY - timedelta(days=5), status=CaseStatus.RECOVERED),
        _case(tree.dac_son, TODAY - timedelta(days=9), status=CaseStatus.DIED),
    ]


def test_public_page_without_login_shows_figures_and_update_time_G4(client: Client, scene: list[Any]) -> None:
    before = timezone.localtime()
    response = client.get(reverse("public:overview"))
    assert response.status_code == 200
    figures = response.context["figures"]
    cases = figures.cases
    assert (cases.today, cases.total, cases.treating, cases.recovered, cases.died) == (2, 4, 2, 1, 1)
    html = response.content.decode()
    at = figures.computed_at
    assert before <= at <= timezone.localtime()
    assert "Cập nhật lúc " + at.strftime("%H:%M %d/%m/%Y") in html
    assert "Phường Quán Triều: Cấp 3" in html
    assert "Xã Đắc Sơn: Cấp 1" in html
    assert "Phường Quang Vinh: Chưa đánh giá" in html
    assert "Cấp 3: 1" in html


def test_public_page_has_no_personal_data_G4(client: Client, scene: list[Any]) -> None:
    html = client.get(reverse("public:overview")).content.decode()
    for case in scene:
        assert case.person.full_name not in html
        assert case.case_code not in html
        assert str(case.person.uid) not in html
        if case.person.phone:
            assert case.person.phone not in html
    assert "<script" not in html  # light on a phone: no script at all
    assert "<link" not in html


def test_public_page_is_cached_briefly_G4(client: Client, tree: Any, scene: list[Any]) -> None:
    first = client.get(reverse("public:overview"))
    assert "max-age=120" in first["Cache-Control"]
    assert "public" in first["Cache-Control"]
    _case(tree.quan_trieu, TODAY)
    assert client.get(reverse("public:overview")).content == first.content  # served from the cache
    cache.clear()
    assert client.get(reverse("public:overview")).content != first.content


def test_public_page_without_units_says_so_G4(client: Client, db: Any) -> None:
    response = client.get(reverse("public:overview"))
    assert response.status_code == 200
    assert "Chưa có số liệu." in response.content.decode()
