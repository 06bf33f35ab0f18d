"""One family of domain errors. Services raise them; pages and the API show their message."""

from __future__ import annotations

from typing import Any


class ApplicationError(Exception):
    """A domain rule refused the operation. ``message`` is already in the user's language."""

    def __init__(self, message: Any, *, field: str | None = None, extra: dict[str, Any] | None = None) -> None:
        super().__init__(str(message))
        self.message = message
        self.field = field
        self.extra = extra or {}


class ValidationFailed(ApplicationError):
    """Input broke a domain rule (a field or a whole record)."""


class NotInScope(ApplicationError):
    """The object lies outside the user's jurisdiction (shown to users as 'not found')."""
