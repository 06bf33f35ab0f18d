"""The public arrival declaration (M3): by the person or by the lodging owner, no login; bad input refused with
nothing stored; the medical declaration's abuse guards (size before CSRF, markup, rate limits, CAPTCHA)."""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import timedelta
from typing import Any

import pytest
from django.core.cache import cache
from django.test import Client
from django.urls import reverse

from phongdich.core.models import AuditLog
from phongdich.declarations import guard
from phongdich.movements.models import DeclaredBy, Movement
from phongdich.people.models import Person
from phongdich.people.validators import cccd_make
from phongdich.zones.models import ExposureFlag

from .conftest import days_ago, today

URL = "/khai-bao-di-chuyen/"


@pytest.fixture(autouse=True)
def _clear_cache() -> None:
    cache.clear()


@pytest.fixture
def arrival_data(tree: Any, da_nang: Any) -> Callable[..., dict[str, Any]]:
    """``arrival_data(**overrides)``: a complete self-declaration of an arrival from Đà Nẵng into Xóm 1."""

    def build(**overrides: Any) -> dict[str, Any]:
        data: dict[str, Any] = {
            "declared_by": "self",
            "full_name": "Trần Văn Về",
            "id_number": cccd_make(province_code="48", sex="M", birth_year=1988, serial="654321"),
            "birth_year": "1988",
            "sex": "M",
            "nationality": "VN",
            "phone": "0987654321",
            "commune": tree.quan_trieu.code,
            "hamlet": str(tree.xom1.uid),
            "place_kind": "unit",
            "place_unit_code": da_nang.city.code,
            "place_note": "",
            "move_date": days_ago(1).isoformat(),
            "transport": "coach",
            "vehicle_no": "43B-123.45",
            "lodging_kind": "relative",
            "lodging_address": "Số 9, tổ 1",
            "expected_departure": (today() + timedelta(days=7)).isoformat(),
        }
        data.update(overrides)
        return {k: v for k, v in data.items() if v is not None}

    return build


def _stored() -> tuple[int, int]:
    return Movement.objects.count(), Person.objects.count()


def test_page_is_public_mobile_ready_and_linked_from_the_list_M3(client: Client, tree: Any, cast: Any) -> None:
    assert reverse("declare-movement:form") == URL
    html = client.get(URL).content.decode()
    assert 'name="viewport"' in html
    assert "<optgroup" in html
    assert "Phường Quán Triều" in html
    assert tree.xom1.name not in html  # hamlets come with the chosen commune
    client.force_login(cast.cuong)
    assert f'href="{URL}"' in client.get("/movements/").content.decode()


def test_hamlets_are_listed_for_the_chosen_commune_only_M3(client: Client, tree: Any) -> None:
    commune = tree.xom1.parent
    listed = client.get(reverse("declare-movement:hamlets"), {"xa": commune.code}).json()["hamlets"]
    assert {"value": str(tree.xom1.uid), "name": tree.xom1.name} in listed
    other = tree.xom1.parent.parent.children.exclude(pk=commune.pk).first()
    elsewhere = client.get(reverse("declare-movement:hamlets"), {"xa": other.code}).json()["hamlets"]
    assert str(tree.xom1.uid) not in {h["value"] for h in elsewhere}
    assert client.get(reverse("declare-movement:hamlets"), {"xa": "zzz"}).json() == {"hamlets": []}
    # A form sent back with an error keeps the chosen commune's hamlets in its drop-down.
    html = client.post(URL, {"commune": commune.code}).content.decode()
    assert f'value="{tree.xom1.uid}"' in html


def test_self_declaration_stores_an_arrival_and_flags_the_epidemic_origin_M3(
    client: Client, tree: Any, arrival_data: Callable[..., dict[str, Any]], da_nang: Any
) -> None:
    response = client.post(URL, arrival_data())
    assert response.status_code == 200, response.context and response.context["form"].errors
    movement = Movement.objects.get()
    assert movement.declared_by == DeclaredBy.SELF
    assert movement.recorded_by is None
    assert movement.unit == tree.xom1
    assert movement.commune == tree.quan_trieu
    assert movement.declarant_name == movement.declarant_phone == ""
    assert movement.person.full_name == "Trần Văn Về"
    assert ExposureFlag.objects.filter(person=movement.person, area=da_nang.area, cleared_at__isnull=True).exists()
    assert AuditLog.objects.filter(object_uid=str(movement.uid)).exists()
    html = response.content.decode()
    assert re.search(r'id="movement-reference"[^>]*>[0-9A-F]{8}<', html)
    assert "Trần Văn Về" in html
    assert "0987654321" not in html
    assert "654321" not in html


def test_lodging_owner_declaration_stores_the_owner_M3(
    client: Client, tree: Any, cast: Any, arrival_data: Callable[..., dict[str, Any]]
) -> None:
    data = arrival_data(
        declared_by="lodging_owner",
        lodging_kind="boarding",
        declarant_name="Phạm Thị Chủ Trọ",
        declarant_phone="0912 111 222",
        hamlet="",
        place_kind="country",
        country="JP",
        place_unit_code="",
    )
    assert client.post(URL, data).status_code == 200
    movement = Movement.objects.get()
    assert movement.declared_by == DeclaredBy.LODGING_OWNER
    assert movement.declarant_name == "Phạm Thị Chủ Trọ"
    assert movement.declarant_phone == "0912111222"
    assert movement.unit == tree.quan_trieu
    assert movement.country == "JP"
    client.force_login(cast.cuong)  # the commune officer reads who declared, and how to reach them
    html = client.get(f"/movements/{movement.uid}/").content.decode()
    assert "Phạm Thị Chủ Trọ" in html
    assert "0912111222" in html


def test_owner_without_name_or_phone_is_refused_M3(
    client: Client, tree: Any, arrival_data: Callable[..., dict[str, Any]]
) -> None:
    response = client.post(URL, arrival_data(declared_by="lodging_owner", declarant_phone="0912111222"))
    assert response.status_code == 400
    assert "Vui lòng nhập mục này" in str(response.context["form"].errors["declarant_name"])
    assert _stored() == (0, 0)


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        ({"full_name": ""}, "full_name", "Vui lòng nhập mục này"),
        ({"id_number": ""}, "id_number", "Vui lòng nhập mục này"),
        ({"phone": ""}, "phone", "Vui lòng nhập mục này"),
        ({"lodging_address": ""}, "lodging_address", "Vui lòng nhập mục này"),
        ({"transport": ""}, "transport", "Vui lòng nhập mục này"),
        ({"move_date": (today() + timedelta(days=1)).isoformat()}, "move_date", "Ngày không được sau hôm nay"),
        ({"expected_departure": days_ago(3).isoformat()}, "expected_departure", "không được trước ngày đến"),
        ({"commune": "99999"}, "commune", "Không có xã, phường này"),
        ({"hamlet": "not-a-hamlet"}, "hamlet", "Không có thôn, xóm này"),
        ({"place_kind": "country", "country": ""}, "country", "Chọn nước"),
        ({"full_name": "<b>Tên</b>"}, "full_name", "Không được nhập mã HTML"),
        ({"lodging_address": "<script>x</script>"}, "lodging_address", "Không được nhập mã HTML"),
        ({"place_kind": "unit", "place_unit_code": "", "place_note": "<i>"}, "place_note", "Không được nhập mã HTML"),
    ],
)
def test_bad_input_is_refused_with_a_message_and_nothing_stored_M3(
    client: Client,
    tree: Any,
    arrival_data: Callable[..., dict[str, Any]],
    overrides: dict[str, str],
    field: str,
    message: str,
) -> None:
    response = client.post(URL, arrival_data(**overrides))
    assert response.status_code == 400
    assert message in " ".join(str(e) for e in response.context["form"].errors.get(field, []))
    assert _stored() == (0, 0)
    assert "<script>x</script>" not in response.content.decode()


def test_hamlet_of_another_commune_is_refused_M3(
    client: Client, tree: Any, arrival_data: Callable[..., dict[str, Any]]
) -> None:
    response = client.post(URL, arrival_data(commune=tree.quang_vinh.code))
    assert response.status_code == 400
    assert "không thuộc xã, phường đã chọn" in str(response.context["form"].errors["hamlet"])
    assert _stored() == (0, 0)


def test_a_ten_megabyte_body_is_refused_with_the_clear_message_before_csrf_M3(
    tree: Any, arrival_data: Callable[..., dict[str, Any]]
) -> None:
    client = Client(enforce_csrf_checks=True)
    match = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', client.get(URL).content.decode())
    assert match
    big = {**arrival_data(lodging_address="x" * (10 * 1024 * 1024)), "csrfmiddlewaretoken": match.group(1)}
    response = client.post(URL, big)
    assert response.status_code == 413
    assert "Tờ khai quá lớn" in response.content.decode()
    assert _stored() == (0, 0)
    assert client.post(URL, arrival_data()).status_code == 403
    assert client.post(URL, {**arrival_data(), "csrfmiddlewaretoken": match.group(1)}).status_code == 200
    assert Movement.objects.count() == 1


def test_rate_limit_per_address_M3(client: Client, tree: Any, arrival_data: Callable[..., dict[str, Any]]) -> None:
    for _ in range(guard.ip_limit()):
        guard.ip_hit("127.0.0.1")
    response = client.post(URL, arrival_data())
    assert response.status_code == 429
    assert "quá nhiều lần khai báo" in response.content.decode()
    assert _stored() == (0, 0)


def test_rate_limit_per_phone_M3(
    client: Client, tree: Any, arrival_data: Callable[..., dict[str, Any]], settings: Any
) -> None:
    settings.DECLARATION_CAPTCHA_AFTER = 100
    for _ in range(guard.phone_limit()):
        guard.phone_hit("0987654321")
    response = client.post(URL, arrival_data())
    assert response.status_code == 400
    assert "đã khai quá nhiều lần" in str(response.context["form"].errors["phone"])
    assert _stored() == (0, 0)


def test_captcha_after_repeated_submissions_M3(
    client: Client, tree: Any, arrival_data: Callable[..., dict[str, Any]]
) -> None:
    for _ in range(guard.captcha_after()):
        # Refused submissions count too (the counter is per attempt, as on the medical declaration).
        assert client.post(URL, arrival_data(full_name="")).status_code == 400
    page = client.get(URL).content.decode()
    question = re.search(r"Tính: (\d) \+ (\d) = \?", page)
    token = re.search(r'name="captcha_token" value="([^"]+)"', page)
    assert question
    assert token
    refused = client.post(URL, arrival_data(captcha_token=token.group(1), captcha_answer="99"))
    assert refused.status_code == 400
    assert "Kết quả phép tính chưa đúng" in refused.content.decode()
    assert _stored() == (0, 0)
    answer = str(int(question.group(1)) + int(question.group(2)))
    assert client.post(URL, arrival_data(captcha_token=token.group(1), captcha_answer=answer)).status_code == 200
    assert Movement.objects.count() == 1
    replay = client.post(URL, arrival_data(captcha_token=token.group(1), captcha_answer=answer, phone="0987000001"))
    assert replay.status_code == 400
    assert Movement.objects.count() == 1


def test_a_registered_cccd_under_another_name_does_not_reveal_the_stored_name_M3(
    client: Client, tree: Any, arrival_data: Callable[..., dict[str, Any]]
) -> None:
    from .conftest import make_person

    cccd = cccd_make(province_code="19", sex="F", birth_year=1975, serial="000777")
    make_person(tree.quang_vinh, "Đỗ Thị Đã Đăng Ký", cccd=cccd, birth_year=1975, sex="F")
    response = client.post(URL, arrival_data(full_name="Tên Gõ Khác", id_number=cccd, birth_year="1975", sex="F"))
    assert response.status_code == 200
    html = response.content.decode()
    assert "Tên Gõ Khác" in html
    assert "Đỗ Thị Đã Đăng Ký" not in html
    assert Movement.objects.get().person.full_name == "Đỗ Thị Đã Đăng Ký"
