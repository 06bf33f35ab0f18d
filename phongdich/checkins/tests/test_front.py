"""The check-in front (M1): the scan page's plain check-in answered before Django's middleware stack.

Through the real WSGI application (``CheckinFront`` around Django's own handler), called as gunicorn
calls it — a WSGI environ of a threaded gunicorn worker — with the real group writer thread on a real
database. A recording middleware at the end of the stack tells which requests went through it.
"""

from __future__ import annotations

import io
import json
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

import pytest
from django.conf import settings as django_settings
from django.core.handlers.wsgi import WSGIHandler
from django.http import HttpRequest, HttpResponse
from django.test import override_settings
from django.utils import timezone

from phongdich.checkins import front, groupcommit, throttle
from phongdich.checkins.front import CheckinFront
from phongdich.checkins.models import CheckIn, PremisesCode
from phongdich.checkins.services import premises_code_revoke, visitor_identify

pytestmark = pytest.mark.django_db(transaction=True)

ONE = "/api/v1/checkins"
seen: list[str] = []  # "METHOD path" of every request that reached the end of the middleware stack


class Recorder:
    """The last middleware: records the requests that went through the whole stack."""

    def __init__(self, get_response: Any) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        seen.append(f"{request.method} {request.path}")
        response: HttpResponse = self.get_response(request)
        return response


@dataclass
class Answer:
    status: int
    headers: dict[str, str]
    body: bytes

    def json(self) -> Any:
        return json.loads(self.body)


@pytest.fixture(autouse=True)
def _fresh() -> Iterator[None]:
    groupcommit.shutdown()
    seen.clear()
    yield
    groupcommit.shutdown()


@pytest.fixture
def app() -> Iterator[CheckinFront]:
    """The deployed shape (``phongdich.wsgi``): the front around Django's handler, plus the recorder."""
    with override_settings(MIDDLEWARE=[*django_settings.MIDDLEWARE, f"{__name__}.Recorder"]):
        yield CheckinFront(WSGIHandler())


@pytest.fixture
def device(workshop: Any) -> str:
    return visitor_identify(
        premises=workshop, full_name="Hà Thị Cổng", phone="0912000711", birth_year=1990, sex="F"
    ).device_token


def call(
    app: Any,
    path: str = ONE,
    payload: Any = None,
    *,
    method: str = "POST",
    raw: bytes | None = None,
    threaded: bool = True,
    **headers: str,
) -> Answer:
    """One request through ``app`` as a gunicorn gthread worker hands it over (or a sync one)."""
    data = raw if raw is not None else json.dumps(payload).encode() if payload is not None else b""
    environ: dict[str, Any] = {
        "REQUEST_METHOD": method,
        "PATH_INFO": path,
        "SCRIPT_NAME": "",
        "QUERY_STRING": "",
        "SERVER_NAME": "testserver",
        "SERVER_PORT": "80",
        "SERVER_PROTOCOL": "HTTP/1.1",
        "SERVER_SOFTWARE": "gunicorn/27.0.1",
        "REMOTE_ADDR": "10.9.8.7",
        "HTTP_HOST": "testserver",
        "CONTENT_TYPE": "application/json",
        "CONTENT_LENGTH": str(len(data)),
        "wsgi.version": (1, 0),
        "wsgi.url_scheme": "http",
        "wsgi.input": io.BytesIO(data),
        "wsgi.errors": io.StringIO(),
        "wsgi.multithread": threaded,
        "wsgi.multiprocess": True,
        "wsgi.run_once": False,
        **headers,
    }
    started: list[Any] = []
    result = app(environ, lambda status, response_headers, exc_info=None: started.append((status, response_headers)))
    try:
        body = b"".join(result)
    finally:
        if hasattr(result, "close"):
            result.close()
    status, response_headers = started[0]
    return Answer(status=int(status.split()[0]), headers=dict(response_headers), body=body)


def item(code: PremisesCode, device: str, client_id: str | None = None, **extra: Any) -> dict[str, Any]:
    return {
        "client_id": client_id or str(uuid.uuid4()),
        "at": (timezone.now() - timedelta(minutes=1)).isoformat(),
        "token": code.token,
        "device": device,
        **extra,
    }


def test_plain_checkin_is_answered_before_the_middleware_stack_and_stored_once_M1(
    app: Any, workshop_code: Any, device: str
) -> None:
    sent = item(workshop_code, device)
    answer = call(app, payload=sent)
    assert answer.status == 201
    assert answer.json() == {
        "client_id": sent["client_id"],
        "at": answer.json()["at"],
        "premises": "Xưởng may số 1",
        "organisation": workshop_code.premises.organisation.name,
        "created": True,
    }
    assert seen == []  # no middleware ran for it
    assert CheckIn.objects.filter(client_id=sent["client_id"]).count() == 1
    writer = groupcommit.running()
    assert writer is not None
    assert writer.received == 1
    # The same check-in again (the phone's offline queue resending it): the API view answers it.
    again = call(app, payload=sent)
    assert again.status == 200
    assert again.json()["created"] is False
    assert seen == [f"POST {ONE}"]
    assert CheckIn.objects.filter(client_id=sent["client_id"]).count() == 1


def test_front_answer_carries_the_stacks_security_headers_M1(app: Any, workshop_code: Any, device: str) -> None:
    """The 201 from the front has every header the same answer gets through the whole stack."""
    answer = call(app, payload=item(workshop_code, device))
    assert seen == []
    whole = call(app, payload=item(workshop_code, device), **{front.TRIED: True})  # as if it fell through
    assert whole.status == 201
    assert seen == [f"POST {ONE}"]
    assert answer.headers["Content-Length"] == str(len(answer.body))
    assert answer.headers["Content-Type"] == "application/json"
    assert answer.headers["X-Content-Type-Options"] == "nosniff"
    assert answer.headers["X-Frame-Options"] == "DENY"
    assert answer.headers["Referrer-Policy"] == whole.headers["Referrer-Policy"]
    assert answer.headers["Cross-Origin-Opener-Policy"] == whole.headers["Cross-Origin-Opener-Policy"]
    # Only what depends on the middlewares with nothing to do here differs (Vary on the language).
    assert set(answer.headers) >= set(whole.headers) - {"Vary", "Content-Language", "Allow"}


@pytest.mark.parametrize(
    ("case", "status"),
    [
        ("malformed_json", 400),
        ("missing_field", 400),
        ("unknown_phone", 400),
        ("unknown_token", 400),
        ("revoked_token", 410),
        ("idempotency_key", 201),
        ("authorization", 401),
        ("form_body", 415),
    ],
)
def test_anything_not_plain_falls_through_to_the_api_view_with_its_body_M1(
    app: Any, workshop_code: Any, device: str, case: str, status: int
) -> None:
    """Table: each kind of request the plain view does not answer reaches the whole stack once,
    with the body it sent, and gets the API view's own answer — in Vietnamese, nothing stored
    when it is refused."""
    sent = item(workshop_code, device)
    headers: dict[str, str] = {}
    raw: bytes | None = None
    if case == "malformed_json":
        raw = b'{"client_id": "khong-phai-json'
    elif case == "missing_field":
        del sent["at"]
    elif case == "unknown_phone":
        sent["device"] = "dien-thoai-la"
    elif case == "unknown_token":
        sent["token"] = "khong-co-ma-nay"
    elif case == "revoked_token":
        premises_code_revoke(actor=None, code=workshop_code)
    elif case == "idempotency_key":
        headers["HTTP_IDEMPOTENCY_KEY"] = "lan-quet-1"
    elif case == "authorization":
        headers["HTTP_AUTHORIZATION"] = "Token khong-hop-le"
    elif case == "form_body":
        headers["CONTENT_TYPE"] = "application/x-www-form-urlencoded"
        raw = b"token=abc"
    answer = call(app, payload=sent, raw=raw, **headers)
    assert answer.status == status, answer.body
    assert seen == [f"POST {ONE}"]
    stored = CheckIn.objects.count()
    assert stored == (1 if status == 201 else 0)
    if status >= 400:
        detail = json.dumps(answer.json(), ensure_ascii=False)
        assert any(ch in detail for ch in "ạảấầẩẫậắằẳẵặẹẻẽếềểễệỉịọỏốồổỗộớờởỡợụủứừửữựỳỵỷỹđ"), detail
    if case == "idempotency_key":
        replay = call(app, payload=sent, **headers)
        assert replay.status == 201
        assert replay.json() == answer.json()
        assert CheckIn.objects.count() == 1


def test_limit_counted_once_and_refusal_answered_in_the_clients_language_C4(
    app: Any, settings: Any, workshop_code: Any, device: str
) -> None:
    """The front counts the address once; a refusal falls through and the API view refuses it with
    the same count — a 429 with Retry-After, in Vietnamese or, asked for, in English."""
    settings.CHECKIN_RATE_PER_MINUTE = 3
    settings.CHECKIN_RATE_WINDOW_SECONDS = 86_400
    throttle.reset()
    statuses = [call(app, payload=item(workshop_code, device)).status for _ in range(3)]
    assert statuses == [201, 201, 201]
    assert seen == []
    refused = call(app, payload=item(workshop_code, device))
    assert refused.status == 429
    assert int(refused.headers["Retry-After"]) >= 1
    assert "Quá nhiều yêu cầu" in refused.json()["detail"]
    english = call(app, payload=item(workshop_code, device), HTTP_ACCEPT_LANGUAGE="en")
    assert english.status == 429
    assert "Too many requests" in english.json()["detail"]
    assert CheckIn.objects.count() == 3
    assert seen == [f"POST {ONE}", f"POST {ONE}"]


def test_error_inside_the_front_falls_through_nothing_lost_no_trace_M1(
    app: Any, monkeypatch: Any, workshop_code: Any, device: str
) -> None:
    def broken(token: str) -> None:
        raise RuntimeError("bộ nhớ đệm hỏng")

    monkeypatch.setattr("phongdich.checkins.api.poster_place", broken)
    sent = item(workshop_code, device)
    answer = call(app, payload=sent)
    assert answer.status == 201  # the API view stored it on its own path
    assert b"Traceback" not in answer.body
    assert seen == [f"POST {ONE}"]
    assert CheckIn.objects.filter(client_id=sent["client_id"]).count() == 1


def test_writer_unavailable_falls_through_to_the_direct_insert_M1(
    app: Any, monkeypatch: Any, workshop_code: Any, device: str
) -> None:
    """No 503 from the front: without its writer the API view stores the check-in itself."""

    def unavailable(**kwargs: Any) -> bool:
        raise groupcommit.Unavailable("writer died")

    monkeypatch.setattr(groupcommit, "submit_and_wait", unavailable)
    sent = item(workshop_code, device)
    answer = call(app, payload=sent)
    assert answer.status == 201
    assert answer.json()["created"] is True
    assert seen == [f"POST {ONE}"]
    assert CheckIn.objects.filter(client_id=sent["client_id"]).count() == 1


@pytest.mark.parametrize(
    ("method", "path", "threaded", "setting"),
    [
        ("GET", ONE, True, None),  # not a check-in
        ("POST", "/api/v1/checkins/batch", True, None),  # another endpoint
        ("POST", ONE + "/", True, None),  # the slash URL stays with Django
        ("POST", ONE, False, None),  # a sync worker: no group writer, Django's stack answers
        ("POST", ONE, True, False),  # group commit turned off
    ],
)
def test_front_stands_aside_M1(
    app: Any,
    settings: Any,
    workshop_code: Any,
    device: str,
    method: str,
    path: str,
    threaded: bool,
    setting: bool | None,
) -> None:
    settings.CHECKIN_GROUP_COMMIT = setting
    call(app, path, item(workshop_code, device) if method == "POST" else None, method=method, threaded=threaded)
    assert seen == [f"{method} {path}"]


def test_deployed_application_is_the_front_around_django_M1() -> None:
    from phongdich import wsgi

    assert isinstance(wsgi.application, CheckinFront)
    assert isinstance(wsgi.application.app, WSGIHandler)
