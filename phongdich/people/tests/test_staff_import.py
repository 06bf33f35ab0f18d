"""Staff import from CSV/Excel (D3): all-or-nothing with row errors in Vietnamese, partial mode, scope."""

from __future__ import annotations

import csv
import io
from datetime import date
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from openpyxl import Workbook

from phongdich.core import tabular as tb
from phongdich.core.errors import NotInScope
from phongdich.core.models import AuditAction, AuditLog
from phongdich.orgs.models import OrganisationKind
from phongdich.orgs.tests.factories import OrganisationFactory
from phongdich.people.models import StaffMembership
from phongdich.people.staff_exports import staff_export
from phongdich.people.staff_imports import columns as staff_import_columns
from phongdich.people.staff_imports import staff_import

from .factories import PersonFactory, StaffMembershipFactory, StaffTree, build_staff_tree

HEADER = [
    "Số CCCD",
    "Họ và tên",
    "Năm sinh",
    "Số điện thoại",
    "Chức vụ",
    "Loại",
    "Đảng viên",
    "Thủ trưởng",
    "CCCD lãnh đạo trực tiếp",
    "Từ ngày",
]


def csv_bytes(rows: list[list[Any]], header: list[str] = HEADER) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(header)
    writer.writerows(rows)
    return out.getvalue().encode("utf-8")


@pytest.fixture
def staff(cast: Any, tree: Any) -> StaffTree:
    return build_staff_tree(company=cast.enterprise, unit=tree.dac_son)


@pytest.fixture
def line(staff: StaffTree, tree: Any) -> Any:
    """A new production line under the workshop, with three people of the company to staff it."""
    org = OrganisationFactory(
        name="Tổ may số 2", kind=OrganisationKind.ENTERPRISE, unit=tree.dac_son, parent=staff.workshop
    )

    def person(name: str, **extra: Any) -> Any:
        return PersonFactory(full_name=name, residence_unit=tree.dac_son, organisation=staff.company, **extra)

    return {
        "org": org,
        "lead": person("Phan Văn Trưởng", with_cccd=True),
        "sew": person("Mai Thị May", with_cccd=True),
        "nocard": person("Lý Thị Không", birth_year=1999, sex="F", phone="0912000111"),
    }


def test_a_valid_file_is_written_through_the_service_in_file_order_D3(
    staff: StaffTree, line: dict[str, Any], cast: Any
) -> None:
    lead, sew = line["lead"], line["sew"]
    data = csv_bytes(
        [
            [
                lead.cccd,
                "",
                "",
                "",
                "Tổ trưởng",
                "Người lao động",
                "Có",
                "Có",
                staff.workshop_head.person.cccd,
                "01/03/2024",
            ],
            [sew.cccd, "", "", "", "Công nhân", "worker", "không", "", lead.cccd, "2024-03-02"],
            ["", "Lý Thị Không", "1999", "912000111", "Công nhân", "Hợp đồng", "", "", lead.cccd, "02/03/2024"],
        ]
    )
    result = staff_import(actor=cast.oanh, organisation=line["org"], upload=data, filename="to-may-2.csv")
    assert result.ok, result.errors
    assert result.written == 3
    head = StaffMembership.objects.get(person=lead)
    assert (head.is_head, head.is_party_member, head.manager, head.start_date) == (
        True,
        True,
        staff.workshop_head,
        date(2024, 3, 1),
    )
    sewer = StaffMembership.objects.get(person=sew)
    assert (sewer.manager, sewer.category, sewer.is_head) == (head, "worker", False)
    assert StaffMembership.objects.get(person=line["nocard"]).category == "contract"
    assert AuditLog.objects.filter(action=AuditAction.CREATE, object_type="people.staffmembership").count() == 3 + 7
    imported = AuditLog.objects.get(action=AuditAction.IMPORT)
    assert (imported.actor, imported.detail["written"], imported.detail["organisation"]) == (
        cast.oanh,
        3,
        str(line["org"].uid),
    )


def _errors(result: tb.ImportResult) -> list[tuple[int, str, str]]:
    return [(e.row, e.column, e.message) for e in result.errors]


def test_row_errors_are_numbered_in_vietnamese_and_nothing_is_written_D3(
    staff: StaffTree, line: dict[str, Any], cast: Any, tree: Any
) -> None:
    lead, sew = line["lead"], line["sew"]
    stranger = PersonFactory(full_name="Lê Thị Xa", residence_unit=tree.quang_vinh, with_cccd=True)
    rows = [
        [lead.cccd, "", "", "", "Tổ trưởng", "", "", "Có", "", "01/03/2024"],  # 2: valid
        ["019099000000", "", "", "", "Công nhân", "", "", "", "", "01/03/2024"],  # 3: nobody has it
        [stranger.cccd, "", "", "", "Công nhân", "", "", "", "", "01/03/2024"],  # 4: out of oanh's scope
        [sew.cccd, "", "", "", "Công nhân", "", "", "Có", "", "01/03/2024"],  # 5: a second head
        [staff.worker.person.cccd, "", "", "", "Công nhân", "", "", "", staff.outsider.person.cccd, "01/03/2024"],  # 6
        ["", "Lý Thị Không", "1999", "", "Công nhân", "", "", "", "", "01/03/2024"],  # 7: no CCCD, no phone
        [lead.cccd, "", "", "", "Công nhân", "", "", "", "", "01/03/2024"],  # 8: twice in the file
        ["", "Lý Thị Không", "1999", "0912000111", "", "Sếp", "có lẽ", "", "", "32/01/2024"],  # 9: bad cells
    ]
    before = StaffMembership.objects.count()
    result = staff_import(actor=cast.oanh, organisation=line["org"], upload=csv_bytes(rows), filename="loi.csv")
    assert not result.ok
    assert result.written == 0
    assert StaffMembership.objects.count() == before
    errors = _errors(result)
    by_row: dict[int, list[tuple[str, str]]] = {}
    for row, column, message in errors:
        by_row.setdefault(row, []).append((column, message))
    assert sorted(by_row) == [3, 4, 5, 6, 7, 8, 9]
    assert by_row[3] == [("Số CCCD", "Không có ai mang số CCCD 019099000000 trong sổ nhân khẩu.")]
    assert by_row[4] == [("Số CCCD", "Người này nằm ngoài phạm vi bạn quản lý.")]
    assert by_row[5] == [("Thủ trưởng", "Tệp có nhiều hơn một thủ trưởng.")]
    assert by_row[6][0][0] == "CCCD lãnh đạo trực tiếp"
    assert "cơ quan cấp trên" in by_row[6][0][1]
    assert "họ và tên, năm sinh và số điện thoại" in by_row[7][0][1]
    assert by_row[8] == [("", "Người này xuất hiện nhiều lần trong tệp.")]
    assert {column for column, _m in by_row[9]} == {"Chức vụ", "Loại", "Đảng viên", "Từ ngày"}
    assert result.rejected_file is not None
    assert AuditLog.objects.get(action=AuditAction.IMPORT).detail["written"] == 0


def test_partial_mode_writes_the_valid_rows_and_returns_the_rejected_ones_D3(
    staff: StaffTree, line: dict[str, Any], cast: Any
) -> None:
    lead, sew = line["lead"], line["sew"]
    rows = [
        [lead.cccd, "", "", "", "Tổ trưởng", "", "", "Có", "", "01/03/2024"],
        ["019099000000", "", "", "", "Công nhân", "", "", "", "", "01/03/2024"],
        [sew.cccd, "", "", "", "Công nhân", "", "", "", lead.cccd, "01/03/2024"],
    ]
    result = staff_import(
        actor=cast.oanh, organisation=line["org"], upload=csv_bytes(rows), filename="mot-phan.csv", partial=True
    )
    assert (result.written, result.rejected) == (2, 1)
    assert StaffMembership.objects.get(person=sew).manager == StaffMembership.objects.get(person=lead)
    rejected = list(csv.reader(io.StringIO(result.rejected_file.decode("utf-8-sig"))))  # type: ignore[union-attr]
    assert rejected[0][-1] == "Lỗi"
    assert [r[0] for r in rejected[1:]] == ["019099000000"]


def test_an_existing_head_and_an_existing_member_are_row_errors_D3(staff: StaffTree, cast: Any) -> None:
    rows = [
        [staff.deputy.person.cccd, "", "", "", "Tổ phó", "", "", "", "", "01/03/2024"],
        [staff.peer.person.cccd, "", "", "", "Tổ trưởng", "", "", "Có", "", "01/03/2024"],
    ]
    peer_elsewhere = StaffMembershipFactory(person=staff.peer.person, organisation=staff.workshop, position="Kho")
    assert peer_elsewhere.pk
    result = staff_import(actor=cast.oanh, organisation=staff.team, upload=csv_bytes(rows), filename="team.csv")
    messages = {e.row: e.message for e in result.errors}
    assert "đang công tác tại cơ quan, đơn vị này" in messages[2]
    assert "đang công tác tại cơ quan, đơn vị này" in messages[3]
    rows = [[staff.outsider.person.cccd, "", "", "", "Tổ trưởng", "", "", "Có", "", "01/03/2024"]]
    result = staff_import(actor=None, organisation=staff.team, upload=csv_bytes(rows), filename="team.csv")
    assert "đã có thủ trưởng: Phạm Thị Tổ" in result.errors[0].message


def test_file_level_errors_and_scope_D3(staff: StaffTree, line: dict[str, Any], cast: Any) -> None:
    without_position = csv_bytes([[line["lead"].cccd, "01/03/2024"]], header=["Số CCCD", "Từ ngày"])
    with pytest.raises(tb.TabularFileError) as missing:
        staff_import(actor=cast.oanh, organisation=line["org"], upload=without_position, filename="x.csv")
    assert "Chức vụ" in str(missing.value.message)
    with pytest.raises(tb.TabularFileError) as encoding:
        staff_import(
            actor=cast.oanh,
            organisation=line["org"],
            upload=csv_bytes([]).decode().encode("utf-16"),
            filename="x.csv",
        )
    assert "UTF" in str(encoding.value.message)
    with pytest.raises(NotInScope):
        staff_import(actor=cast.chi, organisation=line["org"], upload=csv_bytes([]), filename="x.csv")
    assert not AuditLog.objects.filter(action=AuditAction.IMPORT).exists()


def test_an_export_can_be_imported_into_another_organisation_D3(
    staff: StaffTree, line: dict[str, Any], cast: Any
) -> None:
    StaffMembershipFactory(
        person=line["sew"], organisation=line["org"], position="Thợ may", start_date=date(2023, 5, 1)
    )
    exported = staff_export(user=cast.oanh, organisation=line["org"], fmt="xlsx")
    sibling = OrganisationFactory(
        name="Tổ may số 3", kind=OrganisationKind.ENTERPRISE, unit=line["org"].unit, parent=staff.workshop
    )
    result = staff_import(actor=cast.oanh, organisation=sibling, upload=exported.content, filename="to-2.xlsx")
    assert result.ok, result.errors
    moved = StaffMembership.objects.get(person=line["sew"], organisation=sibling)
    assert (moved.position, moved.start_date) == ("Thợ may", date(2023, 5, 1))


def test_import_page_reports_errors_and_serves_the_rejected_rows_D3(
    client: Client, staff: StaffTree, line: dict[str, Any], cast: Any
) -> None:
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(HEADER)
    sheet.append([line["lead"].cccd, "", "", "", "Tổ trưởng", "", "", "Có", "", "01/03/2024"])
    sheet.append(["019099000000", "", "", "", "Công nhân", "", "", "", "", "01/03/2024"])
    buffer = io.BytesIO()
    workbook.save(buffer)
    client.force_login(cast.oanh)
    url = reverse("people:staff-import", args=[line["org"].uid])
    upload = SimpleUploadedFile("to-may.xlsx", buffer.getvalue())
    response = client.post(url, {"file": upload})
    assert response.status_code == 200
    html = response.content.decode()
    assert "Không có ai mang số CCCD 019099000000" in html
    assert not StaffMembership.objects.filter(organisation=line["org"]).exists()
    rejected_url = response.context["rejected_url"]
    assert client.get(rejected_url).status_code == 200
    client.force_login(cast.alice)
    assert client.get(rejected_url).status_code == 404  # only for the importer
    client.force_login(cast.oanh)
    upload = SimpleUploadedFile("to-may.xlsx", buffer.getvalue())
    partial = client.post(url, {"file": upload, "partial": "on"})
    assert partial.context["result"].written == 1
    assert StaffMembership.objects.get(organisation=line["org"]).person == line["lead"]
    template = client.get(reverse("people:staff-import-template", args=["csv"]))
    assert template.content.decode("utf-8-sig").splitlines()[0] == ",".join(HEADER)


def test_a_vietnamese_file_imports_under_an_english_interface_D3(
    staff: StaffTree, line: dict[str, Any], cast: Any
) -> None:
    from django.utils import translation

    rows = [[line["lead"].cccd, "", "", "", "Tổ trưởng", "Người lao động", "Có", "Có", "", "01/03/2024"]]
    with translation.override("en"):
        english_header = [c.header for c in staff_import_columns()]
        result = staff_import(actor=cast.oanh, organisation=line["org"], upload=csv_bytes(rows), filename="vi.csv")
    assert result.ok, result.errors
    assert english_header != HEADER  # the interface's own headers are English
    assert StaffMembership.objects.get(person=line["lead"]).category == "worker"
