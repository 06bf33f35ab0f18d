"""Group commit of the scan page's check-ins: many requests, one INSERT, one commit.

A single check-in costs one ``INSERT`` and one commit; on PostgreSQL most of its time is the wait
for the WAL flush of that commit, and a server can flush only so many times a second. So in each
server process one **writer thread** with its own database connection takes the check-ins of
every request thread of the process from a queue, inserts up to ``CHECKIN_GROUP_COMMIT_ROWS``
of them (default 200) in ONE ``INSERT … SELECT … ON CONFLICT (client_id) DO NOTHING RETURNING``
(``services.poster_checkins_insert``: per row, the code not revoked, the premises in use and the
phone known, read by the insert itself), which commits by itself in autocommit — one round trip —
and every waiting request then answers.
It collects what is queued, then waits at most ``CHECKIN_GROUP_COMMIT_WAIT_MS`` (default 1 ms)
for more while the group is not full.

Guarantees (as without it):

* a request is acknowledged only after the commit of its group has returned; a group is one
  statement in autocommit — its own transaction, committed when it returns — so a failed group
  leaves nothing behind;
* a group whose insert fails is retried row by row, each in its own transaction, so one bad row
  fails alone (its request gets the 503 below) and the others are stored;
* a row not stored (revoked or unknown code, closed premises, unknown phone, ``client_id``
  already stored or twice in the group) makes the request take the ordinary path, which answers
  it exactly as before (410, 400, or 200 with the stored row);
* if the writer dies (an unexpected error, the process shutting down), every request it holds
  or that is queued gets ``Unavailable`` — a 503 with a Vietnamese message; the phone's page keeps
  the check-in and sends it again, and its ``client_id`` makes that idempotent. The next request
  starts a new writer.

When it is used (``CHECKIN_GROUP_COMMIT``, a setting or else the environment variable):
``true`` — always; ``false`` — never (each request inserts and commits alone, the direct path);
unset or ``auto`` (the default) — only under gunicorn with threaded workers (``gthread``:
``wsgi.multithread``), where several requests of a process are in flight at once. Sync workers,
the embedded ``runserver``, tests and management commands take the direct path.

The writer starts lazily in the process that first needs it — in a gunicorn worker after the
fork, never in the master — and a child forked from a process with a writer starts its own. At
exit (``atexit``) the queue is flushed before the process ends. On SQLite the same writer makes
the process's check-ins one writer's groups (the busy timeout of the connection still applies
between processes).
"""

from __future__ import annotations

import atexit
import logging
import os
import queue
import threading
import time
import uuid
from concurrent.futures import InvalidStateError
from concurrent.futures import TimeoutError as FutureTimeout
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from django.conf import settings
from django.db import DEFAULT_DB_ALIAS, connections, router
from django.utils.translation import gettext_lazy as _

logger = logging.getLogger(__name__)

UNAVAILABLE = _("Hệ thống đang bận, lượt quét mã chưa được ghi nhận. Vui lòng thử lại sau giây lát.")

APPLICATION_NAME = "phongdich-checkin-writer"

# How long a request waits for its group at most before answering 503 (the writer is stuck).
ANSWER_TIMEOUT = 30.0


class Unavailable(Exception):
    """The check-in was not stored (the writer died or its row failed): answer 503, try again."""


def mode() -> str:
    """``"true"``, ``"false"`` or ``"auto"``: the ``CHECKIN_GROUP_COMMIT`` setting, else the environment."""
    value: Any = getattr(settings, "CHECKIN_GROUP_COMMIT", None)
    if value is None:
        value = os.environ.get("CHECKIN_GROUP_COMMIT", "auto")
    if isinstance(value, bool):
        return "true" if value else "false"
    text = str(value).strip().lower()
    if text in ("1", "true", "yes", "on"):
        return "true"
    if text in ("0", "false", "no", "off"):
        return "false"
    return "auto"


def enabled(meta: dict[str, Any]) -> bool:
    """Whether the request with WSGI environment ``meta`` goes through the group writer."""
    chosen = mode()
    if chosen != "auto":
        return chosen == "true"
    return bool(meta.get("wsgi.multithread")) and str(meta.get("SERVER_SOFTWARE", "")).startswith("gunicorn")


def max_rows() -> int:
    return max(1, int(getattr(settings, "CHECKIN_GROUP_COMMIT_ROWS", 200)))


def max_wait() -> float:
    return max(0.0, float(getattr(settings, "CHECKIN_GROUP_COMMIT_WAIT_MS", 1.0)) / 1000.0)


class Answer:
    """A one-shot answer a request thread waits on: ``concurrent.futures.Future``'s four methods
    that are used here, on one bare lock (held until the answer is set) instead of a condition
    variable — the cheapest hand-over CPython has, paid once per check-in."""

    __slots__ = ("_error", "_lock", "_set", "_value")

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._lock.acquire()
        self._set = False  # set by the writer thread only, before the lock is released
        self._value = False
        self._error: BaseException | None = None

    def done(self) -> bool:
        return self._set

    def set_result(self, value: bool) -> None:
        self._value = value
        self._finish()

    def set_exception(self, error: BaseException) -> None:
        self._error = error
        self._finish()

    def _finish(self) -> None:
        if self._set:
            raise InvalidStateError("the answer is already set")
        self._set = True
        self._lock.release()

    def result(self, timeout: float | None = None) -> bool:
        """The answer once set (``FutureTimeout`` after ``timeout`` seconds); its error raised."""
        if not self._lock.acquire(timeout=-1 if timeout is None else timeout):
            raise FutureTimeout
        self._lock.release()  # a second look sees it too
        if self._error is not None:
            raise self._error
        return self._value


@dataclass
class Pending:
    """A request's row and the answer it waits on: True stored now, False not stored (see above)."""

    row: Any  # services.PosterRow
    future: Answer = field(default_factory=Answer)


_STOP = object()


class Writer:
    """One thread, one connection (its own: Django's connections are per thread), groups of rows."""

    def __init__(self, *, rows: int | None = None, wait: float | None = None, using: str | None = None) -> None:
        from .models import CheckIn

        self.rows = rows or max_rows()
        self.wait = max_wait() if wait is None else wait
        self.using = using or router.db_for_write(CheckIn) or DEFAULT_DB_ALIAS
        self.pid = os.getpid()
        self.queue: queue.SimpleQueue[Any] = queue.SimpleQueue()
        self.lock = threading.Lock()
        self.alive = False
        self.error: BaseException | None = None
        self.groups = 0  # statistics: groups committed, rows received, the largest group
        self.received = 0
        self.largest = 0
        self.thread = threading.Thread(target=self._run, name="checkin-group-commit", daemon=True)

    # --- the request side -------------------------------------------------------------------

    def start(self) -> Writer:
        with self.lock:
            self.alive = True
        self.thread.start()
        return self

    def submit(self, row: Any) -> Answer:
        """Queue ``row``; the future resolves once its group has committed (or fails ``Unavailable``)."""
        pending = Pending(row)
        with self.lock:
            if not self.alive:
                raise Unavailable("writer stopped")
            self.queue.put(pending)
        return pending.future

    def stop(self, timeout: float = 10.0) -> None:
        """Write what is queued, then end the thread (process exit)."""
        with self.lock:
            if not self.alive:
                return
            self.queue.put(_STOP)
        self.thread.join(timeout)

    # --- the writer thread -----------------------------------------------------------------

    def _run(self) -> None:
        group: list[Pending] = []
        try:
            stopping = False
            while not stopping:
                group = []
                item = self.queue.get()
                if item is _STOP:
                    break
                group.append(item)
                stopping = self._collect(group)
                self._write(group)
                group = []
        except BaseException as exc:
            self.error = exc
            logger.exception("checkin group writer died")
        finally:
            with self.lock:
                self.alive = False
            left = group
            while True:
                try:
                    item = self.queue.get_nowait()
                except queue.Empty:
                    break
                if item is not _STOP:
                    left.append(item)
            for pending in left:
                if not pending.future.done():
                    pending.future.set_exception(Unavailable("writer died"))
            connections[self.using].close()

    def _collect(self, group: list[Pending]) -> bool:
        """Add what is queued, and what comes within the wait, up to the group's size; True on stop."""
        deadline = time.monotonic() + self.wait
        while len(group) < self.rows:
            try:
                item = self.queue.get_nowait()
            except queue.Empty:
                remaining = deadline - time.monotonic()
                if remaining <= 0:
                    return False
                try:
                    item = self.queue.get(timeout=remaining)
                except queue.Empty:
                    return False
            if item is _STOP:
                return True
            group.append(item)
        return False

    def _write(self, group: list[Pending]) -> None:
        from .services import poster_checkins_insert

        self.received += len(group)
        self.largest = max(self.largest, len(group))
        self._connect()
        try:
            # In autocommit, the one statement is its own transaction: it has committed when
            # execute returns — one round trip, no BEGIN or COMMIT of their own (each would make
            # the writer wait for the GIL again before the group could answer).
            stored = poster_checkins_insert([p.row for p in group])
        except Exception:
            logger.warning("checkin group of %s rows failed; writing them one by one", len(group), exc_info=True)
            self._reconnect_if_broken()
            self._write_one_by_one(group)
            return
        self.groups += 1
        self._resolve(group, stored)

    def _write_one_by_one(self, group: list[Pending]) -> None:
        from .services import poster_checkins_insert

        for pending in group:
            try:
                stored = poster_checkins_insert([pending.row])
            except Exception as exc:
                logger.warning("checkin row failed alone", exc_info=True)
                self._reconnect_if_broken()
                pending.future.set_exception(Unavailable(str(exc)))
                continue
            self._resolve([pending], stored)

    def _resolve(self, group: list[Pending], stored: set[uuid.UUID]) -> None:
        claimed: set[uuid.UUID] = set()
        for pending in group:
            client_id = pending.row.client_id
            created = client_id in stored and client_id not in claimed
            if created:
                claimed.add(client_id)
            pending.future.set_result(created)

    def _connect(self) -> None:
        """Open the writer's connection if it is closed; on PostgreSQL it shows as ``APPLICATION_NAME``
        in ``pg_stat_activity``. It stays in autocommit: each group's statement commits by itself."""
        connection = connections[self.using]
        if connection.connection is not None:
            return
        connection.ensure_connection()
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("SELECT set_config('application_name', %s, false)", [APPLICATION_NAME])

    def _reconnect_if_broken(self) -> None:
        connection = connections[self.using]
        if connection.connection is not None and not connection.is_usable():
            connection.close()


# --- the process's writer -----------------------------------------------------------------

_writer: Writer | None = None
_writer_lock = threading.Lock()


def writer() -> Writer:
    """This process's running writer, started now if there is none (or it died, or we forked)."""
    global _writer
    current = _writer
    if current is not None and current.alive and current.pid == os.getpid():
        return current
    with _writer_lock:
        current = _writer
        if current is None or not current.alive or current.pid != os.getpid():
            current = _writer = Writer().start()
    return current


def running() -> Writer | None:
    """The writer of this process if it runs (tests, statistics)."""
    current = _writer
    return current if current is not None and current.alive and current.pid == os.getpid() else None


def shutdown() -> None:
    """Flush and stop this process's writer (at exit; tests)."""
    global _writer
    with _writer_lock:
        current, _writer = _writer, None
    if current is not None and current.pid == os.getpid():
        current.stop()


def _forget_after_fork() -> None:
    # The child does not inherit the thread: it starts its own writer when it needs one.
    global _writer, _writer_lock
    _writer = None
    _writer_lock = threading.Lock()


os.register_at_fork(after_in_child=_forget_after_fork)
atexit.register(shutdown)


def submit_and_wait(
    *, code_id: int, device_hash: str, at: datetime, received_at: datetime, client_id: uuid.UUID
) -> bool:
    """Store one scan-page check-in through this process's writer: True stored, False not stored
    (refused or duplicate: the caller takes the ordinary path). ``Unavailable`` when it failed."""
    from .services import PosterRow

    row = PosterRow(code_id=code_id, device_hash=device_hash, at=at, received_at=received_at, client_id=client_id)
    try:
        future = writer().submit(row)
    except Unavailable:
        future = writer().submit(row)  # it died between the check and the put: one new writer
    try:
        return future.result(timeout=ANSWER_TIMEOUT)
    except FutureTimeout as exc:
        raise Unavailable("no answer from the writer") from exc
