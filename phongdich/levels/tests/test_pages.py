"""The levels pages, API and Excel export: scoped, Vietnamese, bad input refused without a trace (Z3)."""

from __future__ import annotations

import io
from datetime import timedelta
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook
from rest_framework.test import APIClient

from phongdich.core.models import AuditAction, AuditLog
from phongdich.levels.models import CapacityReport, LevelDecision
from phongdich.levels.services import levels_assess_week
from phongdich.levels.weeks import week_label

from .helpers import WEEK, cases, set_population


@pytest.fixture
def assessed(tree: Any) -> Any:
    for u, pop in ((tree.province, 30_000), (tree.city, 20_000), (tree.pho_yen, 10_000)):
        set_population(u, pop)
    for u in (tree.quan_trieu, tree.quang_vinh, tree.dac_son):
        set_population(u, 10_000)
    cases(tree.quan_trieu, 6)  # 60 /100k → level 3 without the vaccination criterion
    levels_assess_week(actor=None, week_start=WEEK, rules_code="4800", now=timezone.now() - timedelta(days=3))
    return tree


def _client(user: Any) -> Client:
    c = Client()
    c.force_login(user)
    return c


@pytest.mark.django_db
def test_overview_shows_levels_with_colours_and_figures_in_scope_Z3(assessed: Any, cast: Any) -> None:
    page = _client(cast.alice).get(reverse("levels:overview"))
    assert page.status_code == 200
    html = page.content.decode()
    assert "Cấp độ dịch: Tỉnh Thái Nguyên" in html
    assert "Thành phố Thái Nguyên" in html
    assert "Thị xã Phổ Yên" in html
    city = _client(cast.alice).get(reverse("levels:overview"), {"unit": str(assessed.city.uid)}).content.decode()
    assert "Phường Quán Triều" in city
    assert 'class="badge level-3 orange"' in city
    assert "60,0" in city  # community cases per 100,000 per week
    assert "Công bố, điều chỉnh cấp độ" in city
    # A commune officer sees their commune (and their district's and province's levels), not another district.
    own = _client(cast.cuong).get(reverse("levels:overview")).content.decode()
    assert "Cấp độ dịch: Phường Quán Triều" in own
    assert "Công bố, điều chỉnh cấp độ" not in own
    assert _client(cast.cuong).get(reverse("levels:overview"), {"unit": str(assessed.city.uid)}).status_code == 200
    other = _client(cast.cuong).get(reverse("levels:overview"), {"unit": str(assessed.pho_yen.uid)})
    assert other.status_code == 404
    # A bad week is a message, not an error page.
    bad = _client(cast.alice).get(reverse("levels:overview"), {"week": "tuần 46"})
    assert bad.status_code == 200
    assert "YYYY-Www" in bad.content.decode()


@pytest.mark.django_db
def test_history_and_publish_form_for_the_province_only_Z3(assessed: Any, cast: Any) -> None:
    url = reverse("levels:publish", args=[assessed.dac_son.uid])
    assert _client(cast.dan).get(reverse("levels:publish", args=[assessed.quan_trieu.uid])).status_code == 403
    assert _client(cast.dan).get(url).status_code == 404  # not in his district
    c = _client(cast.alice)
    refused = c.post(url, {"level": "3", "reason": ""})
    assert refused.status_code == 200
    assert "Cần nêu lý do" in refused.content.decode()
    assert not LevelDecision.objects.filter(unit=assessed.dac_son, is_override=True).exists()
    soon = (timezone.localtime() + timedelta(hours=2)).strftime("%Y-%m-%dT%H:%M")
    too_soon = c.post(url, {"level": "3", "reason": "Ổ dịch mới", "effective_from": soon})
    assert "48 giờ" in too_soon.content.decode()
    done = c.post(url, {"level": "3", "reason": "Ổ dịch mới"})
    assert done.status_code == 302
    d = LevelDecision.objects.get(unit=assessed.dac_son, is_override=True)
    assert d.effective_from - d.published_at == timedelta(hours=48)
    history = c.get(reverse("levels:history", args=[assessed.dac_son.uid])).content.decode()
    assert "Ổ dịch mới" in history
    assert "chưa áp dụng" in history
    assert "tỉnh điều chỉnh" in history


@pytest.mark.django_db
def test_capacity_form_saves_in_scope_and_refuses_bad_input_Z3(assessed: Any, cast: Any) -> None:
    c = _client(cast.cuong)
    url = reverse("levels:capacity")
    data = {
        "unit": str(assessed.quan_trieu.uid),
        "week": week_label(WEEK),
        "beds": "10",
        "free_beds": "4",
        "icu_beds": "1",
        "mobile_stations": "2",
        "oxygen_adequate": "on",
        "oxygen_cases": "1",
    }
    assert c.post(url, data).status_code == 302
    assert CapacityReport.objects.get(unit=assessed.quan_trieu, week_start=WEEK).free_beds == 4
    bad = c.post(url, {**data, "free_beds": "40"})
    assert bad.status_code == 200
    assert "không được lớn hơn tổng số giường" in bad.content.decode()
    week = c.post(url, {**data, "week": "2021-W99"})
    assert "Không có tuần" in week.content.decode()
    other = c.post(url, {**data, "unit": str(assessed.dac_son.uid)})  # not in his scope: not a choice
    assert other.status_code == 200
    assert CapacityReport.objects.count() == 1
    assert _client(cast.oanh).get(url).status_code == 403


@pytest.mark.django_db
def test_export_is_scoped_and_audited_Z3(assessed: Any, cast: Any) -> None:
    response = _client(cast.dan).get(reverse("levels:export"), {"week": week_label(WEEK)})
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(response.content)).active
    names = [row[1] for row in sheet.iter_rows(min_row=2, values_only=True)]
    assert sorted(names) == ["Phường Quang Vinh", "Phường Quán Triều", "Thành phố Thái Nguyên"]
    log = AuditLog.objects.get(action=AuditAction.EXPORT)
    assert log.actor == cast.dan
    assert log.detail["rows"] == 3


@pytest.mark.django_db
def test_api_lists_levels_what_if_and_publish_Z3(assessed: Any, cast: Any) -> None:
    api = APIClient()
    api.force_authenticate(cast.dan)
    listing = api.get("/api/v1/levels/assessments/", {"week": week_label(WEEK), "unit_level": 3})
    assert listing.status_code == 200
    assert {r["unit"]["code"] for r in listing.json()["results"]} == {"05431", "05434"}
    assert api.get("/api/v1/levels/assessments/", {"week": "x"}).status_code == 400
    unit = api.get(f"/api/v1/levels/units/{assessed.quan_trieu.uid}/").json()
    assert unit["level"] == 3
    assert unit["assessment"]["level"] == 3
    what_if = api.post(
        "/api/v1/levels/what-if/",
        {"rules": "4800", "indicators": {"community_cases_per_100k_week": 73.5, "vaccination_criterion_met": True}},
        format="json",
    )
    assert what_if.status_code == 200
    assert what_if.json()["level"] == 2
    bad = api.post("/api/v1/levels/what-if/", {"rules": "4800", "indicators": {"x": 1}}, format="json")
    assert bad.status_code == 400
    assert api.post(f"/api/v1/levels/units/{assessed.dac_son.uid}/", {"level": 1}).status_code in (403, 404)
    api.force_authenticate(cast.alice)
    made = api.post(f"/api/v1/levels/units/{assessed.dac_son.uid}/", {"level": 2, "reason": "Thử"}, format="json")
    assert made.status_code == 201
    cap = api.post(
        "/api/v1/levels/capacity-reports/",
        {
            "unit": str(assessed.city.uid),
            "week": week_label(WEEK),
            "beds": 5,
            "free_beds": 9,
            "icu_beds": 0,
            "mobile_stations": 0,
            "oxygen_adequate": True,
            "oxygen_cases": 0,
        },
        format="json",
    )
    assert cap.status_code == 400
    assert "free_beds" in cap.json() or "giường" in str(cap.json())
