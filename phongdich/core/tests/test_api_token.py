"""``manage.py api_token USERNAME`` prints a working API token (D4)."""

from __future__ import annotations

from io import StringIO
from typing import Any

import pytest
from django.core.management import CommandError, call_command
from rest_framework.test import APIClient


def _token(username: str) -> str:
    out = StringIO()
    call_command("api_token", username, stdout=out)
    return out.getvalue().strip()


def test_api_token_prints_a_token_that_opens_the_api_D4(cast: Any) -> None:
    token = _token("cuong")
    assert len(token) == 40
    client = APIClient()
    assert client.get("/api/v1/me/").status_code in (401, 403)
    client.credentials(HTTP_AUTHORIZATION=f"Token {token}")
    response = client.get("/api/v1/me/")
    assert response.status_code == 200
    assert response.json()["username"] == "cuong"
    assert [r["role"] for r in response.json()["roles"]] == ["commune_officer"]


def test_api_token_is_stable_D4(cast: Any) -> None:
    assert _token("cuong") == _token("cuong")
    assert _token("chi") != _token("cuong")


def test_api_token_unknown_user_is_a_clear_error_D4(db: Any) -> None:
    with pytest.raises(CommandError, match="Không có tài khoản 'khong-co'"):
        _token("khong-co")


def test_wrong_token_is_refused_D4(cast: Any) -> None:
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION="Token " + "0" * 40)
    assert client.get("/api/v1/me/").status_code == 401
