"""Quarantine services: one open episode per person, full facility, release and hand-over, checks (Q1, Q3)."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from typing import Any

import pytest
from django.db import IntegrityError, transaction
from django.http import Http404
from django.utils import timezone

from phongdich.core.errors import NotInScope, ValidationFailed
from phongdich.core.models import AuditLog
from phongdich.quarantine.models import DailyCheck, Episode, EpisodeKind, EpisodeStatus, Handover
from phongdich.quarantine.selectors import (
    facility_list,
    follow_today,
    handover_get_for_write,
    handovers_pending,
)
from phongdich.quarantine.services import daily_check_record, episode_release, episode_start, handover_acknowledge

from .conftest import make_person

START = date(2021, 11, 1)  # unvaccinated: 14 centralised (tests days 7, 14) + 14 at home


def at(day: date, hour: int = 9) -> datetime:
    return timezone.make_aware(datetime(day.year, day.month, day.day, hour))


def centralised(person: Any, facility: Any, actor: Any = None) -> Episode:
    return episode_start(
        actor=actor,
        person=person,
        kind=EpisodeKind.CENTRALISED,
        facility=facility,
        start_date=START,
        reason="F1 của ca TN-2021-0001",
    )


def test_start_uses_the_plan_Q3(tree: Any, cast: Any, facility: Any) -> None:
    episode = centralised(make_person(tree.quan_trieu), facility, actor=cast.cuong)
    assert episode.planned_end == date(2021, 11, 14)
    assert episode.test_dates == ["2021-11-07", "2021-11-14"]
    assert "địa phương" in episode.rule.source  # type: ignore[union-attr]
    line = AuditLog.objects.get(object_uid=str(episode.uid), action="create")
    assert line.actor == cast.cuong


def test_second_open_episode_refused_by_service_Q3(tree: Any, facility: Any) -> None:
    person = make_person(tree.quan_trieu)
    centralised(person, facility)
    with pytest.raises(ValidationFailed) as exc:
        episode_start(actor=None, person=person, kind=EpisodeKind.HOME, start_date=START)
    assert exc.value.field == "person"
    assert "đang trong một đợt cách ly" in str(exc.value.message)
    assert Episode.objects.filter(person=person).count() == 1


def test_second_open_episode_refused_by_database_Q3(tree: Any, facility: Any) -> None:
    person = make_person(tree.quan_trieu)
    first = centralised(person, facility)
    with pytest.raises(IntegrityError), transaction.atomic():
        Episode.objects.create(
            person=person, kind=EpisodeKind.HOME, start_date=START, planned_end=START, status=EpisodeStatus.OPEN
        )
    # A released episode does not block a new one.
    Episode.objects.filter(pk=first.pk).update(status=EpisodeStatus.RELEASED)
    Episode.objects.create(person=person, kind=EpisodeKind.HOME, start_date=START, planned_end=START)


def test_planned_end_before_start_refused_by_database_Q3(tree: Any) -> None:
    with pytest.raises(IntegrityError), transaction.atomic():
        Episode.objects.create(
            person=make_person(tree.quan_trieu),
            kind=EpisodeKind.HOME,
            start_date=START,
            planned_end=START - timedelta(days=1),
        )


def test_full_facility_refused_Q1(tree: Any, facility: Any) -> None:
    centralised(make_person(tree.quan_trieu), facility)
    centralised(make_person(tree.quan_trieu), facility)
    third = make_person(tree.quan_trieu)
    with pytest.raises(ValidationFailed) as exc:
        centralised(third, facility)
    assert exc.value.field == "facility"
    assert "đã đủ 2 người" in str(exc.value.message)
    assert not Episode.objects.filter(person=third).exists()


def test_occupancy_is_open_episodes_Q1(tree: Any, cast: Any, facility: Any) -> None:
    person = make_person(tree.quan_trieu)
    episode = centralised(person, facility)
    centralised(make_person(tree.quan_trieu), facility)
    assert [(f.name, f.occupancy, f.capacity) for f in facility_list(user=cast.alice)] == [(facility.name, 2, 2)]
    episode_release(actor=None, episode=episode, on=date(2021, 11, 15), at=at(date(2021, 11, 15)))
    assert [f.occupancy for f in facility_list(user=cast.alice)] == [1]
    assert facility_list(user=cast.chi) == []


def test_centralised_needs_a_facility_Q3(tree: Any) -> None:
    with pytest.raises(ValidationFailed) as exc:
        episode_start(actor=None, person=make_person(tree.quan_trieu), kind=EpisodeKind.CENTRALISED, start_date=START)
    assert exc.value.field == "facility"


def test_person_out_of_scope_refused_Q3(tree: Any, cast: Any) -> None:
    with pytest.raises(NotInScope):
        episode_start(actor=cast.chi, person=make_person(tree.quan_trieu), kind=EpisodeKind.HOME, start_date=START)


def test_release_opens_home_episode_and_handover_Q3(tree: Any, cast: Any, facility: Any) -> None:
    person = make_person(tree.xom1)  # lives in a hamlet of Quán Triều: the commune receives the hand-over
    episode = centralised(person, facility)
    new = episode_release(actor=cast.alice, episode=episode, on=date(2021, 11, 15), at=at(date(2021, 11, 15)))
    episode.refresh_from_db()
    assert episode.status == EpisodeStatus.RELEASED
    assert episode.released_on == date(2021, 11, 15)
    assert new is not None
    assert (new.kind, new.start_date, new.planned_end, new.previous_id) == (
        EpisodeKind.HOME,
        date(2021, 11, 15),
        date(2021, 11, 28),
        episode.pk,
    )
    handover = Handover.objects.get(episode=new)
    assert (handover.from_facility, handover.to_unit) == (facility, tree.quan_trieu)
    assert handover.acknowledged_at is None
    actions = set(AuditLog.objects.filter(actor=cast.alice).values_list("object_type", "action"))
    assert {
        ("quarantine.episode", "update"),
        ("quarantine.episode", "create"),
        ("quarantine.handover", "create"),
    } <= actions
    # The last phase ends the plan: no further episode.
    assert episode_release(actor=None, episode=new, on=date(2021, 11, 28)) is None
    assert not Episode.objects.filter(person=person, status=EpisodeStatus.OPEN).exists()


def test_release_twice_refused_Q3(tree: Any, facility: Any) -> None:
    episode = centralised(make_person(tree.quan_trieu), facility)
    episode_release(actor=None, episode=episode, on=date(2021, 11, 15))
    with pytest.raises(ValidationFailed):
        episode_release(actor=None, episode=episode, on=date(2021, 11, 15))


def test_handover_overdue_after_24_hours_Q3(tree: Any, cast: Any, facility: Any) -> None:
    episode = centralised(make_person(tree.quan_trieu), facility)
    sent = at(date(2021, 11, 15), 9)
    episode_release(actor=None, episode=episode, on=date(2021, 11, 15), at=sent)
    handover = Handover.objects.get()
    assert not handover.is_overdue(sent + timedelta(hours=24))
    assert handover.is_overdue(sent + timedelta(hours=24, minutes=1))
    rows = handovers_pending(user=cast.cuong, now=sent + timedelta(hours=23))
    assert [(r.handover.pk, r.overdue) for r in rows] == [(handover.pk, False)]
    rows = handovers_pending(user=cast.cuong, now=sent + timedelta(hours=25))
    assert [(r.handover.pk, r.overdue) for r in rows] == [(handover.pk, True)]
    assert handovers_pending(user=cast.chi, now=sent + timedelta(hours=25)) == []


def test_handover_acknowledged_by_the_commune_officer_Q3(tree: Any, cast: Any, facility: Any) -> None:
    episode = centralised(make_person(tree.quan_trieu), facility)
    sent = at(date(2021, 11, 15), 9)
    episode_release(actor=None, episode=episode, on=date(2021, 11, 15), at=sent)
    handover = Handover.objects.get()
    with pytest.raises(Http404):
        handover_get_for_write(user=cast.chi, uid=handover.uid)
    with pytest.raises(NotInScope):
        handover_acknowledge(actor=cast.chi, handover=handover)
    done = handover_acknowledge(actor=cast.cuong, handover=handover, at=sent + timedelta(hours=30))
    assert done.acknowledged_by == cast.cuong
    assert not done.is_overdue(sent + timedelta(days=3))
    assert handovers_pending(user=cast.cuong) == []
    line = AuditLog.objects.get(object_uid=str(handover.uid), action="update")
    assert (line.actor, line.detail["late"]) == (cast.cuong, True)
    with pytest.raises(ValidationFailed):
        handover_acknowledge(actor=cast.cuong, handover=handover)


def test_daily_check_once_per_day_Q3(tree: Any, cast: Any) -> None:
    episode = episode_start(actor=None, person=make_person(tree.quan_trieu), kind=EpisodeKind.HOME, start_date=START)
    check = daily_check_record(actor=cast.cuong, episode=episode, on=START, temperature=37.2, cough=True)
    assert check.has_symptoms
    assert check.by == cast.cuong
    with pytest.raises(ValidationFailed) as exc:
        daily_check_record(actor=cast.cuong, episode=episode, on=START)
    assert exc.value.field == "date"
    with pytest.raises(ValidationFailed):
        daily_check_record(actor=cast.cuong, episode=episode, on=START + timedelta(days=1), temperature=50)
    with pytest.raises(IntegrityError), transaction.atomic():
        DailyCheck.objects.create(episode=episode, date=START)
    assert AuditLog.objects.filter(object_type="quarantine.dailycheck", actor=cast.cuong).count() == 1


def test_people_to_follow_today_D4(tree: Any, cast: Any, facility: Any) -> None:
    day = START + timedelta(days=6)  # day 7 of the plan: a test day
    home = episode_start(
        actor=None, person=make_person(tree.quan_trieu, "An Thị Nhà"), kind=EpisodeKind.HOME, start_date=START
    )
    checked = episode_start(
        actor=None,
        person=make_person(tree.quan_trieu, "Bùi Văn Khám"),
        kind=EpisodeKind.SELF_ISOLATION,
        start_date=START,
        vaccination="full_or_recovered",
    )
    daily_check_record(actor=None, episode=checked, on=day, temperature=36.6)
    centralised(make_person(tree.quan_trieu, "Cao Văn Tập"), facility)  # followed by the facility, not the commune
    episode_start(
        actor=None, person=make_person(tree.quang_vinh, "Đỗ Thị Khác"), kind=EpisodeKind.HOME, start_date=START
    )
    rows = follow_today(user=cast.cuong, today=day)
    assert [(r.episode.pk, r.checked_today, r.test_due_today) for r in rows] == [(home.pk, False, True)]
    # Once checked, someone with a test due today stays on the list; the others drop off.
    daily_check_record(actor=None, episode=home, on=day)
    assert [(r.episode.pk, r.checked_today, r.test_due_today) for r in follow_today(user=cast.cuong, today=day)] == [
        (home.pk, True, True)
    ]
    assert follow_today(user=cast.cuong, today=day + timedelta(days=1))[0].episode.pk == home.pk
    assert [r.episode.person.full_name for r in follow_today(user=cast.chi, today=day)] == ["Đỗ Thị Khác"]
