"""Exams and events (E3): an uploaded list of candidates and staff is matched against the registry (with the
cross-check's own matching) and checked for quarantine, epidemic-area exposure, symptoms and an open case
on the event day; bad rows come back with their messages; the result download is audited."""

from __future__ import annotations

from datetime import timedelta
from io import BytesIO
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from openpyxl import Workbook, load_workbook

from phongdich.cases.models import DetectedIn
from phongdich.cases.services import case_register
from phongdich.core.models import AuditAction, AuditLog
from phongdich.declarations.models import MedicalDeclaration
from phongdich.people.tests.factories import PersonFactory
from phongdich.people.validators import cccd_make
from phongdich.quarantine.models import Episode, EpisodeKind
from phongdich.welfare.checks import event_check
from phongdich.zones.models import ExposureFlag, PlaceKind
from phongdich.zones.services import area_declare

pytestmark = pytest.mark.django_db

HEADER = ["Họ và tên", "CCCD", "Số điện thoại", "Ngày sinh", "Năm sinh", "Đơn vị", "Vai trò"]


def xlsx(rows: list[list[Any]]) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(HEADER)
    for row in rows:
        sheet.append(row)
    buffer = BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


@pytest.fixture
def world(tree: Any) -> dict[str, Any]:
    today = timezone.localdate()
    cccd_q = cccd_make(province_code="19", sex="M", birth_year=1990, serial="000201")
    quarantined = PersonFactory(full_name="Hà Văn Ly", residence_unit=tree.quan_trieu, birth_year=1990, cccd=cccd_q)
    Episode.objects.create(
        person=quarantined,
        kind=EpisodeKind.HOME,
        start_date=today - timedelta(days=2),
        planned_end=today + timedelta(days=12),
    )
    sick = PersonFactory(full_name="Vũ Thị Ho", residence_unit=tree.quan_trieu, birth_year=1995, phone="0912000001")
    MedicalDeclaration.objects.create(
        person=sick,
        declared_at=timezone.now() - timedelta(days=1),
        channel="online",
        full_name=sick.full_name,
        id_number="",
        birth_year=1995,
        sex="F",
        residence_unit=tree.quan_trieu,
        address="Tổ 1",
        phone="0912000001",
        fever=True,
        cough=True,
        has_symptoms=True,
    )
    exposed = PersonFactory(full_name="Đinh Văn Dịch", residence_unit=tree.xom1, birth_year=1978)
    area = area_declare(
        actor=None, kind=PlaceKind.COUNTRY, country="IN", start_date=today - timedelta(days=30), source_number="1/BYT"
    )
    ExposureFlag.objects.create(
        person=exposed,
        area=area,
        source="test",
        reason="Về từ Ấn Độ",
        visit_from=today - timedelta(days=6),
        visit_to=today - timedelta(days=4),
        flagged_at=timezone.now(),
    )
    cccd_c = cccd_make(province_code="19", sex="F", birth_year=2003, serial="000301")
    case = PersonFactory(full_name="Lò Thị Bệnh", residence_unit=tree.quan_trieu, birth_year=2003, sex="F", cccd=cccd_c)
    case_register(actor=None, person=case, detected_in=DetectedIn.COMMUNITY)
    clean = PersonFactory(full_name="Tạ Văn Khỏe", residence_unit=tree.quan_trieu, birth_year=2004, phone="0912000002")
    return {"cccd_q": cccd_q, "cccd_c": cccd_c, "clean": clean}


def rows(world: dict[str, Any]) -> list[list[Any]]:
    return [
        ["Hà Văn Ly", world["cccd_q"], "", "", "", "Trường THPT Chu Văn An", "Cán bộ coi thi"],  # 2: quarantine
        ["Vũ Thị Ho", "", "0912 000 001", "", "", "", "Thí sinh"],  # 3: symptoms, by phone
        ["Đinh Văn Dịch", "", "", "", 1978, "", "Cán bộ"],  # 4: exposure, by name and birth year only
        ["Lò Thị Bệnh", world["cccd_c"], "", "", "", "", "Thí sinh"],  # 5: open case
        ["Tạ Văn Khỏe", "", "0912000002", "", "", "", "Thí sinh"],  # 6: nothing
        ["Người Lạ", "", "0909999999", "", "", "", ""],  # 7: not found
        ["Sai Số", "12345", "", "", "", "", ""],  # 8: bad CCCD
        ["Chỉ Có Tên", "", "", "", "", "", ""],  # 9: nothing to match with
        ["Lệch Năm", "", "", "02/04/1988", 1989, "", ""],  # 10: birth date and year disagree
    ]


def test_event_list_checked_for_quarantine_exposure_symptoms_and_cases_E3(cast: Any, world: dict[str, Any]) -> None:
    check = event_check(
        user=cast.cuong,
        upload=xlsx(rows(world)),
        filename="thi-sinh.xlsx",
        event="Thi tốt nghiệp THPT",
        on=timezone.localdate(),
    )
    got = [(r.row, r.person.full_name if r.person else None, len(r.findings)) for r in check.rows]
    assert got == [
        (2, "Hà Văn Ly", 1),
        (3, "Vũ Thị Ho", 1),
        (4, "Đinh Văn Dịch", 1),
        (5, "Lò Thị Bệnh", 1),
        (6, "Tạ Văn Khỏe", 0),
        (7, None, 0),
    ]
    findings = {r.row: r.findings[0] for r in check.rows if r.findings}
    assert findings[2].startswith("Đang cách ly tại nhà từ")
    assert findings[3].startswith("Khai báo y tế ngày")
    assert findings[3].endswith("có triệu chứng: sốt, ho")
    assert findings[4] == "Yếu tố dịch tễ: Về từ Ấn Độ"
    assert findings[5].startswith("Đang là ca bệnh")
    assert (check.matched, check.flagged) == (5, 4)
    assert [r.conclusion for r in check.rows][4:] == [
        "Không ghi nhận vấn đề",
        "Không tìm thấy trong cơ sở dữ liệu địa bàn",
    ]
    errors = check.result.errors_by_row()
    assert sorted(errors) == [8, 9, 10]
    assert "Năm sinh không khớp" in errors[10][0].message
    # For an event in two months, the symptoms declared yesterday are outside that day's look-back window.
    later = event_check(
        user=cast.cuong,
        upload=xlsx(rows(world)[1:2]),
        filename="x.xlsx",
        event="Sau",
        on=timezone.localdate() + timedelta(days=60),
    )
    assert later.rows[0].findings == []


def test_event_check_page_and_audited_download_E3(client: Client, cast: Any, world: dict[str, Any]) -> None:
    client.force_login(cast.cuong)
    upload = SimpleUploadedFile("ds.xlsx", xlsx(rows(world)))
    page = client.post(
        reverse("welfare:event-check"),
        {"event": "Thi tốt nghiệp", "on": timezone.localdate().isoformat(), "file": upload},
    )
    assert page.status_code == 200
    token = page.context["token"]
    download = client.get(reverse("welfare:event-check-result", args=[token]))
    sheet = load_workbook(BytesIO(download.content)).active
    lines = list(sheet.iter_rows(min_row=2, values_only=True))
    assert [line[0] for line in lines] == [2, 3, 4, 5, 6, 7, 8, 9, 10]
    line = AuditLog.objects.get(action=AuditAction.EXPORT, actor=cast.cuong)
    assert line.detail["rows"] == 9
    client.force_login(cast.chi)  # another user cannot fetch it
    assert client.get(reverse("welfare:event-check-result", args=[token])).status_code == 404
    client.force_login(cast.cuong)
    garbage = client.post(
        reverse("welfare:event-check"),
        {"event": "X", "on": timezone.localdate().isoformat(), "file": SimpleUploadedFile("a.xlsx", b"not a sheet")},
    )
    assert garbage.status_code == 200
    assert garbage.context["form"].errors["file"]
