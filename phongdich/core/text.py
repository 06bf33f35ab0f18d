"""Vietnamese text helpers: diacritic folding for search, name normalisation."""

from __future__ import annotations

import re
import unicodedata

_SPACES = re.compile(r"\s+")


def fold(text: str) -> str:
    """Lower-case, strip diacritics, fold đ/Đ to d and collapse spaces.

    ``fold("NGUYỄN  Văn Đức") == "nguyen van duc"`` — the key used for diacritic-insensitive search.
    """
    text = unicodedata.normalize("NFD", text.replace("đ", "d").replace("Đ", "D"))
    text = "".join(ch for ch in text if unicodedata.category(ch) != "Mn")
    return _SPACES.sub(" ", text).strip().lower()


def normalise_name(text: str) -> str:
    """NFC, single spaces, each word capitalised: ``"nguyễn  văn a" -> "Nguyễn Văn A"``."""
    text = _SPACES.sub(" ", unicodedata.normalize("NFC", text)).strip()
    return " ".join(word[:1].upper() + word[1:].lower() for word in text.split(" "))
