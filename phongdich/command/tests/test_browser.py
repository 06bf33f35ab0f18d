"""In Chromium: a school's head finds the overdue task, reports it done with a photo as evidence, and the
task is no longer overdue (R4)."""

from __future__ import annotations

from typing import Any

import pytest

from phongdich.command.models import Directive, TaskAssignment, TaskProgress

from .conftest import JPEG_BYTES

pytestmark = pytest.mark.browser


def test_head_reports_overdue_task_done_with_evidence_R4(
    orgs: Any,
    cast: Any,
    directive: Directive,
    live_server: Any,
    browser_page: Any,
    browser_login: Any,
) -> None:
    page = browser_page
    browser_login(page, "tuan", cast.password)
    page.goto(f"{live_server.url}/command/tasks/?status=overdue")
    assert "Quá hạn" in page.locator("main table").inner_text()
    with page.expect_navigation():
        page.get_by_role("link", name="Khai báo bằng mã QR tại trụ sở").click()

    page.select_option("#id_status", "done")
    page.fill("#id_report", "Đã dán mã QR tại cổng và phòng họp.")
    page.set_input_files("#id_evidence", {"name": "ma-qr.txt", "mimeType": "text/plain", "buffer": b"not an image"})
    with page.expect_navigation():
        page.get_by_role("button", name="Gửi báo cáo").click()
    assert "PDF hoặc ảnh" in page.locator("#id_evidence_errors").inner_text()
    assert not TaskProgress.objects.exists()

    page.fill("#id_report", "Đã dán mã QR tại cổng và phòng họp.")
    page.set_input_files("#id_evidence", {"name": "ma-qr.jpg", "mimeType": "image/jpeg", "buffer": JPEG_BYTES})
    with page.expect_navigation():
        page.get_by_role("button", name="Gửi báo cáo").click()
    assert "Đã gửi báo cáo tiến độ" in page.content()
    assert "ma-qr.jpg" in page.locator("main").inner_text()
    assignment = TaskAssignment.objects.get(task__number="2", organisation=orgs.school)
    assert assignment.status == "done"
    page.goto(f"{live_server.url}/command/tasks/?status=overdue")
    assert "Khai báo bằng mã QR tại trụ sở" not in page.locator("main").inner_text()
