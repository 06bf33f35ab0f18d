"""Printable A4 posters (M1): one page per premises code, the QR as an SVG drawn by segno."""

from __future__ import annotations

from collections.abc import Iterable

import segno
from django.conf import settings
from django.template.loader import render_to_string
from django.urls import reverse

from .models import PremisesCode


def scan_url(code: PremisesCode) -> str:
    """``{SITE_URL}/c/<token>/``: the address printed on the poster and encoded in its QR."""
    return f"{settings.SITE_URL}{reverse('checkin:scan', args=[code.token])}"


def qr_svg_uri(url: str) -> str:
    """The QR code of ``url`` as an SVG data URI (error correction M survives a creased poster)."""
    return str(segno.make(url, error="m", micro=False).svg_data_uri(scale=10, border=2))


def poster_pdf(codes: Iterable[PremisesCode]) -> bytes:
    """One A4 page per code, in the given order."""
    from weasyprint import HTML

    pages = []
    for code in codes:
        url = scan_url(code)
        pages.append({"code": code, "premises": code.premises, "url": url, "qr": qr_svg_uri(url)})
    html = render_to_string("checkins/poster.html", {"pages": pages})
    pdf: bytes = HTML(string=html, base_url=settings.SITE_URL).write_pdf()
    return pdf
