"""Vaccination pages and API (V1, V2): scoped dose list with audited export, recording a dose (form and
API) with the refusal shown, the person panel, coverage page with drill-down and audited export, adverse
events (report, audited detail, follow-up, causality by a reviewer only), priority lists and assignment."""

from __future__ import annotations

import io
from datetime import date, timedelta
from typing import Any

import openpyxl
import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from phongdich.core.models import AuditLog
from phongdich.orgs.models import Role
from phongdich.orgs.services import role_assign
from phongdich.people.tests.factories import PersonFactory
from phongdich.vaccination import services as s
from phongdich.vaccination.models import AdverseEvent, Dose, PriorityAssignment, PriorityGroup, VaccineProduct

pytestmark = pytest.mark.django_db
DAY = date(2021, 8, 2)


def login(client: Client, user: Any, cast: Any) -> Client:
    assert client.login(username=user.username, password=cast.password)
    return client


def dose(person: Any, day: date = DAY, code: str = "astrazeneca") -> Dose:
    return s.dose_record(actor=None, person=person, product=VaccineProduct.objects.get(code=code), given_on=day)


def test_dose_list_is_scoped_and_export_is_audited_V1(client: Client, tree: Any, cast: Any) -> None:
    dose(PersonFactory(residence_unit=tree.xom1, full_name="Trần Thị Xóm Một"))
    dose(PersonFactory(residence_unit=tree.quang_vinh, full_name="Lê Văn Quang Vinh"))
    login(client, cast.cuong, cast)
    body = client.get(reverse("vaccination:doses")).content.decode()
    assert "Trần Thị Xóm Một" in body
    assert "Lê Văn Quang Vinh" not in body
    response = client.get(reverse("vaccination:doses-export"))
    assert response.status_code == 200
    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
    names = [row[0] for row in sheet.iter_rows(min_row=2, values_only=True)]
    assert names == ["Trần Thị Xóm Một"]
    assert AuditLog.objects.filter(actor=cast.cuong, action="export", object_type="vaccination.dose").exists()
    client.logout()
    login(client, cast.dan, cast)
    body = client.get(reverse("vaccination:doses"), {"unit": str(tree.quang_vinh.uid)}).content.decode()
    assert "Lê Văn Quang Vinh" in body
    assert "Trần Thị Xóm Một" not in body


def test_dose_list_pages_by_keyset_V1(client: Client, tree: Any, cast: Any) -> None:
    for i in range(3):
        dose(PersonFactory(residence_unit=tree.quan_trieu), day=DAY - timedelta(days=i))
    from phongdich.vaccination.selectors import dose_page

    first = dose_page(user=cast.cuong, size=2)
    assert len(first.items) == 2
    assert first.next_after is not None
    second = dose_page(user=cast.cuong, size=2, after=first.next_after)
    assert len(second.items) == 1
    assert second.next_after is None
    assert second.items[0].given_on == DAY - timedelta(days=2)


def test_record_a_dose_from_the_person_page_V1(client: Client, tree: Any, cast: Any) -> None:
    person = PersonFactory(residence_unit=tree.quan_trieu, birth_year=1985)
    login(client, cast.cuong, cast)
    body = client.get(reverse("people:detail", args=[person.uid])).content.decode()
    assert "Tiêm chủng" in body
    assert reverse("vaccination:person-dose", args=[person.uid]) in body
    product = VaccineProduct.objects.get(code="moderna")
    url = reverse("vaccination:person-dose", args=[person.uid])
    response = client.post(url, {"product": product.pk, "given_on": "2021-09-01"})
    assert response.status_code == 302
    response = client.post(url, {"product": product.pk, "given_on": "2021-09-10"})
    assert response.status_code == 200
    assert "ít nhất 28 ngày" in response.content.decode()
    assert Dose.objects.filter(person=person).count() == 1
    body = client.get(reverse("people:detail", args=[person.uid])).content.decode()
    assert "Moderna" in body


def test_record_by_cccd_refuses_a_teenager_without_reason_V1(client: Client, tree: Any, cast: Any) -> None:
    teen = PersonFactory(residence_unit=tree.quan_trieu, with_cccd=True, birth_year=2006, birth_date=date(2006, 5, 1))
    login(client, cast.cuong, cast)
    product = VaccineProduct.objects.get(code="pfizer")
    form = {"cccd": teen.cccd, "product": product.pk, "given_on": "2021-11-01"}
    response = client.post(reverse("vaccination:dose-new"), form)
    assert response.status_code == 200
    assert "15 tuổi" in response.content.decode()
    response = client.post(reverse("vaccination:dose-new"), {**form, "exception_reason": "Thí điểm tiêm trẻ 12–17"})
    assert response.status_code == 302
    assert Dose.objects.get(person=teen).exception_reason == "Thí điểm tiêm trẻ 12–17"


def test_hamlet_head_cannot_record_and_out_of_scope_is_404_V1(client: Client, tree: Any, cast: Any) -> None:
    person = PersonFactory(residence_unit=tree.xom1)
    login(client, cast.hoa, cast)
    assert client.get(reverse("vaccination:person-dose", args=[person.uid])).status_code == 403
    client.logout()
    login(client, cast.chi, cast)
    assert client.get(reverse("vaccination:person-dose", args=[person.uid])).status_code == 404
    d = dose(person)
    assert client.get(reverse("vaccination:dose", args=[d.uid])).status_code == 404


def test_coverage_page_drills_down_and_exports_with_audit_V1(client: Client, tree: Any, cast: Any) -> None:
    dose(PersonFactory(residence_unit=tree.xom1, birth_year=1980))
    PersonFactory(residence_unit=tree.quang_vinh, birth_year=1980)
    login(client, cast.alice, cast)
    body = client.get(reverse("vaccination:coverage")).content.decode()
    assert "Thành phố Thái Nguyên" in body
    body = client.get(reverse("vaccination:coverage"), {"unit": str(tree.city.uid)}).content.decode()
    assert "Phường Quán Triều" in body
    assert "100.0 %" in body or "100,0 %" in body
    response = client.get(reverse("vaccination:coverage-export"), {"unit": str(tree.city.uid)})
    assert response.status_code == 200
    assert AuditLog.objects.filter(actor=cast.alice, action="export", object_uid=str(tree.city.uid)).exists()
    client.logout()
    login(client, cast.cuong, cast)
    assert client.get(reverse("vaccination:coverage"), {"unit": str(tree.city.uid)}).status_code == 404


def test_adverse_event_report_follow_up_and_causality_V2(client: Client, tree: Any, cast: Any) -> None:
    person = PersonFactory(residence_unit=tree.quan_trieu)
    d = dose(person)
    login(client, cast.cuong, cast)
    response = client.post(
        reverse("vaccination:event-new", args=[d.uid]),
        {
            "onset_at": "2021-08-01T20:00",
            "symptoms": "Sốt 39 độ",
            "severity": "moderate",
            "reported_by": "Trạm y tế",
            "reported_on": "2021-08-03",
            "outcome": "recovering",
        },
    )
    assert response.status_code == 200
    assert "Thời điểm khởi phát phải từ ngày tiêm (02/08/2021) trở đi." in response.content.decode()
    response = client.post(
        reverse("vaccination:event-new", args=[d.uid]),
        {
            "onset_at": "2021-08-02T20:00",
            "symptoms": "Sốt 39 độ",
            "severity": "moderate",
            "reported_by": "Trạm y tế",
            "reported_on": "2021-08-03",
            "outcome": "recovering",
        },
    )
    event = AdverseEvent.objects.get()
    assert response.status_code == 302
    assert client.get(reverse("vaccination:event", args=[event.uid])).status_code == 200
    assert AuditLog.objects.filter(actor=cast.cuong, action="read", object_uid=str(event.uid)).exists()
    client.post(
        reverse("vaccination:event-follow-up", args=[event.uid]),
        {"on": "2021-08-05", "note": "Hết sốt", "outcome": "recovered"},
    )
    event.refresh_from_db()
    assert event.outcome == "recovered"
    # a commune officer does not classify causality
    response = client.post(
        reverse("vaccination:event-classify", args=[event.uid]),
        {"causality": "product", "review_body": "HĐ", "review_note": "x", "reviewed_on": "2021-08-10"},
    )
    assert response.status_code == 403
    client.logout()
    role_assign(user=cast.dan, role=Role.HEALTH, unit=tree.city)
    login(client, cast.dan, cast)
    client.post(
        reverse("vaccination:event-classify", args=[event.uid]),
        {
            "causality": "product",
            "review_body": "Hội đồng tư vấn chuyên môn tỉnh",
            "review_note": "Sốt sau tiêm, phản ứng thông thường của vắc xin.",
            "reviewed_on": "2021-08-10",
        },
    )
    event.refresh_from_db()
    assert event.causality == "product"
    body = client.get(reverse("vaccination:events"), {"causality": "product"}).content.decode()
    assert person.full_name in body
    assert client.get(reverse("vaccination:events-export")).status_code == 200


def test_priority_assignment_and_counts_V1(client: Client, tree: Any, cast: Any) -> None:
    nurse = PersonFactory(residence_unit=tree.quan_trieu)
    group = PriorityGroup.objects.get(priority_list__code="nq21-2021", code="1a")
    login(client, cast.cuong, cast)
    url = reverse("vaccination:person-priority", args=[nurse.uid])
    response = client.post(url, {"list": "nq21-2021", "group": group.pk, "note": "Điều dưỡng"})
    assert response.status_code == 302
    assert PriorityAssignment.objects.get(person=nurse).group == group
    dose(nurse)
    body = client.get(reverse("vaccination:priority"), {"list": "nq21-2021"}).content.decode()
    assert "Người làm việc trong các cơ sở y tế" in body
    from phongdich.vaccination.selectors import priority_counts

    counts = {c.group.code: c for c in priority_counts(user=cast.cuong, priority_list=group.priority_list)}
    assert (counts["1a"].people, counts["1a"].vaccinated, counts["1a"].full) == (1, 1, 0)
    assert counts["1b"].people == 0
    assert len(counts) == 13
    assert priority_counts(user=cast.chi, priority_list=group.priority_list)[1].people == 0


def test_other_pages_render_V1(client: Client, tree: Any, cast: Any) -> None:
    login(client, cast.alice, cast)
    for name in ("import", "catalogue", "priority", "events", "dose-new"):
        assert client.get(reverse(f"vaccination:{name}")).status_code == 200, name
    assert client.get(reverse("vaccination:import-template")).status_code == 200


def test_api_doses_coverage_and_events_V1(client: Client, tree: Any, cast: Any) -> None:
    person = PersonFactory(residence_unit=tree.quan_trieu)
    login(client, cast.cuong, cast)
    url = reverse("api:vaccination-doses")
    response = client.post(
        url,
        {"person": str(person.uid), "product": "sinopharm", "given_on": "2021-07-01"},
        content_type="application/json",
    )
    assert response.status_code == 201, response.content
    created = response.json()
    assert created["dose_number"] == 1
    response = client.post(
        url,
        {"person": str(person.uid), "product": "sinopharm", "given_on": "2021-07-05"},
        content_type="application/json",
    )
    assert response.status_code == 400
    assert "ít nhất 21 ngày" in response.content.decode()
    listing = client.get(url).json()
    assert [r["uid"] for r in listing["results"]] == [created["uid"]]
    assert client.get(reverse("api:vaccination-dose", args=[created["uid"]])).status_code == 200
    assert AuditLog.objects.filter(actor=cast.cuong, action="read", object_uid=created["uid"]).exists()
    coverage = client.get(reverse("api:vaccination-coverage"), {"on": "2021-12-01"}).json()
    assert coverage["unit"]["name"] == "Phường Quán Triều"
    assert coverage["total"]["adults_one_dose"] == 1
    assert client.get(reverse("api:vaccination-coverage"), {"on": "hôm qua"}).status_code == 400
    response = client.post(
        reverse("api:vaccination-events"),
        {
            "dose": created["uid"],
            "onset_at": "2021-07-01T09:30:00+07:00",
            "symptoms": "Choáng, vã mồ hôi",
            "severity": "mild",
            "reported_by": "Điểm tiêm",
            "reported_on": "2021-07-01",
        },
        content_type="application/json",
    )
    assert response.status_code == 201, response.content
    assert client.get(reverse("api:vaccination-events")).json()["results"][0]["severity"] == "mild"
    lists = client.get(reverse("api:vaccination-priority-lists")).json()["results"]
    assert {pl["code"] for pl in lists} == {"nq21-2021", "ke-hoach-16-nhom-2021"}
    assert client.get(reverse("api:vaccination-products")).status_code == 200
    client.logout()
    login(client, cast.chi, cast)
    assert client.get(reverse("api:vaccination-dose", args=[created["uid"]])).status_code == 404
    assert client.get(url).json()["results"] == []


def test_openapi_schema_lists_vaccination_V1(client: Client, cast: Any) -> None:
    login(client, cast.alice, cast)
    response = client.get(reverse("api-schema"))
    assert response.status_code == 200
    assert b"/api/v1/vaccination/doses/" in response.content


def test_today_default_not_in_future_V1(tree: Any) -> None:
    person = PersonFactory(residence_unit=tree.quan_trieu)
    from phongdich.core.errors import ValidationFailed

    with pytest.raises(ValidationFailed):
        dose(person, day=timezone.localdate() + timedelta(days=1))


def test_import_page_shows_row_errors_and_writes_nothing_V1(client: Client, tree: Any, cast: Any) -> None:
    from django.core.files.uploadedfile import SimpleUploadedFile

    person = PersonFactory(residence_unit=tree.quan_trieu, with_cccd=True)
    login(client, cast.cuong, cast)
    bad = SimpleUploadedFile(
        "mui.csv",
        f"Số CCCD,Vắc xin,Ngày tiêm\n{person.cccd},Moderna,01/07/2021\n{person.cccd},Moderna,05/07/2021\n".encode(),
    )
    response = client.post(reverse("vaccination:import"), {"file": bad})
    body = response.content.decode()
    assert response.status_code == 200
    assert "Tệp có lỗi, chưa ghi dòng nào" in body
    assert "ít nhất 28 ngày" in body
    assert not Dose.objects.exists()
    good = SimpleUploadedFile("mui.csv", f"Số CCCD,Vắc xin,Ngày tiêm\n{person.cccd},Moderna,01/07/2021\n".encode())
    assert client.post(reverse("vaccination:import"), {"file": good}).status_code == 302
    assert Dose.objects.get(person=person).dose_number == 1
