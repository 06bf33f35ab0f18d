"""In Chromium: a commune officer opens the people to follow today from /quarantine/, records a daily check,
then acknowledges an overdue hand-over from the facility (Q3)."""

from __future__ import annotations

import importlib
from datetime import timedelta
from typing import Any

import pytest
from django.apps import apps
from django.utils import timezone

from phongdich.quarantine.models import DailyCheck, EpisodeKind, Handover
from phongdich.quarantine.services import episode_release, episode_start, facility_create

from .conftest import make_person

pytestmark = pytest.mark.browser


def _rules() -> None:
    """The rule schedule comes from a data migration; a transactional test before this one may have flushed it."""
    importlib.import_module("phongdich.quarantine.migrations.0002_load_rule_schedule").load(apps, None)


def test_commune_officer_follows_today_and_acknowledges_a_handover_Q3(
    tree: Any, cast: Any, live_server: Any, browser_page: Any, browser_login: Any
) -> None:
    _rules()
    today = timezone.localdate()
    home = episode_start(
        actor=None,
        person=make_person(tree.quan_trieu, "Phạm Thị Theo Dõi"),
        kind=EpisodeKind.HOME,
        start_date=today - timedelta(days=2),
    )
    camp = facility_create(
        actor=None, name="Khu cách ly Ký túc xá", kind="centralised", unit=tree.quan_trieu, capacity=10
    )
    centralised = episode_start(
        actor=None,
        person=make_person(tree.quan_trieu, "Đinh Văn Về Nhà"),
        kind=EpisodeKind.CENTRALISED,
        facility=camp,
        start_date=today - timedelta(days=16),
    )
    sent = timezone.now() - timedelta(hours=30)
    episode_release(actor=None, episode=centralised, on=timezone.localdate(sent), at=sent)
    handover = Handover.objects.get()

    page = browser_page
    browser_login(page, "cuong", cast.password)
    page.goto(f"{live_server.url}/quarantine/")
    page.get_by_role("link", name="Theo dõi hôm nay").first.click()
    page.wait_for_load_state()
    row = page.locator("tr", has_text="Phạm Thị Theo Dõi")
    assert row.count() == 1
    assert "chưa theo dõi hôm nay" in row.inner_text()
    row.locator("input[name=temperature]").fill("37.9")
    row.locator("input[name=cough]").check()
    with page.expect_navigation():
        row.get_by_role("button", name="Ghi").click()
    assert "Đã ghi kết quả theo dõi sức khỏe." in page.locator("body").inner_text()
    check = DailyCheck.objects.get(episode=home)
    assert (check.date, str(check.temperature), check.cough, check.by) == (today, "37.9", True, cast.cuong)
    assert page.locator("tr", has_text="Phạm Thị Theo Dõi").count() == 0

    page.get_by_role("link", name="Bàn giao").first.click()
    page.wait_for_load_state()
    row = page.locator("tr", has_text="Đinh Văn Về Nhà")
    assert "quá hạn" in row.inner_text()
    with page.expect_navigation():
        row.get_by_role("button", name="Xác nhận tiếp nhận").click()
    assert "Đã xác nhận tiếp nhận bàn giao." in page.locator("body").inner_text()
    handover.refresh_from_db()
    assert handover.acknowledged_by == cast.cuong
    assert page.locator("tr", has_text="Đinh Văn Về Nhà").count() == 0
