"""The daily report to the province and one-off reports (R1, R2): pre-fill from the system's figures, on
time / late / missing, corrections with their history, the lock, the 15:00 reminders, the 16:00 roll-up,
timeliness rates, one-off requests with attachments, scope."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from phongdich.command import reports_selectors as rs
from phongdich.command import reports_services as svc
from phongdich.command.models import Report, ReportForm, ReportVersion
from phongdich.core.errors import ValidationFailed
from phongdich.core.models import AuditLog

DAY = date(2021, 8, 2)


def at(hour: int, minute: int = 0, day: date = DAY) -> datetime:
    return timezone.make_aware(datetime.combine(day, time(hour, minute)))


@dataclass
class Setup:
    form: ReportForm
    soyt: Any  # Sở Y tế (the recipient, a member agency)
    police: Any  # Công an tỉnh (a member agency)
    hanh: Any  # head of the Health Department
    phuong: Any  # district officer of Phổ Yên
    quan: Any  # head of the provincial police


@pytest.fixture
def setup(tree: Any, cast: Any) -> Setup:
    from phongdich.core.models import User
    from phongdich.orgs.models import OrganisationKind, Role
    from phongdich.orgs.services import organisation_create, role_assign

    soyt = organisation_create(name="Sở Y tế", kind=OrganisationKind.HEALTH_AGENCY, unit=tree.province)
    police = organisation_create(name="Công an tỉnh", kind=OrganisationKind.POLICE, unit=tree.province)
    organisation_create(name="Trường THPT Chu Văn An", kind=OrganisationKind.SCHOOL, unit=tree.province)
    form = svc.daily_form_seeded()
    form.recipient = soyt
    form.save(update_fields=["recipient"])
    hanh = User.objects.create_user(username="hanh", password=cast.password, first_name="Hạnh")
    role_assign(user=hanh, role=Role.ORGANISATION_HEAD, organisation=soyt)
    phuong = User.objects.create_user(username="phuong", password=cast.password, first_name="Phương")
    role_assign(user=phuong, role=Role.DISTRICT_OFFICER, unit=tree.pho_yen)
    quan = User.objects.create_user(username="quan", password=cast.password, first_name="Quân")
    role_assign(user=quan, role=Role.ORGANISATION_HEAD, organisation=police)
    return Setup(form, soyt, police, hanh, phuong, quan)


def sub(form: ReportForm, obj: Any) -> rs.Submitter:
    for s in rs.submitters(form):
        if (s.unit or s.organisation) == obj:
            return s
    raise AssertionError(obj)


def values(**numbers: int) -> dict[str, Any]:
    return {"situation": "Tình hình ổn định.", **{k: str(v) for k, v in numbers.items()}}


def test_who_must_submit_is_data_districts_and_member_agencies_R1(setup: Setup, tree: Any) -> None:
    names = [s.name for s in rs.submitters(setup.form)]
    assert names == ["Thành phố Thái Nguyên", "Thị xã Phổ Yên", "Công an tỉnh", "Sở Y tế"]
    setup.form.unit_level = 3
    setup.form.org_kinds = []
    assert [s.name for s in rs.submitters(setup.form)] == ["Phường Quán Triều", "Phường Quang Vinh", "Xã Đắc Sơn"]


def test_scenario_reminders_at_15_rollup_at_16_and_correction_history_R1(
    setup: Setup, tree: Any, cast: Any, django_capture_on_commit_callbacks: Any
) -> None:
    from phongdich.notifications.models import Notification

    form = setup.form
    city, pho_yen = sub(form, tree.city), sub(form, tree.pho_yen)
    soyt, _police = sub(form, setup.soyt), sub(form, setup.police)
    svc.report_submit(actor=cast.dan, form=form, submitter=city, values=values(new_cases=3, f1=20), now=at(9))
    svc.report_submit(actor=setup.hanh, form=form, submitter=soyt, values=values(new_cases=1, tests=500), now=at(14))

    # 15:00: reminders to those who have not submitted (Phổ Yên, the police), not to the others.
    with django_capture_on_commit_callbacks(execute=True):
        assert svc.report_reminders(now=at(15)) == 2
    reminded = set(Notification.objects.filter(kind="report_reminder").values_list("recipient__username", flat=True))
    assert reminded == {"phuong", "quan"}

    # Phổ Yên submits late; the police never do.
    svc.report_submit(actor=setup.phuong, form=form, submitter=pho_yen, values=values(new_cases=2, f1=5), now=at(16, 5))

    # 16:10 the Health Department sees the roll-up: the sum of the submitted reports; late and missing listed.
    roll = rs.rollup(form, DAY, user=setup.hanh, now=at(16, 10))
    assert roll.totals["new_cases"] == 3 + 1 + 2
    assert roll.totals["f1"] == 20 + 5
    assert roll.totals["tests"] == 500
    assert [r.submitter.name for r in roll.late] == ["Thị xã Phổ Yên"]
    assert [r.submitter.name for r in roll.missing] == ["Công an tỉnh"]
    assert {r.submitter.name for r in roll.on_time} == {"Thành phố Thái Nguyên", "Sở Y tế"}
    assert [r.submitter.name for r in rs.late_today(setup.hanh, now=at(16, 10))] == ["Công an tỉnh"]

    # A correction keeps its history: both versions stored, what changed, who and when.
    report = Report.objects.get(form=form, day=DAY, submitter_key=city.key)
    svc.report_submit(
        actor=cast.dan, form=form, submitter=city, values=values(new_cases=4, f1=20), note="Bổ sung 1 ca", now=at(17)
    )
    report.refresh_from_db()
    assert report.version == 2
    assert report.values["new_cases"] == 4
    assert not report.late
    history = list(ReportVersion.objects.filter(report=report).order_by("version"))
    assert [v.values["new_cases"] for v in history] == [3, 4]
    assert history[1].changes == {"new_cases": [3, 4]}
    assert history[1].recorded_by == cast.dan
    assert history[1].note == "Bổ sung 1 ca"
    assert rs.rollup(form, DAY, now=at(17)).totals["new_cases"] == 7
    assert AuditLog.objects.filter(object_uid=str(report.uid)).count() == 2


def test_pending_before_deadline_overdue_after_R1(setup: Setup, tree: Any) -> None:
    rows = rs.late_today(None, now=at(15))
    assert {r.status for r in rows} == {"pending"}
    rows = rs.late_today(None, now=at(16))
    assert {r.status for r in rows} == {"overdue"}
    assert len(rows) == 4


def test_late_today_is_scoped_R1(setup: Setup, tree: Any, cast: Any) -> None:
    assert [r.submitter.name for r in rs.late_today(cast.dan, now=at(17))] == ["Thành phố Thái Nguyên"]
    assert rs.late_today(cast.oanh, now=at(17)) == []
    assert len(rs.late_today(setup.hanh, now=at(17))) == 4


def test_prefilled_from_the_system_figures_R1(setup: Setup, tree: Any) -> None:
    from phongdich.cases.models import Case, CaseStatus
    from phongdich.people.tests.factories import PersonFactory
    from phongdich.quarantine.models import Episode, EpisodeKind

    p1 = PersonFactory(residence_unit=tree.quan_trieu)
    p2 = PersonFactory(residence_unit=tree.quang_vinh)
    p3 = PersonFactory(residence_unit=tree.dac_son)
    Case.objects.create(
        person=p1,
        status=CaseStatus.CONFIRMED,
        detected_in="community",
        residence_unit=tree.quan_trieu,
        confirmation_date=DAY,
        confirmed_at=at(8),
    )
    Episode.objects.create(
        person=p2, kind=EpisodeKind.HOME, start_date=DAY - timedelta(days=3), planned_end=DAY + timedelta(days=11)
    )
    Episode.objects.create(
        person=p3, kind=EpisodeKind.CENTRALISED, start_date=DAY, planned_end=DAY + timedelta(days=14)
    )
    city = rs.prefilled_values(setup.form, sub(setup.form, tree.city), DAY)
    assert city["new_cases"] == 1
    assert city["q_home"] == 1
    assert city["q_centralised"] == 0
    pho_yen = rs.prefilled_values(setup.form, sub(setup.form, tree.pho_yen), DAY)
    assert pho_yen["new_cases"] == 0
    assert pho_yen["q_centralised"] == 1
    assert rs.prefilled_values(setup.form, sub(setup.form, tree.city), DAY - timedelta(days=1))["new_cases"] == 0


def test_bad_values_refused_nothing_stored_R1(setup: Setup, tree: Any, cast: Any) -> None:
    city = sub(setup.form, tree.city)
    for bad in ({"new_cases": "-1"}, {"new_cases": "ba"}, {"situation": ""}):
        with pytest.raises(ValidationFailed):
            svc.report_submit(actor=cast.dan, form=setup.form, submitter=city, values={**values(), **bad}, now=at(9))
    assert not Report.objects.exists()


def test_only_the_units_officers_submit_R1(setup: Setup, tree: Any, cast: Any) -> None:
    with pytest.raises(PermissionDenied):
        svc.report_submit(
            actor=cast.dan, form=setup.form, submitter=sub(setup.form, tree.pho_yen), values=values(), now=at(9)
        )
    with pytest.raises(PermissionDenied):
        svc.report_submit(
            actor=cast.cuong, form=setup.form, submitter=sub(setup.form, tree.city), values=values(), now=at(9)
        )


def test_locked_after_the_configured_hours_R1(setup: Setup, tree: Any, cast: Any, settings: Any) -> None:
    settings.COMMAND_REPORT_LOCK_HOURS = 24
    city = sub(setup.form, tree.city)
    svc.report_submit(actor=cast.dan, form=setup.form, submitter=city, values=values(new_cases=1), now=at(9))
    svc.report_submit(
        actor=cast.dan,
        form=setup.form,
        submitter=city,
        values=values(new_cases=2),
        note="sửa",
        day=DAY,
        now=at(15, 59, DAY + timedelta(days=1)),
    )
    with pytest.raises(ValidationFailed, match="khóa"):
        svc.report_submit(
            actor=cast.dan,
            form=setup.form,
            submitter=city,
            values=values(new_cases=3),
            note="sửa",
            day=DAY,
            now=at(16, 0, DAY + timedelta(days=1)),
        )
    assert Report.objects.get().values["new_cases"] == 2


def test_correction_needs_a_reason_and_a_change_R1(setup: Setup, tree: Any, cast: Any) -> None:
    city = sub(setup.form, tree.city)
    svc.report_submit(actor=cast.dan, form=setup.form, submitter=city, values=values(new_cases=1), now=at(9))
    with pytest.raises(ValidationFailed):
        svc.report_submit(actor=cast.dan, form=setup.form, submitter=city, values=values(new_cases=2), now=at(10))
    with pytest.raises(ValidationFailed):
        svc.report_submit(
            actor=cast.dan, form=setup.form, submitter=city, values=values(new_cases=1), note="x", now=at(10)
        )
    assert ReportVersion.objects.count() == 1


def test_rates_per_unit_per_week_R1(setup: Setup, tree: Any, cast: Any) -> None:
    city = sub(setup.form, tree.city)
    monday = date(2021, 8, 2)
    for i, hour in enumerate([9, 9, 17]):  # Mon, Tue on time; Wed late; Thu–Sun missing
        svc.report_submit(
            actor=cast.dan,
            form=setup.form,
            submitter=city,
            values=values(),
            day=monday + timedelta(days=i),
            now=at(hour, 0, monday + timedelta(days=i)),
        )
    result = rs.rates(setup.form, user=setup.hanh, end=date(2021, 8, 8), weeks=1, now=at(20, 0, date(2021, 8, 8)))
    row = next(r for r in result.rows if r.submitter.key == city.key)
    assert (row.total.expected, row.total.submitted, row.total.on_time) == (7, 3, 2)
    assert row.total.completeness == 43
    assert row.total.timeliness == 29


@pytest.fixture
def one_off(setup: Setup, tree: Any, cast: Any) -> ReportForm:
    return svc.one_off_form_create(
        actor=cast.alice,
        name="Danh sách người về từ Đà Nẵng",
        due_at=at(17, 0, date(2021, 7, 29)),
        recipient=setup.soyt,
        unit_level=2,
        fields=[("Số người về từ Đà Nẵng", "number"), ("Ghi chú", "text")],
    )


def test_one_off_report_with_its_own_deadline_and_attachment_R2(
    one_off: ReportForm, tree: Any, cast: Any, settings: Any, tmp_path: Any
) -> None:
    settings.MEDIA_ROOT = tmp_path
    keys = [f.key for f in rs.form_fields(one_off)]
    assert one_off.recipient_label == "Sở Y tế"
    city = sub(one_off, tree.city)
    xlsx = SimpleUploadedFile("danh-sach.xlsx", b"PK\x03\x04" + b"\x00" * 40)
    report = svc.report_submit(
        actor=cast.dan,
        form=one_off,
        submitter=city,
        values={keys[0]: "12", keys[1]: ""},
        attachments=[xlsx],
        now=at(16, 30, date(2021, 7, 29)),
    )
    assert report.day == date(2021, 7, 29)
    assert not report.late
    assert report.attachments.count() == 1
    roll = rs.rollup(one_off, date(2021, 7, 29), now=at(18, 0, date(2021, 7, 29)))
    assert roll.totals[keys[0]] == 12
    assert [r.submitter.name for r in roll.missing] == ["Thị xã Phổ Yên"]


def test_one_off_attachment_type_and_size_limited_R2(one_off: ReportForm, tree: Any, cast: Any, settings: Any) -> None:
    city = sub(one_off, tree.city)
    keys = [f.key for f in rs.form_fields(one_off)]
    exe = SimpleUploadedFile("virus.exe", b"MZ" + b"\x00" * 40)
    with pytest.raises(ValidationFailed, match="PDF"):
        svc.report_submit(
            actor=cast.dan,
            form=one_off,
            submitter=city,
            values={keys[0]: "1"},
            attachments=[exe],
            now=at(9, 0, date(2021, 7, 29)),
        )
    settings.COMMAND_ATTACHMENT_MAX_BYTES = 10
    big = SimpleUploadedFile("a.pdf", b"%PDF-" + b"\x00" * 40)
    with pytest.raises(ValidationFailed, match="quá lớn"):
        svc.report_submit(
            actor=cast.dan,
            form=one_off,
            submitter=city,
            values={keys[0]: "1"},
            attachments=[big],
            now=at(9, 0, date(2021, 7, 29)),
        )
    assert not Report.objects.exists()


def test_one_off_request_only_by_the_command_R2(setup: Setup, cast: Any) -> None:
    with pytest.raises(PermissionDenied):
        svc.one_off_form_create(actor=cast.dan, name="X", due_at=at(17), unit_level=2)
    with pytest.raises(ValidationFailed):
        svc.one_off_form_create(actor=cast.alice, name="X", due_at=at(17))


# --- pages --------------------------------------------------------------------------------------------


@pytest.fixture
def today_at(monkeypatch: Any) -> Any:
    """Freeze "now" to ``DAY`` at a given hour for the pages (the selectors take ``timezone.now()``)."""

    def freeze(hour: int, minute: int = 0) -> datetime:
        moment = at(hour, minute)
        monkeypatch.setattr(timezone, "now", lambda: moment)
        return moment

    return freeze


def test_health_department_sees_who_is_late_and_the_rollup_R1(
    setup: Setup, tree: Any, cast: Any, client: Any, today_at: Any
) -> None:
    from django.urls import reverse

    today_at(9)
    svc.report_submit(actor=cast.dan, form=setup.form, submitter=sub(setup.form, tree.city), values=values(new_cases=3))
    today_at(16, 30)
    client.force_login(setup.hanh)
    page = client.get(reverse("command:reports")).content.decode()
    late = page.split('id="late-today"')[1].split("</section>")[0]
    assert "Thị xã Phổ Yên" in late
    assert "Công an tỉnh" in late
    assert "Thành phố Thái Nguyên" not in late
    roll = client.get(reverse("command:report_rollup", args=[setup.form.uid]))
    assert roll.status_code == 200
    assert 'data-key="new_cases">3<' in roll.content.decode()
    assert AuditLog.objects.filter(object_uid=str(setup.form.uid), action="read").exists()


def test_rollup_pdf_is_an_administrative_document_and_excel_has_the_figures_R1(
    setup: Setup, tree: Any, cast: Any, client: Any, today_at: Any
) -> None:
    import io

    from django.urls import reverse
    from openpyxl import load_workbook

    today_at(9)
    svc.report_submit(
        actor=cast.dan, form=setup.form, submitter=sub(setup.form, tree.city), values=values(new_cases=3, tests=40)
    )
    svc.report_submit(
        actor=setup.phuong, form=setup.form, submitter=sub(setup.form, tree.pho_yen), values=values(new_cases=2)
    )
    today_at(16, 30)
    client.force_login(setup.hanh)
    pdf = client.get(reverse("command:report_rollup_pdf", args=[setup.form.uid]))
    assert pdf.status_code == 200
    assert pdf["Content-Type"] == "application/pdf"
    assert pdf.content.startswith(b"%PDF-")
    xlsx = client.get(reverse("command:report_rollup_xlsx", args=[setup.form.uid]))
    wb = load_workbook(io.BytesIO(xlsx.content))
    totals = {row[0]: row[1] for row in wb.worksheets[0].iter_rows(min_row=2, values_only=True)}
    assert totals["Số ca mắc mới trong ngày"] == 5
    assert totals["Số mẫu xét nghiệm có kết quả"] == 40
    units = {row[0]: row[1] for row in wb.worksheets[1].iter_rows(min_row=2, values_only=True)}
    assert units["Công an tỉnh"] == "Chưa nộp (quá hạn)"
    assert AuditLog.objects.filter(object_uid=str(setup.form.uid), action="export").count() == 2


def test_document_text_has_the_administrative_layout_R1(setup: Setup, tree: Any, cast: Any) -> None:
    from django.template.loader import render_to_string

    from phongdich.command import documents

    svc.report_submit(
        actor=cast.dan, form=setup.form, submitter=sub(setup.form, tree.city), values=values(new_cases=3), now=at(9)
    )
    doc = documents.rollup_document(rs.rollup(setup.form, DAY, now=at(16)))
    html = render_to_string("command/reports/document.html", {"doc": doc})
    for text in (
        "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
        "Độc lập - Tự do - Hạnh phúc",
        "SỞ Y TẾ",
        "/BC-SYT",
        "Thái Nguyên, ngày 02 tháng 08 năm 2021",
        "Nơi nhận:",
        "GIÁM ĐỐC",
    ):
        assert text in html, text


def test_submit_page_prefilled_then_correction_keeps_history_R1(
    setup: Setup, tree: Any, cast: Any, client: Any, today_at: Any
) -> None:
    from django.urls import reverse

    from phongdich.cases.models import Case, CaseStatus
    from phongdich.people.tests.factories import PersonFactory

    person = PersonFactory(residence_unit=tree.quan_trieu)
    Case.objects.create(
        person=person,
        status=CaseStatus.CONFIRMED,
        detected_in="community",
        residence_unit=tree.quan_trieu,
        confirmation_date=DAY,
        confirmed_at=at(8),
    )
    today_at(10)
    client.force_login(cast.dan)
    url = reverse("command:report_submit", args=[setup.form.uid, tree.city.uid])
    page = client.get(url).content.decode()
    assert 'name="new_cases" value="1"' in page
    post = {f.key: "0" for f in rs.form_fields(setup.form) if f.kind == "number"}
    bad = client.post(url, {**post, "new_cases": "-2", "situation": "Ổn định"})
    assert bad.status_code == 400
    assert not Report.objects.exists()
    ok = client.post(url, {**post, "new_cases": "1", "situation": "Ổn định"})
    assert ok.status_code == 302
    report = Report.objects.get()
    today_at(11)
    client.post(url, {**post, "new_cases": "2", "situation": "Ổn định", "note": "Thêm 1 ca chiều"})
    detail = client.get(reverse("command:report_detail", args=[report.uid])).content.decode()
    history = detail.split('id="history"')[1]
    assert "Số ca mắc mới trong ngày: 1 → 2" in history
    assert "Thêm 1 ca chiều" in history
    assert client.get(reverse("command:report_pdf", args=[report.uid])).content.startswith(b"%PDF-")


def test_pages_follow_scope_R1(setup: Setup, tree: Any, cast: Any, client: Any, today_at: Any) -> None:
    from django.urls import reverse

    today_at(9)
    report = svc.report_submit(
        actor=setup.phuong, form=setup.form, submitter=sub(setup.form, tree.pho_yen), values=values()
    )
    client.force_login(cast.dan)
    assert client.get(reverse("command:report_submit", args=[setup.form.uid, tree.pho_yen.uid])).status_code == 404
    assert client.get(reverse("command:report_detail", args=[report.uid])).status_code == 403
    client.force_login(cast.cuong)
    assert client.get(reverse("command:report_submit", args=[setup.form.uid, tree.city.uid])).status_code in (403, 404)


def test_rates_page_R1(setup: Setup, tree: Any, client: Any, today_at: Any) -> None:
    from django.urls import reverse

    today_at(17)
    client.force_login(setup.hanh)
    page = client.get(reverse("command:report_rates", args=[setup.form.uid]) + "?weeks=2&day=2021-08-02")
    assert page.status_code == 200
    assert "Thị xã Phổ Yên" in page.content.decode()


def test_one_off_request_page_and_submission_with_attachment_R2(
    setup: Setup, tree: Any, cast: Any, client: Any, today_at: Any, settings: Any, tmp_path: Any
) -> None:
    from django.urls import reverse

    settings.MEDIA_ROOT = tmp_path
    today_at(9)
    client.force_login(cast.alice)
    response = client.post(
        reverse("command:report_one_off_create"),
        {
            "name": "Danh sách người về từ Đà Nẵng",
            "due_day": "2021-08-02",
            "due_time": "17:00",
            "recipient": setup.soyt.pk,
            "unit_level": "2",
            "number_fields": "Số người về",
            "allow_attachments": "on",
        },
    )
    assert response.status_code == 302
    form = ReportForm.objects.get(period="one_off")
    client.force_login(cast.dan)
    assert "Danh sách người về từ Đà Nẵng" in client.get(reverse("command:reports")).content.decode()
    key = rs.form_fields(form)[0].key
    url = reverse("command:report_submit", args=[form.uid, tree.city.uid])
    upload = SimpleUploadedFile("ds.pdf", b"%PDF-1.4 list", content_type="application/pdf")
    assert client.post(url, {key: "4", "attachments": upload}).status_code == 302
    report = Report.objects.get(form=form)
    attachment = report.attachments.get()
    client.force_login(setup.hanh)
    assert client.get(reverse("command:report_attachment", args=[attachment.uid])).status_code == 200
    assert client.get(reverse("command:report_one_off_create")).status_code == 403


# --- API and the reminder command ------------------------------------------------------------------------


def test_api_submit_rollup_and_history_R1(setup: Setup, tree: Any, cast: Any, today_at: Any) -> None:
    from rest_framework.test import APIClient

    today_at(9)
    api = APIClient()
    api.force_authenticate(cast.dan)
    url = f"/api/v1/command/reports/forms/{setup.form.uid}/submit/"
    bad = api.post(
        url, {"submitter": str(tree.city.uid), "values": {"new_cases": "x", "situation": "ổn"}}, format="json"
    )
    assert bad.status_code == 400
    assert "số nguyên" in bad.content.decode()
    ok = api.post(url, {"submitter": str(tree.city.uid), "values": {"new_cases": 2, "situation": "ổn"}}, format="json")
    assert ok.status_code == 201, ok.content
    uid = ok.json()["uid"]
    denied = api.post(url, {"submitter": str(tree.pho_yen.uid), "values": {"situation": "ổn"}}, format="json")
    assert denied.status_code in (403, 404)
    today_at(16, 30)
    api.force_authenticate(setup.hanh)
    roll = api.get(f"/api/v1/command/reports/forms/{setup.form.uid}/rollup/").json()
    assert roll["totals"]["new_cases"] == 2
    assert roll["missing"] == ["Thị xã Phổ Yên", "Công an tỉnh", "Sở Y tế"]
    late = api.get("/api/v1/command/reports/late-today/").json()
    assert [r["submitter"]["name"] for r in late] == ["Thị xã Phổ Yên", "Công an tỉnh", "Sở Y tế"]
    detail = api.get(f"/api/v1/command/reports/{uid}/").json()
    assert [v["version"] for v in detail["versions"]] == [1]
    assert api.get("/api/v1/command/reports/forms/").json()[0]["code"] == "daily-covid"


def test_send_report_reminders_command_R1(
    setup: Setup, tree: Any, django_capture_on_commit_callbacks: Any, today_at: Any
) -> None:
    from io import StringIO

    from django.core.management import call_command

    from phongdich.notifications.models import Notification

    today_at(15)
    out = StringIO()
    with django_capture_on_commit_callbacks(execute=True):
        call_command("send_report_reminders", stdout=out)
    assert out.getvalue().strip() == "4"  # both districts, the police, the Health Department
    assert Notification.objects.filter(kind="report_reminder").count() == 4
    today_at(16, 1)
    assert svc.report_reminders() == 0  # past the deadline: no reminder


# --- in Chromium -------------------------------------------------------------------------------------------


def pdf_first_page_png(pdf_path: Any, out_prefix: Any) -> Any:
    """Render page 1 of a PDF to PNG with PDFium (the pypdfium2 wheel: no system package needed)."""
    from pathlib import Path

    import pypdfium2 as pdfium

    document = pdfium.PdfDocument(str(pdf_path))
    try:
        image = document[0].render(scale=60 / 72).to_pil()
    finally:
        document.close()
    png = Path(f"{out_prefix}.png")
    image.save(png)
    return png


@pytest.mark.browser
def test_health_department_in_chromium_late_rollup_pdf_excel_R1(
    setup: Setup,
    tree: Any,
    cast: Any,
    live_server: Any,
    browser_page: Any,
    browser_login: Any,
    monkeypatch: Any,
    tmp_path: Any,
) -> None:
    from openpyxl import load_workbook
    from PIL import Image

    today = timezone.localdate()
    form = setup.form

    def now_at(hour: int, minute: int = 0) -> None:
        moment = timezone.make_aware(datetime.combine(today, time(hour, minute)))
        monkeypatch.setattr(timezone, "now", lambda: moment)

    now_at(10)
    svc.report_submit(
        actor=cast.dan, form=form, submitter=sub(form, tree.city), values=values(new_cases=3, f1=12, tests=80)
    )
    svc.report_submit(
        actor=setup.hanh, form=form, submitter=sub(form, setup.soyt), values=values(new_cases=1, tests=250)
    )
    now_at(16, 20)
    svc.report_submit(
        actor=setup.phuong, form=form, submitter=sub(form, tree.pho_yen), values=values(new_cases=2, f1=4)
    )
    now_at(16, 30)

    page = browser_page
    browser_login(page, "hanh", cast.password)
    page.goto(f"{live_server.url}/command/reports/")
    late = page.locator("#late-today").inner_text()
    assert "Công an tỉnh" in late
    assert "Thành phố Thái Nguyên" not in late
    with page.expect_navigation():
        page.get_by_role("link", name="Xem tổng hợp").click()
    totals = page.locator("#rollup-totals").inner_text()
    assert "Số ca mắc mới trong ngày\t6" in totals
    assert "Số F1 đang theo dõi\t16" in totals
    missing = page.locator("main").inner_text().split("Chưa nộp")[1]
    assert "Công an tỉnh" in missing

    with page.expect_download() as pdf_download:
        page.get_by_role("link", name="Tải báo cáo tổng hợp (PDF)").click()
    pdf_path = tmp_path / "tong-hop.pdf"
    pdf_download.value.save_as(pdf_path)
    assert pdf_path.read_bytes().startswith(b"%PDF-")
    png = pdf_first_page_png(pdf_path, tmp_path / "trang-1")
    image = Image.open(png).convert("L")
    width, height = image.size
    assert height > width  # A4 portrait
    dark = sum(image.histogram()[:128])
    assert dark > 0.002 * width * height  # text was drawn, not a blank page

    with page.expect_download() as xlsx_download:
        page.get_by_role("link", name="Tải Excel").click()
    xlsx_path = tmp_path / "tong-hop.xlsx"
    xlsx_download.value.save_as(xlsx_path)
    wb = load_workbook(xlsx_path)
    figures = {row[0]: row[1] for row in wb.worksheets[0].iter_rows(min_row=2, values_only=True)}
    assert figures["Số ca mắc mới trong ngày"] == 6
    assert figures["Số F1 đang theo dõi"] == 16
    assert figures["Số mẫu xét nghiệm có kết quả"] == 330
    status = {row[0]: row[1] for row in wb.worksheets[1].iter_rows(min_row=2, values_only=True)}
    assert status == {
        "Thành phố Thái Nguyên": "Đúng hạn",
        "Thị xã Phổ Yên": "Nộp muộn",
        "Công an tỉnh": "Chưa nộp (quá hạn)",
        "Sở Y tế": "Đúng hạn",
    }
