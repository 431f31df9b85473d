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

from zqcampaign.schema import CATEGORIES, STAGES

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
LANGS: tuple[str, ...] = ("zh", "en")

#: Figure sizes [inch]: a full 16:9 slide (PowerPoint widescreen, 13.333 × 7.5 in) and the
#: left or right half of one.
SIZES: dict[str, tuple[float, float]] = {"full": (13.333, 7.5), "half": (6.667, 7.5)}

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

FLAG_ORDER: tuple[str, ...] = ("blue", "yellow", "red")

#: Flag colours: grey values 115 (blue), 180 (yellow), 63 (red) of 255.
FLAG_COLORS: dict[str, str] = {"blue": "#2f80df", "yellow": "#f2b705", "red": "#a50f2a"}

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

_LABELS: dict[str, tuple[str, str]] = {
    "source": ("数据来源：各县（市、区）报送台账", "Source: county ledgers (台账)"),
    "as_of": ("截至{date}", "As of {date}"),
    "date_fmt": ("{y}年{m}月{d}日", "{d} {mon} {y}"),
    "month_fmt": ("{m}月", "{mon}"),
    "completion_rate": ("完成率", "Completion rate"),
    "expected": ("序时目标", "Expected by now"),
    "target": ("目标", "Target"),
    "city": ("全市", "City"),
    "no_projects": ("无项目", "no projects"),
    "projects": ("项目数", "Projects"),
    "days": ("天数", "Days"),
    "count_unit": ("个", ""),
    # titles
    "completion_by_county": ("各县（市、区）三类项目完成率", "Three-category completion by county"),
    "completion_by_category": ("各县（市、区）分类完成率", "Completion by county and category"),
    "progress_trend": ("三类项目完成率走势", "Completion rate over time"),
    "flag_matrix": ("各县（市、区）项目标识月度分布", "Project flags by county and month"),
    "investment_by_county": ("各县（市、区）年度投资完成情况", "Investment against annual plan"),
    "ranking": ("各县（市、区）综合排名", "County ranking"),
    "cycle_times": ("项目推进周期", "Project cycle times"),
    "stage_funnel": ("{where}项目推进阶段", "Project pipeline: {where}"),
    "project_timeline": ("项目节点计划与实际", "Planned and actual milestones"),
    "targets_scorecard": ("目标任务完成情况", "Targets scorecard"),
    # chart texts
    "expected_marker": ("序时目标", "Expected pace"),
    "deadline_target": ("{deadline}目标{target}", "{target} by {deadline}"),
    "trajectory": ("目标进度", "Target path"),
    "investment_rate": ("投资完成率", "Investment / annual plan"),
    "elapsed": ("序时进度 {rate}", "Time elapsed {rate}"),
    "ytd_of_plan": ("{ytd}/{plan}亿元", "{ytd}/{plan} bn yuan"),
    "score": ("综合得分", "Score"),
    "rank": ("第{rank}名", "#{rank}"),
    "rank_detail": (
        "完成率{rate}，差距{gap}个百分点，投资完成率{inv}",
        "rate {rate}, gap {gap} pts, investment {inv}",
    ),
    "weights": (
        "按综合得分排名；条形为综合得分（权重：完成率{c}、差距{g}、投资{i}）",
        "Ranked by score; bars: score (weights {c}, {g}, {i})",
    ),
    "median": ("中位数", "median"),
    "n_projects": ("{n}个", "n={n}"),
    "funnel_note": ("纳入清单的项目中已达到各阶段的数量", "List projects that reached each stage"),
    "planned": ("计划", "planned"),
    "actual": ("实际", "actual"),
    "as_of_line": ("截至日", "as of"),
    "more_projects": ("另有{n}个项目未显示", "{n} more projects not shown"),
    "met": ("已完成", "met"),
    "pending": ("推进中", "in progress"),
    "missed": ("未完成", "missed"),
    "deadline": ("截止{date}", "due {date}"),
    "no_targets": ("未配置目标", "No targets configured"),
    "no_data": ("暂无数据", "No data"),
    "counties_shown": ("全市及{n}个县（市、区）", "City and {n} counties"),
}

_FLAG_LABELS: dict[str, tuple[str, str]] = {
    "blue": ("蓝色标识", "Blue (on plan)"),
    "yellow": ("黄色预警", "Yellow warning"),
    "red": ("红色警告", "Red warning"),
}

_CATEGORY_EN: dict[str, str] = dict(
    zip(CATEGORIES, ("Signed, no land", "Land, not started", "Started, not completed"), strict=True)
)
_STAGE_EN: dict[str, str] = dict(
    zip(STAGES, ("Signed", "Land supplied", "Started", "Completed", "In production"), strict=True)
)
_MILESTONE_LABELS: dict[str, tuple[str, str]] = {
    "signed_on": ("签约", "Signed"),
    "land_supplied_on": ("供地", "Land supplied"),
    "started_on": ("开工", "Started"),
    "completed_on": ("竣工", "Completed"),
    "in_production_on": ("投产", "In production"),
}

#: English names of the Zhaoqing divisions; other names stay as they are.
_COUNTY_EN: dict[str, str] = {
    "肇庆市": "Zhaoqing",
    "端州区": "Duanzhou",
    "鼎湖区": "Dinghu",
    "高要区": "Gaoyao",
    "四会市": "Sihui",
    "广宁县": "Guangning",
    "怀集县": "Huaiji",
    "封开县": "Fengkai",
    "德庆县": "Deqing",
    "肇庆高新区": "Zhaoqing Hi-tech Zone",
    "肇庆新区": "Zhaoqing New Area",
    "粤桂合作特别试验区（肇庆）": "Yuegui Cooperation Zone",
}

_MONTHS_EN = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")


def check_lang(lang: str) -> str:
    """``lang`` if it is a supported language; ValueError naming the choices otherwise."""
    if lang not in LANGS:
        raise ValueError(f"lang must be one of {', '.join(map(repr, LANGS))}, got {lang!r}")
    return lang


def check_size(size: str) -> tuple[float, float]:
    """Figure size [inch] of a slide size name; ValueError naming the choices otherwise."""
    if size not in SIZES:
        raise ValueError(f"size must be one of {', '.join(map(repr, SIZES))}, got {size!r}")
    return SIZES[size]


def label(key: str, lang: str = "zh", **fields: Any) -> str:
    """Chart text ``key`` in ``lang``, formatted with ``fields``."""
    zh, en = _LABELS[key]
    text = zh if check_lang(lang) == "zh" else en
    return text.format(**fields) if fields else text


def flag_label(flag: str, lang: str = "zh") -> str:
    """``"blue"`` -> ``"蓝色标识"`` / ``"Blue (on plan)"``."""
    zh, en = _FLAG_LABELS[flag]
    return zh if check_lang(lang) == "zh" else en


def category_label(category: str, lang: str = "zh") -> str:
    """A category label in ``lang`` (the Chinese label is the canonical value)."""
    return category if check_lang(lang) == "zh" else _CATEGORY_EN.get(category, category)


def stage_label(stage: str, lang: str = "zh") -> str:
    """A stage (``已竣工``) or milestone column (``completed_on``) in ``lang``."""
    if stage in _MILESTONE_LABELS:
        zh, en = _MILESTONE_LABELS[stage]
        return zh if check_lang(lang) == "zh" else en
    return stage if check_lang(lang) == "zh" else _STAGE_EN.get(stage, stage)


def county_label(county: str, lang: str = "zh") -> str:
    """A division name in ``lang`` (English for the Zhaoqing divisions, else unchanged)."""
    return county if check_lang(lang) == "zh" else _COUNTY_EN.get(county, county)


def format_date(date: Any, lang: str = "zh") -> str:
    """``2023年9月30日`` / ``30 Sep 2023``."""
    import pandas as pd

    d = pd.Timestamp(date)
    return label("date_fmt", lang, y=d.year, m=d.month, d=d.day, mon=_MONTHS_EN[d.month - 1])


def format_month(date: Any, lang: str = "zh") -> str:
    """``9月`` / ``Sep``."""
    import pandas as pd

    d = pd.Timestamp(date)
    return label("month_fmt", lang, m=d.month, mon=_MONTHS_EN[d.month - 1])


def format_short_date(date: Any, lang: str = "zh") -> str:
    """``9月30日`` / ``30 Sep``."""
    import pandas as pd

    d = pd.Timestamp(date)
    return (
        f"{d.month}月{d.day}日"
        if check_lang(lang) == "zh"
        else f"{d.day} {_MONTHS_EN[d.month - 1]}"
    )


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
