"""The scan page's plain check-in, answered in front of Django's middleware stack (WSGI).

``phongdich.wsgi.application`` is Django's WSGI handler wrapped in ``CheckinFront``. Under
threaded gunicorn workers with the group commit on (``groupcommit.enabled``) a
``POST /api/v1/checkins`` goes first to ``api.poster_fast_path`` — the same plain view that
otherwise runs first inside Django's stack — without the eleven middlewares and the request
signals around it. None of them has anything to do for this request: it carries no session, no
login and no CSRF token (the API is exempt), sets no cookie, shows no message, answers JSON without
a translated word, and touches no database connection of its own (the group writer has its own).
What the request would still have got from them it gets here:

* the security headers — Django's ``SecurityMiddleware`` and ``XFrameOptionsMiddleware`` run
  their ``process_response`` on the answer (nosniff, referrer and opener policies, HSTS when
  configured, ``X-Frame-Options``), and ``Content-Length`` is set as ``CommonMiddleware`` sets it;
* the request's address and agent for the log and the audit (``RequestContext``);
* the thread's database connections are looked after as the request signals would: if the view
  opened one (the code snapshot is refreshed on the request's thread), stale ones are closed
  before and after, as ``close_old_connections`` does around every Django request.

It answers only what the plain view stores: a ``201``. Everything else — another method or
path, an ``Idempotency-Key``, ``Authorization``, a field error, malformed JSON, an unknown or
revoked code, an unknown phone, a duplicate ``client_id``, the per-address limit reached, the
writer unavailable, any error at all — goes on to the whole Django application with the body
already read, marked so that the plain view does not run twice and the per-address limit is not
counted twice (``throttle.check_request``); the DRF view then answers it exactly as before, in the
client's language.
"""

from __future__ import annotations

import io
import logging
from collections.abc import Callable, Iterable
from typing import Any

from django.core.handlers.wsgi import WSGIRequest
from django.db import close_old_connections, connections
from django.http import HttpRequest, HttpResponse
from django.middleware.clickjacking import XFrameOptionsMiddleware
from django.middleware.security import SecurityMiddleware

from phongdich.core.middleware import request_context

from . import groupcommit

logger = logging.getLogger(__name__)

PATH = "/api/v1/checkins"
TRIED = "phongdich.checkin_front"  # in the WSGI environ: the plain view has run already

WSGIApp = Callable[[dict[str, Any], Callable[..., Any]], Iterable[bytes]]


def _not_called(request: HttpRequest) -> HttpResponse:
    """The two middlewares' ``get_response``: only their ``process_response`` is used here."""
    raise AssertionError("the check-in front calls process_response only")


def _connections_open() -> bool:
    return any(wrapper.connection is not None for wrapper in connections.all(initialized_only=True))


class CheckinFront:
    """WSGI middleware: ``app`` (Django's handler) behind the scan page's plain check-in."""

    def __init__(self, app: WSGIApp) -> None:
        self.app = app
        self.security = SecurityMiddleware(_not_called)
        self.frames = XFrameOptionsMiddleware(_not_called)

    def __call__(self, environ: dict[str, Any], start_response: Callable[..., Any]) -> Iterable[bytes]:
        if (
            environ.get("PATH_INFO") != PATH
            or environ.get("REQUEST_METHOD") != "POST"
            or TRIED in environ
            or not groupcommit.enabled(environ)
        ):
            return self.app(environ, start_response)
        request = WSGIRequest(environ)
        response = self._plain(request)
        if response is None or response.status_code != 201:
            return self.app(self._onwards(environ, request), start_response)
        response = self.security.process_response(request, response)
        response = self.frames.process_response(request, response)
        content = response.content
        response.headers["Content-Length"] = str(len(content))
        start_response(f"{response.status_code} {response.reason_phrase}", list(response.items()))
        return [content]

    def _plain(self, request: WSGIRequest) -> HttpResponse | None:
        from .api import poster_fast_path

        if _connections_open():
            close_old_connections()
        with request_context(request):
            try:
                return poster_fast_path(request)
            except Exception:
                # Never a trace to the phone: the whole application answers it instead.
                logger.exception("checkin front: the plain check-in failed; the API view answers it")
                return None
            finally:
                if _connections_open():
                    close_old_connections()

    @staticmethod
    def _onwards(environ: dict[str, Any], request: WSGIRequest) -> dict[str, Any]:
        """The environ for Django's handler: the body again if it was read, and the mark."""
        body = getattr(request, "_body", None)
        if body is not None:
            environ["wsgi.input"] = io.BytesIO(body)
            environ["CONTENT_LENGTH"] = str(len(body))
        environ[TRIED] = True
        return environ
