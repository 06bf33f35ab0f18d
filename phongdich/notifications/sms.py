"""SMS through a pluggable gateway.

A gateway is any class with ``send(phone, text) -> str`` returning the message id, or raising
``SmsError``. ``settings.SMS_GATEWAY`` (a dotted path) chooses it; the embedded default writes one
line per message to a file under ``VAR_DIR/sms/``. A real operator's HTTP gateway is one more class.
"""

from __future__ import annotations

import sys
import uuid
from datetime import datetime
from pathlib import Path
from typing import Protocol

from django.conf import settings
from django.utils import timezone
from django.utils.module_loading import import_string

DEFAULT_GATEWAY = "phongdich.notifications.sms.FileSmsGateway"
MAX_LENGTH = 480  # three concatenated SMS parts of unaccented text


class SmsError(Exception):
    """The gateway refused or could not send the message; the text says why."""


class SmsGateway(Protocol):
    def send(self, phone: str, text: str) -> str:
        """Send ``text`` to ``phone`` (normalised, ``0912345678``); return the message id or raise SmsError."""
        ...


def _line(message_id: str, phone: str, text: str, at: datetime) -> str:
    flat = " ".join(text.split())
    return f"{at.isoformat(timespec='seconds')}\t{message_id}\t{phone}\t{flat}\n"


class FileSmsGateway:
    """Writes one tab-separated line per message (time, id, phone, text) to ``VAR_DIR/sms/YYYY-MM-DD.txt``."""

    def __init__(self, directory: Path | None = None) -> None:
        self.directory = directory

    def send(self, phone: str, text: str) -> str:
        directory = self.directory or Path(settings.VAR_DIR) / "sms"
        now = timezone.localtime()
        message_id = uuid.uuid4().hex
        try:
            directory.mkdir(parents=True, exist_ok=True)
            with (directory / f"{now:%Y-%m-%d}.txt").open("a", encoding="utf-8") as out:
                out.write(_line(message_id, phone, text, now))
        except OSError as exc:
            raise SmsError(str(exc)) from exc
        return message_id


class ConsoleSmsGateway:
    """Prints the same line to standard output (development)."""

    def send(self, phone: str, text: str) -> str:
        message_id = uuid.uuid4().hex
        sys.stdout.write(_line(message_id, phone, text, timezone.localtime()))
        sys.stdout.flush()
        return message_id


def get_gateway() -> SmsGateway:
    """The gateway named by ``settings.SMS_GATEWAY`` (default: the file gateway)."""
    path = str(getattr(settings, "SMS_GATEWAY", DEFAULT_GATEWAY) or DEFAULT_GATEWAY)
    gateway: SmsGateway = import_string(path)()
    return gateway
