"""Check-in API (C4): one check-in, a batch of up to 1,000, and a phone's first identification.

* ``POST /api/v1/checkins`` — the one-tap page (poster ``token`` + the phone's ``device`` token,
  no login) or a token-authenticated client (``premises`` and ``person`` uids).
* ``POST /api/v1/checkins/batch`` — token-authenticated clients (gates, integrations); all items
  are validated first, any error refuses the whole batch with the errors of each item.
* ``POST /api/v1/checkins/visitors`` — the page's first visit: who this phone belongs to.

All three are limited per address (``throttle.py``), answer in Vietnamese, and acknowledge only
after the transaction has committed. The two check-in endpoints honour ``Idempotency-Key``:
the same key and body again returns the stored answer; the same key with another body is 422.
"""

from __future__ import annotations

import functools
import hashlib
import json
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any, NoReturn

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema, inline_serializer
from rest_framework import exceptions, serializers, status
from rest_framework.parsers import JSONParser
from rest_framework.permissions import AllowAny, IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from phongdich.core.api import MALFORMED_JSON
from phongdich.core.errors import ApplicationError
from phongdich.core.middleware import client_ip
from phongdich.core.models import User
from phongdich.orgs.models import Premises
from phongdich.orgs.scope import scope_for
from phongdich.people.models import Person

from . import front, groupcommit, throttle
from .models import IdempotencyRecord, PremisesCode, Source, Visitor
from .selectors import code_by_token, forget_place, poster_place
from .services import (
    PREMISES_INACTIVE,
    BatchRow,
    check_time,
    checkin_record,
    checkins_record_batch,
    device_token_hash,
    poster_checkin_insert,
    visitor_by_token,
    visitor_identify,
)

if TYPE_CHECKING:
    from django.utils.functional import _StrPromise as StrPromise
else:
    StrPromise = str

DEVICE_COOKIE = "pd_device"
DEVICE_COOKIE_SALT = "phongdich.checkins.device"
DEVICE_COOKIE_AGE = 400 * 24 * 3600
MAX_BODY = 1024 * 1024

NOT_OBJECT = _("Dữ liệu gửi lên phải là một đối tượng JSON.")
TOO_LARGE = _("Dữ liệu gửi lên quá lớn (tối đa %(kb)s KB).")
UNSUPPORTED = _("Chỉ nhận dữ liệu JSON (Content-Type: application/json).")
TOKEN_UNKNOWN = _("Mã QR không hợp lệ. Vui lòng quét lại mã dán tại địa điểm.")
TOKEN_REVOKED = _("Mã QR này đã bị thu hồi. Vui lòng quét mã mới dán tại địa điểm.")
PREMISES_UNKNOWN = _("Không tìm thấy địa điểm này trong phạm vi của bạn.")
DEVICE_UNKNOWN = _("Điện thoại này chưa đăng ký thông tin. Vui lòng mở lại trang quét mã và nhập thông tin.")
PERSON_UNKNOWN = _("Không tìm thấy người này.")
ONE_PLACE = _("Cần đúng một trong hai: mã QR (token) hoặc mã địa điểm (premises).")
ONE_WHO = _("Cần đúng một trong hai: mã thiết bị (device) hoặc mã người (person).")
LOGIN_FOR_UIDS = _("Gửi theo mã địa điểm hoặc mã người cần xác thực bằng mã truy cập (token).")
BATCH_NOT_LIST = _("Trường items phải là một danh sách các lượt quét mã.")
BATCH_EMPTY = _("Lô gửi lên không có lượt quét mã nào.")
BATCH_TOO_BIG = _("Mỗi lô tối đa %(max)s lượt quét mã (lô này có %(count)s). Vui lòng chia nhỏ lô.")
BATCH_INVALID = _("Lô có %(count)s lượt không hợp lệ; không lượt nào được lưu. Xem lỗi của từng lượt.")
KEY_REUSED = _("Idempotency-Key này đã được dùng cho một yêu cầu có nội dung khác. Hãy dùng khóa mới cho yêu cầu mới.")
KEY_INVALID = _("Idempotency-Key phải gồm 1 đến 255 ký tự in được.")

IDEMPOTENCY_PARAMETER = OpenApiParameter(
    "Idempotency-Key",
    OpenApiTypes.STR,
    OpenApiParameter.HEADER,
    required=False,
    description=_(
        "Khóa do máy khách tạo (ví dụ một UUID). Gửi lại cùng khóa và cùng nội dung trả lại đúng kết quả "
        "đã lưu; cùng khóa với nội dung khác bị từ chối (422)."
    ),
)


def batch_max() -> int:
    return int(getattr(settings, "CHECKIN_BATCH_MAX", 1000))


class Refused(Exception):
    """A request refused as a whole, with its HTTP status and Vietnamese message."""

    def __init__(self, status_code: int, message: Any, **extra: Any) -> None:
        super().__init__(str(message))
        self.status_code = status_code
        self.payload = {"detail": str(message), **extra}


# --- Serializers ----------------------------------------------------------------------------

UUID_ERRORS: dict[str, str | StrPromise] = {"invalid": _("Mã không hợp lệ (cần dạng UUID, ví dụ 3f2b8c1e-…).")}
TIME_ERRORS: dict[str, str | StrPromise] = {
    "invalid": _("Thời điểm không hợp lệ (cần dạng ISO 8601, ví dụ 2021-11-06T08:30:00+07:00).")
}
YEAR_ERRORS: dict[str, str | StrPromise] = {
    "invalid": _("Năm sinh phải là một số."),
    "min_value": _("Năm sinh phải từ năm 1900 trở đi."),
    "max_value": _("Năm sinh không hợp lệ."),
}
SEX_ERRORS: dict[str, str | StrPromise] = {"invalid_choice": _("Giới tính phải là Nam hoặc Nữ.")}


class CheckInInputSerializer(serializers.Serializer):
    client_id = serializers.UUIDField(
        error_messages=UUID_ERRORS, help_text=_("UUID do máy khách tạo; gửi lại cùng mã chỉ lưu một lần")
    )
    at = serializers.DateTimeField(
        error_messages=TIME_ERRORS, help_text=_("Thời điểm quét mã theo đồng hồ của thiết bị (ISO 8601)")
    )
    sent_at = serializers.DateTimeField(
        required=False,
        error_messages=TIME_ERRORS,
        help_text=_("Thời điểm gửi theo đồng hồ của thiết bị; máy chủ dùng để chỉnh lệch giờ"),
    )
    token = serializers.CharField(required=False, max_length=64, help_text=_("Mã bí mật in trên áp phích QR"))
    premises = serializers.UUIDField(
        required=False, error_messages=UUID_ERRORS, help_text=_("Mã định danh địa điểm (máy khách có xác thực)")
    )
    device = serializers.CharField(required=False, max_length=64, help_text=_("Mã thiết bị của điện thoại"))
    person = serializers.UUIDField(
        required=False, error_messages=UUID_ERRORS, help_text=_("Mã định danh người (máy khách có xác thực)")
    )

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        if bool(attrs.get("token")) == bool(attrs.get("premises")):
            raise serializers.ValidationError({"token": [ONE_PLACE]})
        if attrs.get("device") and attrs.get("person"):
            raise serializers.ValidationError({"device": [ONE_WHO]})
        return attrs


class CheckInResultSerializer(serializers.Serializer):
    client_id = serializers.UUIDField()
    at = serializers.DateTimeField()
    premises = serializers.CharField(help_text=_("Tên địa điểm"))
    organisation = serializers.CharField(help_text=_("Tên cơ quan, đơn vị"))
    created = serializers.BooleanField(help_text=_("False khi lượt này đã được lưu trước đó"))


class BatchInputSerializer(serializers.Serializer):
    items = CheckInInputSerializer(many=True)


class BatchResultSerializer(serializers.Serializer):
    received = serializers.IntegerField()
    created = serializers.IntegerField()
    duplicates = serializers.IntegerField(help_text=_("Lượt đã lưu trước đó hoặc lặp lại trong lô"))


class VisitorInputSerializer(serializers.Serializer):
    token = serializers.CharField(max_length=64, help_text=_("Mã bí mật in trên áp phích QR"))
    full_name = serializers.CharField(max_length=120, allow_blank=True)
    phone = serializers.CharField(max_length=20, allow_blank=True)
    cccd = serializers.CharField(max_length=20, required=False, allow_blank=True)
    birth_year = serializers.IntegerField(
        required=False, allow_null=True, min_value=1900, max_value=2100, error_messages=YEAR_ERRORS
    )
    sex = serializers.ChoiceField(
        choices=[("M", _("Nam")), ("F", _("Nữ"))], required=False, allow_blank=True, error_messages=SEX_ERRORS
    )


class VisitorResultSerializer(serializers.Serializer):
    device = serializers.CharField(help_text=_("Mã thiết bị: điện thoại giữ và gửi kèm mỗi lượt quét mã"))
    name = serializers.CharField()


ERROR = OpenApiResponse(description=_("Lỗi, với thông báo tiếng Việt trong detail hoặc theo từng trường"))


# --- Shared plumbing ------------------------------------------------------------------------


def parse_body(request: Request) -> dict[str, Any]:
    if int(request.META.get("CONTENT_LENGTH") or 0) > MAX_BODY:
        raise Refused(status.HTTP_413_REQUEST_ENTITY_TOO_LARGE, TOO_LARGE % {"kb": MAX_BODY // 1024})
    try:
        data = request.data
    except exceptions.UnsupportedMediaType as exc:
        raise Refused(status.HTTP_415_UNSUPPORTED_MEDIA_TYPE, UNSUPPORTED) from exc
    except exceptions.ParseError as exc:
        raise Refused(status.HTTP_400_BAD_REQUEST, MALFORMED_JSON) from exc
    if not isinstance(data, dict):
        raise Refused(status.HTTP_400_BAD_REQUEST, NOT_OBJECT)
    return dict(data)


def device_from(request: Request, data: dict[str, Any]) -> str:
    """The phone's device token: in the body, or else the signed cookie set at identification."""
    return str(data.get("device") or "") or cookie_device(request._request)


def cookie_device(request: HttpRequest) -> str:
    """The device token of the signed cookie set at identification ("" without a valid one)."""
    return str(request.get_signed_cookie(DEVICE_COOKIE, default="", salt=DEVICE_COOKIE_SALT) or "")


def _actor(request: Request) -> User | None:
    user = request.user
    return user if isinstance(user, User) else None


def _hash(value: str) -> str:
    return hashlib.sha256(value.encode()).hexdigest()


def _owner(request: Request, data: dict[str, Any]) -> str:
    if request.user and request.user.is_authenticated:
        return f"user:{request.user.pk}"
    device = device_from(request, data)
    if device:
        return f"device:{_hash(device)[:32]}"
    return f"ip:{client_ip(request._request) or '-'}"


def idempotent(request: Request, data: dict[str, Any], endpoint: str, compute: Callable[[], Response]) -> Response:
    """Run ``compute`` once per ``Idempotency-Key``; store its successful answer with it, in one transaction.

    Without a key ``compute`` runs outside any transaction of ours: what it writes, the services
    write in their own (``checkin_record``, ``checkins_record_batch``), and its reads and checks
    — a batch's look-ups and validation — hold no lock meanwhile. On SQLite a transaction takes
    the database's one write lock when it begins (``transaction_mode`` IMMEDIATE): around the
    validation too, it made every other writer wait for a batch's Python as well as its insert.
    """
    key = request.headers.get("Idempotency-Key")
    if key is None:
        return compute()
    key = key.strip()
    if not key or len(key) > 255 or not key.isprintable():
        raise Refused(status.HTTP_400_BAD_REQUEST, KEY_INVALID)
    owner = _owner(request, data)
    body_hash = _hash(json.dumps(data, sort_keys=True, separators=(",", ":"), default=str))
    record_filter = {"owner": owner, "endpoint": endpoint, "key": key}
    try:
        with transaction.atomic():
            record = IdempotencyRecord.objects.filter(**record_filter).first()
            if record is None:
                response = compute()
                if 200 <= response.status_code < 300:
                    IdempotencyRecord.objects.create(
                        **record_filter, request_hash=body_hash, status=response.status_code, response=response.data
                    )
                return response
    except IntegrityError:
        # Another request with the same key committed first: answer as it did.
        found = IdempotencyRecord.objects.filter(**record_filter).first()
        if found is None:
            raise
        record = found
    if record.request_hash != body_hash:
        raise Refused(status.HTTP_422_UNPROCESSABLE_ENTITY, KEY_REUSED)
    return Response(record.response, status=record.status, headers={"Idempotent-Replayed": "true"})


class CheckinApiView(APIView):
    throttle_classes = [throttle.AddressThrottle]
    parser_classes = [JSONParser]

    def throttled(self, request: Request, wait: float | None) -> NoReturn:
        seconds = throttle.wait_text(wait)
        raise exceptions.Throttled(wait=seconds, detail=str(throttle.TOO_MANY % {"seconds": seconds}))

    def handle_exception(self, exc: Exception) -> Response:
        if isinstance(exc, Refused):
            return Response(exc.payload, status=exc.status_code)
        return super().handle_exception(exc)


# --- Cleaning and resolving items -----------------------------------------------------------

REQUIRED = _("Vui lòng nhập trường này.")
TOO_LONG = _("Tối đa %(n)s ký tự.")
NOT_TEXT = _("Phải là một chuỗi ký tự.")


def _uuid(value: Any) -> uuid.UUID:
    if isinstance(value, bool) or not isinstance(value, (str, int)):
        raise ValueError
    return uuid.UUID(str(value))


def _time(value: Any) -> datetime:
    if not isinstance(value, str):
        raise ValueError
    parsed = parse_datetime(value.strip())
    if parsed is None:
        raise ValueError
    return parsed if timezone.is_aware(parsed) else timezone.make_aware(parsed)


def clean_item(raw: Any) -> tuple[dict[str, Any], dict[str, list[str]]]:
    """One check-in of a request body: the cleaned values, or errors by field (Vietnamese).

    The same rules as ``CheckInInputSerializer`` (which documents them in the schema), written
    out by hand because a batch cleans a thousand of them per request.
    """
    if not isinstance(raw, dict):
        return {}, {"non_field_errors": [str(NOT_OBJECT)]}
    out: dict[str, Any] = {}
    errors: dict[str, list[str]] = {}
    checks: list[tuple[str, bool, Callable[[Any], Any], Any]] = [
        ("client_id", True, _uuid, UUID_ERRORS["invalid"]),
        ("at", True, _time, TIME_ERRORS["invalid"]),
        ("sent_at", False, _time, TIME_ERRORS["invalid"]),
        ("premises", False, _uuid, UUID_ERRORS["invalid"]),
        ("person", False, _uuid, UUID_ERRORS["invalid"]),
    ]
    for name, required, parse, message in checks:
        value = raw.get(name)
        if value is None or value == "":
            if required:
                errors[name] = [str(REQUIRED)]
            continue
        try:
            out[name] = parse(value)
        except (ValueError, TypeError, OverflowError):
            errors[name] = [str(message)]
    for name in ("token", "device"):
        value = raw.get(name)
        if value is None or value == "":
            continue
        if not isinstance(value, str):
            errors[name] = [str(NOT_TEXT)]
        elif len(value) > 64:
            errors[name] = [str(TOO_LONG % {"n": 64})]
        else:
            out[name] = value
    if not errors:
        if bool(out.get("token")) == bool(out.get("premises")):
            errors["token"] = [str(ONE_PLACE)]
        elif out.get("device") and out.get("person"):
            errors["device"] = [str(ONE_WHO)]
    return out, errors


@dataclass
class Resolver:
    """Looks up the premises and people of one request, each once, with the request's rights.

    ``prefetch`` loads what a whole batch names in four queries, whatever its size.
    """

    user: Any
    cookie_device: str = ""
    codes: dict[str, PremisesCode | None] = field(default_factory=dict)
    premises_by_uid: dict[uuid.UUID, Premises | None] = field(default_factory=dict)
    premises_ids: dict[uuid.UUID, tuple[int, bool] | None] = field(default_factory=dict)  # a batch's
    people: dict[uuid.UUID, int | None] = field(default_factory=dict)
    devices: dict[str, int | None] = field(default_factory=dict)
    allowed: dict[int, bool] = field(default_factory=dict)

    @property
    def authenticated(self) -> bool:
        return bool(self.user and self.user.is_authenticated)

    def prefetch(self, items: list[dict[str, Any]]) -> None:
        tokens = {i["token"] for i in items if i.get("token")} - set(self.codes)
        if tokens:
            self.codes.update(dict.fromkeys(tokens))
            for code in PremisesCode.objects.select_related("premises__organisation__unit").filter(token__in=tokens):
                self.codes[code.token] = code
        uids = {i["premises"] for i in items if i.get("premises")} - set(self.premises_ids)
        if uids:
            self.premises_ids.update(dict.fromkeys(uids))
            self.premises_ids.update(self._premises_rows(Premises.objects.filter(uid__in=uids)))
        people = {i["person"] for i in items if i.get("person")} - set(self.people)
        if people:
            self.people.update(dict.fromkeys(people))
            self.people.update(Person.objects.filter(uid__in=people).values_list("uid", "id"))
        hashes = {device_token_hash(i["device"]) for i in items if i.get("device")} - set(self.devices)
        if hashes:
            self.devices.update(dict.fromkeys(hashes))
            self.devices.update(Visitor.objects.filter(token_hash__in=hashes).values_list("token_hash", "person_id"))

    def place(self, item: dict[str, Any], *, revoked_status: int = status.HTTP_410_GONE) -> Premises:
        token = item.get("token")
        if token:
            if token not in self.codes:
                self.codes[token] = code_by_token(token)
            code = self.codes[token]
            if code is None:
                raise ApplicationError(TOKEN_UNKNOWN, field="token")
            if not code.is_active:
                raise Refused(revoked_status, TOKEN_REVOKED)
            return code.premises
        if not self.authenticated:
            raise Refused(status.HTTP_403_FORBIDDEN, LOGIN_FOR_UIDS)
        uid = item["premises"]
        if uid not in self.premises_by_uid:
            self.premises_by_uid[uid] = Premises.objects.select_related("organisation__unit").filter(uid=uid).first()
        premises = self.premises_by_uid[uid]
        if premises is None or not self._allowed(premises):
            raise ApplicationError(PREMISES_UNKNOWN, field="premises")
        return premises

    def place_id(self, item: dict[str, Any], *, revoked_status: int = status.HTTP_410_GONE) -> tuple[int, bool]:
        """A batch item's premises as (id, in use): ``place`` without building the premises, its
        organisation and unit for every row (a batch of 1,000 names hundreds of premises)."""
        if item.get("token"):
            premises = self.place(item, revoked_status=revoked_status)
            return premises.pk, premises.is_active
        if not self.authenticated:
            raise Refused(status.HTTP_403_FORBIDDEN, LOGIN_FOR_UIDS)
        uid = item["premises"]
        if uid not in self.premises_ids:
            self.premises_ids[uid] = self._premises_rows(Premises.objects.filter(uid=uid)).get(uid)
        found = self.premises_ids[uid]
        if found is None:
            raise ApplicationError(PREMISES_UNKNOWN, field="premises")
        return found

    def _premises_rows(self, premises: QuerySet[Premises]) -> dict[uuid.UUID, tuple[int, bool]]:
        """(id, in use) by uid of the ``premises`` in the user's scope, read as plain values."""
        scope = scope_for(self.user)
        rows = premises.values_list(
            "uid", "id", "is_active", "organisation__path", "organisation__unit__tree", "organisation__unit__path"
        )
        return {
            uid: (pk, active)
            for uid, pk, active, org_path, unit_tree, unit_path in rows
            if scope.contains_paths(org_path=org_path, unit_tree=unit_tree, unit_path=unit_path)
        }

    def _allowed(self, premises: Premises) -> bool:
        org = premises.organisation
        if org.pk not in self.allowed:
            self.allowed[org.pk] = scope_for(self.user).contains_organisation(org)
        return self.allowed[org.pk]

    def who_id(self, item: dict[str, Any]) -> int:
        """The person's id: by ``person`` uid (authenticated clients) or by the phone's device token."""
        uid = item.get("person")
        if uid:
            if not self.authenticated:
                raise Refused(status.HTTP_403_FORBIDDEN, LOGIN_FOR_UIDS)
            if uid not in self.people:
                self.people[uid] = Person.objects.filter(uid=uid).values_list("id", flat=True).first()
            person_id = self.people[uid]
            if person_id is None:
                raise ApplicationError(PERSON_UNKNOWN, field="person")
            return person_id
        token = str(item.get("device") or self.cookie_device)
        if not token or len(token) > 64:
            raise ApplicationError(DEVICE_UNKNOWN, field="device")
        key = device_token_hash(token)
        if key not in self.devices:
            self.devices[key] = Visitor.objects.filter(token_hash=key).values_list("person_id", flat=True).first()
        found = self.devices[key]
        if found is None:
            raise ApplicationError(DEVICE_UNKNOWN, field="device")
        return found


def corrected_time(item: dict[str, Any], now: datetime) -> datetime:
    """The device's ``at`` shifted by its clock's error, when it says when it sent the request."""
    at: datetime = item["at"]
    sent_at: datetime | None = item.get("sent_at")
    if sent_at is not None:
        skew = now - sent_at
        if abs(skew) > timedelta(minutes=2):
            at = at + skew
    return at


# --- Views ----------------------------------------------------------------------------------


class CheckInCreateApi(CheckinApiView):
    permission_classes = [AllowAny]

    @classmethod
    def as_view(cls, **initkwargs: Any) -> Any:
        """The DRF view behind ``poster_fast_path``: the scan page's plain check-in is answered
        without DRF, everything else by this view (the schema still sees this class)."""
        view = super().as_view(**initkwargs)

        @functools.wraps(view)  # keeps cls, initkwargs and csrf_exempt for the router and the schema
        def endpoint(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
            fast = poster_fast_path(request)
            return fast if fast is not None else view(request, *args, **kwargs)

        return endpoint

    def perform_authentication(self, request: Request) -> None:
        """Lazy for the phone's path: a request without ``Authorization`` is authenticated (by its
        session, if any) only when something asks for ``request.user`` — the uid path, the
        ``Idempotency-Key`` owner — never for a plain poster check-in."""
        if request.META.get("HTTP_AUTHORIZATION"):
            super().perform_authentication(request)

    @extend_schema(
        operation_id="checkins_create",
        request=CheckInInputSerializer,
        parameters=[IDEMPOTENCY_PARAMETER],
        responses={
            201: CheckInResultSerializer,
            200: OpenApiResponse(CheckInResultSerializer, description=_("Lượt này đã được lưu trước đó")),
            400: ERROR,
            403: ERROR,
            410: OpenApiResponse(description=_("Mã QR đã bị thu hồi")),
            422: OpenApiResponse(description=_("Idempotency-Key đã dùng cho nội dung khác")),
            429: OpenApiResponse(description=_("Quá nhiều yêu cầu từ một địa chỉ")),
            503: OpenApiResponse(description=_("Chưa ghi nhận được lúc này; gửi lại cùng client_id")),
        },
        summary=_("Ghi nhận một lượt quét mã"),
    )
    def post(self, request: Request) -> Response:
        data = parse_body(request)

        def compute() -> Response:
            item, errors = clean_item(data)
            if errors:
                return Response(errors, status=status.HTTP_400_BAD_REQUEST)
            resolver = Resolver(user=request.user, cookie_device=device_from(request, data))
            premises = resolver.place(item)
            person_id = resolver.who_id(item)
            authenticated_uid = resolver.authenticated and item.get("person")
            checkin, created = checkin_record(
                premises=premises,
                # The phone's path needs only the id; a gate's is audited with the person's uid.
                person=Person.objects.get(pk=person_id) if authenticated_uid else Person(pk=person_id),
                at=corrected_time(item, timezone.now()),
                client_id=item["client_id"],
                source=Source.GATE if authenticated_uid else Source.POSTER,
                actor=_actor(request) if authenticated_uid else None,
            )
            body = {
                "client_id": str(checkin.client_id),
                "at": checkin.at.isoformat(),
                "premises": premises.name,
                "organisation": premises.organisation.name,
                "created": created,
            }
            return Response(body, status=status.HTTP_201_CREATED if created else status.HTTP_200_OK)

        return idempotent(request, data, "checkins", compute)


FAST_MAX_BODY = 4096
JSON_TYPE = "application/json"
COMPACT_JSON: dict[str, Any] = {"ensure_ascii": False, "separators": (",", ":")}  # as DRF's renderer writes it


def poster_fast_path(request: HttpRequest) -> HttpResponse | None:
    """The scan page's check-in (poster token + phone) as a plain Django view: no DRF request,
    parser, serializer or renderer, one SQL statement and one commit — or, under threaded gunicorn
    workers, one row of a group's statement and commit (``groupcommit``).

    Under threaded gunicorn workers it runs in front of Django's middleware (``front.py``), and
    everywhere before the DRF view of ``POST /api/v1/checkins`` (``CheckInCreateApi.as_view``) —
    once per request (``front.TRIED``). It answers only the plain case: a JSON object of at most
    4 KB, no ``Idempotency-Key``, no ``Authorization``, a valid poster token of an active code, a
    known phone, a time in bounds and a new ``client_id``. Anything else — a field error, malformed
    JSON, an unknown or revoked token, an unknown phone, a closed premises, a ``client_id`` already
    stored — returns None and the DRF view answers it exactly as before (and reads the stored row
    back for a duplicate). The per-address limit is counted here once (the DRF view's throttle
    then does not count again).
    No session, no user, no cache or database round trip, the code's ids from
    ``selectors.poster_place``.
    """
    meta = request.META
    if (
        request.method != "POST"
        or front.TRIED in meta  # the check-in front ran this view already and fell through
        or "HTTP_IDEMPOTENCY_KEY" in meta
        or "HTTP_AUTHORIZATION" in meta
        or not str(meta.get("CONTENT_TYPE", "")).startswith(JSON_TYPE)
    ):
        return None
    try:
        length = int(meta.get("CONTENT_LENGTH") or 0)
    except ValueError:
        return None
    if not 0 < length <= FAST_MAX_BODY:
        return None
    allowed, wait = throttle.check_request(request)
    if not allowed:
        seconds = throttle.wait_text(wait)
        return JsonResponse(
            {"detail": str(throttle.TOO_MANY % {"seconds": seconds})},
            status=status.HTTP_429_TOO_MANY_REQUESTS,
            headers={"Retry-After": str(seconds)},
            json_dumps_params=COMPACT_JSON,
        )
    try:
        data = json.loads(request.body)
    except ValueError:
        return None
    if not isinstance(data, dict):
        return None
    item, errors = clean_item(data)
    if errors or not item.get("token") or item.get("person"):
        return None
    device = str(item.get("device") or "") or cookie_device(request)
    if not device or len(device) > 64:
        return None
    place = poster_place(item["token"])
    if place is None:
        return None
    now = timezone.now()
    try:
        at = check_time(corrected_time(item, now), now=now)
    except ApplicationError:
        return None
    if groupcommit.enabled(meta):
        # Through this process's writer thread: many requests' rows in one INSERT and one commit.
        try:
            stored = groupcommit.submit_and_wait(
                code_id=place.code_id,
                device_hash=device_token_hash(device),
                at=at,
                received_at=now,
                client_id=item["client_id"],
            )
        except groupcommit.Unavailable:
            return JsonResponse(
                {"detail": str(groupcommit.UNAVAILABLE)},
                status=status.HTTP_503_SERVICE_UNAVAILABLE,
                json_dumps_params=COMPACT_JSON,
            )
    else:
        stored = poster_checkin_insert(
            code_id=place.code_id, device_hash=device_token_hash(device), at=at, client_id=item["client_id"]
        )
    if not stored:
        forget_place(item["token"])  # revoked or closed since cached? The DRF view will say.
        return None
    body = {
        "client_id": str(item["client_id"]),
        "at": at.isoformat(),
        "premises": place.premises_name,
        "organisation": place.organisation_name,
        "created": True,
    }
    return JsonResponse(body, status=status.HTTP_201_CREATED, json_dumps_params=COMPACT_JSON)


class CheckInBatchApi(CheckinApiView):
    permission_classes = [IsAuthenticated]

    @extend_schema(
        operation_id="checkins_batch",
        request=BatchInputSerializer,
        parameters=[IDEMPOTENCY_PARAMETER],
        responses={
            201: BatchResultSerializer,
            400: OpenApiResponse(
                inline_serializer(
                    "CheckInBatchErrors",
                    {
                        "detail": serializers.CharField(),
                        "errors": serializers.ListField(child=serializers.DictField()),
                    },
                ),
                description=_("Lỗi của từng lượt (index, errors); không lượt nào được lưu"),
            ),
            413: OpenApiResponse(description=_("Lô quá lớn")),
            422: OpenApiResponse(description=_("Idempotency-Key đã dùng cho nội dung khác")),
            429: OpenApiResponse(description=_("Quá nhiều yêu cầu từ một địa chỉ")),
        },
        summary=_("Ghi nhận một lô lượt quét mã (tối đa 1.000, tất cả hoặc không)"),
    )
    def post(self, request: Request) -> Response:
        data = parse_body(request)
        items = data.get("items")
        if not isinstance(items, list):
            raise Refused(status.HTTP_400_BAD_REQUEST, BATCH_NOT_LIST)
        if not items:
            raise Refused(status.HTTP_400_BAD_REQUEST, BATCH_EMPTY)
        if len(items) > batch_max():
            raise Refused(
                status.HTTP_413_REQUEST_ENTITY_TOO_LARGE, BATCH_TOO_BIG % {"max": batch_max(), "count": len(items)}
            )

        def compute() -> Response:
            rows, errors = self._validate(request, items)
            if errors:
                raise Refused(status.HTTP_400_BAD_REQUEST, BATCH_INVALID % {"count": len(errors)}, errors=errors)
            result = checkins_record_batch(rows=rows, actor=_actor(request))
            body = {"received": len(rows), "created": result.created, "duplicates": result.duplicates}
            return Response(body, status=status.HTTP_201_CREATED)

        return idempotent(request, data, "checkins/batch", compute)

    def _validate(self, request: Request, items: list[Any]) -> tuple[list[BatchRow], list[dict[str, Any]]]:
        resolver = Resolver(user=request.user)
        now = timezone.now()
        rows: list[BatchRow] = []
        errors: list[dict[str, Any]] = []
        cleaned: list[tuple[int, dict[str, Any]]] = []
        for index, raw in enumerate(items):
            item, item_errors = clean_item(raw)
            if item_errors:
                errors.append({"index": index, "errors": item_errors})
            else:
                cleaned.append((index, item))
        resolver.prefetch([item for _index, item in cleaned])
        for index, item in cleaned:
            try:
                premises_id, in_use = resolver.place_id(item, revoked_status=status.HTTP_400_BAD_REQUEST)
                if not in_use:
                    raise ApplicationError(PREMISES_INACTIVE, field="premises")
                person_id = resolver.who_id(item)
                at = check_time(corrected_time(item, now), now=now)
            except ApplicationError as exc:
                errors.append({"index": index, "errors": {exc.field or "non_field_errors": [str(exc.message)]}})
                continue
            except Refused as exc:
                errors.append({"index": index, "errors": {"non_field_errors": [exc.payload["detail"]]}})
                continue
            rows.append(BatchRow(premises_id, person_id, at, item["client_id"]))
        errors.sort(key=lambda e: int(e["index"]))
        return rows, errors


class VisitorCreateApi(CheckinApiView):
    permission_classes = [AllowAny]
    authentication_classes: list[type] = []

    @extend_schema(
        operation_id="checkins_visitor_create",
        request=VisitorInputSerializer,
        responses={201: VisitorResultSerializer, 400: ERROR, 410: ERROR, 429: ERROR},
        summary=_("Đăng ký điện thoại lần đầu quét mã (họ tên, số điện thoại, CCCD)"),
    )
    def post(self, request: Request) -> Response:
        data = parse_body(request)
        serializer = VisitorInputSerializer(data=data)
        serializer.is_valid(raise_exception=True)
        values = dict(serializer.validated_data)
        premises = Resolver(user=None).place({"token": values.pop("token")})
        identified = visitor_identify(premises=premises, **values)
        response = Response(
            # The name as typed, never the registered one: a CCCD must not reveal whose it is.
            {"device": identified.device_token, "name": " ".join(str(values.get("full_name", "")).split())},
            status=status.HTTP_201_CREATED,
        )
        response.set_signed_cookie(
            DEVICE_COOKIE,
            identified.device_token,
            salt=DEVICE_COOKIE_SALT,
            max_age=DEVICE_COOKIE_AGE,
            httponly=True,
            samesite="Lax",
            secure=bool(getattr(settings, "SESSION_COOKIE_SECURE", False)),
        )
        return response


def visitor_from_cookie(request: HttpRequest) -> Visitor | None:
    return visitor_by_token(cookie_device(request))
