"""Screening pages and API: campaign list/create/edit, the draw's confirmation, the round page (audited),
its Excel export (audited), bad input shown in Vietnamese, scope (T2)."""

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

from phongdich.core.models import AuditLog
from phongdich.screening.models import Campaign, Round

pytestmark = pytest.mark.django_db


def login(client: Client, user: Any, cast: Any) -> Client:
    assert client.login(username=user.username, password=cast.password)
    return client


def form_data(park: Any, **overrides: Any) -> dict[str, Any]:
    today = timezone.localdate()
    data: dict[str, Any] = {
        "name": "Sàng lọc công nhân KCN Yên Bình",
        "organisations": [str(park.park.uid)],
        "sample_mode": "fraction",
        "sample_percent": "20",
        "sample_count": "",
        "period": "weekly",
        "test_kind": "rapid",
        "start_date": today.isoformat(),
        "end_date": (today + timedelta(days=90)).isoformat(),
        "note": "",
    }
    data.update(overrides)
    return data


def test_create_draw_and_read_a_round_through_the_pages_T2(client: Client, park: Any, cast: Any) -> None:
    login(client, cast.alice, cast)
    assert client.get(reverse("screening:campaign-create")).status_code == 200
    response = client.post(reverse("screening:campaign-create"), form_data(park))
    campaign = Campaign.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("screening:campaign", args=[campaign.uid])
    assert "Sàng lọc công nhân KCN Yên Bình" in client.get(reverse("screening:campaigns")).content.decode()

    confirm = client.get(reverse("screening:draw", args=[campaign.uid])).content.decode()
    assert "Công ty May A" in confirm
    assert "Công ty Điện tử B" in confirm
    # Without the confirmation box nothing is drawn.
    assert client.post(reverse("screening:draw", args=[campaign.uid]), {}).status_code == 200
    assert not Round.objects.exists()
    response = client.post(reverse("screening:draw", args=[campaign.uid]), {"confirm": "on"})
    rnd = Round.objects.get()
    assert response["Location"] == reverse("screening:round", args=[rnd.uid])
    assert rnd.drawn_count == 3  # ceil(20 % × 14)

    body = client.get(reverse("screening:round", args=[rnd.uid])).content.decode()
    assert 'id="round-orgs"' in body
    for selection in rnd.selections.select_related("person"):
        assert selection.person.full_name in body
    assert AuditLog.objects.filter(action="read", object_uid=str(rnd.uid)).count() == 1

    export = client.get(reverse("screening:round-export", args=[rnd.uid]))
    assert export.status_code == 200
    sheet = load_workbook(io.BytesIO(export.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][0] == "Họ và tên"
    assert len(rows) == 1 + 3
    assert {r[4] for r in rows[1:]} == {"Chưa có kết quả"}
    assert AuditLog.objects.filter(action="export", object_uid=str(rnd.uid)).count() == 1

    # A second draw in the same period: a clear message, nothing more drawn.
    again = client.post(reverse("screening:draw", args=[campaign.uid]), {"confirm": "on"})
    assert again.status_code == 200
    assert "Kỳ 1 đã được chọn mẫu" in again.content.decode()
    assert Round.objects.count() == 1


def test_bad_input_is_shown_in_vietnamese_and_nothing_is_stored_T2(client: Client, park: Any, cast: Any) -> None:
    login(client, cast.alice, cast)
    response = client.post(reverse("screening:campaign-create"), form_data(park, sample_percent=""))
    assert response.status_code == 200
    assert "Tỷ lệ lấy mẫu phải lớn hơn 0" in response.content.decode()
    response = client.post(reverse("screening:campaign-create"), form_data(park, end_date="2000-01-01"))
    assert "Ngày kết thúc không được trước ngày bắt đầu" in response.content.decode()
    assert not Campaign.objects.exists()


def test_edit_keeps_the_seed_and_stops_a_campaign_T2(client: Client, park: Any, cast: Any) -> None:
    login(client, cast.alice, cast)
    client.post(reverse("screening:campaign-create"), form_data(park))
    campaign = Campaign.objects.get()
    seed = campaign.seed
    response = client.post(
        reverse("screening:campaign-edit", args=[campaign.uid]), form_data(park, name="Đổi tên", is_active="")
    )
    assert response.status_code == 302
    campaign.refresh_from_db()
    assert (campaign.name, campaign.is_active, campaign.seed) == ("Đổi tên", False, seed)


def test_scope_of_the_pages_T2(client: Client, park: Any, cast: Any) -> None:
    login(client, cast.alice, cast)
    client.post(reverse("screening:campaign-create"), form_data(park))
    campaign = Campaign.objects.get()
    client.post(reverse("screening:draw", args=[campaign.uid]), {"confirm": "on"})
    rnd = Round.objects.get()
    # The head of an enterprise of the park sees the campaign and its round, may not draw or edit.
    login(client, park.hung, cast)
    assert campaign.name in client.get(reverse("screening:campaigns")).content.decode()
    assert client.get(reverse("screening:round", args=[rnd.uid])).status_code == 200
    assert client.get(reverse("screening:draw", args=[campaign.uid])).status_code == 403
    assert client.get(reverse("screening:campaign-edit", args=[campaign.uid])).status_code == 403
    # Officers elsewhere do not see it at all.
    login(client, cast.dan, cast)
    assert campaign.name not in client.get(reverse("screening:campaigns")).content.decode()
    assert client.get(reverse("screening:campaign", args=[campaign.uid])).status_code == 404
    assert client.get(reverse("screening:round", args=[rnd.uid])).status_code == 404
    assert client.get(reverse("screening:round-export", args=[rnd.uid])).status_code == 404


def api(user: Any) -> APIClient:
    client = APIClient()
    client.force_authenticate(user)
    return client


def test_api_create_draw_and_report_T2(park: Any, cast: Any) -> None:
    client = api(cast.alice)
    today = timezone.localdate()
    payload = {
        "name": "Sàng lọc qua API",
        "organisations": [str(park.a.uid), str(park.b.uid)],
        "sample_mode": "count",
        "sample_count": 4,
        "period": "biweekly",
        "test_kind": "pcr",
        "start_date": today.isoformat(),
        "end_date": (today + timedelta(days=30)).isoformat(),
    }
    response = client.post(reverse("api:screening-campaigns"), payload, format="json")
    assert response.status_code == 201, response.content
    uid = response.json()["uid"]
    listed = client.get(reverse("api:screening-campaigns")).json()
    assert [c["uid"] for c in listed["results"]] == [uid]
    drawn = client.post(reverse("api:screening-draw", args=[uid]))
    assert drawn.status_code == 201, drawn.content
    assert drawn.json()["drawn_count"] == 4
    again = client.post(reverse("api:screening-draw", args=[uid]))
    assert again.status_code == 400
    assert "đã được chọn mẫu" in again.content.decode()
    report = client.get(reverse("api:screening-round", args=[drawn.json()["uid"]])).json()
    assert report["total"]["drawn"] == 4
    assert report["total"]["coverage"] == 0.0
    assert len(report["selections"]) == 4
    assert AuditLog.objects.filter(action="read", object_uid=drawn.json()["uid"]).exists()
    detail = client.get(reverse("api:screening-campaign", args=[uid])).json()
    assert [r["number"] for r in detail["rounds"]] == [1]
    # Bad input: a field error in Vietnamese, nothing stored.
    bad = client.post(reverse("api:screening-campaigns"), {**payload, "sample_count": None}, format="json")
    assert bad.status_code == 400
    assert "Số người mỗi kỳ phải lớn hơn 0" in bad.content.decode()
    outsider = client.post(
        reverse("api:screening-campaigns"), {**payload, "organisations": [str(park.a.uid)]}, format="json"
    )
    assert outsider.status_code == 201
    assert api(cast.dan).post(reverse("api:screening-draw", args=[uid])).status_code == 404
    assert api(park.hung).post(reverse("api:screening-draw", args=[uid])).status_code == 403
    assert Campaign.objects.count() == 2


def test_person_page_shows_the_rounds_they_were_drawn_in_T2(client: Client, park: Any, cast: Any) -> None:
    login(client, cast.alice, cast)
    client.post(reverse("screening:campaign-create"), form_data(park))
    campaign = Campaign.objects.get()
    client.post(reverse("screening:draw", args=[campaign.uid]), {"confirm": "on"})
    rnd = Round.objects.get()
    drawn = rnd.selections.select_related("person").first()
    assert drawn is not None
    body = client.get(reverse("people:detail", args=[drawn.person.uid])).content.decode()
    assert "Sàng lọc ngẫu nhiên" in body
    assert reverse("screening:round", args=[rnd.uid]) in body
    assert "Chưa có kết quả" in body
    not_drawn = next(p for p in park.a_staff + park.b_staff if not rnd.selections.filter(person=p).exists())
    other = client.get(reverse("people:detail", args=[not_drawn.uid])).content.decode()
    assert reverse("screening:round", args=[rnd.uid]) not in other
