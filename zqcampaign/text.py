"""Text normalisation shared by header matching, county look-up and project identity.

Ledgers mix simplified and traditional characters, full-width digits and brackets, and
stray spaces or line breaks inside merged header cells. ``normalize_text`` folds all of
that so that one spelling table serves every variant.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

__all__ = [
    "INVISIBLE",
    "clean_cell_text",
    "header_key",
    "normalize_label",
    "normalize_text",
    "printable",
    "to_simplified",
]

# Traditional -> simplified for the vocabulary that appears in ledgers (headers, county
# names, section rows, yes/no words). Character-level, so it also covers new combinations.
_TRAD = (
    "項稱資額際劃開動竣產時間單責備註報業號類別簽約動鎮區縣慶懷寧開會東廣與陽"
    "肇慶門廠設總數計實設萬億竣負問題銷處進劃無當屬歲點節達過標記況狀態應續"
    "聯繫電話填審園級於們舉體產權證書對這將內發貨運輸電機裝備製造醫藥紡織飲車銀"
    "徑啟貿億試驗特別粵桂專鄉鎮廳書記長來圖況項劃餘優質氣壓閥錶輛離準確認"
)
_SIMP = (
    "项称资额际划开动竣产时间单责备注报业号类别签约动镇区县庆怀宁开会东广与阳"
    "肇庆门厂设总数计实设万亿竣负问题销处进划无当属岁点节达过标记况状态应续"
    "联系电话填审园级于们举体产权证书对这将内发货运输电机装备制造医药纺织饮车银"
    "径启贸亿试验特别粤桂专乡镇厅书记长来图况项划余优质气压阀表辆离准确认"
)
assert len(_TRAD) == len(_SIMP)
_T2S = str.maketrans(_TRAD, _SIMP)

_SPACE = re.compile(r"\s+")
# Characters dropped from header keys: whitespace and punctuation that varies between
# ledgers (brackets and units are kept apart by the caller before this).
_HEADER_DROP = re.compile(r"[\s:：、，,．.·*＊#№/\\\-—_（）()\[\]【】<>《》\"'“”‘’]+")
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


_TRAD_CHAR = re.compile("[" + re.escape(_TRAD) + "]")

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
    """Map the traditional characters that occur in ledgers to simplified ones."""
    if _TRAD_CHAR.search(text) is None:  # most text has none: skip the per-character map
        return text
    return text.translate(_T2S)


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
