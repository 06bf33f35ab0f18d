"""The area list: keyset pages without a full-table count and an audited Excel export with the list's filter;
the flagged-people export keeps the page's commune filter (M5, D4)."""

from __future__ import annotations

import io
import re
from datetime import date, timedelta
from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from openpyxl import load_workbook

from phongdich.core.models import AuditAction, AuditLog
from phongdich.zones.models import EpidemicArea, PlaceKind
from phongdich.zones.services import area_declare, visit_record
from phongdich.zones.views import area_page


@pytest.fixture
def flagged_area(cast: Any, residents: Any, da_nang: Any, django_capture_on_commit_callbacks: Any) -> EpidemicArea:
    """Đà Nẵng from 25/07/2020, with a resident of Quán Triều and one of Quang Vinh flagged."""
    for person, unit, source in (
        (residents.an, da_nang.thach_thang, "declaration:a"),
        (residents.binh, da_nang.son_tra, "declaration:b"),
    ):
        visit_record(
            actor=None,
            person=person,
            kind=PlaceKind.UNIT,
            unit=unit,
            from_date=date(2020, 7, 27),
            reported_on=date(2020, 8, 3),
            source=source,
        )
    with django_capture_on_commit_callbacks(execute=True):
        return area_declare(
            actor=cast.alice, kind=PlaceKind.UNIT, unit=da_nang.city, start_date=date(2020, 7, 25), source_number="257"
        )


def _rows(content: bytes) -> list[tuple[Any, ...]]:
    return list(load_workbook(io.BytesIO(content)).active.iter_rows(values_only=True))


def _countries(cast: Any, n: int) -> list[EpidemicArea]:
    codes = ["KR", "JP", "US", "FR", "DE"][:n]
    return [
        area_declare(
            actor=cast.alice,
            kind=PlaceKind.COUNTRY,
            country=code,
            start_date=date(2020, 3, 1) + timedelta(days=i // 2),  # two areas share a start date
            source_text="Thông báo",
        )
        for i, code in enumerate(codes)
    ]


def test_area_list_is_keyset_paged_without_a_count_M5(client: Client, cast: Any) -> None:
    made = _countries(cast, 5)
    expected = [a.pk for a in sorted(made, key=lambda a: (a.start_date, a.pk), reverse=True)]
    seen: list[int] = []
    after: str | None = None
    with CaptureQueriesContext(connection) as ctx:
        while True:
            rows, after_uid = area_page(user=cast.cuong, status="all", after=after, limit=2)
            seen += [a.pk for a in rows]
            if not after_uid:
                break
            after = after_uid
    assert seen == expected
    assert not any(re.match(r"\s*SELECT\s+COUNT\(\*\)", q["sql"], re.I) for q in ctx.captured_queries)
    client.force_login(cast.cuong)
    first = client.get(reverse("zones:area_list"), {"status": "all"}).content.decode()
    assert "Trang sau" not in first  # five areas fit on one page of fifty
    assert client.get(reverse("zones:area_list"), {"status": "all", "after": "nope"}).status_code == 404


def test_area_list_export_keeps_the_filter_and_is_audited_M5_D4(
    client: Client, cast: Any, flagged_area: EpidemicArea
) -> None:
    _countries(cast, 1)
    area_declare(
        actor=cast.alice,
        kind=PlaceKind.COUNTRY,
        country="JP",
        start_date=date(2020, 1, 1),
        end_date=date(2020, 2, 1),
        source_text="Thông báo",
    )
    client.force_login(cast.cuong)
    page = client.get(reverse("zones:area_list"), {"status": "ended"}).content.decode()
    assert f'href="{reverse("zones:area_list_export")}?status=ended"' in page
    ended = _rows(client.get(reverse("zones:area_list_export"), {"status": "ended"}).content)
    assert ended[0][0] == "Vùng dịch"
    assert len(ended) == 2
    everything = _rows(client.get(reverse("zones:area_list_export"), {"status": "all"}).content)
    flagged = {r[0]: r[-1] for r in everything[1:]}
    assert flagged[flagged_area.place_name] == 1  # cuong sees only his own commune's flagged resident
    lines = AuditLog.objects.filter(action=AuditAction.EXPORT, actor=cast.cuong).order_by("id")
    assert [(line.detail["status"], line.detail["rows"]) for line in lines] == [("ended", 1), ("all", 3)]


def test_flag_export_keeps_the_commune_filter_M5_D4(
    client: Client, cast: Any, tree: Any, flagged_area: EpidemicArea
) -> None:
    client.force_login(cast.dan)  # the city's district officer sees both residents
    url = reverse("zones:area_export", args=[flagged_area.uid, "xlsx"])
    assert len(_rows(client.get(url).content)) == 3
    detail = client.get(reverse("zones:area_detail", args=[flagged_area.uid]), {"unit": str(tree.quan_trieu.uid)})
    assert f"{url}?status=active&amp;unit={tree.quan_trieu.uid}" in detail.content.decode()
    only = _rows(client.get(url, {"status": "active", "unit": str(tree.quan_trieu.uid)}).content)
    assert [r[0] for r in only[1:]] == ["Nguyễn Văn An"]
    line = AuditLog.objects.filter(action=AuditAction.EXPORT, actor=cast.dan).order_by("-id").first()
    assert line is not None
    assert (line.detail["rows"], line.detail["unit"]) == (1, tree.quan_trieu.code)
