"""The daily report to the province before 16:00 (seed 002 §2.15) as data: its fields, who must submit
(the districts and the provincial member agencies of the steering committee), the deadline, the recipient."""

import datetime

from django.db import migrations

FIELDS = [
    ("new_cases", "Số ca mắc mới trong ngày", "number", "new_cases"),
    ("f1", "Số F1 đang theo dõi", "number", "f1"),
    ("f2", "Số F2 đang theo dõi", "number", "f2"),
    ("q_centralised", "Số người đang cách ly tập trung", "number", "q_centralised"),
    ("q_home", "Số người đang cách ly tại nhà", "number", "q_home"),
    ("q_post", "Số người đang theo dõi sau cách ly", "number", "q_post"),
    ("q_self", "Số người đang tự theo dõi, cách ly", "number", "q_self"),
    ("tests", "Số mẫu xét nghiệm có kết quả", "number", "tests"),
    ("positives", "Số mẫu dương tính", "number", "positives"),
    ("doses", "Số mũi vắc xin đã tiêm", "number", "doses"),
    ("arrivals", "Số người về từ vùng dịch", "number", "arrivals"),
    ("situation", "Tình hình triển khai công tác phòng, chống dịch", "text", ""),
    ("difficulties", "Khó khăn, vướng mắc", "text", ""),
    ("proposals", "Đề xuất, kiến nghị", "text", ""),
]


def seed(apps, schema_editor):
    ReportForm = apps.get_model("command", "ReportForm")
    ReportField = apps.get_model("command", "ReportField")
    form, created = ReportForm.objects.get_or_create(
        code="daily-covid",
        defaults={
            "name": "Báo cáo hằng ngày tình hình triển khai công tác phòng, chống dịch COVID-19",
            "period": "daily",
            "deadline_time": datetime.time(16, 0),
            "active_from": datetime.date(2020, 7, 29),
            "unit_level": 2,
            "org_kinds": ["department", "health_agency", "police", "military", "fatherland_front"],
            "org_unit_level": 1,
            "recipient_label": "UBND tỉnh (qua Sở Y tế để tổng hợp)",
            "source": "Kết luận của Ban Chỉ đạo phòng, chống dịch COVID-19 tỉnh, mục 2.15",
        },
    )
    if created:
        ReportField.objects.bulk_create(
            ReportField(form=form, key=key, label=label, kind=kind, source=source, order=i, required=key == "situation")
            for i, (key, label, kind, source) in enumerate(FIELDS, start=1)
        )


class Migration(migrations.Migration):
    dependencies = [("command", "0002_daily_and_one_off_reports")]
    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
