"""Pages and API of movements: the assisted arrival form, departures, the scoped list with filters and paging,
the audited detail, the present-now list, and bad input (M3, M9)."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from rest_framework.test import APIClient

from phongdich.core.models import AuditAction, AuditLog
from phongdich.movements.models import Direction, Movement
from phongdich.people.models import Person
from phongdich.zones.models import ExposureFlag

from .conftest import days_ago, make_person, today

pytestmark = pytest.mark.django_db


def login(client: Client, user: Any, cast: Any) -> Client:
    assert client.login(username=user.username, password=cast.password)
    return client


def arrival_data(tree: Any, **changes: Any) -> dict[str, Any]:
    return {
        "cccd": "",
        "phone": "0912345678",
        "full_name": "Hoàng Thị Mới Đến",
        "birth_year": "1992",
        "sex": "F",
        "unit": str(tree.xom1.pk),
        "move_date": days_ago(1).isoformat(),
        "place_kind": "unit",
        "place_unit_code": "48",
        "place_note": "",
        "transport": "plane",
        "vehicle_no": "VN123",
        "lodging_kind": "relative",
        "lodging_address": "Số 3, tổ 1",
        "expected_days": "7",
        "declared_by": "lodging_owner",
        "declarant_name": "Nguyễn Văn Chủ",
        **changes,
    }


def test_assisted_arrival_registers_person_flags_and_lists_present_M3(
    client: Client, tree: Any, cast: Any, da_nang: Any
) -> None:
    login(client, cast.cuong, cast)
    assert client.get(reverse("movements:arrival")).status_code == 200
    response = client.post(reverse("movements:arrival"), arrival_data(tree))
    assert response.status_code == 302, response.content.decode()
    person = Person.objects.get(full_name="Hoàng Thị Mới Đến")
    assert (person.residence_unit, person.phone) == (tree.xom1, "0912345678")
    movement = Movement.objects.get(person=person)
    assert (movement.declared_by, movement.expected_departure) == (
        "lodging_owner",
        days_ago(1).fromordinal(days_ago(1).toordinal() + 7),
    )
    assert ExposureFlag.objects.filter(person=person, area=da_nang.area).exists()
    table = client.get(reverse("movements:present")).content.decode().split('id="present"')[1]
    assert "Hoàng Thị Mới Đến" in table
    # The same phone and name again finds the same person, and a second open arrival is refused.
    again = client.post(reverse("movements:arrival"), arrival_data(tree))
    assert again.status_code == 200
    assert "đang lưu trú" in again.content.decode()
    assert Person.objects.filter(full_name="Hoàng Thị Mới Đến").count() == 1


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"move_date": ""}, "This field is required"),
        ({"phone": "12345", "full_name": ""}, "Số điện thoại"),
        ({"place_unit_code": "99999"}, "Chưa có đơn vị hành chính mã"),
        ({"place_kind": "country", "country": ""}, "Chọn nước."),
        ({"lodging_address": ""}, ""),
        ({"phone": "", "full_name": "Người Thiếu Tuổi", "birth_year": ""}, "Nhập năm sinh."),
        ({"sex": ""}, "Giới tính phải là Nam hoặc Nữ."),
        ({"expected_days": "500"}, ""),
        ({"move_date": "2999-01-01"}, "Ngày không được sau hôm nay."),
    ],
)
def test_bad_arrival_form_shows_message_and_stores_nothing_M3(
    client: Client, tree: Any, cast: Any, da_nang: Any, changes: dict[str, Any], message: str
) -> None:
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "vi"
    login(client, cast.cuong, cast)
    people = Person.objects.count()
    response = client.post(reverse("movements:arrival"), arrival_data(tree, **changes), HTTP_ACCEPT_LANGUAGE="vi")
    assert response.status_code == 200
    body = response.content.decode()
    assert 'class="errorlist' in body
    if message and message != "This field is required":
        assert message in body
    assert not Movement.objects.exists()
    assert Person.objects.count() == people


def test_out_of_scope_unit_is_refused_on_the_form_M9(client: Client, tree: Any, cast: Any) -> None:
    login(client, cast.cuong, cast)
    response = client.post(reverse("movements:arrival"), arrival_data(tree, unit=str(tree.quang_vinh.pk)))
    assert response.status_code == 200
    assert not Movement.objects.exists()


def test_departure_from_present_list_closes_the_stay_M3(client: Client, tree: Any, cast: Any, arrive: Any) -> None:
    arrival = arrive(make_person(tree.quang_vinh, "Đinh Văn Đi"), tree.quan_trieu, country="JP", days=4)
    login(client, cast.cuong, cast)
    form = client.get(reverse("movements:departure"), {"person": str(arrival.person.uid)})
    assert form.status_code == 200
    response = client.post(
        reverse("movements:departure") + f"?person={arrival.person.uid}",
        {
            "person": str(arrival.person.uid),
            "unit": str(tree.quan_trieu.pk),
            "move_date": today().isoformat(),
            "place_kind": "",
            "transport": "coach",
            "declared_by": "self",
        },
    )
    assert response.status_code == 302, response.content.decode()
    arrival.refresh_from_db()
    assert arrival.left_on == today()
    table = client.get(reverse("movements:present")).content.decode().split('id="present"')[1]
    assert "Đinh Văn Đi" not in table


def test_list_is_scoped_filtered_and_keyset_paged_M9(client: Client, tree: Any, cast: Any, arrive: Any) -> None:
    for n in range(3):
        arrive(make_person(tree.quan_trieu, f"Người Quán Triều {n}"), tree.quan_trieu, country="JP", days=n + 1)
    arrive(make_person(tree.quang_vinh, "Người Quang Vinh"), tree.quang_vinh, country="JP")
    login(client, cast.cuong, cast)
    body = client.get(reverse("movements:list")).content.decode()
    assert "Người Quán Triều 0" in body
    assert "Người Quang Vinh" not in body
    body = client.get(reverse("movements:list"), {"direction": "departure"}).content.decode()
    assert "Người Quán Triều 0" not in body
    from phongdich.movements.selectors import movement_page

    first = movement_page(user=cast.cuong, limit=2)
    assert [m.person.full_name for m in first.items] == ["Người Quán Triều 0", "Người Quán Triều 1"]
    second = movement_page(user=cast.cuong, limit=2, after=first.next_after)
    assert [m.person.full_name for m in second.items] == ["Người Quán Triều 2"]
    assert second.next_after is None
    page = client.get(reverse("movements:list"), {"after": first.next_after}).content.decode()
    assert "Người Quán Triều 0" not in page
    assert "« Trang đầu" in page
    # A unit filter survives into the export link and the next page's link.
    filtered = client.get(reverse("movements:list"), {"unit": tree.quan_trieu.pk})
    assert filtered.context["form"].is_valid()
    assert f"unit={tree.quan_trieu.pk}" in filtered.context["params"]
    assert "Người Quán Triều 0" in filtered.content.decode()


def test_detail_page_is_audited_and_out_of_scope_is_404_M9(client: Client, tree: Any, cast: Any, arrive: Any) -> None:
    movement = arrive(make_person(tree.quan_trieu), tree.quan_trieu, country="JP")
    login(client, cast.cuong, cast)
    assert client.get(reverse("movements:detail", args=[movement.uid])).status_code == 200
    assert AuditLog.objects.filter(action=AuditAction.READ, object_uid=str(movement.uid), actor=cast.cuong).exists()
    login(client, cast.chi, cast)
    assert client.get(reverse("movements:detail", args=[movement.uid])).status_code == 404


def test_list_export_is_audited_M9(client: Client, tree: Any, cast: Any, arrive: Any) -> None:
    arrive(make_person(tree.quan_trieu, "Người Xuất"), tree.quan_trieu, country="JP")
    login(client, cast.cuong, cast)
    for name in ("movements:export", "movements:present-export"):
        response = client.get(reverse(name))
        assert response.status_code == 200
        from io import BytesIO

        from openpyxl import load_workbook

        sheet = load_workbook(BytesIO(response.content)).active
        assert sheet.cell(row=2, column=1).value == "Người Xuất"
    assert AuditLog.objects.filter(action=AuditAction.EXPORT, actor=cast.cuong).count() == 2


def api(user: Any) -> APIClient:
    client = APIClient()
    client.force_authenticate(user)
    return client


def test_api_creates_lists_and_pages_movements_M3_M9(tree: Any, cast: Any, da_nang: Any) -> None:
    client = api(cast.cuong)
    payload = {
        "direction": "arrival",
        "full_name": "Vũ Văn Api",
        "birth_year": 1985,
        "sex": "M",
        "unit": str(tree.quan_trieu.uid),
        "move_date": days_ago(2).isoformat(),
        "place_kind": "unit",
        "place_unit_code": "492",
        "transport": "train",
        "lodging_kind": "hotel",
        "lodging_address": "Khách sạn X",
    }
    response = client.post(reverse("api:movements"), payload, format="json")
    assert response.status_code == 201, response.content
    body = response.json()
    assert (body["direction"], body["place_name"]) == ("arrival", "Quận Hải Châu")
    person = Person.objects.get(full_name="Vũ Văn Api")
    assert ExposureFlag.objects.filter(person=person).exists()
    listing = client.get(reverse("api:movements"), {"limit": 1}).json()
    assert [r["uid"] for r in listing["results"]] == [body["uid"]]
    present = client.get(reverse("api:movements-present")).json()
    assert [r["person"]["full_name"] for r in present["results"]] == ["Vũ Văn Api"]
    detail = client.get(reverse("api:movement", args=[body["uid"]]))
    assert detail.status_code == 200
    assert AuditLog.objects.filter(action=AuditAction.READ, object_uid=body["uid"]).exists()
    gone = client.post(
        reverse("api:movements"),
        {
            "direction": "departure",
            "person": str(person.uid),
            "unit": str(tree.quan_trieu.uid),
            "move_date": today().isoformat(),
            "transport": "car",
        },
        format="json",
    )
    assert gone.status_code == 201, gone.content
    assert client.get(reverse("api:movements-present")).json()["results"] == []
    assert api(cast.chi).get(reverse("api:movements")).json()["results"] == []


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"unit": "00000000-0000-0000-0000-000000000000"}, "unit"),
        ({"move_date": "hôm qua"}, "move_date"),
        ({"place_kind": "country", "country": "ZZ"}, "country"),
        ({"lodging_address": ""}, "lodging_address"),
        ({"transport": "ngựa"}, "transport"),
        ({"place_unit_code": "99999"}, "place_unit_code"),
    ],
)
def test_api_bad_input_gives_vietnamese_field_errors_and_stores_nothing_M3(
    tree: Any, cast: Any, changes: dict[str, Any], field: str
) -> None:
    payload = {
        "direction": "arrival",
        "full_name": "Vũ Văn Lỗi",
        "birth_year": 1985,
        "sex": "M",
        "unit": str(tree.quan_trieu.uid),
        "move_date": days_ago(2).isoformat(),
        "place_kind": "country",
        "country": "JP",
        "transport": "train",
        "lodging_kind": "hotel",
        "lodging_address": "Khách sạn X",
        **changes,
    }
    response = api(cast.cuong).post(reverse("api:movements"), payload, format="json", HTTP_ACCEPT_LANGUAGE="vi")
    assert response.status_code == 400, response.content
    assert field in response.content.decode()
    assert not Movement.objects.exists()
    assert not Person.objects.filter(full_name="Vũ Văn Lỗi").exists()


def test_api_departure_direction_value_M3(tree: Any, cast: Any, arrive: Any) -> None:
    arrival = arrive(make_person(tree.quan_trieu), tree.quan_trieu, country="JP")
    rows = api(cast.cuong).get(reverse("api:movements"), {"direction": "arrival"}).json()["results"]
    assert [r["uid"] for r in rows] == [str(arrival.uid)]
    assert api(cast.cuong).get(reverse("api:movements"), {"direction": "x"}).status_code == 400
    assert rows[0]["direction"] == Direction.ARRIVAL
