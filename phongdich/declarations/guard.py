"""Abuse guards of the public form: cache counters per address and per phone, and a local arithmetic CAPTCHA.

Counters live for an hour from the first hit. The CAPTCHA token is signed and expiring; it carries a
digest of the answer, never the answer, and a solved token is spent (kept in the cache) so it cannot
be replayed.
"""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass

from django import forms
from django.conf import settings
from django.core import signing
from django.core.cache import cache
from django.http import HttpRequest
from django.utils.translation import gettext as _

from phongdich.core.errors import ApplicationError
from phongdich.core.middleware import client_ip
from phongdich.people.validators import normalise_phone

WINDOW_SECONDS = 3600
_SALT = "phongdich.declarations.captcha"


def _setting(name: str, default: int) -> int:
    return int(getattr(settings, name, default))


def ip_limit() -> int:
    return _setting("DECLARATION_LIMIT_PER_IP", 10)


def phone_limit() -> int:
    return _setting("DECLARATION_LIMIT_PER_PHONE", 5)


def captcha_after() -> int:
    return _setting("DECLARATION_CAPTCHA_AFTER", 3)


def max_body() -> int:
    return _setting("DECLARATION_MAX_BODY", 64 * 1024)


def _key(kind: str, value: str) -> str:
    digest = hashlib.sha256(value.strip().encode()).hexdigest()[:32]
    return f"phongdich:declare:{kind}:{digest}"


def _count(kind: str, value: str | None) -> int:
    if not value:
        return 0
    return int(cache.get(_key(kind, value), 0))


def _hit(kind: str, value: str | None) -> None:
    if not value:
        return
    key = _key(kind, value)
    if cache.add(key, 1, WINDOW_SECONDS):
        return
    try:
        cache.incr(key)
    except ValueError:
        cache.set(key, 1, WINDOW_SECONDS)


def ip_count(ip: str | None) -> int:
    return _count("ip", ip)


def ip_hit(ip: str | None) -> None:
    _hit("ip", ip)


def ip_blocked(ip: str | None) -> bool:
    return ip_count(ip) >= ip_limit()


def phone_blocked(phone: str) -> bool:
    return _count("phone", phone) >= phone_limit()


def phone_hit(phone: str) -> None:
    _hit("phone", phone)


def captcha_required(ip: str | None) -> bool:
    return ip_count(ip) >= captcha_after()


@dataclass(frozen=True)
class Challenge:
    question: str
    token: str


def _digest(nonce: str, answer: int) -> str:
    return hashlib.sha256(f"{settings.SECRET_KEY}:{_SALT}:{nonce}:{answer}".encode()).hexdigest()[:24]


def captcha_new() -> Challenge:
    """A sum of two small numbers, asked in words the server wrote; the token expires in 10 minutes."""
    a, b = secrets.randbelow(9) + 1, secrets.randbelow(9) + 1
    nonce = secrets.token_urlsafe(12)
    token = signing.dumps({"n": nonce, "d": _digest(nonce, a + b)}, salt=_SALT)
    return Challenge(question=f"{a} + {b} = ?", token=token)


def captcha_check(token: str, answer: str) -> bool:
    try:
        data = signing.loads(token or "", salt=_SALT, max_age=600)
        value = int(str(answer).strip())
    except (signing.BadSignature, ValueError, TypeError):
        return False
    nonce = str(data.get("n", ""))
    if not secrets.compare_digest(str(data.get("d", "")), _digest(nonce, value)):
        return False
    return bool(cache.add(f"phongdich:captcha-spent:{nonce}", 1, 900))


# --- The same guards applied to a public form (the medical declaration, the arrival declaration) --------


def captcha_passed(request: HttpRequest, form: forms.Form) -> bool:
    """Counts the attempt from the address; when a CAPTCHA is due, checks it and puts the error on the
    form. True when the submission may go on."""
    ip = client_ip(request)
    needs_captcha = captcha_required(ip)
    ip_hit(ip)
    if needs_captcha and not captcha_check(
        str(request.POST.get("captcha_token", "")), str(request.POST.get("captcha_answer", ""))
    ):
        form.add_error("captcha_answer", _("Kết quả phép tính chưa đúng. Vui lòng tính lại."))
        return False
    return True


def phone_limited(form: forms.Form) -> bool:
    """True (with the error on the phone field) when the form's phone has declared too often this hour."""
    try:
        phone = normalise_phone(str(form.cleaned_data.get("phone") or ""))
    except ApplicationError:
        return False
    if phone_blocked(phone):
        form.add_error("phone", _("Số điện thoại này đã khai quá nhiều lần trong một giờ. Vui lòng thử lại sau."))
        return True
    return False


def captcha_bind(request: HttpRequest, form: forms.Form) -> Challenge | None:
    """A new challenge when the address is due one, its token put in the form (a bound form's answer is
    cleared); None otherwise."""
    challenge = captcha_new() if captcha_required(client_ip(request)) else None
    if challenge is not None:
        if form.is_bound:
            data = form.data.copy()  # type: ignore[attr-defined]
            data["captcha_token"] = challenge.token
            data["captcha_answer"] = ""
            form.data = data
        else:
            form.initial["captcha_token"] = challenge.token
    return challenge
