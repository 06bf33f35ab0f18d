"""At a gate, on a phone-sized Chromium: the gate screen, a typed code, the colour (M1)."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.utils import timezone

from phongdich.checkins.models import CheckIn, Source
from phongdich.healthpass.tokens import code_display, code_issue
from phongdich.quarantine.models import Episode

from .conftest import make_person, vaccinate

pytestmark = pytest.mark.browser


def test_gate_screen_typed_code_shows_colour_on_phone_M1(
    live_server: Any, browser_page: Any, browser_login: Any, cast: Any, tree: Any, gate_premises: Any
) -> None:
    page = browser_page
    page.set_viewport_size({"width": 360, "height": 740})
    yellow = make_person(tree.quan_trieu, "Hoàng Thị Mai", birth_year=1988)
    today = timezone.localdate()
    Episode.objects.create(
        person=yellow, kind="self_isolation", start_date=today, planned_end=today + timedelta(days=7)
    )
    green = make_person(tree.quan_trieu, "Bùi Văn Nam", birth_year=1979)
    vaccinate(green, today)

    browser_login(page, "oanh", cast.password)
    page.goto(f"{live_server.url}/healthpass/gate/")
    page.get_by_role("link", name="Cổng chính").click()
    page.wait_for_selector("#hp-code")
    # The camera button appears only where the browser can read QR codes; otherwise a note says to type.
    can_scan = page.evaluate(
        """async () => 'BarcodeDetector' in window && !!(navigator.mediaDevices && navigator.mediaDevices.getUserMedia)
            && (await BarcodeDetector.getSupportedFormats()).includes('qr_code')"""
    )
    page.wait_for_selector("#hp-camera:visible, #hp-camera-note:visible")
    assert page.locator("#hp-camera").is_visible() == can_scan
    assert page.locator("#hp-camera-note").is_visible() != can_scan

    page.fill("#hp-code", code_display(code_issue(yellow.uid)).lower())
    with page.expect_navigation():
        page.get_by_role("button", name="Kiểm tra và ghi nhận").click()
    result = page.locator(".hp-result")
    assert result.get_attribute("data-colour") == "yellow"
    assert "VÀNG" in result.inner_text()
    assert "H.T.M. · 1988" in result.inner_text()
    assert "Hoàng Thị Mai" not in page.content()
    box = result.bounding_box()
    assert box is not None
    assert box["width"] <= 360

    page.fill("#hp-code", code_issue(green.uid))
    with page.expect_navigation():
        page.get_by_role("button", name="Kiểm tra và ghi nhận").click()
    assert page.locator(".hp-result").get_attribute("data-colour") == "green"

    page.fill("#hp-code", "ABCD" * 12)
    with page.expect_navigation():
        page.get_by_role("button", name="Kiểm tra và ghi nhận").click()
    assert "không hợp lệ" in page.locator(".hp-error").inner_text()
    assert page.locator(".hp-result").count() == 0

    rows = list(CheckIn.objects.order_by("id").values_list("person_id", "premises_id", "source"))
    assert rows == [(yellow.pk, gate_premises.pk, Source.GATE), (green.pk, gate_premises.pk, Source.GATE)]
