"""Door-to-door lists (M4): "everyone who arrived from area X since D" per commune, rolled up per district,
and its Excel export in the district office layout (title block, STT, subtotals, signature)."""

from __future__ import annotations

from io import BytesIO
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from openpyxl import load_workbook

from phongdich.core.models import AuditAction, AuditLog
from phongdich.movements.exports import door_to_door_export
from phongdich.movements.selectors import Place, default_since, door_to_door_rollup
from phongdich.movements.services import departure_declare

from .conftest import days_ago, make_person

pytestmark = pytest.mark.django_db


@pytest.fixture
def arrivals(tree: Any, da_nang: Any, arrive: Any) -> None:
    """Quán Triều: 3 from Đà Nẵng (one of them into Tổ dân phố 1, one gone), 1 from Japan; Quang Vinh 1;
    Đắc Sơn (Phổ Yên) 1; and one from Đà Nẵng before the area's start (not counted)."""
    arrive(make_person(tree.quan_trieu, "QT Một"), tree.quan_trieu, from_unit=da_nang.thach_thang, days=5)
    gone = arrive(make_person(tree.quan_trieu, "QT Hai"), tree.quan_trieu, from_unit=da_nang.thach_thang, days=6)
    departure_declare(actor=None, person=gone.person, unit=tree.quan_trieu, move_date=days_ago(2), transport="car")
    arrive(make_person(tree.quan_trieu, "QT Ba"), tree.xom1, from_unit=da_nang.hai_chau, days=3)
    arrive(make_person(tree.quan_trieu, "QT Nhật"), tree.quan_trieu, country="JP", days=3)
    arrive(make_person(tree.quang_vinh, "QV Một"), tree.quang_vinh, from_unit=da_nang.city, days=4)
    arrive(make_person(tree.dac_son, "ĐS Một"), tree.dac_son, from_unit=da_nang.thach_thang, days=2)
    arrive(make_person(tree.quan_trieu, "QT Sớm"), tree.quan_trieu, from_unit=da_nang.thach_thang, days=30)


def _table(rollup: list[Any]) -> list[tuple[str, list[tuple[str, int, int]], int]]:
    return [
        (d.district.name, [(c.commune.name, c.arrivals, c.present) for c in d.communes], d.arrivals) for d in rollup
    ]


def test_rollup_per_commune_and_district_with_known_counts_M4(cast: Any, da_nang: Any, arrivals: None) -> None:
    place = Place.of_area(da_nang.area)
    since = default_since(da_nang.area)
    assert since == days_ago(20)
    assert _table(door_to_door_rollup(user=cast.alice, place=place, since=since)) == [
        ("Thành phố Thái Nguyên", [("Phường Quán Triều", 3, 2), ("Phường Quang Vinh", 1, 1)], 4),
        ("Thị xã Phổ Yên", [("Xã Đắc Sơn", 1, 1)], 1),
    ]
    assert _table(door_to_door_rollup(user=cast.dan, place=place, since=since)) == [
        ("Thành phố Thái Nguyên", [("Phường Quán Triều", 3, 2), ("Phường Quang Vinh", 1, 1)], 4),
    ]
    assert _table(door_to_door_rollup(user=cast.cuong, place=place, since=since)) == [
        ("Thành phố Thái Nguyên", [("Phường Quán Triều", 3, 2)], 3),
    ]
    # A district of the area counts only what lies inside it (Thạch Thang is in Hải Châu; the arrival from
    # "Đà Nẵng" as a whole is not); an earlier since-date reaches the early arrival.
    hai_chau = Place(kind="unit", unit=da_nang.hai_chau)
    assert _table(door_to_door_rollup(user=cast.alice, place=hai_chau, since=since)) == [
        ("Thành phố Thái Nguyên", [("Phường Quán Triều", 3, 2)], 3),
        ("Thị xã Phổ Yên", [("Xã Đắc Sơn", 1, 1)], 1),
    ]
    early = door_to_door_rollup(user=cast.cuong, place=place, since=days_ago(40))
    assert early[0].arrivals == 4
    japan = door_to_door_rollup(user=cast.alice, place=Place(kind="country", country="JP"), since=since)
    assert _table(japan) == [("Thành phố Thái Nguyên", [("Phường Quán Triều", 1, 1)], 1)]


def _cells(sheet: Any) -> list[list[Any]]:
    return [list(row) for row in sheet.iter_rows(values_only=True)]


def test_excel_in_district_layout_with_stt_subtotals_and_signature_M4(
    cast: Any, tree: Any, da_nang: Any, arrivals: None
) -> None:
    export = door_to_door_export(user=cast.alice, place=Place.of_area(da_nang.area), since=days_ago(20))
    assert export.rows == 5
    sheet = load_workbook(BytesIO(export.content)).active
    rows = _cells(sheet)
    assert rows[0][0] == "UBND TỈNH THÁI NGUYÊN"
    assert rows[0][5] == "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"
    assert rows[3][0] == f"DANH SÁCH NGƯỜI ĐẾN TỪ THÀNH PHỐ ĐÀ NẴNG TỪ NGÀY {days_ago(20):%d/%m/%Y}"
    assert "Tỉnh Thái Nguyên" in rows[4][0]
    assert rows[6][:2] == ["STT", "Họ và tên"]
    labels = [r[1] for r in rows[7:] if r[0] in (None, "")]
    assert labels[:6] == [
        "THÀNH PHỐ THÁI NGUYÊN",
        "Phường Quán Triều",
        "Cộng Phường Quán Triều: 3 người",
        "Phường Quang Vinh",
        "Cộng Phường Quang Vinh: 1 người",
        "Cộng Thành phố Thái Nguyên: 4 người",
    ]
    assert "Cộng Thị xã Phổ Yên: 1 người" in labels
    assert "Tổng cộng: 5 người" in labels
    numbers = [r[0] for r in rows[7:] if isinstance(r[0], int)]
    assert numbers == [1, 2, 3, 4, 5]
    qt_ba = next(r for r in rows if str(r[1]).lower() == "qt ba")
    assert (qt_ba[6], qt_ba[10]) == ("Quận Hải Châu", "Tổ dân phố 1")
    flat = [c for r in rows for c in r if c]
    assert "THỦ TRƯỞNG ĐƠN VỊ" in flat
    assert "NGƯỜI LẬP BIỂU" in flat
    line = AuditLog.objects.get(action=AuditAction.EXPORT, actor=cast.alice)
    assert line.detail["rows"] == 5


def test_commune_officer_export_has_no_district_rows_M4(cast: Any, da_nang: Any, arrivals: None) -> None:
    export = door_to_door_export(user=cast.cuong, place=Place.of_area(da_nang.area), since=days_ago(20))
    rows = _cells(load_workbook(BytesIO(export.content)).active)
    assert rows[0][0] == "UBND PHƯỜNG QUÁN TRIỀU"
    labels = [r[1] for r in rows[7:] if r[0] in (None, "") and r[1]]
    assert labels[:2] == ["Phường Quán Triều", "Cộng Phường Quán Triều: 3 người"]
    assert not any(str(label).startswith("Cộng Thành phố") for label in labels)
    assert "qv một" not in [str(r[1]).lower() for r in rows]


def test_door_to_door_page_and_export_link_M4(
    client: Client, cast: Any, tree: Any, da_nang: Any, arrivals: None
) -> None:
    assert client.login(username="dan", password=cast.password)
    assert client.get(reverse("movements:door-to-door")).status_code == 200
    response = client.get(reverse("movements:door-to-door"), {"area": da_nang.area.pk})
    body = response.content.decode()
    assert "Phường Quang Vinh" in body
    assert "Xã Đắc Sơn" not in body
    table = body.split('id="rollup"')[1]
    assert "<th>4</th>" in table
    xlsx = client.get(reverse("movements:door-to-door"), {"area": da_nang.area.pk, "format": "xlsx"})
    assert xlsx["Content-Type"].startswith("application/vnd.openxmlformats")
    assert AuditLog.objects.filter(action=AuditAction.EXPORT, actor=cast.dan).count() == 1
    bad = client.get(reverse("movements:door-to-door"), {"place_kind": "unit", "place_unit_code": "99999"})
    assert "Chưa có đơn vị hành chính mã" in bad.content.decode()
    empty = client.get(reverse("movements:door-to-door"), {"since": "2021-01-01"})
    assert "Chọn vùng dịch hoặc nơi đến từ." in empty.content.decode()
