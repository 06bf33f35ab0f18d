"""Cross-check of an uploaded list against epidemic-area exposure in the look-back window (E2): good,
malformed and unmatched rows, the downloadable result, nothing stored but the audit line."""

from __future__ import annotations

from datetime import date
from io import BytesIO
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from openpyxl import Workbook, load_workbook

from phongdich.core.models import AuditAction, AuditLog
from phongdich.core.tabular import TabularFileError
from phongdich.movements.crosscheck import cross_check, result_file
from phongdich.movements.models import Movement
from phongdich.people.models import Person
from phongdich.people.validators import cccd_make
from phongdich.zones.models import ExposureFlag, PlaceVisit

from .conftest import make_person

pytestmark = pytest.mark.django_db

HEADER = ["Họ tên", "CCCD", "Số điện thoại", "Ngày sinh", "Đơn vị"]


def xlsx(rows: list[list[Any]], header: list[str] = HEADER) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(header)
    for row in rows:
        sheet.append(row)
    buffer = BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


@pytest.fixture
def people(tree: Any, da_nang: Any, arrive: Any) -> dict[str, Person]:
    exposed_cccd = cccd_make(province_code="19", sex="M", birth_year=1990, serial="000111")
    exposed = make_person(tree.quan_trieu, "Trần Văn Phơi", birth_year=1990, cccd=exposed_cccd)
    arrive(exposed, tree.quan_trieu, from_unit=da_nang.thach_thang, days=5)
    clean = make_person(tree.quan_trieu, "Lý Thị Sạch", phone="0987654321")
    arrive(clean, tree.quan_trieu, country="JP", days=3)
    by_birth = make_person(tree.xom1, "Đào Văn Ngày", birth_date=date(1988, 4, 2), birth_year=1988)
    elsewhere = make_person(tree.quang_vinh, "Mai Văn Xa", phone="0911111111")
    arrive(elsewhere, tree.quang_vinh, from_unit=da_nang.city, days=2)
    return {"exposed": exposed, "clean": clean, "by_birth": by_birth, "elsewhere": elsewhere}


ROWS = [
    ["Trần Văn Phơi", None, None, None, "Sở Y tế"],  # row 2: no identifier -> rejected
    ["Trần Văn Phơi", "019090000111", "", "", "Sở Y tế"],  # row 3: matched by CCCD, exposed
    ["Lý Thị Sạch", "", "0987 654 321", "", "Trường THPT"],  # row 4: matched by phone, not exposed
    ["Đào Văn Ngày", "", "", "02/04/1988", ""],  # row 5: matched by name + birth date
    ["Người Lạ", "", "0909999999", "", "Công ty A"],  # row 6: unmatched
    ["Sai Số", "12345", "", "", ""],  # row 7: malformed CCCD
    ["Sai Máy", "", "09abc", "", ""],  # row 8: malformed phone
    ["Sai Ngày", "", "0909999998", "31/02/1990", ""],  # row 9: malformed date
    ["Mai Văn Xa", "", "0911111111", "", ""],  # row 10: exists, but outside cuong's commune
]


def test_cross_check_reports_good_malformed_and_unmatched_rows_E2(cast: Any, people: dict[str, Person]) -> None:
    assert people["exposed"].cccd == "019090000111"
    stored = (
        Person.objects.count(),
        Movement.objects.count(),
        PlaceVisit.objects.count(),
        ExposureFlag.objects.count(),
    )
    check = cross_check(user=cast.cuong, upload=xlsx(ROWS), filename="dai-bieu.xlsx")
    assert [(r.row, r.person.full_name if r.person else None, r.exposed) for r in check.rows] == [
        (3, "Trần Văn Phơi", True),
        (4, "Lý Thị Sạch", False),
        (5, "Đào Văn Ngày", False),
        (6, None, False),
        (10, None, False),
    ]
    assert check.window_days == 14
    exposed = check.rows[0]
    assert "Phường Thạch Thang" in exposed.reasons[0]
    assert any("Khai báo đến Phường Quán Triều" in r for r in exposed.reasons)
    assert exposed.conclusion == "Có yếu tố dịch tễ"
    assert check.rows[3].conclusion == "Không tìm thấy trong cơ sở dữ liệu địa bàn"
    assert sorted({e.row for e in check.result.errors}) == [2, 7, 8, 9]
    messages = {e.row: e.message for e in check.result.errors}
    assert "CCCD" in messages[2]
    assert "ngày hợp lệ" in messages[9]
    # Nothing stored but the audit line of the import.
    assert stored == (
        Person.objects.count(),
        Movement.objects.count(),
        PlaceVisit.objects.count(),
        ExposureFlag.objects.count(),
    )
    line = AuditLog.objects.get(action=AuditAction.IMPORT, actor=cast.cuong)
    assert (line.object_type, line.detail["rows"], line.detail["rejected"]) == ("movements.crosscheck", 9, 4)
    # The province sees the resident of Quang Vinh and their arrival from Đà Nẵng.
    province = cross_check(user=cast.alice, upload=xlsx(ROWS), filename="dai-bieu.xlsx")
    assert province.rows[-1].person == people["elsewhere"]
    assert province.rows[-1].exposed


def test_result_excel_lists_every_row_with_conclusion_E2(cast: Any, people: dict[str, Person]) -> None:
    check = cross_check(user=cast.cuong, upload=xlsx(ROWS), filename="dai-bieu.xlsx")
    rows = [list(r) for r in load_workbook(BytesIO(result_file(check))).active.iter_rows(values_only=True)]
    assert str(rows[0][0]).startswith("KẾT QUẢ ĐỐI CHIẾU YẾU TỐ DỊCH TỄ (14 NGÀY")
    assert rows[3][:3] == ["STT", "Dòng trong tệp", "Họ và tên"]
    assert rows[4][:3] == [1, 3, "Trần Văn Phơi"]
    assert rows[4][8] == "Có yếu tố dịch tễ"
    assert rows[7][6] == "Không"
    assert sorted({r[1] for r in rows if r[0] is None and isinstance(r[1], int)}) == [2, 7, 8, 9]


def test_unreadable_file_is_refused_in_vietnamese_E2(cast: Any, people: dict[str, Person]) -> None:
    with pytest.raises(TabularFileError):
        cross_check(user=cast.cuong, upload=b"", filename="rong.csv")
    with pytest.raises(TabularFileError) as exc:
        cross_check(user=cast.cuong, upload=xlsx([["A"]], header=["Tên lạ"]), filename="x.xlsx")
    assert "Họ và tên" in str(exc.value.message)


def test_cross_check_page_upload_and_audited_download_E2(client: Client, cast: Any, people: dict[str, Person]) -> None:
    assert client.login(username="cuong", password=cast.password)
    assert client.get(reverse("movements:cross-check")).status_code == 200
    csv = "Họ và tên,CCCD,Số điện thoại\nTrần Văn Phơi,019090000111,\nSai,123,\n".encode()
    response = client.post(
        reverse("movements:cross-check"), {"file": SimpleUploadedFile("ds.csv", csv, content_type="text/csv")}
    )
    body = response.content.decode()
    assert "Có yếu tố dịch tễ" in body
    assert "Dòng 3" in body
    token = response.context["token"]
    download = client.get(reverse("movements:cross-check-result", args=[token]))
    assert download.status_code == 200
    assert AuditLog.objects.filter(action=AuditAction.EXPORT, object_type="movements.crosscheck").count() == 1
    assert client.login(username="chi", password=cast.password)
    assert client.get(reverse("movements:cross-check-result", args=[token])).status_code == 404
    bad = client.post(reverse("movements:cross-check"), {"file": SimpleUploadedFile("ds.txt", b"\xff\xfe\x00garbage")})
    assert bad.status_code == 200
    assert 'class="errorlist' in bad.content.decode()
