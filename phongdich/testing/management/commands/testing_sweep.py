"""Order the mandatory tests for recent events written in bulk (T1): ``manage.py testing_sweep [--days N]``."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from phongdich.testing.triggers import sweep


class Command(BaseCommand):
    help = "Order the mandatory tests for recent new hires, arrivals, symptomatic declarations and F1 quarantines."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--days", type=int, default=None, help="look back this many days (default 14)")

    def handle(self, *args: Any, **options: Any) -> None:
        result = sweep(days=options["days"])
        self.stdout.write(f"testing_sweep: {result.events} events, {result.orders} new orders")
