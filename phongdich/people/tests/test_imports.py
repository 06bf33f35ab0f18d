"""The people import (D3, D4) on core.tabular: scope of the rows, registered CCCDs, employees, Excel."""

from __future__ import annotations

import io
from typing import Any

from openpyxl import Workbook

from phongdich.people.imports import people_import
from phongdich.people.models import Person
from phongdich.people.services import CCCD_ELSEWHERE

from .conftest import People

HEADER = "Họ và tên,Năm sinh,Giới tính,Số CCCD,Số điện thoại,Mã đơn vị cư trú"


def test_a_cccd_registered_outside_scope_is_a_row_error_that_reveals_no_one_D4(people: People, cast: Any) -> None:
    text = f"{HEADER}\nAi Đó,1985,Nam,{people.an.cccd},,05434\n"
    outcome = people_import(actor=cast.chi, upload=text.encode(), partial=True)
    [error] = outcome.result.errors
    assert (error.row, error.column, error.message) == (2, "Số CCCD", str(CCCD_ELSEWHERE))
    assert "Nguyễn" not in error.message


def test_a_twin_outside_scope_does_not_block_nor_leak_D4(people: People, cast: Any) -> None:
    # Đào (Quán Triều) has this phone, name and year; chi cannot see her, so the row is simply written
    text = f"{HEADER}\nTrần Thị Đào,1990,Nữ,,0987654321,05434\n"
    outcome = people_import(actor=cast.chi, upload=text.encode())
    assert outcome.result.ok
    assert Person.objects.filter(name_folded="tran thi dao").count() == 2


def test_an_organisation_head_imports_staff_living_anywhere_D4(tree: Any, cast: Any) -> None:
    text = f"{HEADER}\nLương Văn Thợ,1999,Nam,,,05431\nMa Thị Kim,2000,Nữ,,,05857\n"
    refused = people_import(actor=cast.oanh, upload=text.encode())
    assert [e.column for e in refused.result.errors] == ["Mã đơn vị cư trú", "Mã đơn vị cư trú"]
    outcome = people_import(actor=cast.oanh, upload=text.encode(), organisation=cast.enterprise)
    assert outcome.result.written == 2
    assert set(Person.objects.for_user(cast.oanh).values_list("full_name", flat=True)) == {
        "Lương Văn Thợ",
        "Ma Thị Kim",
    }


def test_excel_file_with_numbers_and_dates_as_cells_D3(tree: Any, cast: Any) -> None:
    import datetime as dt

    wb = Workbook()
    ws = wb.active
    ws.append(["Họ và tên", "Ngày sinh", "Giới tính", "Số CCCD", "Số điện thoại", "Mã đơn vị cư trú"])
    ws.append(["Hà Văn Tư", dt.datetime(1980, 3, 2), "nam", 19080123456, 912000001, 5431])
    buffer = io.BytesIO()
    wb.save(buffer)
    outcome = people_import(actor=cast.cuong, upload=buffer.getvalue(), filename="ds.xlsx")
    assert outcome.result.ok, outcome.result.errors
    person = Person.objects.get()
    assert (person.cccd, person.phone, person.birth_date, person.residence_unit) == (
        "019080123456",
        "0912000001",
        dt.date(1980, 3, 2),
        tree.quan_trieu,
    )


def test_duplicates_inside_the_file_are_row_errors_D3(tree: Any, cast: Any) -> None:
    text = (
        f"{HEADER}\nHà Văn Tư,1980,Nam,019080123456,,05431\nHà Văn Tư,1980,Nam,019080123456,,05431\n"
        "Lò Thị Xuân,1999,Nữ,,0912000002,05431\nLO THI XUAN,1999,Nữ,,0912 000 002,05431\n"
    )
    outcome = people_import(actor=cast.cuong, upload=text.encode())
    assert [(e.row, e.column) for e in outcome.result.errors] == [(3, "Số CCCD"), (5, "")]
    assert not Person.objects.exists()


def test_a_vietnamese_file_imports_under_an_english_interface_D3(tree: Any, cast: Any) -> None:
    from django.utils import translation

    from phongdich.people.imports import columns

    text = f"{HEADER}\nHà Văn Tư,1980,Nam,019080123456,,05431\n"
    with translation.override("en"):
        english = [c.header for c in columns()]
        outcome = people_import(actor=cast.cuong, upload=text.encode())
    assert "Full name" in english  # the interface speaks English, the file Vietnamese
    assert outcome.result.ok, outcome.result.errors
    assert Person.objects.get().full_name == "Hà Văn Tư"
