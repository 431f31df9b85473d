"""Slide layout for the briefing deck: measured text boxes, paginated tables, footers.

Every box is laid out from the text it holds: lines are wrapped with the advances of the
CJK font the charts use (:func:`zqcampaign.charts.fonts.wrap_text`, with a safety margin so
a renderer never needs more lines than measured), and a box's height is its line count
times the line height. A table whose rows do not fit above the footer continues on a new
slide titled ``（续）`` with its header repeated, so no row is ever dropped and nothing runs
into the footer or off the slide. :attr:`Deck.placed` records every shape's measured
rectangle (the geometry tests read it).

Runs declare their fonts for both scripts: ``a:latin`` (Arial) and ``a:ea`` (微软雅黑, the
East Asian typeface PowerPoint and WPS use for Chinese), with ``lang="zh-CN"``, so a
viewer picks a Chinese face for Chinese text; :mod:`zqcampaign.output.pdf` maps both names
to the bundled Noto Sans SC when it converts the deck.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

__all__ = [
    "BODY_BOTTOM",
    "BODY_TOP",
    "CJK_FONT",
    "FOOTER_TOP",
    "LATIN_FONT",
    "SLIDE_H",
    "SLIDE_W",
    "Deck",
    "Placed",
    "lines_of",
    "row_height",
]

SLIDE_W, SLIDE_H = 13.333, 7.5  # [inch], 16:9
MARGIN = 0.5
TITLE_TOP, TITLE_SIZE = 0.3, 26.0
SUBTITLE_SIZE = 14.0
BODY_TOP = 1.45
FOOTER_TOP = 7.0  # the footer band: 7.0 in to 7.4 in
FOOTER_SIZE = 10.0
BODY_BOTTOM = FOOTER_TOP - 0.1
CJK_FONT = "Microsoft YaHei"
LATIN_FONT = "Arial"
LINE = 1.5  # line height / font size (Noto Sans SC: ascent + descent = 1.448 em)
CELL_X, CELL_Y = 0.08, 0.04  # cell margins [inch]
WIDTH_SLACK = 0.96  # measure against 96 % of the width: renderers' metrics differ a little
_EMU = 914400


@dataclass(frozen=True)
class Placed:
    """A shape's measured rectangle [inch] on slide ``slide`` (0-based); ``role`` is
    ``title``, ``subtitle``, ``body``, ``table``, ``picture`` or ``footer``."""

    slide: int
    role: str
    left: float
    top: float
    width: float
    height: float

    @property
    def bottom(self) -> float:
        return self.top + self.height

    @property
    def right(self) -> float:
        return self.left + self.width


def lines_of(text: str, width_in: float, size: float) -> int:
    """Lines ``text`` takes in a box ``width_in`` inches wide at ``size`` points."""
    from zqcampaign.charts.fonts import wrap_text

    if not text:
        return 1
    return wrap_text(str(text), max(width_in, 0.1) * 72 * WIDTH_SLACK, size).count("\n") + 1


def _height(lines: int, size: float) -> float:
    return lines * size * LINE / 72


def row_height(cells: Sequence[str], widths: Sequence[float], size: float) -> float:
    """Measured height [inch] of a table row: its tallest cell plus the cell margins."""
    most = max(
        (lines_of(t, w - 2 * CELL_X, size) for t, w in zip(cells, widths, strict=True)),
        default=1,
    )
    return _height(most, size) + 2 * CELL_Y


def _style_run(run: Any, size: float, bold: bool = False, rgb: str | None = None) -> None:
    from pptx.dml.color import RGBColor
    from pptx.oxml.ns import qn
    from pptx.util import Pt

    font = run.font
    font.size = Pt(size)
    font.bold = bold
    font.name = LATIN_FONT
    if rgb is not None:
        font.color.rgb = RGBColor.from_string(rgb.lstrip("#").upper())
    r_pr = run._r.get_or_add_rPr()
    r_pr.set("lang", "zh-CN")
    r_pr.set("altLang", "en-US")
    for tag in ("a:ea", "a:cs"):
        old = r_pr.find(qn(tag))
        if old is not None:
            r_pr.remove(old)
    latin = r_pr.find(qn("a:latin"))
    from lxml import etree

    ea = etree.SubElement(r_pr, qn("a:ea"))
    ea.set("typeface", CJK_FONT)
    ea.set("charset", "-122")  # GB2312
    cs = etree.SubElement(r_pr, qn("a:cs"))
    cs.set("typeface", LATIN_FONT)
    latin.addnext(ea)
    ea.addnext(cs)


def _fill_frame(
    frame: Any,
    lines: Sequence[str],
    size: float,
    *,
    bold: bool = False,
    rgb: str | None = None,
    align: str | None = None,
) -> None:
    from pptx.enum.text import MSO_AUTO_SIZE, PP_ALIGN

    frame.clear()
    frame.word_wrap = True
    frame.auto_size = MSO_AUTO_SIZE.NONE
    for i, line in enumerate(lines):
        para = frame.paragraphs[0] if i == 0 else frame.add_paragraph()
        if align == "right":
            para.alignment = PP_ALIGN.RIGHT
        elif align == "center":
            para.alignment = PP_ALIGN.CENTER
        run = para.add_run()
        run.text = line
        _style_run(run, size, bold=bold, rgb=rgb)


class Deck:
    """A 16:9 deck laid out by measurement.

    Parameters
    ----------
    footer
        The footer's left text (source line and as-of date) on every slide but the first.
    cont
        The continuation mark appended to a paginated table's title (``（续）``).
    """

    def __init__(self, footer: str, cont: str):
        from pptx import Presentation
        from pptx.util import Emu

        self.prs = Presentation()
        self.prs.slide_width, self.prs.slide_height = Emu(12192000), Emu(6858000)
        self._blank = self.prs.slide_layouts[6]
        self.footer = footer
        self.cont = cont
        self.titles: list[str] = []
        self.placed: list[Placed] = []

    # -- shapes ----------------------------------------------------------------------------
    @property
    def index(self) -> int:
        return len(self.prs.slides) - 1

    def slide(self, title: str, subtitle: str | None = None) -> tuple[Any, float]:
        """A new slide with its title (and subtitle); returns it and the top of its body."""
        slide = self.prs.slides.add_slide(self._blank)
        self.titles.append(title)
        top = TITLE_TOP
        top += self.text(slide, title, MARGIN, top, SLIDE_W - 2 * MARGIN, TITLE_SIZE, bold=True, role="title")  # fmt: skip
        if subtitle:
            top += 0.05
            top += self.text(slide, subtitle, MARGIN, top, SLIDE_W - 2 * MARGIN, SUBTITLE_SIZE, rgb="#555555", role="subtitle")  # fmt: skip
        return slide, max(top + 0.15, BODY_TOP)

    def blank(self, title: str) -> Any:
        """A new slide without a title box (the title slide); ``title`` names it."""
        slide = self.prs.slides.add_slide(self._blank)
        self.titles.append(title)
        return slide

    def text(
        self,
        slide: Any,
        lines: str | Sequence[str],
        left: float,
        top: float,
        width: float,
        size: float,
        *,
        bold: bool = False,
        rgb: str | None = None,
        role: str = "body",
        align: str | None = None,
        gap: float = 0.0,
    ) -> float:
        """A text box of measured height; returns the height [inch]. ``gap``: space after
        each paragraph [pt]."""
        from pptx.util import Emu, Pt

        paras = [lines] if isinstance(lines, str) else list(lines)
        count = sum(lines_of(p, width, size) for p in paras)
        height = _height(count, size) + gap * len(paras) / 72
        box = slide.shapes.add_textbox(
            Emu(int(left * _EMU)), Emu(int(top * _EMU)), Emu(int(width * _EMU)), Emu(int(height * _EMU))
        )  # fmt: skip
        frame = box.text_frame
        frame.margin_left = frame.margin_right = frame.margin_top = frame.margin_bottom = 0
        _fill_frame(frame, paras, size, bold=bold, rgb=rgb, align=align)
        if gap:
            for para in frame.paragraphs:
                para.space_after = Pt(gap)
        self.placed.append(Placed(self.index, role, left, top, width, height))
        return height

    def picture(self, slide: Any, path: str, left: float, top: float, width: float, height: float,
                *, index: int | None = None, at: int | None = None) -> None:  # fmt: skip
        """A picture on ``slide``; ``index`` (default: the last slide) and ``at`` (position
        in :attr:`placed`, default: the end) when it is placed after later slides."""
        from pptx.util import Emu

        slide.shapes.add_picture(
            str(path), Emu(int(left * _EMU)), Emu(int(top * _EMU)), Emu(int(width * _EMU)), Emu(int(height * _EMU))
        )  # fmt: skip
        placed = Placed(self.index if index is None else index, "picture", left, top, width, height)
        self.placed.insert(len(self.placed) if at is None else at, placed)

    def _table(
        self,
        slide: Any,
        top: float,
        header: Sequence[str],
        rows: Sequence[Sequence[str]],
        widths: Sequence[float],
        heights: Sequence[float],
        size: float,
        fills: Sequence[str | None] | None,
        fill_col: int | None,
    ) -> None:
        from pptx.dml.color import RGBColor
        from pptx.util import Emu

        width = sum(widths)
        total = sum(heights)
        shape = slide.shapes.add_table(
            len(rows) + 1, len(header), Emu(int(MARGIN * _EMU)), Emu(int(top * _EMU)),
            Emu(int(width * _EMU)), Emu(int(total * _EMU)),
        )  # fmt: skip
        table = shape.table
        for j, w in enumerate(widths):
            table.columns[j].width = Emu(int(w * _EMU))
        for i, h in enumerate(heights):
            table.rows[i].height = Emu(int(h * _EMU))
        for i, row in enumerate([list(header), *rows]):
            for j, value in enumerate(row):
                cell = table.cell(i, j)
                cell.margin_left = cell.margin_right = Emu(int(CELL_X * _EMU))
                cell.margin_top = cell.margin_bottom = Emu(int(CELL_Y * _EMU))
                colour = None
                if i > 0 and fills is not None and j == fill_col and fills[i - 1]:
                    cell.fill.solid()
                    cell.fill.fore_color.rgb = RGBColor.from_string(fills[i - 1][0].lstrip("#"))
                    colour = fills[i - 1][1]
                _fill_frame(cell.text_frame, [str(value)], size, bold=i == 0, rgb=colour)
        self.placed.append(Placed(self.index, "table", MARGIN, top, width, total))

    def table(
        self,
        title: str,
        subtitle: str | None,
        header: Sequence[str],
        rows: Sequence[Sequence[Any]],
        widths: Sequence[float],
        *,
        size: float = 11.0,
        fills: Sequence[tuple[str, str] | None] | None = None,
        fill_col: int | None = None,
        empty: str = "—",
        above: Sequence[str] = (),
    ) -> int:
        """A table over as many slides as its measured rows need; returns the slide count.

        ``fills``: per row, (cell colour, text colour) for column ``fill_col`` or None.
        ``above``: lines of text set above the table on the first slide.
        """
        text_rows = [["" if v is None else str(v) for v in r] for r in rows]
        if not text_rows:
            text_rows = [[empty] + [""] * (len(header) - 1)]
            fills = None
        head_h = row_height(header, widths, size)
        heights = [row_height(r, widths, size) for r in text_rows]
        pages, start = 0, 0
        while start < len(text_rows):
            slide, top = self.slide(title + (self.cont if pages else ""), subtitle)
            if above and not pages:
                top += self.text(slide, list(above), MARGIN, top, SLIDE_W - 2 * MARGIN, 14.0) + 0.15
            room = BODY_BOTTOM - top - head_h
            end, used = start, 0.0
            while end < len(text_rows) and (used + heights[end] <= room or end == start):
                used += heights[end]
                end += 1
            self._table(
                slide, top, header, text_rows[start:end], widths, [head_h, *heights[start:end]],
                size, None if fills is None else fills[start:end], fill_col,
            )  # fmt: skip
            start = end
            pages += 1
        return pages

    # -- finishing ---------------------------------------------------------------------------
    def finish(self, page_label: str = "{n} / {total}") -> None:
        """Footer (source and date at the left, page number at the right) on every slide but
        the title slide."""
        total = len(self.prs.slides)
        for i, slide in enumerate(self.prs.slides):
            if i == 0:
                continue
            self._footer(slide, i, page_label.format(n=i + 1, total=total))

    def _footer(self, slide: Any, index: int, page: str) -> None:
        from pptx.util import Emu

        h = _height(1, FOOTER_SIZE)
        for text, left, width, align in (
            (self.footer, MARGIN, SLIDE_W - 2 * MARGIN - 1.2, None),
            (page, SLIDE_W - MARGIN - 1.2, 1.2, "right"),
        ):
            box = slide.shapes.add_textbox(
                Emu(int(left * _EMU)), Emu(int(FOOTER_TOP * _EMU)), Emu(int(width * _EMU)), Emu(int(h * _EMU))
            )  # fmt: skip
            frame = box.text_frame
            frame.margin_left = frame.margin_right = frame.margin_top = frame.margin_bottom = 0
            _fill_frame(frame, [text], FOOTER_SIZE, rgb="#6E6E6E", align=align)
            self.placed.append(Placed(index, "footer", left, FOOTER_TOP, width, h))

    def save(self, path: Any) -> None:
        self.prs.save(str(path))
