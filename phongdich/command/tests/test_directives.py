"""Directives and their tasks (R3, R4): recording, assignment to agencies, progress with evidence, overdue and
completion through the database, scope (an agency sees the directives assigning it), pages, export, API."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse
from django.utils import timezone

from phongdich.command.models import Directive, TaskAssignment, TaskProgress
from phongdich.command.selectors import (
    assignment_queryset,
    directive_matrix,
    directive_page,
    overview,
    visible_directives,
)
from phongdich.command.services import directive_create, progress_report, task_add
from phongdich.core.errors import ValidationFailed
from phongdich.core.models import AuditLog

from .conftest import jpeg, pdf

pytestmark = pytest.mark.django_db


def _assignment(d: Directive, number: str, org: Any) -> TaskAssignment:
    return TaskAssignment.objects.get(task__directive=d, task__number=number, organisation=org)


def test_directive_number_checked_and_unique_R3(orgs: Any, directive: Directive) -> None:
    with pytest.raises(ValidationFailed) as exc:
        directive_create(
            actor=orgs.sara, number="600/cv", issued_on=date(2021, 11, 6), issuing_body="X", kind="directive", title="T"
        )
    assert exc.value.field == "number"
    with pytest.raises(ValidationFailed, match="đã được nhập"):
        directive_create(
            actor=orgs.sara,
            number="600-CV/TU",
            issued_on=date(2021, 11, 6),
            issuing_body="X",
            kind="directive",
            title="T",
        )
    unnumbered = directive_create(
        actor=orgs.sara, issued_on=date(2020, 7, 28), issuing_body="BCĐ tỉnh", kind="conclusion", title="Kết luận"
    )
    assert unnumbered.number == ""
    with pytest.raises(ValidationFailed, match="Chỉ nhận tệp PDF"):
        directive_create(
            actor=orgs.sara,
            issued_on=date(2021, 5, 1),
            issuing_body="X",
            kind="directive",
            title="T",
            attachment=pdf("a.pdf", b"nope"),
        )


def test_only_the_command_records_directives_and_tasks_R3(cast: Any, orgs: Any, directive: Directive) -> None:
    for user in (cast.dan, cast.oanh, orgs.tuan):
        with pytest.raises(PermissionDenied):
            directive_create(actor=user, issued_on=date(2021, 1, 1), issuing_body="X", kind="other", title="T")
        with pytest.raises(PermissionDenied):
            task_add(
                actor=user, directive=directive, number="9", title="T", assignees=[orgs.school], deadline_kind="ongoing"
            )


@pytest.mark.parametrize(
    ("override", "field"),
    [
        ({"number": "2.15."}, "number"),
        ({"number": "2"}, "number"),  # already there
        ({"assignees": []}, "assignees"),
        ({"deadline_kind": "once", "due_at": None}, "due_at"),
        ({"deadline_kind": "daily", "daily_time": None}, "daily_time"),
        ({"title": ""}, "title"),
    ],
)
def test_task_refuses_bad_input_R4(orgs: Any, directive: Directive, override: dict[str, Any], field: str) -> None:
    data: dict[str, Any] = {"number": "5", "title": "T", "assignees": [orgs.school], "deadline_kind": "ongoing"}
    data.update(override)
    with pytest.raises(ValidationFailed) as exc:
        task_add(actor=orgs.sara, directive=directive, **data)
    assert exc.value.field == field


def test_progress_history_done_and_reopened_R4(orgs: Any, directive: Directive) -> None:
    a = _assignment(directive, "2", orgs.school)
    progress_report(actor=orgs.tuan, assignment=a, status="in_progress", report="Đã in mã QR.")
    progress_report(actor=orgs.tuan, assignment=a, status="done", report="Đã dán mã QR.", evidence=jpeg())
    a.refresh_from_db()
    assert a.status == "done"
    assert a.done_at is not None
    done_at = a.done_at
    progress_report(actor=orgs.tuan, assignment=a, status="done", report="Bổ sung minh chứng.", evidence=pdf())
    a.refresh_from_db()
    assert a.done_at == done_at  # still done since the first time
    progress_report(actor=orgs.tuan, assignment=a, status="blocked", report="Mã bị bong, làm lại.")
    a.refresh_from_db()
    assert a.status == "blocked"
    assert a.done_at is None
    assert list(TaskProgress.objects.filter(assignment=a).order_by("id").values_list("status", flat=True)) == [
        "in_progress",
        "done",
        "done",
        "blocked",
    ]
    assert AuditLog.objects.filter(object_type="command.taskassignment").count() == 4


@pytest.mark.parametrize(
    ("upload", "message"),
    [
        (lambda: pdf("virus.exe", b"MZ\x90\x00"), "PDF hoặc ảnh"),
        (lambda: pdf("x.pdf", b"%PDF-" + b"0" * 4096), "Tệp quá lớn"),
    ],
)
def test_evidence_must_be_pdf_or_photo_within_limit_R4(
    orgs: Any, directive: Directive, settings: Any, upload: Any, message: str
) -> None:
    settings.COMMAND_ATTACHMENT_MAX_BYTES = 2048
    a = _assignment(directive, "2", orgs.school)
    with pytest.raises(ValidationFailed, match=message) as exc:
        progress_report(actor=orgs.tuan, assignment=a, status="done", report="Xong.", evidence=upload())
    assert exc.value.field == "evidence"
    a.refresh_from_db()
    assert a.status == "not_started"
    assert not TaskProgress.objects.exists()


def test_only_the_agency_or_officers_above_report_R4(cast: Any, orgs: Any, directive: Directive) -> None:
    a = _assignment(directive, "2", orgs.school)
    for user in (cast.oanh, cast.chi, cast.hoa):
        with pytest.raises(PermissionDenied):
            progress_report(actor=user, assignment=a, status="done", report="x")
    progress_report(actor=cast.cuong, assignment=a, status="in_progress", report="Phường đôn đốc.")


def test_overdue_and_completion_through_the_database_R3_R4(orgs: Any, directive: Directive) -> None:
    now = timezone.localtime()
    matrix = directive_matrix(user=orgs.sara, directive=directive)
    assert [row.task.number for row in matrix.rows] == ["2", "2.9", "2.10"]
    assert matrix.tally.total == 4
    assert matrix.tally.overdue == 3  # the past task twice, the daily one not reported
    assert matrix.tally.percent == 0
    progress_report(actor=orgs.tuan, assignment=_assignment(directive, "2", orgs.school), status="done", report="Xong")
    # reported before today's cutoff (the demo's system reports may be dated)
    progress_report(
        actor=None,
        assignment=_assignment(directive, "2.9", orgs.hospital),
        status="in_progress",
        report="Báo cáo ngày",
        at=now.replace(hour=0, minute=0, second=0, microsecond=0),
    )
    matrix = directive_matrix(user=orgs.sara, directive=directive)
    assert matrix.tally.done == 1
    assert matrix.tally.overdue == 1  # only the enterprise's share of task 2
    assert matrix.tally.percent == 25
    cells = {(c.assignment.task.number, c.assignment.organisation_id): c for row in matrix.rows for c in row.cells if c}
    assert cells[("2", orgs.enterprise.pk)].overdue
    assert not cells[("2", orgs.school.pk)].overdue
    assert cells[("2", orgs.school.pk)].late  # done after the deadline three days ago
    overdue_ids = set(assignment_queryset(user=orgs.sara, status="overdue").values_list("id", flat=True))
    assert overdue_ids == {_assignment(directive, "2", orgs.enterprise).pk}
    view = overview(user=orgs.sara)
    assert view.tally.overdue == 1
    assert view.agencies[0][0] == orgs.enterprise  # most overdue first


def test_scope_an_agency_sees_directives_assigning_it_R3(cast: Any, orgs: Any, directive: Directive, tree: Any) -> None:
    other = directive_create(
        actor=orgs.sara,
        number="23/CT-UBND",
        issued_on=date(2021, 5, 1),
        issuing_body="UBND tỉnh",
        kind="directive",
        title="T",
    )
    task_add(
        actor=orgs.sara,
        directive=other,
        number="1",
        title="Bệnh viện",
        assignees=[orgs.hospital],
        deadline_kind="ongoing",
    )
    assert set(visible_directives(orgs.sara)) == {directive, other}
    assert set(visible_directives(cast.alice)) == {directive, other}
    assert set(visible_directives(cast.oanh)) == {directive}  # the enterprise is assigned task 2
    assert set(visible_directives(cast.chi)) == set()  # nothing in Quang Vinh
    assert set(visible_directives(cast.dan)) == {directive}
    matrix = directive_matrix(user=cast.dan, directive=directive)
    assert {o.pk for o in matrix.organisations} == {orgs.school.pk, orgs.ubnd_city.pk}  # the city's agencies only
    rows = directive_page(user=cast.oanh).items
    assert [(r.directive, r.tally.total) for r in rows] == [(directive, 1)]


def test_pages_directives_detail_tasks_report_overview_R3_R4(
    client: Any, cast: Any, orgs: Any, directive: Directive
) -> None:
    client.force_login(orgs.tuan)
    listing = client.get(reverse("command:directives")).content.decode()
    assert "600-CV/TU" in listing
    detail = client.get(reverse("command:directive_detail", kwargs={"uid": directive.uid}))
    assert detail.status_code == 200
    assert "Quá hạn" in detail.content.decode()
    tasks = client.get(reverse("command:tasks"), {"status": "overdue"}).content.decode()
    assert "Khai báo bằng mã QR tại trụ sở" in tasks
    a = _assignment(directive, "2", orgs.school)
    url = reverse("command:assignment", kwargs={"uid": a.uid})
    bad = client.post(url, {"status": "done", "report": "Xong", "evidence": pdf("x.exe", b"MZ")})
    assert bad.status_code == 400
    assert "PDF hoặc ảnh" in bad.content.decode()
    ok = client.post(url, {"status": "done", "report": "Xong", "evidence": jpeg()})
    assert ok.status_code == 302
    progress = TaskProgress.objects.get()
    evidence = client.get(reverse("command:evidence", kwargs={"uid": progress.uid}))
    assert evidence.status_code == 200
    assert AuditLog.objects.filter(action="read", object_type="command.taskassignment").exists()
    assert client.get(reverse("command:overview")).status_code == 403
    assert client.get(reverse("command:directive_create")).status_code == 403
    client.force_login(cast.chi)
    assert client.get(reverse("command:directive_detail", kwargs={"uid": directive.uid})).status_code == 404
    assert client.get(reverse("command:evidence", kwargs={"uid": progress.uid})).status_code == 404
    assert client.post(url, {"status": "done", "report": "x"}).status_code == 404
    client.force_login(cast.dan)  # sees the school's task, may report for it (the district above)
    assert client.get(url).status_code == 200
    client.force_login(orgs.sara)
    assert "Tổng hợp tình hình" in client.get(reverse("command:overview")).content.decode()


def test_create_directive_and_task_pages_R3_R4(client: Any, orgs: Any) -> None:
    client.force_login(orgs.sara)
    bad = client.post(
        reverse("command:directive_create"),
        {
            "number": "600/xx",
            "issued_on": "2021-11-06",
            "issuing_body": "Tỉnh ủy",
            "kind": "official_letter",
            "title": "T",
        },
    )
    assert bad.status_code == 400
    assert "không đúng dạng" in bad.content.decode()
    ok = client.post(
        reverse("command:directive_create"),
        {
            "number": "600-CV/TU",
            "issued_on": "2021-11-06",
            "issuing_body": "Tỉnh ủy",
            "kind": "official_letter",
            "title": "T",
            "attachment": pdf(),
        },
    )
    assert ok.status_code == 302
    d = Directive.objects.get()
    assert client.get(reverse("command:directive_file", kwargs={"uid": d.uid})).status_code == 200
    url = reverse("command:task_create", kwargs={"uid": d.uid})
    missing_due = client.post(
        url, {"number": "2", "title": "QR", "assignees": [orgs.school.pk], "deadline_kind": "once"}
    )
    assert missing_due.status_code == 400
    created = client.post(
        url,
        {
            "number": "2",
            "title": "QR",
            "assignees": [orgs.school.pk, orgs.enterprise.pk],
            "deadline_kind": "once",
            "due_on": "2021-11-20",
            "due_time": "17:00",
        },
    )
    assert created.status_code == 302
    task = d.tasks.get()
    assert timezone.localtime(task.due_at).strftime("%d/%m/%Y %H:%M") == "20/11/2021 17:00"
    assert task.assignments.count() == 2


def test_directives_and_overview_export_audited_R3(client: Any, orgs: Any, directive: Directive) -> None:
    client.force_login(orgs.sara)
    response = client.get(reverse("command:directives_export"), {"directive": str(directive.uid)})
    assert response.status_code == 200
    line = AuditLog.objects.filter(action="export").latest("id")
    assert line.detail["rows"] == 4
    assert line.object_uid == str(directive.uid)
    assert client.get(reverse("command:overview_export")).status_code == 200
    assert AuditLog.objects.filter(action="export").count() == 2


def test_api_directives_tasks_and_progress_R3_R4(client: Any, cast: Any, orgs: Any, directive: Directive) -> None:
    client.force_login(cast.oanh)
    listing = client.get("/api/v1/command/directives/").json()
    assert [r["directive"]["number"] for r in listing["results"]] == ["600-CV/TU"]
    assert listing["results"][0]["overdue"] == 1
    detail = client.get(f"/api/v1/command/directives/{directive.uid}/").json()
    assert [a["organisation"]["name"] for a in detail["assignments"]] == ["Công ty TNHH Mẫu"]
    tasks = client.get("/api/v1/command/tasks/", {"status": "overdue"}).json()["results"]
    assert len(tasks) == 1
    assert tasks[0]["overdue"] is True
    url = f"/api/v1/command/tasks/{tasks[0]['uid']}/progress/"
    assert client.post(url, {"status": "finished", "report": "x"}).status_code == 400
    assert client.post(url, {"status": "done", "report": "x", "evidence": pdf("a.pdf", b"zz")}).status_code == 400
    done = client.post(url, {"status": "done", "report": "Đã triển khai", "evidence": pdf()})
    assert done.status_code == 201
    assert done.json()["overdue"] is False
    assert done.json()["late"] is True
    assert client.post("/api/v1/command/directives/", {"issued_on": "2021-01-01"}).status_code in (400, 403)
    client.force_login(orgs.sara)
    created = client.post(
        "/api/v1/command/directives/",
        {
            "number": "15/CT-TTg",
            "issued_on": "2020-03-31",
            "issuing_body": "Thủ tướng",
            "kind": "directive",
            "title": "T",
        },
    )
    assert created.status_code == 201
    client.force_login(cast.chi)
    assert client.get(f"/api/v1/command/directives/{directive.uid}/").status_code == 404


def test_assigned_heads_are_notified_R4(orgs: Any, cast: Any, django_capture_on_commit_callbacks: Any) -> None:
    from phongdich.notifications.models import Notification

    d = directive_create(actor=orgs.sara, issued_on=date(2021, 5, 1), issuing_body="BCĐ", kind="directive", title="T")
    with django_capture_on_commit_callbacks(execute=True):
        task_add(
            actor=orgs.sara,
            directive=d,
            number="1",
            title="Rà soát học sinh",
            assignees=[orgs.school, orgs.ubnd_city],
            deadline_kind="ongoing",
        )
    sent = Notification.objects.filter(kind="command_task")
    assert list(sent.values_list("recipient__username", flat=True)) == ["tuan"]  # the school's head; the city has none
    assert sent.get().body == "Rà soát học sinh"


def test_api_task_create_R4(client: Any, cast: Any, orgs: Any, directive: Directive) -> None:
    url = f"/api/v1/command/directives/{directive.uid}/tasks/"
    data = {
        "number": "7",
        "title": "Kiểm tra",
        "assignees": [str(orgs.school.uid), str(orgs.hospital.uid)],
        "lead": str(orgs.hospital.uid),
        "deadline_kind": "once",
        "due_at": "2021-11-20T17:00:00+07:00",
    }
    client.force_login(cast.oanh)
    assert client.post(url, data, content_type="application/json").status_code == 403
    client.force_login(orgs.sara)
    created = client.post(url, data, content_type="application/json")
    assert created.status_code == 201
    assert created.json()["number"] == "7"
    assert directive.tasks.get(number="7").assignments.count() == 2
    missing = client.post(url, {**data, "number": "8", "due_at": None}, content_type="application/json")
    assert missing.status_code == 400
    assert "due_at" in missing.json()
    unknown = client.post(
        url, {**data, "number": "8", "assignees": [str(directive.uid)]}, content_type="application/json"
    )
    assert unknown.status_code == 400
    assert "assignees" in unknown.json()


def test_overdue_reminder_reaches_the_heads_of_late_agencies_R4(
    orgs: Any, directive: Directive, django_capture_on_commit_callbacks: Any
) -> None:
    from phongdich.command.tasks import remind_overdue
    from phongdich.notifications.models import Notification

    with django_capture_on_commit_callbacks(execute=True):
        assert remind_overdue() == 2  # the school (tuan) and the enterprise (oanh); the hospital has no head
    sent = Notification.objects.filter(kind="command_overdue")
    assert sorted(sent.values_list("recipient__username", flat=True)) == ["oanh", "tuan"]
    progress_report(actor=orgs.tuan, assignment=_assignment(directive, "2", orgs.school), status="done", report="Xong")
    with django_capture_on_commit_callbacks(execute=True):
        assert remind_overdue() == 1
