"""Dose import from a spreadsheet (V1): row-level Vietnamese errors, all-or-nothing, person look-up."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from phongdich.core.models import AuditLog
from phongdich.people.tests.factories import PersonFactory
from phongdich.vaccination.imports import doses_import
from phongdich.vaccination.models import Dose

pytestmark = pytest.mark.django_db

HEADER = "Số CCCD,Họ và tên,Năm sinh,Điện thoại,Vắc xin,Số lô,Mũi thứ,Ngày tiêm,Điểm tiêm"


def upload(lines: list[str], name: str = "mui-tiem.csv") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, ("\n".join(lines) + "\n").encode("utf-8"))


def test_every_bad_row_is_reported_and_nothing_is_written_V1(tree: Any, cast: Any, az_lot: Any, site: Any) -> None:
    a = PersonFactory(residence_unit=tree.quan_trieu, with_cccd=True)
    b = PersonFactory(residence_unit=tree.quan_trieu, with_cccd=True, birth_date=date(2005, 1, 1), birth_year=2005)
    far = PersonFactory(residence_unit=tree.quang_vinh, with_cccd=True)
    result = doses_import(
        actor=cast.cuong,
        upload=upload(
            [
                HEADER,
                f"{a.cccd},,,,AstraZeneca,ABV5811,1,01/07/2021,{site.name}",  # good
                f"{a.cccd},,,,AstraZeneca,ABV5811,2,10/07/2021,",  # too soon after dose 1 in the same file
                f"{b.cccd},,,,Pfizer,,1,01/07/2021,",  # 16 years old
                f"{far.cccd},,,,Moderna,,1,01/07/2021,",  # another commune
                "019000000000,,,,Vắc xin lạ,,1,01/07/2021,",
                f"{a.cccd},,,,Pfizer,ABV5811,,01/07/2021,",  # dose 2 of a … with an AstraZeneca lot
            ]
        ),
    )
    assert not result.ok
    messages = {e.row: e.message for e in result.errors}
    assert "ít nhất 28 ngày" in messages[3]
    assert "16 tuổi" in messages[4]
    assert "Không tìm thấy người có số CCCD" in messages[5]
    assert "Không tìm thấy người có số CCCD" in messages[6]
    assert "không phải Pfizer" in " ".join(e.message for e in result.errors if e.row == 7)
    assert 2 not in messages
    assert not Dose.objects.exists()


def test_a_clean_file_writes_every_dose_in_order_V1(tree: Any, cast: Any, az_lot: Any) -> None:
    a = PersonFactory(residence_unit=tree.xom1, with_cccd=True)
    b = PersonFactory(residence_unit=tree.quan_trieu, full_name="Hoàng Thị Mai", birth_year=1970, phone="0912345678")
    result = doses_import(
        actor=cast.cuong,
        upload=upload(
            [
                HEADER,
                f"{a.cccd},,,,astrazeneca,abv5811,,01/07/2021,",
                f"{a.cccd},,,,Pfizer-BioNTech,,,05/08/2021,",
                ",hoang thi mai,1970,0912345678,Sinopharm Vero Cell,,1,02/07/2021,",
            ]
        ),
    )
    assert result.ok, result.errors
    assert result.written == 3
    assert [(d.dose_number, d.completes_series) for d in Dose.objects.filter(person=a).order_by("dose_number")] == [
        (1, False),
        (2, True),
    ]
    assert Dose.objects.get(person=b).product.code == "sinopharm"
    assert AuditLog.objects.filter(action="import", detail__written=3).exists()


def test_without_cccd_the_name_year_and_phone_are_needed_V1(tree: Any, cast: Any) -> None:
    result = doses_import(actor=cast.cuong, upload=upload([HEADER, ",Nguyễn Văn A,,,Moderna,,1,01/07/2021,"]))
    assert "Hãy ghi số CCCD, hoặc đủ họ và tên, năm sinh và điện thoại." in [e.message for e in result.errors]
    assert not Dose.objects.exists()


def test_duplicate_dose_number_and_future_date_are_refused_V1(tree: Any, cast: Any) -> None:
    a = PersonFactory(residence_unit=tree.quan_trieu, with_cccd=True)
    result = doses_import(
        actor=cast.cuong,
        upload=upload([HEADER, f"{a.cccd},,,,Moderna,,1,01/07/2021,", f"{a.cccd},,,,Moderna,,1,01/09/2021,"]),
    )
    assert any("đã có mũi 1" in e.message for e in result.errors)
    result = doses_import(actor=cast.cuong, upload=upload([HEADER, f"{a.cccd},,,,Moderna,,1,01/01/2099,"]))
    assert any("tương lai" in e.message for e in result.errors)
    assert not Dose.objects.exists()
