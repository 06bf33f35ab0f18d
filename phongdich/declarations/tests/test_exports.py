"""The officials' lists of declarations: sub-navigation, the declarant's follow-up tasks on the detail page,
audited Excel exports with the page's filters, keyset pages without a full-table count (M2, D4)."""

from __future__ import annotations

import io
import re
import zlib
from typing import Any

from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from phongdich.core.models import AuditAction, AuditLog
from phongdich.declarations.models import Channel, FollowUpTask
from phongdich.declarations.selectors import declaration_list, task_list
from phongdich.declarations.services import declaration_file, declaration_update

from .test_officials import _service_data


def _sheet(content: bytes) -> list[tuple[Any, ...]]:
    from openpyxl import load_workbook

    return list(load_workbook(io.BytesIO(content)).active.iter_rows(values_only=True))


def _no_full_count(queries: list[dict[str, Any]]) -> bool:
    return not any(re.match(r"\s*SELECT\s+COUNT\(\*\)", q["sql"], re.I) for q in queries)


def _file(tree: Any, name: str, phone: str, **extra: Any) -> Any:
    return declaration_file(
        actor=None,
        channel=Channel.SELF,
        data=_service_data(
            tree, full_name=name, id_number=f"B{zlib.crc32(name.encode()) % 10**7:07d}", phone=phone, **extra
        ),
        visits=[],
    )


def test_officials_pages_link_each_other_M2(cast: Any, tree: Any, client: Client) -> None:
    filed = _file(tree, "Lê Văn Liên", "0987000222")
    client.force_login(cast.cuong)
    links = ["/declarations/", "/declarations/follow-up/", "/declarations/new/"]
    for url in [*links, f"/declarations/{filed.declaration.uid}/"]:
        body = client.get(url).content.decode()
        assert all(f'href="{link}"' in body for link in links), url


def test_declaration_export_keeps_filters_scope_and_is_audited_M2(cast: Any, tree: Any, client: Client) -> None:
    _file(tree, "Có Triệu Chứng", "0987000333", fever=True)
    _file(tree, "Khỏe Mạnh", "0987000444")
    declaration_file(
        actor=None,
        channel=Channel.SELF,
        data=_service_data(tree, full_name="Ở Xã Khác", residence_unit=tree.quang_vinh, phone="0987000555"),
        visits=[],
    )
    client.force_login(cast.cuong)
    page = client.get("/declarations/", {"symptoms": "1"}).content.decode()
    assert 'href="/declarations/export.xlsx?symptoms=1"' in page
    rows = _sheet(client.get("/declarations/export.xlsx", {"symptoms": "1"}).content)
    assert rows[0][0] == "Họ và tên"
    assert [r[0] for r in rows[1:]] == ["Có Triệu Chứng"]
    everything = _sheet(client.get("/declarations/export.xlsx").content)
    assert sorted(r[0] for r in everything[1:]) == ["Có Triệu Chứng", "Khỏe Mạnh"]
    lines = AuditLog.objects.filter(action=AuditAction.EXPORT, actor=cast.cuong).order_by("id")
    assert [(line.detail["rows"], line.detail["symptoms"]) for line in lines] == [(1, True), (2, False)]


def test_task_export_keeps_status_scope_and_is_audited_M2(cast: Any, tree: Any, client: Client) -> None:
    _file(tree, "Ho Văn Khan", "0987000666", cough=True)
    declaration_file(
        actor=None,
        channel=Channel.SELF,
        data=_service_data(
            tree, full_name="Sốt Thị Xa", residence_unit=tree.quang_vinh, phone="0987000777", fever=True
        ),
        visits=[],
    )
    client.force_login(cast.cuong)
    assert (
        'href="/declarations/follow-up/export.xlsx?status=open"'
        in client.get("/declarations/follow-up/").content.decode()
    )
    rows = _sheet(client.get("/declarations/follow-up/export.xlsx", {"status": "open"}).content)
    assert [r[0] for r in rows[1:]] == ["Ho Văn Khan"]
    assert len(_sheet(client.get("/declarations/follow-up/export.xlsx", {"status": "done"}).content)) == 1
    line = AuditLog.objects.filter(action=AuditAction.EXPORT, actor=cast.cuong).order_by("id").first()
    assert line is not None
    assert (line.object_type, line.detail["rows"], line.detail["status"]) == ("declarations.followuptask", 1, "open")


def test_official_sees_the_declarants_tasks_from_every_version_M2(cast: Any, tree: Any, client: Client) -> None:
    filed = _file(tree, "Trần Văn Cập", "0987000888", cough=True)
    updated = declaration_update(
        code=filed.code,
        phone="0987000888",
        data=_service_data(tree, full_name="Trần Văn Cập", id_number=filed.declaration.id_number, phone="0987000888"),
        visits=[],
    )
    task = FollowUpTask.objects.get()
    assert task.declaration == filed.declaration  # the task belongs to the first version
    client.force_login(cast.cuong)
    body = client.get(f"/declarations/{updated.declaration.uid}/").content.decode()
    tasks_html = body[body.index('id="follow-up-tasks"') :]
    assert task.reason in tasks_html
    response = client.post(f"/declarations/follow-up/{task.uid}/done/", {"declaration": str(updated.declaration.uid)})
    assert response["Location"] == f"/declarations/{updated.declaration.uid}/"
    task.refresh_from_db()
    assert task.done_by == cast.cuong
    client.force_login(cast.chi)
    assert client.get(f"/declarations/{updated.declaration.uid}/").status_code == 404


def test_lists_are_keyset_pages_without_a_full_count_M2(cast: Any, tree: Any) -> None:
    for n in range(3):
        _file(tree, f"Người Khai {n}", f"098700090{n}", fever=True)
    with CaptureQueriesContext(connection) as ctx:
        first = declaration_list(user=cast.cuong, limit=2)
        tasks = task_list(user=cast.cuong, limit=2)
    assert _no_full_count(ctx.captured_queries)
    rest = declaration_list(user=cast.cuong, limit=2, after=first.next_after)
    assert [d.full_name for d in first.items + rest.items] == ["Người Khai 2", "Người Khai 1", "Người Khai 0"]
    assert rest.next_after is None
    more = task_list(user=cast.cuong, limit=2, after=tasks.next_after)
    assert len(tasks.items) + len(more.items) == 3
