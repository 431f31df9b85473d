"""A page for the phone: one tall PNG, 1080 px wide, per county and per supervision group.

Forwarded in a chat, it must be read without zooming: every text is at least 28 px high at
that width, in the CJK font the charts use (:mod:`zqcampaign.charts.fonts`). It shows the
headline figures and flag, the red and yellow projects with their reasons, the open problems
past their 解决时限 and the next supervision day (:class:`~zqcampaign.output.briefs.Brief`).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

import pandas as pd

from zqcampaign.output.briefs import Brief, briefs

if TYPE_CHECKING:
    from matplotlib.figure import Figure

    from zqcampaign.campaign import Campaign
    from zqcampaign.config import Config

__all__ = ["MIN_FONT_PX", "WIDTH_PX", "phone_page", "write_phone_pages"]

WIDTH_PX = 1080
MIN_FONT_PX = 28
_DPI = 72  # 1 pt = 1 px
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
        width = WIDTH_PX - 2 * _MARGIN - line.indent
        for k, part in enumerate(wrap_text(line.text, width, line.size).split("\n")):
            out.append(
                _Line(
                    part, line.size, line.color, line.weight, line.indent, line.gap if k == 0 else 0
                )
            )
    return out


def phone_page(brief: Brief, config: Config) -> Figure:
    """The phone page of one brief as a matplotlib Figure (1080 px wide at its dpi)."""
    from matplotlib.figure import Figure
    from matplotlib.patches import Rectangle

    from zqcampaign.charts.fonts import font_properties

    lines = _wrapped(_lines(brief, config))
    heights = [ln.gap + ln.size * _LINE for ln in lines]
    height = int(2 * _MARGIN + sum(heights) + 12)
    fig = Figure(figsize=(WIDTH_PX / _DPI, height / _DPI), dpi=_DPI)
    fig.patch.set_facecolor("white")
    band = brief.headline["flag"]
    from zqcampaign.charts.style import FLAG_COLORS

    if isinstance(band, str):
        fig.patches.append(
            Rectangle((0, 1 - 16 / height), 1, 16 / height, transform=fig.transFigure,
                      color=FLAG_COLORS[band], zorder=0)
        )  # fmt: skip
    y = _MARGIN
    for ln, h in zip(lines, heights, strict=True):
        y += ln.gap
        kwargs = {}
        if ln.badge is not None:
            kwargs["bbox"] = {
                "boxstyle": "round,pad=0.3",
                "facecolor": ln.badge,
                "edgecolor": "none",
            }
        fig.text(
            (_MARGIN + ln.indent) / WIDTH_PX,
            1 - (y + 0.12 * ln.size) / height,
            ln.text,
            fontproperties=font_properties(size=ln.size),  # (the bundled font has one weight)
            color="white" if ln.badge is not None else ln.color,
            va="top",
            ha="left",
            **kwargs,
        )
        y += h - ln.gap
    return fig


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
        fig = phone_page(brief, camp.config)
        path = out / f"{brief.name}.png"
        fig.savefig(path, dpi=_DPI, facecolor="white")
        fig.clear()
        written.append(path)
    return written
