"""Inspections (G2): a unit records its inspection of the unit right below it (a hamlet of a household),
never otherwise; follow-ups with deadlines, overdue and closed; the units not inspected in a period; pages,
exports (audited) and the API."""

from __future__ import annotations

import io
from datetime import timedelta
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook
from rest_framework.test import APIClient

from phongdich.core.errors import ValidationFailed
from phongdich.core.models import AuditLog
from phongdich.enforcement.models import Inspection
from phongdich.enforcement.selectors import month_bounds, not_inspected, open_follow_ups
from phongdich.enforcement.services import follow_up_add, follow_up_close, inspection_record, plan_create
from phongdich.people.tests.factories import PersonFactory

pytestmark = pytest.mark.django_db


def record(actor: Any, inspector: Any, target: Any, **extra: Any) -> Inspection:
    values: dict[str, Any] = {
        "inspected_on": timezone.localdate(),
        "result": "shortcomings",
        "findings": "Chốt kiểm soát thiếu sổ ghi chép.",
    }
    values.update(extra)
    return inspection_record(actor=actor, inspector_unit=inspector, target_unit=target, **values)


def test_g2_chain_recorded_top_down_only_G2(tree: Any, cast: Any) -> None:
    record(cast.alice, tree.province, tree.city)
    record(cast.dan, tree.city, tree.quan_trieu)
    record(cast.cuong, tree.quan_trieu, tree.xom1)
    head = PersonFactory(residence_unit=tree.xom1, with_cccd=True)
    household = record(cast.hoa, tree.xom1, tree.xom1, household_head=head, household_address="Số 7")
    assert household.is_household
    assert "Số 7" in household.target_label
    refused = [
        (cast.alice, tree.province, tree.quan_trieu),  # a level skipped
        (cast.dan, tree.city, tree.province),  # upwards
        (cast.dan, tree.city, tree.dac_son),  # another district's commune
        (cast.cuong, tree.quan_trieu, tree.quang_vinh),  # a peer
    ]
    for actor, inspector, target in refused:
        with pytest.raises(ValidationFailed) as caught:
            record(actor, inspector, target)
        assert caught.value.field == "target_unit"
        assert "cấp ngay dưới" in str(caught.value.message)
    with pytest.raises(ValidationFailed):  # a commune does not inspect households
        record(cast.cuong, tree.quan_trieu, tree.xom1, household_address="Số 9")
    with pytest.raises(Exception) as denied:  # dan is not the province
        record(cast.dan, tree.province, tree.pho_yen)
    assert denied.type.__name__ == "PermissionDenied"
    with pytest.raises(ValidationFailed):
        record(cast.dan, tree.city, tree.quang_vinh, inspected_on=timezone.localdate() + timedelta(days=1))
    assert Inspection.objects.count() == 4


def test_g2_not_inspected_this_month_per_inspecting_unit_G2(tree: Any, cast: Any) -> None:
    today = timezone.localdate()
    start, end = month_bounds(today)
    assert {u.name for u in not_inspected(inspector=tree.city, start=start, end=end)} == {
        "Phường Quán Triều",
        "Phường Quang Vinh",
    }
    record(cast.dan, tree.city, tree.quan_trieu)
    assert [u.name for u in not_inspected(inspector=tree.city, start=start, end=end)] == ["Phường Quang Vinh"]
    # An inspection last month does not count for this one; another inspector's does not count for the city.
    record(cast.dan, tree.city, tree.quang_vinh, inspected_on=start - timedelta(days=1))
    assert [u.name for u in not_inspected(inspector=tree.city, start=start, end=end)] == ["Phường Quang Vinh"]
    assert {u.name for u in not_inspected(inspector=tree.province, start=start, end=end)} == {
        "Thành phố Thái Nguyên",
        "Thị xã Phổ Yên",
    }


def test_g2_follow_ups_overdue_and_closed_G2(tree: Any, cast: Any) -> None:
    today = timezone.localdate()
    inspection = record(cast.dan, tree.city, tree.quan_trieu, inspected_on=today - timedelta(days=10))
    late = follow_up_add(
        actor=cast.dan, inspection=inspection, action="Bổ sung sổ theo dõi", deadline=today - timedelta(days=2)
    )
    due = follow_up_add(
        actor=cast.dan, inspection=inspection, action="Tập huấn tổ COVID", deadline=today + timedelta(days=5)
    )
    assert list(open_follow_ups(user=cast.dan, overdue_on=today)) == [late]
    assert list(open_follow_ups(user=cast.cuong, overdue_on=today)) == [late]  # the inspected commune sees it too
    assert list(open_follow_ups(user=cast.chi, overdue_on=today)) == []
    with pytest.raises(ValidationFailed):
        follow_up_add(actor=cast.dan, inspection=inspection, action="X", deadline=today - timedelta(days=20))
    with pytest.raises(Exception) as denied:  # the inspected do not close their own follow-ups
        follow_up_close(actor=cast.cuong, follow_up=late, closed_on=today, note="Đã làm")
    assert denied.type.__name__ == "PermissionDenied"
    with pytest.raises(ValidationFailed):
        follow_up_close(actor=cast.dan, follow_up=late, closed_on=today, note=" ")
    follow_up_close(actor=cast.dan, follow_up=late, closed_on=today, note="Đã bổ sung sổ")
    assert list(open_follow_ups(user=cast.dan, overdue_on=today)) == []
    assert list(open_follow_ups(user=cast.dan)) == [due]
    with pytest.raises(ValidationFailed):
        follow_up_close(actor=cast.dan, follow_up=late, closed_on=today, note="Lần nữa")


def test_g2_plan_targets_only_the_level_below_G2(tree: Any, cast: Any) -> None:
    today = timezone.localdate()
    plan = plan_create(
        actor=cast.dan,
        inspector_unit=tree.city,
        title="Kiểm tra tháng này",
        start_date=today,
        end_date=today + timedelta(days=20),
        targets=[tree.quan_trieu, tree.quang_vinh],
    )
    assert plan.targets.count() == 2
    with pytest.raises(ValidationFailed):
        plan_create(
            actor=cast.dan,
            inspector_unit=tree.city,
            title="Sai cấp",
            start_date=today,
            end_date=today,
            targets=[tree.xom1],
        )


def test_g2_pages_exports_and_api_scoped_G2(client: Client, tree: Any, cast: Any) -> None:
    assert client.login(username="dan", password=cast.password)
    response = client.post(
        reverse("enforcement:inspection-create"),
        {
            "inspector_unit": str(tree.city.uid),
            "target_unit": str(tree.quan_trieu.uid),
            "inspected_on": timezone.localdate().isoformat(),
            "result": "violations",
            "findings": "Có đám cưới vượt số người.",
        },
    )
    assert response.status_code == 302
    inspection = Inspection.objects.get()
    # A refused level shows a Vietnamese message on the form and stores nothing.
    response = client.post(
        reverse("enforcement:inspection-create"),
        {
            "inspector_unit": str(tree.city.uid),
            "target_unit": str(tree.xom1.uid),
            "inspected_on": timezone.localdate().isoformat(),
            "result": "good",
            "findings": "Tốt",
        },
    )
    assert response.status_code == 200
    assert "cấp ngay dưới" in response.content.decode()
    assert Inspection.objects.count() == 1
    deadline = (timezone.localdate() + timedelta(days=3)).isoformat()
    client.post(
        reverse("enforcement:follow-up-add", args=[inspection.uid]), {"action": "Khắc phục", "deadline": deadline}
    )
    assert inspection.follow_ups.count() == 1
    page = client.get(reverse("enforcement:not-inspected"), {"inspector": str(tree.city.uid)}).content.decode()
    assert "Phường Quang Vinh" in page
    assert "Phường Quán Triều" not in page.split('id="not-inspected"')[1]
    before = AuditLog.objects.filter(action="export").count()
    response = client.get(reverse("enforcement:not-inspected-export"), {"inspector": str(tree.city.uid)})
    sheet = load_workbook(io.BytesIO(response.content)).active
    assert [r[1] for r in sheet.iter_rows(min_row=2, values_only=True)] == ["Phường Quang Vinh"]
    response = client.get(reverse("enforcement:inspections-export"))
    assert response.status_code == 200
    assert AuditLog.objects.filter(action="export").count() == before + 2
    # chi (Quang Vinh) sees neither the record nor its page.
    client.logout()
    assert client.login(username="chi", password=cast.password)
    assert client.get(reverse("enforcement:inspection", args=[inspection.uid])).status_code == 404
    api = APIClient()
    api.force_authenticate(cast.cuong)  # the inspected commune sees it
    results = api.get(reverse("api:enforcement-inspections")).json()["results"]
    assert [r["target"] for r in results] == ["Phường Quán Triều"]
    assert results[0]["open_follow_ups"] == 1
    api.force_authenticate(cast.dan)
    missing = api.get(reverse("api:enforcement-not-inspected"), {"inspector": str(tree.city.uid)}).json()
    assert [u["name"] for u in missing] == ["Phường Quang Vinh"]
    assert api.get(reverse("api:enforcement-not-inspected"), {"inspector": str(tree.pho_yen.uid)}).status_code == 400
