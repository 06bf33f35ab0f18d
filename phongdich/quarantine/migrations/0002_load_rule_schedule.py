"""Load the dated quarantine schedule of RULES.md "Contacts and quarantine" (Q2) as editable rows."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.db import migrations

LOCAL_NOTE = "Quy định địa phương 10/2021; ngày áp dụng 11/10/2021 là ngày chọn, chưa có văn bản xác định."
SCHEDULE: list[dict[str, Any]] = [
    {
        "effective_from": date(2020, 1, 23),
        "effective_to": date(2021, 5, 4),
        "source": "Hướng dẫn của Bộ Y tế trước 05/05/2021",
        "applies_to": "any",
        "centralised_days": 14,
        "home_days": 14,
        "test_days": [],
        "note": "14 ngày cách ly tập trung + 14 ngày theo dõi tại nhà",
    },
    {
        "effective_from": date(2021, 5, 5),
        "effective_to": date(2021, 7, 13),
        "source": "Công điện 600/CĐ-BCĐ (05/05/2021)",
        "applies_to": "any",
        "centralised_days": 21,
        "home_days": 7,
        "test_days": [1, 14, 20, 28],
        "note": "21 ngày tập trung, xét nghiệm ngày 1, 14, 20; 7 ngày tại nhà, xét nghiệm ngày thứ 7",
    },
    {
        "effective_from": date(2021, 7, 14),
        "effective_to": date(2021, 10, 10),
        "source": "Công văn 5599/BYT-MT (14/07/2021)",
        "applies_to": "any",
        "centralised_days": 14,
        "home_days": 14,
        "test_days": [],
        "note": "14 + 14; thí điểm cách ly F1 tại nhà",
    },
    {
        "effective_from": date(2021, 10, 11),
        "effective_to": None,
        "source": "Quy định địa phương 10/2021",
        "source_local": True,
        "applies_to": "full_or_recovered",
        "self_monitoring_days": 7,
        "test_days": [1],
        "uncertain": True,
        "note": LOCAL_NOTE,
    },
    {
        "effective_from": date(2021, 10, 11),
        "effective_to": None,
        "source": "Quy định địa phương 10/2021",
        "source_local": True,
        "applies_to": "partial",
        "home_days": 7,
        "self_monitoring_days": 7,
        "test_days": [],
        "uncertain": True,
        "note": LOCAL_NOTE,
    },
    {
        "effective_from": date(2021, 10, 11),
        "effective_to": None,
        "source": "Quy định địa phương 10/2021",
        "source_local": True,
        "applies_to": "none",
        "centralised_days": 14,
        "home_days": 14,
        "test_days": [7, 14],
        "uncertain": True,
        "note": LOCAL_NOTE + " Giai đoạn đầu ghi là tập trung (RULES.md chỉ ghi 14 + 14).",
    },
]


def load(apps: Any, schema_editor: Any) -> None:
    rule = apps.get_model("quarantine", "QuarantineRule")
    for row in SCHEDULE:
        if not rule.objects.filter(
            effective_from=row["effective_from"], applies_to=row["applies_to"], source=row["source"]
        ).exists():
            rule.objects.create(**row)


def unload(apps: Any, schema_editor: Any) -> None:
    rule = apps.get_model("quarantine", "QuarantineRule")
    for row in SCHEDULE:
        rule.objects.filter(
            effective_from=row["effective_from"], applies_to=row["applies_to"], source=row["source"]
        ).delete()


class Migration(migrations.Migration):
    dependencies = [("quarantine", "0001_facilities_rules_episodes")]
    operations = [migrations.RunPython(load, unload)]
