"""The one notification service (issue 6, R1): in-app, e-mail (Django's mail API, SMTP by settings) and SMS
(a pluggable gateway, ``sms.py``).

Nothing is sent inside the caller's transaction: ``notify`` only queues the delivery with
``transaction.on_commit``, so a rolled-back write notifies nobody. Every message, sent or failed, is
logged in ``NotificationLog``; a failure never reaches the caller.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.core.mail import send_mail
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from phongdich.core.audit import audit
from phongdich.core.errors import ApplicationError
from phongdich.core.models import AuditAction, User
from phongdich.people.validators import normalise_phone

from .models import DeliveryStatus, Notification, NotificationChannel, NotificationLog
from .sms import MAX_LENGTH, SmsError, get_gateway

logger = logging.getLogger(__name__)

CHANNELS = frozenset(NotificationChannel.values)
TITLE_MAX = 200


def _absolute(url: str) -> str:
    if url.startswith("/"):
        return f"{settings.SITE_URL}{url}"
    return url


def notify(
    *,
    recipients: Iterable[User],
    title: str,
    body: str,
    url: str = "",
    channels: Iterable[str] = (NotificationChannel.IN_APP,),
    kind: str = "",
) -> None:
    """Send ``title``/``body`` to each recipient on each channel, after the current transaction commits.

    ``url`` is a link to the page concerned (a path such as ``/hotlines/tips/<uid>/``). ``channels``: any of
    ``in_app``, ``email``, ``sms``. An unknown channel is a programming error (``ValueError``)."""
    chosen = tuple(dict.fromkeys(str(c) for c in channels))
    unknown = [c for c in chosen if c not in CHANNELS]
    if unknown:
        raise ValueError(f"unknown notification channel(s): {', '.join(unknown)}")
    user_ids = sorted({u.pk for u in recipients if u is not None and u.pk is not None})
    if not user_ids or not chosen:
        return
    payload: dict[str, Any] = {
        "user_ids": user_ids,
        "title": str(title)[:TITLE_MAX],
        "body": str(body),
        "url": str(url),
        "channels": list(chosen),
        "kind": str(kind)[:40],
    }

    def queue() -> None:
        from .tasks import deliver_notifications

        deliver_notifications.delay(payload)

    transaction.on_commit(queue)


def sms_notify(*, phone: str, text: str, kind: str = "") -> None:
    """One SMS to a phone that is not an account (a citizen who left their number), after commit; logged."""

    def queue() -> None:
        from .tasks import deliver_sms

        deliver_sms.delay(phone, str(text), str(kind)[:40])

    transaction.on_commit(queue)


# --- delivery (runs after commit, in a background task or in-process) ------------------------------


def _log(
    *,
    channel: str,
    recipient: User | None,
    address: str,
    title: str,
    kind: str,
    message_id: str = "",
    error: str = "",
) -> NotificationLog:
    return NotificationLog.objects.create(
        channel=channel,
        recipient=recipient,
        address=address[:254],
        title=title[:200],
        kind=kind,
        status=DeliveryStatus.FAILED if error else DeliveryStatus.SENT,
        message_id=message_id[:100],
        error=error[:500],
    )


def _send_in_app(user: User, title: str, body: str, url: str, kind: str) -> tuple[str, str]:
    note = Notification.objects.create(recipient=user, title=title, body=body, link=url, kind=kind)
    return user.username, str(note.uid)


def _send_email(user: User, title: str, body: str, url: str, kind: str) -> tuple[str, str]:
    if not user.email:
        raise DeliveryError(user.username, _("Tài khoản không có địa chỉ thư điện tử."))
    text = f"{body}\n\n{_absolute(url)}" if url else body
    send_mail(title, text, settings.DEFAULT_FROM_EMAIL, [user.email], fail_silently=False)
    return user.email, ""


def sms_text(title: str, body: str, url: str = "") -> str:
    """Title, body and link on one line, cut to ``MAX_LENGTH`` characters."""
    parts = [p for p in (title, " ".join(body.split()), _absolute(url) if url else "") if p]
    text = " — ".join(parts)
    return text if len(text) <= MAX_LENGTH else text[: MAX_LENGTH - 1] + "…"


def _sms(phone: str, text: str) -> tuple[str, str]:
    try:
        number = normalise_phone(phone)
    except ApplicationError as exc:
        raise DeliveryError(phone, str(exc.message)) from exc
    try:
        return number, get_gateway().send(number, text)
    except SmsError as exc:
        raise DeliveryError(number, str(exc) or _("Cổng SMS từ chối tin nhắn.")) from exc


def _send_sms(user: User, title: str, body: str, url: str, kind: str) -> tuple[str, str]:
    if not user.phone:
        raise DeliveryError(user.username, _("Tài khoản không có số điện thoại."))
    return _sms(user.phone, sms_text(title, body, url))


class DeliveryError(Exception):
    def __init__(self, address: str, message: str) -> None:
        super().__init__(message)
        self.address = address
        self.message = message


_SENDERS = {
    NotificationChannel.IN_APP: _send_in_app,
    NotificationChannel.EMAIL: _send_email,
    NotificationChannel.SMS: _send_sms,
}


def deliver(
    *, user_ids: Iterable[int], title: str, body: str, url: str = "", channels: Iterable[str], kind: str = ""
) -> dict[str, int]:
    """Send now and log each message; returns the counts ``{"sent": n, "failed": m}``. Never raises for one
    message's failure."""
    counts = {"sent": 0, "failed": 0}
    users = list(User.objects.filter(pk__in=list(user_ids), is_active=True).order_by("pk"))
    for user in users:
        for channel in channels:
            sender = _SENDERS[NotificationChannel(channel)]
            try:
                with transaction.atomic():
                    address, message_id = sender(user, title, body, url, kind)
            except DeliveryError as exc:
                _log(channel=channel, recipient=user, address=exc.address, title=title, kind=kind, error=exc.message)
                counts["failed"] += 1
            except Exception as exc:
                logger.warning("notification %s to %s failed", channel, user.pk, exc_info=True)
                _log(channel=channel, recipient=user, address="", title=title, kind=kind, error=repr(exc))
                counts["failed"] += 1
            else:
                _log(channel=channel, recipient=user, address=address, title=title, kind=kind, message_id=message_id)
                counts["sent"] += 1
    return counts


def deliver_phone_sms(*, phone: str, text: str, kind: str = "") -> bool:
    """Send one SMS to a bare phone number now; logged. True when sent."""
    title = text[:200]
    try:
        number, message_id = _sms(phone, text[:MAX_LENGTH])
    except DeliveryError as exc:
        _log(
            channel=NotificationChannel.SMS,
            recipient=None,
            address=exc.address,
            title=title,
            kind=kind,
            error=exc.message,
        )
        return False
    except Exception as exc:
        logger.warning("SMS to a phone failed", exc_info=True)
        _log(channel=NotificationChannel.SMS, recipient=None, address=phone, title=title, kind=kind, error=repr(exc))
        return False
    _log(channel=NotificationChannel.SMS, recipient=None, address=number, title=title, kind=kind, message_id=message_id)
    return True


# --- the inbox ------------------------------------------------------------------------------------


def notification_mark_read(*, user: User, notification: Notification) -> Notification:
    """Mark one of the user's own notifications read (already read: unchanged)."""
    if notification.recipient_id != user.pk:
        raise PermissionDenied
    if notification.read_at is None:
        notification.read_at = timezone.now()
        notification.save(update_fields=["read_at", "updated_at"])
        audit(actor=user, action=AuditAction.UPDATE, obj=notification, summary=_("Đánh dấu đã đọc thông báo"))
    return notification


def notifications_mark_all_read(*, user: User) -> int:
    """Mark every unread notification of the user read; returns how many."""
    count = Notification.objects.filter(recipient=user, read_at__isnull=True).update(
        read_at=timezone.now(), updated_at=timezone.now()
    )
    if count:
        audit(
            actor=user,
            action=AuditAction.UPDATE,
            object_type="notifications.notification",
            summary=_("Đánh dấu đã đọc %(count)s thông báo") % {"count": count},
            detail={"count": count},
        )
    return count
