"""Goods-transport passes and checkpoint checks (Z2): issue with validation, revoke, re-issue, every check
recorded with its answer (valid / not yet valid / expired / revoked / unknown), scope; and the API."""

from __future__ import annotations

import base64
from datetime import UTC, date, datetime
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse
from rest_framework.test import APIClient

from phongdich.core.errors import ValidationFailed
from phongdich.core.models import AuditAction, AuditLog
from phongdich.zones.control_services import pass_check, pass_reissue, pass_revoke
from phongdich.zones.models import PassCheck, PassResult, TransportPass
from phongdich.zones.pass_tokens import token_display, token_for

from .control_world import checkpoint, issue

pytestmark = pytest.mark.django_db


def at(day: int, month: int = 5) -> datetime:
    return datetime(2021, month, day, 3, tzinfo=UTC)  # 10:00 in Vietnam


@pytest.mark.parametrize(
    ("moment", "expected"),
    [
        (at(19), PassResult.NOT_YET_VALID),
        (at(20), PassResult.VALID),
        (at(31), PassResult.VALID),
        (at(1, 6), PassResult.EXPIRED),
    ],
)
def test_checks_answer_by_date_and_are_recorded_Z2(tree: Any, cast: Any, moment: datetime, expected: str) -> None:
    issued = issue(tree.quan_trieu)
    point = checkpoint(tree.quan_trieu)
    outcome = pass_check(actor=cast.cuong, checkpoint=point, code=token_for(issued.nonce), at=moment)
    assert outcome.result == expected
    check = PassCheck.objects.get()
    assert (check.transport_pass, check.checkpoint, check.checked_at, check.result, check.checked_by) == (
        issued,
        point,
        moment,
        expected,
        cast.cuong,
    )
    assert AuditLog.objects.filter(action=AuditAction.CREATE, object_uid=str(check.uid)).exists()


def test_forged_malformed_and_revoked_codes_Z2(tree: Any, cast: Any) -> None:
    issued = issue(tree.quan_trieu)
    point = checkpoint(tree.quan_trieu)
    raw = base64.b32decode(token_for(issued.nonce))
    forged = base64.b32encode(raw[:10] + bytes(10)).decode()
    for code in (forged, "XIN CHAO", "https://example.org/luong-xanh/abc/"):
        assert pass_check(actor=cast.cuong, checkpoint=point, code=code, at=at(25)).result == PassResult.UNKNOWN
    # The typed code, in groups of four and lower case, is the same pass.
    typed = token_display(token_for(issued.nonce)).lower()
    assert pass_check(actor=cast.cuong, checkpoint=point, code=typed, at=at(25)).result == PassResult.VALID
    pass_revoke(actor=cast.cuong, transport_pass=issued, reason="Lái xe là F1")
    assert pass_check(actor=cast.cuong, checkpoint=point, code=typed).result == PassResult.REVOKED
    assert PassCheck.objects.count() == 5
    assert PassCheck.objects.filter(result=PassResult.UNKNOWN, transport_pass__isnull=True).count() == 3
    with pytest.raises(ValidationFailed):
        pass_check(actor=cast.cuong, checkpoint=point, code="  ")
    with pytest.raises(ValidationFailed):
        pass_revoke(actor=cast.cuong, transport_pass=TransportPass.objects.get(), reason="lần nữa")


def test_reissue_revokes_the_old_card_and_gives_a_new_token_Z2(tree: Any, cast: Any) -> None:
    old = issue(tree.quan_trieu)
    new = pass_reissue(actor=cast.cuong, transport_pass=old, valid_to=date(2021, 6, 15), reason="Mất thẻ")
    old.refresh_from_db()
    assert old.replaced_by == new
    assert old.revoked_at is not None
    assert old.revoke_reason == "Mất thẻ"
    assert new.nonce != old.nonce
    assert (new.plate, new.valid_from, new.valid_to) == (old.plate, old.valid_from, date(2021, 6, 15))
    point = checkpoint(tree.quan_trieu)
    assert pass_check(actor=None, checkpoint=point, code=token_for(old.nonce)).result == "revoked"
    assert pass_check(actor=None, checkpoint=point, code=token_for(new.nonce), at=at(5, 6)).result == "valid"
    with pytest.raises(ValidationFailed):
        pass_reissue(actor=cast.cuong, transport_pass=old)


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"plate": "20C-12"}, "plate"),
        ({"driver_name": "  "}, "driver_name"),
        ({"driver_phone": "0212345678"}, "driver_phone"),
        ({"driver_cccd": "12345"}, "driver_cccd"),
        ({"goods": ""}, "goods"),
        ({"origin_text": ""}, "origin_unit"),
        ({"destination_unit": None, "destination_text": ""}, "destination_unit"),
        ({"valid_to": date(2021, 5, 1)}, "valid_to"),
    ],
)
def test_bad_passes_are_refused_and_nothing_stored_Z2(tree: Any, change: dict, field: str) -> None:
    with pytest.raises(ValidationFailed) as caught:
        issue(tree.quan_trieu, **change)
    assert caught.value.field == field
    assert not TransportPass.objects.exists()


def test_issue_normalises_and_is_scoped_Z2(tree: Any, cast: Any) -> None:
    issued = issue(tree.quan_trieu, actor=cast.cuong, plate="20c 123 45", driver_phone="+84 912.345.678")
    assert (issued.plate, issued.driver_phone, issued.issued_by) == ("20C-123.45", "0912345678", cast.cuong)
    with pytest.raises(PermissionDenied):
        issue(tree.quang_vinh, actor=cast.cuong)  # another commune's unit
    with pytest.raises(PermissionDenied):
        issue(tree.xom1, actor=cast.hoa)  # a hamlet head does not issue
    with pytest.raises(PermissionDenied):
        pass_revoke(actor=cast.chi, transport_pass=issued, reason="x")
    with pytest.raises(PermissionDenied):
        pass_check(actor=cast.chi, checkpoint=checkpoint(tree.quan_trieu), code=token_for(issued.nonce))
    # Any checkpoint in the province checks any pass: chi at her own checkpoint.
    assert pass_check(actor=cast.chi, checkpoint=checkpoint(tree.quang_vinh, "Chốt QV"), code=token_for(issued.nonce))


# --- API -------------------------------------------------------------------------------------------

PAYLOAD = {
    "issuing_unit": "05431",
    "plate": "20c12345",
    "driver_name": "Hoàng Văn Lái",
    "driver_phone": "0912345678",
    "goods": "Phân bón",
    "origin_text": "Bắc Giang",
    "destination_unit": "05431-01",
    "valid_from": "2021-05-20",
    "valid_to": "2021-05-31",
}


def test_api_issue_list_detail_revoke_and_check_Z2(tree: Any, cast: Any) -> None:
    api = APIClient()
    api.force_authenticate(cast.cuong)
    response = api.post(reverse("api:transport-passes-list"), PAYLOAD, format="json")
    assert response.status_code == 201, response.json()
    body = response.json()
    assert body["plate"] == "20C-123.45"
    assert body["destination_unit"]["code"] == "05431-01"
    assert body["qr_url"].endswith(f"/luong-xanh/{body['token']}/")
    uid = body["uid"]
    assert [p["uid"] for p in api.get(reverse("api:transport-passes-list")).json()["results"]] == [uid]
    assert api.get(reverse("api:transport-passes-detail", args=[uid])).status_code == 200
    assert AuditLog.objects.filter(action=AuditAction.READ, object_uid=uid).exists()
    point = checkpoint(tree.quan_trieu)
    listed = api.get(reverse("api:transport-checkpoints-list")).json()["results"]
    assert [c["uid"] for c in listed] == [str(point.uid)]
    check = api.post(
        reverse("api:transport-pass-checks-list"), {"checkpoint": str(point.uid), "code": body["qr_url"]}, format="json"
    )
    assert check.status_code == 201
    assert check.json()["plate"] == "20C-123.45"
    revoked = api.post(reverse("api:transport-passes-revoke", args=[uid]), {"reason": "Sai tuyến"}, format="json")
    assert revoked.json()["pass_status"] == "revoked"
    checks = api.get(reverse("api:transport-pass-checks-list"), {"checkpoint": str(point.uid)}).json()["results"]
    assert len(checks) == 1
    reissued = api.post(reverse("api:transport-passes-reissue", args=[uid]), {}, format="json")
    assert reissued.status_code == 201
    # Out of scope: 404 for the pass, empty lists.
    api.force_authenticate(cast.chi)
    assert api.get(reverse("api:transport-passes-detail", args=[uid])).status_code == 404
    assert api.get(reverse("api:transport-passes-list")).json()["results"] == []
    assert api.get(reverse("api:transport-pass-checks-list")).json()["results"] == []
    assert api.get(reverse("api:transport-checkpoints-list")).json()["results"] == []


def test_api_bad_input_gives_vietnamese_field_errors_Z2(tree: Any, cast: Any) -> None:
    api = APIClient()
    api.force_authenticate(cast.cuong)
    response = api.post(reverse("api:transport-passes-list"), {**PAYLOAD, "plate": "XYZ"}, format="json")
    assert response.status_code == 400
    assert "Biển kiểm soát" in str(response.json())
    response = api.post(reverse("api:transport-passes-list"), {**PAYLOAD, "issuing_unit": "99999"}, format="json")
    assert response.status_code == 400
    assert not TransportPass.objects.exists()


def test_api_zones_and_measure_sets_Z1(tree: Any, cast: Any) -> None:
    from phongdich.zones.control_services import zone_create
    from phongdich.zones.models import MeasureSet, ZoneArea, ZoneKind

    zone = zone_create(
        actor=None,
        name="Phong tỏa TDP 1",
        zone_kind=ZoneKind.LOCKDOWN,
        area=ZoneArea.HAMLET,
        units=[tree.xom1],
        measure_set=MeasureSet.objects.get(code="ct16"),
        start_date=date(2021, 5, 20),
        decision_number="1/QĐ",
        issuing_authority="UBND phường Quán Triều",
    )
    api = APIClient()
    api.force_authenticate(cast.hoa)
    rows = api.get(reverse("api:control-zones-list"), {"status": "all"}).json()["results"]
    assert [(r["uid"], r["measure_set"], r["zone_area"]) for r in rows] == [(str(zone.uid), "ct16", "hamlet")]
    assert api.get(reverse("api:control-zones-detail", args=[zone.uid])).status_code == 200
    sets = api.get(reverse("api:measure-sets-list")).json()
    assert {s["code"] for s in sets} >= {"ct15", "ct16", "ct19", "level-1", "level-4"}
    api.force_authenticate(cast.chi)
    assert api.get(reverse("api:control-zones-detail", args=[zone.uid])).status_code == 404
    assert api.get(reverse("api:control-zones-list"), {"status": "bogus"}).status_code == 400
