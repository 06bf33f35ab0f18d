"""Where a person gets their code (M1): the citizen page (CCCD + phone + birth, throttled, or the
phone's check-in memory) and the officials' printable code from the person's page."""

from __future__ import annotations

import hashlib
import re
from typing import Any

from django.core.signing import get_cookie_signer
from django.test import Client
from django.urls import reverse

from phongdich.checkins.api import DEVICE_COOKIE, DEVICE_COOKIE_SALT
from phongdich.checkins.models import Visitor
from phongdich.core.models import AuditAction, AuditLog
from phongdich.healthpass.tokens import code_verify
from phongdich.people.models import Person

from .conftest import make_person

URL = "/qr/"


def _code_in(html: str) -> str:
    match = re.search(r"data-code>([A-Z2-7 ]+)<", html)
    assert match, "no code on the page"
    return match.group(1)


def test_public_url_M1() -> None:
    assert reverse("pass:mine") == URL


def test_citizen_gets_code_with_cccd_phone_and_birth_M1(citizen: Person) -> None:
    for birth in ("05/09/1985", "5-9-1985", "1985"):
        response = Client().post(URL, {"cccd": citizen.cccd, "phone": "+84 912 345 678", "birth": birth})
        assert response.status_code == 200, birth
        html = response.content.decode()
        assert 'src="data:image/svg+xml' in html
        assert code_verify(_code_in(html)).person_uid == citizen.uid
        assert response["Cache-Control"] == "no-store"
    assert AuditLog.objects.filter(action=AuditAction.READ, object_uid=str(citizen.uid)).count() == 3


def test_citizen_mismatch_says_nothing_about_which_field_M1(citizen: Person) -> None:
    for data in (
        {"cccd": citizen.cccd, "phone": "0987654321", "birth": "05/09/1985"},
        {"cccd": citizen.cccd, "phone": "0912345678", "birth": "06/09/1985"},
        {"cccd": citizen.cccd, "phone": "0912345678", "birth": "1986"},
    ):
        response = Client().post(URL, data)
        assert response.status_code == 400
        html = response.content.decode()
        assert "Thông tin không khớp với hồ sơ nào" in html
        assert "data-code" not in html
        assert citizen.full_name not in html


def test_citizen_bad_input_is_a_clear_message_M1(citizen: Person) -> None:
    response = Client().post(URL, {"cccd": citizen.cccd, "phone": "0912345678", "birth": "năm 85"})
    assert response.status_code == 400
    assert "ngày/tháng/năm" in response.content.decode()
    response = Client().post(URL, {"cccd": "12", "phone": "0912345678", "birth": "1985"})
    assert response.status_code == 400
    assert "data-code" not in response.content.decode()


def test_citizen_lookup_is_throttled_M1(citizen: Person, settings: Any) -> None:
    settings.LOGIN_FAILURE_LIMIT = 3
    client = Client()
    for _attempt in range(3):
        client.post(URL, {"cccd": citizen.cccd, "phone": "0987654321", "birth": "1985"})
    right = {"cccd": citizen.cccd, "phone": "0912345678", "birth": "1985"}
    response = client.post(URL, right)
    assert response.status_code == 400
    assert "Nhập sai quá nhiều lần" in response.content.decode()
    assert "data-code" not in response.content.decode()


def test_phone_remembered_by_checkin_page_shows_its_owner_code_M1(tree: Any) -> None:
    person = make_person(tree.quan_trieu, "Đỗ Minh Châu")
    token = "device-token-for-test-0123456789abcd"
    Visitor.objects.create(token_hash=hashlib.sha256(token.encode()).hexdigest(), person=person)
    client = Client()
    client.cookies[DEVICE_COOKIE] = get_cookie_signer(salt=DEVICE_COOKIE + DEVICE_COOKIE_SALT).sign(token)
    html = client.get(URL).content.decode()
    assert "Đỗ Minh Châu" in html
    assert code_verify(_code_in(html)).person_uid == person.uid
    # Without the phone's memory the page asks for the CCCD.
    fresh = Client().get(URL).content.decode()
    assert "data-code" not in fresh
    assert 'name="cccd"' in fresh


def test_official_prints_code_from_person_page_audited_M1(cast: Any, tree: Any) -> None:
    person = make_person(tree.quan_trieu, "Vũ Thị Hoa")
    client = Client()
    client.force_login(cast.cuong)
    page = client.get(reverse("people:detail", args=[person.uid])).content.decode()
    url = reverse("healthpass:person", args=[person.uid])
    assert url in page
    html = client.get(url).content.decode()
    assert code_verify(_code_in(html)).person_uid == person.uid
    assert AuditLog.objects.filter(
        actor=cast.cuong, action=AuditAction.READ, object_uid=str(person.uid), summary="In mã QR cá nhân"
    ).exists()
    # An officer of another commune cannot.
    other = Client()
    other.force_login(cast.chi)
    assert other.get(url).status_code == 404
