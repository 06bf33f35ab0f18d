"""The public self-service form (M2): validation with nothing stored, size limit, markup, rate limit, CAPTCHA,
update by code."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client

from phongdich.declarations import guard
from phongdich.declarations.models import DeclaredVisit, FollowUpTask, MedicalDeclaration
from phongdich.people.models import Person
from phongdich.zones.models import PlaceVisit

from .conftest import days_ago

URL = "/khai-bao/"
UPDATE_URL = "/khai-bao/cap-nhat/"


def _rows() -> tuple[int, int, int, int, int]:
    return (
        MedicalDeclaration.objects.count(),
        Person.objects.count(),
        DeclaredVisit.objects.count(),
        PlaceVisit.objects.count(),
        FollowUpTask.objects.count(),
    )


def _code(response: Any) -> str:
    match = re.search(r'id="declaration-code"[^>]*>([A-Z0-9]{8})<', response.content.decode())
    assert match, response.content.decode()[:2000]
    return match.group(1)


def _visit(tree: Any, n: int, *, start: str, end: str) -> dict[str, str]:
    return {f"visit_{n}_place": f"u:{tree.city.uid}", f"visit_{n}_from": start, f"visit_{n}_to": end}


def test_form_page_is_public_and_mobile_ready_M2(client: Client, tree: Any) -> None:
    response = client.get(URL)
    assert response.status_code == 200
    html = response.content.decode()
    assert 'name="viewport"' in html
    assert "Khai báo thông tin sai là vi phạm pháp luật" in html
    assert "<optgroup" in html
    assert "Thành phố Thái Nguyên" in html
    assert "Phường Quán Triều" in html


def test_valid_declaration_returns_a_code_and_stores_it_M2(
    client: Client, tree: Any, form_data: Callable[..., dict[str, Any]]
) -> None:
    response = client.post(URL, form_data(**_visit(tree, 1, start=days_ago(5), end=days_ago(3))))
    assert response.status_code == 200
    code = _code(response)
    declaration = MedicalDeclaration.objects.get()
    assert len(code) == 8
    assert declaration.code_hash
    assert code not in declaration.code_hash
    assert declaration.person.cccd == declaration.id_number
    assert declaration.residence_unit == tree.quan_trieu
    assert declaration.visits.get().unit == tree.city
    assert PlaceVisit.objects.get().source == f"declaration:{declaration.uid}"
    assert FollowUpTask.objects.count() == 0


def test_same_cccd_declares_again_and_is_the_same_person_M2(
    client: Client, tree: Any, form_data: Callable[..., dict[str, Any]]
) -> None:
    client.post(URL, form_data())
    client.post(URL, form_data(phone="0987654321"))
    assert MedicalDeclaration.objects.count() == 2
    assert Person.objects.count() == 1


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        ({"full_name": ""}, "full_name", "Vui lòng nhập mục này."),
        ({"phone": ""}, "phone", "Vui lòng nhập mục này."),
        ({"id_number": ""}, "id_number", "Vui lòng nhập mục này."),
        ({"pledge": None}, "pledge", "Vui lòng xác nhận cam kết"),
        ({"residence_unit": "99999"}, "residence_unit", "Không có xã, phường này trong danh mục"),
        ({"phone": "0112345678"}, "phone", "Đầu số điện thoại di động không hợp lệ"),
        ({"id_number": "019290123456"}, "id_number", "không khớp"),
        ({"birth_year": "2999"}, "birth_year", "Năm sinh không được ở tương lai"),
        ({"arrival_date": "2999-01-01"}, "arrival_date", "Ngày không được ở tương lai"),
        ({"visit_1_place": "c:ZZ", "visit_1_from": days_ago(2)}, "visit_1_place", "Không có nơi này"),
    ],
)
def test_bad_input_is_refused_with_a_vietnamese_message_and_nothing_stored_M2(
    client: Client,
    tree: Any,
    form_data: Callable[..., dict[str, Any]],
    overrides: dict[str, Any],
    field: str,
    message: str,
) -> None:
    response = client.post(URL, form_data(**overrides))
    assert response.status_code == 400
    assert message in " ".join(str(e) for e in response.context["form"].errors.get(field, []))
    assert _rows() == (0, 0, 0, 0, 0)


@pytest.mark.parametrize(
    ("start", "end", "field", "message"),
    [
        (1, -1, "visit_1_to", "Ngày không được ở tương lai"),
        (-2, -2, "visit_1_from", "Ngày không được ở tương lai"),
        (20, 18, "visit_1_from", "Chỉ khai nơi đã đến trong 14 ngày gần đây"),
        (3, 5, "visit_1_to", "Ngày rời đi không được trước ngày đến"),
    ],
)
def test_impossible_visit_dates_are_refused_and_nothing_stored_M2(
    client: Client, tree: Any, form_data: Callable[..., dict[str, Any]], start: int, end: int, field: str, message: str
) -> None:
    response = client.post(URL, form_data(**_visit(tree, 1, start=days_ago(start), end=days_ago(end))))
    assert response.status_code == 400
    assert message in " ".join(str(e) for e in response.context["form"].errors[field])
    assert _rows() == (0, 0, 0, 0, 0)


def test_a_ten_megabyte_body_is_refused_with_a_clear_message_M2(
    client: Client, tree: Any, form_data: Callable[..., dict[str, Any]]
) -> None:
    response = client.post(URL, form_data(address="x" * (10 * 1024 * 1024)))
    assert response.status_code == 413
    assert "Tờ khai quá lớn" in response.content.decode()
    assert _rows() == (0, 0, 0, 0, 0)


@pytest.mark.parametrize("field", ["full_name", "address", "departure_place"])
def test_markup_is_refused_and_never_rendered_raw_M2(
    client: Client, tree: Any, form_data: Callable[..., dict[str, Any]], field: str
) -> None:
    payload = '<script>alert("x")</script>'
    response = client.post(URL, form_data(**{field: payload}))
    assert response.status_code == 400
    html = response.content.decode()
    assert "Không được nhập mã HTML" in html
    assert payload not in html
    assert "&lt;script&gt;" in html
    assert _rows() == (0, 0, 0, 0, 0)


def test_rate_limit_per_address_M2(client: Client, tree: Any, form_data: Callable[..., dict[str, Any]]) -> None:
    for _ in range(guard.ip_limit()):
        guard.ip_hit("127.0.0.1")
    response = client.post(URL, form_data())
    assert response.status_code == 429
    assert "quá nhiều tờ khai" in response.content.decode()
    assert MedicalDeclaration.objects.count() == 0


def test_rate_limit_per_phone_M2(
    client: Client, tree: Any, form_data: Callable[..., dict[str, Any]], settings: Any
) -> None:
    settings.DECLARATION_CAPTCHA_AFTER = 100
    for n in range(guard.phone_limit()):
        assert client.post(URL, form_data(full_name=f"Người Thứ {n}", id_number=f"B{n}234567")).status_code == 200
    stored = MedicalDeclaration.objects.count()
    assert stored == guard.phone_limit()
    response = client.post(URL, form_data())
    assert response.status_code == 400
    assert "đã khai quá nhiều lần" in str(response.context["form"].errors["phone"])
    assert MedicalDeclaration.objects.count() == stored


def test_captcha_after_three_submissions_from_one_address_M2(
    client: Client, tree: Any, form_data: Callable[..., dict[str, Any]]
) -> None:
    phones = ["0912000001", "0912000002", "0912000003", "0912000004"]
    for phone in phones[:3]:
        assert client.post(URL, form_data(phone=phone)).status_code == 200
    page = client.get(URL).content.decode()
    question = re.search(r"Tính: (\d) \+ (\d) = \?", page)
    token = re.search(r'name="captcha_token" value="([^"]+)"', page)
    assert question
    assert token

    refused = client.post(URL, form_data(phone=phones[3], captcha_token=token.group(1), captcha_answer="99"))
    assert refused.status_code == 400
    assert "Kết quả phép tính chưa đúng" in refused.content.decode()
    assert MedicalDeclaration.objects.count() == 3

    answer = str(int(question.group(1)) + int(question.group(2)))
    accepted = client.post(URL, form_data(phone=phones[3], captcha_token=token.group(1), captcha_answer=answer))
    assert accepted.status_code == 200
    assert MedicalDeclaration.objects.count() == 4
    replay = client.post(URL, form_data(phone=phones[3], captcha_token=token.group(1), captcha_answer=answer))
    assert replay.status_code == 400
    assert MedicalDeclaration.objects.count() == 4


def test_update_with_code_creates_a_new_version_M2(
    client: Client, tree: Any, form_data: Callable[..., dict[str, Any]]
) -> None:
    code = _code(client.post(URL, form_data()))
    lookup = client.post(UPDATE_URL, {"step": "lookup", "code": code.lower(), "phone": "0912 345 678"})
    assert lookup.status_code == 200
    assert "Nguyễn Văn Khai" in lookup.content.decode()
    data = form_data(step="save", code=code, lookup_phone="0912345678", fever="on", cough="on")
    response = client.post(UPDATE_URL, data)
    assert response.status_code == 200, response.content.decode()[:3000]
    assert "lần khai thứ 2" in response.content.decode()
    first, second = MedicalDeclaration.objects.order_by("version")
    assert first.superseded_at is not None
    assert second.superseded_at is None
    assert second.first == first
    assert second.version == 2
    assert second.person == first.person
    assert second.has_symptoms
    assert not first.has_symptoms
    task = FollowUpTask.objects.get()
    assert task.declaration == second
    assert task.commune == tree.quan_trieu


@pytest.mark.parametrize(
    ("code_ok", "phone"),
    [(False, "0912345678"), (True, "0987654321"), (True, "abc")],
)
def test_wrong_code_or_phone_is_refused_M2(
    client: Client, tree: Any, form_data: Callable[..., dict[str, Any]], code_ok: bool, phone: str
) -> None:
    code = _code(client.post(URL, form_data()))
    used = code if code_ok else ("ABCDEFGH" if code != "ABCDEFGH" else "HGFEDCBA")
    lookup = client.post(UPDATE_URL, {"step": "lookup", "code": used, "phone": phone})
    assert lookup.status_code == 400
    assert "Mã khai báo hoặc số điện thoại không đúng" in lookup.content.decode()
    save = client.post(UPDATE_URL, form_data(step="save", code=used, lookup_phone=phone, fever="on"))
    assert save.status_code == 400
    assert MedicalDeclaration.objects.count() == 1


def _csrf_token(html: str) -> str:
    match = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', html)
    assert match, html[:2000]
    return match.group(1)


def test_ten_megabytes_with_the_csrf_check_on_get_the_clear_message_M2(
    tree: Any, form_data: Callable[..., dict[str, Any]]
) -> None:
    """As a browser sends it: with the CSRF cookie and token, which makes the CSRF check read the body."""
    client = Client(enforce_csrf_checks=True)
    token = _csrf_token(client.get(URL).content.decode())
    big = {**form_data(address="x" * (10 * 1024 * 1024)), "csrfmiddlewaretoken": token}
    for url in (URL, UPDATE_URL):
        response = client.post(url, big)
        assert response.status_code == 413
        assert "Tờ khai quá lớn" in response.content.decode()
    assert _rows() == (0, 0, 0, 0, 0)
    # The CSRF check still guards the form: no token, refused; with it, the declaration is filed.
    assert client.post(URL, form_data()).status_code == 403
    assert client.post(URL, {**form_data(), "csrfmiddlewaretoken": token}).status_code == 200
    assert MedicalDeclaration.objects.count() == 1


@pytest.mark.django_db(transaction=True)
def test_ten_megabytes_over_http_to_the_live_server_get_the_clear_message_M2(
    tree: Any, live_server: Any, form_data: Callable[..., dict[str, Any]]
) -> None:
    """Through a real HTTP server and the whole middleware stack (no test client)."""
    import http.cookiejar
    import urllib.error
    import urllib.parse
    import urllib.request

    jar = http.cookiejar.CookieJar()
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
    url = f"{live_server.url}{URL}"
    token = _csrf_token(opener.open(url, timeout=30).read().decode())
    body = urllib.parse.urlencode(
        {**form_data(address="x" * (10 * 1024 * 1024)), "csrfmiddlewaretoken": token}
    ).encode()
    request = urllib.request.Request(url, data=body, headers={"Referer": url})  # noqa: S310 (the live server)
    with pytest.raises(urllib.error.HTTPError) as exc:
        opener.open(request, timeout=60)
    assert exc.value.code == 413
    assert "Tờ khai quá lớn" in exc.value.read().decode()
    assert MedicalDeclaration.objects.count() == 0
