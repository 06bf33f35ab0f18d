"""The audit log is append-only: the model and the database itself refuse updates and deletes."""

from __future__ import annotations

from typing import Any

import pytest
from django.db import DatabaseError, connection, transaction

from phongdich.core.audit import audit
from phongdich.core.models import AuditAction, AuditLog, AuditLogImmutableError


@pytest.fixture
def line(db: Any) -> AuditLog:
    return audit(actor=None, action=AuditAction.READ, object_type="people.person", object_uid="x", summary="gốc")


def test_model_refuses_update_and_delete_D4(line: AuditLog) -> None:
    line.summary = "sửa"
    with pytest.raises(AuditLogImmutableError):
        line.save()
    with pytest.raises(AuditLogImmutableError):
        line.delete()
    with pytest.raises(AuditLogImmutableError):
        AuditLog.objects.filter(pk=line.pk).update(summary="sửa")
    with pytest.raises(AuditLogImmutableError):
        AuditLog.objects.filter(pk=line.pk).delete()
    assert AuditLog.objects.get(pk=line.pk).summary == "gốc"


@pytest.mark.parametrize(
    "sql",
    [
        "UPDATE core_auditlog SET summary = 'sửa' WHERE id = %s",
        "DELETE FROM core_auditlog WHERE id = %s",
    ],
)
def test_database_refuses_raw_update_and_delete_D4(line: AuditLog, sql: str) -> None:
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(sql, [line.pk])
    assert AuditLog.objects.get(pk=line.pk).summary == "gốc"


def test_database_refuses_emptying_the_table_D4(line: AuditLog) -> None:
    # PostgreSQL has TRUNCATE (a statement trigger refuses it); SQLite empties a table with DELETE.
    if connection.vendor == "postgresql":
        with transaction.atomic(), connection.cursor() as cursor:
            # Settle the test transaction's deferred foreign-key checks, which TRUNCATE would refuse first.
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
        sql = "TRUNCATE core_auditlog"
    else:
        sql = "DELETE FROM core_auditlog"
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(sql)
    assert AuditLog.objects.filter(pk=line.pk).exists()


def test_inserting_stays_possible_D4(line: AuditLog) -> None:
    with connection.cursor() as cursor:
        cursor.execute(
            "INSERT INTO core_auditlog (at, actor_username, action, object_type, object_uid, summary, detail,"
            " user_agent, path) VALUES (%s, '', 'read', '', '', 'thêm', '{}', '', '')",
            [line.at],
        )
    assert AuditLog.objects.count() == 2
