"""Keeps the current request's actor and address in a context variable for the audit log."""

from __future__ import annotations

from collections.abc import Callable
from contextvars import ContextVar
from dataclasses import dataclass

from django.http import HttpRequest, HttpResponse


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


class RequestContextMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        token = _current.set(
            RequestContext(
                ip=client_ip(request),
                user_agent=request.META.get("HTTP_USER_AGENT", "")[:255],
                path=request.path[:255],
            )
        )
        try:
            return self.get_response(request)
        finally:
            _current.reset(token)
