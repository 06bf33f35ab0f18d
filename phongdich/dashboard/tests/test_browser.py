"""In Chromium: a commune officer signs in through the real form and sees their commune (D4, D5)."""

from __future__ import annotations

from typing import Any

import pytest

from phongdich.people.services import person_create

pytestmark = pytest.mark.browser


def test_commune_officer_signs_in_and_sees_only_their_commune_D4(
    cast: Any, tree: Any, live_server: Any, browser_page: Any, browser_login: Any
) -> None:
    for name, unit in [
        ("Nguyễn Văn Quán", tree.quan_trieu),
        ("Trần Thị Triều", tree.xom1),
        ("Lê Văn Vinh", tree.quang_vinh),
    ]:
        person_create(actor=None, full_name=name, birth_year=1985, sex="M", residence_unit=unit)
    page = browser_page

    browser_login(page, "cuong", cast.password)

    assert page.url == f"{live_server.url}/"
    assert page.locator("html").get_attribute("lang") == "vi"
    main = page.locator("main")
    assert "Xin chào, Cường" in main.inner_text()
    assert "Việc cần làm hôm nay" in main.inner_text()
    assert "Phường Quán Triều" in page.locator("#roles").inner_text()
    assert page.locator("nav.mainnav a", has_text="Nhật ký").count() == 0

    # Pages sit in menus: open "Giám sát", follow "Nhân khẩu"; a click elsewhere closes the menu.
    menu = page.locator("nav.mainnav details.navgroup", has_text="Giám sát")
    assert not page.locator("nav.mainnav a", has_text="Nhân khẩu").is_visible()
    menu.locator("summary").click()
    page.locator("main").click()
    assert not page.locator("nav.mainnav a", has_text="Nhân khẩu").is_visible()
    menu.locator("summary").click()
    page.locator("nav.mainnav a", has_text="Nhân khẩu").click()
    page.wait_for_load_state()
    listing = page.locator("main").inner_text()
    assert "Nguyễn Văn Quán" in listing
    assert "Trần Thị Triều" in listing
    assert "Lê Văn Vinh" not in listing


def test_wrong_password_in_the_browser_shows_a_vietnamese_message_D4(
    cast: Any, live_server: Any, browser_page: Any, browser_login: Any
) -> None:
    browser_login(browser_page, "cuong", "sai-mat-khau")
    assert browser_page.url.startswith(f"{live_server.url}/accounts/login/")
    assert "Tên đăng nhập hoặc mật khẩu không đúng" in browser_page.locator("main").inner_text()
