"""What-if: the level for given indicators under a rule set, with the reasoning, as JSON."""

from __future__ import annotations

import argparse
import json
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from phongdich.core.errors import ValidationFailed
from phongdich.levels.rules import INDICATORS, assess, parse_value, rules_load


def _indicator_help() -> str:
    lines = ["Indicators (NAME=VALUE, repeat --indicator):"]
    for code, names in INDICATORS.items():
        lines.append(f"  --rules {code}:")
        lines.extend(f"    {name:<30} {help_text}" for name, (_kind, help_text) in names.items())
    lines.append(
        "Example: assess_level --rules 4800 --indicator community_cases_per_100k_week=73.5 "
        "--indicator vaccination_criterion_met=true   → level 2"
    )
    return "\n".join(lines)


class Command(BaseCommand):
    help = "Print the epidemic level (1–4) and its reasoning as JSON for the given indicators (what-if)."

    def create_parser(self, prog_name: str, subcommand: str, **kwargs: Any) -> CommandParser:
        parser = super().create_parser(prog_name, subcommand, **kwargs)
        parser.formatter_class = argparse.RawDescriptionHelpFormatter
        parser.epilog = _indicator_help()
        return parser

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--rules", required=True, choices=sorted(INDICATORS), help="rule set: 4800 or 218")
        parser.add_argument(
            "--indicator",
            action="append",
            default=[],
            metavar="NAME=VALUE",
            help="an indicator (see the list below); repeat for several",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        code = options["rules"]
        values: dict[str, Any] = {}
        try:
            for item in options["indicator"]:
                name, sep, raw = item.partition("=")
                if not sep:
                    raise CommandError(f"--indicator needs NAME=VALUE, got {item!r}")
                values[name.strip()] = parse_value(code, name.strip(), raw)
            result = assess(rules_load(code), values)
        except ValidationFailed as exc:
            raise CommandError(str(exc.message)) from None
        self.stdout.write(json.dumps(result.as_dict(), ensure_ascii=False, indent=2))
