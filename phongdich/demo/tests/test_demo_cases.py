"""``manage.py demo`` registers seed 001's wave of cases through the case services (C1, C2, C5)."""

from __future__ import annotations

import io
from datetime import date, datetime
from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command
from django.utils import timezone

from phongdich.cases.models import Case, CaseStatus, ReportedBy
from phongdich.cases.selectors import case_counts, counts_sentence, days_since_last_community_case
from phongdich.core.models import User
from phongdich.geo.models import Unit

SEED_001 = (
    "Tính từ ngày 01/11 đến 15h00 ngày 06/11/2021, tỉnh Thái Nguyên đã ghi nhận 28 trường hợp dương tính với "
    "SARS-CoV-2 tại huyện Võ Nhai, thị xã Phổ Yên, thành phố Sông Công và thành phố Thái Nguyên."
)


@pytest.mark.django_db
def test_demo_registers_seed_001_cases_once_C1_C2_C5(settings: Any, tmp_path: Path) -> None:
    settings.VAR_DIR = tmp_path
    options: dict[str, Any] = {"people": 300, "verbosity": 0, "stderr": io.StringIO(), "until": "cases"}
    call_command("demo", stdout=io.StringIO(), **options)
    admin = User.objects.get(username="admin")
    start = timezone.make_aware(datetime(2021, 11, 1))
    end = timezone.make_aware(datetime(2021, 11, 6, 15))
    assert counts_sentence(case_counts(user=admin, start=start, end=end)) == SEED_001
    suspects = Case.objects.filter(status=CaseStatus.SUSPECTED)
    assert suspects.count() == 4
    assert set(suspects.values_list("reported_by", flat=True)) == {ReportedBy.POLICE}
    # The 2020 and July 2021 community cases give "days without a community case" before the wave;
    # the case found in quarantine on 20/07/2021 does not reset Phổ Yên's count.
    pho_yen = Unit.objects.get(tree="2021", code="172")
    assert (
        days_since_last_community_case(unit=pho_yen, today=date(2021, 10, 31))
        == (date(2021, 10, 31) - date(2020, 7, 30)).days
    )
    city = Unit.objects.get(tree="2021", code="164")
    assert days_since_last_community_case(unit=city, today=date(2021, 10, 31)) == 122
    count = Case.objects.count()
    out = io.StringIO()
    call_command("demo", stdout=out, **options)
    assert Case.objects.count() == count
    assert "Ca bệnh giả lập: 36 (giữ nguyên)." in out.getvalue()
