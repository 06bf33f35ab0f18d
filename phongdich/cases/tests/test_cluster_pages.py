"""Cluster pages and API: scoped keyset list, audited Excel export, audited detail with growth, doubling
time and the labelled projection, create/edit/close, assign and remove cases, the case's cluster and
isolation day; bad input is a message, never a 500 (C3, C4, D4)."""

from __future__ import annotations

import io
from datetime import date, timedelta
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from openpyxl import load_workbook
from rest_framework.test import APIClient

from phongdich.cases.models import Case, CaseStatus, Cluster, ClusterStatus, DetectedIn
from phongdich.cases.services import case_register, cluster_create
from phongdich.core.models import AuditAction, AuditLog

from .conftest import at, make_person

START = date(2021, 5, 10)
# A factory outbreak: cases doubling about every 3 days over 12 days (1, 1, 1, 2, 2, 3, 4, 5, 6, 8, 10, 13).
GROWING = [round(2 ** (t / 3)) for t in range(12)]


def login(client: Client, user: Any, cast: Any) -> Client:
    assert client.login(username=user.username, password=cast.password)
    return client


def api(user: Any) -> APIClient:
    client = APIClient()
    client.force_authenticate(user)
    return client


def _case(unit: Any, day: date, cluster: Cluster | None = None) -> Case:
    return case_register(
        actor=None,
        person=make_person(unit),
        status=CaseStatus.CONFIRMED,
        detected_in=DetectedIn.COMMUNITY,
        sampling_date=day,
        confirmed_at=at(day, 15),
        cluster=cluster,
    )


@pytest.fixture
def factory(cast: Any, tree: Any) -> Cluster:
    """A cluster at the enterprise in Đắc Sơn (Phổ Yên) with a growing series of cases."""
    cluster = cluster_create(actor=None, name="Ổ dịch Công ty TNHH Mẫu", start_date=START, organisation=cast.enterprise)
    for day_number, n in enumerate(GROWING):
        for _i in range(n):
            _case(tree.dac_son, START + timedelta(days=day_number), cluster)
    return cluster


@pytest.fixture
def hamlet(tree: Any) -> Cluster:
    cluster = cluster_create(actor=None, name="Ổ dịch Tổ dân phố 1", start_date=START, place_unit=tree.xom1)
    for day_number in range(6):
        _case(tree.quan_trieu, START + timedelta(days=day_number), cluster)
    return cluster


def test_list_is_scoped_and_keyset_paged_C3_D4(client: Client, cast: Any, factory: Cluster, hamlet: Cluster) -> None:
    login(client, cast.alice, cast)
    page = client.get(reverse("cases:clusters")).content.decode()
    assert factory.name in page
    assert hamlet.name in page
    assert str(sum(GROWING)) in page
    assert reverse("cases:clusters") in client.get(reverse("cases:list")).content.decode()
    login(client, cast.dan, cast)  # the city: the hamlet's cluster, not the factory in Phổ Yên
    page = client.get(reverse("cases:clusters")).content.decode()
    assert hamlet.name in page
    assert factory.name not in page
    assert client.get(reverse("cases:cluster", args=[factory.uid])).status_code == 404
    login(client, cast.oanh, cast)  # the enterprise's head sees the cluster at her enterprise
    assert factory.name in client.get(reverse("cases:clusters")).content.decode()
    # Keyset pages through the API: one per page, the next link carries the cursor.
    response = api(cast.alice).get("/api/v1/clusters/", {"limit": 1})
    assert response.status_code == 200
    assert [c["name"] for c in response.json()["results"]] == [hamlet.name]
    second = api(cast.alice).get(response.json()["next"])
    assert [c["name"] for c in second.json()["results"]] == [factory.name]
    assert second.json()["next"] is None
    assert second.json()["results"][0]["confirmed_count"] == sum(GROWING)


def test_export_is_scoped_and_audited_C3_D4(client: Client, cast: Any, factory: Cluster, hamlet: Cluster) -> None:
    login(client, cast.dan, cast)
    response = client.get(reverse("cases:clusters-export", args=["xlsx"]))
    assert response.status_code == 200
    rows = list(load_workbook(io.BytesIO(response.content)).active.iter_rows(values_only=True))
    assert rows[0][0] == "Tên ổ dịch"
    assert [r[0] for r in rows[1:]] == [hamlet.name]
    assert rows[1][7] == 6
    log = AuditLog.objects.filter(action=AuditAction.EXPORT, actor=cast.dan).get()
    assert log.detail["rows"] == 1
    bad = client.get(reverse("cases:clusters-export", args=["pdf"]))
    assert bad.status_code == 302


def test_detail_states_growth_doubling_and_labelled_projection_C3(client: Client, cast: Any, factory: Cluster) -> None:
    login(client, cast.alice, cast)
    response = client.get(reverse("cases:cluster", args=[factory.uid]))
    assert response.status_code == 200
    page = response.content.decode()
    last_day = START + timedelta(days=len(GROWING) - 1)
    # The cluster's last case is in 2021: growth is computed as of that day.
    assert response.context["outlook"].as_of == last_day
    last7, previous7 = sum(GROWING[-7:]), sum(GROWING[-14:-7])
    assert f"{last7} ca trong 7 ngày gần nhất so với {previous7} ca" in page
    assert "Thời gian nhân đôi: khoảng" in page
    doubling = response.context["outlook"].doubling
    assert doubling is not None
    assert 2.4 < doubling.days < 3.6
    assert "Dự báo, không phải số liệu" in page
    assert "hồi quy Poisson" in page
    assert "Khoảng 95% gồm sai số" in page
    assert "%%" not in page
    assert "<svg" in page
    assert "<polygon" in page  # the band
    assert AuditLog.objects.filter(action=AuditAction.READ, object_uid=str(factory.uid), actor=cast.alice).exists()
    # As of an earlier day: fewer points, no projection, doubling not determined.
    early = client.get(reverse("cases:cluster", args=[factory.uid]), {"as_of": (START + timedelta(days=2)).isoformat()})
    assert "không xác định" in early.content.decode()
    assert early.context["outlook"].projection == []
    # A nonsense date is ignored, not an error.
    assert client.get(reverse("cases:cluster", args=[factory.uid]), {"as_of": "hôm qua"}).status_code == 200


def test_flat_cluster_has_no_doubling_C3(client: Client, cast: Any, tree: Any) -> None:
    cluster = cluster_create(actor=None, name="Ổ dịch đi ngang", start_date=START, place_unit=tree.quang_vinh)
    for day_number in range(10):
        for _i in range(3):
            _case(tree.quang_vinh, START + timedelta(days=day_number), cluster)
    login(client, cast.alice, cast)
    response = client.get(reverse("cases:cluster", args=[cluster.uid]))
    page = response.content.decode()
    assert "Thời gian nhân đôi: không xác định (số ca không tăng rõ rệt" in page
    assert "Dự báo, không phải số liệu" in page  # still projected, flat


def test_create_edit_close_through_pages_C3(client: Client, cast: Any, tree: Any) -> None:
    login(client, cast.alice, cast)
    url = reverse("cases:cluster-create")
    assert client.get(url).status_code == 200
    # No place: a message on the form, nothing stored.
    response = client.post(url, {"name": "Ổ dịch không nơi", "start_date": "2021-05-10"})
    assert response.status_code == 200
    assert "Cần chọn nơi xảy ra ổ dịch" in response.content.decode()
    assert not Cluster.objects.exists()
    response = client.post(
        url, {"name": "Ổ dịch công ty", "start_date": "2021-05-10", "organisation": str(cast.enterprise.uid)}
    )
    cluster = Cluster.objects.get()
    assert response.status_code == 302
    assert cluster.unit == tree.dac_son
    edit = reverse("cases:cluster-edit", args=[cluster.uid])
    assert client.get(edit).status_code == 200
    fields = {"name": "Ổ dịch công ty", "start_date": "2021-05-10", "organisation": str(cast.enterprise.uid)}
    response = client.post(edit, {**fields, "status": "closed", "closed_on": "2021-05-01"})
    assert "Ngày kết thúc không được trước ngày bắt đầu." in response.content.decode()
    client.post(edit, {**fields, "status": "closed", "closed_on": "2021-06-20"})
    cluster.refresh_from_db()
    assert cluster.status == ClusterStatus.CLOSED
    assert cluster.closed_on == date(2021, 6, 20)
    # Dân (the city) cannot create a cluster at the enterprise in Phổ Yên: it is not in his choices.
    login(client, cast.dan, cast)
    response = client.post(url, {**fields, "name": "Ngoài địa bàn"})
    assert response.status_code == 200
    assert Cluster.objects.count() == 1


def test_assign_and_remove_cases_by_code_C3(client: Client, cast: Any, tree: Any, hamlet: Cluster) -> None:
    mine = _case(tree.quan_trieu, START)
    elsewhere = _case(tree.quang_vinh, START)
    login(client, cast.cuong, cast)  # Quán Triều only
    url = reverse("cases:cluster-assign", args=[hamlet.uid])
    response = client.post(url, {"codes": f"{mine.case_code.lower()}, {elsewhere.case_code}\nKHONG-CO"}, follow=True)
    page = response.content.decode()
    assert f"Đã gán 1 ca vào ổ dịch: {mine.case_code}" in page
    assert f"Không tìm thấy ca bệnh {elsewhere.case_code}" in page
    assert "Không tìm thấy ca bệnh KHONG-CO" in page
    mine.refresh_from_db()
    elsewhere.refresh_from_db()
    assert mine.cluster == hamlet
    assert elsewhere.cluster is None
    client.post(url, {"remove": mine.case_code})
    mine.refresh_from_db()
    assert mine.cluster is None
    assert client.post(url, {"codes": ""}).status_code == 302


def test_case_page_sets_cluster_and_isolation_day_C3_C4(client: Client, cast: Any, tree: Any, hamlet: Cluster) -> None:
    case = _case(tree.quan_trieu, START)
    login(client, cast.cuong, cast)
    page = client.get(reverse("cases:detail", args=[case.uid])).content.decode()
    assert hamlet.name in page  # offered in the picker
    client.post(reverse("cases:case-cluster", args=[case.uid]), {"cluster": str(hamlet.uid)})
    response = client.post(reverse("cases:isolation", args=[case.uid]), {"isolated_on": "2021-05-09"}, follow=True)
    assert "không thể được cách ly trước ngày khởi phát" in response.content.decode()
    client.post(reverse("cases:isolation", args=[case.uid]), {"isolated_on": "2021-05-11"})
    case.refresh_from_db()
    assert case.cluster == hamlet
    assert case.isolated_on == date(2021, 5, 11)
    page = client.get(reverse("cases:detail", args=[case.uid])).content.decode()
    assert reverse("cases:cluster", args=[hamlet.uid]) in page


def test_api_create_detail_assign_isolation_C3_C4(cast: Any, tree: Any, factory: Cluster) -> None:
    client = api(cast.alice)
    bad = client.post("/api/v1/clusters/", {"name": "X", "start_date": "2021-05-10"}, format="json")
    assert bad.status_code == 400
    created = client.post(
        "/api/v1/clusters/",
        {"name": "Ổ dịch Quang Vinh", "start_date": "2021-05-12", "place_unit": str(tree.quang_vinh.uid)},
        format="json",
    )
    assert created.status_code == 201
    uid = created.json()["cluster"]["uid"]
    case = _case(tree.quang_vinh, START)
    assigned = client.post(f"/api/v1/clusters/{uid}/cases/", {"cases": [case.case_code]}, format="json")
    assert assigned.status_code == 200
    assert [c["case_code"] for c in assigned.json()["cases"]] == [case.case_code]
    missing = client.post(f"/api/v1/clusters/{uid}/cases/", {"cases": ["TN-1999-9999"]}, format="json")
    assert missing.status_code == 400
    assert "TN-1999-9999" in str(missing.json())
    # By uid (any case), then removed by code in lower case.
    other = _case(tree.quang_vinh, START)
    by_uid = client.post(f"/api/v1/clusters/{uid}/cases/", {"cases": [str(other.uid).upper()]}, format="json")
    assert by_uid.status_code == 200
    assert len(by_uid.json()["cases"]) == 2
    removed = client.post(
        f"/api/v1/clusters/{uid}/cases/", {"cases": [other.case_code.lower()], "action": "remove"}, format="json"
    )
    assert [c["case_code"] for c in removed.json()["cases"]] == [case.case_code]
    detail = client.get(f"/api/v1/clusters/{factory.uid}/").json()
    outlook = detail["outlook"]
    assert outlook["projection_label"] == "Dự báo, không phải số liệu"
    assert len(outlook["projection"]) == 7
    assert 2.4 < outlook["doubling_days"] < 3.6
    assert sum(d["count"] for d in outlook["daily"]) == sum(GROWING)
    assert all(p["low"] <= p["expected"] <= p["high"] for p in outlook["projection"])
    assert client.get(f"/api/v1/clusters/{factory.uid}/", {"as_of": "2099-01-01"}).status_code == 400
    isolation = client.post(f"/api/v1/cases/{case.uid}/isolation/", {"isolated_on": "2021-05-10"}, format="json")
    assert isolation.status_code == 200
    assert isolation.json()["isolated_on"] == "2021-05-10"
    assert isolation.json()["cluster"] == uid
    refused = client.post(f"/api/v1/cases/{case.uid}/isolation/", {"isolated_on": "2021-05-01"}, format="json")
    assert refused.status_code == 400
    closed = client.put(
        f"/api/v1/clusters/{uid}/",
        {
            "name": "Ổ dịch Quang Vinh",
            "start_date": "2021-05-12",
            "place_unit": str(tree.quang_vinh.uid),
            "status": "closed",
            "closed_on": "2021-06-01",
        },
        format="json",
    )
    assert closed.status_code == 200
    assert closed.json()["cluster"]["status"] == "closed"
    # Scope: Dân does not see the factory in Phổ Yên.
    assert api(cast.dan).get(f"/api/v1/clusters/{factory.uid}/").status_code == 404
