"""Pages for control zones, passes and checkpoints (Z1, Z2): forms store or explain, lists and details are
scoped (404 outside), the people-inside export is audited, the checkpoint screen records every check, and
the public pass page shows validity, plate and dates only."""

from __future__ import annotations

import io
from datetime import date, timedelta
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from phongdich.core.models import AuditAction, AuditLog
from phongdich.zones.control_services import pass_revoke, zone_create
from phongdich.zones.models import Checkpoint, ControlZone, PassCheck, TransportPass, ZoneArea, ZoneKind
from phongdich.zones.pass_tokens import token_for

from .control_world import World, build_world, issue

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(tree: Any, cast: Any) -> World:
    return build_world(tree, cast)


def login(client: Client, user: Any) -> Client:
    client.force_login(user)
    return client


def hamlet_zone(tree: Any, world: World) -> ControlZone:
    return zone_create(
        actor=None,
        name="Phong tỏa Tổ dân phố 1",
        zone_kind=ZoneKind.LOCKDOWN,
        area=ZoneArea.HAMLET,
        units=[tree.xom1],
        measure_set=world.ct16,
        start_date=timezone.localdate() - timedelta(days=2),
        decision_number="15/QĐ-UBND",
        issuing_authority="UBND thành phố Thái Nguyên",
    )


def test_create_edit_lift_zone_through_the_pages_Z1(client: Client, tree: Any, cast: Any, world: World) -> None:
    login(client, cast.cuong)
    assert client.get(reverse("zones:control_create")).status_code == 200
    form = {
        "name": "Giãn cách phường Quán Triều",
        "zone_kind": ZoneKind.SOCIAL_DISTANCING,
        "area": ZoneArea.UNITS,
        "unit_codes": "05431",
        "measure_set": world.ct15.pk,
        "start_date": "2021-05-20",
        "decision_number": "20/QĐ-UBND",
        "issuing_authority": "UBND thành phố Thái Nguyên",
    }
    # Bad input: a Vietnamese message, nothing stored.
    bad = client.post(reverse("zones:control_create"), {**form, "unit_codes": "05431, 77777"})
    assert bad.status_code == 200
    assert "Không có đơn vị hành chính mã “77777”" in bad.content.decode()
    outside = client.post(reverse("zones:control_create"), {**form, "unit_codes": "05434"})
    assert outside.status_code == 200
    assert "ngoài địa bàn" in outside.content.decode()
    assert not ControlZone.objects.exists()
    response = client.post(reverse("zones:control_create"), form)
    zone = ControlZone.objects.get()
    assert response["Location"] == reverse("zones:control_detail", args=[zone.uid])
    detail = client.get(reverse("zones:control_detail", args=[zone.uid])).content.decode()
    assert "Trần Thị Phường" in detail
    assert "Nguyễn Văn Xóm" in detail
    assert "chưa xác nhận" in detail  # 15/CT-TTg's unconfirmed measures are flagged
    edit = client.post(reverse("zones:control_edit", args=[zone.uid]), {**form, "name": "Giãn cách QT"})
    assert edit.status_code == 302
    client.post(reverse("zones:control_lift", args=[zone.uid]), {"lifted_on": "2021-06-10"})
    zone.refresh_from_db()
    assert (zone.name, zone.end_date) == ("Giãn cách QT", date(2021, 6, 9))


def test_zone_pages_are_scoped_Z1(client: Client, tree: Any, cast: Any, world: World) -> None:
    zone = hamlet_zone(tree, world)
    login(client, cast.chi)
    assert client.get(reverse("zones:control_detail", args=[zone.uid])).status_code == 404
    assert "Phong tỏa Tổ dân phố 1" not in client.get(reverse("zones:control_list")).content.decode()
    assert client.get(reverse("zones:control_people_export", args=[zone.uid])).status_code == 404
    assert client.get(reverse("zones:control_create")).status_code == 200
    login(client, cast.hoa)
    assert "Phong tỏa Tổ dân phố 1" in client.get(reverse("zones:control_list")).content.decode()
    assert client.get(reverse("zones:control_create")).status_code == 403
    assert client.post(reverse("zones:control_lift", args=[zone.uid]), {"lifted_on": "2030-01-01"}).status_code == 403


def test_people_export_is_audited_Z1(client: Client, tree: Any, cast: Any, world: World) -> None:
    zone = hamlet_zone(tree, world)
    login(client, cast.cuong)
    response = client.get(reverse("zones:control_people_export", args=[zone.uid]))
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(response.content)).active
    assert [row[0] for row in sheet.iter_rows(min_row=2, values_only=True)] == ["Nguyễn Văn Xóm"]
    line = AuditLog.objects.get(action=AuditAction.EXPORT)
    assert (line.actor, line.object_uid, line.detail["rows"]) == (cast.cuong, str(zone.uid), 1)


def test_measure_list_and_zone_list_pages_Z1(client: Client, tree: Any, cast: Any, world: World) -> None:
    hamlet_zone(tree, world)
    login(client, cast.alice)
    page = client.get(reverse("zones:measure_list")).content.decode()
    assert "Chỉ thị 16/CT-TTg" in page
    assert "cấp độ 4" in page
    listed = client.get(reverse("zones:control_list")).content.decode()
    assert "Phong tỏa Tổ dân phố 1" in listed
    assert "Phong tỏa Tổ dân phố 1" not in client.get(reverse("zones:control_list") + "?status=ended").content.decode()


def test_pass_issue_print_revoke_through_the_pages_Z2(client: Client, tree: Any, cast: Any) -> None:
    login(client, cast.cuong)
    form = {
        "plate": "20c 12345",
        "driver_name": "Hoàng Văn Lái",
        "driver_phone": "0912345678",
        "goods": "Vải thiều",
        "origin_text": "Bắc Giang",
        "destination_code": "05431",
        "valid_from": "2021-05-20",
        "valid_to": "2021-05-31",
        "issuing_unit_code": "05431",
    }
    bad = client.post(reverse("zones:pass_create"), {**form, "plate": "20"})
    assert "Biển kiểm soát không đúng dạng" in bad.content.decode()
    assert not TransportPass.objects.exists()
    response = client.post(reverse("zones:pass_create"), form)
    issued = TransportPass.objects.get()
    assert response["Location"] == reverse("zones:pass_detail", args=[issued.uid])
    detail = client.get(reverse("zones:pass_detail", args=[issued.uid]))
    assert detail.status_code == 200
    assert "data:image/svg+xml" in detail.content.decode()
    assert AuditLog.objects.filter(action=AuditAction.READ, object_uid=str(issued.uid)).exists()
    printed = client.get(reverse("zones:pass_print", args=[issued.uid])).content.decode()
    assert "20C-123.45" in printed
    assert "@page" not in printed
    assert "LUỒNG XANH" in printed
    assert "20C-123.45" in client.get(reverse("zones:pass_list") + "?status=all&plate=20C12345").content.decode()
    client.post(reverse("zones:pass_revoke", args=[issued.uid]), {"reason": "Sai tuyến"})
    issued.refresh_from_db()
    assert issued.revoked_at is not None
    login(client, cast.chi)
    assert client.get(reverse("zones:pass_detail", args=[issued.uid])).status_code == 404
    assert client.get(reverse("zones:pass_print", args=[issued.uid])).status_code == 404


def test_public_page_shows_validity_plate_dates_never_phone_or_cccd_Z2(client: Client, tree: Any) -> None:
    today = timezone.localdate()
    issued = issue(tree.quan_trieu, valid_from=today, valid_to=today + timedelta(days=7))
    response = client.get(reverse("transport-pass:public", args=[token_for(issued.nonce)]))
    page = response.content.decode()
    assert response.status_code == 200
    assert 'data-result="valid"' in page
    assert "20C-123.45" in page
    assert f"{today:%d/%m/%Y}" in page
    for secret in ("0912345678", "019085000123", "Hoàng Văn Lái"):
        assert secret not in page
    pass_revoke(actor=None, transport_pass=issued, reason="x")
    assert (
        'data-result="revoked"'
        in client.get(reverse("transport-pass:public", args=[token_for(issued.nonce)])).content.decode()
    )
    forged = client.get(reverse("transport-pass:public", args=["A" * 32]))
    assert forged.status_code == 404
    assert 'data-result="unknown"' in forged.content.decode()
    assert not PassCheck.objects.exists()  # the public page records nothing


def test_checkpoint_screen_records_every_check_in_large_colours_Z2(client: Client, tree: Any, cast: Any) -> None:
    today = timezone.localdate()
    issued = issue(tree.quan_trieu, valid_from=today, valid_to=today + timedelta(days=3))
    later = issue(
        tree.quan_trieu, plate="20C-555.55", valid_from=today + timedelta(days=1), valid_to=today + timedelta(days=3)
    )
    login(client, cast.cuong)
    created = client.post(reverse("zones:checkpoint_list"), {"name": "Chốt Quán Triều", "unit_code": "05431"})
    point = Checkpoint.objects.get()
    assert created["Location"] == reverse("zones:checkpoint", args=[point.uid])
    screen = client.get(reverse("zones:checkpoint", args=[point.uid])).content.decode()
    assert "phongdich/healthpass/gate.js" in screen
    assert 'id="hp-camera"' in screen
    url = f"http://testserver/luong-xanh/{token_for(issued.nonce)}/"
    assert (
        'data-result="valid"'
        in client.post(reverse("zones:checkpoint", args=[point.uid]), {"code": url}).content.decode()
    )
    answer = client.post(reverse("zones:checkpoint", args=[point.uid]), {"code": token_for(later.nonce)})
    assert 'data-result="not_yet_valid"' in answer.content.decode()
    unknown = client.post(reverse("zones:checkpoint", args=[point.uid]), {"code": "SAI MA"})
    assert 'data-result="unknown"' in unknown.content.decode()
    empty = client.post(reverse("zones:checkpoint", args=[point.uid]), {"code": ""})
    assert empty.status_code == 400
    assert list(PassCheck.objects.order_by("id").values_list("result", "checked_by")) == [
        ("valid", cast.cuong.pk),
        ("not_yet_valid", cast.cuong.pk),
        ("unknown", cast.cuong.pk),
    ]
    login(client, cast.chi)
    assert client.get(reverse("zones:checkpoint", args=[point.uid])).status_code == 404
    login(client, cast.oanh)
    assert client.get(reverse("zones:checkpoint_list")).status_code == 403
