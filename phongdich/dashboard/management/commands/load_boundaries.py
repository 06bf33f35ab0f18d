"""``manage.py load_boundaries FILE``: unit outlines for the dashboard's map, from a GeoJSON file."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser

from phongdich.core.errors import ValidationFailed
from phongdich.dashboard.boundaries import TOLERANCE, load_boundaries


class Command(BaseCommand):
    help = "Nhập đường bao đơn vị hành chính (GeoJSON, khớp theo mã GSO) để vẽ bản đồ cấp độ dịch."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", type=Path)
        parser.add_argument("--tree", default=getattr(settings, "ADMIN_TREE", "2021"))
        parser.add_argument("--code-property", default=None, help="Tên thuộc tính chứa mã GSO")
        parser.add_argument("--tolerance", type=float, default=TOLERANCE, help="Độ đơn giản hoá (độ)")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            result = load_boundaries(
                options["file"],
                tree=options["tree"],
                code_property=options["code_property"],
                tolerance=options["tolerance"],
            )
        except ValidationFailed as exc:
            raise CommandError(str(exc.message)) from exc
        self.stdout.write(
            f"{result.loaded} đơn vị; {result.points_before} điểm → {result.points_after} điểm sau khi đơn giản hoá."
        )
