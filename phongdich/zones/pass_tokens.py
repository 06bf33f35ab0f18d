"""The secret in a goods-transport pass's QR (Z2): a random nonce and its MAC, keyed by SECRET_KEY.

The 20 bytes behind a token are the pass's nonce (10 random bytes, stored on the pass) and the first
10 bytes of an HMAC-SHA256 over it (``salted_hmac`` with a salt of its own). In base32 that is exactly
32 characters of ``A–Z2–7``: QR alphanumeric mode, and typeable at a checkpoint whatever the case or
the spaces. A forged token fails the MAC before any database read; a guessed one would need both
halves (160 bits). The QR holds the public address ``{SITE_URL}/luong-xanh/<token>/``.
"""

from __future__ import annotations

import base64
import hmac
import re
import secrets

from django.utils.crypto import salted_hmac

SALT = "phongdich.zones.transport-pass.v1"
NONCE_BYTES = 10
MAC_BYTES = 10
TOKEN_LENGTH = 32

_NOT_TOKEN = re.compile(r"[^A-Z2-7]")
_IN_URL = re.compile(r"/luong-xanh/([A-Za-z2-7]{32})/?")


def _mac(nonce: bytes) -> bytes:
    return salted_hmac(SALT, nonce, algorithm="sha256").digest()[:MAC_BYTES]


def new_nonce() -> str:
    """A fresh random nonce, as stored on the pass (20 hex characters)."""
    return secrets.token_hex(NONCE_BYTES)


def token_for(nonce: str) -> str:
    raw = bytes.fromhex(nonce)
    return base64.b32encode(raw + _mac(raw)).decode("ascii")


def token_display(token: str) -> str:
    """The token in groups of four, as printed under the QR."""
    return " ".join(token[i : i + 4] for i in range(0, len(token), 4))


def clean_token(text: str) -> str:
    """What was scanned or typed, as a token: the QR's address or the printed groups; ``""`` when
    it is not even token-shaped."""
    text = (text or "")[:400].strip()
    found = _IN_URL.search(text)
    cleaned = found.group(1).upper() if found else re.sub(r"[\s-]", "", text).upper()
    if len(cleaned) != TOKEN_LENGTH or _NOT_TOKEN.search(cleaned):
        return ""
    return cleaned


def nonce_of(token: str) -> str | None:
    """The nonce behind a well-formed token whose MAC is right; ``None`` for a malformed or forged one."""
    cleaned = clean_token(token)
    if not cleaned:
        return None
    blob = base64.b32decode(cleaned)
    nonce, mac = blob[:NONCE_BYTES], blob[NONCE_BYTES:]
    if not hmac.compare_digest(mac, _mac(nonce)):
        return None
    return nonce.hex()
