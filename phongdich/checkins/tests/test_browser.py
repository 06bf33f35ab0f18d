"""In a phone-sized Chromium: scan a poster, check in, again with one tap, offline, back online (C4)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from phongdich.checkins.models import CheckIn
from phongdich.checkins.services import premises_code_issue

pytestmark = pytest.mark.browser


@pytest.fixture
def phone(_chromium: Any) -> Iterator[Any]:
    """A cheap Android phone's screen: 360×740, touch, Vietnamese."""
    context = _chromium.new_context(
        viewport={"width": 360, "height": 740}, is_mobile=True, has_touch=True, locale="vi-VN"
    )
    page = context.new_page()
    page.set_default_timeout(15_000)
    try:
        yield page
    finally:
        context.close()


def test_poster_checkin_one_tap_and_offline_queue_C4(live_server: Any, phone: Any, workshop: Any) -> None:
    code = premises_code_issue(actor=None, premises=workshop)
    page = phone
    page.goto(f"{live_server.url}/c/{code.token}/")
    assert "Xưởng may số 1" in page.locator(".hd").inner_text()

    # First visit: who are you (once), and the first check-in with the same tap.
    page.fill("#f-name", "Nguyễn Thị Công Nhân")
    page.fill("#f-phone", "0912 345 678")
    page.fill("#f-year", "1992")
    page.select_option("#f-sex", "F")
    page.get_by_role("button", name="Ghi nhận ra vào").click()
    page.wait_for_selector("#msg.ok")
    assert "Đã ghi nhận" in page.inner_text("#msg")
    assert CheckIn.objects.count() == 1

    # A later visit: the phone remembers its owner; one tap.
    page.goto(f"{live_server.url}/c/{code.token}/")
    assert page.locator("#who").is_hidden()
    assert page.inner_text("#name") == "Nguyễn Thị Công Nhân"
    page.click("#go")
    page.wait_for_function("document.getElementById('msg').className === 'ok'")
    page.wait_for_function("!localStorage.getItem('pd_q') || localStorage.getItem('pd_q') === '[]'")
    assert CheckIn.objects.count() == 2

    # No network: the check-in waits on the phone.
    page.context.set_offline(True)
    page.click("#go")
    page.wait_for_selector("#msg.warn")
    assert "Chưa có mạng" in page.inner_text("#msg")
    assert page.is_visible("#pending")
    assert CheckIn.objects.count() == 2

    # The network returns: the queue is sent by itself, once.
    page.context.set_offline(False)
    page.wait_for_selector("#msg.ok")
    page.wait_for_function("localStorage.getItem('pd_q') === '[]'")
    assert page.is_hidden("#pending")
    assert CheckIn.objects.count() == 3
    assert CheckIn.objects.values("person").distinct().count() == 1
    assert CheckIn.objects.values("client_id").distinct().count() == 3
    # The page's ids are UUIDv7: time first, so that they sort (and are indexed) in scan order.
    ids = list(CheckIn.objects.order_by("at").values_list("client_id", flat=True))
    assert [i.version for i in ids] == [7, 7, 7]
    assert ids == sorted(ids)
