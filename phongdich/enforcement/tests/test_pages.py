"""Every enforcement page renders for an officer with data in it, in Vietnamese (G1, G2, G3)."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from phongdich.enforcement.services import (
    follow_up_add,
    gathering_register,
    inspection_record,
    plan_create,
    violation_record,
)

pytestmark = pytest.mark.django_db


def test_g2_every_page_renders_with_data_G1_G2_G3(client: Client, tree: Any, cast: Any) -> None:
    today = timezone.localdate()
    gathering = gathering_register(
        actor=cast.dan,
        kind="wedding",
        title="Đám cưới mẫu",
        unit=tree.quan_trieu,
        address="Tổ 2",
        event_date=today + timedelta(days=2),
        expected_attendance=90,
        organiser_name="Ông Mẫu",
    )
    plan = plan_create(
        actor=cast.dan,
        inspector_unit=tree.city,
        title="Kế hoạch mẫu",
        start_date=today,
        end_date=today,
        targets=[tree.quan_trieu],
    )
    inspection = inspection_record(
        actor=cast.dan,
        inspector_unit=tree.city,
        target_unit=tree.quan_trieu,
        inspected_on=today,
        result="violations",
        findings="Phát hiện mẫu",
        plan=plan,
    )
    follow_up_add(actor=cast.dan, inspection=inspection, action="Khắc phục mẫu", deadline=today)
    violation = violation_record(
        actor=cast.dan,
        offender_kind="individual",
        offender_name="Người mẫu",
        unit=tree.quan_trieu,
        kind="no_mask",
        occurred_on=today,
        sanction="fine",
        fine_amount=1_500_000,
    )
    assert client.login(username="dan", password=cast.password)
    pages = {
        reverse("enforcement:index"): "Sự kiện chờ xã phê duyệt",
        reverse("enforcement:gatherings"): "Đám cưới mẫu",
        reverse("enforcement:gathering-create"): "Số người dự kiến",
        reverse("enforcement:gathering", args=[gathering.uid]): "Chờ xã phê duyệt",
        reverse("enforcement:inspections"): "Kế hoạch mẫu",
        reverse("enforcement:inspection-create") + f"?plan={plan.uid}": "Ghi biên bản",
        reverse("enforcement:inspection", args=[inspection.uid]): "Khắc phục mẫu",
        reverse("enforcement:plan-create"): "Đơn vị được kiểm tra",
        reverse("enforcement:plan", args=[plan.uid]): "đã kiểm tra",
        reverse("enforcement:not-inspected"): "Phường Quang Vinh",
        reverse("enforcement:violations"): "Người mẫu",
        reverse("enforcement:violation-create") + f"?gathering={gathering.uid}": "Ông Mẫu",
        reverse("enforcement:violation", args=[violation.uid]): "1.500.000",
        reverse("violations-public:list"): "Chưa có vụ vi phạm nào được công khai",
    }
    for url, text in pages.items():
        response = client.get(url)
        assert response.status_code == 200, url
        assert text in response.content.decode(), url
    # Malformed filters and cursors are ignored, never a 500.
    for url in (
        reverse("enforcement:gatherings") + "?commune=xyz&week=2021-13-45&after=bad",
        reverse("enforcement:violations") + "?kind=zzz&after=2021-01-01.x",
        reverse("enforcement:not-inspected") + "?inspector=nope&start=2021-11-30&end=2021-11-01",
        reverse("violations-public:list") + "?after=abc",
    ):
        assert client.get(url).status_code == 200, url
