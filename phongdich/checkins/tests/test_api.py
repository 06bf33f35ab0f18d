"""The check-in API (C4): one, batch, the phone's identification; idempotency, errors, rate limit."""

from __future__ import annotations

import json
import time
import uuid
from datetime import timedelta
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone
from rest_framework.authtoken.models import Token

from phongdich.checkins.models import CheckIn, IdempotencyRecord, PremisesCode, Source, Visitor
from phongdich.checkins.services import premises_code_revoke, visitor_identify
from phongdich.core.models import AuditLog
from phongdich.people.models import Person

from .conftest import make_person

pytestmark = pytest.mark.django_db

ONE = "/api/v1/checkins"
BATCH = "/api/v1/checkins/batch"
VISITORS = "/api/v1/checkins/visitors"


def post(client: Client, url: str, body: Any, **headers: str) -> Any:
    return client.post(url, data=json.dumps(body), content_type="application/json", headers=headers)


@pytest.fixture
def device(workshop: Any) -> str:
    return visitor_identify(
        premises=workshop, full_name="Đỗ Thị Hạnh", phone="0912000111", birth_year=1995, sex="F"
    ).device_token


def item(code: PremisesCode, device: str, **extra: Any) -> dict[str, Any]:
    return {
        "client_id": str(uuid.uuid4()),
        "at": (timezone.now() - timedelta(minutes=1)).isoformat(),
        "token": code.token,
        "device": device,
        **extra,
    }


def token_client(user: Any) -> Client:
    key = Token.objects.create(user=user).key
    return Client(headers={"Authorization": f"Token {key}"})


# --- One check-in ---------------------------------------------------------------------------


def test_poster_checkin_is_stored_once_when_sent_twice_C4(client: Client, workshop_code: Any, device: str) -> None:
    body = item(workshop_code, device)
    first = post(client, ONE, body)
    assert first.status_code == 201, first.content
    assert first.json()["created"] is True
    assert first.json()["premises"] == "Xưởng may số 1"
    again = post(client, ONE + "/", body)  # the trailing-slash path too
    assert again.status_code == 200
    assert again.json()["created"] is False
    stored = CheckIn.objects.get()
    assert stored.source == Source.POSTER
    assert str(stored.client_id) == body["client_id"]


def test_device_clock_error_is_corrected_by_sent_at_C4(client: Client, workshop_code: Any, device: str) -> None:
    # The phone's clock is 3 hours fast: it checked in 10 minutes ago by its clock, and says when it sent.
    fast = timedelta(hours=3)
    now = timezone.now()
    body = item(workshop_code, device, at=(now + fast - timedelta(minutes=10)).isoformat())
    body["sent_at"] = (now + fast).isoformat()
    assert post(client, ONE, body).status_code == 201
    assert abs(CheckIn.objects.get().at - (now - timedelta(minutes=10))) < timedelta(seconds=30)
    # Without sent_at the same time is refused as in the future, in Vietnamese.
    bad = item(workshop_code, device, at=(now + fast).isoformat())
    response = post(client, ONE, bad)
    assert response.status_code == 400
    assert "tương lai" in response.json()["at"][0]


def test_forged_revoked_and_unknown_device_get_clear_errors_C4(client: Client, workshop_code: Any, device: str) -> None:
    forged = post(client, ONE, item(workshop_code, device, token="A" * 32))
    assert forged.status_code == 400
    assert forged.json()["token"] == ["Mã QR không hợp lệ. Vui lòng quét lại mã dán tại địa điểm."]
    stranger = post(client, ONE, item(workshop_code, "thiet-bi-gia"))
    assert stranger.status_code == 400
    assert "chưa đăng ký" in stranger.json()["device"][0]
    premises_code_revoke(actor=None, code=workshop_code)
    revoked = post(client, ONE, item(workshop_code, device))
    assert revoked.status_code == 410
    assert revoked.json()["detail"].startswith("Mã QR này đã bị thu hồi")
    assert CheckIn.objects.count() == 0


@pytest.mark.parametrize(
    ("raw", "content_type", "status", "message"),
    [
        ('{"client_id": ', "application/json", 400, "không phải JSON hợp lệ"),
        ("[1, 2]", "application/json", 400, "phải là một đối tượng JSON"),
        ("client_id=1", "application/x-www-form-urlencoded", 415, "Chỉ nhận dữ liệu JSON"),
    ],
)
def test_malformed_bodies_get_vietnamese_errors_C4(
    client: Client, raw: str, content_type: str, status: int, message: str
) -> None:
    for url in (ONE, BATCH, VISITORS):
        response = client.post(url, data=raw, content_type=content_type)
        if url == BATCH:  # anonymous: refused before the body is read
            assert response.status_code in (401, 403)
            continue
        assert response.status_code == status, (url, response.content)
        assert message in response.json()["detail"]
    assert CheckIn.objects.count() == 0


def test_missing_fields_and_both_places_are_field_errors_C4(client: Client, workshop_code: Any, device: str) -> None:
    response = post(client, ONE, {"token": workshop_code.token, "device": device})
    assert response.status_code == 400
    assert set(response.json()) == {"client_id", "at"}
    both = item(workshop_code, device, premises=str(workshop_code.premises.uid))
    assert "token" in post(client, ONE, both).json()


def test_anonymous_cannot_post_by_uids_C4(client: Client, workshop: Any, person: Person) -> None:
    body = {"client_id": str(uuid.uuid4()), "at": timezone.now().isoformat()}
    response = post(client, ONE, {**body, "premises": str(workshop.uid), "person": str(person.uid)})
    assert response.status_code == 403
    assert "xác thực" in response.json()["detail"]


def test_token_client_posts_by_uids_in_scope_and_is_audited_C4(
    cast: Any, workshop: Any, city_office: Any, person: Person
) -> None:
    gate = token_client(cast.oanh)  # head of the enterprise that owns the workshop
    body = {"client_id": str(uuid.uuid4()), "at": timezone.now().isoformat(), "person": str(person.uid)}
    response = post(gate, ONE, {**body, "premises": str(workshop.uid)})
    assert response.status_code == 201, response.content
    assert CheckIn.objects.get().source == Source.GATE
    assert AuditLog.objects.filter(actor=cast.oanh, object_uid=body["client_id"]).exists()
    outside = post(gate, ONE, {**body, "client_id": str(uuid.uuid4()), "premises": str(city_office.uid)})
    assert outside.status_code == 400
    assert "premises" in outside.json()


# --- Idempotency-Key ------------------------------------------------------------------------


def test_idempotency_key_replays_the_stored_answer_C4(client: Client, workshop_code: Any, device: str) -> None:
    body = item(workshop_code, device)
    first = post(client, ONE, body, **{"Idempotency-Key": "k-1"})
    replay = post(client, ONE, body, **{"Idempotency-Key": "k-1"})
    assert first.status_code == replay.status_code == 201
    assert replay.json() == first.json()
    assert replay.headers["Idempotent-Replayed"] == "true"
    other = post(client, ONE, item(workshop_code, device), **{"Idempotency-Key": "k-1"})
    assert other.status_code == 422
    assert "nội dung khác" in other.json()["detail"]
    assert CheckIn.objects.count() == 1
    assert IdempotencyRecord.objects.count() == 1


def test_idempotency_key_on_batch_C4(cast: Any, workshop_code: Any, device: str) -> None:
    api = token_client(cast.oanh)
    body = {"items": [item(workshop_code, device) for _ in range(3)]}
    first = post(api, BATCH, body, **{"Idempotency-Key": "lo-7"})
    assert first.status_code == 201
    assert first.json() == {"received": 3, "created": 3, "duplicates": 0}
    replay = post(api, BATCH, body, **{"Idempotency-Key": "lo-7"})
    assert replay.json() == first.json()
    changed = post(api, BATCH, {"items": body["items"][:2]}, **{"Idempotency-Key": "lo-7"})
    assert changed.status_code == 422
    assert CheckIn.objects.count() == 3


# --- Batch ----------------------------------------------------------------------------------


def test_batch_is_all_or_nothing_with_errors_per_item_C4(
    cast: Any, workshop_code: Any, device: str, person: Person
) -> None:
    api = token_client(cast.oanh)
    good = [item(workshop_code, device) for _ in range(4)]
    by_uid = {
        "client_id": str(uuid.uuid4()),
        "at": timezone.now().isoformat(),
        "premises": str(workshop_code.premises.uid),
        "person": str(person.uid),
    }
    bad = [
        {**good[0], "client_id": "khong-phai-uuid"},
        {**good[1], "client_id": str(uuid.uuid4()), "token": "gia-mao"},
        {**good[2], "client_id": str(uuid.uuid4()), "at": (timezone.now() - timedelta(days=5)).isoformat()},
        "khong-phai-doi-tuong",
    ]
    response = post(api, BATCH, {"items": [*good, by_uid, *bad]})
    assert response.status_code == 400
    data = response.json()
    assert "không lượt nào được lưu" in data["detail"]
    assert [e["index"] for e in data["errors"]] == [5, 6, 7, 8]
    assert "client_id" in data["errors"][0]["errors"]
    assert data["errors"][1]["errors"]["token"][0].startswith("Mã QR không hợp lệ")
    assert "72 giờ" in data["errors"][2]["errors"]["at"][0]
    assert CheckIn.objects.count() == 0
    ok = post(api, BATCH + "/", {"items": [*good, by_uid, good[0]]})
    assert ok.status_code == 201
    assert ok.json() == {"received": 6, "created": 5, "duplicates": 1}
    assert CheckIn.objects.count() == 5


def test_batch_by_uids_refuses_premises_outside_scope_closed_or_unknown_per_item_C4(
    cast: Any, workshop: Any, city_office: Any, person: Person
) -> None:
    """Table: the batch's premises uids, checked on plain values — in the head's scope and in use
    (stored), outside it or unknown (the same "unknown premises" error), closed (its own error)."""
    from phongdich.orgs.models import Premises
    from phongdich.orgs.services import premises_create

    closed = premises_create(organisation=workshop.organisation, name="Kho cũ", kind=Premises.Kind.WORKSHOP)
    Premises.objects.filter(pk=closed.pk).update(is_active=False)
    api = token_client(cast.oanh)  # head of the enterprise: its premises only

    def by_uid(premises_uid: Any) -> dict[str, Any]:
        return {
            "client_id": str(uuid.uuid4()),
            "at": timezone.now().isoformat(),
            "premises": str(premises_uid),
            "person": str(person.uid),
        }

    table = [
        (workshop.uid, None),
        (city_office.uid, "premises"),
        (uuid.uuid4(), "premises"),
        (closed.uid, "premises"),
        (workshop.uid, None),
    ]
    response = post(api, BATCH, {"items": [by_uid(uid) for uid, _error in table]})
    assert response.status_code == 400
    errors = {e["index"]: e["errors"] for e in response.json()["errors"]}
    assert sorted(errors) == [i for i, (_uid, error) in enumerate(table) if error]
    assert errors[1] == errors[2]  # outside the scope says no more than unknown
    assert "ngừng sử dụng" in errors[3]["premises"][0]
    assert CheckIn.objects.count() == 0
    stored = post(api, BATCH, {"items": [by_uid(uid) for uid, error in table if error is None]})
    assert stored.status_code == 201
    assert set(CheckIn.objects.values_list("premises_id", flat=True)) == {workshop.pk}


def test_oversize_and_empty_batches_are_refused_C4(cast: Any, workshop_code: Any, device: str) -> None:
    api = token_client(cast.oanh)
    items = [item(workshop_code, device) for _ in range(1001)]
    response = post(api, BATCH, {"items": items})
    assert response.status_code == 413
    assert "tối đa 1000" in response.json()["detail"]
    assert post(api, BATCH, {"items": []}).status_code == 400
    assert "danh sách" in post(api, BATCH, {"items": "x"}).json()["detail"]
    assert post(api, BATCH, {"items": items[:1000]}).json()["created"] == 1000
    assert CheckIn.objects.count() == 1000


def test_batch_needs_authentication_C4(client: Client, workshop_code: Any, device: str) -> None:
    response = post(client, BATCH, {"items": [item(workshop_code, device)]})
    assert response.status_code in (401, 403)
    assert CheckIn.objects.count() == 0


# --- Rate limit -----------------------------------------------------------------------------


def test_burst_from_one_address_gets_429_in_vietnamese_C4(
    client: Client, workshop_code: Any, device: str, settings: Any
) -> None:
    """A burst of 10,000 requests from one address: the first ``limit`` pass, the rest get 429."""
    settings.CHECKIN_RATE_PER_MINUTE = 50
    # A one-day window, so that the burst (some seconds in a test) does not straddle two windows.
    settings.CHECKIN_RATE_WINDOW_SECONDS = 86_400
    if 86_400 - time.time() % 86_400 < 120:
        time.sleep(121)
    statuses: dict[int, int] = {}
    body = json.dumps(item(workshop_code, device))
    last = None
    for _ in range(10_000):
        last = client.post(ONE, data=body, content_type="application/json")
        statuses[last.status_code] = statuses.get(last.status_code, 0) + 1
    assert statuses == {201: 1, 200: 49, 429: 9_950}
    assert last is not None
    assert "Quá nhiều yêu cầu từ địa chỉ này" in last.json()["detail"]
    assert 0 < int(last.headers["Retry-After"]) <= 86_400
    other_address = client.post(ONE, data=body, content_type="application/json", REMOTE_ADDR="10.0.0.9")
    assert other_address.status_code == 200
    assert CheckIn.objects.count() == 1


# --- Identification -------------------------------------------------------------------------


def test_visitor_identification_sets_cookie_and_checkin_uses_it_C4(client: Client, workshop_code: Any) -> None:
    body = {
        "token": workshop_code.token,
        "full_name": "Vũ Văn Long",
        "phone": "0388 123 456",
        "birth_year": 1988,
        "sex": "M",
    }
    response = post(client, VISITORS + "/", body)
    assert response.status_code == 201, response.content
    assert response.json()["name"] == "Vũ Văn Long"
    assert "pd_device" in response.cookies
    assert Visitor.objects.get().person.phone == "0388123456"
    no_device = {k: v for k, v in item(workshop_code, "").items() if k != "device"}
    assert post(client, ONE, no_device).status_code == 201
    assert CheckIn.objects.get().person.full_name == "Vũ Văn Long"


def test_visitor_identification_errors_C4(client: Client, workshop_code: Any) -> None:
    base = {
        "token": workshop_code.token,
        "full_name": "Vũ Văn Long",
        "phone": "0388123456",
        "birth_year": 1988,
        "sex": "M",
    }
    bad_phone = post(client, VISITORS, {**base, "phone": "12345"})
    assert bad_phone.status_code == 400
    assert "10 chữ số" in bad_phone.json()["phone"][0]
    no_year = post(client, VISITORS, {**base, "birth_year": None})
    assert "năm sinh" in no_year.json()["birth_year"][0]
    forged = post(client, VISITORS, {**base, "token": "gia"})
    assert forged.status_code == 400
    assert "token" in forged.json()
    assert Visitor.objects.count() == 0
    assert Person.objects.count() == 0


def test_checkins_are_in_the_openapi_schema_C4(client: Client, cast: Any) -> None:
    client.force_login(cast.alice)
    schema = client.get("/api/schema/?format=json").json()
    for path in ("/api/v1/checkins", "/api/v1/checkins/batch", "/api/v1/checkins/visitors"):
        assert "post" in schema["paths"][path]
    assert "/api/v1/checkins/" not in schema["paths"]
    params = schema["paths"]["/api/v1/checkins"]["post"]["parameters"]
    assert any(p["name"] == "Idempotency-Key" for p in params)


def test_person_made_by_page_is_found_again_C4(workshop: Any, tree: Any) -> None:
    make_person(tree.quan_trieu)
    first = visitor_identify(premises=workshop, full_name="Hà Văn Tú", phone="0912999888", birth_year=1977, sex="M")
    second = visitor_identify(premises=workshop, full_name="Hà Văn Tú", phone="0912999888", birth_year=1977, sex="M")
    assert first.visitor.person == second.visitor.person
    assert first.device_token != second.device_token


def test_identification_by_cccd_does_not_reveal_the_registered_name_C4(client: Client, workshop_code: Any) -> None:
    from phongdich.people.validators import cccd_make

    cccd = cccd_make(province_code="19", sex="F", birth_year=1990, serial="004321")
    holder = visitor_identify(
        premises=workshop_code.premises, full_name="Tên Thật Của Chủ", phone="0912000999", cccd=cccd
    )
    response = post(
        client, VISITORS, {"token": workshop_code.token, "full_name": "Người Khác", "phone": "0988000111", "cccd": cccd}
    )
    assert response.status_code == 201
    assert response.json()["name"] == "Người Khác"
    page = client.get(f"/c/{workshop_code.token}/").content.decode()
    assert "Tên Thật Của Chủ" not in page
    assert Visitor.objects.get(token_hash__isnull=False, pk__gt=holder.visitor.pk).person == holder.visitor.person


def test_batch_of_1000_takes_a_bounded_number_of_queries_C4(
    cast: Any, workshop_code: Any, office_code: Any, django_assert_max_num_queries: Any
) -> None:
    """Ingest cost does not grow in queries with the batch: lookups are one query per kind."""
    devices = [
        visitor_identify(
            premises=workshop_code.premises,
            full_name=f"Công Nhân {n}",
            phone=f"09120001{n:02d}",
            birth_year=1990,
            sex="M",
        ).device_token
        for n in range(20)
    ]
    items = [item(workshop_code if n % 2 else office_code, devices[n % 20]) for n in range(1000)]
    api = token_client(cast.oanh)
    # SQLite splits the 1,000-row INSERT by its 999-variable limit (about 7 statements); PostgreSQL does one.
    with django_assert_max_num_queries(25):
        response = post(api, BATCH, {"items": items})
    assert response.status_code == 201
    assert response.json()["created"] == 1000


# --- The hot path: one statement, one commit; the cache never outlives a revocation ----------


def test_poster_checkin_is_one_sql_statement_once_the_code_is_cached_C4(
    client: Client, workshop_code: Any, device: str, django_assert_num_queries: Any
) -> None:
    """No session, no user, no rate-limit round trip: the insert reads the code, premises and phone itself."""
    with django_assert_num_queries(2):  # the code's ids and names (then cached), the insert
        assert post(client, ONE, item(workshop_code, device)).status_code == 201
    with django_assert_num_queries(1):
        response = post(client, ONE, item(workshop_code, device))
    assert response.status_code == 201
    assert response.json()["organisation"] == workshop_code.premises.organisation.name
    assert CheckIn.objects.count() == 2


def test_revocation_by_another_process_is_seen_at_once_through_the_cache_C4(
    client: Client, workshop_code: Any, device: str
) -> None:
    assert post(client, ONE, item(workshop_code, device)).status_code == 201  # the code is now cached
    # Another worker revokes it: this process's cache is not told.
    PremisesCode.objects.filter(pk=workshop_code.pk).update(revoked_at=timezone.now())
    revoked = post(client, ONE, item(workshop_code, device))
    assert revoked.status_code == 410
    assert revoked.json()["detail"].startswith("Mã QR này đã bị thu hồi")
    assert CheckIn.objects.count() == 1


def test_closed_premises_and_moved_phone_are_seen_at_once_through_the_cache_C4(
    client: Client, workshop_code: Any, device: str, tree: Any
) -> None:
    assert post(client, ONE, item(workshop_code, device)).status_code == 201
    # The phone's owner is merged into another record elsewhere: the check-in follows the phone.
    other = make_person(tree.quan_trieu)
    Visitor.objects.update(person=other)
    assert post(client, ONE, item(workshop_code, device)).status_code == 201
    assert CheckIn.objects.filter(person=other).count() == 1
    type(workshop_code.premises).objects.filter(pk=workshop_code.premises_id).update(is_active=False)
    closed = post(client, ONE, item(workshop_code, device))
    assert closed.status_code == 400
    assert "ngừng sử dụng" in str(closed.json())
    assert CheckIn.objects.count() == 2


def test_reissued_code_works_and_the_old_one_is_refused_C4(client: Client, workshop_code: Any, device: str) -> None:
    from phongdich.checkins.services import premises_code_reissue

    assert post(client, ONE, item(workshop_code, device)).status_code == 201
    new = premises_code_reissue(actor=None, premises=workshop_code.premises)
    assert post(client, ONE, item(workshop_code, device)).status_code == 410
    assert post(client, ONE, item(new, device)).status_code == 201
    assert CheckIn.objects.count() == 2


def test_duplicate_through_the_hot_path_is_read_back_once_C4(client: Client, workshop_code: Any, device: str) -> None:
    body = item(workshop_code, device)
    assert post(client, ONE, body).status_code == 201
    replay = post(client, ONE, body)
    assert replay.status_code == 200
    assert replay.json()["created"] is False
    assert replay.json()["premises"] == "Xưởng may số 1"
    assert CheckIn.objects.count() == 1


def test_plain_django_and_drf_paths_answer_alike_C4(client: Client, workshop_code: Any, device: str) -> None:
    """The scan page's plain check-in is answered without DRF; with an Idempotency-Key (or anything
    not plain) the DRF view answers. The phone cannot tell them apart."""
    fast = post(client, ONE, item(workshop_code, device))
    full = post(client, ONE, item(workshop_code, device), **{"Idempotency-Key": "k-1"})
    assert fast.status_code == full.status_code == 201
    assert fast["Content-Type"] == full["Content-Type"] == "application/json"
    fast_body, full_body = fast.json(), full.json()
    assert set(fast_body) == set(full_body) == {"client_id", "at", "premises", "organisation", "created"}
    assert {k: v for k, v in fast_body.items() if k not in ("client_id", "at")} == {
        k: v for k, v in full_body.items() if k not in ("client_id", "at")
    }
    assert CheckIn.objects.count() == 2


def test_body_over_the_fast_limit_takes_the_full_path_once_C4(client: Client, workshop_code: Any, device: str) -> None:
    body = item(workshop_code, device, note="x" * 5_000)  # over 4 KB: not the plain case; extra keys ignored
    assert post(client, ONE, body).status_code == 201
    again = post(client, ONE, body)
    assert again.status_code == 200
    assert again.json()["created"] is False
    assert CheckIn.objects.count() == 1


def test_batch_queries_do_not_grow_with_its_size_C4(
    cast: Any, workshop_code: Any, office_code: Any, device: str, tree: Any
) -> None:
    """One query for all tokens, one for all people, one for all phones, one insert per 1,000 rows."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    api = token_client(cast.alice)
    people = [make_person(tree.quan_trieu) for _ in range(5)]

    def batch(n: int) -> list[dict[str, Any]]:
        rows: list[dict[str, Any]] = []
        for i in range(n):
            if i % 3 == 0:
                rows.append(
                    {
                        "client_id": str(uuid.uuid4()),
                        "at": timezone.now().isoformat(),
                        "premises": str((workshop_code if i % 2 else office_code).premises.uid),
                        "person": str(people[i % 5].uid),
                    }
                )
            else:
                rows.append(item(workshop_code if i % 2 else office_code, device))
        return rows

    counts = []
    for n in (10, 600):
        with CaptureQueriesContext(connection) as queries:
            response = post(api, BATCH, {"items": batch(n)})
        assert response.status_code == 201, response.content
        counts.append(len(queries))
    assert counts[0] == counts[1]
    assert counts[1] <= 14
    assert CheckIn.objects.count() == 610


def test_memory_bucket_refills_at_the_limit_rate_C4(settings: Any) -> None:
    """The in-process bucket (the default without REDIS_URL): ``limit`` at once, then limit/window a second."""
    from phongdich.checkins import throttle

    settings.CHECKIN_RATE_PER_MINUTE = 3
    settings.CHECKIN_RATE_WINDOW_SECONDS = 1  # three a second
    assert throttle.backend() == "memory"
    assert [throttle.hit("10.1.1.1") for _ in range(4)] == [True, True, True, False]
    allowed, wait = throttle.check("10.1.1.1")
    assert not allowed
    assert 0 < wait <= 1 / 3 + 0.01
    assert throttle.hit("10.1.1.2")  # another address has its own bucket
    assert throttle.hit("10.1.1.1", kind="page")  # and the page its own count
    time.sleep(0.4)
    assert throttle.hit("10.1.1.1")


def test_unreachable_redis_limiter_falls_back_to_the_process_bucket_C4(
    client: Client, workshop_code: Any, device: str, settings: Any
) -> None:
    """With REDIS_URL set but Redis down, check-ins are still taken — and still limited per address."""
    settings.REDIS_URL = "redis://127.0.0.1:1/0"  # nothing listens on port 1
    settings.CHECKIN_RATE_PER_MINUTE = 3
    settings.CHECKIN_RATE_WINDOW_SECONDS = 86_400
    from phongdich.checkins import throttle

    throttle.reset()
    assert throttle.backend() == "redis"
    statuses = [post(client, ONE, item(workshop_code, device)).status_code for _ in range(5)]
    assert statuses == [201, 201, 201, 429, 429]
    assert CheckIn.objects.count() == 3
