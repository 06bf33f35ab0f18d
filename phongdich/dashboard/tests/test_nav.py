"""The main navigation follows the user's roles."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from phongdich.core.models import User
from phongdich.dashboard.context_processors import nav_items_for, url_or_none
from phongdich.orgs.models import Role
from phongdich.orgs.services import role_assign


def _keys(user: Any) -> list[str]:
    return [item.key for item in nav_items_for(user, "/")]


def _present(*keys: str) -> list[str]:
    """The keys whose pages exist in this build (people and geo pages come from their apps)."""
    names = {
        "people": "people:list",
        "geo": "geo:index",
        "tracing": "tracing:clusters",
        "movements": "movements:list",
        "checkins": "checkins:index",
        "gate": "healthpass:gate_select",
    }
    return [k for k in keys if k not in names or url_or_none(names[k])]


IN_SCOPE = (
    "home",
    "overview",
    "people",
    "cases",
    "tracing",
    "quarantine",
    "declarations",
    "movements",
    "testing",
    "labs",
    "screening",
    "supplies",
    "vaccination",
    "coverage",
    "aefi",
    "zones",
    "control_zones",
    "transport_passes",
    "levels",
    "checkins",
    "gate",
    "exposures",
    "reports",
    "directives",
    "tasks",
    "plans",
    "tips",
    "hotlines",
    "travel",
    "geo",
    "orgs",
)


def _with(*extra: str) -> tuple[str, ...]:
    """IN_SCOPE with the role-bound items (checkpoints, command overview, workforce, enforcement) in their places."""
    keys: list[str] = []
    for key in IN_SCOPE:
        keys.append(key)
        if key == "transport_passes" and "checkpoints" in extra:
            keys.append("checkpoints")
        if key == "plans" and "command_overview" in extra:
            keys.append("command_overview")
        if key == "travel":
            keys += [k for k in ("onsite_plans", "worker_passes", "enforcement", "elections", "welfare") if k in extra]
            keys.append("event_check")
    return tuple(keys)


def _without(keys: tuple[str, ...], *absent: str) -> tuple[str, ...]:
    """A hamlet head or an organisation head has no commune-wide figures (coverage; levels without a unit)."""
    return tuple(k for k in keys if k not in absent)


WORKFORCE = ("onsite_plans", "worker_passes")
WELFARE = ("elections", "welfare")


@pytest.mark.parametrize(
    ("persona", "expected"),
    [
        ("alice", (*_with("checkpoints", "command_overview", *WORKFORCE, "enforcement", *WELFARE), "roles", "audit")),
        ("dan", _with("checkpoints", *WORKFORCE, "enforcement", *WELFARE)),
        ("cuong", _with("checkpoints", *WORKFORCE, "enforcement", *WELFARE)),
        ("hoa", _without(_with("checkpoints", "enforcement"), "coverage")),
        ("oanh", _without(_with(*WORKFORCE), "overview", "coverage", "levels")),
    ],
)
def test_nav_items_per_role_D4(cast: Any, persona: str, expected: tuple[str, ...]) -> None:
    assert _keys(getattr(cast, persona)) == _present(*expected)


def test_nav_for_superuser_has_admin_D4(db: Any) -> None:
    root = User.objects.create_superuser("root", "root@example.org", "x")
    everything = _with("checkpoints", "command_overview", *WORKFORCE, "enforcement", *WELFARE)
    assert _keys(root) == _present(*everything, "followed", "roles", "audit", "admin")


def test_nav_for_committee_member_has_followed_D5(cast: Any, tree: Any) -> None:
    member = User.objects.create_user("son", password="x")
    role_assign(user=member, role=Role.STANDING_COMMITTEE, unit=tree.province)
    assert "followed" in _keys(member)


def test_nav_without_roles_and_anonymous_D4(db: Any) -> None:
    assert _keys(User.objects.create_user("nobody", password="x")) == _present("home", "travel", "geo", "orgs")
    from django.contrib.auth.models import AnonymousUser

    assert nav_items_for(AnonymousUser()) == []


def test_nav_is_rendered_with_the_current_page_marked_D4(cast: Any, client: Client) -> None:
    client.force_login(cast.alice)
    html = client.get("/orgs/").content.decode()
    assert '<a href="/orgs/" aria-current="page">Cơ quan</a>' in html
    assert '<a href="/audit/">Nhật ký</a>' in html
    assert '<a href="/" >' not in html


@pytest.mark.parametrize(
    ("path", "active"),
    [("/", "home"), ("/orgs/", "orgs"), ("/orgs/roles/", "roles"), ("/orgs/roles/x/", "roles"), ("/audit/", "audit")],
)
def test_only_the_closest_nav_item_is_current_D4(cast: Any, path: str, active: str) -> None:
    assert [i.key for i in nav_items_for(cast.alice, path) if i.active] == [active]


def test_nav_groups_put_pages_in_menus_D4(cast: Any) -> None:
    from phongdich.dashboard.context_processors import nav_groups_for

    items = nav_items_for(cast.alice, "/orgs/roles/")
    groups = nav_groups_for(items)
    # Every item appears exactly once, in the order of the flat list.
    assert [i.key for g in groups for i in g.items] == [i.key for i in items]
    admin = next(g for g in groups if g.key == "admin")
    assert [i.key for i in admin.items] == _present("geo", "orgs", "roles", "audit")
    assert admin.active
    assert [g.key for g in groups if g.active] == ["admin"]
    # Home stands alone as a plain link.
    assert groups[0].key == ""
    assert groups[0].items[0].key == "home"


def test_nav_group_of_one_page_is_a_plain_link_D4(db: Any) -> None:
    from phongdich.dashboard.context_processors import NavItem, nav_groups_for

    items = [
        NavItem(key="home", label="Trang chính", url="/"),
        NavItem(key="geo", label="Địa bàn", url="/units/", group="admin"),
    ]
    assert [(g.key, [i.key for i in g.items]) for g in nav_groups_for(items)] == [("", ["home"]), ("", ["geo"])]


def test_nav_menus_are_rendered_as_disclosures_D4(cast: Any, client: Client) -> None:
    client.force_login(cast.alice)
    html = client.get("/orgs/").content.decode()
    assert '<details class="navgroup current"><summary>Quản trị</summary>' in html
    assert html.count('<details class="navgroup') >= 2


@pytest.mark.parametrize("persona", ["alice", "dan", "cuong", "hoa", "oanh"])
def test_every_nav_page_opens_for_its_user_D4(cast: Any, persona: str) -> None:
    """A menu never offers a page that then says "not found" or "forbidden" to the same user."""
    user = getattr(cast, persona)
    client = Client()
    client.force_login(user)
    refused = {}
    for item in nav_items_for(user, "/"):
        status = client.get(item.url).status_code
        if status != 200:
            refused[item.key] = status
    assert refused == {}
