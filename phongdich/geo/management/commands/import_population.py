"""``manage.py import_population FILE [--tree 2021] [--partial]``: populations per unit from CSV/Excel.

Columns: ``Mã`` (or ``code``), ``Dân số`` (``population``), ``Năm`` (``year``), optional ``Nguồn`` (``source``).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser

from phongdich.core.errors import ApplicationError
from phongdich.geo.services import population_import

MAX_ERRORS_SHOWN = 50


class Command(BaseCommand):
    help = "Nhập dân số theo mã đơn vị từ tệp CSV/Excel (cột: Mã, Dân số, Năm, Nguồn không bắt buộc)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file")
        parser.add_argument("--tree", default=None, help=f"Bộ đơn vị (mặc định: {settings.ADMIN_TREE}).")
        parser.add_argument(
            "--partial", action="store_true", help="Ghi các dòng hợp lệ và ghi các dòng lỗi ra tệp *-loi.*"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        path = Path(options["file"])
        try:
            data = path.read_bytes()
        except OSError as exc:
            raise CommandError(f"Không đọc được tệp {path}: {exc.strerror}") from None
        try:
            result = population_import(
                upload=data,
                filename=path.name,
                actor=None,
                tree=options["tree"] or settings.ADMIN_TREE,
                partial=options["partial"],
            )
        except ApplicationError as exc:
            raise CommandError(str(exc.message)) from None
        for err in result.errors[:MAX_ERRORS_SHOWN]:
            self.stderr.write(f"  dòng {err.row}{f' [{err.column}]' if err.column else ''}: {err.message}")
        if len(result.errors) > MAX_ERRORS_SHOWN:
            self.stderr.write(f"  … và {len(result.errors) - MAX_ERRORS_SHOWN} lỗi khác")
        if result.rejected_file and options["partial"]:
            rejected = path.with_name(result.rejected_filename)
            rejected.write_bytes(result.rejected_file)
            self.stderr.write(f"Các dòng lỗi đã ghi ra {rejected}")
        if not result.ok and not options["partial"]:
            raise CommandError(
                f"{result.rejected} dòng lỗi; chưa ghi dòng nào (dùng --partial để ghi các dòng hợp lệ)."
            )
        self.stdout.write(f"Đã cập nhật dân số {result.written} đơn vị ({result.rejected} dòng lỗi).")
