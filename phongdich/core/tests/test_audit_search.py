"""The audit log search page: province administrators and superusers only; filters; keyset pages; export."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime
from typing import Any
from unittest import mock
from zoneinfo import ZoneInfo

import pytest
from django.test import Client

from phongdich.core.audit import audit
from phongdich.core.middleware import RequestContext, _current
from phongdich.core.models import AuditAction, AuditLog, User

HCM = ZoneInfo("Asia/Ho_Chi_Minh")


@contextmanager
def from_address(ip: str) -> Iterator[None]:
    token = _current.set(RequestContext(ip=ip, user_agent="test", path="/x/"))
    try:
        yield
    finally:
        _current.reset(token)


@contextmanager
def at(when: datetime) -> Iterator[None]:
    with mock.patch("django.utils.timezone.now", return_value=when):
        yield


@pytest.fixture
def lines(cast: Any) -> dict[str, AuditLog]:
    """A handful of audit lines with distinct actors, actions, objects, dates and addresses."""
    out = {}
    with at(datetime(2021, 5, 3, 9, 0, tzinfo=HCM)), from_address("10.1.2.3"):
        out["cuong_read"] = audit(
            actor=cast.cuong, action=AuditAction.READ, object_type="people.person", object_uid="uid-1", summary="A"
        )
    with at(datetime(2021, 5, 4, 23, 30, tzinfo=HCM)), from_address("10.1.9.9"):
        out["chi_export"] = audit(
            actor=cast.chi, action=AuditAction.EXPORT, object_type="people.person", object_uid="", summary="B"
        )
    with at(datetime(2021, 5, 5, 0, 30, tzinfo=HCM)), from_address("192.0.2.1"):
        out["cuong_update"] = audit(
            actor=cast.cuong,
            action=AuditAction.UPDATE,
            object_type="orgs.organisation",
            object_uid="uid-2",
            summary="C",
        )
    return out


def _summaries(response: Any) -> set[str]:
    return {line.summary for line in response.context["page"].rows if line.summary in {"A", "B", "C"}}


@pytest.mark.parametrize(
    ("persona", "status"),
    [("alice", 200), ("superuser", 200), ("dan", 403), ("cuong", 403), ("hoa", 403), ("oanh", 403)],
)
def test_audit_search_only_for_province_admins_and_superusers_D4(
    cast: Any, client: Client, persona: str, status: int
) -> None:
    if persona == "superuser":
        user = User.objects.create_superuser("root", "root@example.org", "x")
    else:
        user = getattr(cast, persona)
    client.force_login(user)
    assert client.get("/audit/").status_code == status
    assert client.get("/audit/export.csv").status_code == status


def test_audit_search_anonymous_is_sent_to_login_D4(db: Any, client: Client) -> None:
    response = client.get("/audit/")
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ({}, {"A", "B", "C"}),
        ({"actor": "cuong"}, {"A", "C"}),
        ({"actor": "CUONG"}, {"A", "C"}),
        ({"action": "export"}, {"B"}),
        ({"object_type": "people.person"}, {"A", "B"}),
        ({"object_uid": "uid-2"}, {"C"}),
        ({"date_from": "2021-05-04"}, {"B", "C"}),
        ({"date_to": "2021-05-04"}, {"A", "B"}),
        ({"date_from": "2021-05-04", "date_to": "2021-05-04"}, {"B"}),
        ({"ip": "10.1.2.3"}, {"A"}),
        ({"ip": "10.1."}, {"A", "B"}),
        ({"actor": "cuong", "object_type": "people.person"}, {"A"}),
        ({"actor": "khong-ai"}, set()),
    ],
)
def test_audit_search_filters_D4(
    cast: Any, client: Client, lines: dict[str, AuditLog], query: dict[str, str], expected: set[str]
) -> None:
    client.force_login(cast.alice)
    response = client.get("/audit/", query)
    assert response.status_code == 200
    assert _summaries(response) == expected


@pytest.mark.parametrize(
    ("query", "field"),
    [({"ip": "not an ip"}, "ip"), ({"date_from": "2021-05-05", "date_to": "2021-05-01"}, "date_to")],
)
def test_audit_search_bad_filter_is_a_field_error_D4(
    cast: Any, client: Client, query: dict[str, str], field: str
) -> None:
    client.force_login(cast.alice)
    response = client.get("/audit/", query)
    assert response.status_code == 200
    assert field in response.context["form"].errors
    assert "field-error" in response.content.decode()


def test_audit_search_keyset_pages_D4(cast: Any, client: Client) -> None:
    for i in range(120):
        audit(actor=cast.cuong, action=AuditAction.READ, object_type="test.row", summary=f"row-{i}")
    client.force_login(cast.alice)
    seen: list[str] = []
    query: dict[str, str] = {"object_type": "test.row"}
    pages = 0
    while True:
        response = client.get("/audit/", query)
        page = response.context["page"]
        seen.extend(line.summary for line in page.rows)
        pages += 1
        if not page.next_cursor:
            break
        assert "cursor=" in response.context["next_query"]
        query = {"object_type": "test.row", "cursor": page.next_cursor}
    assert pages == 3
    assert seen == [f"row-{i}" for i in reversed(range(120))]


def test_audit_search_tampered_cursor_starts_over_D4(cast: Any, client: Client, lines: dict[str, AuditLog]) -> None:
    client.force_login(cast.alice)
    response = client.get("/audit/", {"cursor": "1:abc"})
    assert response.status_code == 200
    assert _summaries(response) == {"A", "B", "C"}


def test_audit_export_is_itself_audited_and_filtered_D4(cast: Any, client: Client, lines: dict[str, AuditLog]) -> None:
    client.force_login(cast.alice)
    response = client.get("/audit/export.csv", {"actor": "cuong"})
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    body = b"".join(response.streaming_content).decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(body)))
    assert rows[0][0] == "Thời điểm"
    assert sorted(r[5] for r in rows[1:]) == ["A", "C"]
    export = AuditLog.objects.get(action=AuditAction.EXPORT, object_type="core.auditlog")
    assert export.actor == cast.alice
    assert export.detail["filters"] == {"actor": "cuong"}


def test_audit_export_neutralises_spreadsheet_formulas_D4(cast: Any, client: Client) -> None:
    audit(actor=None, actor_username="=HYPERLINK(1)", action=AuditAction.LOGIN_FAILED, summary="=1+1")
    client.force_login(cast.alice)
    body = b"".join(client.get("/audit/export.csv", {"action": "login_failed"}).streaming_content).decode("utf-8-sig")
    row = list(csv.reader(io.StringIO(body)))[1]
    assert row[1] == "'=HYPERLINK(1)"
    assert row[5] == "'=1+1"


def test_audit_search_page_is_vietnamese_D4(cast: Any, client: Client, lines: dict[str, AuditLog]) -> None:
    client.force_login(cast.alice)
    html = client.get("/audit/").content.decode()
    assert "Nhật ký truy cập" in html
    assert "Xuất CSV" in html
    assert "Xem" in html
