"""The public tip form at /bao-tin/ (G4): a citizen reports without login (anonymous allowed), gets a code,
follows the status by it without seeing personal data; the medical declaration's abuse guards apply
(CAPTCHA after a few sends, per-address and per-phone limits, body size); the hotlines listed (R5)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client, override_settings

from phongdich.hotlines.models import Tip, TipOutcome, TipStatus
from phongdich.hotlines.services import hotline_create, tip_close
from phongdich.people.validators import PHONE_PREFIX

pytestmark = pytest.mark.django_db

URL = "/bao-tin/"


def test_form_lists_the_public_hotlines_per_district_R5(cast: Any, tree: Any) -> None:
    hotline_create(actor=None, unit=tree.province, name="Sở Y tế Thái Nguyên", number="0208 3855 123")
    hotline_create(actor=None, unit=tree.city, name="TTYT Thành phố", number="0913 111 222")
    page = Client().get(URL).content.decode()
    html = page[page.index('id="hotline-directory"') :]
    assert "Sở Y tế Thái Nguyên" in html
    assert "0913 111 222" in html
    assert html.index("Tỉnh Thái Nguyên") < html.index("Thành phố Thái Nguyên")


def test_anonymous_citizen_reports_and_gets_a_code_G4(tree: Any, tip_data: Callable[..., dict[str, Any]]) -> None:
    response = Client().post(URL, tip_data())
    assert response.status_code == 200
    tip = Tip.objects.get()
    assert tip.code in response.content.decode()
    assert (tip.channel, tip.reporter_name, tip.reporter_phone, tip.received_by) == ("public", "", "", None)
    assert tip.routed_unit == tree.quan_trieu


def test_bad_input_gets_a_vietnamese_message_and_nothing_stored_G4(tip_data: Callable[..., dict[str, Any]]) -> None:
    response = Client().post(URL, tip_data(reporter_phone="0212345678", description=""))
    assert response.status_code == 400
    html = response.content.decode()
    assert "Vui lòng điền mục này." in html
    assert not Tip.objects.exists()
    response = Client().post(URL, tip_data(reporter_phone="0212345678"))
    assert str(PHONE_PREFIX) in response.content.decode()
    assert not Tip.objects.exists()
    response = Client().post(URL, tip_data(commune="99999"))
    assert "Không có xã, phường này trong danh mục" in response.content.decode()


@override_settings(DECLARATION_CAPTCHA_AFTER=2, DECLARATION_LIMIT_PER_IP=4)
def test_captcha_then_per_address_limit_G4(tip_data: Callable[..., dict[str, Any]]) -> None:
    client = Client()
    assert client.post(URL, tip_data()).status_code == 200
    assert client.post(URL, tip_data()).status_code == 200
    third = client.post(URL, tip_data())
    assert third.status_code == 400
    assert "Kết quả phép tính chưa đúng" in third.content.decode()
    assert Tip.objects.count() == 2
    assert client.post(URL, tip_data()).status_code == 400
    assert client.post(URL, tip_data()).status_code == 429
    assert Tip.objects.count() == 2


@override_settings(DECLARATION_LIMIT_PER_PHONE=2, DECLARATION_CAPTCHA_AFTER=100, DECLARATION_LIMIT_PER_IP=100)
def test_per_phone_limit_G4(tip_data: Callable[..., dict[str, Any]]) -> None:
    for _i in range(2):
        assert Client().post(URL, tip_data(reporter_phone="0912 345 678")).status_code == 200
    refused = Client().post(URL, tip_data(reporter_phone="+84912345678"))
    assert refused.status_code == 400
    assert "quá nhiều lần" in refused.content.decode()
    assert Tip.objects.count() == 2


@override_settings(DECLARATION_MAX_BODY=2048)
def test_oversized_body_is_refused_with_a_clear_message_G4(tip_data: Callable[..., dict[str, Any]]) -> None:
    response = Client(enforce_csrf_checks=True).post(URL, tip_data(description="x" * 5000))
    assert response.status_code == 413
    assert "quá lớn" in response.content.decode()
    assert not Tip.objects.exists()


def test_status_by_code_shows_no_personal_data_G4(
    cast: Any, tree: Any, tip_data: Callable[..., dict[str, Any]]
) -> None:
    Client().post(URL, tip_data(reporter_name="Trần Văn Báo", reporter_phone="0912345678"))
    tip = Tip.objects.get()
    page = Client().post("/bao-tin/tra-cuu/", {"code": tip.code.lower()})
    html = page.content.decode()
    assert page.status_code == 200
    assert "Mới" in html
    for private in ("Trần Văn Báo", "0912345678", "Đà Nẵng", "Dương Tự Minh"):
        assert private not in html
    tip_close(actor=cast.cuong, tip=tip, outcome=TipOutcome.UNFOUNDED, note="Trần Văn Báo đã được gọi lại")
    html = Client().get(f"/bao-tin/tra-cuu/?code={tip.code}").content.decode()
    assert str(TipStatus.CLOSED.label) in html
    assert str(TipOutcome.UNFOUNDED.label) in html
    assert "Trần Văn Báo" not in html
    missing = Client().post("/bao-tin/tra-cuu/", {"code": "ZZZZZZZZ"})
    assert missing.status_code == 404
    assert "Không tìm thấy tin báo" in missing.content.decode()
