"""Exposure matching through the services (C4): background run on confirmation, refresh, decisions, scope."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from phongdich.cases.models import CaseStatus, DetectedIn
from phongdich.cases.services import case_register
from phongdich.core.errors import NotInScope, ValidationFailed
from phongdich.core.models import AuditLog
from phongdich.exposures.models import CandidateStatus, ExposureCandidate
from phongdich.exposures.selectors import exposure_query
from phongdich.exposures.services import exposures_confirm, exposures_dismiss, exposures_refresh
from phongdich.tracing.models import Contact, ContactLevel, ExposureType

from .conftest import Scene, at, check_in, confirm, make_person


def candidates(case: Any) -> dict[str, ExposureCandidate]:
    return {r.person.full_name: r for r in ExposureCandidate.objects.filter(case=case).select_related("person")}


def test_background_run_on_confirmation_creates_candidates_C4(scene: Scene, run_commits: Callable[..., Any]) -> None:
    case = run_commits(lambda: confirm(scene.x, onset=scene.day, day=scene.day + timedelta(days=1)))
    found = candidates(case)
    # A (08:30) and D (08:10) shared the workshop; B came at 11:00, C was in the canteen.
    assert set(found) == {"Trần Thị Cùng", "Hoàng Văn Vinh"}
    a = found["Trần Thị Cùng"]
    assert a.premises == scene.workshop
    assert a.status == CandidateStatus.NEW
    # X present 07:45–09:15 (60 min dwell, 15 min margin), A 08:30–09:30: 08:30–09:15.
    assert (a.first_overlap_start, a.overlap_end, a.overlap_minutes) == (
        at(scene.day, 8, 30),
        at(scene.day, 9, 15),
        45,
    )


def test_suspected_case_has_no_background_run_until_confirmed_C4(scene: Scene, run_commits: Callable[..., Any]) -> None:
    case = run_commits(
        lambda: case_register(
            actor=None,
            person=scene.x,
            status=CaseStatus.SUSPECTED,
            detected_in=DetectedIn.COMMUNITY,
            onset_date=scene.day,
        )
    )
    assert not ExposureCandidate.objects.filter(case=case).exists()
    from phongdich.cases.services import case_transition

    run_commits(
        lambda: case_transition(actor=None, case=case, to=CaseStatus.CONFIRMED, on_date=scene.day + timedelta(days=1))
    )
    assert set(candidates(case)) == {"Trần Thị Cùng", "Hoàng Văn Vinh"}


def test_outside_infectious_window_no_candidate_C4(scene: Scene, run_commits: Callable[..., Any]) -> None:
    """Onset today: the window starts 3 days ago (N = 3). A shared shift 5 days ago is before it."""
    early = scene.day - timedelta(days=4)
    e = make_person(scene.x.residence_unit, "Phan Văn Sớm")
    check_in(scene.x, scene.workshop, at(early, 14))
    check_in(e, scene.workshop, at(early, 14, 20))
    today = scene.day + timedelta(days=1)
    case = run_commits(lambda: confirm(scene.x, onset=today, day=today))
    assert set(candidates(case)) == {"Trần Thị Cùng", "Hoàng Văn Vinh"}
    # The same shift inside the window when the onset is earlier.
    case.onset_date = early + timedelta(days=1)
    run_commits(lambda: case.save())
    assert "Phan Văn Sớm" in candidates(case)


def test_isolation_before_the_shift_excludes_it_C4(scene: Scene, run_commits: Callable[..., Any]) -> None:
    """Isolated the day before the shift (24:00 of the isolation day ends the window): no candidate."""
    before = scene.day - timedelta(days=1)
    case = run_commits(lambda: confirm(scene.x, onset=before, day=scene.day + timedelta(days=1), isolated_on=before))
    assert candidates(case) == {}
    assert exposure_query(case) == []


def test_refresh_idempotent_keeps_decided_C4(scene: Scene, run_commits: Callable[..., Any], cast: Any) -> None:
    case = run_commits(lambda: confirm(scene.x, onset=scene.day, day=scene.day + timedelta(days=1)))
    first = {r.pk: (r.first_overlap_start, r.overlap_end, r.overlap_minutes) for r in ExposureCandidate.objects.all()}
    again = exposures_refresh(actor=cast.alice, case=case)
    assert (again.created, again.updated, again.removed) == (0, 0, 0)
    assert {
        r.pk: (r.first_overlap_start, r.overlap_end, r.overlap_minutes) for r in ExposureCandidate.objects.all()
    } == first
    a = candidates(case)["Trần Thị Cùng"]
    exposures_dismiss(actor=cast.alice, case=case, candidate_uids=[a.uid])
    # A new check-in of B during the shift: B becomes a candidate; A stays dismissed.
    check_in(scene.b, scene.workshop, at(scene.day, 9))
    result = exposures_refresh(actor=cast.alice, case=case)
    assert (result.created, result.decided) == (1, 1)
    found = candidates(case)
    assert found["Trần Thị Cùng"].status == CandidateStatus.DISMISSED
    assert found["Lê Văn Muộn"].status == CandidateStatus.NEW
    assert ExposureCandidate.objects.filter(case=case).count() == 3
    assert AuditLog.objects.filter(object_uid=str(case.uid), action="update").exists()


def test_bulk_confirm_creates_f1_contacts_C4(scene: Scene, run_commits: Callable[..., Any], cast: Any) -> None:
    case = run_commits(lambda: confirm(scene.x, onset=scene.day, day=scene.day + timedelta(days=1)))
    found = candidates(case)
    uids = [found["Trần Thị Cùng"].uid, found["Hoàng Văn Vinh"].uid]
    decision = run_commits(lambda: exposures_confirm(actor=cast.dan, case=case, candidate_uids=uids))
    assert len(decision.contacts) == 2
    contact = Contact.objects.get(source=scene.x, contact=scene.a)
    assert contact.exposure_type == ExposureType.WORKPLACE
    assert contact.premises == scene.workshop
    assert contact.organisation == scene.workshop.organisation
    assert (contact.first_exposure, contact.last_exposure) == (scene.day, scene.day)
    a = ExposureCandidate.objects.get(uid=uids[0])
    assert (a.status, a.decided_by, a.contact) == (CandidateStatus.CONFIRMED, cast.dan, contact)
    # tracing derived the levels in the background: X is F0, A and D are F1 of the case.
    assert ContactLevel.objects.get(person=scene.x).level == 0
    assert ContactLevel.objects.get(person=scene.a).level == 1
    assert ContactLevel.objects.get(person=scene.d).level == 1
    assert ContactLevel.objects.get(person=scene.a).index_case == case


def test_confirm_links_existing_contact_C4(scene: Scene, run_commits: Callable[..., Any], cast: Any) -> None:
    from phongdich.tracing.services import contact_record

    case = run_commits(lambda: confirm(scene.x, onset=scene.day, day=scene.day + timedelta(days=1)))
    household = contact_record(
        actor=None, source=scene.x, contact=scene.a, exposure_type=ExposureType.HOUSEHOLD, first_exposure=scene.day
    )
    a = candidates(case)["Trần Thị Cùng"]
    exposures_confirm(actor=cast.alice, case=case, candidate_uids=[str(a.uid)])
    a.refresh_from_db()
    assert a.contact == household
    assert Contact.objects.filter(source=scene.x, contact=scene.a).count() == 1


def test_confirm_bad_input_vietnamese_and_nothing_changed_C4(
    scene: Scene, run_commits: Callable[..., Any], cast: Any
) -> None:
    case = run_commits(lambda: confirm(scene.x, onset=scene.day, day=scene.day + timedelta(days=1)))
    found = candidates(case)
    a, d = found["Trần Thị Cùng"], found["Hoàng Văn Vinh"]
    unknown = "00000000-0000-4000-8000-000000000000"
    with pytest.raises(ValidationFailed) as err:
        exposures_confirm(actor=cast.alice, case=case, candidate_uids=[a.uid, unknown, "không-phải-mã"])
    assert str(err.value.message) == "Không lưu thay đổi nào: 2 mục không hợp lệ."
    assert err.value.extra["errors"] == {
        unknown: "Không có trong danh sách người có thể tiếp xúc của ca bệnh này.",
        "không-phải-mã": "Không có trong danh sách người có thể tiếp xúc của ca bệnh này.",
    }
    assert not Contact.objects.exists()
    assert ExposureCandidate.objects.filter(status=CandidateStatus.NEW).count() == 2
    # Already decided.
    exposures_dismiss(actor=cast.alice, case=case, candidate_uids=[d.uid])
    with pytest.raises(ValidationFailed) as err:
        exposures_confirm(actor=cast.alice, case=case, candidate_uids=[a.uid, d.uid])
    assert err.value.extra["errors"] == {str(d.uid): "Đã được xử lý trước đó (Đã loại)."}
    assert not Contact.objects.exists()
    a.refresh_from_db()
    assert a.status == CandidateStatus.NEW
    with pytest.raises(ValidationFailed) as err:
        exposures_confirm(actor=cast.alice, case=case, candidate_uids=[])
    assert str(err.value.message) == "Vui lòng chọn ít nhất một người."


def test_confirm_scope_per_person_all_or_nothing_C4(scene: Scene, run_commits: Callable[..., Any], cast: Any) -> None:
    """cuong (Quán Triều) sees the case but not D (Quang Vinh): the whole confirmation is refused."""
    case = run_commits(lambda: confirm(scene.x, onset=scene.day, day=scene.day + timedelta(days=1)))
    found = candidates(case)
    a, d = found["Trần Thị Cùng"], found["Hoàng Văn Vinh"]
    with pytest.raises(ValidationFailed) as err:
        exposures_confirm(actor=cast.cuong, case=case, candidate_uids=[a.uid, d.uid])
    assert err.value.extra["errors"] == {str(d.uid): "Người này không thuộc địa bàn của bạn."}
    assert not Contact.objects.exists()
    assert set(ExposureCandidate.objects.values_list("status", flat=True)) == {CandidateStatus.NEW}
    exposures_confirm(actor=cast.cuong, case=case, candidate_uids=[a.uid])
    assert Contact.objects.filter(contact=scene.a).exists()


def test_case_out_of_scope_refused_C4(scene: Scene, run_commits: Callable[..., Any], cast: Any) -> None:
    case = run_commits(lambda: confirm(scene.x, onset=scene.day, day=scene.day + timedelta(days=1)))
    a = candidates(case)["Trần Thị Cùng"]
    with pytest.raises(NotInScope):
        exposures_refresh(actor=cast.chi, case=case)
    with pytest.raises(NotInScope):
        exposures_confirm(actor=cast.chi, case=case, candidate_uids=[a.uid])
    with pytest.raises(NotInScope):
        exposures_dismiss(actor=cast.chi, case=case, candidate_uids=[a.uid])
    a.refresh_from_db()
    assert a.status == CandidateStatus.NEW


def test_query_reads_ranges_not_a_scan_C4(scene: Scene, run_commits: Callable[..., Any]) -> None:
    """A fixed number of statements whatever the number of premises and check-ins: the window rule,
    the case's episodes, its check-ins, the premises kinds, one statement of ranges."""
    case = run_commits(lambda: confirm(scene.x, onset=scene.day, day=scene.day + timedelta(days=1)))
    for hour in range(12, 20):
        check_in(scene.x, scene.canteen, at(scene.day - timedelta(days=1), hour))
    with CaptureQueriesContext(connection) as ctx:
        found = exposure_query(case)
    assert {c.person_id for c in found} == {scene.a.pk, scene.d.pk}
    ranges = [q["sql"] for q in ctx.captured_queries if "checkins_checkin" in q["sql"]]
    assert len(ranges) == 2  # the case's own, then every range at once
    assert len(ctx.captured_queries) <= 6
