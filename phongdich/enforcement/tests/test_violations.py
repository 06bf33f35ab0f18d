"""Violations (G3, G5): individuals (in the registry or by name) and organisations, the regulation breached,
the sanction; publication only with a decision, a person's name only when the decision says so; the public
page shows only the published ones and no personal identifiers; scope, export (audited), API."""

from __future__ import annotations

import io
from datetime import date, timedelta
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook
from rest_framework.test import APIClient

from phongdich.core.errors import ValidationFailed
from phongdich.core.models import AuditLog
from phongdich.enforcement.models import Regulation, Violation
from phongdich.enforcement.services import gathering_register, violation_publish, violation_record
from phongdich.people.tests.factories import PersonFactory

pytestmark = pytest.mark.django_db


def yesterday() -> date:
    return timezone.localdate() - timedelta(days=1)


@pytest.fixture
def offender(tree: Any) -> Any:
    return PersonFactory(
        full_name="Phạm Văn Khẩu",
        residence_unit=tree.xom1,
        with_cccd=True,
        phone="0987654321",
        address="Số 99 đường Dương Tự Minh",
    )


def fine_no_mask(actor: Any, tree: Any, person: Any, **extra: Any) -> Violation:
    values: dict[str, Any] = {
        "offender_kind": "individual",
        "person": person,
        "unit": tree.xom1,
        "kind": "no_mask",
        "occurred_on": yesterday(),
        "regulation": Regulation.objects.get(code="nd117-d12-k1a"),
        "sanction": "fine",
        "fine_amount": 2_000_000,
        "decision_number": "15/QĐ-XPHC",
        "decision_date": yesterday(),
    }
    values.update(extra)
    return violation_record(actor=actor, **values)


def test_g3_record_individual_organisation_and_sanction_rules_G3_G5(tree: Any, cast: Any, offender: Any) -> None:
    v = fine_no_mask(cast.cuong, tree, offender)
    assert v.offender_name == "Phạm Văn Khẩu"
    assert v.commune == tree.quan_trieu
    assert v.fine_amount == 2_000_000
    by_name = violation_record(
        actor=cast.cuong,
        offender_kind="individual",
        offender_name="Người không rõ",
        unit=tree.quan_trieu,
        kind="false_declaration",
        occurred_on=yesterday(),
        sanction="warning",
    )
    assert by_name.person is None
    shop = violation_record(
        actor=cast.alice,
        offender_kind="organisation",
        organisation=cast.enterprise,
        unit=tree.dac_son,
        kind="price_gouging",
        occurred_on=yesterday(),
        sanction="discipline_head",
        head_disciplined="Giám đốc: khiển trách",
        regulation=Regulation.objects.get(code="nd109-2013-gia"),
    )
    assert shop.offender_name == "Công ty TNHH Mẫu"
    gathering = gathering_register(
        actor=cast.cuong,
        kind="wedding",
        title="Đám cưới",
        unit=tree.xom1,
        address="Xóm 1",
        event_date=timezone.localdate(),
        expected_attendance=200,
        organiser_name="Ông Hỷ",
    )
    linked = violation_record(
        actor=cast.cuong,
        offender_kind="individual",
        offender_name="Ông Hỷ",
        unit=tree.xom1,
        kind="illegal_gathering",
        occurred_on=yesterday(),
        gathering=gathering,
        sanction="none",
    )
    assert linked.gathering == gathering
    refused = [
        ({"sanction": "fine", "fine_amount": None}, "fine_amount"),
        ({"sanction": "warning", "fine_amount": 500_000}, "fine_amount"),
        ({"sanction": "discipline_head", "fine_amount": None}, "head_disciplined"),
        ({"kind": "smuggling"}, "kind"),
        ({"occurred_on": timezone.localdate() + timedelta(days=1)}, "occurred_on"),
        ({"trip_reference": "Chuyến Hà Nội 06/11"}, "trip_reference"),  # only with unapproved travel
        ({"gathering": gathering}, "gathering"),  # only with an illegal gathering
        ({"unit": tree.city}, "unit"),
    ]
    count = Violation.objects.count()
    for change, field in refused:
        with pytest.raises(ValidationFailed) as caught:
            fine_no_mask(cast.cuong, tree, offender, **change)
        assert caught.value.field == field, change
    travel = fine_no_mask(cast.cuong, tree, offender, kind="unapproved_travel", trip_reference="Chuyến Hà Nội 06/11")
    assert travel.trip_reference == "Chuyến Hà Nội 06/11"
    with pytest.raises(Exception) as denied:
        fine_no_mask(cast.chi, tree, offender)
    assert denied.type.__name__ == "PermissionDenied"
    assert Violation.objects.count() == count + 1


def test_g3_public_page_only_published_no_identifiers_name_when_decided_G3(
    client: Client, tree: Any, cast: Any, offender: Any
) -> None:
    hidden = fine_no_mask(cast.cuong, tree, offender)  # published, name not published
    named_person = PersonFactory(full_name="Hoàng Thị Công Khai", residence_unit=tree.xom1, with_cccd=True)
    named = fine_no_mask(cast.cuong, tree, named_person)
    unpublished_person = PersonFactory(full_name="Đỗ Văn Chưa", residence_unit=tree.xom1)
    unpublished = fine_no_mask(cast.cuong, tree, unpublished_person)
    no_decision = fine_no_mask(cast.cuong, tree, unpublished_person, decision_number="")
    shop = violation_record(
        actor=cast.alice,
        offender_kind="organisation",
        organisation=cast.enterprise,
        unit=tree.dac_son,
        kind="counterfeit_supplies",
        occurred_on=yesterday(),
        sanction="fine",
        fine_amount=30_000_000,
        decision_number="7/QĐ-XPHC",
    )
    violation_publish(actor=cast.cuong, violation=hidden, publish=True)
    violation_publish(actor=cast.cuong, violation=named, publish=True, name_published=True)
    violation_publish(actor=cast.alice, violation=shop, publish=True)
    with pytest.raises(ValidationFailed):  # no decision, no publication
        violation_publish(actor=cast.cuong, violation=no_decision, publish=True)
    with pytest.raises(Exception) as denied:
        violation_publish(actor=cast.chi, violation=unpublished, publish=True)
    assert denied.type.__name__ == "PermissionDenied"
    page = client.get(reverse("violations-public:list")).content.decode()  # anonymous
    assert "Hoàng Thị Công Khai" in page
    assert "Công ty TNHH Mẫu" in page
    assert "Cá nhân (không công bố tên)" in page
    assert "Phường Quán Triều" in page
    assert "Xã Đắc Sơn" in page
    for secret in (
        offender.full_name,
        offender.cccd,
        named_person.cccd,
        offender.phone,
        "Dương Tự Minh",
        "Tổ dân phố 1",  # nothing finer than the commune
        "Đỗ Văn Chưa",
    ):
        assert secret not in page, secret
    api = APIClient()
    rows = api.get(reverse("api:enforcement-public-violations")).json()["results"]
    assert sorted(r["offender"] for r in rows) == sorted(
        ["Cá nhân (không công bố tên)", "Hoàng Thị Công Khai", "Công ty TNHH Mẫu"]
    )
    assert all(set(r) >= {"commune", "sanction"} and "cccd" not in r and "phone" not in r for r in rows)
    # Withdrawn: gone from the page.
    violation_publish(actor=cast.cuong, violation=named, publish=False)
    assert "Hoàng Thị Công Khai" not in client.get(reverse("violations-public:list")).content.decode()


def test_g3_pages_scope_export_and_api_G3_G5(client: Client, tree: Any, cast: Any, offender: Any) -> None:
    assert client.login(username="cuong", password=cast.password)
    response = client.post(
        reverse("enforcement:violation-create"),
        {
            "offender_kind": "individual",
            "person_cccd": offender.cccd,
            "unit": str(tree.xom1.uid),
            "kind": "no_mask",
            "regulation": "nd117-d12-k1a",
            "occurred_on": yesterday().isoformat(),
            "sanction": "fine",
            "fine_amount": "1000000",
            "decision_number": "21/QĐ-XPHC",
        },
    )
    assert response.status_code == 302, response.content.decode()[-2000:]
    v = Violation.objects.get()
    assert v.person == offender
    detail = client.get(reverse("enforcement:violation", args=[v.uid]))
    assert "Phạm Văn Khẩu" in detail.content.decode()
    assert AuditLog.objects.filter(action="read", object_uid=str(v.uid)).exists()  # a person's record read
    response = client.post(reverse("enforcement:violation-publish", args=[v.uid]), {"publish": "yes"})
    v.refresh_from_db()
    assert v.published
    assert not v.name_published
    # Bad input on the form: Vietnamese message, nothing stored.
    response = client.post(
        reverse("enforcement:violation-create"),
        {
            "offender_kind": "individual",
            "offender_name": "A",
            "unit": str(tree.xom1.uid),
            "kind": "no_mask",
            "occurred_on": yesterday().isoformat(),
            "sanction": "fine",
        },
    )
    assert response.status_code == 200
    assert "Nhập số tiền phạt" in response.content.decode()
    assert Violation.objects.count() == 1
    other = violation_record(
        actor=cast.alice,
        offender_kind="individual",
        offender_name="Ngoài phạm vi",
        unit=tree.dac_son,
        kind="no_mask",
        occurred_on=yesterday(),
        sanction="warning",
    )
    listing = client.get(reverse("enforcement:violations")).content.decode()
    assert "Phạm Văn Khẩu" in listing
    assert "Ngoài phạm vi" not in listing
    assert client.get(reverse("enforcement:violation", args=[other.uid])).status_code == 404
    before = AuditLog.objects.filter(action="export").count()
    response = client.get(reverse("enforcement:violations-export"), {"published": "yes"})
    sheet = load_workbook(io.BytesIO(response.content)).active
    assert [r[2] for r in sheet.iter_rows(min_row=2, values_only=True)] == ["Phạm Văn Khẩu"]
    assert AuditLog.objects.filter(action="export").count() == before + 1
    api = APIClient()
    api.force_authenticate(cast.cuong)
    created = api.post(
        reverse("api:enforcement-violations"),
        {
            "offender_kind": "organisation",
            "offender_name": "Nhà thuốc Minh Tâm",
            "unit": str(tree.quan_trieu.uid),
            "kind": "price_gouging",
            "occurred_on": yesterday().isoformat(),
            "sanction": "fine",
            "fine_amount": 5000000,
            "regulation": "nd109-2013-gia",
        },
        format="json",
    )
    assert created.status_code == 201, created.content
    assert created.json()["regulation"] == "nd109-2013-gia"
    bad = api.post(
        reverse("api:enforcement-violations"),
        {
            "offender_kind": "x",
            "offender_name": "A",
            "unit": str(tree.quan_trieu.uid),
            "kind": "no_mask",
            "occurred_on": yesterday().isoformat(),
            "regulation": "khong-co",
        },
        format="json",
    )
    assert bad.status_code == 400
    assert {"offender_kind", "regulation"} <= set(bad.json())
    names = [r["offender_name"] for r in api.get(reverse("api:enforcement-violations")).json()["results"]]
    assert sorted(names) == ["Nhà thuốc Minh Tâm", "Phạm Văn Khẩu"]
    regulations = api.get(reverse("api:enforcement-regulations")).json()
    assert any(r["code"] == "nd117-d12-k1a" and r["fine_min"] == 1_000_000 for r in regulations)
    assert any(r["uncertain"] for r in regulations)


def test_g3_unapproved_travel_links_the_trip_of_the_travel_app_G3(tree: Any, cast: Any) -> None:
    from datetime import datetime

    from phongdich.people.tests.factories import StaffMembershipFactory
    from phongdich.travel.models import Trip

    membership = StaffMembershipFactory(
        person=PersonFactory(full_name="Vũ Văn Đi", residence_unit=tree.xom1), organisation=cast.enterprise
    )
    depart = timezone.make_aware(datetime.combine(yesterday() - timedelta(days=2), datetime.min.time()))
    trip = Trip.objects.create(
        traveller=membership.person,
        membership=membership,
        organisation=cast.enterprise,
        kind="country",
        country="LA",
        depart_at=depart,
        return_at=depart + timedelta(days=1),
        purpose="Việc riêng",
        status="unapproved",
    )
    v = violation_record(
        actor=cast.cuong,
        offender_kind="individual",
        unit=tree.xom1,
        kind="unapproved_travel",
        occurred_on=yesterday(),
        trip=trip,
        sanction="warning",
    )
    assert v.person == membership.person
    assert v.offender_name == "Vũ Văn Đi"
    with pytest.raises(ValidationFailed) as caught:  # a trip goes with unapproved travel only
        violation_record(
            actor=cast.cuong,
            offender_kind="individual",
            unit=tree.xom1,
            kind="no_mask",
            occurred_on=yesterday(),
            trip=trip,
        )
    assert caught.value.field == "trip"
    with pytest.raises(ValidationFailed) as outside:  # chi does not see the traveller
        violation_record(
            actor=cast.chi,
            offender_kind="individual",
            unit=tree.quang_vinh,
            kind="unapproved_travel",
            occurred_on=yesterday(),
            trip=trip,
        )
    assert outside.value.field == "trip"
    api = APIClient()
    api.force_authenticate(cast.cuong)
    created = api.post(
        reverse("api:enforcement-violations"),
        {
            "offender_kind": "individual",
            "offender_name": "Vũ Văn Đi",
            "unit": str(tree.xom1.uid),
            "kind": "unapproved_travel",
            "occurred_on": yesterday().isoformat(),
            "trip": str(trip.uid),
        },
        format="json",
    )
    assert created.status_code == 201, created.content
    assert created.json()["trip"] == str(trip.uid)
    client = Client()
    assert client.login(username="cuong", password=cast.password)
    page = client.get(reverse("enforcement:violation", args=[v.uid])).content.decode()
    assert reverse("travel:detail", args=[trip.uid]) in page


def test_g3_person_page_panel_lists_their_violations_G3(client: Client, tree: Any, cast: Any, offender: Any) -> None:
    v = fine_no_mask(cast.cuong, tree, offender)
    assert client.login(username="cuong", password=cast.password)
    page = client.get(reverse("people:detail", args=[offender.uid])).content.decode()
    assert "Vi phạm quy định phòng, chống dịch" in page
    assert reverse("enforcement:violation", args=[v.uid]) in page
    other = PersonFactory(residence_unit=tree.xom1)
    assert (
        "Vi phạm quy định phòng, chống dịch"
        not in client.get(reverse("people:detail", args=[other.uid])).content.decode()
    )
