"""A page for the phone: one tall PNG, 1080 px wide, per county and per supervision group.

Forwarded in a chat, it must be read without zooming: every text is at least 28 px high at
that width, in the CJK font the charts use (:mod:`zqcampaign.charts.fonts`; a character
that font lacks is drawn by the next font of the charts' family list). Pages are drawn with
PIL: a page of text needs no axes, and it is many times faster than matplotlib. It shows the
headline figures and flag, the red and yellow projects with their reasons, the open problems
past their 解决时限 and the next supervision day (:class:`~zqcampaign.output.briefs.Brief`).
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pandas as pd

from zqcampaign.output.briefs import Brief, briefs

if TYPE_CHECKING:
    from zqcampaign.campaign import Campaign
    from zqcampaign.config import Config

__all__ = ["MIN_FONT_PX", "WIDTH_PX", "PhonePage", "phone_page", "write_phone_pages"]

WIDTH_PX = 1080
MIN_FONT_PX = 28
_MARGIN = 56
_SIZES = {"title": 54, "sub": 30, "big": 46, "section": 36, "body": 30, "small": 28}
_LINE = 1.42
_FLAG_WORDS = {"red": "红色", "yellow": "黄色", "blue": "蓝色"}
_WEEKDAYS = "一二三四五六日"
_YELLOW_TEXT = "#9a6700"  # the yellow flag as text: darker than the bar colour, to read on white


@dataclass
class _Line:
    text: str
    size: int
    color: str = "#1f1f1f"
    weight: str = "normal"
    indent: int = 0
    gap: int = 0  # space above [px]
    badge: str | None = None  # a flag colour: draw the text in a filled box


def _pct(v: float) -> str:
    return "—" if pd.isna(v) else f"{v * 100:.1f}%"


def _day(day: pd.Timestamp) -> str:
    return f"{day.year}年{day.month}月{day.day}日（星期{_WEEKDAYS[day.weekday()]}）"


def _lines(brief: Brief, config: Config) -> list[_Line]:
    from zqcampaign.charts.style import FLAG_COLORS, MUTED

    h = brief.headline
    as_of = brief.as_of
    out = [
        _Line(f"{brief.name}", _SIZES["title"], weight="bold"),
        _Line(
            f"{config.campaign_name} · 截至{as_of.year}年{as_of.month}月{as_of.day}日",
            _SIZES["sub"],
            color=MUTED,
        ),
    ]
    if isinstance(h["flag"], str):
        out.append(
            _Line(
                f" {_FLAG_WORDS[h['flag']]}标识 ",
                _SIZES["section"],
                weight="bold",
                gap=18,
                badge=FLAG_COLORS[h["flag"]],
            )
        )
    out += [
        _Line(f"完成率 {_pct(h['rate'])}", _SIZES["big"], weight="bold", gap=14),
        _Line(
            f"序时目标 {_pct(h['expected'])}，差距 {h['gap'] * 100:+.1f} 个百分点"
            if pd.notna(h["gap"])
            else "序时目标 —",
            _SIZES["body"],
        ),
        _Line(
            f"三类项目 {h['total']} 个，已完成 {h['achieved']} 个；红色 {len(brief.red)} 个、"
            f"黄色 {len(brief.yellow)} 个；超期问题 {len(brief.overdue)} 个",
            _SIZES["body"],
        ),
    ]
    if brief.kind == "group" and len(brief.completion) > 1:
        for row in brief.completion.itertuples():
            word = _FLAG_WORDS.get(row.flag, "—") if isinstance(row.flag, str) else "—"
            out.append(
                _Line(
                    f"{row.county}：完成率 {_pct(row.rate)}，{word}",
                    _SIZES["body"],
                    color={**FLAG_COLORS, "yellow": _YELLOW_TEXT}.get(row.flag, MUTED)
                    if isinstance(row.flag, str)
                    else MUTED,
                    indent=20,
                )
            )
    group = brief.kind == "group"
    for key, frame in (("red", brief.red), ("yellow", brief.yellow)):
        title = "红色警告项目" if key == "red" else "黄色预警项目"
        colour = FLAG_COLORS["red"] if key == "red" else _YELLOW_TEXT
        out.append(_Line(f"{title}（{len(frame)}个）", _SIZES["section"], colour, "bold", gap=34))
        if frame.empty:
            out.append(_Line("无", _SIZES["body"], color=MUTED, indent=20))
        for i, row in enumerate(frame.itertuples(), start=1):
            where = f"【{row.county}】" if group else ""
            out.append(_Line(f"{i}. {where}{row.name}", _SIZES["body"], weight="bold", gap=10))
            out.append(_Line(str(row.reason), _SIZES["small"], indent=40))
            if isinstance(row.responsible_unit, str):
                out.append(
                    _Line(f"责任单位：{row.responsible_unit}", _SIZES["small"], MUTED, indent=40)
                )
    out.append(
        _Line(
            f"超过解决时限的问题（{len(brief.overdue)}个）",
            _SIZES["section"],
            FLAG_COLORS["red"],
            "bold",
            gap=34,
        )
    )
    if brief.overdue.empty:
        out.append(_Line("无", _SIZES["body"], color=MUTED, indent=20))
    for i, p in enumerate(brief.overdue.itertuples(), start=1):
        where = f"【{p.county}】" if group else ""
        out.append(_Line(f"{i}. {where}{p.name}：{p.problem}", _SIZES["body"], gap=10))
        out.append(
            _Line(
                f"时限 {p.deadline.month}月{p.deadline.day}日，已超期 {p.days_overdue} 天，{p.level}督办",
                _SIZES["small"],
                FLAG_COLORS["red"],
                indent=40,
            )
        )
    day = brief.supervision_day
    out.append(
        _Line(
            f"下一个项目落地集中督导日：{_day(day)}"
            if day is not None
            else "本期大会战督导日已全部结束",
            _SIZES["section"],
            weight="bold",
            gap=40,
        )
    )
    out.append(_Line(config.source_line, _SIZES["small"], color=MUTED, gap=24))
    return out


def _wrapped(lines: list[_Line]) -> list[_Line]:
    from zqcampaign.charts.fonts import wrap_text

    out = []
    for line in lines:
        if line.badge is not None:
            out.append(line)
            continue
        # a numbered item's continuation lines hang under its text
        hang = 40 if re.match(r"^\d+\. ", line.text) else 0
        width = WIDTH_PX - 2 * _MARGIN - line.indent - hang
        for k, part in enumerate(wrap_text(line.text, width, line.size).split("\n")):
            indent = line.indent + (hang if k else 0)
            out.append(
                _Line(part, line.size, line.color, line.weight, indent, line.gap if k == 0 else 0)
            )
    return out


@dataclass(frozen=True)
class PhonePage:
    """A drawn phone page: the image and every run of text with the font file drawing it."""

    image: Any  # PIL.Image.Image, WIDTH_PX wide
    runs: tuple[tuple[str, int, Path], ...]  # (text, size [px], font file)

    @property
    def text(self) -> str:
        return "".join(r[0] for r in self.runs)


def _runs(text: str, paths: list[Path]) -> list[tuple[str, Path]]:
    """``text`` split into runs, each drawn by the first font of ``paths`` that has its glyphs."""
    from zqcampaign.charts.fonts import glyph_set

    sets = [glyph_set(p) for p in paths]
    out: list[tuple[str, Path]] = []
    for char in text:
        owner = next((p for p, g in zip(paths, sets, strict=True) if ord(char) in g), paths[0])
        if char == " " and out:
            owner = out[-1][1]
        if out and out[-1][1] == owner:
            out[-1] = (out[-1][0] + char, owner)
        else:
            out.append((char, owner))
    return out


@functools.cache
def font(path: Path, size: int) -> Any:
    """PIL font of ``path`` at ``size`` px (loading a CJK font file takes a while: cached)."""
    from PIL import ImageFont

    return ImageFont.truetype(str(path), size)


def phone_page(brief: Brief, config: Config) -> PhonePage:
    """The phone page of one brief, drawn with PIL in the charts' CJK font (1 pt = 1 px)."""
    from PIL import Image, ImageDraw

    from zqcampaign.charts.fonts import font_paths
    from zqcampaign.charts.style import FLAG_COLORS

    paths = font_paths()
    lines = _wrapped(_lines(brief, config))
    heights = [ln.gap + ln.size * _LINE for ln in lines]
    height = int(2 * _MARGIN + sum(heights) + 12)
    image = Image.new("RGB", (WIDTH_PX, height), "white")
    draw = ImageDraw.Draw(image)
    band = brief.headline["flag"]
    if isinstance(band, str):
        draw.rectangle((0, 0, WIDTH_PX, 15), fill=FLAG_COLORS[band])
    runs = []
    y = float(_MARGIN)
    for ln, h in zip(lines, heights, strict=True):
        y += ln.gap
        x = float(_MARGIN + ln.indent)
        pieces = _runs(ln.text, paths)
        if ln.badge is not None:  # a box around the ink of the text
            left, top, right, bottom = draw.textbbox(
                (x, y), ln.text, font=font(pieces[0][1], ln.size), anchor="la"
            )
            pad = 0.25 * ln.size
            draw.rounded_rectangle(
                (left - pad, top - pad, right + pad, bottom + pad), radius=int(pad), fill=ln.badge
            )
        colour = ln.color if ln.badge is None else ("#1f1f1f" if band == "yellow" else "white")
        for text, path in pieces:
            f = font(path, ln.size)
            draw.text((x, y), text, font=f, fill=colour, anchor="la")
            x += f.getlength(text)
            runs.append((text, ln.size, path))
        y += h - ln.gap
    return PhonePage(image=image, runs=tuple(runs))


def write_phone_pages(camp: Campaign, out_dir: str | Path, *, as_of: object = None) -> list[Path]:
    """Write ``<county or group>.png`` for every county with projects and every group.

    Parameters
    ----------
    camp
        The loaded campaign.
    out_dir
        Folder for the pages (created if missing).
    as_of
        The briefing date (default: the latest report date).
    """
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    written = []
    for brief in briefs(camp, as_of, counties="all"):
        page = phone_page(brief, camp.config)
        path = out / f"{brief.name}.png"
        page.image.save(path, compress_level=1)  # text on white: small even at level 1
        written.append(path)
    return written
