"""A person's page shows their active exposure flags with the reason (M5)."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.test import Client
from django.utils import timezone

from phongdich.people.services import person_create
from phongdich.zones.services import area_declare, visit_record


def test_person_page_shows_active_exposure_with_reason_M5(cast: Any, tree: Any, client: Client) -> None:
    today = timezone.localdate()
    person = person_create(
        actor=cast.cuong, full_name="Hà Văn Phơi", birth_year=1985, sex="M", residence_unit=tree.quan_trieu
    ).person
    assert person is not None
    client.force_login(cast.cuong)
    html = client.get(f"/people/{person.uid}/").content.decode()
    assert 'id="panel-exposures"' in html
    assert "Không có cờ phơi nhiễm đang hiệu lực." in html
    area_declare(
        actor=cast.alice, kind="country", country="KR", start_date=today - timedelta(days=30), source_number="1/TB"
    )
    visit_record(
        actor=cast.cuong,
        person=person,
        kind="country",
        country="KR",
        from_date=today - timedelta(days=5),
        to_date=today - timedelta(days=3),
        source="test:1",
    )
    html = client.get(f"/people/{person.uid}/").content.decode()
    assert "Hàn Quốc" in html
    assert "Không có cờ phơi nhiễm đang hiệu lực." not in html


def test_recording_a_visit_from_a_person_page_fills_the_person_in_M5(cast: Any, tree: Any, client: Client) -> None:
    person = person_create(
        actor=cast.cuong, full_name="Hà Văn Đến", birth_year=1985, sex="M", residence_unit=tree.quan_trieu
    ).person
    assert person is not None
    client.force_login(cast.cuong)
    html = client.get(f"/zones/visits/new/?person={person.uid}").content.decode()
    assert f'value="{person.uid}"' in html
