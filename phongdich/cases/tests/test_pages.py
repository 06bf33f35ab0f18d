"""Case pages: list and filters, export (audited), detail (audited read, history), register, status change,
statistics with the sentence, the green badges and the SVG curve; scope = 404 (C1, C2, C5, C6, D4)."""

from __future__ import annotations

import io
from collections.abc import Callable
from datetime import date
from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from openpyxl import load_workbook

from phongdich.cases.models import Case, CaseStatus, ReportedBy
from phongdich.cases.services import case_register
from phongdich.core.models import AuditAction, AuditLog

from .conftest import make_person


def login(client: Client, user: Any, cast: Any) -> Client:
    assert client.login(username=user.username, password=cast.password)
    return client


def test_list_filters_and_scope_C5_D4(client: Client, tree: Any, cast: Any, qt_case: Case) -> None:
    police = case_register(
        actor=None, person=make_person(tree.quan_trieu, "Lê Thị Báo"), detected_in="community", reported_by="police"
    )
    other = case_register(actor=None, person=make_person(tree.quang_vinh, "Vũ Văn Khác"), detected_in="entry")
    login(client, cast.cuong, cast)
    page = client.get(reverse("cases:list")).content.decode()
    assert qt_case.case_code in page
    assert police.case_code in page
    assert other.case_code not in page
    page = client.get(reverse("cases:list"), {"reported_by": ReportedBy.POLICE}).content.decode()
    assert police.case_code in page
    assert qt_case.case_code not in page
    login(client, cast.alice, cast)
    page = client.get(reverse("cases:list"), {"detected_in": "entry"}).content.decode()
    assert other.case_code in page
    assert qt_case.case_code not in page
    page = client.get(reverse("cases:list"), {"unit": str(tree.quang_vinh.uid)}).content.decode()
    assert other.case_code in page
    assert police.case_code not in page


def test_list_query_count_does_not_grow_with_rows_D4(client: Client, tree: Any, cast: Any) -> None:
    for _i in range(3):
        case_register(actor=None, person=make_person(tree.quan_trieu), detected_in="community")
    login(client, cast.dan, cast)
    client.get(reverse("cases:list"))
    with CaptureQueriesContext(connection) as few:
        assert client.get(reverse("cases:list")).status_code == 200
    for _i in range(20):
        case_register(actor=None, person=make_person(tree.quang_vinh), detected_in="community")
    with CaptureQueriesContext(connection) as many:
        assert client.get(reverse("cases:list")).status_code == 200
    assert len(many) == len(few) <= 10


def test_list_pages_by_keyset_C1(client: Client, tree: Any, cast: Any) -> None:
    cases = [case_register(actor=None, person=make_person(tree.quan_trieu), detected_in="community") for _ in range(3)]
    login(client, cast.alice, cast)
    from phongdich.cases.selectors import case_list

    first = case_list(user=cast.alice, limit=2)
    assert [c.pk for c in first.items] == [cases[2].pk, cases[1].pk]
    second = case_list(user=cast.alice, limit=2, after=first.next_after)
    assert [c.pk for c in second.items] == [cases[0].pk]
    assert second.next_after is None


def test_export_is_scoped_and_audited_C1_D4(client: Client, tree: Any, cast: Any, qt_case: Case) -> None:
    case_register(actor=None, person=make_person(tree.quang_vinh), detected_in="community")
    login(client, cast.cuong, cast)
    response = client.get(reverse("cases:export", args=["xlsx"]))
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][0] == "Mã ca bệnh"
    assert [r[0] for r in rows[1:]] == [qt_case.case_code]
    line = AuditLog.objects.filter(action=AuditAction.EXPORT, actor=cast.cuong).get()
    assert line.detail["rows"] == 1
    csv = client.get(reverse("cases:export", args=["csv"])).content.decode("utf-8-sig")
    assert qt_case.case_code in csv
    assert client.get(reverse("cases:export", args=["pdf"])).status_code == 302


def test_detail_is_an_audited_read_and_out_of_scope_is_404_D4(
    client: Client, tree: Any, cast: Any, qt_case: Case
) -> None:
    login(client, cast.chi, cast)
    assert client.get(reverse("cases:detail", args=[qt_case.uid])).status_code == 404
    post = client.post(reverse("cases:transition", args=[qt_case.uid]), {"to": "confirmed", "on_date": "2021-11-03"})
    assert post.status_code == 404
    assert not AuditLog.objects.filter(action=AuditAction.READ, object_uid=str(qt_case.uid)).exists()
    login(client, cast.cuong, cast)
    page = client.get(reverse("cases:detail", args=[qt_case.uid])).content.decode()
    assert qt_case.person.full_name in page
    assert "Lịch sử phân loại" in page
    # Only the allowed next statuses are offered.
    assert 'value="confirmed"' in page
    assert 'value="discarded"' in page
    assert 'value="recovered"' not in page
    assert 'value="died"' not in page
    assert AuditLog.objects.filter(action=AuditAction.READ, object_uid=str(qt_case.uid), actor=cast.cuong).count() == 1


def test_transition_form_moves_the_case_and_refuses_a_wrong_move_C1(
    client: Client, tree: Any, cast: Any, qt_case: Case
) -> None:
    login(client, cast.cuong, cast)
    url = reverse("cases:transition", args=[qt_case.uid])
    response = client.post(url, {"to": "recovered", "on_date": "2021-11-03"}, follow=True)
    assert "Không thể chuyển ca bệnh từ “Nghi ngờ” sang “Khỏi bệnh”." in response.content.decode()
    client.post(url, {"to": "confirmed", "on_date": "2021-11-03", "note": "PCR dương tính"})
    qt_case.refresh_from_db()
    assert (qt_case.status, qt_case.confirmation_date) == (CaseStatus.CONFIRMED, date(2021, 11, 3))
    page = client.get(reverse("cases:detail", args=[qt_case.uid])).content.decode()
    assert "PCR dương tính" in page


def test_register_from_search_and_with_field_errors_C1_C6(client: Client, tree: Any, cast: Any) -> None:
    person = make_person(tree.quan_trieu, "Đinh Thị Mới")
    outsider = make_person(tree.quang_vinh, "Đinh Thị Ngoài")
    login(client, cast.cuong, cast)
    search = client.get(reverse("cases:register"), {"q": "dinh thi"}).content.decode()
    assert person.full_name in search
    assert outsider.full_name not in search
    url = reverse("cases:register")
    assert client.get(url, {"person": str(outsider.uid)}).status_code == 404
    bad = client.post(
        url,
        {"person": str(person.uid), "status": "confirmed", "detected_in": "health_facility", "reported_by": "health"},
    )
    assert bad.status_code == 200
    assert "Ca xác định cần có ngày xác định." in bad.content.decode()
    assert not Case.objects.exists()
    ok = client.post(
        url,
        {
            "person": str(person.uid),
            "status": "confirmed",
            "detected_in": "community",
            "reported_by": "health",
            "sampling_date": "2021-11-05",
            "confirmation_date": "2021-11-06",
            "confirmation_time": "15:00",
        },
    )
    case = Case.objects.get()
    assert ok.status_code == 302
    assert ok["Location"] == reverse("cases:detail", args=[case.uid])
    assert case.confirmed_at is not None
    assert case.confirmed_at.hour == 8


def test_stats_page_shows_sentence_badges_and_curve_C1_C2(
    client: Client, tree: Any, cast: Any, confirmed_case: Callable[..., Case]
) -> None:
    confirmed_case(tree.quan_trieu, date(2021, 11, 2), onset=date(2021, 11, 1))
    confirmed_case(tree.dac_son, date(2021, 11, 3), detected_in="quarantine")
    login(client, cast.alice, cast)
    page = client.get(
        reverse("cases:stats"), {"start": "2021-11-01", "end": "2021-11-06", "end_time": "15:00"}
    ).content.decode()
    assert (
        "Tính từ ngày 01/11 đến 15h00 ngày 06/11/2021, tỉnh Thái Nguyên đã ghi nhận 2 trường hợp dương tính với "
        "SARS-CoV-2 tại thành phố Thái Nguyên và thị xã Phổ Yên."
    ) in page
    assert '<svg class="epicurve"' in page
    assert "<rect" in page
    assert "01/11/2021: 1" in page  # a bar's tooltip, and the table beside it
    assert page.count('class="badge green"') == 1  # Phổ Yên: its only case was found in quarantine
    assert page.count('class="badge red"') == 1
    bad = client.get(reverse("cases:stats"), {"start": "2021-11-06", "end": "2021-11-01"})
    assert "Ngày kết thúc phải sau ngày bắt đầu." in bad.content.decode()


@pytest.mark.parametrize("name", ["cases:list", "cases:stats", "cases:register"])
def test_pages_need_a_login_D4(client: Client, db: Any, name: str) -> None:
    assert client.get(reverse(name)).status_code == 302
