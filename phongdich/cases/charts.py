"""The epidemic curve as an inline SVG bar chart, drawn on the server (no JavaScript, no CDN)."""

from __future__ import annotations

from datetime import date

from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString
from django.utils.translation import gettext as _

WIDTH = 720
HEIGHT = 220
MARGIN_LEFT = 32
MARGIN_BOTTOM = 28
MARGIN_TOP = 12


def curve_svg(points: list[tuple[date, int]]) -> SafeString:
    """Bars per day with a y axis (0 and the maximum) and the first and last day under the x axis."""
    if not points:
        return SafeString("")
    top = max(n for _d, n in points) or 1
    plot_w = WIDTH - MARGIN_LEFT - 4
    plot_h = HEIGHT - MARGIN_BOTTOM - MARGIN_TOP
    step = plot_w / len(points)
    bar_w = max(step * 0.8, 1.0)
    bars = format_html_join(
        "",
        '<rect x="{}" y="{}" width="{}" height="{}"><title>{}: {}</title></rect>',
        (
            (
                f"{MARGIN_LEFT + i * step:.1f}",
                f"{MARGIN_TOP + plot_h - plot_h * n / top:.1f}",
                f"{bar_w:.1f}",
                f"{plot_h * n / top:.1f}",
                day.strftime("%d/%m/%Y"),
                n,
            )
            for i, (day, n) in enumerate(points)
        ),
    )
    base = MARGIN_TOP + plot_h
    return format_html(
        '<svg class="epicurve" viewBox="0 0 {w} {h}" width="100%" role="img" aria-label="{label}">'
        '<g fill="#b42318">{bars}</g>'
        '<line x1="{x0}" y1="{base}" x2="{w}" y2="{base}" stroke="#555"/>'
        '<line x1="{x0}" y1="{top}" x2="{x0}" y2="{base}" stroke="#555"/>'
        '<text x="{tx}" y="{base}" font-size="11" text-anchor="end">0</text>'
        '<text x="{tx}" y="{ty}" font-size="11" text-anchor="end">{max}</text>'
        '<text x="{x0}" y="{h}" font-size="11">{first}</text>'
        '<text x="{w}" y="{h}" font-size="11" text-anchor="end">{last}</text>'
        "</svg>",
        w=WIDTH,
        h=HEIGHT - 4,
        label=_("Đường cong dịch tễ theo ngày khởi phát"),
        bars=bars,
        x0=MARGIN_LEFT,
        base=base,
        top=MARGIN_TOP,
        tx=MARGIN_LEFT - 4,
        ty=MARGIN_TOP + 10,
        max=top,
        first=points[0][0].strftime("%d/%m"),
        last=points[-1][0].strftime("%d/%m/%Y"),
    )
