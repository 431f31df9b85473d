"""Text normalisation shared by header matching, county look-up and project identity.

Ledgers mix simplified and traditional characters, full-width digits and brackets, and
stray spaces or line breaks inside merged header cells. ``normalize_text`` folds all of
that so that one spelling table serves every variant. Traditional characters are folded by
OpenCC (``t2s``), at this edge only: cells are stored as typed.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache
from typing import Any

__all__ = [
    "INVISIBLE",
    "clean_cell_text",
    "header_key",
    "normalize_label",
    "normalize_text",
    "printable",
    "to_simplified",
]

_SPACE = re.compile(r"\s+")
# Characters dropped from header keys: whitespace and punctuation that varies between
# ledgers (brackets and units are kept apart by the caller before this).
_HEADER_DROP = re.compile(r"[\s:：、，,．.·*＊#№/\\\-—_（）()\[\]【】<>《》\"'“”‘’]+")
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


_CONVERTER: Any = None


def _converter() -> Any:
    """OpenCC's traditional -> simplified converter, made on first use."""
    global _CONVERTER
    if _CONVERTER is None:
        import opencc

        _CONVERTER = opencc.OpenCC("t2s")
    return _CONVERTER


@lru_cache(maxsize=1 << 16)
def _t2s(text: str) -> str:
    if _SURROGATE.search(text):  # undecodable file-name bytes: OpenCC takes UTF-8 only
        text = _SURROGATE.sub("\ufffd", text)
    return _converter().convert(text)


_SURROGATE = re.compile("[\ud800-\udfff]")


INVISIBLE = re.compile(
    "[\u00ad\u0600-\u0605\u061c\u06dd\u070f\u0890\u0891\u08e2\u180e\u200b-\u200f"
    "\u202a-\u202e\u2060-\u2064\u2066-\u206f\ufeff\ufff9-\ufffb\U000110bd\U000110cd"
    "\U00013430-\U0001343f\U0001bca0-\U0001bca3\U0001d173-\U0001d17a\U000e0001"
    "\U000e0020-\U000e007f]"
)
"""Unicode format characters (category Cf): zero-width spaces and joiners, BOMs, bidi
controls. Invisible on screen, yet they make two spellings of one name differ; they are
dropped from every matching key."""

_UNSAFE_PRINT = re.compile(
    "[\x00-\x08\x0b-\x1f\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069\ud800-\udfff]"
)


def printable(text: object) -> str:
    """Text safe to print on a terminal: control characters (terminal escape sequences),
    bidi controls (which reorder what follows) and lone surrogates shown as ``\\uXXXX``;
    tabs and line breaks are kept."""
    return _UNSAFE_PRINT.sub(lambda m: f"\\u{ord(m.group()):04x}", str(text))


def to_simplified(text: str) -> str:
    """Traditional (or mixed) Chinese -> simplified, by OpenCC's ``t2s`` conversion.

    For matching keys only (headers, county names, row labels, name identity): cells are
    kept as the county typed them. Each distinct text is converted once.
    """
    if text.isascii():  # numbers, dates, codes: nothing to convert
        return text
    return _t2s(text)


def normalize_text(text: str) -> str:
    """NFKC (full-width to half-width), traditional to simplified, spaces folded, stripped."""
    if type(text) is str:  # the same spellings recur in every monthly ledger
        return _normalize_cached(text)
    return _normalize(str(text))


def _normalize(text: str) -> str:
    text = INVISIBLE.sub("", unicodedata.normalize("NFKC", text))
    text = to_simplified(text)
    return _SPACE.sub(" ", text).strip()


_normalize_cached = lru_cache(maxsize=1 << 16)(_normalize)


def header_key(text: str) -> str:
    """Key for matching a header cell: normalised, with spaces and punctuation removed."""
    return _HEADER_DROP.sub("", normalize_text(text))


def clean_cell_text(text: str) -> str:
    """A text cell as stored: exactly as the county typed it, less control characters and
    surrounding whitespace (full-width punctuation and line breaks inside are kept)."""
    return _CONTROL.sub("", text).strip()


_ANY_SPACE = re.compile(r"\s+")


def normalize_label(value: object) -> str:
    """:func:`normalize_text` with all whitespace removed; a non-text cell -> "".

    For matching row labels (合计, 填表人, section titles).
    """
    if not isinstance(value, str):
        return ""
    if type(value) is str:
        return _label_cached(value)
    return _label(value)


def _label(value: str) -> str:
    text = INVISIBLE.sub("", unicodedata.normalize("NFKC", value))
    return _ANY_SPACE.sub("", to_simplified(text))


_label_cached = lru_cache(maxsize=1 << 15)(_label)
