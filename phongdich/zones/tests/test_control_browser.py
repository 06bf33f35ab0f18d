"""At a checkpoint, on a phone-sized Chromium: the scan screen, a typed pass code, the answer in large
colours, every check recorded; the public page behind a pass's QR (Z2)."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.utils import timezone

from phongdich.zones.control_services import pass_revoke
from phongdich.zones.models import PassCheck
from phongdich.zones.pass_tokens import token_display, token_for

from .control_world import checkpoint, issue

pytestmark = pytest.mark.browser


def test_checkpoint_screen_typed_code_and_public_page_on_phone_Z2(
    live_server: Any, browser_page: Any, browser_login: Any, cast: Any, tree: Any
) -> None:
    page = browser_page
    page.set_viewport_size({"width": 360, "height": 740})
    today = timezone.localdate()
    valid = issue(tree.quan_trieu, valid_from=today, valid_to=today + timedelta(days=5))
    revoked = issue(tree.quan_trieu, plate="20C-777.77", valid_from=today, valid_to=today + timedelta(days=5))
    pass_revoke(actor=None, transport_pass=revoked, reason="Lái xe là F1")
    point = checkpoint(tree.quan_trieu)

    browser_login(page, "cuong", cast.password)
    page.goto(f"{live_server.url}/zones/checkpoints/")
    page.get_by_role("link", name=point.name).click()
    page.wait_for_selector("#hp-code")
    # The camera button only where the browser reads QR codes; otherwise a note says to type the code.
    page.wait_for_selector("#hp-camera:visible, #hp-camera-note:visible")
    assert page.locator("#hp-camera").is_visible() != page.locator("#hp-camera-note").is_visible()

    page.fill("#hp-code", token_display(token_for(valid.nonce)).lower())
    with page.expect_navigation():
        page.get_by_role("button", name="Kiểm tra", exact=True).click()
    result = page.locator(".hp-result")
    assert result.get_attribute("data-result") == "valid"
    assert "Hợp lệ" in result.inner_text()
    assert "20C-123.45" in result.inner_text()
    box = result.bounding_box()
    assert box is not None
    assert box["width"] <= 360

    page.fill("#hp-code", token_for(revoked.nonce))
    with page.expect_navigation():
        page.get_by_role("button", name="Kiểm tra", exact=True).click()
    assert page.locator(".hp-result").get_attribute("data-result") == "revoked"
    assert "Lái xe là F1" in page.locator(".hp-result").inner_text()
    assert list(PassCheck.objects.order_by("id").values_list("result", flat=True)) == ["valid", "revoked"]

    # What anyone scanning the QR sees, without logging in.
    other = page.context.browser.new_context(locale="vi-VN").new_page()
    other.goto(f"{live_server.url}/luong-xanh/{token_for(valid.nonce)}/")
    assert other.locator(".hp-result").get_attribute("data-result") == "valid"
    assert "0912345678" not in other.content()
    other.context.close()
