"""The image of a personal code: an SVG data URI drawn by segno (alphanumeric mode, level Q)."""

from __future__ import annotations

import segno


def qr_data_uri(code: str) -> str:
    return str(segno.make(code, error="q", micro=False).svg_data_uri(scale=8, border=4))
