"""In Chromium on a phone-sized screen: a citizen reports a tip without login and follows it by its code (G4)."""

from __future__ import annotations

from typing import Any

import pytest

from phongdich.hotlines.models import Tip
from phongdich.hotlines.services import hotline_create

pytestmark = pytest.mark.browser


def test_citizen_reports_a_tip_on_a_phone_and_follows_it_G4(tree: Any, live_server: Any, browser_page: Any) -> None:
    hotline_create(actor=None, unit=tree.city, name="Trung tâm Y tế thành phố", number="0913 111 222")
    page = browser_page
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(f"{live_server.url}/bao-tin/")
    assert page.evaluate("document.documentElement.scrollWidth") <= 390 + 1
    assert "0913 111 222" in page.locator("#hotline-directory").inner_text()

    page.select_option("#id_kind", "false_information")
    page.fill("#id_description", "Trên mạng xã hội lan truyền tin phường Quán Triều bị phong tỏa toàn bộ.")
    page.select_option("#id_commune", tree.quan_trieu.code)
    page.fill("#id_reporter_phone", "0912 abc")
    with page.expect_navigation():
        page.get_by_role("button", name="Gửi tin báo").click()
    assert "Số điện thoại chỉ gồm chữ số" in page.locator("#id_reporter_phone_errors").inner_text()
    assert not Tip.objects.exists()

    page.fill("#id_reporter_phone", "")
    with page.expect_navigation():
        page.get_by_role("button", name="Gửi tin báo").click()
    code = page.locator("#tip-code").inner_text().strip()
    tip = Tip.objects.get()
    assert code == tip.code
    assert tip.routed_unit == tree.city
    assert tip.reporter_phone == ""

    with page.expect_navigation():
        page.get_by_role("link", name="Xem tình trạng xử lý").click()
    assert "Mới" in page.locator("#tip-status").inner_text()
    assert page.evaluate("document.documentElement.scrollWidth") <= 390 + 1
