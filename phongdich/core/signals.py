"""Login, failed login and logout: counted for throttling and written to the audit log."""

from __future__ import annotations

from typing import Any

from django.contrib.auth import get_user_model
from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.dispatch import receiver
from django.http import HttpRequest

from . import throttle
from .audit import audit
from .middleware import client_ip, current_request_context
from .models import AuditAction, User


def _ip(request: HttpRequest | None) -> str | None:
    if request is not None:
        return client_ip(request)
    ctx = current_request_context()
    return ctx.ip if ctx else None


@receiver(user_login_failed, dispatch_uid="phongdich_login_failed")
def on_login_failed(
    sender: Any, credentials: dict[str, Any], request: HttpRequest | None = None, **kwargs: Any
) -> None:
    username = str(credentials.get(get_user_model().USERNAME_FIELD) or credentials.get("username") or "")
    throttle.record_failure(username, _ip(request))
    audit(
        actor=None,
        actor_username=username,
        action=AuditAction.LOGIN_FAILED,
        object_type="core.user",
        summary="bad credentials",
    )


@receiver(user_logged_in, dispatch_uid="phongdich_logged_in")
def on_logged_in(sender: Any, request: HttpRequest | None, user: User, **kwargs: Any) -> None:
    throttle.clear_user(user.get_username())
    audit(actor=user, action=AuditAction.LOGIN, obj=user, summary=user.get_username())


@receiver(user_logged_out, dispatch_uid="phongdich_logged_out")
def on_logged_out(sender: Any, request: HttpRequest | None, user: User | None, **kwargs: Any) -> None:
    if user is not None:
        audit(actor=user, action=AuditAction.LOGOUT, obj=user, summary=user.get_username())
