"""In Chromium on a phone-sized screen: file a declaration, then update it with its code (M2)."""

from __future__ import annotations

from typing import Any

import pytest

from phongdich.declarations.models import FollowUpTask, MedicalDeclaration
from phongdich.people.validators import cccd_make

pytestmark = pytest.mark.browser


def test_declarant_files_on_a_phone_and_updates_with_the_code_M2(
    tree: Any, live_server: Any, browser_page: Any
) -> None:
    page = browser_page
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(f"{live_server.url}/khai-bao/")
    assert page.evaluate("document.documentElement.scrollWidth") <= 390 + 1
    assert "vi phạm pháp luật" in page.locator("main").inner_text()

    page.fill("#id_full_name", "Hoàng Văn Điện")
    page.fill("#id_id_number", cccd_make(province_code="19", sex="M", birth_year=1988, serial="654321"))
    page.fill("#id_birth_year", "1988")
    page.select_option("#id_sex", "M")
    page.select_option("#id_residence_unit", tree.quan_trieu.code)
    page.fill("#id_address", "Số 12, tổ 4")
    page.fill("#id_phone", "0978 123 456")
    page.check("#id_pledge")
    with page.expect_navigation():
        page.get_by_role("button", name="Gửi tờ khai").click()

    code = page.locator("#declaration-code").inner_text().strip()
    assert len(code) == 8
    assert MedicalDeclaration.objects.count() == 1

    page.get_by_role("link", name="Cập nhật tờ khai").click()
    page.wait_for_load_state()
    page.fill("#id_code", code)
    page.fill("#id_phone", "0978123456")
    with page.expect_navigation():
        page.get_by_role("button", name="Tiếp tục").click()
    assert page.input_value("#id_full_name") == "Hoàng Văn Điện"
    page.check("#id_fever")
    page.check("#id_pledge")
    with page.expect_navigation():
        page.get_by_role("button", name="Gửi tờ khai cập nhật").click()

    assert "lần khai thứ 2" in page.locator("#declaration-updated").inner_text()
    latest = MedicalDeclaration.objects.get(superseded_at__isnull=True)
    assert latest.version == 2
    assert latest.fever
    assert FollowUpTask.objects.get().commune == tree.quan_trieu


def test_a_ten_megabyte_declaration_from_the_browser_gets_the_clear_message_M2(
    tree: Any, live_server: Any, browser_page: Any
) -> None:
    page = browser_page
    page.set_default_timeout(60_000)  # ten megabytes on a busy two-core machine
    page.goto(f"{live_server.url}/khai-bao/")
    page.fill("#id_full_name", "Hoàng Văn Lớn")
    page.fill("#id_id_number", cccd_make(province_code="19", sex="M", birth_year=1988, serial="654322"))
    page.fill("#id_birth_year", "1988")
    page.select_option("#id_sex", "M")
    page.select_option("#id_residence_unit", tree.quan_trieu.code)
    page.fill("#id_phone", "0978 123 457")
    page.check("#id_pledge")
    # What a pasted or scripted oversized field would send (the page's own limits are bypassed).
    page.evaluate(
        """() => { const f = document.querySelector('#id_address');
                   f.removeAttribute('maxlength'); f.value = 'x'.repeat(10 * 1024 * 1024); }"""
    )
    with page.expect_navigation():
        page.get_by_role("button", name="Gửi tờ khai").click()
    assert "Tờ khai quá lớn" in page.locator("body").inner_text()
    assert MedicalDeclaration.objects.count() == 0
