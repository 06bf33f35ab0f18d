"""Zones pages: list with scoped counts, declare/edit/end forms, detail and export (scoped, audited), visits,
look-back rule (M5, D4)."""

from __future__ import annotations

import io
from datetime import date
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from openpyxl import load_workbook

from phongdich.core.models import AuditAction, AuditLog
from phongdich.zones.models import EpidemicArea, ExposureFlag, LookBackRule, PlaceKind, PlaceVisit
from phongdich.zones.services import area_declare, visit_record

FORM = {
    "kind": "unit",
    "unit_code": "48",
    "start_date": "2020-07-25",
    "source_number": "257/TB-VPCP",
    "source_date": "2020-07-27",
    "source_issuer": "Văn phòng Chính phủ",
}


def login(client: Client, user: Any) -> Client:
    client.force_login(user)
    return client


@pytest.fixture
def area(cast: Any, residents: Any, da_nang: Any, django_capture_on_commit_callbacks: Any) -> EpidemicArea:
    for person, unit, source in ((residents.an, da_nang.thach_thang, "declaration:a"), (residents.binh, da_nang.son_tra, "declaration:b")):  # fmt: skip
        visit_record(actor=None, person=person, kind=PlaceKind.UNIT, unit=unit, from_date=date(2020, 7, 27),
                     reported_on=date(2020, 8, 3), source=source)  # fmt: skip
    with django_capture_on_commit_callbacks(execute=True):
        return area_declare(
            actor=cast.alice,
            kind=PlaceKind.UNIT,
            unit=da_nang.city,
            start_date=date(2020, 7, 25),
            source_number="257/TB-VPCP",
        )


def test_declare_form_creates_and_flags_M5(
    client: Client, cast: Any, residents: Any, da_nang: Any, django_capture_on_commit_callbacks: Any
) -> None:
    login(client, cast.alice)
    assert client.get(reverse("zones:area_create")).status_code == 200
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("zones:area_create"), FORM)
    area = EpidemicArea.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("zones:area_detail", args=[area.uid])
    assert area.unit == da_nang.city


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"end_date": "2020-07-01"}, "Ngày kết thúc không được trước ngày bắt đầu."),
        ({"unit_code": ""}, "Nhập mã tỉnh, huyện hoặc xã."),
        ({"kind": "country", "unit_code": "", "country": ""}, "Chọn nước."),
        ({"kind": "country", "unit_code": "", "country": "ZZ"}, "ZZ"),
        ({"unit_code": "79"}, "load_units --province"),
        ({"source_number": ""}, "Nhập số văn bản hoặc nội dung căn cứ công bố."),
    ],
)
def test_declare_form_bad_input_M5(
    client: Client, cast: Any, da_nang: Any, change: dict[str, str], message: str
) -> None:
    login(client, cast.alice)
    response = client.post(reverse("zones:area_create"), {**FORM, **change})
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not EpidemicArea.objects.exists()


def test_officers_without_the_role_get_403_M5(client: Client, cast: Any, area: EpidemicArea) -> None:
    login(client, cast.dan)
    assert client.get(reverse("zones:area_create")).status_code == 403
    assert client.post(reverse("zones:area_end", args=[area.uid]), {"end_date": "2020-08-01"}).status_code == 403
    assert (
        client.post(reverse("zones:lookback"), {"days": 21, "effective_from": "2021-05-05", "source": "x"}).status_code
        == 403
    )
    assert client.get(reverse("zones:area_list")).status_code == 200


def test_list_and_detail_show_only_people_in_scope_M5_D4(client: Client, cast: Any, area: EpidemicArea) -> None:
    login(client, cast.cuong)
    page = client.get(reverse("zones:area_list")).content.decode()
    assert "Thành phố Đà Nẵng" in page
    detail = client.get(reverse("zones:area_detail", args=[area.uid])).content.decode()
    assert "Nguyễn Văn An" in detail
    assert "Trần Thị Bình" not in detail
    login(client, cast.chi)
    detail = client.get(reverse("zones:area_detail", args=[area.uid])).content.decode()
    assert "Trần Thị Bình" in detail
    assert "Nguyễn Văn An" not in detail
    # a commune filter outside the scope is a 404
    assert client.get(reverse("zones:area_detail", args=[area.uid]), {"unit": str(area.unit.uid)}).status_code == 404


def test_export_is_scoped_and_audited_with_the_row_count_M5_D4(client: Client, cast: Any, area: EpidemicArea) -> None:
    login(client, cast.cuong)
    response = client.get(reverse("zones:area_export", args=[area.uid, "xlsx"]))
    assert response.status_code == 200
    rows = list(load_workbook(io.BytesIO(response.content)).active.iter_rows(values_only=True))
    assert len(rows) == 2
    assert rows[1][0] == "Nguyễn Văn An"
    line = AuditLog.objects.get(action=AuditAction.EXPORT, actor=cast.cuong)
    assert line.detail["rows"] == 1
    assert line.object_uid == str(area.uid)
    assert client.get(reverse("zones:area_export", args=[area.uid, "pdf"])).status_code == 302


def test_end_form_clears_flags_and_bad_date_keeps_them_M5(
    client: Client, cast: Any, area: EpidemicArea, django_capture_on_commit_callbacks: Any
) -> None:
    login(client, cast.alice)
    response = client.post(reverse("zones:area_end", args=[area.uid]), {"end_date": "2020-07-01"}, follow=True)
    assert "Ngày kết thúc không được trước ngày bắt đầu." in response.content.decode()
    assert ExposureFlag.objects.filter(cleared_at__isnull=True).count() == 2
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("zones:area_end", args=[area.uid]), {"end_date": "2020-07-26"})
    assert ExposureFlag.objects.filter(cleared_at__isnull=True).count() == 0
    edit = client.get(reverse("zones:area_edit", args=[area.uid]))
    assert edit.status_code == 200


def test_visit_form_records_for_people_in_scope_M5(
    client: Client, cast: Any, area: EpidemicArea, residents: Any
) -> None:
    login(client, cast.chi)
    data = {
        "person": residents.an.cccd,
        "kind": "country",
        "country": "KR",
        "from_date": "2020-07-30",
        "reported_on": "2020-08-01",
    }
    response = client.post(reverse("zones:visit_create"), data)
    assert "Không tìm thấy người này trong địa bàn của bạn." in response.content.decode()
    response = client.post(
        reverse("zones:visit_create"), {**data, "person": residents.binh.cccd, "to_date": "2020-07-01"}
    )
    assert "Ngày kết thúc không được trước ngày bắt đầu." in response.content.decode()
    assert PlaceVisit.objects.filter(person=residents.binh).count() == 1
    response = client.post(reverse("zones:visit_create"), {**data, "person": residents.binh.cccd})
    assert response.status_code == 302
    assert PlaceVisit.objects.filter(person=residents.binh).count() == 2


def test_lookback_page_sets_a_dated_rule_M5(client: Client, cast: Any, area: EpidemicArea) -> None:
    login(client, cast.alice)
    assert "14" in client.get(reverse("zones:lookback")).content.decode()
    response = client.post(reverse("zones:lookback"), {"days": 0, "effective_from": "2021-05-05", "source": "x"})
    assert response.status_code == 200
    assert not LookBackRule.objects.exists()
    response = client.post(reverse("zones:lookback"), {"days": 21, "effective_from": "2021-05-05", "source": "CV 21"})
    assert response.status_code == 302
    assert LookBackRule.objects.get().days == 21
