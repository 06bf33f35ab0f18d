"""Keeps the current request's actor and address in a context variable for the audit log."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass

from django.http import HttpRequest, HttpResponse
from django.middleware.locale import LocaleMiddleware


@dataclass(frozen=True)
class RequestContext:
    ip: str | None
    user_agent: str
    path: str


_current: ContextVar[RequestContext | None] = ContextVar("phongdich_request", default=None)


def client_ip(request: HttpRequest) -> str | None:
    """The client's address. Behind a proxy, set ``TRUSTED_PROXY_HEADER`` (not done by default)."""
    from django.conf import settings

    header = getattr(settings, "TRUSTED_PROXY_HEADER", "")
    if header and request.META.get(header):
        return str(request.META[header]).split(",")[0].strip() or None
    return request.META.get("REMOTE_ADDR") or None


def current_request_context() -> RequestContext | None:
    return _current.get()


@contextmanager
def request_context(request: HttpRequest) -> Iterator[RequestContext]:
    """``request``'s address, agent and path as the current request context while inside."""
    context = RequestContext(
        ip=client_ip(request),
        user_agent=request.META.get("HTTP_USER_AGENT", "")[:255],
        path=request.path[:255],
    )
    token = _current.set(context)
    try:
        yield context
    finally:
        _current.reset(token)


class RequestContextMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        with request_context(request):
            return self.get_response(request)


class VietnameseFirstLocaleMiddleware(LocaleMiddleware):
    """Vietnamese on every page unless the user picked another language with the switch.

    Django's LocaleMiddleware follows the browser's Accept-Language, which would show English
    pages to an officer whose phone happens to be set to English. Pages here follow only the
    language cookie set by the switch (``/i18n/setlang/``); API clients (``/api/``) may still ask
    for a language with Accept-Language.
    """

    def process_request(self, request: HttpRequest) -> None:
        if request.path.startswith("/api/"):
            super().process_request(request)
            return
        from django.conf import settings
        from django.utils import translation

        chosen = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME, "")
        supported = {code for code, _name in settings.LANGUAGES}
        language = chosen if chosen in supported else settings.LANGUAGE_CODE
        translation.activate(language)
        request.LANGUAGE_CODE = translation.get_language()
