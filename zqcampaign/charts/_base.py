"""Figure scaffolding shared by the charts: slide figure, header, source line, fonts, save.

Charts are :class:`matplotlib.figure.Figure` objects created directly (not through
``pyplot``), so building or saving any number of them leaves no figure open in pyplot and
works under any backend. Every text artist gets the explicit CJK family list of
:func:`zqcampaign.charts.fonts.font_families` when the chart is finished, so the figure draws the
same later, whatever the user's matplotlib settings are by then.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from zqcampaign import labels
from zqcampaign.charts import fonts, style
from zqcampaign.charts.style import FONT_SIZES, INK, MUTED

if TYPE_CHECKING:
    from matplotlib.axes import Axes
    from matplotlib.figure import Figure

    from zqcampaign.campaign import Campaign
    from zqcampaign.config import Config

__all__ = ["SAVE_FORMATS", "Slide", "save", "slide"]

#: Formats :func:`save` writes.
SAVE_FORMATS: tuple[str, ...] = ("png", "pdf", "svg")

MIN_DPI = 200

# header and footer geometry [inch]
_MARGIN_X = 0.35
_MARGIN_TOP = 0.22
_TITLE_GAP = 0.05
_HEADER_GAP = 0.12
_MARGIN_BOTTOM = 0.12
_FOOTER_GAP = 0.10
_LINE = 1.3  # line height / font size


@dataclass
class Slide:
    """A chart being built: its figure and main axes, language and date."""

    fig: Figure
    ax: Axes | None
    lang: str
    as_of: pd.Timestamp | None
    own: bool  # True when the chart made the figure (header, footer, layout are ours)
    size: str
    legend: list[Any] | None = None  # handles laid out by decorate()

    @property
    def width(self) -> float:
        """Figure width [inch]."""
        return float(self.fig.get_figwidth())

    @property
    def height(self) -> float:
        """Figure height [inch]."""
        return float(self.fig.get_figheight())


def new_figure(size: str = "full") -> Figure:
    """An empty slide-sized figure with an Agg canvas and constrained layout.

    The figure shows itself in Jupyter (``_repr_png_``) without ``pyplot``.
    """
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    class SlideFigure(Figure):
        def _repr_png_(self) -> bytes:
            import io

            buffer = io.BytesIO()
            self.savefig(buffer, format="png", dpi=100)
            return buffer.getvalue()

    fig = SlideFigure(figsize=style.check_size(size), dpi=100, layout="constrained")
    FigureCanvasAgg(fig)
    return fig


@contextlib.contextmanager
def slide(
    *,
    lang: str,
    size: str,
    ax: Axes | None = None,
    as_of: pd.Timestamp | None = None,
    axes: bool = True,
) -> Iterator[Slide]:
    """Build a chart inside the slide style; finish its fonts on the way out.

    Parameters
    ----------
    lang, size
        Checked here (ValueError naming the choices).
    ax
        Draw into this axes of the caller's figure instead of a new slide figure.
    as_of
        The chart's date (shown in the subtitle by :func:`decorate`).
    axes
        Create one axes on a new figure (False: the chart adds its own axes).
    """
    style.check_lang(lang)
    style.check_size(size)
    with style.chart_style():
        if ax is None:
            fig = new_figure(size)
            target = fig.add_subplot() if axes else None
            s = Slide(fig, target, lang, as_of, own=True, size=size)
        else:
            s = Slide(ax.figure, ax, lang, as_of, own=False, size=size)
        yield s
        apply_fonts(s.fig if s.own else s.ax)


def apply_fonts(artist: Any) -> None:
    """Give every text under ``artist`` (a figure or axes) the CJK family list.

    Tick labels included: matplotlib copies the first tick's font to ticks it adds later,
    so labels created at draw time inherit the family too.
    """
    from matplotlib.text import Text

    families = fonts.font_families()
    for text in artist.findobj(Text):
        text.set_fontfamily(families)


def decorate(s: Slide, title: str, subtitle: str = "", *, source: str | None = None) -> None:
    """Title, subtitle and source line of a slide figure; the axes keep out of their way.

    On a caller's axes (``ax=``) only a compact axes title is set.
    """
    if not s.own:
        if s.ax is not None:
            s.ax.set_title(title, loc="left", fontsize=FONT_SIZES["label"], color=INK)
        return
    fig, width, height = s.fig, s.width, s.height
    bare = s.size == "body"  # a deck slide's chart: the slide carries title and source
    if source is None:
        source = style.label("source", s.lang)
    if bare:
        title, source = "", ""
    text_width = (width - 2 * _MARGIN_X) * 72 * 0.97  # [pt], slack for bold / kerning
    title = fonts.wrap_text(title, text_width, FONT_SIZES["title"])
    subtitle = fonts.wrap_text(subtitle, text_width, FONT_SIZES["subtitle"]) if subtitle else ""
    source = fonts.wrap_text(source, text_width, FONT_SIZES["source"])

    def lines_height(text: str, size: float) -> float:
        return (text.count("\n") + 1) * size * _LINE / 72 if text else 0.0

    x = _MARGIN_X / width

    def line(y: float, text: str, role: str, va: str, color: str) -> float:
        """Put ``text`` (its artist gid = ``role``) at figure fraction ``y``; return its
        height [inch]."""
        size = FONT_SIZES[role]
        fig.text(x, y, text, ha="left", va=va, fontsize=size, color=color, gid=role)
        return lines_height(text, size)

    y = 0.05 if bare else _MARGIN_TOP
    if title:
        y += line(1 - y / height, title, "title", "top", INK) + _TITLE_GAP
    if subtitle:
        y += line(1 - y / height, subtitle, "subtitle", "top", MUTED)
    header = y + _HEADER_GAP
    source_height = (
        line(_MARGIN_BOTTOM / height, source, "source", "bottom", MUTED) if source else 0.0
    )
    footer = (0.05 if bare else _MARGIN_BOTTOM) + source_height + (0.0 if bare else _FOOTER_GAP)
    legend = _place_legend(s, footer)
    if legend:
        footer += legend + _FOOTER_GAP
    engine = fig.get_layout_engine()
    engine.set(rect=(x, footer / height, 1.0 - 2 * x, 1.0 - (header + footer) / height))


def as_of_text(s: Slide, *details: str) -> str:
    """Subtitle: ``截至2023年9月30日`` followed by chart details, joined with `` · ``."""
    parts = []
    if s.as_of is not None:
        parts.append(style.label("as_of", s.lang, date=style.format_date(s.as_of, s.lang)))
    parts.extend(d for d in details if d)
    return " · ".join(parts)


def resolve(camp: Campaign, as_of: object) -> pd.Timestamp:
    """The chart date: ``camp.resolve_as_of`` (``None`` -> latest report date)."""
    return camp.resolve_as_of(as_of)


def wrap_labels(
    labels: Sequence[str], width_in: float, size: float, max_lines: int = 3
) -> list[str]:
    """Wrap tick labels to ``width_in`` inches at ``size`` points."""
    return [fonts.wrap_text(t, width_in * 72, size, max_lines=max_lines) for t in labels]


def own_targets(config: Config, county: str) -> list[tuple[Any, float]]:
    """A county's own (deadline, rate) completion targets: all but the default one at the
    campaign end."""
    default = (config.end, config.default_completion_target)
    return [p for p in config.completion_targets(county) if p != default]


def is_full(fig: Figure) -> bool:
    """Whether ``fig`` is full-slide wide (more than 8 in), not a half slide or a small figure."""
    return fig.get_figwidth() > 8


def label_width(fig: Figure) -> float:
    """Room for county names [inch]: 2.2 in on a full slide, 1.45 in on a half."""
    return 2.2 if is_full(fig) else 1.45


def panel_title(text: str, fig: Figure, panels: int) -> str:
    """A panel title wrapped to the width of one of ``panels`` panels beside the county names."""
    width = (fig.get_figwidth() - label_width(fig) - 1.0) / panels * 72
    return fonts.wrap_text(text, width, FONT_SIZES["label"])


def row_ticks(ax: Axes, labels: Sequence[str], width_in: float) -> None:
    """One tick label per bar row (row ``i`` at y = ``i``, the first on top), wrapped to
    ``width_in`` inches, without tick marks."""
    ax.set_yticks(np.arange(len(labels)), wrap_labels(labels, width_in, FONT_SIZES["tick"]))
    ax.set_ylim(len(labels) - 0.5, -0.5)
    ax.tick_params(axis="y", length=0)


def side_note(
    ax: Axes,
    x: float,
    y: float,
    text: str,
    *,
    color: str = INK,
    size: str | float = "annotation",
    offset: float = 7,
    xycoords: Any = "data",
) -> None:
    """Text ``offset`` points right of point (x, y), centred on it vertically, never clipped.

    ``size`` is a :data:`~zqcampaign.charts.style.FONT_SIZES` key or points; ``xycoords`` as for
    ``Axes.annotate`` (``("axes fraction", "data")`` with x = 1: right of the axes).
    """
    ax.annotate(
        text,
        (x, y),
        xycoords=xycoords,
        xytext=(offset, 0),
        textcoords="offset points",
        ha="left",
        va="center",
        fontsize=FONT_SIZES[size] if isinstance(size, str) else size,
        color=color,
        annotation_clip=False,
    )


def flag_bars(ax: Axes, bars: Any, flags: Sequence[Any]) -> None:
    """Colour and hatch bars by flag (grey with no hatch for a missing flag)."""
    for bar, flag in zip(bars, flags, strict=True):
        key = flag if isinstance(flag, str) and flag in style.FLAG_COLORS else None
        bar.set_facecolor(style.FLAG_COLORS[key] if key else style.NO_DATA)
        bar.set_edgecolor("none")
        if key and style.FLAG_HATCHES[key]:
            bar.set_hatch(style.FLAG_HATCHES[key])
            if hasattr(bar, "set_hatchcolor"):  # matplotlib >= 3.10
                bar.set_hatchcolor(_HATCH_COLORS[key])


_HATCH_COLORS = {"yellow": "#9c7400", "red": "#e8909d"}


def flag_handles(lang: str, flags: Sequence[str] = style.FLAG_ORDER) -> list[Any]:
    """Legend handles for the flag colours (with their hatches)."""
    from matplotlib.patches import Patch

    handles = []
    for flag in flags:
        kw: dict[str, Any] = {"facecolor": style.FLAG_COLORS[flag], "edgecolor": "none"}
        if style.FLAG_HATCHES[flag]:
            kw["hatch"] = style.FLAG_HATCHES[flag]
        patch = Patch(label=style.flag_label(flag, lang), **kw)
        if style.FLAG_HATCHES[flag] and hasattr(patch, "set_hatchcolor"):
            patch.set_hatchcolor(_HATCH_COLORS[flag])
        handles.append(patch)
    return handles


def marker_handle(label: str, marker: str, **kw: Any) -> Any:
    """Legend handle of a lone ink marker (no line); ``kw``: more ``Line2D`` properties."""
    from matplotlib.lines import Line2D

    return Line2D([], [], color=INK, marker=marker, linestyle="none", label=label, **kw)


def target_handle(lang: str) -> Any:
    """Legend handle of the white diamonds that mark a county's own deadline targets."""
    return marker_handle(style.label("target", lang), "D", markersize=6.5, markerfacecolor="white")


def bottom_legend(s: Slide, handles: Sequence[Any]) -> None:
    """The chart's legend: a centred row above the source line of a slide figure (laid
    out by :func:`decorate`, wrapped into more rows when too wide), or the best corner
    below a caller's axes."""
    if s.own:
        s.legend = list(handles)
    elif s.ax is not None:  # below the caller's axes, so it never covers the bars
        s.ax.legend(
            handles=list(handles),
            loc="upper center",
            bbox_to_anchor=(0.5, -0.08),
            ncols=min(len(handles), 4),
            **_LEGEND_KW,
        )


_LEGEND_KW: dict[str, Any] = {
    "frameon": False,
    "handlelength": 1.6,
    "columnspacing": 1.4,
    "fontsize": FONT_SIZES["annotation"],
}


def _place_legend(s: Slide, bottom: float) -> float:
    """Draw the stored legend with its bottom at ``bottom`` [inch]; return its height [inch]."""
    if not s.legend:
        return 0.0
    fig = s.fig
    renderer = fig.canvas.get_renderer()
    available = (s.width - 2 * _MARGIN_X) * fig.dpi
    for ncol in range(len(s.legend), 0, -1):
        legend = fig.legend(
            handles=s.legend,
            loc="lower center",
            ncol=ncol,
            bbox_to_anchor=(0.5, bottom / s.height),
            bbox_transform=fig.transFigure,
            borderaxespad=0.0,
            **_LEGEND_KW,
        )
        legend.set_in_layout(False)
        apply_fonts(legend)
        box = legend.get_window_extent(renderer)
        if box.width <= available or ncol == 1:
            return box.height / fig.dpi
        legend.remove()
    return 0.0  # pragma: no cover - the loop always returns


def percent_axis(ax: Axes, axis: str = "x", limit: float = 1.0) -> None:
    """0–``limit`` as percentages with a light grid."""
    from matplotlib.ticker import MultipleLocator, PercentFormatter

    target = ax.xaxis if axis == "x" else ax.yaxis
    target.set_major_formatter(PercentFormatter(1.0, decimals=0))
    target.set_major_locator(MultipleLocator(0.25 if limit > 0.5 else 0.1))
    (ax.set_xlim if axis == "x" else ax.set_ylim)(0, limit)
    ax.grid(axis=axis, color=style.PALE, linewidth=0.7)


def no_data(ax: Axes, lang: str, key: str = "no_data") -> None:
    """An empty axes saying there is nothing to show (the :func:`~zqcampaign.charts.style.label`
    of ``key``)."""
    ax.set_axis_off()
    ax.text(
        0.5,
        0.5,
        style.label(key, lang),
        ha="center",
        va="center",
        transform=ax.transAxes,
        fontsize=FONT_SIZES["label"],
        color=MUTED,
    )


def money(value: float, *others: float, lang: str = "zh") -> str:
    """万元 as 亿元 (``lang="zh"``) or billion yuan (``"en"``): two decimals below 10 units,
    else one (the largest of ``value`` and ``others`` decides, so numbers shown side by side
    share their decimals)."""
    if pd.isna(value):
        return "—"
    unit = labels.MONEY_UNIT[labels.check_lang(lang)]
    largest = max([abs(value), *(abs(o) for o in others if pd.notna(o))]) / unit
    return f"{value / unit:.{2 if largest < 10 else 1}f}"


def save(
    fig: Figure,
    path: str | Path,
    *,
    formats: Sequence[str] = ("png", "pdf"),
    dpi: int = 200,
) -> list[Path]:
    """Write a chart as PNG and vector files for slides and print.

    Parameters
    ----------
    fig
        A chart (or any matplotlib figure).
    path
        Target path; its suffix, if one of the formats, is replaced by each format's
        (``"out/completion.png"`` writes ``out/completion.png`` and ``out/completion.pdf``).
        Missing folders are created.
    formats
        Any of ``"png"``, ``"pdf"``, ``"svg"``.
    dpi
        Resolution of the PNG [dots per inch], at least 200.

    Returns
    -------
    list of pathlib.Path
        The files written, in the order of ``formats``.

    Notes
    -----
    The page size is the figure size (16:9 slide sizes are kept; nothing is cropped).
    SVG text is written as outlines, so it shows the same on a machine without the font.
    PDF embeds the fonts: as Type 42 when every font of the chart has TrueType outlines,
    else as Type 3 (matplotlib cannot embed CFF-flavoured OpenType such as the bundled
    Noto Sans SC as Type 42 — PDF readers then reject or warn about the file).
    """
    import matplotlib as mpl

    if isinstance(formats, str):
        formats = (formats,)
    bad = [f for f in formats if f not in SAVE_FORMATS]
    if bad or not formats:
        raise ValueError(
            f"formats must be chosen from {', '.join(map(repr, SAVE_FORMATS))}, got {formats!r}"
        )
    if not isinstance(dpi, int | float) or dpi < MIN_DPI:
        raise ValueError(f"dpi must be at least {MIN_DPI} for slides, got {dpi!r}")
    base = Path(path)
    if base.suffix.lower().lstrip(".") in SAVE_FORMATS:
        base = base.with_suffix("")
    base.parent.mkdir(parents=True, exist_ok=True)
    cff = any(fonts.is_cff(p) for p in fonts.font_paths())
    rc = {"pdf.fonttype": 3 if cff else 42, "svg.fonttype": "path", "svg.hashsalt": "zqcampaign"}
    written = []
    with mpl.rc_context(rc):
        for fmt in formats:
            out = base.with_name(f"{base.name}.{fmt}")
            metadata = {
                "png": {"Software": "zqcampaign"},
                "pdf": {"Creator": "zqcampaign"},
                "svg": {"Creator": "zqcampaign", "Date": None},
            }[fmt]
            fig.savefig(out, format=fmt, dpi=dpi, metadata=metadata, facecolor="white")
            written.append(out)
    return written
