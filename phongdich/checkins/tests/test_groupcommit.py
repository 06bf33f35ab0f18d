"""Group commit of the scan page's check-ins (M1): many request threads, one writer, one commit a group.

Real threads on a real database (``transaction=True``): the writer thread has its own connection.
"""

from __future__ import annotations

import ctypes
import json
import random
import threading
import time
import uuid
from collections.abc import Callable, Iterator
from datetime import timedelta
from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.utils import timezone

from phongdich.checkins import groupcommit
from phongdich.checkins.groupcommit import Unavailable, Writer
from phongdich.checkins.models import CheckIn, PremisesCode
from phongdich.checkins.services import PosterRow, device_token_hash, premises_code_revoke, visitor_identify

pytestmark = pytest.mark.django_db(transaction=True)

ONE = "/api/v1/checkins"


class WriterKilled(BaseException):
    """Raised inside the writer thread by the tests, as if it had been killed mid-run."""


def kill(thread: threading.Thread) -> None:
    """Raise ``WriterKilled`` in ``thread`` at its next bytecode (wherever it is)."""
    assert thread.ident is not None
    done = ctypes.pythonapi.PyThreadState_SetAsyncExc(ctypes.c_ulong(thread.ident), ctypes.py_object(WriterKilled))
    assert done == 1


@pytest.fixture(autouse=True)
def _no_writer_left() -> Iterator[None]:
    groupcommit.shutdown()
    yield
    groupcommit.shutdown()


@pytest.fixture
def devices(workshop: Any) -> list[str]:
    """Five phones already identified (device tokens)."""
    return [
        visitor_identify(
            premises=workshop, full_name=f"Lò Văn Quét {n}", phone=f"09120005{n:02d}", birth_year=1980 + n, sex="M"
        ).device_token
        for n in range(5)
    ]


def row(code: PremisesCode, device: str, client_id: uuid.UUID | None = None, **extra: Any) -> PosterRow:
    now = timezone.now()
    values: dict[str, Any] = {
        "code_id": code.pk,
        "device_hash": device_token_hash(device),
        "at": now - timedelta(minutes=1),
        "received_at": now,
        "client_id": client_id or uuid.uuid4(),
        **extra,
    }
    return PosterRow(**values)


def in_threads(count: int, work: Callable[[int], Any]) -> list[Any]:
    """``work(i)`` in ``count`` threads at once; their results in order (an exception is a result)."""
    results: list[Any] = [None] * count
    start = threading.Barrier(count)

    def run(i: int) -> None:
        start.wait()
        try:
            results[i] = work(i)
        except BaseException as exc:
            results[i] = exc

    threads = [threading.Thread(target=run, args=(i,)) for i in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    return results


def test_many_threads_store_each_client_id_once_and_each_caller_knows_M1(
    workshop_code: Any, office_code: Any, devices: list[str]
) -> None:
    """50 threads × 20 check-ins, a quarter of them client_ids that several threads send: exactly the
    unique rows are stored, and for each client_id exactly one caller is told "stored now"."""
    shared = [uuid.uuid4() for _ in range(100)]
    codes = [workshop_code, office_code]
    writer = Writer(rows=200, wait=0.002).start()

    def work(i: int) -> list[tuple[uuid.UUID, bool]]:
        rng = random.Random(i)
        answers = []
        for n in range(20):
            client_id = rng.choice(shared) if n % 4 == 0 else uuid.uuid4()
            sent = row(rng.choice(codes), rng.choice(devices), client_id)
            answers.append((client_id, writer.submit(sent).result(timeout=30)))
        return answers

    results = in_threads(50, work)
    writer.stop()
    assert not [r for r in results if isinstance(r, BaseException)]
    answers = [answer for thread in results for answer in thread]
    assert len(answers) == 1000
    unique = {client_id for client_id, _created in answers}
    stored = set(CheckIn.objects.values_list("client_id", flat=True))
    assert stored == unique
    created = [client_id for client_id, was_created in answers if was_created]
    assert sorted(created) == sorted(unique)  # each stored row acknowledged as new exactly once
    assert writer.received == 1000
    assert writer.groups < 1000
    assert writer.largest > 1


def test_revoked_code_and_unknown_phone_in_a_group_are_refused_the_others_stored_M1(
    workshop_code: Any, office_code: Any, devices: list[str]
) -> None:
    premises_code_revoke(actor=None, code=office_code)
    writer = Writer(rows=200, wait=0.5).start()  # a long wait: the ten rows make one group
    rows = [row(workshop_code, devices[i % 5]) for i in range(7)]
    rows[3:3] = [
        row(office_code, devices[0]),
        row(workshop_code, "không-có-điện-thoại-này"),
        row(office_code, devices[1]),
    ]
    answers = in_threads(10, lambda i: writer.submit(rows[i]).result(timeout=30))
    writer.stop()
    assert (writer.groups, writer.largest) == (1, 10)
    assert answers == [True, True, True, False, False, False, True, True, True, True]
    assert set(CheckIn.objects.values_list("client_id", flat=True)) == {
        r.client_id for r, ok in zip(rows, answers, strict=True) if ok
    }


def test_a_bad_row_fails_alone_the_group_is_written_row_by_row_M1(workshop_code: Any, devices: list[str]) -> None:
    writer = Writer(rows=200, wait=0.5).start()
    rows = [row(workshop_code, devices[i]) for i in range(4)]
    rows.append(row(workshop_code, devices[0], code_id=2**70))  # no database takes this id
    answers = in_threads(5, lambda i: writer.submit(rows[i]).result(timeout=30))
    writer.stop()
    assert answers[:4] == [True] * 4
    assert isinstance(answers[4], Unavailable)
    assert set(CheckIn.objects.values_list("client_id", flat=True)) == {r.client_id for r in rows[:4]}


def test_writer_killed_mid_group_fails_its_callers_cleanly_and_writes_nothing_M1(
    workshop_code: Any, devices: list[str]
) -> None:
    writer = Writer(rows=200, wait=1.0).start()
    rows = [row(workshop_code, devices[i % 5]) for i in range(10)]
    killer = threading.Timer(0.3, kill, args=(writer.thread,))
    killer.start()
    answers = in_threads(10, lambda i: writer.submit(rows[i]).result(timeout=30))
    writer.thread.join(5)
    assert isinstance(writer.error, WriterKilled)
    assert not writer.alive
    assert all(isinstance(answer, Unavailable) for answer in answers)
    assert CheckIn.objects.count() == 0  # nothing half-written
    with pytest.raises(Unavailable):
        writer.submit(rows[0])  # a dead writer takes nothing more


def test_writer_killed_under_load_nothing_acknowledged_is_missing_and_a_new_writer_takes_over_M1(
    workshop_code: Any, devices: list[str]
) -> None:
    stop_at = time.monotonic() + 1.5
    first = groupcommit.writer()
    killer = threading.Timer(0.4, kill, args=(first.thread,))
    killer.start()

    def work(i: int) -> list[tuple[uuid.UUID, bool | str]]:
        answers: list[tuple[uuid.UUID, bool | str]] = []
        while time.monotonic() < stop_at:
            sent = row(workshop_code, devices[i % 5])
            try:
                answers.append((sent.client_id, groupcommit.submit_and_wait(**vars(sent))))
            except Unavailable:
                answers.append((sent.client_id, "503"))
        return answers

    results = in_threads(20, work)
    killer.join()
    assert isinstance(first.error, WriterKilled)
    answers = [answer for thread in results for answer in thread]
    acknowledged = {client_id for client_id, answer in answers if answer is True}
    stored = set(CheckIn.objects.values_list("client_id", flat=True))
    assert acknowledged <= stored  # nothing acknowledged is lost
    assert all(answer in (True, "503") for _client_id, answer in answers)
    later = groupcommit.running()
    assert later is not None
    assert later is not first
    assert later.received > 0


def post(client: Client, body: dict[str, Any]) -> Any:
    return client.post(ONE, data=json.dumps(body), content_type="application/json")


def body(code: PremisesCode, device: str, client_id: str | None = None) -> dict[str, Any]:
    return {
        "client_id": client_id or str(uuid.uuid4()),
        "at": (timezone.now() - timedelta(minutes=1)).isoformat(),
        "token": code.token,
        "device": device,
    }


def test_api_through_the_writer_answers_as_the_direct_path_M1(
    settings: Any, client: Client, workshop_code: Any, office_code: Any, devices: list[str]
) -> None:
    settings.CHECKIN_GROUP_COMMIT = True
    sent = body(workshop_code, devices[0])
    first = post(client, sent)
    assert first.status_code == 201
    assert first.json()["created"] is True
    again = post(client, sent)
    assert again.status_code == 200
    assert again.json()["created"] is False
    unknown = post(client, body(workshop_code, "điện-thoại-lạ"))
    assert unknown.status_code == 400
    assert "device" in unknown.json()
    premises_code_revoke(actor=None, code=office_code)
    revoked = post(client, body(office_code, devices[1]))
    assert revoked.status_code == 410
    writer = groupcommit.running()
    assert writer is not None
    assert writer.received == 3
    assert CheckIn.objects.count() == 1


def test_api_answers_503_in_vietnamese_when_the_writer_dies_M1(
    settings: Any, client: Client, workshop_code: Any, devices: list[str]
) -> None:
    settings.CHECKIN_GROUP_COMMIT = True
    settings.CHECKIN_GROUP_COMMIT_WAIT_MS = 1000
    writer = groupcommit.writer()
    threading.Timer(0.3, kill, args=(writer.thread,)).start()
    [answer] = in_threads(1, lambda i: post(client, body(workshop_code, devices[0])))
    assert answer.status_code == 503
    assert answer.json()["detail"] == str(groupcommit.UNAVAILABLE)
    assert CheckIn.objects.count() == 0


@pytest.mark.parametrize("setting", [False, None])
def test_direct_path_when_off_or_not_threaded_gunicorn_M1(
    settings: Any, client: Client, workshop_code: Any, devices: list[str], setting: bool | None
) -> None:
    settings.CHECKIN_GROUP_COMMIT = setting  # None: "auto", and the test client is no gunicorn
    answer = post(client, body(workshop_code, devices[0]))
    assert answer.status_code == 201
    assert groupcommit.running() is None
    assert CheckIn.objects.count() == 1


def test_auto_means_threaded_gunicorn_only_M1(settings: Any) -> None:
    settings.CHECKIN_GROUP_COMMIT = None
    assert groupcommit.enabled({"wsgi.multithread": True, "SERVER_SOFTWARE": "gunicorn/23.0.0"})
    assert not groupcommit.enabled({"wsgi.multithread": False, "SERVER_SOFTWARE": "gunicorn/23.0.0"})
    assert not groupcommit.enabled({"wsgi.multithread": True, "SERVER_SOFTWARE": "WSGIServer/0.2"})
    settings.CHECKIN_GROUP_COMMIT = "false"
    assert not groupcommit.enabled({"wsgi.multithread": True, "SERVER_SOFTWARE": "gunicorn/23.0.0"})
    settings.CHECKIN_GROUP_COMMIT = True
    assert groupcommit.enabled({})


@pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL: a server process to terminate")
def test_writer_connection_terminated_reconnects_and_stores_M1(workshop_code: Any, devices: list[str]) -> None:
    writer = Writer(rows=200, wait=0.0).start()
    try:
        assert writer.submit(row(workshop_code, devices[0])).result(timeout=30) is True
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                "WHERE datname = current_database() AND application_name = %s",
                [groupcommit.APPLICATION_NAME],
            )
            assert cursor.fetchall() == [(True,)]
        time.sleep(0.2)
        again = row(workshop_code, devices[1])
        assert writer.submit(again).result(timeout=30) is True  # the group failed, its row alone went through
    finally:
        writer.stop()
    assert CheckIn.objects.filter(client_id=again.client_id).exists()


# --- The one-shot answer a request waits on ---------------------------------------------------


@pytest.mark.django_db(transaction=False)
def test_answer_is_set_once_and_seen_by_its_waiter_M1() -> None:
    from concurrent.futures import InvalidStateError
    from concurrent.futures import TimeoutError as FutureTimeout

    from phongdich.checkins.groupcommit import Answer

    stored, refused, failed, pending = Answer(), Answer(), Answer(), Answer()
    stored.set_result(True)
    refused.set_result(False)
    failed.set_exception(Unavailable("writer died"))
    assert (stored.done(), refused.done(), failed.done(), pending.done()) == (True, True, True, False)
    assert stored.result(timeout=1) is True
    assert stored.result(timeout=1) is True  # a second look sees it too
    assert refused.result(timeout=1) is False
    with pytest.raises(Unavailable):
        failed.result(timeout=1)
    with pytest.raises(FutureTimeout):
        pending.result(timeout=0.01)
    with pytest.raises(InvalidStateError):
        stored.set_result(False)
    # A waiter in another thread wakes when the writer sets the answer.
    seen: list[bool] = []
    waiter = threading.Thread(target=lambda: seen.append(pending.result(timeout=10)))
    waiter.start()
    time.sleep(0.05)
    assert seen == []
    pending.set_result(True)
    waiter.join(10)
    assert seen == [True]
