"""Who may read the audit log.

``core`` sits below every domain app, so it cannot ask about roles itself: the app that
owns roles (``orgs``) registers a check when it starts. Superusers always may.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

AuditReaderCheck = Callable[[Any], bool]

_audit_reader_checks: list[AuditReaderCheck] = []


def register_audit_reader_check(check: AuditReaderCheck) -> None:
    """Add a predicate ``check(user) -> bool`` granting access to the audit log search."""
    if check not in _audit_reader_checks:
        _audit_reader_checks.append(check)


def can_read_audit(user: Any) -> bool:
    if user is None or not getattr(user, "is_authenticated", False) or not user.is_active:
        return False
    if user.is_superuser:
        return True
    return any(check(user) for check in _audit_reader_checks)
