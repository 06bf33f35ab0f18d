"""``{{ amount|dong }}``: an integer amount written the Vietnamese way, ``1.500.000 đồng``."""

from __future__ import annotations

from typing import Any

from django import template

from phongdich.welfare.services import fmt_dong

register = template.Library()


@register.filter
def dong(value: Any) -> str:
    try:
        return fmt_dong(int(value or 0))
    except (TypeError, ValueError):
        return ""
