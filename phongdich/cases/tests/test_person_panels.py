"""A person's page gathers what the surveillance apps know of them: cases, quarantine, declarations (C1, Q1, M2)."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.test import Client
from django.utils import timezone

from phongdich.cases.models import CaseStatus, DetectedIn
from phongdich.cases.services import case_register
from phongdich.declarations.models import Channel
from phongdich.declarations.services import declaration_file
from phongdich.quarantine.models import EpisodeKind
from phongdich.quarantine.services import episode_start

from .conftest import make_person


def _page(client: Client, person: Any) -> str:
    return client.get(f"/people/{person.uid}/").content.decode()


def test_person_page_offers_to_register_a_case_then_shows_it_C1(cast: Any, tree: Any, client: Client) -> None:
    person = make_person(tree.quan_trieu)
    client.force_login(cast.cuong)
    html = _page(client, person)
    assert "Không có ca bệnh." in html
    assert f'href="/cases/new/?person={person.uid}">Ghi nhận ca bệnh</a>' in html
    case = case_register(
        actor=cast.cuong,
        person=person,
        status=CaseStatus.SUSPECTED,
        detected_in=DetectedIn.COMMUNITY,
        sampling_date=timezone.localdate(),
    )
    html = _page(client, person)
    assert f'<a href="/cases/{case.uid}/">{case.case_code}</a>' in html
    assert "Nghi ngờ" in html
    assert "Ghi nhận ca bệnh" not in html  # one open case per person


def test_person_page_shows_quarantine_and_offers_to_start_one_Q1(cast: Any, tree: Any, client: Client) -> None:
    person = make_person(tree.quan_trieu)
    client.force_login(cast.cuong)
    assert f'href="/quarantine/new/?person={person.uid}">Bắt đầu cách ly</a>' in _page(client, person)
    start = timezone.localdate() - timedelta(days=2)
    episode = episode_start(actor=cast.cuong, person=person, kind=EpisodeKind.HOME, start_date=start)
    html = _page(client, person)
    assert f'href="/quarantine/{episode.uid}/">Cách ly tại nhà</a>' in html
    assert f"{start:%d/%m/%Y}–{episode.planned_end:%d/%m/%Y}" in html
    assert "Bắt đầu cách ly" not in html


def test_person_page_shows_the_latest_declaration_M2(cast: Any, tree: Any, client: Client) -> None:
    data = {
        "full_name": "Trần Thị Dân",
        "id_number": "B1234567",
        "birth_year": 1980,
        "sex": "F",
        "residence_unit": tree.quan_trieu,
        "address": "Tổ 3",
        "phone": "0987000111",
        "fever": True,
    }
    filed = declaration_file(actor=None, channel=Channel.SELF, data=data, visits=[])
    client.force_login(cast.cuong)
    html = _page(client, filed.declaration.person)
    assert f'href="/declarations/{filed.declaration.uid}/">' in html
    assert "có triệu chứng" in html


def test_case_page_leads_to_tracing_its_contacts_C4(cast: Any, tree: Any, client: Client) -> None:
    case = case_register(
        actor=cast.cuong,
        person=make_person(tree.quan_trieu),
        status=CaseStatus.CONFIRMED,
        detected_in=DetectedIn.COMMUNITY,
        sampling_date=timezone.localdate(),
        confirmation_date=timezone.localdate(),
    )
    client.force_login(cast.cuong)
    html = client.get(f"/cases/{case.uid}/").content.decode()
    assert f'href="/tracing/cases/{case.uid}/contacts/new/">Ghi nhận người tiếp xúc</a>' in html
    assert f'href="/exposures/cases/{case.uid}/">Người cùng quét mã QR</a>' in html
    tracing_home = client.get("/tracing/").content.decode()
    assert 'href="/cases/clusters/">Ổ dịch</a>' in tracing_home
