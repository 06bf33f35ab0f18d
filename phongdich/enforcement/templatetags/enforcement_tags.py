"""``{{ amount|dong }}``: an amount in đồng with dots between thousands (``1.500.000``)."""

from __future__ import annotations

from typing import Any

from django import template

register = template.Library()


@register.filter
def dong(value: Any) -> str:
    if value in (None, ""):
        return ""
    try:
        return f"{int(value):,}".replace(",", ".")
    except (TypeError, ValueError):
        return str(value)
