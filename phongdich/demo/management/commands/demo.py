"""``python manage.py demo``: Thái Nguyên 2021, its organisations, synthetic people and a login per role.

Idempotent: run again, it reuses what exists, keeps the data and prints the same logins
(kept in ``var/demo-logins.json``, readable by the owner only).
"""

from __future__ import annotations

import sys
import time
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandParser

from phongdich.demo import steps


class Command(BaseCommand):
    help = "Nạp dữ liệu mẫu: tỉnh Thái Nguyên (2021), cơ quan, nhân khẩu giả lập và tài khoản cho mọi vai trò."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--people", type=int, default=20_000, help="số nhân khẩu giả lập (mặc định 20 000; chỉ lần nạp đầu)"
        )
        parser.add_argument("--seed", type=int, default=2021, help="hạt giống ngẫu nhiên của dữ liệu giả lập")
        parser.add_argument(
            "--until",
            choices=[name for name, _step in steps.STEPS],
            default=None,
            help="dừng sau bước này (mặc định: chạy mọi bước)",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        started = time.monotonic()
        quiet = options["verbosity"] == 0
        demo = steps.Demo(
            people=max(0, options["people"]),
            seed=options["seed"],
            out=self.stdout,
            progress=None if quiet else sys.stderr,
        )
        steps.run(demo, steps.steps_until(options["until"]))
        self.stdout.write(f"Xong trong {time.monotonic() - started:.1f} giây.\n")
        self.stdout.write(self.logins_table(demo.logins))
        self.stdout.write(f"\nĐịa chỉ: {settings.SITE_URL}/\n")
        self.stdout.write(f"Mật khẩu được lưu trong {steps.logins_path()} (chỉ chủ sở hữu đọc được).\n")

    @staticmethod
    def logins_table(logins: list[steps.Login]) -> str:
        header = ("Tên đăng nhập", "Vai trò", "Phạm vi", "Mật khẩu")
        rows = [(login.username, login.role, login.scope, login.password) for login in logins]
        widths = [max(len(str(row[i])) for row in [header, *rows]) for i in range(4)]
        lines = ["", "  ".join(h.ljust(w) for h, w in zip(header, widths, strict=True))]
        lines.append("  ".join("-" * w for w in widths))
        lines += ["  ".join(str(c).ljust(w) for c, w in zip(row, widths, strict=True)) for row in rows]
        return "\n".join(lines) + "\n"
