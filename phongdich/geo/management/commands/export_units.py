"""``manage.py export_units --province 19 [--tree 2021] --format csv|xlsx [--output FILE]``.

Prints ``code,name,level,parent_code`` for the province and every unit below it, in path order.
Units are not personal data: no audit line.
"""

from __future__ import annotations

import csv
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser

from phongdich.core.errors import ApplicationError
from phongdich.core.tabular import write_table
from phongdich.geo.loaders import province_code
from phongdich.geo.models import Level, Unit
from phongdich.geo.selectors import export_rows

HEADER = ("code", "name", "level", "parent_code")


class Command(BaseCommand):
    help = "Xuất danh sách đơn vị hành chính của một tỉnh: code,name,level,parent_code."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--province", default=settings.PROVINCE_CODE, help="Mã tỉnh GSO (mặc định: %(default)s).")
        parser.add_argument(
            "--tree", default=None, help=f"Bộ đơn vị (mặc định: ADMIN_TREE, hiện là {settings.ADMIN_TREE})."
        )
        parser.add_argument("--format", choices=("csv", "xlsx"), default="csv")
        parser.add_argument("--output", default=None, help="Ghi ra tệp thay vì in ra màn hình (bắt buộc với xlsx).")

    def handle(self, *args: Any, **options: Any) -> None:
        tree = options["tree"] or settings.ADMIN_TREE
        try:
            code = province_code(options["province"])
        except ApplicationError as exc:
            raise CommandError(str(exc.message)) from None
        province = Unit.objects.filter(tree=tree, code=code, level=Level.PROVINCE).first()
        if province is None:
            raise CommandError(
                f"Chưa có tỉnh mã {code} trong bộ đơn vị {tree}. "
                f"Hãy chạy: manage.py load_units --province {code} --tree {tree}"
            )
        fmt, output = options["format"], options["output"]
        if fmt == "xlsx":
            if not output:
                raise CommandError("--format xlsx cần --output TỆP.")
            Path(output).write_bytes(write_table(HEADER, export_rows(province=province), fmt="xlsx"))
            return
        if output:
            with open(output, "w", encoding="utf-8", newline="") as fh:
                self._write_csv(fh, province)
        else:
            self._write_csv(self.stdout, province)

    def _write_csv(self, fh: Any, province: Unit) -> None:
        writer = csv.writer(fh, lineterminator="\n")
        writer.writerow(HEADER)
        writer.writerows(export_rows(province=province))
