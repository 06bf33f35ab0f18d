"""The hotlines API (R5, G4): public hotline list; tips scoped (out of scope 404), operator entry, audited
detail, assign and close with the service's rules; teams with who is on duty."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.utils import timezone
from rest_framework.test import APIClient

from phongdich.core.models import AuditLog
from phongdich.hotlines.models import Tip, TipChannel, TipKind
from phongdich.hotlines.services import hotline_create, shift_create, team_create, tip_receive

pytestmark = pytest.mark.django_db


def _api(user: Any = None) -> APIClient:
    client = APIClient()
    if user is not None:
        client.force_authenticate(user)
    return client


def _tip(tree: Any, commune: Any = None) -> Tip:
    return tip_receive(
        actor=None,
        channel=TipChannel.PUBLIC,
        kind=TipKind.SUSPECTED_CASE,
        description="Có người sốt",
        commune=commune or tree.quan_trieu,
        reporter_phone="0912345678",
    )


def test_public_hotlines_without_login_R5(tree: Any) -> None:
    hotline_create(actor=None, unit=tree.province, name="Sở Y tế", number="0208 3855 123")
    hidden = hotline_create(actor=None, unit=tree.province, name="Nội bộ", number="0208 3855 999")
    hidden.is_public = False
    hidden.save()
    data = _api().get("/api/v1/hotlines/").json()
    assert [(h["name"], h["number"], h["unit"]["code"]) for h in data] == [("Sở Y tế", "0208 3855 123", "19")]


def test_teams_with_on_duty_R5(cast: Any, tree: Any) -> None:
    team = team_create(actor=None, unit=tree.city, name="Đội PƯN")
    now = timezone.now()
    shift_create(
        actor=None, team=team, full_name="Đang trực", start=now - timedelta(hours=1), end=now + timedelta(hours=1)
    )
    (row,) = _api(cast.cuong).get("/api/v1/hotlines/teams/").json()
    assert [s["full_name"] for s in row["on_duty"]] == ["Đang trực"]
    assert _api(cast.oanh).get("/api/v1/hotlines/teams/").json() == []


def test_tips_list_is_scoped_and_detail_audited_G4(cast: Any, tree: Any) -> None:
    ours, theirs = _tip(tree), _tip(tree, commune=tree.quang_vinh)
    data = _api(cast.cuong).get("/api/v1/tips/").json()
    assert [t["code"] for t in data["results"]] == [ours.code]
    assert "reporter_phone" not in data["results"][0]
    assert _api(cast.cuong).get(f"/api/v1/tips/{theirs.uid}/").status_code == 404
    detail = _api(cast.cuong).get(f"/api/v1/tips/{ours.uid}/").json()
    assert detail["reporter_phone"] == "0912345678"
    assert [e["to_status"] for e in detail["events"]] == ["new"]
    assert AuditLog.objects.filter(action="read", object_uid=str(ours.uid)).count() == 1
    assert _api(cast.cuong).get("/api/v1/tips/?status=bogus").status_code == 400
    assert _api().get("/api/v1/tips/").status_code in (401, 403)


def test_operator_entry_assign_close_G4(cast: Any, tree: Any) -> None:
    api = _api(cast.dan)
    bad = api.post("/api/v1/tips/", {"kind": "illegal_entry", "description": "x", "commune": "00000"}, format="json")
    assert bad.status_code == 400
    assert "commune" in bad.json()
    created = api.post(
        "/api/v1/tips/",
        {
            "kind": "illegal_entry",
            "description": "Hai người nước ngoài ở trọ không khai báo",
            "commune": tree.quan_trieu.code,
        },
        format="json",
    )
    assert created.status_code == 201
    body = created.json()
    assert (body["channel"], body["routed_unit"]["code"], body["status"]) == ("hotline", "164", "new")
    uid = body["uid"]
    refused = api.post(f"/api/v1/tips/{uid}/assign/", {"assignee": "oanh"}, format="json")
    assert refused.status_code == 400
    assert api.post(f"/api/v1/tips/{uid}/assign/", {"assignee": "cuong"}, format="json").json()["assignee"] == "cuong"
    no_note = _api(cast.cuong).post(f"/api/v1/tips/{uid}/close/", {"outcome": "referred", "note": ""}, format="json")
    assert no_note.status_code == 400
    closed = _api(cast.cuong).post(
        f"/api/v1/tips/{uid}/close/", {"outcome": "referred", "note": "Chuyển Công an thành phố"}, format="json"
    )
    assert closed.json()["status"] == "closed"
    again = _api(cast.cuong).post(f"/api/v1/tips/{uid}/close/", {"outcome": "referred", "note": "x"}, format="json")
    assert again.status_code == 400
    assert "không thể chuyển" in again.json()["status"][0]
