"""Template filters of the geo pages."""

from __future__ import annotations

from typing import Any

from django import template
from django.utils.formats import get_format

register = template.Library()


@register.filter
def thousands(value: Any) -> str:
    """``340403`` → ``340.403`` in Vietnamese, ``340,403`` in English (groups of three, always).

    Django's Vietnamese locale defines no number grouping, so ``floatformat:"g"`` would print 340403.
    """
    if value is None or value == "":
        return ""
    try:
        number = int(value)
    except (TypeError, ValueError):
        return str(value)
    return f"{number:,}".replace(",", str(get_format("THOUSAND_SEPARATOR")))
