"""Identifiers from the outside world (a URL, a query string, a form): read safely, never a 500."""

from __future__ import annotations

import uuid
from typing import Any

from django.http import Http404


def parse_uuid(value: Any) -> uuid.UUID | None:
    """The UUID ``value`` spells (a UUID passes through), or None for anything else."""
    if isinstance(value, uuid.UUID):
        return value
    if value is None or isinstance(value, bool):
        return None
    try:
        return uuid.UUID(str(value))
    except (TypeError, ValueError):
        return None


def uuid_or_404(value: Any) -> uuid.UUID:
    """The UUID ``value`` spells, or "not found" (a malformed identifier names no record)."""
    parsed = parse_uuid(value)
    if parsed is None:
        raise Http404
    return parsed
