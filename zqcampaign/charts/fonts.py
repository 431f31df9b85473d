"""CJK font discovery and fallback for charts: Chinese text without missing-glyph boxes.

Charts draw every text with an explicit family list (never the generic ``sans-serif``), so
the result does not depend on the user's matplotlib settings and nothing global changes:

1. ``ZQCAMPAIGN_FONT`` when set (a font file path or an installed family name);
2. else the first of :data:`PREFERRED_FAMILIES` that matplotlib knows on this machine and
   that really covers Chinese (Microsoft YaHei, PingFang SC, Noto Sans CJK SC, …);
3. else the bundled **Noto Sans SC** (SIL Open Font License 1.1), which arrives with
   ``pip install`` through the data-only package ``pylopdf-fonts-zh-cn``.

The bundled font always follows the chosen one in the family list (a glyph a system font
lacks falls back to it), and DejaVu Sans (shipped with matplotlib) comes last. Fonts are
registered with matplotlib's font manager at the first chart, not at ``import zqcampaign``.
"""

from __future__ import annotations

import functools
import itertools
import os
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from zqcampaign.errors import FontNotFoundError

if TYPE_CHECKING:
    from matplotlib.font_manager import FontProperties

__all__ = [
    "BUNDLED_FAMILY",
    "ENV_VAR",
    "PREFERRED_FAMILIES",
    "PROBE_TEXT",
    "CJKFont",
    "bundled_font_path",
    "choose_family",
    "cjk_font",
    "font_families",
    "font_properties",
    "glyph_set",
    "is_cff",
    "missing_glyphs",
    "preload",
    "reset",
    "text_width",
    "wrap_text",
]

#: Environment variable naming a font file or family to use instead of the search.
ENV_VAR = "ZQCAMPAIGN_FONT"

#: Installed fonts preferred over the bundled one, best first (matplotlib family names).
PREFERRED_FAMILIES: tuple[str, ...] = (
    "Microsoft YaHei",
    "PingFang SC",
    "Noto Sans CJK SC",
    "Source Han Sans SC",
    "Source Han Sans CN",
    "Noto Sans SC",
    "Hiragino Sans GB",
    "WenQuanYi Micro Hei",
    "WenQuanYi Zen Hei",
)

#: Family name of the bundled font.
BUNDLED_FAMILY = "Noto Sans SC"

#: A system font is used only if it has a glyph for every character of this text.
PROBE_TEXT = (
    "肇庆市四会怀集县粤桂合作特别试验区已签约未供地动工竣工投产完成率（）：、，％0123456789%"
)

_FALLBACK_FAMILY = "DejaVu Sans"


@dataclass(frozen=True)
class CJKFont:
    """The font charts draw Chinese with.

    Attributes
    ----------
    family
        Family name as matplotlib knows it (``"Noto Sans SC"``).
    path
        The font file.
    source
        ``"environment"`` (from ``ZQCAMPAIGN_FONT``), ``"system"`` or ``"bundled"``.
    """

    family: str
    path: Path
    source: str


def bundled_font_path() -> Path:
    """Path of the bundled Noto Sans SC (``NotoSansSC-Regular.otf``).

    Raises
    ------
    FontNotFoundError
        When the ``pylopdf-fonts-zh-cn`` package is not installed.
    """
    try:
        import pylopdf_fonts_zh_cn
    except ImportError:  # pragma: no cover - it is a declared dependency
        raise FontNotFoundError(
            "未找到中文字体：请安装 pylopdf-fonts-zh-cn（pip install pylopdf-fonts-zh-cn），"
            f"或用环境变量 {ENV_VAR} 指定字体文件"
        ) from None
    path = Path(pylopdf_fonts_zh_cn.sans_path())
    if not path.is_file():  # pragma: no cover - a broken install
        raise FontNotFoundError(f"字体文件缺失：{path}（请重新安装 pylopdf-fonts-zh-cn）")
    return path


@functools.cache
def _best_cmap(path: str, face_index: int) -> dict[int, str]:
    """A font file's best Unicode cmap (code point -> glyph name), read once via fontTools
    (a CJK font has tens of thousands of entries)."""
    from fontTools.ttLib import TTFont

    with TTFont(path, fontNumber=face_index, lazy=True) as font:
        return dict(font.getBestCmap() or {})


@functools.cache
def glyph_set(path: str | Path, face_index: int = 0) -> frozenset[int]:
    """Code points a font file has glyphs for (its best Unicode cmap), via fontTools."""
    return frozenset(_best_cmap(os.fsdecode(path), face_index))


def is_cff(path: str | Path) -> bool:
    """True for OpenType fonts with PostScript (CFF) outlines, e.g. ``.otf`` Noto Sans SC.

    matplotlib's PDF backend cannot embed those as Type 42 (TrueType); charts are then saved
    with Type 3 fonts instead (see :func:`zqcampaign.charts.save`).
    """
    with open(path, "rb") as fh:
        head = fh.read(4)
    if head == b"ttcf":
        return False
    return head == b"OTTO"


def missing_glyphs(text: str, paths: Sequence[str | Path]) -> list[str]:
    """Characters of ``text`` (other than whitespace) that none of the font files cover."""
    sets = [glyph_set(p) for p in paths]
    return [
        c for c in dict.fromkeys(text) if not c.isspace() and not any(ord(c) in s for s in sets)
    ]


def _register(path: Path) -> str:
    """Add a font file to matplotlib's font manager once; return its family name."""
    from matplotlib import font_manager

    fname = os.fsdecode(path)
    name = font_manager.FontProperties(fname=fname).get_name()
    known = font_manager.fontManager.ttflist
    if not any(e.fname == fname and e.name == name for e in known):
        font_manager.fontManager.addfont(fname)
    return name


def choose_family(
    entries: Iterable[object],
    preferred: Sequence[str] = PREFERRED_FAMILIES,
    probe: str = PROBE_TEXT,
) -> tuple[str, Path] | None:
    """The first preferred family among font entries whose file covers ``probe``.

    Parameters
    ----------
    entries
        Font entries with ``name`` and ``fname`` (matplotlib's ``fontManager.ttflist``).
    preferred
        Family names, best first.
    probe
        Text every character of which the font must have.

    Returns
    -------
    (family, path) or None when no preferred family is usable.
    """
    by_name: dict[str, list[str]] = {}
    for entry in entries:
        by_name.setdefault(getattr(entry, "name", ""), []).append(getattr(entry, "fname", ""))
    for family in preferred:
        for fname in by_name.get(family, []):
            try:
                if not missing_glyphs(probe, [fname]):
                    return family, Path(fname)
            except Exception:
                continue
    return None


@functools.cache
def cjk_font() -> CJKFont:
    """The CJK font charts use (cached; :func:`reset` forgets it).

    Registers the bundled font (always, as the fallback) and, for ``ZQCAMPAIGN_FONT``
    given as a file, that file with matplotlib's font manager.

    Raises
    ------
    FontNotFoundError
        When ``ZQCAMPAIGN_FONT`` names a file or family that does not exist.
    """
    from matplotlib import font_manager

    bundled = bundled_font_path()
    bundled_family = _register(bundled)

    override = os.environ.get(ENV_VAR, "").strip()
    if override:
        if Path(override).is_file():
            return CJKFont(_register(Path(override)), Path(override), "environment")
        found = choose_family(font_manager.fontManager.ttflist, (override,), probe="")
        if found is None:
            raise FontNotFoundError(f"环境变量 {ENV_VAR}={override!r}：找不到该字体文件或字体名称")
        return CJKFont(found[0], found[1], "environment")

    found = choose_family(font_manager.fontManager.ttflist)
    if found is None or found == (bundled_family, bundled):
        return CJKFont(bundled_family, bundled, "bundled")
    return CJKFont(found[0], found[1], "system")


def font_families() -> list[str]:
    """Family list for chart text: the chosen font, the bundled one, then DejaVu Sans."""
    font = cjk_font()
    families = [font.family]
    if font.family != BUNDLED_FAMILY:
        families.append(BUNDLED_FAMILY)
    families.append(_FALLBACK_FAMILY)
    return families


def font_properties(size: float | None = None, weight: str | None = None) -> FontProperties:
    """:class:`~matplotlib.font_manager.FontProperties` with the CJK family list."""
    from matplotlib.font_manager import FontProperties

    return FontProperties(family=font_families(), size=size, weight=weight)


def font_paths() -> list[Path]:
    """Files of the family list, in fallback order (what draws each character)."""
    return list(_font_paths())


@functools.cache
def _font_paths() -> tuple[Path, ...]:
    from matplotlib import font_manager

    out = []
    for family in font_families():
        prop = font_manager.FontProperties(family=family)
        out.append(Path(font_manager.fontManager.findfont(prop, fallback_to_default=False)))
    return tuple(out)


def reset() -> None:
    """Forget the chosen font (after installing a font or changing ``ZQCAMPAIGN_FONT``)."""
    cjk_font.cache_clear()
    _font_paths.cache_clear()
    _advances.cache_clear()
    _widths.cache_clear()


def preload() -> None:
    """Choose the font and read its glyph tables and advances now.

    Charts, slides and phone pages do this at their first text; the pack calls it before
    forking its helper processes, so they share what was read instead of each reading it.
    """
    import importlib

    for module in ("matplotlib.figure", "matplotlib.backends.backend_agg"):  # every chart's
        importlib.import_module(module)

    for path in _font_paths():
        glyph_set(path)
    _widths()


@functools.cache
def _advances(path: str) -> tuple[dict[int, float], float]:
    """Horizontal advance of each code point [em], and the font's average advance [em]."""
    from fontTools.ttLib import TTFont

    with TTFont(path, lazy=True) as font:
        upem = font["head"].unitsPerEm
        hmtx = font["hmtx"]
        table = {
            cp: hmtx[name][0] / upem
            for cp, name in _best_cmap(path, 0).items()
            if name in hmtx.metrics
        }
    average = sum(table.values()) / max(len(table), 1)
    return table, average


@functools.cache
def _widths() -> dict[int, float]:
    """Advance of each code point [em] in the first font of the family list that has it."""
    merged: dict[int, float] = {}
    for p in reversed(_font_paths()):  # the earlier font wins
        merged.update(_advances(os.fsdecode(p))[0])
    return merged


def text_width(text: str, size: float) -> float:
    """Width of one line of ``text`` at ``size`` points, from the font's advances [pt]
    (1 em for a character no font has)."""
    return sum(map(_widths().get, map(ord, text), itertools.repeat(1.0))) * size


_NO_LINE_START = set("，。、；：？！）》」』】”’%％·…,.;:?!)]}")
_NO_LINE_END = set("（《「『【“‘([{")


def wrap_text(text: str, width: float, size: float, max_lines: int | None = None) -> str:
    """Break ``text`` into lines no wider than ``width`` points at ``size`` points.

    Chinese may break between any two characters (not before closing punctuation or after
    opening brackets); Latin words break at spaces. With ``max_lines``, the last line ends
    in ``…`` when the text does not fit.
    """
    lines: list[str] = []
    for paragraph in text.split("\n"):
        lines.extend(_wrap_line(paragraph, width, size))
    if max_lines is not None and len(lines) > max_lines:
        lines = lines[:max_lines]
        last = lines[-1]
        while last and text_width(last + "…", size) > width:
            last = last[:-1]
        lines[-1] = last + "…"
    return "\n".join(lines)


def _tokens(text: str) -> list[str]:
    """Unbreakable pieces: a Latin word (with its trailing space) or one CJK character."""
    tokens: list[str] = []
    for char in text:
        if tokens and (
            (
                char.isascii()
                and not char.isspace()
                and tokens[-1][-1:].isascii()
                and not tokens[-1][-1:].isspace()
            )
            or char in _NO_LINE_START
            or tokens[-1][-1:] in _NO_LINE_END
            or char.isspace()
        ):
            tokens[-1] += char
        else:
            tokens.append(char)
    return tokens


def _wrap_line(text: str, width: float, size: float) -> list[str]:
    lines: list[str] = []
    current = ""
    tokens: list[str] = []
    for token in _tokens(text):  # a token wider than the line breaks between characters
        tokens.extend(token if text_width(token.rstrip(), size) > width else [token])
    for token in tokens:
        candidate = current + token
        if current and text_width(candidate.rstrip(), size) > width:
            lines.append(current.rstrip())
            current = token.lstrip()
        else:
            current = candidate
    lines.append(current.rstrip())
    return lines
