"""Django REST framework's own messages in the user's language (D1): Vietnamese by default, English on request.

DRF's messages are English msgids; their Vietnamese is phongdich/locale/vi/LC_MESSAGES/django.po. Each case
is sent twice through the real API: without Accept-Language (Vietnamese, the default) and with ``en``.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from typing import Any

import pytest
from django.test import Client
from rest_framework.authtoken.models import Token

PEOPLE = "/api/v1/people/"
ME = "/api/v1/me/"


@dataclass(frozen=True)
class Case:
    name: str
    method: str
    path: str
    status: int
    where: tuple[str | int, ...]  # where the message is in the JSON answer
    vietnamese: str
    english: str
    body: str = "{}"
    content_type: str = "application/json"
    token: str | None = "valid"  # "valid": the officer's token; None: no Authorization header; else that header
    extra: dict[str, str] = field(default_factory=dict)


CASES = [
    Case(
        "invalid token on the batch check-in",
        "post",
        "/api/v1/checkins/batch",
        401,
        ("detail",),
        "Mã truy cập không hợp lệ.",
        "Invalid token.",
        body='{"items": []}',
        token="Token khong-hop-le",
    ),
    Case(
        "invalid token on a single check-in",
        "post",
        "/api/v1/checkins",
        401,
        ("detail",),
        "Mã truy cập không hợp lệ.",
        "Invalid token.",
        token="Token khong-hop-le",
    ),
    Case(
        "token header with a space in the token",
        "post",
        "/api/v1/checkins/batch",
        401,
        ("detail",),
        "Tiêu đề xác thực không hợp lệ: mã truy cập không được chứa dấu cách.",
        "Invalid token header. Token string should not contain spaces.",
        token="Token khong hop le",
    ),
    Case(
        "no credentials",
        "get",
        ME,
        401,
        ("detail",),
        "Chưa cung cấp thông tin xác thực.",
        "Authentication credentials were not provided.",
        token=None,
    ),
    Case(
        "unsupported media type",
        "post",
        PEOPLE,
        415,
        ("detail",),
        "Không hỗ trợ kiểu dữ liệu “text/plain” trong yêu cầu.",
        'Unsupported media type "text/plain" in request.',
        body="full_name=Ngô Thị Hằng",
        content_type="text/plain",
    ),
    Case(
        "malformed JSON (DRF's parser)",
        "post",
        PEOPLE,
        400,
        ("detail",),
        "Dữ liệu gửi lên không phải JSON hợp lệ.",
        "The data sent is not valid JSON.",
        body='{"full_name": "Ngô Thị Hằng",',
    ),
    Case(
        "required field",
        "post",
        PEOPLE,
        400,
        ("full_name", 0),
        "Trường này là bắt buộc.",
        "This field is required.",
    ),
    Case(
        "invalid integer",
        "post",
        PEOPLE,
        400,
        ("birth_year", 0),
        "Phải là một số nguyên hợp lệ.",
        "A valid integer is required.",
        body='{"full_name": "Ngô Thị Hằng", "birth_year": "chín ba"}',
    ),
    Case(
        "invalid choice",
        "post",
        PEOPLE,
        400,
        ("sex", 0),
        "“X” không phải là lựa chọn hợp lệ.",
        '"X" is not a valid choice.',
        body='{"full_name": "Ngô Thị Hằng", "sex": "X"}',
    ),
    Case(
        "too long",
        "post",
        PEOPLE,
        400,
        ("phone", 0),
        "Trường này chỉ được có tối đa 20 ký tự.",
        "Ensure this field has no more than 20 characters.",
        body='{"full_name": "Ngô Thị Hằng", "phone": "' + "9" * 21 + '"}',
    ),
    Case(
        "method not allowed",
        "delete",
        ME,
        405,
        ("detail",),
        "Phương thức “DELETE” không được chấp nhận.",
        'Method "DELETE" not allowed.',
    ),
    Case(
        "not found",
        "get",
        f"{PEOPLE}{uuid.UUID(int=1)}/",
        404,
        ("detail",),
        "Không tìm thấy.",
        "Not found.",
    ),
]


def _send(case: Case, key: str, **language: str) -> Any:
    headers: dict[str, str] = {**case.extra, **language}
    if case.token == "valid":
        headers["HTTP_AUTHORIZATION"] = f"Token {key}"
    elif case.token is not None:
        headers["HTTP_AUTHORIZATION"] = case.token
    client = Client()
    send = getattr(client, case.method)
    if case.method in ("get", "delete"):
        return send(case.path, **headers)
    return send(case.path, data=case.body, content_type=case.content_type, **headers)


def _message(response: Any, where: tuple[str | int, ...]) -> str:
    value = response.json()
    for step in where:
        value = value[step]
    assert isinstance(value, str), value
    return value


@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_drf_messages_are_vietnamese_by_default_and_english_on_request_D1(cast: Any, case: Case) -> None:
    key = Token.objects.create(user=cast.cuong).key

    vietnamese = _send(case, key)
    assert vietnamese.status_code == case.status, vietnamese.content
    assert vietnamese["Content-Language"] == "vi"
    english = _send(case, key, HTTP_ACCEPT_LANGUAGE="en")
    assert english.status_code == case.status, english.content
    assert english["Content-Language"] == "en"

    assert _message(vietnamese, case.where) == case.vietnamese
    assert _message(english, case.where) == case.english


def test_english_variants_get_english_drf_messages_D1(db: Any) -> None:
    response = Client().get(ME, HTTP_ACCEPT_LANGUAGE="en-GB,en;q=0.9")
    assert response.json() == {"detail": "Authentication credentials were not provided."}
    response = Client().get(ME, HTTP_ACCEPT_LANGUAGE="vi-VN,vi;q=0.9,en;q=0.5")
    assert response.json() == {"detail": "Chưa cung cấp thông tin xác thực."}
