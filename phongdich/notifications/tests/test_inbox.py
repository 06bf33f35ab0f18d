"""The in-app inbox (issue 6, R1): unread first, mark one or all read, a user sees only their own; the
unread count in templates; recipients by role."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client, RequestFactory
from django.urls import reverse

from phongdich.notifications.context_processors import unread
from phongdich.notifications.models import Notification
from phongdich.notifications.selectors import users_with_role
from phongdich.orgs.models import Role

pytestmark = pytest.mark.django_db


def _note(user: Any, title: str, read: bool = False, link: str = "") -> Notification:
    from django.utils import timezone

    return Notification.objects.create(
        recipient=user, title=title, body="...", link=link, read_at=timezone.now() if read else None
    )


def _client(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_inbox_shows_unread_first_and_only_own_R1(cast: Any) -> None:
    _note(cast.cuong, "Cũ đã đọc", read=True)
    _note(cast.cuong, "Mới chưa đọc")
    _note(cast.chi, "Của Chi")
    html = _client(cast.cuong).get(reverse("notifications:inbox")).content.decode()
    assert html.index("Mới chưa đọc") < html.index("Cũ đã đọc")
    assert "Của Chi" not in html


def test_mark_read_one_and_all_R1(cast: Any) -> None:
    first, second, third = _note(cast.cuong, "Một"), _note(cast.cuong, "Hai"), _note(cast.cuong, "Ba")
    client = _client(cast.cuong)
    response = client.post(reverse("notifications:read", kwargs={"uid": first.uid}))
    assert response.status_code == 302
    first.refresh_from_db()
    second.refresh_from_db()
    assert first.read_at is not None
    assert second.read_at is None
    client.post(reverse("notifications:read_all"))
    assert not Notification.objects.filter(recipient=cast.cuong, read_at__isnull=True).exists()
    third.refresh_from_db()
    assert third.read_at is not None
    other = _note(cast.chi, "Của Chi")
    client.post(reverse("notifications:read_all"))
    other.refresh_from_db()
    assert other.read_at is None


def test_another_users_notification_is_404_R1(cast: Any) -> None:
    theirs = _note(cast.chi, "Của Chi")
    client = _client(cast.cuong)
    assert client.post(reverse("notifications:read", kwargs={"uid": theirs.uid})).status_code == 404
    assert client.post(f"/api/v1/notifications/{theirs.uid}/read/").status_code == 404
    theirs.refresh_from_db()
    assert theirs.read_at is None


def test_open_goes_to_local_link_only_R1(cast: Any) -> None:
    local = _note(cast.cuong, "Nội bộ", link="/hotlines/")
    outside = _note(cast.cuong, "Ngoài", link="https://evil.example/")
    client = _client(cast.cuong)
    assert client.post(reverse("notifications:read", kwargs={"uid": local.uid}), {"open": "1"})["Location"] == (
        "/hotlines/"
    )
    assert client.post(reverse("notifications:read", kwargs={"uid": outside.uid}), {"open": "1"})[
        "Location"
    ] == reverse("notifications:inbox")


def test_api_lists_own_and_marks_read_R1(cast: Any) -> None:
    mine = _note(cast.cuong, "Của Cường")
    _note(cast.chi, "Của Chi")
    client = _client(cast.cuong)
    data = client.get("/api/v1/notifications/").json()
    assert [n["title"] for n in data["results"]] == ["Của Cường"]
    assert data["unread"] == 1
    assert client.post(f"/api/v1/notifications/{mine.uid}/read/").json()["read_at"]
    assert client.post("/api/v1/notifications/read-all/").json() == {"marked": 0}
    assert Client().get("/api/v1/notifications/").status_code in (401, 403)


def test_unread_count_context_processor_R1(cast: Any) -> None:
    _note(cast.cuong, "a")
    _note(cast.cuong, "b")
    _note(cast.cuong, "c", read=True)
    request = RequestFactory().get("/")
    request.user = cast.cuong
    assert unread(request)["notifications_unread"]() == 2
    from django.contrib.auth.models import AnonymousUser

    request.user = AnonymousUser()
    assert unread(request)["notifications_unread"] == 0


def test_users_with_role_in_unit_and_organisation_R1(cast: Any, tree: Any) -> None:
    assert list(users_with_role(unit=tree.quan_trieu)) == [cast.cuong]
    assert list(users_with_role(unit=tree.quan_trieu, include_ancestors=True)) == [cast.alice, cast.cuong, cast.dan]
    assert list(users_with_role(unit=tree.quan_trieu, roles=[Role.DISTRICT_OFFICER], include_ancestors=True)) == [
        cast.dan
    ]
    assert list(users_with_role(organisation=cast.enterprise)) == [cast.oanh]
    cast.cuong.is_active = False
    cast.cuong.save()
    assert list(users_with_role(unit=tree.quan_trieu)) == []
    assert list(users_with_role()) == []
