"""A goods-transport pass's validity on a day, its public address and its QR image (Z2)."""

from __future__ import annotations

from datetime import date

import segno
from django.conf import settings
from django.urls import reverse

from .models import PassResult
from .pass_tokens import token_for


def pass_status(*, valid_from: date, valid_to: date, revoked: bool, on: date) -> PassResult:
    """Revoked first, then the dates (both days included)."""
    if revoked:
        return PassResult.REVOKED
    if on < valid_from:
        return PassResult.NOT_YET_VALID
    if on > valid_to:
        return PassResult.EXPIRED
    return PassResult.VALID


def public_url(nonce: str) -> str:
    """``{SITE_URL}/luong-xanh/<token>/``: the address in the QR, open to anyone."""
    return f"{settings.SITE_URL}{reverse('transport-pass:public', args=[token_for(nonce)])}"


def qr_svg_uri(url: str) -> str:
    """The QR of ``url`` as an SVG data URI (error correction M survives a creased card)."""
    return str(segno.make(url, error="m", micro=False).svg_data_uri(scale=6, border=2))
