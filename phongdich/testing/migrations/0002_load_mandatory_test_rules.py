"""Load the mandatory-testing rules (T1) as editable dated rows.

New hires, arrivals from epidemic areas and people with fever, cough or shortness of breath: the
undated notice of the Thái Nguyên Party standing committee asks for a rapid or PCR test but names no
deadline; the kind and the number of days here are chosen and flagged uncertain. F1 quarantine test
days follow the dated quarantine rules (Công điện 600/CĐ-BCĐ from 05/05/2021; the local rules of
10/2021 by vaccination status).
"""

from __future__ import annotations

from datetime import date
from typing import Any

from django.db import migrations

NOTICE = "Thông báo của Thường trực Tỉnh ủy Thái Nguyên về xét nghiệm bắt buộc (không ghi ngày)"
NOTICE_NOTE = (
    "Văn bản yêu cầu test nhanh hoặc PCR nhưng không nêu thời hạn; loại xét nghiệm, số ngày và ngày áp dụng "
    "11/10/2021 (thích ứng an toàn, linh hoạt — Nghị quyết 128/NQ-CP) là ngày chọn, cần xác nhận."
)
LOCAL = "Quy định địa phương 10/2021"
LOCAL_NOTE = "Quy định địa phương 10/2021; ngày áp dụng 11/10/2021 là ngày chọn, chưa có văn bản xác định."
RULES: list[dict[str, Any]] = [
    {
        "trigger": "new_hire",
        "kind": "rapid",
        "due_within_days": 1,
        "effective_from": date(2021, 10, 11),
        "source": NOTICE,
        "uncertain": True,
        "note": NOTICE_NOTE,
    },
    {
        "trigger": "epidemic_area_arrival",
        "kind": "rapid",
        "due_within_days": 1,
        "effective_from": date(2021, 10, 11),
        "source": NOTICE,
        "uncertain": True,
        "note": NOTICE_NOTE,
    },
    {
        "trigger": "symptoms",
        "kind": "rapid",
        "due_within_days": 0,
        "effective_from": date(2021, 10, 11),
        "source": NOTICE,
        "uncertain": True,
        "note": NOTICE_NOTE,
    },
    {
        "trigger": "f1_schedule",
        "kind": "pcr",
        "schedule_days": [1, 14, 20, 28],
        "effective_from": date(2021, 5, 5),
        "effective_to": date(2021, 7, 13),
        "source": "Công điện 600/CĐ-BCĐ (05/05/2021)",
        "note": "21 ngày tập trung, xét nghiệm ngày 1, 14, 20; 7 ngày tại nhà, xét nghiệm ngày thứ 7 (ngày 28)",
    },
    {
        "trigger": "f1_schedule",
        "kind": "pcr",
        "schedule_days": [],
        "effective_from": date(2021, 7, 14),
        "effective_to": date(2021, 10, 10),
        "source": "Công văn 5599/BYT-MT (14/07/2021)",
        "uncertain": True,
        "note": "14 + 14; các ngày xét nghiệm chưa được ghi nhận — cần bổ sung.",
    },
    {
        "trigger": "f1_schedule",
        "kind": "pcr",
        "schedule_days": [1],
        "applies_to": "full_or_recovered",
        "effective_from": date(2021, 10, 11),
        "source": LOCAL,
        "uncertain": True,
        "note": "Tiêm đủ liều hoặc đã khỏi bệnh ≤ 6 tháng: 7 ngày tự theo dõi, xét nghiệm ngày 1. " + LOCAL_NOTE,
    },
    {
        "trigger": "f1_schedule",
        "kind": "pcr",
        "schedule_days": [],
        "applies_to": "partial",
        "effective_from": date(2021, 10, 11),
        "source": LOCAL,
        "uncertain": True,
        "note": "Tiêm chưa đủ liều: 7 ngày tại nhà + 7 ngày tự theo dõi; ngày xét nghiệm chưa được ghi nhận. "
        + LOCAL_NOTE,
    },
    {
        "trigger": "f1_schedule",
        "kind": "pcr",
        "schedule_days": [7, 14],
        "applies_to": "none",
        "effective_from": date(2021, 10, 11),
        "source": LOCAL,
        "uncertain": True,
        "note": "Chưa tiêm: 14 + 14, xét nghiệm ngày 7 và 14. " + LOCAL_NOTE,
    },
]


def _key(row: dict[str, Any]) -> dict[str, Any]:
    return {
        "trigger": row["trigger"],
        "effective_from": row["effective_from"],
        "applies_to": row.get("applies_to", "any"),
        "source": row["source"],
    }


def load(apps: Any, schema_editor: Any) -> None:
    rule = apps.get_model("testing", "MandatoryTestRule")
    for row in RULES:
        if not rule.objects.filter(**_key(row)).exists():
            rule.objects.create(**row)


def unload(apps: Any, schema_editor: Any) -> None:
    rule = apps.get_model("testing", "MandatoryTestRule")
    for row in RULES:
        rule.objects.filter(**_key(row)).delete()


class Migration(migrations.Migration):
    dependencies = [("testing", "0001_orders_samples_labs_results")]
    operations = [migrations.RunPython(load, unload)]
