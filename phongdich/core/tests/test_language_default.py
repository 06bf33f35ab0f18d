"""Vietnamese is the default language of every page, whatever the browser asks for."""

from __future__ import annotations

import pytest
from django.conf import settings
from django.test import Client


@pytest.mark.django_db
@pytest.mark.parametrize("accept", ["en-US,en;q=0.9", "en", "fr-FR", ""])
def test_pages_are_vietnamese_whatever_the_browser_language(accept: str) -> None:
    response = Client(HTTP_ACCEPT_LANGUAGE=accept).get("/accounts/login/")
    assert response.status_code == 200
    assert '<html lang="vi">' in response.content.decode()


@pytest.mark.django_db
def test_language_switch_cookie_is_followed() -> None:
    client = Client(HTTP_ACCEPT_LANGUAGE="vi")
    response = client.post("/i18n/setlang/", {"language": "en", "next": "/accounts/login/"})
    assert response.status_code == 302
    assert response.cookies[settings.LANGUAGE_COOKIE_NAME].value == "en"
    assert '<html lang="en">' in client.get("/accounts/login/").content.decode()


@pytest.mark.django_db
def test_unknown_language_cookie_falls_back_to_vietnamese() -> None:
    client = Client()
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "xx"
    assert '<html lang="vi">' in client.get("/accounts/login/").content.decode()
