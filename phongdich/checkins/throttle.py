"""Per-address rate limit of the check-in endpoints, without a database round trip.

``CHECKIN_RATE_PER_MINUTE`` requests per ``CHECKIN_RATE_WINDOW_SECONDS`` (one minute unless said
otherwise) per address, counted separately for the scan page and the API (``kind``), so that a
phone's page load and its check-in do not halve the budget of a factory behind one address.

Two counters, chosen by ``CHECKIN_RATE_LIMITER`` (``"redis"`` when ``REDIS_URL`` is set, else
``"memory"``):

* ``memory`` — a token bucket per address in each server process: ``limit`` tokens at most,
  refilled at ``limit / window`` a second; a request takes one. No I/O at all. **The effective
  limit is per worker process**: with N gunicorn workers an address gets up to N × the limit
  (a burst is still cut off within each worker after ``limit`` requests). Buckets of quiet
  addresses are dropped once there are more than ``MAX_BUCKETS``.
* ``redis`` — one fixed window per address shared by every process: ``INCR`` and ``EXPIRE`` of the
  window's key in one ``MULTI`` (a single round trip, atomic); exact across workers and machines.
  If Redis cannot be reached the request is counted in the process's bucket instead (logged), so
  an outage of the limiter never refuses check-ins.

The database cache is no longer used for this: it cost 12 SQL statements and a commit per request.
"""

from __future__ import annotations

import hashlib
import logging
import threading
import time
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _
from rest_framework.request import Request
from rest_framework.throttling import BaseThrottle

from phongdich.core.middleware import client_ip

logger = logging.getLogger(__name__)

TOO_MANY = _("Quá nhiều yêu cầu từ địa chỉ này. Vui lòng thử lại sau %(seconds)s giây.")
MAX_BUCKETS = 100_000


def limit() -> int:
    """Requests allowed per address in one window."""
    return int(getattr(settings, "CHECKIN_RATE_PER_MINUTE", 600))


def window_seconds() -> int:
    return int(getattr(settings, "CHECKIN_RATE_WINDOW_SECONDS", 60))


def backend() -> str:
    chosen = str(getattr(settings, "CHECKIN_RATE_LIMITER", "") or "")
    if chosen:
        return chosen
    return "redis" if getattr(settings, "REDIS_URL", "") else "memory"


# --- in-process token buckets --------------------------------------------------------------


@dataclass
class Bucket:
    tokens: float
    stamp: float


_buckets: dict[tuple[str, str, int, int], Bucket] = {}
_redis_client: Any = None
_lock = threading.Lock()


def _memory_hit(ip: str, kind: str) -> tuple[bool, float]:
    """Take a token from the address's bucket: (allowed, seconds until the next token)."""
    capacity, seconds = limit(), window_seconds()
    rate = capacity / seconds if seconds > 0 else float(capacity)
    key = (kind, ip, capacity, seconds)
    now = time.monotonic()
    with _lock:
        bucket = _buckets.get(key)
        if bucket is None:
            if len(_buckets) >= MAX_BUCKETS:
                _prune(now)
            bucket = _buckets[key] = Bucket(tokens=float(capacity), stamp=now)
        else:
            bucket.tokens = min(float(capacity), bucket.tokens + (now - bucket.stamp) * rate)
            bucket.stamp = now
        if bucket.tokens >= 1.0:
            bucket.tokens -= 1.0
            return True, 0.0
        return False, (1.0 - bucket.tokens) / rate if rate > 0 else float(seconds)


def _prune(now: float) -> None:
    """Drop the buckets that have refilled (their addresses are quiet); else the oldest half."""
    full = [key for key, b in _buckets.items() if b.tokens + (now - b.stamp) * key[2] / max(key[3], 1) >= key[2]]
    for key in full:
        del _buckets[key]
    if len(_buckets) >= MAX_BUCKETS:
        for key, _bucket in sorted(_buckets.items(), key=lambda kv: kv[1].stamp)[: len(_buckets) // 2]:
            del _buckets[key]


def reset() -> None:
    """Forget every in-process bucket and the Redis client (tests; a deployment never needs it)."""
    global _redis_client
    with _lock:
        _buckets.clear()
    _redis_client = None


# --- Redis fixed window --------------------------------------------------------------------


def _redis() -> Any:
    global _redis_client
    if _redis_client is None:
        import redis

        _redis_client = redis.Redis.from_url(settings.REDIS_URL, socket_timeout=1, socket_connect_timeout=1)
    return _redis_client


def _redis_hit(ip: str, kind: str) -> tuple[bool, float]:
    seconds = window_seconds()
    now = time.time()
    window = int(now) // seconds
    digest = hashlib.sha256(ip.encode()).hexdigest()[:24]
    key = f"phongdich:checkin-rate:{kind}:{digest}:{window}"
    pipe = _redis().pipeline(transaction=True)
    pipe.incr(key)
    pipe.expire(key, seconds + 5)
    count, _ok = pipe.execute()
    if int(count) <= limit():
        return True, 0.0
    return False, float(seconds - int(now) % seconds)


# --- the API -------------------------------------------------------------------------------


def check(ip: str | None, *, kind: str = "api") -> tuple[bool, float]:
    """Count one request from ``ip``: (allowed, seconds to wait when refused)."""
    if not ip:
        return True, 0.0
    if backend() == "redis":
        import redis

        try:
            return _redis_hit(ip, kind)
        except redis.RedisError:
            # Redis unreachable: count in this process rather than refuse every check-in.
            logger.warning("checkin rate limit: Redis unreachable, counting in process", exc_info=True)
    return _memory_hit(ip, kind)


def hit(ip: str | None, *, kind: str = "api") -> bool:
    """Count one request from ``ip``; False once the address has used up its budget."""
    return check(ip, kind=kind)[0]


def seconds_left() -> int:
    """Seconds until the current fixed window ends (an upper bound of any wait)."""
    return window_seconds() - int(time.time()) % window_seconds()


def wait_text(wait: float | None) -> int:
    """The whole seconds to tell the client (at least one)."""
    return max(1, int(-(-(wait or 0) // 1))) if wait else seconds_left()


COUNTED_KEY = "phongdich.checkin_rate"  # in the WSGI environ: the first count's (allowed, wait)


def check_request(request: HttpRequest) -> tuple[bool, float]:
    """``check`` for an API request, counted once however many views see it: the check-in's plain
    view counts it, and the DRF view it falls through to gets the same answer without counting it
    again. The count is kept in the request's WSGI environ, which the request Django builds after
    the check-in front (``front.py``) fell through shares — a refusal stays a refusal."""
    earlier = request.META.get(COUNTED_KEY)
    if earlier is not None:
        return earlier
    result = check(client_ip(request))
    request.META[COUNTED_KEY] = result
    return result


class AddressThrottle(BaseThrottle):
    """DRF throttle over ``check_request``; the view turns a refusal into a Vietnamese 429."""

    def allow_request(self, request: Request, view: object) -> bool:
        allowed, self._wait = check_request(request._request)
        return allowed

    def wait(self) -> float:
        return float(getattr(self, "_wait", 0.0) or seconds_left())
