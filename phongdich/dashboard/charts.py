"""The dashboard's charts as inline SVG drawn on the server: no JavaScript, no CDN, readable offline.

Each chart writes its numbers into the drawing (labels and ``<title>`` tooltips); the page puts the
same numbers in a table beside it for screen readers and for copying.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import Any

from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

LEVEL_FILL = {1: "#2e7d32", 2: "#f2c200", 3: "#ef6c00", 4: "#c62828", None: "#c4c4c4"}
LEVEL_TEXT = {1: "#fff", 2: "#222", 3: "#222", 4: "#fff", None: "#222"}
SERIES_FILL = ("#b42318", "#1f6feb", "#8a8a8a")
WIDTH = 720


def _num(value: float | int | None, digits: int = 0) -> str:
    if value is None:
        return "—"
    if digits:
        return f"{value:.{digits}f}".replace(".", ",")
    return f"{int(value):,}".replace(",", ".")


def stacked_bars(
    days: Sequence[Any], series: Sequence[tuple[str, str]], *, label: str, height: int = 220
) -> SafeString:
    """Vertical bars per day, one colour per series (attribute names of each day), with a legend."""
    if not days:
        return SafeString("")
    left, bottom, top_margin = 36, 30, 22
    plot_w, plot_h = WIDTH - left - 4, height - bottom - top_margin
    top = max(sum(getattr(d, attr) for attr, _name in series) for d in days) or 1
    step = plot_w / len(days)
    bar_w = max(step * 0.8, 1.0)
    parts: list[str] = []
    for i, d in enumerate(days):
        y = top_margin + plot_h
        for (attr, name), colour in zip(series, SERIES_FILL, strict=False):
            n = getattr(d, attr)
            if not n:
                continue
            h = plot_h * n / top
            y -= h
            parts.append(
                format_html(
                    '<rect x="{}" y="{}" width="{}" height="{}" fill="{}"><title>{} — {}: {}</title></rect>',
                    f"{left + i * step:.1f}",
                    f"{y:.1f}",
                    f"{bar_w:.1f}",
                    f"{h:.1f}",
                    colour,
                    d.day.strftime("%d/%m/%Y"),
                    name,
                    n,
                )
            )
    legend = format_html_join(
        "",
        '<rect x="{}" y="2" width="10" height="10" fill="{}"/><text x="{}" y="11" font-size="11">{}</text>',
        (
            (left + 160 * i, colour, left + 160 * i + 14, name)
            for i, ((_a, name), colour) in enumerate(zip(series, SERIES_FILL, strict=False))
        ),
    )
    base = top_margin + plot_h
    return format_html(
        '<svg class="chart" viewBox="0 0 {w} {h}" width="100%" role="img" aria-label="{label}">{legend}{bars}'
        '<line x1="{x0}" y1="{base}" x2="{w}" y2="{base}" stroke="#555"/>'
        '<text x="{tx}" y="{base}" font-size="11" text-anchor="end">0</text>'
        '<text x="{tx}" y="{ty}" font-size="11" text-anchor="end">{max}</text>'
        '<text x="{x0}" y="{hb}" font-size="11">{first}</text>'
        '<text x="{w}" y="{hb}" font-size="11" text-anchor="end">{last}</text></svg>',
        w=WIDTH,
        h=height,
        hb=height - 4,
        label=label,
        legend=legend,
        bars=mark_safe("".join(parts)),  # noqa: S308 - every part built by format_html
        x0=left,
        base=f"{base:.1f}",
        tx=left - 4,
        ty=top_margin + 10,
        max=_num(top),
        first=days[0].day.strftime("%d/%m"),
        last=days[-1].day.strftime("%d/%m"),
    )


def hbars(
    rows: Sequence[tuple[str, float, float | None, str]], *, label: str, scale_max: float | None = None
) -> SafeString:
    """Horizontal bars: (name, value, reference or None, value text). The reference (a capacity, a
    population) is drawn as a pale bar behind the value."""
    if not rows:
        return SafeString("")
    row_h, name_w, text_w = 22, 200, 110
    plot_w = WIDTH - name_w - text_w
    top = scale_max or max(max(v, r or 0) for _n, v, r, _t in rows) or 1
    height = row_h * len(rows) + 4
    parts: list[str] = []
    for i, (name, value, reference, text) in enumerate(rows):
        y = 2 + i * row_h
        if reference:
            parts.append(
                format_html(
                    '<rect x="{}" y="{}" width="{}" height="16" fill="#dfe6ee"/>',
                    name_w,
                    y,
                    f"{plot_w * min(reference, top) / top:.1f}",
                )
            )
        parts.append(
            format_html(
                '<text x="{}" y="{}" font-size="12" text-anchor="end">{}</text>'
                '<rect x="{}" y="{}" width="{}" height="16" fill="#1f6feb"><title>{}: {}</title></rect>'
                '<text x="{}" y="{}" font-size="12">{}</text>',
                name_w - 6,
                y + 13,
                name,
                name_w,
                y,
                f"{plot_w * min(value, top) / top:.1f}",
                name,
                text,
                name_w + plot_w + 6,
                y + 13,
                text,
            )
        )
    return format_html(
        '<svg class="chart" viewBox="0 0 {w} {h}" width="100%" role="img" aria-label="{label}">{parts}</svg>',
        w=WIDTH,
        h=height,
        label=label,
        parts=mark_safe("".join(parts)),  # noqa: S308 - every part built by format_html
    )


def _legend(y: int) -> SafeString:
    names = {1: _("Cấp 1"), 2: _("Cấp 2"), 3: _("Cấp 3"), 4: _("Cấp 4"), None: _("Chưa đánh giá")}
    return format_html_join(
        "",
        '<rect x="{}" y="{}" width="12" height="12" fill="{}"/><text x="{}" y="{}" font-size="12">{}</text>',
        ((4 + 110 * i, y, LEVEL_FILL[k], 20 + 110 * i, y + 11, v) for i, (k, v) in enumerate(names.items())),
    )


def level_map(cells: Sequence[Any], *, label: str) -> SafeString:
    """Communes coloured by level: their outlines when every one has an imported boundary, else a grid
    of tiles (one per commune, in code order) so the map works before any boundary file is loaded."""
    if not cells:
        return SafeString("")
    if all(c.rings for c in cells):
        return _outline_map(cells, label=label)
    return tile_grid(cells, label=label)


def _outline_map(cells: Sequence[Any], *, label: str) -> SafeString:
    points = [p for c in cells for ring in c.rings for p in ring]
    min_x, max_x = min(p[0] for p in points), max(p[0] for p in points)
    min_y, max_y = min(p[1] for p in points), max(p[1] for p in points)
    kx = math.cos(math.radians((min_y + max_y) / 2))  # degrees of longitude are shorter than of latitude
    span_x, span_y = max((max_x - min_x) * kx, 1e-9), max(max_y - min_y, 1e-9)
    width = WIDTH
    scale = (width - 8) / span_x
    height = min(int(span_y * scale) + 8, 900)
    scale = min(scale, (height - 8) / span_y)
    paths: list[str] = []
    for cell in cells:
        d = " ".join(
            "M" + " L".join(f"{4 + (x - min_x) * kx * scale:.1f},{4 + (max_y - y) * scale:.1f}" for x, y in ring) + " Z"
            for ring in cell.rings
        )
        paths.append(
            format_html(
                '<path d="{}" fill="{}" stroke="#fff" stroke-width="0.8" fill-rule="evenodd">'
                "<title>{}: {}</title></path>",
                d,
                LEVEL_FILL.get(cell.level, LEVEL_FILL[None]),
                cell.unit.name,
                _level_text(cell.level),
            )
        )
    return format_html(
        '<svg class="chart map" viewBox="0 0 {w} {h}" width="100%" role="img" aria-label="{label}">{legend}'
        '<g transform="translate(0,20)">{paths}</g></svg>',
        w=width,
        h=height + 24,
        label=label,
        legend=_legend(2),
        paths=mark_safe("".join(paths)),  # noqa: S308 - every part built by format_html
    )


def _level_text(level: int | None) -> str:
    return _("Cấp %(n)d") % {"n": level} if level else _("Chưa đánh giá")


def _short(name: str) -> str:
    for prefix in ("Phường ", "Xã ", "Thị trấn ", "Thành phố ", "Thị xã ", "Huyện "):
        if name.startswith(prefix):
            return name[len(prefix) :]
    return name


def tile_grid(cells: Sequence[Any], *, label: str) -> SafeString:
    columns = max(1, min(10, math.ceil(math.sqrt(len(cells) * 1.6))))
    tile_w = (WIDTH - 4) / columns
    tile_h = 40
    rows = math.ceil(len(cells) / columns)
    tiles = []
    for i, cell in enumerate(cells):
        x, y = 2 + (i % columns) * tile_w, 22 + (i // columns) * tile_h
        name = _short(cell.unit.name)
        tiles.append(
            format_html(
                '<g class="tile"><rect x="{}" y="{}" width="{}" height="{}" rx="3" fill="{}" stroke="#fff">'
                "<title>{}: {}</title></rect>"
                '<text x="{}" y="{}" font-size="10" text-anchor="middle" fill="{}">{}</text>'
                '<text x="{}" y="{}" font-size="11" font-weight="bold" text-anchor="middle" fill="{}">{}</text></g>',
                f"{x:.1f}",
                y,
                f"{tile_w - 2:.1f}",
                tile_h - 2,
                LEVEL_FILL.get(cell.level, LEVEL_FILL[None]),
                cell.unit.name,
                _level_text(cell.level),
                f"{x + tile_w / 2:.1f}",
                y + 15,
                LEVEL_TEXT.get(cell.level, "#222"),
                name[:14],
                f"{x + tile_w / 2:.1f}",
                y + 31,
                LEVEL_TEXT.get(cell.level, "#222"),
                cell.level or "–",
            )
        )
    return format_html(
        '<svg class="chart tiles" viewBox="0 0 {w} {h}" width="100%" role="img" aria-label="{label}">'
        "{legend}{tiles}</svg>",
        w=WIDTH,
        h=24 + rows * tile_h,
        label=label,
        legend=_legend(2),
        tiles=mark_safe("".join(tiles)),  # noqa: S308 - every part built by format_html
    )
