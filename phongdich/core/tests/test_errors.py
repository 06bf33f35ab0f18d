"""Error pages: Vietnamese HTML for pages, JSON under /api/, never a traceback."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client


def test_404_page_is_vietnamese_html(db: Any, client: Client) -> None:
    response = client.get("/khong-co-trang-nay/")
    assert response.status_code == 404
    assert response["Content-Type"].startswith("text/html")
    html = response.content.decode()
    assert '<html lang="vi">' in html
    assert "Không tìm thấy" in html


def test_404_under_api_is_json(db: Any, client: Client) -> None:
    response = client.get("/api/v1/khong-co/")
    assert response.status_code == 404
    assert response["Content-Type"] == "application/json"
    assert "không tồn tại" in response.json()["detail"]


def test_api_404_for_unknown_object_is_json(cast: Any, client: Client) -> None:
    client.force_login(cast.cuong)
    response = client.get("/api/v1/organisations/00000000-0000-0000-0000-000000000000/")
    assert response.status_code == 404
    assert "detail" in response.json()


@pytest.mark.urls("phongdich.core.tests.urls_boom")
def test_500_shows_no_traceback(db: Any, settings: Any) -> None:
    settings.DEBUG = False
    client = Client(raise_request_exception=False)
    response = client.get("/boom/")
    assert response.status_code == 500
    html = response.content.decode()
    assert "Lỗi hệ thống" in html
    assert "Traceback" not in html
    assert "RuntimeError" not in html
    assert "bí mật" not in html


@pytest.mark.urls("phongdich.core.tests.urls_boom")
def test_500_under_api_is_json(db: Any, settings: Any) -> None:
    settings.DEBUG = False
    client = Client(raise_request_exception=False)
    response = client.get("/api/boom/")
    assert response.status_code == 500
    assert response.json() == {"detail": "Đã có lỗi xảy ra. Vui lòng thử lại sau ít phút."}


def test_403_page_is_vietnamese(cast: Any, client: Client) -> None:
    client.force_login(cast.cuong)
    response = client.get("/audit/")
    assert response.status_code == 403
    assert "Không có quyền" in response.content.decode()


def test_csrf_failure_is_a_vietnamese_page(cast: Any) -> None:
    client = Client(enforce_csrf_checks=True)
    response = client.post("/accounts/login/", {"username": "cuong", "password": cast.password})
    assert response.status_code == 403
    html = response.content.decode()
    assert '<html lang="vi">' in html
    assert "tải lại trang" in html
    assert "_auth_user_id" not in client.session
