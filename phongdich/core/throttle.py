"""Login throttling: failures counted per username and per address in the cache.

After ``settings.LOGIN_FAILURE_LIMIT`` failures within ``LOGIN_FAILURE_WINDOW_SECONDS``
(counted from the first failure), further attempts for that username, or from that
address, are refused — even with the right password — until the window ends.
"""

from __future__ import annotations

import hashlib

from django.conf import settings
from django.core.cache import cache


def _key(kind: str, value: str) -> str:
    digest = hashlib.sha256(value.strip().lower().encode()).hexdigest()[:32]
    return f"phongdich:login-fail:{kind}:{digest}"


def _keys(username: str, ip: str | None) -> list[str]:
    keys = []
    if username:
        keys.append(_key("user", username))
    if ip:
        keys.append(_key("ip", ip))
    return keys


def limit() -> int:
    return int(settings.LOGIN_FAILURE_LIMIT)


def window_seconds() -> int:
    return int(settings.LOGIN_FAILURE_WINDOW_SECONDS)


def is_blocked(username: str, ip: str | None) -> bool:
    """True when the username or the address has reached the failure limit."""
    keys = _keys(username, ip)
    if not keys:
        return False
    counts = cache.get_many(keys)
    return any(int(v) >= limit() for v in counts.values())


def record_failure(username: str, ip: str | None) -> None:
    for key in _keys(username, ip):
        # add() starts the window at the first failure; incr() keeps its expiry.
        if not cache.add(key, 1, timeout=window_seconds()):
            try:
                cache.incr(key)
            except ValueError:  # expired between add() and incr()
                cache.add(key, 1, timeout=window_seconds())


def clear_user(username: str) -> None:
    """A successful login clears the username's count (the address keeps its count)."""
    if username:
        cache.delete(_key("user", username))


def password_reset_allowed(ip: str | None) -> bool:
    """Counts a password-reset request from ``ip``; False once the address has made too many."""
    if not ip:
        return True
    key = _key("reset", ip)
    if cache.add(key, 1, timeout=window_seconds()):
        return True
    try:
        count = cache.incr(key)
    except ValueError:
        cache.add(key, 1, timeout=window_seconds())
        return True
    return int(count) <= limit()
