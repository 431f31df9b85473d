"""Slide style for charts: palette, slide sizes, font sizes, labels, a style context.

The flag colours are fixed for every chart (blue on plan, yellow warning, red warning) and
chosen so that they stay apart when a slide is printed in grey: their grey values (ITU-R
BT.601 luma, what a greyscale printer or ``PIL.Image.convert("L")`` uses) differ pairwise by
more than 50 of 255. Yellow and red bars also carry a hatch, so colour is never the only cue.

Nothing here changes matplotlib's global settings: :func:`chart_style` is a context manager
around :func:`matplotlib.rc_context`, and chart text gets an explicit font family list.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from typing import Any

from zqcampaign import labels
from zqcampaign.schema import CATEGORIES

__all__ = [
    "CATEGORY_COLORS",
    "FLAG_COLORS",
    "FLAG_HATCHES",
    "FLAG_ORDER",
    "FONT_SIZES",
    "INK",
    "LANGS",
    "MUTED",
    "NO_DATA",
    "PALE",
    "SERIES_COLORS",
    "SIZES",
    "category_label",
    "chart_style",
    "check_lang",
    "check_size",
    "county_label",
    "flag_label",
    "format_date",
    "format_month",
    "format_short_date",
    "grey_value",
    "label",
    "percent",
    "rc_params",
    "stage_label",
]

#: Languages of chart text.
LANGS: tuple[str, ...] = labels.LANGS

#: Figure sizes [inch]: a full 16:9 slide (PowerPoint widescreen, 13.333 × 7.5 in), the
#: left or right half of one, and ``"body"``: the chart area of a briefing slide under its
#: title and above its footer (drawn without title and source line; the slide has them).
SIZES: dict[str, tuple[float, float]] = {
    "full": (13.333, 7.5),
    "half": (6.667, 7.5),
    "body": (12.333, 5.5),
}

#: Font sizes [pt], the same on both slide sizes (the slide is the same physical size).
FONT_SIZES: dict[str, float] = {
    "title": 20.0,
    "subtitle": 12.5,
    "label": 12.0,
    "tick": 11.0,
    "annotation": 10.0,
    "small": 9.0,
    "source": 9.0,
}

#: Flag order and colours: one definition, in :mod:`zqcampaign.labels`.
FLAG_ORDER = labels.FLAG_ORDER
FLAG_COLORS = labels.FLAG_COLORS

#: Hatches carried by flagged bars (redundant with colour for grey print).
FLAG_HATCHES: dict[str, str] = {"blue": "", "yellow": "///", "red": "xxx"}

#: The three categories (not flags): muted teal, slate, violet.
CATEGORY_COLORS: dict[str, str] = dict(
    zip(CATEGORIES, ("#2a9d8f", "#5c6b7a", "#8e6cc0"), strict=True)
)

#: Lines of several counties in one chart (none of them a flag colour).
SERIES_COLORS: tuple[str, ...] = (
    "#2a9d8f",
    "#8e6cc0",
    "#e07a3f",
    "#5c6b7a",
    "#c2549d",
    "#6a994e",
    "#8d6e63",
    "#3d5a80",
)

INK = "#1f1f1f"  # titles, the city line, markers
MUTED = "#6e6e6e"  # subtitles, source line, notes
PALE = "#d9d9d9"  # grid, empty cells, bar backgrounds
NO_DATA = "#bdbdbd"  # a group without projects

#: Words of chart text come from the label catalogue (one place for both languages).
check_lang = labels.check_lang
label = labels.text
flag_label = labels.flag_label
category_label = labels.category_label
stage_label = labels.stage_label
county_label = labels.county_label
format_date = labels.format_date
format_month = labels.format_month
format_short_date = labels.format_short_date


def check_size(size: str) -> tuple[float, float]:
    """Figure size [inch] of a slide size name; ValueError naming the choices otherwise."""
    if size not in SIZES:
        raise ValueError(f"size must be one of {', '.join(map(repr, SIZES))}, got {size!r}")
    return SIZES[size]


def percent(value: float, digits: int = 0) -> str:
    """``0.625`` -> ``"63%"`` (``"—"`` for a missing value)."""
    import math

    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "—"
    return f"{value * 100:.{digits}f}%"


def grey_value(color: str) -> float:
    """Grey value of a colour when printed in greyscale (ITU-R BT.601 luma) [0-255]."""
    from matplotlib.colors import to_rgb

    r, g, b = to_rgb(color)
    return 255 * (0.299 * r + 0.587 * g + 0.114 * b)


def rc_params() -> dict[str, Any]:
    """matplotlib settings of the slide style (fonts as an explicit family list)."""
    from zqcampaign.charts.fonts import font_families

    return {
        "font.family": font_families(),
        "font.size": FONT_SIZES["label"],
        "axes.titlesize": FONT_SIZES["label"],
        "axes.labelsize": FONT_SIZES["label"],
        "axes.labelcolor": INK,
        "axes.edgecolor": "#9e9e9e",
        "axes.linewidth": 0.8,
        "axes.spines.top": False,
        "axes.spines.right": False,
        "axes.unicode_minus": True,
        "axes.axisbelow": True,
        "axes.grid": False,
        "grid.color": PALE,
        "grid.linewidth": 0.7,
        "xtick.labelsize": FONT_SIZES["tick"],
        "ytick.labelsize": FONT_SIZES["tick"],
        "xtick.color": "#4d4d4d",
        "ytick.color": "#4d4d4d",
        "legend.fontsize": FONT_SIZES["annotation"],
        "legend.frameon": False,
        "text.color": INK,
        "hatch.linewidth": 0.8,
        "figure.facecolor": "white",
        "savefig.facecolor": "white",
        "svg.fonttype": "path",
    }


@contextlib.contextmanager
def chart_style() -> Iterator[None]:
    """Context in which charts are built: the slide rc settings, restored on exit.

    Examples
    --------
    >>> from zqcampaign.charts.style import chart_style
    >>> with chart_style():
    ...     fig = zq.charts.completion_by_county(camp)  # doctest: +SKIP
    """
    import matplotlib as mpl

    with mpl.rc_context(rc_params()):
        yield
