"""``manage.py load_units --province 19 --tree 2021|2025 [--file GSO.csv]``: load a province's tree.

Running it again updates names and types and never duplicates units. See ``geo/loaders.py``.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser

from phongdich.core.errors import ApplicationError
from phongdich.core.tabular import ImportResult
from phongdich.geo.loaders import TREE_2021, load_units
from phongdich.geo.models import Level

MAX_ERRORS_SHOWN = 50


class Command(BaseCommand):
    help = (
        "Nạp cây đơn vị hành chính của một tỉnh: --tree 2021 (3 cấp, trước 07/2025), --tree 2025 (2 cấp, "
        "kèm bảng chuyển đổi xã cũ → xã mới), hoặc từ tệp GSO (--file)."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--province", default=settings.PROVINCE_CODE, help="Mã tỉnh GSO (mặc định: %(default)s).")
        parser.add_argument(
            "--tree",
            default=None,
            help="Bộ đơn vị: 2021 hoặc 2025 từ dữ liệu đóng gói; với --file là tên bộ đơn vị (mặc định 2021).",
        )
        parser.add_argument(
            "--file",
            default=None,
            help="Tệp GSO (CSV UTF-8 hoặc .xlsx) với các cột: "
            "Tỉnh Thành Phố,Mã TP,Quận Huyện,Mã QH,Phường Xã,Mã PX,Cấp,Tên Tiếng Anh.",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        tree = options["tree"] or TREE_2021
        if options["file"] is None and tree not in ("2021", "2025"):
            raise CommandError("--tree phải là 2021 hoặc 2025 (hoặc dùng --file để nạp bộ đơn vị khác).")
        try:
            report = load_units(province=options["province"], tree=tree, file=options["file"])
        except FileNotFoundError as exc:
            raise CommandError(f"Không tìm thấy tệp: {exc.filename}") from None
        except ApplicationError as exc:
            result = exc.extra.get("result")
            if isinstance(result, ImportResult):
                for err in result.errors[:MAX_ERRORS_SHOWN]:
                    self.stderr.write(f"  dòng {err.row}{f' [{err.column}]' if err.column else ''}: {err.message}")
                if len(result.errors) > MAX_ERRORS_SHOWN:
                    self.stderr.write(f"  … và {len(result.errors) - MAX_ERRORS_SHOWN} lỗi khác")
            raise CommandError(str(exc.message)) from None

        levels = report.by_level
        self.stdout.write(
            f"{report.province_name} ({report.province_code}), bộ đơn vị {report.tree}, nguồn {report.source}: "
            f"{levels.get(Level.DISTRICT, 0)} đơn vị cấp huyện, {levels.get(Level.COMMUNE, 0)} đơn vị cấp xã."
        )
        self.stdout.write(
            f"Tạo mới {report.created}, cập nhật {report.updated}, không đổi {report.unchanged} (tổng {report.total})."
        )
        if report.successions_created or report.successions_updated:
            self.stdout.write(
                f"Chuyển đổi xã cũ → xã mới: tạo mới {report.successions_created}, "
                f"cập nhật {report.successions_updated}."
            )
        for name, their_code, our_code in report.successions_matched_by_name:
            self.stdout.write(
                f"  {name}: bảng chuyển đổi ghi mã {their_code}, dữ liệu đơn vị ghi mã {our_code} — khớp theo tên."
            )
        if report.successions_total:
            self.stdout.write(
                f"Bảng chuyển đổi của tỉnh: {report.successions_total} cặp; "
                f"{report.successions_total - report.old_units_missing} gắn với đơn vị cũ (bộ 2021) trong CSDL, "
                f"{report.old_units_missing} chỉ có mã và tên (không có trong bộ 2021 đã nạp)."
            )
            if report.unmapped_old_units:
                self.stdout.write(
                    f"{len(report.unmapped_old_units)} đơn vị cấp xã của bộ 2021 không có trong bảng chuyển đổi "
                    "(đã sáp nhập trước 2025; không tự suy ra):"
                )
                for code, name in report.unmapped_old_units:
                    self.stdout.write(f"  {code} {name}")
        elif report.successions_linked:
            self.stdout.write(f"Đã gắn {report.successions_linked} cặp chuyển đổi với đơn vị cũ.")
