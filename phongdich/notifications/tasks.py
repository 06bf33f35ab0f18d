"""Delivery of notifications after the transaction that asked for them committed."""

from __future__ import annotations

from typing import Any

from celery import shared_task


@shared_task(name="notifications.deliver")
def deliver_notifications(payload: dict[str, Any]) -> dict[str, int]:
    from .services import deliver

    return deliver(**payload)


@shared_task(name="notifications.deliver_sms")
def deliver_sms(phone: str, text: str, kind: str = "") -> bool:
    from .services import deliver_phone_sms

    return deliver_phone_sms(phone=phone, text=text, kind=kind)
