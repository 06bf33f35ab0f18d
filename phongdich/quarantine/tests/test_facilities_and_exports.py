"""Facility pages (create, edit, readiness), the Excel exports and keyset paging of the quarantine lists."""

from __future__ import annotations

import io
import re
from datetime import date, datetime, timedelta
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from phongdich.core.errors import NotInScope, ValidationFailed
from phongdich.core.models import AuditLog
from phongdich.quarantine.models import Episode, EpisodeKind, Facility, FacilityKind, Handover
from phongdich.quarantine.selectors import facility_page, follow_today_page, handover_page
from phongdich.quarantine.services import (
    daily_check_record,
    episode_release,
    episode_start,
    facility_create,
    facility_update,
)

from .conftest import make_person

START = date(2021, 11, 1)


def login(client: Client, user: Any, cast: Any) -> Client:
    assert client.login(username=user.username, password=cast.password)
    return client


def sheet_rows(content: bytes) -> list[tuple[Any, ...]]:
    from openpyxl import load_workbook

    return list(load_workbook(io.BytesIO(content)).active.iter_rows(values_only=True))


def full_table_counts(queries: list[dict[str, Any]]) -> list[str]:
    return [
        q["sql"] for q in queries if re.match(r'\s*SELECT\s+COUNT\(\*\)(\s+AS\s+"__count")?\s+FROM', q["sql"], re.I)
    ]


def test_commune_officer_creates_a_facility_from_the_list_Q1(client: Client, tree: Any, cast: Any) -> None:
    login(client, cast.cuong, cast)
    body = client.get(reverse("quarantine:facilities")).content.decode()
    assert reverse("quarantine:facility-create") in body
    url = reverse("quarantine:facility-create")
    page = client.get(url).content.decode()
    assert tree.quan_trieu.name in page
    assert tree.quang_vinh.name not in page  # only units in the officer's jurisdiction are offered
    data = {
        "name": "Khách sạn Mường Thanh",
        "kind": FacilityKind.HOTEL,
        "unit": tree.quan_trieu.uid,
        "capacity": "40",
        "ready": "on",
        "readiness_note": "",
    }
    bad = client.post(url, {**data, "capacity": "0"})
    assert bad.status_code == 200
    assert "Đảm bảo giá trị này lớn hơn hoặc bằng 1" in bad.content.decode() or "lớn hơn" in bad.content.decode()
    out_of_scope = client.post(url, {**data, "unit": tree.quang_vinh.uid})
    assert out_of_scope.status_code == 200
    assert not Facility.objects.exists()
    response = client.post(url, data)
    facility = Facility.objects.get()
    assert response["Location"] == reverse("quarantine:facility", args=[facility.uid])
    assert (facility.kind, facility.capacity, facility.ready, facility.unit) == ("hotel", 40, True, tree.quan_trieu)
    assert AuditLog.objects.filter(actor=cast.cuong, action="create", object_uid=str(facility.uid)).exists()


def test_hamlet_head_cannot_manage_facilities_Q1(client: Client, tree: Any, cast: Any, facility: Facility) -> None:
    login(client, cast.hoa, cast)
    assert client.get(reverse("quarantine:facility-create")).status_code == 403
    assert reverse("quarantine:facility-create") not in client.get(reverse("quarantine:facilities")).content.decode()
    with pytest.raises(PermissionDenied):
        facility_update(actor=cast.hoa, facility=facility, capacity=10)


def test_edit_keeps_capacity_above_occupancy_and_is_audited_Q1(
    client: Client, tree: Any, cast: Any, facility: Facility
) -> None:
    episode_start(
        actor=None,
        person=make_person(tree.quan_trieu),
        kind=EpisodeKind.CENTRALISED,
        facility=facility,
        start_date=START,
    )
    episode_start(
        actor=None,
        person=make_person(tree.quan_trieu),
        kind=EpisodeKind.CENTRALISED,
        facility=facility,
        start_date=START,
    )
    login(client, cast.cuong, cast)
    url = reverse("quarantine:facility-edit", args=[facility.uid])
    form = client.get(url).content.decode()
    assert facility.name in form
    data = {"name": "Khu cách ly Trường Quân sự", "kind": FacilityKind.CENTRALISED, "unit": tree.quan_trieu.uid}
    refused = client.post(url, {**data, "capacity": "1", "ready": "on"})
    assert refused.status_code == 200
    assert "không được nhỏ hơn số người đang cách ly" in refused.content.decode()
    facility.refresh_from_db()
    assert facility.capacity == 2
    response = client.post(url, {**data, "capacity": "120", "ready": "on"})
    assert response.status_code == 302
    facility.refresh_from_db()
    assert (facility.name, facility.capacity) == ("Khu cách ly Trường Quân sự", 120)
    line = AuditLog.objects.get(actor=cast.cuong, action="update", object_uid=str(facility.uid))
    assert line.detail["changes"]["capacity"] == ["2", "120"]
    # Another commune's officer does not see it at all.
    login(client, cast.chi, cast)
    assert client.get(url).status_code == 404
    with pytest.raises(NotInScope):
        facility_update(actor=cast.chi, facility=facility, capacity=5)


def test_readiness_toggle_stops_admissions_Q1(client: Client, tree: Any, cast: Any, facility: Facility) -> None:
    login(client, cast.cuong, cast)
    url = reverse("quarantine:facility-readiness", args=[facility.uid])
    assert "Tạm ngừng tiếp nhận" in client.get(reverse("quarantine:facility", args=[facility.uid])).content.decode()
    client.post(url, {"readiness_note": "Đang phun khử khuẩn"})
    facility.refresh_from_db()
    assert (facility.ready, facility.readiness_note) == (False, "Đang phun khử khuẩn")
    with pytest.raises(ValidationFailed) as exc:
        episode_start(
            actor=cast.cuong,
            person=make_person(tree.quan_trieu),
            kind=EpisodeKind.CENTRALISED,
            facility=facility,
            start_date=START,
        )
    assert "chưa sẵn sàng" in str(exc.value.message)
    client.post(url, {"ready": "on", "readiness_note": ""})
    facility.refresh_from_db()
    assert facility.ready
    assert AuditLog.objects.filter(actor=cast.cuong, action="update", object_uid=str(facility.uid)).count() == 2


def test_facility_update_refuses_bad_values_Q1(tree: Any, cast: Any, facility: Facility) -> None:
    with pytest.raises(ValidationFailed):
        facility_update(actor=cast.cuong, facility=facility, capacity=0)
    with pytest.raises(ValidationFailed):
        facility_update(actor=cast.cuong, facility=facility, name="  ")
    with pytest.raises(NotInScope):
        facility_update(actor=cast.cuong, facility=facility, unit=tree.quang_vinh)
    with pytest.raises(ValidationFailed):
        facility_update(actor=cast.cuong, facility=facility, uid="x")
    facility.refresh_from_db()
    assert (facility.capacity, facility.unit) == (2, tree.quan_trieu)


def test_facility_export_is_filtered_scoped_and_audited_Q1(client: Client, tree: Any, cast: Any) -> None:
    facility_create(actor=None, name="Bệnh viện A", kind=FacilityKind.HOSPITAL, unit=tree.quan_trieu, capacity=9)
    facility_create(
        actor=None, name="Khách sạn B", kind=FacilityKind.HOTEL, unit=tree.quan_trieu, capacity=5, ready=False
    )
    facility_create(actor=None, name="Khu C", kind=FacilityKind.CENTRALISED, unit=tree.quang_vinh, capacity=5)
    login(client, cast.cuong, cast)
    response = client.get(reverse("quarantine:facilities-export"), {"ready": "1"})
    rows = sheet_rows(response.content)
    assert rows[0][0] == "Tên cơ sở"
    assert [r[0] for r in rows[1:]] == ["Bệnh viện A"]
    everything = sheet_rows(client.get(reverse("quarantine:facilities-export")).content)
    assert [r[0] for r in everything[1:]] == ["Bệnh viện A", "Khách sạn B"]  # not Khu C (another commune)
    lines = AuditLog.objects.filter(actor=cast.cuong, action="export").order_by("id")
    assert [line.detail["rows"] for line in lines] == [1, 2]
    assert lines[0].detail["ready"] == "1"


def _centralised_then_released(tree: Any, facility: Facility, name: str, sent: datetime) -> Handover:
    episode = episode_start(
        actor=None,
        person=make_person(tree.quan_trieu, name),
        kind=EpisodeKind.CENTRALISED,
        facility=facility,
        start_date=START,
    )
    episode_release(actor=None, episode=episode, on=START + timedelta(days=14), at=sent)
    return Handover.objects.get(episode__previous=episode)


def test_handover_list_filters_overdue_exports_and_pages_Q3(
    client: Client, tree: Any, cast: Any, facility: Facility
) -> None:
    now = timezone.now()
    late = _centralised_then_released(tree, facility, "Trễ Văn Hạn", now - timedelta(hours=30))
    fresh = _centralised_then_released(tree, facility, "Mới Văn Gửi", now - timedelta(hours=2))
    login(client, cast.cuong, cast)
    overdue = client.get(reverse("quarantine:handovers"), {"status": "overdue"}).content.decode()
    assert "Trễ Văn Hạn" in overdue
    assert "Mới Văn Gửi" not in overdue
    rows = sheet_rows(client.get(reverse("quarantine:handovers-export"), {"status": "pending"}).content)
    assert [(r[0], r[-1]) for r in rows[1:]] == [("Trễ Văn Hạn", "Có"), ("Mới Văn Gửi", None)]
    assert AuditLog.objects.get(actor=cast.cuong, action="export").detail == {
        "format": "xlsx",
        "rows": 2,
        "status": "pending",
    }
    client.post(reverse("quarantine:handover-acknowledge", args=[fresh.uid]), {"status": "pending"})
    done = client.get(reverse("quarantine:handovers"), {"status": "acknowledged"}).content.decode()
    assert "Mới Văn Gửi" in done
    assert "Trễ Văn Hạn" not in done
    with CaptureQueriesContext(connection) as ctx:
        first = handover_page(user=cast.cuong, status="all", limit=1)
    assert full_table_counts(ctx.captured_queries) == []
    assert [r.handover.pk for r in first.items] == [late.pk]
    second = handover_page(user=cast.cuong, status="all", limit=1, after=first.next_after)
    assert [r.handover.pk for r in second.items] == [fresh.pk]
    assert second.next_after is None
    assert handover_page(user=cast.chi, status="all").items == []


def test_people_to_follow_today_pages_and_exports_Q3(client: Client, tree: Any, cast: Any) -> None:
    today = timezone.localdate()
    names = ["An Văn Một", "Bình Thị Hai", "Chu Văn Ba"]
    episodes = [
        episode_start(
            actor=None,
            person=make_person(tree.quan_trieu, name),
            kind=EpisodeKind.HOME,
            start_date=today - timedelta(days=2),
        )
        for name in names
    ]
    daily_check_record(actor=None, episode=episodes[1], on=today, temperature=36.8)
    with CaptureQueriesContext(connection) as ctx:
        first = follow_today_page(user=cast.cuong, today=today, limit=1)
    assert full_table_counts(ctx.captured_queries) == []
    second = follow_today_page(user=cast.cuong, today=today, limit=1, after=first.next_after)
    assert [r.episode.person.full_name for r in first.items + second.items] == ["An Văn Một", "Chu Văn Ba"]
    assert second.next_after is None
    login(client, cast.cuong, cast)
    body = client.get(reverse("quarantine:today")).content.decode()
    assert reverse("quarantine:today-export") in body
    assert "Bình Thị Hai" not in body
    rows = sheet_rows(client.get(reverse("quarantine:today-export")).content)
    assert [r[0] for r in rows[1:]] == ["An Văn Một", "Chu Văn Ba"]
    assert AuditLog.objects.get(actor=cast.cuong, action="export").object_type == Episode._meta.label_lower
    login(client, cast.chi, cast)
    assert len(sheet_rows(client.get(reverse("quarantine:today-export")).content)) == 1


def test_facility_list_is_keyset_paged_without_count_Q1(tree: Any, cast: Any) -> None:
    for n in range(3):
        facility_create(actor=None, name=f"Cơ sở {n}", kind=FacilityKind.HOTEL, unit=tree.quan_trieu, capacity=3)
    with CaptureQueriesContext(connection) as ctx:
        page = facility_page(user=cast.cuong, limit=2)
    assert full_table_counts(ctx.captured_queries) == []
    rest = facility_page(user=cast.cuong, limit=2, after=page.next_after)
    assert [f.name for f in page.items + rest.items] == ["Cơ sở 0", "Cơ sở 1", "Cơ sở 2"]
    assert rest.next_after is None


def test_every_quarantine_page_links_the_sub_pages_Q3(client: Client, tree: Any, cast: Any) -> None:
    login(client, cast.cuong, cast)
    links = [reverse(f"quarantine:{name}") for name in ("episodes", "today", "handovers", "facilities", "rules")]
    for url in [*links, reverse("quarantine:start")]:
        body = client.get(url).content.decode()
        assert all(f'href="{link}"' in body for link in links), url
