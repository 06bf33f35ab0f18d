"""Per-address rate limit of the check-in endpoints: a fixed window (one minute unless
``CHECKIN_RATE_WINDOW_SECONDS`` says otherwise) counted in the cache.

Same counting as ``core.throttle`` (``cache.add`` starts the window, ``cache.incr`` counts): one
cache round trip per request, whatever the burst — a sliding log (DRF's ``SimpleRateThrottle``)
would store every timestamp of a 10,000-request burst.
"""

from __future__ import annotations

import hashlib
import time

from django.conf import settings
from django.core.cache import cache
from django.utils.translation import gettext_lazy as _
from rest_framework.request import Request
from rest_framework.throttling import BaseThrottle

from phongdich.core.middleware import client_ip

TOO_MANY = _("Quá nhiều yêu cầu từ địa chỉ này. Vui lòng thử lại sau %(seconds)s giây.")


def limit() -> int:
    """Requests allowed per address in one window."""
    return int(getattr(settings, "CHECKIN_RATE_PER_MINUTE", 600))


def window_seconds() -> int:
    return int(getattr(settings, "CHECKIN_RATE_WINDOW_SECONDS", 60))


def _key(ip: str, window: int, kind: str) -> str:
    digest = hashlib.sha256(ip.encode()).hexdigest()[:24]
    return f"phongdich:checkin-rate:{kind}:{digest}:{window}"


def hit(ip: str | None, *, kind: str = "api") -> bool:
    """Count one request from ``ip``; False once the address has passed the limit in this window.

    ``kind`` keeps separate counts for the scan page and the API, so that a phone's page load
    and its check-in do not halve the budget of a factory behind one address.
    """
    if not ip:
        return True
    seconds = window_seconds()
    key = _key(ip, int(time.time()) // seconds, kind)
    if cache.add(key, 1, timeout=seconds + 5):
        return True
    try:
        count = cache.incr(key)
    except ValueError:  # expired between add() and incr()
        cache.add(key, 1, timeout=seconds + 5)
        return True
    return int(count) <= limit()


def seconds_left() -> int:
    return window_seconds() - int(time.time()) % window_seconds()


class AddressThrottle(BaseThrottle):
    """DRF throttle over ``hit``; the view turns a refusal into a Vietnamese 429."""

    def allow_request(self, request: Request, view: object) -> bool:
        return hit(client_ip(request._request))

    def wait(self) -> float:
        return float(seconds_left())
