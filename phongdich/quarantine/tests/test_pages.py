"""Quarantine pages: lists, start form, audited detail, release, today's list, hand-overs, rules, export."""

from __future__ import annotations

import io
from datetime import date, timedelta
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from phongdich.core.models import AuditLog
from phongdich.quarantine.models import Episode, EpisodeKind, EpisodeStatus, Handover
from phongdich.quarantine.services import episode_release, episode_start

from .conftest import make_person

START = date(2021, 11, 1)


def login(client: Client, user: Any, cast: Any) -> Client:
    assert client.login(username=user.username, password=cast.password)
    return client


def test_facility_pages_show_occupancy_Q1(client: Client, tree: Any, cast: Any, facility: Any) -> None:
    episode_start(
        actor=None,
        person=make_person(tree.quan_trieu),
        kind=EpisodeKind.CENTRALISED,
        facility=facility,
        start_date=START,
    )
    login(client, cast.cuong, cast)
    body = client.get(reverse("quarantine:facilities")).content.decode()
    assert facility.name in body
    assert "1 / 2" in body
    assert client.get(reverse("quarantine:facility", args=[facility.uid])).status_code == 200
    login(client, cast.chi, cast)
    assert facility.name not in client.get(reverse("quarantine:facilities")).content.decode()
    assert client.get(reverse("quarantine:facility", args=[facility.uid])).status_code == 404


def test_start_from_search_then_form_Q3(client: Client, tree: Any, cast: Any, facility: Any) -> None:
    person = make_person(tree.quan_trieu, "Hà Văn Tìm")
    login(client, cast.cuong, cast)
    body = client.get(reverse("quarantine:start"), {"q": "ha van tim"}).content.decode()
    assert str(person.uid) in body
    url = f"{reverse('quarantine:start')}?person={person.uid}"
    data = {
        "person": person.uid,
        "kind": EpisodeKind.CENTRALISED,
        "facility": facility.uid,
        "start_date": "2021-05-05",
        "vaccination": "none",
        "reason": "Về từ vùng dịch Bắc Giang",
    }
    response = client.post(url, data)
    episode = Episode.objects.get(person=person)
    assert response.status_code == 302
    assert response["Location"] == reverse("quarantine:episode", args=[episode.uid])
    assert (episode.planned_end, episode.test_dates) == (date(2021, 5, 25), ["2021-05-05", "2021-05-18", "2021-05-24"])
    again = client.post(url, {**data, "kind": EpisodeKind.HOME, "facility": ""})
    assert again.status_code == 200
    assert "đang trong một đợt cách ly" in again.content.decode()
    # Another commune's officer cannot even open the form for this person.
    login(client, cast.chi, cast)
    assert client.get(url).status_code == 404


def test_detail_is_audited_and_release_hands_over_Q3_D4(client: Client, tree: Any, cast: Any, facility: Any) -> None:
    episode = episode_start(
        actor=None,
        person=make_person(tree.quan_trieu),
        kind=EpisodeKind.CENTRALISED,
        facility=facility,
        start_date=START,
    )
    login(client, cast.cuong, cast)
    response = client.get(reverse("quarantine:episode", args=[episode.uid]))
    assert response.status_code == 200
    assert "14/11/2021" in response.content.decode()
    assert AuditLog.objects.filter(actor=cast.cuong, action="read", object_uid=str(episode.uid)).count() == 1
    response = client.post(reverse("quarantine:release", args=[episode.uid]), {"on": "2021-11-15", "next_kind": ""})
    new = Episode.objects.get(person=episode.person, status=EpisodeStatus.OPEN)
    assert response["Location"] == reverse("quarantine:episode", args=[new.uid])
    assert new.kind == EpisodeKind.HOME
    assert Handover.objects.filter(episode=new, to_unit=tree.quan_trieu).exists()
    login(client, cast.chi, cast)
    assert client.get(reverse("quarantine:episode", args=[episode.uid])).status_code == 404
    assert client.post(reverse("quarantine:release", args=[new.uid]), {"on": "2021-11-20"}).status_code == 404


def test_today_list_and_check_form_D4(client: Client, tree: Any, cast: Any) -> None:
    episode = episode_start(
        actor=None, person=make_person(tree.quan_trieu, "Lò Thị Nhà"), kind=EpisodeKind.HOME, start_date=START
    )
    login(client, cast.cuong, cast)
    assert "Lò Thị Nhà" in client.get(reverse("quarantine:today")).content.decode()
    today = timezone.localdate()
    response = client.post(
        reverse("quarantine:check", args=[episode.uid]),
        {"date": today.isoformat(), "temperature": "36.8", "next": "today"},
    )
    assert response["Location"] == reverse("quarantine:today")
    assert episode.checks.filter(date=today).exists()
    assert "Lò Thị Nhà" not in client.get(reverse("quarantine:today")).content.decode()
    login(client, cast.chi, cast)
    assert client.post(reverse("quarantine:check", args=[episode.uid]), {"date": today.isoformat()}).status_code == 404


def test_handover_acknowledge_button_Q3(client: Client, tree: Any, cast: Any, facility: Any) -> None:
    episode = episode_start(
        actor=None,
        person=make_person(tree.quan_trieu, "Mai Văn Về"),
        kind=EpisodeKind.CENTRALISED,
        facility=facility,
        start_date=START,
    )
    episode_release(actor=None, episode=episode, on=START + timedelta(days=14))
    handover = Handover.objects.get()
    url = reverse("quarantine:handover-acknowledge", args=[handover.uid])
    login(client, cast.chi, cast)
    assert "Mai Văn Về" not in client.get(reverse("quarantine:handovers")).content.decode()
    assert client.post(url).status_code == 404
    login(client, cast.cuong, cast)
    assert "Mai Văn Về" in client.get(reverse("quarantine:handovers")).content.decode()
    assert client.post(url).status_code == 302
    handover.refresh_from_db()
    assert handover.acknowledged_by == cast.cuong


def test_rules_page_lists_sources_Q2(client: Client, tree: Any, cast: Any) -> None:
    login(client, cast.cuong, cast)
    body = client.get(reverse("quarantine:rules")).content.decode()
    for source in ("600/CĐ-BCĐ", "5599/BYT-MT", "Quy định địa phương 10/2021"):
        assert source in body


def test_export_is_scoped_and_audited_D4(client: Client, tree: Any, cast: Any) -> None:
    from openpyxl import load_workbook

    episode_start(
        actor=None, person=make_person(tree.quan_trieu, "Ninh Văn Xuất"), kind=EpisodeKind.HOME, start_date=START
    )
    episode_start(
        actor=None, person=make_person(tree.quang_vinh, "Ông Thị Ngoài"), kind=EpisodeKind.HOME, start_date=START
    )
    login(client, cast.cuong, cast)
    response = client.get(reverse("quarantine:export"))
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(response.content)).active
    names = [row[0] for row in sheet.iter_rows(min_row=2, values_only=True)]  # type: ignore[union-attr]
    assert names == ["Ninh Văn Xuất"]
    line = AuditLog.objects.get(actor=cast.cuong, action="export")
    assert line.detail["rows"] == 1


@pytest.mark.parametrize("name", ["episodes", "today", "handovers", "rules", "facilities", "start"])
def test_pages_need_a_login_D4(client: Client, db: Any, name: str) -> None:
    response = client.get(reverse(f"quarantine:{name}"))
    assert response.status_code == 302
    assert "login" in response["Location"]
