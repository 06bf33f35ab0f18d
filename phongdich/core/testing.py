"""Test support for the append-only audit log.

The database refuses to delete audit lines (migration 0002), and so it refuses the
``flush`` that transactional tests (``live_server``, ``transactional_db``) run after each
test. ``allow_flushing_audit_log()`` makes the flush lift the guard for its own
statements only, and put it back in the same transaction. Tests only: nothing in the
application calls it.
"""

from __future__ import annotations

from typing import Any

from django.db import connections

_PATCHED = "_phongdich_audit_flush_patched"

SQLITE_DROP = [
    "DROP TRIGGER IF EXISTS core_auditlog_no_update;",
    "DROP TRIGGER IF EXISTS core_auditlog_no_delete;",
]
POSTGRES_DISABLE = ["ALTER TABLE core_auditlog DISABLE TRIGGER USER;"]
POSTGRES_ENABLE = ["ALTER TABLE core_auditlog ENABLE TRIGGER USER;"]


def _sqlite_recreate() -> list[str]:
    from importlib import import_module

    migration = import_module("phongdich.core.migrations.0002_audit_append_only")
    return list(migration.SQLITE)


def allow_flushing_audit_log() -> None:
    """Wrap ``sql_flush`` of every configured backend (idempotent)."""
    for alias in connections:
        ops_class = type(connections[alias].ops)
        if getattr(ops_class, _PATCHED, False):
            continue
        vendor = connections[alias].vendor
        original = ops_class.sql_flush

        def sql_flush(
            self: Any, style: Any, tables: Any, *args: Any, _orig: Any = original, _v: str = vendor, **kwargs: Any
        ) -> list[str]:
            statements: list[str] = list(_orig(self, style, tables, *args, **kwargs))
            if "core_auditlog" not in tables or not statements:
                return statements
            if _v == "sqlite":
                return [*SQLITE_DROP, *statements, *_sqlite_recreate()]
            if _v == "postgresql":
                return [*POSTGRES_DISABLE, *statements, *POSTGRES_ENABLE]
            return statements

        ops_class.sql_flush = sql_flush  # type: ignore[method-assign]
        setattr(ops_class, _PATCHED, True)
