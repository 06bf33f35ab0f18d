"""Trips out of the province (M7): the done-when table (time × approver), the epidemic-area warning, the one-tap
decision, the declaration after the trip leading to a test order, scope, exports, API."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from phongdich.core.errors import ValidationFailed
from phongdich.core.models import AuditAction, AuditLog
from phongdich.notifications.models import Notification
from phongdich.testing.models import OrderReason
from phongdich.testing.models import TestOrder as Order
from phongdich.travel import services
from phongdich.travel.models import PublicHoliday, Trip, TripStatus
from phongdich.travel.selectors import trip_queryset
from phongdich.zones.models import PlaceKind

from .conftest import Staff, last_saturday

pytestmark = pytest.mark.django_db


def aware(text: str) -> datetime:
    return timezone.make_aware(datetime.fromisoformat(text))


def file(staff: Staff, depart: datetime, ret: datetime, *, unit: Any = None, key: str = "worker", **extra: Any) -> Trip:
    return services.trip_file(
        actor=staff.user(key),
        membership=staff.tree.by_key(key),
        kind=PlaceKind.UNIT,
        unit=unit or staff.bac_kan,
        depart_at=depart,
        return_at=ret,
        purpose="Thăm gia đình",
        **extra,
    )


TIMES = {
    "weekday office hours": ("2021-04-14T08:00", "2021-04-14T11:00", False),
    "evening": ("2021-04-14T18:00", "2021-04-14T21:30", True),
    "Saturday": ("2021-04-17T08:00", "2021-04-17T16:00", True),
    "public holiday (Giỗ Tổ, seeded)": ("2021-04-21T08:00", "2021-04-21T11:00", True),
}
APPROVERS = {
    "direct head": ("deputy", True),
    "higher leader (team head)": ("team_head", True),
    "higher leader (director, head of the parent organisation)": ("director", True),
    "peer": ("peer", False),
    "oneself": ("worker", False),
    "outsider (head of another organisation)": ("outsider", False),
}


@pytest.mark.parametrize("when", list(TIMES))
@pytest.mark.parametrize("who", list(APPROVERS))
def test_approval_table_time_by_approver_M7(staff: Staff, when: str, who: str) -> None:
    depart, ret, needs = TIMES[when]
    key, may = APPROVERS[who]
    trip = file(staff, aware(depart), aware(ret))
    assert trip.needs_approval is needs
    if not needs:
        assert trip.status == TripStatus.NOT_REQUIRED
        assert not services.can_decide(staff.user(key), trip)
        return
    assert trip.status == TripStatus.PENDING
    assert services.can_decide(staff.user(key), trip) is may
    if may:
        services.trip_decide(actor=staff.user(key), trip=trip, approve=True)
        assert Trip.objects.get(pk=trip.pk).status == TripStatus.APPROVED
    else:
        with pytest.raises(PermissionDenied):
            services.trip_decide(actor=staff.user(key), trip=trip, approve=True)
        assert Trip.objects.get(pk=trip.pk).status == TripStatus.PENDING


def test_holidays_2020_2022_are_seeded_with_tet_and_uncertain_flags_M7(db: Any) -> None:
    years = {d.year for d in PublicHoliday.objects.values_list("day", flat=True)}
    assert {2020, 2021, 2022} <= years
    assert PublicHoliday.objects.filter(day="2021-02-12", name__icontains="Tết Nguyên đán").exists()
    assert PublicHoliday.objects.filter(uncertain=True).exists()


def test_request_notifies_the_direct_head_with_a_link_to_the_approval_page_M7(
    staff: Staff, django_capture_on_commit_callbacks: Any
) -> None:
    saturday = last_saturday()
    with django_capture_on_commit_callbacks(execute=True):
        trip = file(staff, aware(f"{saturday}T08:00"), aware(f"{saturday}T16:00"), unit=staff.hanoi)
    note = Notification.objects.get(recipient=staff.user("deputy"))
    assert note.link == reverse("travel:decide", kwargs={"uid": trip.uid})
    assert "thứ Bảy" in note.body
    assert "vùng dịch" in note.body
    assert not Notification.objects.filter(recipient=staff.user("peer")).exists()


def test_epidemic_destination_is_warned_only_when_the_dates_overlap_M7(staff: Staff) -> None:
    today = timezone.localdate()
    during = file(
        staff,
        aware(f"{today - timedelta(days=3)}T08:00"),
        aware(f"{today - timedelta(days=3)}T10:00"),
        unit=staff.hanoi,
    )
    before = file(
        staff,
        aware(f"{today - timedelta(days=90)}T08:00"),
        aware(f"{today - timedelta(days=89)}T10:00"),
        unit=staff.hanoi,
    )
    elsewhere = file(staff, aware(f"{today - timedelta(days=3)}T08:00"), aware(f"{today - timedelta(days=3)}T10:00"))
    assert "Thành phố Hà Nội" in during.epidemic_warning
    assert before.epidemic_warning == ""
    assert elsewhere.epidemic_warning == ""


def test_destination_inside_the_province_or_unknown_is_refused_M7(staff: Staff, tree: Any) -> None:
    with pytest.raises(ValidationFailed) as exc:
        file(staff, aware("2021-04-17T08:00"), aware("2021-04-17T16:00"), unit=tree.pho_yen)
    assert exc.value.field == "destination"
    with pytest.raises(ValidationFailed):
        services.trip_file(
            actor=staff.user("worker"),
            membership=staff.tree.worker,
            kind=PlaceKind.COUNTRY,
            country="XX",
            depart_at=aware("2021-04-17T08:00"),
            return_at=aware("2021-04-17T16:00"),
            purpose="Du lịch",
        )
    with pytest.raises(ValidationFailed) as exc:
        file(staff, aware("2021-04-17T16:00"), aware("2021-04-17T08:00"))
    assert exc.value.field == "return_at"
    assert not Trip.objects.exists()


def test_only_the_traveller_files_their_own_trip_M7(staff: Staff) -> None:
    with pytest.raises(PermissionDenied):
        services.trip_file(
            actor=staff.user("peer"),
            membership=staff.tree.worker,
            kind=PlaceKind.UNIT,
            unit=staff.bac_kan,
            depart_at=aware("2021-04-17T08:00"),
            return_at=aware("2021-04-17T16:00"),
            purpose="Thăm gia đình",
        )


def test_refusal_needs_a_reason_M7(staff: Staff) -> None:
    trip = file(staff, aware("2021-04-17T08:00"), aware("2021-04-17T16:00"))
    with pytest.raises(ValidationFailed) as exc:
        services.trip_decide(actor=staff.user("deputy"), trip=trip, approve=False, reason="  ")
    assert exc.value.field == "reason"
    services.trip_decide(actor=staff.user("deputy"), trip=trip, approve=False, reason="Hà Nội đang có dịch")
    trip.refresh_from_db()
    assert (trip.status, trip.decision_reason) == (TripStatus.REFUSED, "Hà Nội đang có dịch")
    with pytest.raises(ValidationFailed):
        services.trip_decide(actor=staff.user("team_head"), trip=trip, approve=True)


def test_one_tap_approval_page_approve_button_first_M7(staff: Staff) -> None:
    saturday = last_saturday()
    trip = file(staff, aware(f"{saturday}T08:00"), aware(f"{saturday}T16:00"), unit=staff.hanoi)
    client = Client()
    client.force_login(staff.user("deputy"))
    page = client.get(reverse("travel:decide", kwargs={"uid": trip.uid})).content.decode()
    content = page[page.index("<main") if "<main" in page else 0 :]
    assert content.index('value="approve"') < content.index("Cảnh báo vùng dịch") < content.index('value="refuse"')
    response = client.post(reverse("travel:decide", kwargs={"uid": trip.uid}), {"decision": "approve"})
    assert response.status_code == 302
    assert Trip.objects.get(pk=trip.pk).status == TripStatus.APPROVED


def test_refuse_without_reason_on_the_page_shows_a_message_M7(staff: Staff) -> None:
    trip = file(staff, aware("2021-04-17T08:00"), aware("2021-04-17T16:00"))
    client = Client()
    client.force_login(staff.user("deputy"))
    response = client.post(reverse("travel:decide", kwargs={"uid": trip.uid}), {"decision": "refuse", "reason": ""})
    assert response.status_code == 200
    assert "Ghi lý do không đồng ý." in response.content.decode()
    assert Trip.objects.get(pk=trip.pk).status == TripStatus.PENDING


def test_declaration_after_a_return_from_an_epidemic_area_orders_one_test_M7(
    staff: Staff, django_capture_on_commit_callbacks: Any
) -> None:
    saturday = last_saturday()
    trip = file(staff, aware(f"{saturday}T08:00"), aware(f"{saturday}T18:00"), unit=staff.hanoi)
    services.trip_decide(actor=staff.user("deputy"), trip=trip, approve=True)
    with django_capture_on_commit_callbacks(execute=True):
        declared = services.trip_declare_return(actor=staff.user("worker"), trip=trip, symptoms={"fever": False})
    orders = Order.objects.filter(person=staff.tree.worker.person)
    assert orders.count() == 1  # the rule engine and the after-commit signal: one order
    assert orders.get().reason == OrderReason.EPIDEMIC_AREA_ARRIVAL
    assert [o.pk for o in declared.test_orders] == [orders.get().pk]
    assert declared.trip.declaration is not None
    assert declared.trip.declaration.in_epidemic_area
    with pytest.raises(ValidationFailed):
        services.trip_declare_return(actor=staff.user("worker"), trip=Trip.objects.get(pk=trip.pk))


def test_declaration_after_a_trip_elsewhere_orders_nothing_M7(staff: Staff) -> None:
    saturday = last_saturday()
    trip = file(staff, aware(f"{saturday}T08:00"), aware(f"{saturday}T18:00"))
    services.trip_decide(actor=staff.user("team_head"), trip=trip, approve=True)
    declared = services.trip_declare_return(actor=staff.user("worker"), trip=trip)
    assert declared.test_orders == []
    assert not Order.objects.filter(person=staff.tree.worker.person).exists()


def test_pending_trip_cannot_be_declared_and_only_by_the_traveller_M7(staff: Staff) -> None:
    saturday = last_saturday()
    trip = file(staff, aware(f"{saturday}T08:00"), aware(f"{saturday}T18:00"))
    with pytest.raises(ValidationFailed):
        services.trip_declare_return(actor=staff.user("worker"), trip=trip)
    services.trip_decide(actor=staff.user("deputy"), trip=trip, approve=True)
    with pytest.raises(PermissionDenied):
        services.trip_declare_return(actor=staff.user("deputy"), trip=trip)


def test_trip_taken_without_approval_is_recorded_M7(staff: Staff) -> None:
    trip = file(staff, aware("2021-04-17T08:00"), aware("2021-04-17T16:00"))
    with pytest.raises(PermissionDenied):
        services.trip_record_unapproved(actor=staff.user("peer"), trip=trip, note="Đi khi chưa được duyệt")
    with pytest.raises(ValidationFailed):
        services.trip_record_unapproved(actor=staff.user("team_head"), trip=trip, note="")
    services.trip_record_unapproved(actor=staff.user("team_head"), trip=trip, note="Có mặt ở Bắc Kạn ngày 17/4")
    assert Trip.objects.filter(status=TripStatus.UNAPPROVED).count() == 1


def test_heads_see_their_staff_trips_peers_and_outsiders_do_not_M7(staff: Staff, cast: Any) -> None:
    trip = file(staff, aware("2021-04-17T08:00"), aware("2021-04-17T16:00"))
    for key in ("worker", "deputy", "team_head", "director"):
        assert trip in trip_queryset(user=staff.user(key)), key
    assert trip in trip_queryset(user=cast.oanh)  # the enterprise's head (role on the organisation)
    assert trip in trip_queryset(user=cast.alice)
    for key in ("peer", "outsider"):
        assert trip not in trip_queryset(user=staff.user(key)), key
    assert trip not in trip_queryset(user=cast.cuong)  # commune officer of another commune's organisation
    client = Client()
    client.force_login(staff.user("peer"))
    assert client.get(reverse("travel:detail", kwargs={"uid": trip.uid})).status_code == 404


def test_trip_page_and_export_are_audited_M7(staff: Staff) -> None:
    trip = file(staff, aware("2021-04-17T08:00"), aware("2021-04-17T16:00"))
    client = Client()
    client.force_login(staff.user("director"))
    assert client.get(reverse("travel:detail", kwargs={"uid": trip.uid})).status_code == 200
    assert AuditLog.objects.filter(action=AuditAction.READ, object_uid=str(trip.uid)).exists()
    response = client.get(reverse("travel:export") + "?status=pending")
    assert response.status_code == 200
    assert response["Content-Disposition"].endswith('.xlsx"')
    assert AuditLog.objects.filter(action=AuditAction.EXPORT, detail__status="pending").exists()
    listing = client.get(reverse("travel:list")).content.decode()
    assert staff.tree.worker.person.full_name in listing


def test_trip_form_files_a_trip_from_the_page_M7(staff: Staff) -> None:
    client = Client()
    client.force_login(staff.user("worker"))
    response = client.post(
        reverse("travel:create"),
        {
            "membership": staff.tree.worker.pk,
            "destination": f"u:{staff.hanoi.uid}",
            "depart_at": "2021-04-17T08:00",
            "return_at": "2021-04-17T16:00",
            "purpose": "Thăm gia đình",
        },
    )
    trip = Trip.objects.get()
    assert response.status_code == 302
    assert trip.status == TripStatus.PENDING
    assert trip.approval_reasons == "thứ Bảy"
    bad = client.post(
        reverse("travel:create"),
        {
            "membership": staff.tree.worker.pk,
            "destination": "u:x",
            "depart_at": "hôm qua",
            "return_at": "",
            "purpose": "",
        },
    )
    assert bad.status_code == 200
    assert "Ngày giờ không hợp lệ." in bad.content.decode()


def test_api_lists_and_decides_M7(staff: Staff) -> None:
    trip = file(staff, aware("2021-04-17T08:00"), aware("2021-04-17T16:00"))
    client = Client()
    client.force_login(staff.user("deputy"))
    listing = client.get("/api/v1/travel/trips/?status=pending").json()
    assert [row["uid"] for row in listing["results"]] == [str(trip.uid)]
    refused = client.post(f"/api/v1/travel/trips/{trip.uid}/", {"approve": False}, content_type="application/json")
    assert refused.status_code == 400
    approved = client.post(f"/api/v1/travel/trips/{trip.uid}/", {"approve": True}, content_type="application/json")
    assert approved.status_code == 200
    assert approved.json()["status"] == "approved"
    client.force_login(staff.user("peer"))
    assert client.get(f"/api/v1/travel/trips/{trip.uid}/").status_code == 404


def test_person_page_shows_the_trips_panel_to_the_enterprise_head_M7(staff: Staff, cast: Any) -> None:
    saturday = last_saturday()
    file(staff, aware(f"{saturday}T08:00"), aware(f"{saturday}T16:00"), unit=staff.hanoi)
    client = Client()
    client.force_login(cast.oanh)
    page = client.get(reverse("people:detail", kwargs={"uid": staff.tree.worker.person.uid})).content.decode()
    assert "Đi ngoài tỉnh" in page
    assert "Thành phố Hà Nội" in page
