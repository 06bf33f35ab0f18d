"""Person pages (D3, D4, M6): scope per persona, audited reads and exports, forms in Vietnamese, merge, import."""

from __future__ import annotations

import csv
import io
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from openpyxl import load_workbook

from phongdich.core.models import AuditAction, AuditLog
from phongdich.people.models import Person, StaffMembership
from phongdich.people.validators import CCCD_CENTURY, CCCD_PROVINCE, PHONE_PREFIX

from .conftest import PERSONAS, VISIBLE, People, make_person


def login(client: Client, user: Any) -> Client:
    client.force_login(user)
    return client


def form_data(tree: Any, **extra: Any) -> dict[str, Any]:
    return {
        "full_name": "Ngô Thị Hằng",
        "birth_date": "1993-07-15",
        "birth_year": "",
        "sex": "F",
        "nationality": "VN",
        "residence_unit": str(tree.quan_trieu.uid),
        **extra,
    }


def test_pages_need_login_D4(client: Client, people: People) -> None:
    for url in (reverse("people:list"), reverse("people:detail", args=[people.an.uid]), reverse("people:create")):
        response = client.get(url)
        assert response.status_code == 302
        assert reverse("login") in response["Location"]


@pytest.mark.parametrize("persona", PERSONAS)
def test_each_persona_lists_exactly_their_people_D4(client: Client, people: People, cast: Any, persona: str) -> None:
    response = login(client, getattr(cast, persona)).get(reverse("people:list"))
    assert response.status_code == 200
    listed = {p.full_name for p in response.context["page"].items}
    assert listed == {getattr(people, key).full_name for key in VISIBLE[persona]}
    html = response.content.decode()
    for person in people.all():
        assert (person.full_name in html) == (person.full_name in listed)


@pytest.mark.parametrize("persona", PERSONAS)
def test_detail_page_404_out_of_scope_and_audited_read_in_scope_D4(
    client: Client, people: People, cast: Any, persona: str
) -> None:
    user = getattr(cast, persona)
    login(client, user)
    for key in ("an", "dao", "lan", "kim", "binh", "dung", "em"):
        person = getattr(people, key)
        before = AuditLog.objects.filter(action=AuditAction.READ, object_uid=str(person.uid)).count()
        response = client.get(reverse("people:detail", args=[person.uid]))
        after = AuditLog.objects.filter(action=AuditAction.READ, object_uid=str(person.uid)).count()
        if key in VISIBLE[persona]:
            assert response.status_code == 200
            assert after == before + 1
            line = AuditLog.objects.filter(action=AuditAction.READ, object_uid=str(person.uid)).first()
            assert line is not None
            assert (line.actor, line.path) == (user, reverse("people:detail", args=[person.uid]))
        else:
            assert response.status_code == 404
            assert after == before
            for name in ("edit", "merge"):
                assert client.get(reverse(f"people:{name}", args=[person.uid])).status_code == 404


def test_detail_shows_identity_residence_and_memberships_D3(client: Client, people: People, cast: Any) -> None:
    StaffMembership.objects.create(
        person=people.dung, organisation=cast.enterprise, position="Tổ trưởng", start_date="2020-01-01"
    )
    html = login(client, cast.dan).get(reverse("people:detail", args=[people.dung.uid])).content.decode()
    assert "Phường Quang Vinh, Thành phố Thái Nguyên, Tỉnh Thái Nguyên" in html
    assert "Công ty TNHH Mẫu" in html
    assert "Tổ trưởng" in html


def test_search_box_is_diacritic_insensitive_D3(client: Client, people: People, cast: Any) -> None:
    login(client, cast.cuong)
    for q in ("nguyen van an", "NGUYEN VAN AN", "Nguyễn Văn An"):
        response = client.get(reverse("people:list"), {"q": q})
        assert [p.full_name for p in response.context["page"].items] == ["Nguyễn Văn An"]
    partial = client.get(reverse("people:list"), {"q": "tran thi dao"}, headers={"HX-Request": "true"})
    assert "Trần Thị Đào" in partial.content.decode()
    assert "<html" not in partial.content.decode()


def test_list_filters_by_commune_and_pages_by_keyset_D3(client: Client, people: People, cast: Any, tree: Any) -> None:
    login(client, cast.dan)
    response = client.get(reverse("people:list"), {"unit": str(tree.quang_vinh.uid)})
    assert {p.full_name for p in response.context["page"].items} == {"Lê Văn Bình", "Đỗ Đức Dũng"}
    # a commune outside the user's scope is not a filter they can use
    assert client.get(reverse("people:list"), {"unit": str(tree.dac_son.uid)}).status_code == 404
    for i in range(55):
        make_person(full_name=f"Bùi Văn Số{i:02d}", birth_year=1980, sex="M", residence_unit=tree.quang_vinh)
    first = client.get(reverse("people:list"))
    assert len(first.context["page"].items) == 50
    next_url = first.context["next_url"]
    assert "after=" in next_url
    second = client.get(reverse("people:list") + next_url)
    names_1 = {p.pk for p in first.context["page"].items}
    names_2 = {p.pk for p in second.context["page"].items}
    assert not names_1 & names_2
    assert len(names_1 | names_2) == 61


def test_list_page_query_count_is_pinned_D3(
    client: Client, people: People, cast: Any, tree: Any, django_assert_max_num_queries: Any
) -> None:
    for i in range(60):
        make_person(full_name=f"Vũ Thị Mẫu{i:02d}", birth_year=1990, sex="F", residence_unit=tree.quan_trieu)
    login(client, cast.cuong)
    client.get(reverse("people:list"))
    # session, user, roles, communes filter, unread notifications, the page itself — not one query per row
    with django_assert_max_num_queries(7):
        response = client.get(reverse("people:list"))
    assert len(response.context["page"].items) == 50
    with django_assert_max_num_queries(8):  # the same, and the cursor's row
        client.get(reverse("people:list"), {"q": "vu thi", "after": response.context["page"].next_after})


# --- Exports -----------------------------------------------------------------------------------


@pytest.mark.parametrize("persona", ["alice", "cuong", "oanh"])
def test_csv_export_is_scoped_and_audited_with_row_count_D4(
    client: Client, people: People, cast: Any, persona: str
) -> None:
    user = getattr(cast, persona)
    response = login(client, user).get(reverse("people:export", args=["csv"]))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    exported = {row[1] for row in rows[1:]}
    assert exported == {getattr(people, key).full_name for key in VISIBLE[persona]}
    line = AuditLog.objects.get(action=AuditAction.EXPORT)
    assert (line.actor, line.detail["rows"], line.detail["format"]) == (user, len(exported), "csv")


def test_excel_export_with_search_D4(client: Client, people: People, cast: Any) -> None:
    response = login(client, cast.dan).get(reverse("people:export", args=["xlsx"]), {"q": "le van"})
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(response.content)).worksheets[0]
    values = list(sheet.iter_rows(values_only=True))
    assert values[0][1] == "Họ và tên"
    assert [row[1] for row in values[1:]] == ["Lê Văn Bình"]
    assert AuditLog.objects.get(action=AuditAction.EXPORT).detail["rows"] == 1


def test_unknown_export_format_is_refused_without_an_audit_line_D4(client: Client, people: People, cast: Any) -> None:
    response = login(client, cast.alice).get(reverse("people:export", args=["pdf"]))
    assert response.status_code == 302
    assert not AuditLog.objects.filter(action=AuditAction.EXPORT).exists()


def test_foreigners_page_and_export_M6(client: Client, people: People, cast: Any, tree: Any) -> None:
    make_person(full_name="Vàng A Páo", birth_year=1990, sex="M", residence_unit=tree.quang_vinh, illegal_entry=True)
    login(client, cast.dan)
    response = client.get(reverse("people:foreigners"))
    assert [p.full_name for p in response.context["page"].items] == ["Kim Min Jun", "Vàng A Páo"]
    export = client.get(reverse("people:foreigners-export", args=["csv"]))
    rows = list(csv.reader(io.StringIO(export.content.decode("utf-8-sig"))))
    assert [row[1] for row in rows[1:]] == ["Kim Min Jun", "Vàng A Páo"]
    line = AuditLog.objects.get(action=AuditAction.EXPORT)
    assert line.detail["foreigners"] is True
    assert line.detail["rows"] == 2
    chi_sees = login(client, cast.chi).get(reverse("people:foreigners")).context["page"].items
    assert [p.full_name for p in chi_sees] == ["Vàng A Páo"]
    assert login(client, cast.hoa).get(reverse("people:foreigners")).context["page"].items == []


# --- Create, edit ----------------------------------------------------------------------------------


def test_create_page_creates_and_audits_D3(client: Client, tree: Any, cast: Any) -> None:
    response = login(client, cast.cuong).post(reverse("people:create"), form_data(tree, phone="0912 111 222"))
    person = Person.objects.get(full_name="Ngô Thị Hằng")
    assert response.status_code == 302
    assert response["Location"] == reverse("people:detail", args=[person.uid])
    assert (person.birth_year, person.phone) == (1993, "0912111222")
    assert AuditLog.objects.get(action=AuditAction.CREATE, object_uid=str(person.uid)).actor == cast.cuong


@pytest.mark.parametrize(
    ("extra", "field", "message"),
    [
        ({"cccd": "003193000001"}, "cccd", str(CCCD_PROVINCE)),
        ({"cccd": "019393000001"}, "cccd", str(CCCD_CENTURY)),
        ({"phone": "0312 345 678"}, "phone", str(PHONE_PREFIX)),
        ({"birth_date": "2999-01-01"}, "birth_date", "Ngày sinh không được ở tương lai."),
        ({"birth_date": "", "birth_year": ""}, "birth_year", "Vui lòng nhập ngày sinh hoặc năm sinh."),
        ({"birth_date": "15/07/abc"}, "birth_date", "Nhập một ngày hợp lệ."),
        ({"full_name": ""}, "full_name", "Trường này là bắt buộc."),
    ],
)
def test_invalid_input_gets_a_vietnamese_message_on_the_field_D3(
    client: Client, tree: Any, cast: Any, extra: dict[str, Any], field: str, message: str
) -> None:
    response = login(client, cast.cuong).post(reverse("people:create"), form_data(tree, **extra))
    assert response.status_code == 200
    assert message in response.context["form"].errors[field]
    assert message in response.content.decode()
    assert not Person.objects.exists()


def test_create_in_a_unit_outside_scope_is_not_offered_D4(client: Client, tree: Any, cast: Any) -> None:
    response = login(client, cast.chi).post(reverse("people:create"), form_data(tree))
    assert "residence_unit" in response.context["form"].errors
    assert not Person.objects.exists()


def test_same_cccd_opens_the_existing_record_D3(client: Client, people: People, cast: Any, tree: Any) -> None:
    data = form_data(tree, full_name="Nguyen Van An", birth_date="1985-03-02", sex="M", cccd=people.an.cccd)
    response = login(client, cast.cuong).post(reverse("people:create"), data, follow=True)
    assert response.redirect_chain[-1][0] == reverse("people:detail", args=[people.an.uid])
    assert "đã được đăng ký" in response.content.decode()
    assert Person.objects.filter(name_folded="nguyen van an").count() == 1


def test_possible_duplicate_warns_then_create_anyway_or_complete_existing_D3(
    client: Client, people: People, cast: Any, tree: Any
) -> None:
    login(client, cast.cuong)
    data = form_data(
        tree,
        full_name="NGUYEN VAN AN",
        birth_date="",
        birth_year="1985",
        sex="M",
        phone="0912345678",
        address="Xóm Mới",
    )
    warning = client.post(reverse("people:create"), data)
    assert warning.status_code == 200
    assert "Có thể trùng hồ sơ" in warning.content.decode()
    assert warning.context["candidates"] == [people.an]
    assert Person.objects.filter(name_folded="nguyen van an").count() == 1
    # "the same person": the existing record is completed where blank, nothing new is created
    people.an.address = ""
    people.an.save()
    same = client.post(reverse("people:create"), {**data, "action": f"same:{people.an.uid}"})
    assert same["Location"] == reverse("people:detail", args=[people.an.uid])
    people.an.refresh_from_db()
    assert people.an.address == "Xóm Mới"
    assert Person.objects.filter(name_folded="nguyen van an").count() == 1
    # "create anyway"
    forced = client.post(reverse("people:create"), {**data, "action": "force"})
    assert forced.status_code == 302
    assert Person.objects.filter(name_folded="nguyen van an").count() == 2


def test_edit_page_updates_and_audits_D3(client: Client, people: People, cast: Any, tree: Any) -> None:
    login(client, cast.cuong)
    page = client.get(reverse("people:edit", args=[people.dao.uid]))
    assert page.context["form"].initial["cccd"] == people.dao.cccd
    data = {
        "full_name": "Trần Thị Đào",
        "birth_year": "1990",
        "sex": "F",
        "cccd": people.dao.cccd,
        "nationality": "VN",
        "phone": "0987654321",
        "residence_unit": str(tree.xom1.uid),
        "occupation": "Buôn bán",
    }
    response = client.post(reverse("people:edit", args=[people.dao.uid]), data)
    assert response.status_code == 302
    people.dao.refresh_from_db()
    assert (people.dao.residence_unit, people.dao.occupation) == (tree.xom1, "Buôn bán")
    line = AuditLog.objects.get(action=AuditAction.UPDATE, object_uid=str(people.dao.uid))
    assert line.detail["changed"] == ["occupation", "residence_unit"]


# --- Merge -----------------------------------------------------------------------------------------


def test_merge_page_merges_and_hides_the_tombstone_D3(client: Client, people: People, cast: Any, tree: Any) -> None:
    twin = make_person(full_name="Nguyễn Văn An", birth_year=1985, sex="M", residence_unit=tree.xom1, occupation="Thợ")
    StaffMembership.objects.create(person=twin, organisation=cast.enterprise, start_date="2021-01-01")
    login(client, cast.cuong)
    page = client.get(reverse("people:merge", args=[people.an.uid]))
    assert twin in page.context["suggestions"]
    confirm = client.get(reverse("people:merge", args=[people.an.uid]), {"other": str(twin.uid)})
    assert confirm.context["other"] == twin
    response = client.post(
        reverse("people:merge", args=[people.an.uid]), {"other": str(twin.uid), "keep": str(people.an.uid)}
    )
    assert response["Location"] == reverse("people:detail", args=[people.an.uid])
    twin.refresh_from_db()
    assert twin.merged_into == people.an
    assert StaffMembership.objects.get().person == people.an
    listing = client.get(reverse("people:list"), {"q": "nguyen van an"})
    assert [p.pk for p in listing.context["page"].items] == [people.an.pk]
    # the tombstone's address leads to the kept record
    followed = client.get(reverse("people:detail", args=[twin.uid]))
    assert followed["Location"] == reverse("people:detail", args=[people.an.uid])
    assert AuditLog.objects.get(action=AuditAction.MERGE).detail["moved"] == {"people.staffmembership.person": 1}


def test_merge_page_refuses_a_record_outside_scope_D4(client: Client, people: People, cast: Any) -> None:
    login(client, cast.cuong)
    response = client.post(
        reverse("people:merge", args=[people.an.uid]), {"other": str(people.binh.uid), "keep": str(people.an.uid)}
    )
    assert response.status_code == 404
    people.binh.refresh_from_db()
    assert people.binh.merged_into is None


# --- Import ------------------------------------------------------------------------------------------

IMPORT_HEADER = "Họ và tên,Ngày sinh,Năm sinh,Giới tính,Số CCCD,Số điện thoại,Mã đơn vị cư trú,Địa chỉ"


def upload(text: str, name: str = "nhan-khau.csv") -> Any:
    from django.core.files.uploadedfile import SimpleUploadedFile

    return SimpleUploadedFile(name, text.encode("utf-8"), content_type="text/csv")


def test_import_page_writes_all_rows_when_all_are_valid_D3(client: Client, tree: Any, cast: Any) -> None:
    text = (
        IMPORT_HEADER
        + "\nHà Văn Tư,02/03/1980,,Nam,19080123456,0912 000 001,05431,Tổ 2\nLò Thị Xuân,,1999,Nữ,,,05431-01,\n"
    )
    response = login(client, cast.cuong).post(reverse("people:import"), {"file": upload(text)})
    assert response.status_code == 200
    assert response.context["outcome"].result.written == 2
    tu = Person.objects.get(full_name="Hà Văn Tư")
    assert (tu.cccd, tu.phone, tu.birth_year) == ("019080123456", "0912000001", 1980)  # Excel's lost zero restored
    assert AuditLog.objects.get(action=AuditAction.IMPORT).detail["written"] == 2


def test_import_page_reports_row_numbered_errors_and_writes_nothing_D3(client: Client, tree: Any, cast: Any) -> None:
    text = (
        IMPORT_HEADER
        + "\nHà Văn Tư,02/03/1980,,Nam,019280123456,,05431,\n"  # row 2: CCCD century digit
        + "Lò Thị Xuân,,1999,Nữ,,0312345678,05431,\n"  # row 3: phone prefix
        + "Vi Văn Út,,2001,Nam,,,05434,\n"  # row 4: Quang Vinh is not cuong's
        + "Đinh Thị Gấm,,1970,Nữ,,,05431,\n"  # row 5: valid
    )
    response = login(client, cast.cuong).post(reverse("people:import"), {"file": upload(text)})
    result = response.context["outcome"].result
    assert [(e.row, e.column) for e in result.errors] == [(2, "Số CCCD"), (3, "Số điện thoại"), (4, "Mã đơn vị cư trú")]
    assert str(CCCD_CENTURY) in response.content.decode()
    assert not Person.objects.exists()


def test_import_partial_writes_valid_rows_and_returns_rejected_file_D3(client: Client, tree: Any, cast: Any) -> None:
    text = IMPORT_HEADER + "\nLò Thị Xuân,,1999,Nữ,,0312345678,05431,\nĐinh Thị Gấm,,1970,Nữ,,,05431,\n"
    login(client, cast.cuong)
    response = client.post(reverse("people:import"), {"file": upload(text), "partial": "on"})
    assert list(Person.objects.values_list("full_name", flat=True)) == ["Đinh Thị Gấm"]
    token = response.context["rejected_token"]
    rejected = client.get(reverse("people:import-rejected", args=[token]))
    rows = list(csv.reader(io.StringIO(rejected.content.decode("utf-8-sig"))))
    assert rows[1][0] == "Lò Thị Xuân"
    assert "Đầu số" in rows[1][-1]
    assert login(client, cast.chi).get(reverse("people:import-rejected", args=[token])).status_code == 404


def test_import_skips_registered_cccd_and_flags_duplicates_D3(client: Client, people: People, cast: Any) -> None:
    text = (
        IMPORT_HEADER
        + f"\nNguyễn Văn An,,1985,Nam,{people.an.cccd},,05431,\n"  # already registered: kept, not an error
        + "Trần Thị Đào,,1990,Nữ,,0987654321,05431,\n"  # same phone, name and year as Đào: possible duplicate
    )
    response = login(client, cast.cuong).post(reverse("people:import"), {"file": upload(text), "partial": "on"})
    outcome = response.context["outcome"]
    assert outcome.already_registered == 1
    assert [e.row for e in outcome.result.errors] == [3]
    assert Person.objects.filter(name_folded="nguyen van an").count() == 1


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("Họ và tên,Giới tính,Mã đơn vị cư trú\n".encode(), "không có dòng dữ liệu"),
        ("Họ và tên,Giới tính\nA,Nam\n".encode("cp1258", errors="replace"), "UTF-8"),
        ("Họ và tên,Giới tính,Mã đơn vị cư trú,Màu tóc\nA,Nam,05431,đen\n".encode(), "Màu tóc"),
    ],
)
def test_import_file_errors_are_shown_on_the_form_D3(
    client: Client, tree: Any, cast: Any, content: bytes, message: str
) -> None:
    from django.core.files.uploadedfile import SimpleUploadedFile

    file = SimpleUploadedFile("x.csv", content, content_type="text/csv")
    response = login(client, cast.cuong).post(reverse("people:import"), {"file": file})
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not Person.objects.exists()


def test_import_template_download_D3(client: Client, cast: Any) -> None:
    response = login(client, cast.cuong).get(reverse("people:import-template", args=["csv"]))
    header = response.content.decode("utf-8-sig").splitlines()[0]
    assert header.startswith("Họ và tên,Ngày sinh,Năm sinh,Giới tính")
