"""The weekly job: assess every commune, district and province for an ISO week and publish the changes."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from phongdich.core.errors import ValidationFailed
from phongdich.levels.services import levels_assess_week
from phongdich.levels.weeks import last_complete_week, parse_week, week_label


class Command(BaseCommand):
    help = (
        "Assess the epidemic level of every commune, district and province for an ISO week "
        "(default: the last complete week) and publish the levels that change."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--week", help="ISO week, e.g. 2021-W46 (default: last complete week)")
        parser.add_argument("--rules", choices=("4800", "218"), help="rule set (default: the one in force)")
        parser.add_argument("--no-publish", action="store_true", help="store the assessments only")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            week = parse_week(options["week"]) if options.get("week") else last_complete_week()
            result = levels_assess_week(
                actor=None, week_start=week, rules_code=options.get("rules"), publish=not options["no_publish"]
            )
        except ValidationFailed as exc:
            raise CommandError(str(exc.message)) from None
        levels = ", ".join(f"{k}: {v}" for k, v in result.levels.items())
        self.stdout.write(
            f"{week_label(week)} ({result.rule_set}): {result.assessed} units assessed ({levels}), "
            f"{result.skipped} without population, {result.published} decisions published ({result.raised} raises)"
        )
