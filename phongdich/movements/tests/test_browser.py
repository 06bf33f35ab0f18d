"""In Chromium: the commune officer declares an arrival from abroad on the assisted form (the country field
shows for a foreign origin, the unit code for a place in Vietnam) and finds the person in "present now" (M3)."""

from __future__ import annotations

from typing import Any

import pytest

from phongdich.movements.models import Movement

from .conftest import days_ago

pytestmark = pytest.mark.browser


def test_officer_declares_arrival_and_sees_person_present_M3(
    tree: Any, cast: Any, live_server: Any, browser_page: Any, browser_login: Any
) -> None:
    page = browser_page
    browser_login(page, "cuong", cast.password)
    page.goto(f"{live_server.url}/movements/")
    page.get_by_role("link", name="Khai báo đến").first.click()
    page.wait_for_load_state()
    page.fill("#id_phone", "0912000111")
    page.fill("#id_full_name", "Quách Thị Về Nước")
    page.fill("#id_birth_year", "1995")
    page.select_option("#id_sex", "F")
    page.select_option("#id_unit", label="— Tổ dân phố 1")
    page.fill("#id_move_date", days_ago(1).isoformat())
    page.select_option("#id_place_kind", "unit")
    assert page.locator("#id_country").is_hidden()
    assert page.locator("#id_place_unit_code").is_visible()
    page.select_option("#id_place_kind", "country")
    assert page.locator("#id_place_unit_code").is_hidden()
    page.select_option("#id_country", "JP")
    page.select_option("#id_transport", "plane")
    page.fill("#id_vehicle_no", "VN301")
    page.select_option("#id_lodging_kind", "own_home")
    page.fill("#id_lodging_address", "Số 8, tổ 1")
    page.fill("#id_expected_days", "14")
    with page.expect_navigation():
        page.locator("main form button[type=submit]").click()
    assert "/movements/present/" in page.url
    row = page.locator("#present tr", has_text="Quách Thị Về Nước")
    assert row.count() == 1
    assert "Nhật Bản" in row.inner_text()
    movement = Movement.objects.get()
    assert (movement.unit, movement.country, movement.recorded_by) == (tree.xom1, "JP", cast.cuong)


def test_resident_declares_arrival_on_a_phone_without_login_M3(
    tree: Any, da_nang: Any, live_server: Any, browser_page: Any
) -> None:
    """On a phone-sized screen: the public form, no login; the country field shows only for a foreign origin."""
    from django.core.cache import cache

    cache.clear()  # the abuse counters of earlier tests (same address) would ask for the CAPTCHA
    page = browser_page
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(f"{live_server.url}/khai-bao-di-chuyen/")
    assert page.evaluate("document.documentElement.scrollWidth") <= 390 + 1
    page.check("input[name=declared_by][value=self]")
    page.fill("#id_full_name", "Hà Thị Về Quê")
    page.fill("#id_id_number", "C1234567")
    page.fill("#id_birth_year", "1996")
    page.select_option("#id_sex", "F")
    page.fill("#id_phone", "0987000222")
    page.select_option("#id_commune", label="Phường Quán Triều")
    # The hamlet drop-down fills with the chosen commune's hamlets only.
    page.wait_for_function("document.querySelector('#id_hamlet').options.length > 1")
    page.select_option("#id_hamlet", label=tree.xom1.name)
    page.select_option("#id_place_kind", "country")
    assert page.locator("#id_place_unit_code").is_hidden()
    page.select_option("#id_country", "KR")
    page.fill("#id_move_date", days_ago(2).isoformat())
    page.select_option("#id_transport", "plane")
    page.select_option("#id_lodging_kind", "own_home")
    page.fill("#id_lodging_address", "Số 3, tổ 5")
    with page.expect_navigation():
        page.get_by_role("button", name="Gửi khai báo").click()
    assert page.locator("#movement-reference").is_visible()
    assert "Hà Thị Về Quê" in page.content()
    movement = Movement.objects.get(person__full_name="Hà Thị Về Quê")
    assert movement.declared_by == "self"
    assert movement.unit_id == tree.xom1.pk
    assert movement.country == "KR"
