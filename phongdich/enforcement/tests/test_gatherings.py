"""Gatherings (G1): the cap resolved from the data in force at the place (control zone, epidemic level, the
21/03/2020 rule), registration within or over the cap, the commune's decision and its notifications, the
list per commune and week (scoped), the Excel export (audited), the API."""

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
from phongdich.enforcement.models import Gathering, GatheringStatus
from phongdich.enforcement.selectors import cap_for
from phongdich.enforcement.services import gathering_decide, gathering_register
from phongdich.levels.models import LevelDecision
from phongdich.notifications.models import Notification
from phongdich.zones.control_services import zone_create
from phongdich.zones.models import MeasureSet

pytestmark = pytest.mark.django_db


def login(client: Client, user: Any, cast: Any) -> Client:
    assert client.login(username=user.username, password=cast.password)
    return client


def soon(days: int = 3) -> date:
    return timezone.localdate() + timedelta(days=days)


def register(actor: Any, unit: Any, expected: int, **extra: Any) -> Gathering:
    values: dict[str, Any] = {
        "kind": "wedding",
        "title": "Đám cưới nhà ông Tư",
        "address": "Số 5 ngõ 12",
        "event_date": soon(),
        "organiser_name": "Nguyễn Văn Tư",
        "organiser_phone": "0912345678",
    }
    values.update(extra)
    return gathering_register(actor=actor, unit=unit, expected_attendance=expected, **values)


def set_level(unit: Any, level: int) -> None:
    at = timezone.now() - timedelta(days=1)
    LevelDecision.objects.create(unit=unit, level=level, computed_level=level, published_at=at, effective_from=at)


def test_g1_cap_from_the_dated_rule_then_the_level_then_a_zone_G1(tree: Any) -> None:
    day = soon()
    # Nothing but the 21/03/2020 rule (seeded): weddings and funerals ≤ 50; other events: no cap.
    assert cap_for(unit=tree.xom1, kind="wedding", on=day).cap == 50
    assert cap_for(unit=tree.xom1, kind="other", on=day).cap is None
    # Level 3 in force at the commune (a hamlet has its commune's level): its measure set's cap, flagged.
    set_level(tree.quan_trieu, 3)
    decision = cap_for(unit=tree.xom1, kind="wedding", on=day)
    assert (decision.cap, decision.uncertain) == (20, True)
    assert "cấp độ 3" in decision.source
    assert cap_for(unit=tree.xom1, kind="wedding", on=day, indoors=False).cap == 30
    assert cap_for(unit=tree.quang_vinh, kind="wedding", on=day).cap == 50  # no level there
    # A lockdown zone over the district under Directive 16: 2 people, for every commune of it.
    zone_create(
        actor=None,
        name="Giãn cách TP Thái Nguyên",
        zone_kind="social_distancing",
        area="units",
        measure_set=MeasureSet.objects.get(code="ct16"),
        start_date=timezone.localdate(),
        decision_number="12/QĐ-UBND",
        issuing_authority="UBND tỉnh",
        units=[tree.city],
    )
    assert cap_for(unit=tree.xom1, kind="wedding", on=day).cap == 2
    assert cap_for(unit=tree.quang_vinh, kind="funeral", on=day).cap == 2
    assert cap_for(unit=tree.dac_son, kind="wedding", on=day).cap == 50  # Phổ Yên is outside the zone


def test_g1_within_the_cap_no_approval_over_it_the_commune_decides_G1(
    tree: Any, cast: Any, django_capture_on_commit_callbacks: Any
) -> None:
    small = register(cast.hoa, tree.xom1, 40)
    assert small.status == GatheringStatus.REGISTERED
    assert small.cap == 50
    assert small.commune == tree.quan_trieu
    with django_capture_on_commit_callbacks(execute=True):
        big = register(cast.hoa, tree.xom1, 120, title="Đám cưới lớn")
    assert big.status == GatheringStatus.PENDING
    # The commune's officers are told it waits for them.
    assert Notification.objects.filter(recipient=cast.cuong, kind="gathering_pending").count() == 1
    assert not Notification.objects.filter(recipient=cast.chi).exists()
    # The hamlet head registered it but may not approve; nor may another commune's officer.
    for outsider in (cast.hoa, cast.chi):
        with pytest.raises(Exception) as caught:
            gathering_decide(actor=outsider, gathering=big, approve=True)
        assert caught.type.__name__ == "PermissionDenied"
    # Refusing needs a reason.
    with pytest.raises(ValidationFailed):
        gathering_decide(actor=cast.cuong, gathering=big, approve=False, reason=" ")
    with django_capture_on_commit_callbacks(execute=True):
        gathering_decide(actor=cast.cuong, gathering=big, approve=False, reason="Vượt quá 50 người, đề nghị thu gọn.")
    big.refresh_from_db()
    assert big.status == GatheringStatus.REFUSED
    assert big.decided_by == cast.cuong
    assert Notification.objects.filter(recipient=cast.hoa, kind="gathering_decided").exists()
    # A decided event is not decided twice; one within the cap never waits.
    with pytest.raises(ValidationFailed):
        gathering_decide(actor=cast.cuong, gathering=big, approve=True)
    with pytest.raises(ValidationFailed):
        gathering_decide(actor=cast.cuong, gathering=small, approve=True)
    assert AuditLog.objects.filter(object_uid=str(big.uid), action="update").count() == 1


def test_g1_bad_input_refused_in_vietnamese_nothing_stored_G1(tree: Any, cast: Any) -> None:
    cases = [
        ({"unit": tree.city}, "unit"),  # a district is not a place of an event
        ({"expected": 0}, "expected_attendance"),
        ({"event_date": timezone.localdate() - timedelta(days=1)}, "event_date"),
        ({"organiser_phone": "12345"}, "organiser_phone"),
        ({"kind": "party"}, "kind"),
        ({"title": " "}, "title"),
    ]
    for change, field in cases:
        unit = change.pop("unit", tree.quan_trieu)
        expected = change.pop("expected", 10)
        with pytest.raises(ValidationFailed) as caught:
            register(cast.cuong, unit, expected, **change)
        assert caught.value.field == field
    with pytest.raises(Exception) as denied:
        register(cast.cuong, tree.dac_son, 10)  # outside cuong's commune
    assert denied.type.__name__ == "PermissionDenied"
    assert not Gathering.objects.exists()


def test_g1_pages_register_decide_list_per_commune_and_week_and_export_G1(client: Client, tree: Any, cast: Any) -> None:
    login(client, cast.cuong, cast)
    day = soon(2)
    response = client.post(
        reverse("enforcement:gathering-create"),
        {
            "kind": "funeral",
            "title": "Đám tang cụ Mão",
            "unit": str(tree.xom1.uid),
            "address": "Xóm 1",
            "event_date": day.isoformat(),
            "indoors": "on",
            "expected_attendance": "80",
            "organiser_name": "Trần Văn Mão",
        },
    )
    assert response.status_code == 302
    funeral = Gathering.objects.get(title="Đám tang cụ Mão")
    assert funeral.status == GatheringStatus.PENDING
    page = client.get(reverse("enforcement:gathering", args=[funeral.uid])).content.decode()
    assert "Xã phê duyệt" in page
    assert "50" in page
    response = client.post(reverse("enforcement:gathering-decide", args=[funeral.uid]), {"decision": "approve"})
    assert response.status_code == 302
    funeral.refresh_from_db()
    assert funeral.status == GatheringStatus.APPROVED
    # Bad input: the form says so in Vietnamese, nothing stored.
    response = client.post(
        reverse("enforcement:gathering-create"),
        {
            "kind": "wedding",
            "title": "X",
            "unit": str(tree.xom1.uid),
            "address": "A",
            "event_date": day.isoformat(),
            "expected_attendance": "0",
            "organiser_name": "B",
        },
    )
    assert response.status_code == 200
    assert "lớn hơn hoặc bằng" in response.content.decode()
    assert Gathering.objects.count() == 1
    # Another commune's gathering, another week's.
    other = register(cast.alice, tree.dac_son, 10, title="Đám cưới Đắc Sơn", event_date=day)
    later = register(cast.alice, tree.quan_trieu, 10, title="Đám cưới tuần sau", event_date=day + timedelta(days=7))
    listing = client.get(
        reverse("enforcement:gatherings"), {"commune": str(tree.quan_trieu.uid), "week": day.isoformat()}
    ).content.decode()
    assert "Đám tang cụ Mão" in listing
    assert later.title not in listing
    assert other.title not in listing
    # Scope: cuong never sees Đắc Sơn's events, even unfiltered; its detail page is a 404.
    assert other.title not in client.get(reverse("enforcement:gatherings")).content.decode()
    assert client.get(reverse("enforcement:gathering", args=[other.uid])).status_code == 404
    # The export is the filtered list, audited.
    before = AuditLog.objects.filter(action="export").count()
    response = client.get(
        reverse("enforcement:gatherings-export"), {"commune": str(tree.quan_trieu.uid), "week": day.isoformat()}
    )
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(response.content)).active
    titles = [row[2] for row in sheet.iter_rows(min_row=2, values_only=True)]
    assert titles == ["Đám tang cụ Mão"]
    assert AuditLog.objects.filter(action="export").count() == before + 1


def test_g1_api_register_decide_cap_and_list_G1(tree: Any, cast: Any) -> None:
    api = APIClient()
    api.force_authenticate(cast.cuong)
    payload = {
        "kind": "wedding",
        "title": "Đám cưới qua API",
        "unit": str(tree.quan_trieu.uid),
        "address": "Tổ 3",
        "event_date": soon().isoformat(),
        "expected_attendance": 60,
        "organiser_name": "Lê Văn Hỷ",
    }
    response = api.post(reverse("api:enforcement-gatherings"), payload, format="json")
    assert response.status_code == 201, response.content
    assert response.json()["status"] == "pending"
    assert response.json()["cap"] == 50
    uid = response.json()["uid"]
    response = api.post(reverse("api:enforcement-gathering-decision", args=[uid]), {"approve": False}, format="json")
    assert response.status_code == 400
    assert "lý do" in response.json()["reason"][0]
    response = api.post(
        reverse("api:enforcement-gathering-decision", args=[uid]), {"approve": True, "reason": ""}, format="json"
    )
    assert response.status_code == 200
    assert response.json()["status"] == "approved"
    bad = api.post(reverse("api:enforcement-gatherings"), {**payload, "kind": "party"}, format="json")
    assert bad.status_code == 400
    assert "kind" in bad.json()
    outside = api.post(reverse("api:enforcement-gatherings"), {**payload, "unit": str(tree.dac_son.uid)}, format="json")
    assert outside.status_code == 400
    assert "unit" in outside.json()
    cap = api.get(reverse("api:enforcement-gathering-cap"), {"unit": str(tree.xom1.uid), "kind": "funeral"})
    assert cap.status_code == 200
    assert cap.json()["cap"] == 50
    listed = api.get(reverse("api:enforcement-gatherings"), {"commune": str(tree.quan_trieu.uid)})
    assert [g["title"] for g in listed.json()["results"]] == ["Đám cưới qua API"]
    chi = APIClient()
    chi.force_authenticate(cast.chi)
    assert chi.get(reverse("api:enforcement-gatherings")).json()["results"] == []


def test_g1_page_of_an_event_organised_by_a_registered_person_is_an_audited_read_G1(
    client: Client, tree: Any, cast: Any
) -> None:
    from phongdich.people.tests.factories import PersonFactory

    person = PersonFactory(residence_unit=tree.xom1)
    gathering = register(cast.cuong, tree.xom1, 10, organiser=person)
    plain = register(cast.cuong, tree.xom1, 10, title="Không có hồ sơ")
    login(client, cast.cuong, cast)
    assert client.get(reverse("enforcement:gathering", args=[gathering.uid])).status_code == 200
    assert client.get(reverse("enforcement:gathering", args=[plain.uid])).status_code == 200
    reads = AuditLog.objects.filter(action="read", object_type="enforcement.gathering")
    assert [r.object_uid for r in reads] == [str(gathering.uid)]
    assert reads.get().detail["person"] == str(person.uid)
