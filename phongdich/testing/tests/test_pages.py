"""Testing pages and API: scoped lists with filters and an audited export, the overdue summary, the audited
order page, sample taking, the lab desk (receive, pool, results), the import page, the rules page; the API."""

from __future__ import annotations

import io
from collections.abc import Callable
from datetime import timedelta
from typing import Any

import openpyxl
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from phongdich.core.models import AuditLog
from phongdich.people.models import Person
from phongdich.testing import models as m
from phongdich.testing import services as s


def login(client: Client, user: Any, cast: Any) -> Client:
    assert client.login(username=user.username, password=cast.password)
    return client


def overdue_order(person: Person, key: str = "k", **fields: Any) -> m.TestOrder:
    return s.order_create(
        actor=None,
        person=person,
        reason=fields.pop("reason", m.OrderReason.NEW_HIRE),
        due_on=timezone.localdate() - timedelta(days=2),
        source_key=key,
        **fields,
    )


def test_order_list_is_scoped_filtered_and_exported_with_audit_T1(
    client: Client, tree: Any, cast: Any, resident: Callable[..., Person]
) -> None:
    here = overdue_order(resident(full_name="Trần Thị Quá Hạn"))
    s.order_create(
        actor=None,
        person=resident(full_name="Lê Văn Còn Hạn"),
        reason="symptoms",
        due_on=timezone.localdate(),
        source_key="k",
    )
    overdue_order(resident(full_name="Phạm Văn Khác Xã", unit=tree.quang_vinh))
    login(client, cast.cuong, cast)
    body = client.get(reverse("testing:orders")).content.decode()
    assert "Trần Thị Quá Hạn" in body
    assert "Lê Văn Còn Hạn" in body
    assert "Phạm Văn Khác Xã" not in body
    body = client.get(reverse("testing:orders"), {"overdue": "1"}).content.decode()
    assert "Trần Thị Quá Hạn" in body
    assert "Lê Văn Còn Hạn" not in body
    body = client.get(reverse("testing:orders"), {"reason": "symptoms"}).content.decode()
    assert "Trần Thị Quá Hạn" not in body
    assert "Lê Văn Còn Hạn" in body
    response = client.get(reverse("testing:orders-export"), {"overdue": "1"})
    assert response.status_code == 200
    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
    names = [row[0] for row in sheet.iter_rows(min_row=2, values_only=True)]
    assert names == ["Trần Thị Quá Hạn"]
    line = AuditLog.objects.filter(action="export", object_type="testing.testorder").get()
    assert line.actor == cast.cuong
    assert line.detail["rows"] == 1
    assert line.detail["overdue"] is True
    login(client, cast.chi, cast)
    assert client.get(reverse("testing:order", args=[here.uid])).status_code == 404


def test_order_list_pages_by_keyset_T1(client: Client, cast: Any, resident: Callable[..., Person]) -> None:
    from phongdich.testing.selectors import OrderFilters, order_page

    for n in range(5):
        overdue_order(resident(), key=f"p{n}")
    first = order_page(user=cast.cuong, filters=OrderFilters(), limit=3)
    second = order_page(user=cast.cuong, filters=OrderFilters(), after=first.next_after, limit=3)
    assert len(first.items) == 3
    assert first.next_after
    assert len(second.items) == 2
    assert second.next_after is None
    assert not {o.pk for o in first.items} & {o.pk for o in second.items}


def test_overdue_summary_per_unit_and_per_organisation_with_drill_down_T1(
    client: Client, tree: Any, cast: Any, resident: Callable[..., Person]
) -> None:
    overdue_order(resident(), key="a", organisation=cast.enterprise)
    overdue_order(resident(), key="b", organisation=cast.enterprise)
    overdue_order(resident(unit=tree.quang_vinh), key="c")
    login(client, cast.alice, cast)
    body = client.get(reverse("testing:overdue")).content.decode()
    assert "Phường Quán Triều" in body
    assert "Phường Quang Vinh" in body
    body = client.get(reverse("testing:overdue"), {"by": "organisation"}).content.decode()
    assert "Công ty TNHH Mẫu" in body
    assert f"organisation={cast.enterprise.uid}" in body
    body = client.get(
        reverse("testing:orders"), {"overdue": "1", "organisation": str(cast.enterprise.uid)}
    ).content.decode()
    assert body.count(reverse("testing:order", args=[m.TestOrder.objects.filter(source_key="a").get().uid])) == 1
    assert str(m.TestOrder.objects.get(source_key="c").uid) not in body
    response = client.get(reverse("testing:overdue-export"), {"by": "organisation"})
    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
    assert list(sheet.iter_rows(min_row=2, values_only=True)) == [("Công ty TNHH Mẫu", 2)]
    assert AuditLog.objects.filter(action="export", detail__by="organisation").count() == 1
    login(client, cast.chi, cast)
    body = client.get(reverse("testing:overdue")).content.decode()
    assert "Phường Quán Triều" not in body
    assert "Phường Quang Vinh" in body


def test_order_page_is_an_audited_read_and_takes_the_sample_T3(
    client: Client, cast: Any, lab: m.Lab, resident: Callable[..., Person]
) -> None:
    order = overdue_order(resident(full_name="Đỗ Văn Mẫu"))
    login(client, cast.cuong, cast)
    body = client.get(reverse("testing:order", args=[order.uid])).content.decode()
    assert "Đỗ Văn Mẫu" in body
    assert "Quá hạn" in body
    assert AuditLog.objects.filter(action="read", object_uid=str(order.uid), actor=cast.cuong).count() == 1
    response = client.post(
        reverse("testing:sample-take", args=[order.uid]), {"code": "qt-001", "lab": str(lab.uid)}, follow=True
    )
    assert "Đã lấy mẫu QT-001" in response.content.decode()
    order.refresh_from_db()
    assert order.status == m.OrderStatus.SAMPLED
    assert order.sample.lab == lab
    again = client.post(reverse("testing:sample-take", args=[order.uid]), {"code": "qt-002"}, follow=True)
    assert "không còn chờ lấy mẫu" in again.content.decode()
    login(client, cast.chi, cast)
    assert client.post(reverse("testing:sample-take", args=[order.uid]), {"code": "x"}).status_code == 404


def test_lab_desk_receives_pools_and_enters_results_T3(
    client: Client, cast: Any, lab: m.Lab, resident: Callable[..., Person]
) -> None:
    samples = []
    for n in range(2):
        order = overdue_order(resident(), key=f"d{n}", kind=m.TestKind.PCR)
        samples.append(s.sample_take(actor=None, order=order, code=f"D{n}", lab=lab))
    login(client, cast.alice, cast)
    url = reverse("testing:lab", args=[lab.uid])
    for sample in samples:
        client.post(url, {"action": "receive", "code": sample.code.lower()})
    body = client.get(url).content.decode()
    assert "D0" in body
    assert "D1" in body
    response = client.post(url, {"action": "pool", "samples": ["không-phải-mã", str(samples[0].uid)]}, follow=True)
    assert "ít nhất 2 mẫu" in response.content.decode()
    response = client.post(url, {"action": "pool", "samples": [str(x.uid) for x in samples]}, follow=True)
    assert "Đã tạo mẫu gộp" in response.content.decode()
    pool = m.Pool.objects.get()
    response = client.post(
        url, {"action": "result", "code": pool.code, "outcome": "positive", "ct_value": "50"}, follow=True
    )
    assert "45" in response.content.decode()
    assert not m.Result.objects.exists()
    response = client.post(
        url, {"action": "result", "code": pool.code, "outcome": "positive", "ct_value": "28"}, follow=True
    )
    assert "Dương tính" in response.content.decode()
    assert m.TestOrder.objects.filter(reason=m.OrderReason.POOL_RETEST).count() == 2
    # commune officers see the lab of their commune but do not work in it
    login(client, cast.cuong, cast)
    assert client.get(url).status_code == 200
    assert client.post(url, {"action": "receive", "code": "D0"}).status_code == 403
    login(client, cast.chi, cast)
    assert client.get(url).status_code == 404


def test_import_page_lists_row_errors_T3(client: Client, cast: Any, lab: m.Lab) -> None:
    from django.core.files.uploadedfile import SimpleUploadedFile

    login(client, cast.alice, cast)
    url = reverse("testing:lab-import", args=[lab.uid])
    assert client.get(url).status_code == 200
    bad = SimpleUploadedFile("kq.csv", "Mã mẫu,Kết quả\nKHONG-CO,âm tính\n".encode())
    body = client.post(url, {"file": bad}).content.decode()
    assert "Không có mẫu hoặc mẫu gộp mã" in body
    assert "KHONG-CO" in body
    wrong = SimpleUploadedFile("kq.csv", "Tên,Tuổi\nA,1\n".encode())
    assert client.post(url, {"file": wrong}).status_code == 200


def test_rules_page_lists_uncertain_rules_and_only_province_admin_edits_T1(client: Client, cast: Any) -> None:
    login(client, cast.cuong, cast)
    body = client.get(reverse("testing:rules")).content.decode()
    assert "600/CĐ-BCĐ" in body
    assert "chưa chắc chắn" in body
    assert "1, 14, 20" in body
    assert client.post(reverse("testing:rules"), {}).status_code == 403
    login(client, cast.alice, cast)
    data = {
        "trigger": "new_hire",
        "kind": "pcr",
        "due_within_days": "2",
        "applies_to": "any",
        "effective_from": "2022-01-01",
        "source": "",
    }
    body = client.post(reverse("testing:rules"), data).content.decode()
    assert m.MandatoryTestRule.objects.filter(effective_from="2022-01-01").count() == 0
    assert "errorlist" in body
    data["source"] = "Quyết định 99/QĐ-UBND"
    assert client.post(reverse("testing:rules"), data).status_code == 302
    rule = m.MandatoryTestRule.objects.get(source="Quyết định 99/QĐ-UBND")
    edit = reverse("testing:rule-edit", args=[rule.uid])
    assert client.get(edit).status_code == 200
    assert client.post(edit, {**data, "due_within_days": "4"}).status_code == 302
    rule.refresh_from_db()
    assert rule.due_within_days == 4


def test_person_page_shows_the_testing_panel_T1(client: Client, cast: Any, resident: Callable[..., Person]) -> None:
    person = resident()
    order = overdue_order(person)
    login(client, cast.cuong, cast)
    body = client.get(reverse("people:detail", args=[person.uid])).content.decode()
    assert "Xét nghiệm" in body
    assert reverse("testing:order", args=[order.uid]) in body


def test_api_lists_are_scoped_and_the_detail_is_audited_T3(
    client: Client, tree: Any, cast: Any, lab: m.Lab, resident: Callable[..., Person], sampled: Callable[..., m.Sample]
) -> None:
    order = overdue_order(resident())
    far = overdue_order(resident(unit=tree.quang_vinh), key="far")
    sample = sampled()
    s.result_enter(actor=None, code=sample.code, outcome="negative")
    login(client, cast.cuong, cast)
    data = client.get("/api/v1/testing/orders/", {"overdue": "1"}).json()
    assert [row["uid"] for row in data["results"]] == [str(order.uid)]
    assert data["results"][0]["overdue"] is True
    assert client.get(f"/api/v1/testing/orders/{far.uid}/").status_code == 404
    assert client.get(f"/api/v1/testing/orders/{order.uid}/").json()["reason"] == "new_hire"
    assert AuditLog.objects.filter(action="read", object_uid=str(order.uid)).count() == 1
    assert client.get("/api/v1/testing/samples/").json()["results"][0]["code"] == sample.code
    assert client.get("/api/v1/testing/results/").json()["results"][0]["outcome"] == "negative"
    labs = client.get("/api/v1/testing/labs/").json()["results"]
    assert labs[0]["name"] == lab.name
    assert labs[0]["used_today_pcr"] == 1
    assert client.get("/api/v1/testing/pools/").status_code == 200
    assert len(client.get("/api/v1/testing/rules/").json()["results"]) >= 8
    login(client, cast.chi, cast)
    assert client.get("/api/v1/testing/labs/").json()["results"] == []
    assert client.get("/api/v1/testing/samples/").json()["results"] == []


def test_schema_lists_the_testing_api_T3(client: Client, cast: Any) -> None:
    login(client, cast.alice, cast)
    body = client.get("/api/schema/").content.decode()
    for path in (
        "/api/v1/testing/orders/",
        "/api/v1/testing/labs/",
        "/api/v1/testing/results/",
        "/api/v1/testing/rules/",
    ):
        assert path in body


def test_officer_orders_a_test_by_hand_with_a_reason_T1(
    client: Client, cast: Any, resident: Callable[..., Person]
) -> None:
    person = resident()
    login(client, cast.cuong, cast)
    url = f"{reverse('testing:order-create')}?person={person.uid}"
    assert reverse("testing:order-create") in client.get(reverse("people:detail", args=[person.uid])).content.decode()
    body = client.post(url, {"kind": "pcr", "due_on": timezone.localdate().isoformat(), "note": ""}).content.decode()
    assert "errorlist" in body
    long_ago = (timezone.localdate() - timedelta(days=30)).isoformat()
    body = client.post(url, {"kind": "pcr", "due_on": long_ago, "note": "Tiếp xúc gần"}).content.decode()
    assert "không được sớm hơn 7 ngày" in body
    assert not m.TestOrder.objects.exists()
    response = client.post(url, {"kind": "pcr", "due_on": timezone.localdate().isoformat(), "note": "Tiếp xúc gần"})
    order = m.TestOrder.objects.get()
    assert response.status_code == 302
    assert (order.reason, order.kind, order.note, order.created_by) == ("manual", "pcr", "Tiếp xúc gần", cast.cuong)
    login(client, cast.chi, cast)
    assert client.get(url).status_code == 404
    login(client, cast.hoa, cast)
    assert client.get(url).status_code == 403


def test_api_enters_a_lab_result_with_validation_T3(
    client: Client, cast: Any, lab: m.Lab, sampled: Callable[..., m.Sample]
) -> None:
    sample = sampled()
    login(client, cast.cuong, cast)
    assert client.post("/api/v1/testing/results/", {"code": sample.code, "outcome": "negative"}).status_code == 403
    login(client, cast.alice, cast)
    bad = client.post("/api/v1/testing/results/", {"code": sample.code, "outcome": "positive", "ct_value": "46"})
    assert bad.status_code == 400
    assert "ct_value" in str(bad.json())
    unknown = client.post("/api/v1/testing/results/", {"code": "KHONG-CO", "outcome": "negative"})
    assert unknown.status_code == 400
    ok = client.post("/api/v1/testing/results/", {"code": sample.code, "outcome": "positive", "ct_value": "20.5"})
    assert ok.status_code == 201
    assert ok.json()["outcome"] == "positive"
    from phongdich.cases.models import Case

    assert Case.objects.filter(person=sample.order.person, status="confirmed").exists()


def test_organisation_head_sees_the_orders_of_their_staff_only_T1(
    client: Client, tree: Any, cast: Any, resident: Callable[..., Person]
) -> None:
    staff = overdue_order(resident(full_name="Vũ Thị Công Nhân"), key="staff", organisation=cast.enterprise)
    overdue_order(resident(full_name="Ngô Văn Người Khác"), key="other")
    login(client, cast.oanh, cast)
    body = client.get(reverse("testing:orders")).content.decode()
    assert "Vũ Thị Công Nhân" in body
    assert "Ngô Văn Người Khác" not in body
    assert client.get(reverse("testing:order", args=[staff.uid])).status_code == 200
