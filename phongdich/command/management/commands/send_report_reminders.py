"""Remind the units and agencies that have not yet submitted today's daily report (what Celery beat runs at
15:00)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from phongdich.command.reports_services import report_reminders


class Command(BaseCommand):
    help = "Nhắc các đơn vị chưa nộp báo cáo hằng ngày (chạy lúc 15:00)."

    def handle(self, *args: Any, **options: Any) -> None:
        count = report_reminders()
        self.stdout.write(f"{count}")
