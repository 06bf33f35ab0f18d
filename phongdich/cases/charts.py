"""The epidemic curve, and a cluster's curve with its projection, as inline SVG charts drawn on the
server (no JavaScript, no CDN)."""

from __future__ import annotations

import math
from datetime import date

from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString
from django.utils.translation import gettext as _

from .growth import Outlook

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


def cluster_svg(outlook: Outlook, *, max_days: int = 42) -> SafeString:
    """A cluster's confirmed cases per day (bars) and, after a dashed line, the projected trend (a line)
    with its 95 % band (a shaded area), on one scale. The last ``max_days`` observed days are drawn."""
    observed = outlook.series[-max_days:]
    if not observed:
        return SafeString("")
    projected = outlook.projection
    slots = len(observed) + len(projected)
    top_value = max([n for _d, n in observed] + [p.high for _d, p in projected] + [1])
    top = math.ceil(top_value)
    plot_w = WIDTH - MARGIN_LEFT - 4
    plot_h = HEIGHT - MARGIN_BOTTOM - MARGIN_TOP
    step = plot_w / slots
    bar_w = max(step * 0.8, 1.0)
    base = MARGIN_TOP + plot_h

    def y(value: float) -> str:
        return f"{base - plot_h * value / top:.1f}"

    def x_mid(i: int) -> str:
        return f"{MARGIN_LEFT + i * step + bar_w / 2:.1f}"

    bars = format_html_join(
        "",
        '<rect x="{}" y="{}" width="{}" height="{}"><title>{}: {}</title></rect>',
        (
            (
                f"{MARGIN_LEFT + i * step:.1f}",
                y(n),
                f"{bar_w:.1f}",
                f"{plot_h * n / top:.1f}",
                day.strftime("%d/%m/%Y"),
                n,
            )
            for i, (day, n) in enumerate(observed)
        ),
    )
    forecast = SafeString("")
    if projected:
        start = len(observed)
        # The band from the last observed bar's count, so that it starts where the data ends.
        last_count = observed[-1][1]
        upper = [(x_mid(start - 1), y(last_count))] + [
            (x_mid(start + k), y(p.high)) for k, (_d, p) in enumerate(projected)
        ]
        lower = [(x_mid(start + k), y(p.low)) for k, (_d, p) in enumerate(projected)]
        band = " ".join(f"{a},{b}" for a, b in upper + list(reversed(lower)))
        line = " ".join(f"{x_mid(start + k)},{y(p.expected)}" for k, (_d, p) in enumerate(projected))
        divider = f"{MARGIN_LEFT + start * step - (step - bar_w) / 2:.1f}"
        points = format_html_join(
            "",
            '<circle cx="{}" cy="{}" r="2.5"><title>{}: {} ({}–{})</title></circle>',
            (
                (
                    x_mid(start + k),
                    y(p.expected),
                    d.strftime("%d/%m/%Y"),
                    f"{p.expected:.1f}",
                    f"{p.low:.1f}",
                    f"{p.high:.1f}",
                )
                for k, (d, p) in enumerate(projected)
            ),
        )
        forecast = format_html(
            '<line x1="{dx}" y1="{top}" x2="{dx}" y2="{base}" stroke="#555" stroke-dasharray="4 3"/>'
            '<text x="{tx}" y="{ty}" font-size="11">{label}</text>'
            '<polygon points="{band}" fill="#1d4ed8" fill-opacity="0.15" stroke="none"/>'
            '<polyline points="{line}" fill="none" stroke="#1d4ed8" stroke-width="2" stroke-dasharray="5 3"/>'
            '<g fill="#1d4ed8">{points}</g>',
            dx=divider,
            top=MARGIN_TOP,
            base=base,
            tx=f"{float(divider) + 4:.1f}",
            ty=MARGIN_TOP + 10,
            label=_("Dự báo, không phải số liệu"),
            band=band,
            line=line,
            points=points,
        )
    last_day = projected[-1][0] if projected else observed[-1][0]
    return format_html(
        '<svg class="epicurve" viewBox="0 0 {w} {h}" width="100%" role="img" aria-label="{label}">'
        '<g fill="#b42318">{bars}</g>{forecast}'
        '<line x1="{x0}" y1="{base}" x2="{w}" y2="{base}" stroke="#555"/>'
        '<line x1="{x0}" y1="{top}" x2="{x0}" y2="{base}" stroke="#555"/>'
        '<text x="{tx}" y="{base}" font-size="11" text-anchor="end">0</text>'
        '<text x="{tx}" y="{ty}" font-size="11" text-anchor="end">{max}</text>'
        '<text x="{x0}" y="{h}" font-size="11">{first}</text>'
        '<text x="{w}" y="{h}" font-size="11" text-anchor="end">{last}</text>'
        "</svg>",
        w=WIDTH,
        h=HEIGHT - 4,
        label=_("Số ca xác định theo ngày của ổ dịch và dự báo 7 ngày tới"),
        bars=bars,
        forecast=forecast,
        x0=MARGIN_LEFT,
        base=base,
        top=MARGIN_TOP,
        tx=MARGIN_LEFT - 4,
        ty=MARGIN_TOP + 10,
        max=top,
        first=observed[0][0].strftime("%d/%m"),
        last=last_day.strftime("%d/%m/%Y"),
    )
