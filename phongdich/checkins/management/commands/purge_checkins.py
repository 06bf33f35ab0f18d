"""``manage.py purge_checkins [--days N]``: delete old check-ins in batches (audited with the count)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from phongdich.checkins.services import checkins_purge, retention_days


class Command(BaseCommand):
    help = "Xóa các lượt quét mã cũ hơn số ngày lưu giữ (mặc định CHECKIN_RETENTION_DAYS)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--days", type=int, default=None, help="Số ngày lưu giữ (mặc định theo cấu hình).")
        parser.add_argument("--batch-size", type=int, default=10_000)

    def handle(self, *args: Any, **options: Any) -> None:
        days = options["days"] if options["days"] is not None else retention_days()
        if days < 1:
            self.stderr.write("--days phải từ 1 trở lên.")
            return
        deleted = checkins_purge(days=days, batch_size=options["batch_size"])
        self.stdout.write(f"Đã xóa {deleted} lượt quét mã cũ hơn {days} ngày.")
