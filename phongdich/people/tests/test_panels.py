"""Other apps add sections to a person's page through the panel registry (C1, M6)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from django.test import Client

from phongdich.people import panels
from phongdich.people.models import Person
from phongdich.people.panels import Panel, PanelAction, PanelRow, panels_for, register_panel
from phongdich.people.services import person_create


@pytest.fixture
def clean_registry() -> Iterator[None]:
    saved = list(panels._providers)
    panels._providers.clear()
    yield
    panels._providers[:] = saved


def _person(actor: Any, unit: Any) -> Person:
    person = person_create(actor=actor, full_name="Lò Thị Panel", birth_year=1990, sex="F", residence_unit=unit).person
    assert person is not None
    return person


def _shown_for(person: Person, user: Any) -> Panel | None:
    if user.username != "cuong":
        return None
    return Panel(
        key="probe",
        title="Thăm dò",
        rows=[PanelRow(text=f"Dòng của {person.full_name}", url="/probe/", badge="mới", badge_class="red")],
        actions=[PanelAction(label="Làm gì đó", url="/probe/new/")],
    )


def test_panels_are_ordered_replaced_and_may_hide_M6(clean_registry: None, cast: Any, tree: Any) -> None:
    person = _person(cast.cuong, tree.quan_trieu)
    register_panel("b", lambda p, u: Panel(key="b", title="B"), order=20)
    register_panel("a", lambda p, u: Panel(key="a", title="A"), order=10)
    register_panel("probe", _shown_for, order=30)
    assert [p.key for p in panels_for(person, cast.cuong)] == ["a", "b", "probe"]
    assert [p.key for p in panels_for(person, cast.dan)] == ["a", "b"]
    register_panel("a", lambda p, u: None, order=10)
    assert [p.key for p in panels_for(person, cast.cuong)] == ["b", "probe"]


def test_person_page_renders_registered_panels_M6(clean_registry: None, cast: Any, tree: Any, client: Client) -> None:
    person = _person(cast.cuong, tree.quan_trieu)
    register_panel("probe", _shown_for)
    client.force_login(cast.cuong)
    html = client.get(f"/people/{person.uid}/").content.decode()
    assert 'id="panel-probe"' in html
    assert '<a href="/probe/">Dòng của Lò Thị Panel</a>' in html
    assert '<a class="button secondary" href="/probe/new/">Làm gì đó</a>' in html
