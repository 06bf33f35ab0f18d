"""Fixtures of the command tests on the root ``tree``/``cast``: a few organisations across the tree, a
standing-committee member, files kept under a temporary MEDIA_ROOT, and PDF/JPEG bytes."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from pathlib import Path
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

PDF_BYTES = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
JPEG_BYTES = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00" + b"\x00" * 64


@pytest.fixture(autouse=True)
def _media(settings: Any, tmp_path: Path) -> None:
    settings.MEDIA_ROOT = tmp_path / "media"


def pdf(name: str = "phuong-an.pdf", content: bytes = PDF_BYTES) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, content_type="application/pdf")


def jpeg(name: str = "anh.jpg") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, JPEG_BYTES, content_type="image/jpeg")


@dataclass
class Orgs:
    ubnd_city: Any  # UBND Thành phố Thái Nguyên (unit: city)
    school: Any  # a school in Quán Triều
    hospital: Any  # a provincial hospital (unit: province)
    enterprise: Any  # cast.enterprise, in Đắc Sơn (Phổ Yên)
    sara: Any  # a standing-committee member of the province
    tuan: Any  # head of the school


@pytest.fixture
def orgs(tree: Any, cast: Any) -> Orgs:
    from phongdich.core.models import User
    from phongdich.orgs.models import OrganisationKind, Role
    from phongdich.orgs.services import organisation_create, role_assign

    ubnd = organisation_create(
        name="UBND thành phố Thái Nguyên", kind=OrganisationKind.PEOPLES_COMMITTEE, unit=tree.city
    )
    school = organisation_create(name="Trường Tiểu học Quán Triều", kind=OrganisationKind.SCHOOL, unit=tree.quan_trieu)
    hospital = organisation_create(name="Bệnh viện tỉnh", kind=OrganisationKind.HOSPITAL, unit=tree.province)
    sara = User.objects.create_user(username="sara", password=cast.password, first_name="Sara")
    role_assign(user=sara, role=Role.STANDING_COMMITTEE, unit=tree.province)
    tuan = User.objects.create_user(username="tuan", password=cast.password, first_name="Tuấn")
    role_assign(user=tuan, role=Role.ORGANISATION_HEAD, organisation=school)
    return Orgs(ubnd, school, hospital, cast.enterprise, sara, tuan)


@pytest.fixture
def plan_data() -> dict[str, Any]:
    return {
        "title": "Phương án phòng, chống dịch",
        "content": "Khi có ca nhiễm: khoanh vùng, xét nghiệm toàn bộ, cách ly F1.",
        "approved_on": date(2021, 11, 10),
        "approved_by": "Nguyễn Văn A, Giám đốc",
    }


def _aware(day: date, hour: int = 17) -> datetime:
    return timezone.make_aware(datetime.combine(day, time(hour)))


@pytest.fixture
def directive(orgs: Any, cast: Any) -> Any:
    from phongdich.command.services import directive_create, task_add

    d = directive_create(
        actor=orgs.sara,
        number="600-CV/TU",
        issued_on=date(2021, 11, 6),
        issuing_body="Tỉnh ủy Thái Nguyên",
        kind="official_letter",
        title="Tăng cường kiểm soát phòng, chống dịch",
    )
    today = timezone.localdate()
    # "2": past deadline (school, enterprise); "2.10": deadline tomorrow (city); "2.9": daily (hospital, lead).
    task_add(
        actor=orgs.sara,
        directive=d,
        number="2",
        title="Khai báo bằng mã QR tại trụ sở",
        assignees=[orgs.school, orgs.enterprise],
        due_at=_aware(today - timedelta(days=3)),
    )
    task_add(
        actor=orgs.sara,
        directive=d,
        number="2.10",
        title="Xây dựng phương án theo cấp độ",
        assignees=[orgs.ubnd_city],
        due_at=_aware(today + timedelta(days=1)),
    )
    task_add(
        actor=cast.alice,
        directive=d,
        number="2.9",
        title="Báo cáo hằng ngày",
        assignees=[],
        lead=orgs.hospital,
        deadline_kind="daily",
        daily_time=time(0, 0),  # any moment of today is past the cutoff: overdue until reported before it
    )
    return d
