"""Load the F1 window rule of RULES "Contacts and quarantine" (C4) as editable dated rows."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.db import migrations

RULES: list[dict[str, Any]] = [
    {
        # The tracing manual of 03/12/2020 is named as the source, but the number of days it used
        # is not confirmed: kept as 3 and flagged, to be corrected by an administrator.
        "days_before": 3,
        "effective_from": date(2020, 1, 23),
        "effective_to": date(2021, 7, 29),
        "source": "Quyết định 5053/QĐ-BYT (03/12/2020) — sổ tay truy vết",
        "uncertain": True,
        "note": "Số ngày trước khởi phát của giai đoạn này chưa được xác minh",
    },
    {
        "days_before": 3,
        "effective_from": date(2021, 7, 30),
        "effective_to": None,
        "source": "Quyết định 3638/QĐ-BYT (30/07/2021)",
        "uncertain": False,
        "note": "F1: tiếp xúc gần F0 từ 3 ngày trước khởi phát (hoặc trước ngày lấy mẫu nếu không triệu chứng) "
        "đến khi F0 được cách ly",
    },
]


def load(apps: Any, schema_editor: Any) -> None:
    rule = apps.get_model("tracing", "F1WindowRule")
    for row in RULES:
        rule.objects.get_or_create(effective_from=row["effective_from"], source=row["source"], defaults=row)


def unload(apps: Any, schema_editor: Any) -> None:
    rule = apps.get_model("tracing", "F1WindowRule")
    rule.objects.filter(source__in=[r["source"] for r in RULES]).delete()


class Migration(migrations.Migration):
    dependencies = [("tracing", "0001_contacts_levels_chains")]
    operations = [migrations.RunPython(load, unload)]
