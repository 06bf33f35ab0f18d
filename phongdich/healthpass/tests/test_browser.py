"""At a gate, on a phone-sized Chromium: the gate screen, a typed code, the colour (M1)."""

from __future__ import annotations

import re
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
    # Whichever way this Chromium reads QR codes, exactly one way in is offered (see the table below).
    page.wait_for_selector("#hp-camera:visible, #hp-camera-note:visible")
    assert page.locator("#hp-camera").is_visible() != page.locator("#hp-camera-note").is_visible()

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


# What the browser offers → what the gate screen shows. Chromium's own answer varies from machine to
# machine, so the rule is proven against stated capabilities: gate.js is run, as the browser fetches
# it, inside a function whose ``window`` and ``navigator`` are the stated ones.
NO_CAMERA = ""
CAMERA = "mediaDevices: {getUserMedia: function () { return Promise.reject(new Error('no camera in tests')); }}"
NO_DETECTOR = ""


def detector(formats: str) -> str:
    return (
        "BarcodeDetector: class { detect() { return Promise.resolve([]); }"
        f" static getSupportedFormats() {{ return {formats}; }} }},"
    )


def stated(gate_js: str, detector: str, camera: str) -> str:
    """gate.js with its ``window`` and ``navigator`` replaced by what the test states."""
    return (
        "(function (window, navigator) {\n"
        + gate_js
        + "\n})({"
        + detector
        + " setTimeout: window.setTimeout.bind(window), addEventListener: window.addEventListener.bind(window)},"
        + " {"
        + camera
        + "});"
    )


@pytest.mark.parametrize(
    ("detector_js", "camera_js", "camera_shown"),
    [
        (NO_DETECTOR, CAMERA, False),
        (detector("Promise.resolve(['qr_code', 'ean_13'])"), CAMERA, True),
        (detector("Promise.resolve(['ean_13'])"), CAMERA, False),
        (detector("Promise.resolve([])"), CAMERA, False),
        (detector("Promise.reject(new Error('no platform detector'))"), CAMERA, False),
        (detector("Promise.resolve(['qr_code'])"), NO_CAMERA, False),
    ],
    ids=["no-detector", "qr-readable", "other-formats-only", "no-formats", "formats-fail", "no-camera"],
)
def test_gate_offers_the_camera_only_where_qr_codes_can_be_read_M1(
    live_server: Any,
    browser_page: Any,
    browser_login: Any,
    cast: Any,
    gate_premises: Any,
    detector_js: str,
    camera_js: str,
    camera_shown: bool,
) -> None:
    page = browser_page
    stubbed: list[str] = []

    def stub_in_front(route: Any) -> None:
        response = route.fetch()
        stubbed.append(route.request.url)
        route.fulfill(response=response, body=stated(response.text(), detector_js, camera_js))

    page.route(re.compile(r".*/healthpass/gate(\.[0-9a-f]+)?\.js$"), stub_in_front)
    browser_login(page, "oanh", cast.password)
    page.goto(f"{live_server.url}/healthpass/gate/")
    page.get_by_role("link", name="Cổng chính").click()
    page.wait_for_selector("#hp-camera:visible, #hp-camera-note:visible")
    assert stubbed, "gate.js was not fetched through the route"
    assert page.locator("#hp-camera").is_visible() is camera_shown
    assert page.locator("#hp-camera-note").is_visible() is not camera_shown
    # The typed code stays the way in whatever the camera can do.
    assert page.locator("#hp-code").is_visible()


def test_gate_shows_neither_camera_nor_note_until_its_script_has_decided_M1(
    live_server: Any, browser_page: Any, browser_login: Any, cast: Any, gate_premises: Any
) -> None:
    """Both start ``hidden``; the site's stylesheet gives buttons a display of their own, and the
    camera button once flashed (and was clicked at) before the gate's own stylesheet had arrived.
    Here gate.js never decides and healthpass.css never arrives: nothing of the camera shows."""
    page = browser_page
    page.route(re.compile(r".*/healthpass/gate(\.[0-9a-f]+)?\.js$"), lambda route: route.fulfill(body=""))
    page.route(re.compile(r".*/healthpass/healthpass(\.[0-9a-f]+)?\.css$"), lambda route: route.abort())
    browser_login(page, "oanh", cast.password)
    page.goto(f"{live_server.url}/healthpass/gate/")
    page.get_by_role("link", name="Cổng chính").click()
    page.wait_for_selector("#hp-code")
    page.wait_for_load_state("load")
    assert page.locator("button[type=submit]", has_text="Kiểm tra").is_visible()
    assert not page.locator("#hp-camera").is_visible()
    assert not page.locator("#hp-camera-note").is_visible()
    assert not page.locator("#hp-video").is_visible()
