"""Sign-in: throttling per username and per address, audit lines, logout, Vietnamese pages (D4)."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from phongdich.core.forms import THROTTLED_MESSAGE
from phongdich.core.models import AuditAction, AuditLog

LOGIN = "/accounts/login/"


def _login(client: Client, username: str, password: str, ip: str = "10.0.0.1") -> Any:
    return client.post(LOGIN, {"username": username, "password": password}, REMOTE_ADDR=ip)


def _logged_in(client: Client) -> bool:
    return "_auth_user_id" in client.session


def _throttle_text(limit_minutes: int = 10) -> str:
    return str(THROTTLED_MESSAGE) % {"minutes": limit_minutes}


def test_login_page_is_vietnamese_html_D4(db: Any, client: Client) -> None:
    response = client.get(LOGIN)
    assert response.status_code == 200
    html = response.content.decode()
    assert '<html lang="vi">' in html
    assert "Đăng nhập" in html
    assert "Quên mật khẩu?" in html


def test_right_password_signs_in_and_lands_on_home_D4(cast: Any, client: Client) -> None:
    response = _login(client, "cuong", cast.password)
    assert response.status_code == 302
    assert response["Location"] == reverse("home")
    assert _logged_in(client)


def test_wrong_password_shows_vietnamese_error_D4(cast: Any, client: Client) -> None:
    response = _login(client, "cuong", "sai-mat-khau")
    assert response.status_code == 200
    assert "Tên đăng nhập hoặc mật khẩu không đúng" in response.content.decode()
    assert not _logged_in(client)


def test_after_limit_failures_per_username_right_password_refused_D4(
    cast: Any, client: Client, small_limit: int
) -> None:
    for i in range(small_limit):
        # different addresses: only the username's count reaches the limit
        _login(client, "cuong", "sai", ip=f"10.0.1.{i}")
    response = _login(client, "cuong", cast.password, ip="10.0.9.9")
    assert response.status_code == 200
    assert not _logged_in(client)
    assert _throttle_text() in response.content.decode()
    # another user from the same fresh address is not affected
    assert _login(Client(), "chi", cast.password, ip="10.0.9.9").status_code == 302


def test_below_limit_the_right_password_still_works_D4(cast: Any, client: Client, small_limit: int) -> None:
    for _ in range(small_limit - 1):
        _login(client, "cuong", "sai")
    assert _login(client, "cuong", cast.password).status_code == 302


def test_after_limit_failures_per_address_every_username_refused_D4(
    cast: Any, client: Client, small_limit: int
) -> None:
    for i in range(small_limit):
        _login(client, f"khong-ton-tai-{i}", "sai", ip="192.0.2.7")
    response = _login(client, "chi", cast.password, ip="192.0.2.7")
    assert not _logged_in(client)
    assert _throttle_text() in response.content.decode()
    # the same user from another address signs in
    assert _login(Client(), "chi", cast.password, ip="192.0.2.8").status_code == 302


def test_username_count_is_case_insensitive_D4(cast: Any, client: Client, small_limit: int) -> None:
    for i in range(small_limit):
        _login(client, "CUONG" if i % 2 else "cuong", "sai", ip=f"10.0.2.{i}")
    assert _throttle_text() in _login(client, "cuong", cast.password, ip="10.0.3.1").content.decode()


def test_throttle_ends_with_the_window_D4(cast: Any, client: Client, small_limit: int) -> None:
    from django.core.cache import cache

    for _ in range(small_limit):
        _login(client, "cuong", "sai")
    assert not _logged_in(client)
    assert _login(client, "cuong", cast.password).status_code == 200
    cache.clear()  # what the window's expiry does
    assert _login(client, "cuong", cast.password).status_code == 302


def test_admin_login_is_throttled_too_D4(cast: Any, client: Client, small_limit: int) -> None:
    from phongdich.core.models import User

    User.objects.create_superuser("root", "root@example.org", cast.password)
    for _ in range(small_limit):
        client.post("/admin/login/", {"username": "root", "password": "sai"}, REMOTE_ADDR="10.0.0.5")
    response = client.post("/admin/login/", {"username": "root", "password": cast.password}, REMOTE_ADDR="10.0.0.6")
    assert not _logged_in(client)
    assert _throttle_text() in response.content.decode()


def test_audit_lines_for_login_failed_login_and_logout_D4(cast: Any, client: Client) -> None:
    _login(client, "cuong", "sai", ip="203.0.113.5")
    failed = AuditLog.objects.get(action=AuditAction.LOGIN_FAILED)
    assert failed.actor is None
    assert failed.actor_username == "cuong"
    assert failed.ip == "203.0.113.5"
    assert failed.path == LOGIN

    _login(client, "cuong", cast.password, ip="203.0.113.5")
    login = AuditLog.objects.get(action=AuditAction.LOGIN)
    assert login.actor == cast.cuong
    assert login.object_uid == str(cast.cuong.uid)

    assert client.get("/accounts/logout/").status_code == 405  # logging out is a POST
    response = client.post("/accounts/logout/", REMOTE_ADDR="203.0.113.5")
    assert response.status_code == 302
    assert response["Location"] == reverse("login")
    logout = AuditLog.objects.get(action=AuditAction.LOGOUT)
    assert logout.actor == cast.cuong
    assert not _logged_in(client)


def test_throttled_attempt_is_audited_D4(cast: Any, client: Client, small_limit: int) -> None:
    for _ in range(small_limit):
        _login(client, "cuong", "sai")
    _login(client, "cuong", cast.password)
    throttled = AuditLog.objects.filter(action=AuditAction.LOGIN_FAILED, detail__reason="throttled")
    assert throttled.count() == 1
    assert not AuditLog.objects.filter(action=AuditAction.LOGIN).exists()


def test_password_change_is_audited_D4(cast: Any, client: Client) -> None:
    client.force_login(cast.cuong)
    page = client.get("/accounts/password/change/")
    assert "Đổi mật khẩu" in page.content.decode()
    response = client.post(
        "/accounts/password/change/",
        {"old_password": cast.password, "new_password1": "Mat-khau-moi-2021", "new_password2": "Mat-khau-moi-2021"},
    )
    assert response.status_code == 302
    cast.cuong.refresh_from_db()
    assert cast.cuong.check_password("Mat-khau-moi-2021")
    line = AuditLog.objects.get(action=AuditAction.UPDATE, object_uid=str(cast.cuong.uid))
    assert line.summary == "password changed"


def test_password_change_wrong_old_password_is_a_field_error_D4(cast: Any, client: Client) -> None:
    client.force_login(cast.cuong)
    response = client.post(
        "/accounts/password/change/",
        {"old_password": "sai", "new_password1": "Mat-khau-moi-2021", "new_password2": "Mat-khau-moi-2021"},
    )
    assert response.status_code == 200
    assert "field-error" in response.content.decode()


def test_password_reset_by_email_whole_flow_D4(cast: Any, client: Client, mailoutbox: list[Any]) -> None:
    cast.cuong.email = "cuong@example.org"
    cast.cuong.save()
    response = client.post("/accounts/password/reset/", {"email": "cuong@example.org"})
    assert response.status_code == 302
    assert "Kiểm tra hộp thư" in client.get(response["Location"]).content.decode()
    assert len(mailoutbox) == 1
    mail = mailoutbox[0]
    assert "Đặt lại mật khẩu" in mail.subject
    assert "\n" not in mail.subject
    assert "cuong" in mail.body
    link = next(line for line in mail.body.splitlines() if "/accounts/reset/" in line)
    path = link[link.index("/accounts/reset/") :].strip()
    form = client.get(path, follow=True)
    assert "Đặt mật khẩu mới" in form.content.decode()
    done = client.post(
        form.redirect_chain[-1][0], {"new_password1": "Mat-khau-moi-2021", "new_password2": "Mat-khau-moi-2021"}
    )
    assert done.status_code == 302
    assert "Đã đặt mật khẩu mới" in client.get(done["Location"]).content.decode()
    cast.cuong.refresh_from_db()
    assert cast.cuong.check_password("Mat-khau-moi-2021")
    assert AuditLog.objects.filter(summary="password reset by e-mail", object_uid=str(cast.cuong.uid)).exists()


def test_password_reset_requests_are_rate_limited_per_address_D4(
    cast: Any, client: Client, small_limit: int, mailoutbox: list[Any]
) -> None:
    for _ in range(small_limit):
        assert (
            client.post("/accounts/password/reset/", {"email": "x@example.org"}, REMOTE_ADDR="10.9.9.9").status_code
            == 302
        )
    refused = client.post("/accounts/password/reset/", {"email": "x@example.org"}, REMOTE_ADDR="10.9.9.9")
    assert refused.status_code == 429
    assert "quá nhiều lần" in refused.content.decode()


@pytest.mark.parametrize(
    "path",
    [
        "/accounts/password/reset/",
        "/accounts/password/reset/done/",
        "/accounts/reset/done/",
        "/accounts/reset/MQ/bad-token/",
    ],
)
def test_password_pages_are_vietnamese_D4(db: Any, client: Client, path: str) -> None:
    response = client.get(path, follow=True)
    assert response.status_code == 200
    html = response.content.decode()
    assert '<html lang="vi">' in html
    assert "mật khẩu" in html.lower()
