"""In Chromium on a phone-sized screen: a staff member files a Saturday trip to an epidemic-area province; the
direct head opens the notification, sees the warning and approves in one tap; after the trip the declaration
leads to a test order (M7)."""

from __future__ import annotations

from typing import Any

import pytest

from phongdich.testing.models import OrderReason
from phongdich.testing.models import TestOrder as Order
from phongdich.travel.models import Trip, TripStatus

from .conftest import PASSWORD, Staff, last_saturday

pytestmark = pytest.mark.browser

PHONE = {"width": 390, "height": 844}


def test_saturday_trip_to_epidemic_area_approved_from_notification_then_test_order_M7(
    staff: Staff, live_server: Any, browser_page: Any, browser_login: Any
) -> None:
    page = browser_page
    page.set_viewport_size(PHONE)
    saturday = last_saturday()

    # The staff member files the trip.
    browser_login(page, "worker", PASSWORD)
    page.goto(f"{live_server.url}/travel/new/")
    page.select_option("#id_destination", f"u:{staff.hanoi.uid}")
    page.fill("#id_depart_at", f"{saturday}T08:00")
    page.fill("#id_return_at", f"{saturday}T18:00")
    page.fill("#id_purpose", "Thăm gia đình")
    with page.expect_navigation():
        page.get_by_role("button", name="Gửi đăng ký").click()
    assert "cần phê duyệt (thứ Bảy" in page.locator(".messages").inner_text()
    assert "Thành phố Hà Nội thuộc vùng dịch" in page.locator("main").inner_text()
    trip = Trip.objects.get()
    assert trip.status == TripStatus.PENDING

    # The direct head opens the notification and approves in one tap.
    page.context.clear_cookies()
    browser_login(page, "deputy", PASSWORD)
    page.goto(f"{live_server.url}/notifications/")
    notification = page.locator("li.notification").first
    assert "vùng dịch" in notification.inner_text()
    with page.expect_navigation():
        notification.get_by_role("button", name="Mở").click()
    assert f"/travel/{trip.uid}/decide/" in page.url
    approve = page.locator("#approve")
    box = approve.bounding_box()
    assert box is not None
    assert box["y"] + box["height"] <= PHONE["height"]
    first_button = page.locator("main button").first
    assert first_button.inner_text().strip() == "Đồng ý"
    warning = page.locator("main .warning")
    assert warning.is_visible()
    assert "vùng dịch" in warning.inner_text()
    with page.expect_navigation():
        approve.click()
    trip.refresh_from_db()
    assert trip.status == TripStatus.APPROVED

    # Back from the trip, the traveller files the medical declaration: a test is ordered.
    page.context.clear_cookies()
    browser_login(page, "worker", PASSWORD)
    page.goto(f"{live_server.url}/travel/{trip.uid}/")
    with page.expect_navigation():
        page.get_by_role("link", name="Khai báo y tế sau chuyến đi").click()
    with page.expect_navigation():
        page.get_by_role("button", name="Gửi tờ khai y tế").click()
    assert "chỉ định xét nghiệm" in page.locator(".messages").inner_text()
    order = Order.objects.get(person=staff.tree.worker.person)
    assert order.reason == OrderReason.EPIDEMIC_AREA_ARRIVAL
    assert page.locator("#test-orders").is_visible()
