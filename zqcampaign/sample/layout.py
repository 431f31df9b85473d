"""One ledger sheet as a grid of cells: title lines, header, sections, rows, totals, footer.

:func:`_grid` lays out one county's ledger for one month from its truth rows and house style,
applying the planted changes of :class:`_Tweaks`; :func:`_cell` spells each project cell
the county's way (dates, money, yes/no, blanks).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from zqcampaign.parse.headers import PLANNED_GOAL, SEQ
from zqcampaign.sample.plans import _report_date
from zqcampaign.sample.styles import (
    _FULLWIDTH,
    _PLANNED_OF_STAGE,
    _SECTIONS,
    _TITLE,
    _TRAD_CITY,
    _TRAD_NAMES,
    _TRAD_SECTIONS,
    _TRAD_TITLE,
    STYLES,
    _Style,
)
from zqcampaign.sample.vocabulary import _GIVEN, _SURNAMES
from zqcampaign.schema import MILESTONES, MONEY_COLUMNS, STAGES, TEXT_COLUMNS

# text cells written as the truth has them (blank when missing); the id, county and category
# have spellings of their own
_AS_IS = tuple(c for c in TEXT_COLUMNS if c not in ("project_id", "county", "category"))


def _date_text(ts: pd.Timestamp, kind: str) -> Any:
    if kind == "excel":
        return ts.date()
    y, m, d = ts.year, ts.month, ts.day
    return {
        "iso": f"{y}-{m:02d}-{d:02d}",
        "slash": f"{y}/{m}/{d}",
        "dot": f"{y}.{m}.{d}",
        "cn": f"{y}年{m}月{d}日",
    }[kind]


def _money_text(value: float, kind: str, rng: np.random.Generator) -> Any:
    whole = int(np.rint(value))
    if kind == "yi":
        return round(value / 10000, 4)
    if kind == "comma" and rng.random() < 0.25:
        return f"{whole:,}"
    if kind == "yi_or_comma":
        return f"{value / 10000:g}亿" if whole % 1000 == 0 else f"{whole:,}"
    if kind == "wan":
        return f"{whole}万元"
    if kind == "approx_yi" and whole % 1000 == 0:
        return f"约{value / 10000:g}亿元"
    if kind == "fullwidth" and rng.random() < 0.3:
        return str(whole).translate(_FULLWIDTH)
    return whole


@dataclass
class _Grid:
    """One sheet as rows of cell values, merges (0-based inclusive) and where things are."""

    rows: list[list[Any]]
    merges: list[tuple[int, int, int, int]]
    row_of: dict[str, int]  # project_key -> 1-based row of its (first) project row
    extra: dict[str, int] = field(default_factory=dict)  # planted extra rows -> 1-based row
    header: dict[str, str] = field(default_factory=dict)  # field -> header text as shown


@dataclass
class _Tweaks:
    """Planted changes to one ledger."""

    cells: dict[tuple[str, str], Any] = field(default_factory=dict)  # (key, field) -> value
    duplicate: str | None = None
    misplaced: str | None = None  # key shown in section 一 whatever its stage
    nameless: bool = False  # extra row with data but no project name
    undecided: bool = False  # extra row whose total investment is 待定
    title_county: str | None = None  # title (and 填报单位) copied from another county


def _header_text(col: tuple[str, ...], month: int) -> tuple[str, str | None]:
    top = col[1].replace("{m}", str(month)).replace("{fm}", str(month).translate(_FULLWIDTH))
    return top, (col[2] if len(col) == 3 else None)


def _grid(
    county: str,
    month: int,
    rows: pd.DataFrame,
    style: _Style,
    rng: np.random.Generator,
    tweaks: _Tweaks,
    city: str = "肇庆市",
) -> _Grid:
    """Lay out one county's ledger for one month (``rows``: truth rows in ledger order)."""
    width = len(style.cols)
    fields = [c[0] for c in style.cols]
    rd = _report_date(month)
    grid: list[list[Any]] = []
    merges: list[tuple[int, int, int, int]] = []

    def text_row(text: Any) -> list[Any]:
        return [text] + [None] * (width - 1)

    def full_row(text: str) -> None:
        merges.append((len(grid), 0, len(grid), width - 1))
        grid.append(text_row(text))

    # title and 填报单位 / 截至日期 line
    shown_county = tweaks.title_county or county
    unit = STYLES[shown_county].unit if tweaks.title_county else style.unit
    if style.trad:
        title = _TRAD_TITLE.format(
            city=_TRAD_CITY.get(city, city), county=_TRAD_NAMES.get(shown_county, shown_county)
        )
    else:
        title = _TITLE.format(city=city, county=shown_county)
    unit_word = "填報單位" if style.trad else "填报单位"
    full_row(title)
    full_row(f"{unit_word}：{unit}    截至日期：{rd.year}年{rd.month}月{rd.day}日")

    # header: one row, or two with merges (vertical for single headers, across for groups)
    h = len(grid)
    tops, children = zip(*(_header_text(c, month) for c in style.cols), strict=True)
    header = {
        f: (t if ch is None else f"{t}/{ch}")
        for f, t, ch in zip(fields, tops, children, strict=True)
    }
    if style.two_row:
        top_row: list[Any] = []
        for j, (t, ch) in enumerate(zip(tops, children, strict=True)):
            if ch is None:
                merges.append((h, j, h + 1, j))
                top_row.append(t)
            elif j > 0 and tops[j - 1] == t and children[j - 1] is not None:
                top_row.append(None)
            else:
                span = next(
                    (k for k in range(j, width) if tops[k] != t or children[k] is None), width
                )
                merges.append((h, j, h, span - 1))
                top_row.append(t)
        grid.append(top_row)
        grid.append(list(children))
    else:
        grid.append(list(tops))

    # body
    row_of: dict[str, int] = {}
    extra: dict[str, int] = {}
    seq = 0

    def project_row(rec: Any) -> list[Any]:
        nonlocal seq
        seq += 1
        cells = []
        for f in fields:
            key = (rec.project_key, f)
            if key in tweaks.cells:
                cells.append(tweaks.cells[key])
            else:
                cells.append(_cell(f, rec, style, rng, seq))
        return cells

    def add_project(rec: Any) -> None:
        row_of.setdefault(rec.project_key, len(grid) + 1)
        grid.append(project_row(rec))

    def add_extra(where: str, values: dict[str, Any]) -> None:
        nonlocal seq
        seq += 1
        values = {SEQ: seq, **values}
        grid.append([values.get(f) for f in fields])
        extra[where] = len(grid)

    def totals_row(label: str, part: pd.DataFrame) -> list[Any]:
        out = text_row(label)
        for f, v in part[list(MONEY_COLUMNS)].sum().items():
            if f in fields:
                in_yi = f == "total_investment" and style.total == "yi"
                out[fields.index(f)] = round(v / 10000, 4) if in_yi else int(v)
        return out

    stage_no = rows["stage"].map({s: min(i, 3) for i, s in enumerate(STAGES)})
    if tweaks.misplaced is not None:
        stage_no = stage_no.where(rows["project_key"] != tweaks.misplaced, 0)
    if style.category_words is None:
        names = _TRAD_SECTIONS if style.trad else _SECTIONS
        for s in range(4):
            part = rows[stage_no == s]
            full_row(names[s].format(n=len(part)))
            for rec in part.itertuples():
                add_project(rec)
                if rec.project_key == tweaks.duplicate:
                    grid.append(project_row(rec))
                    extra["duplicate"] = len(grid)
            if s == 1 and tweaks.nameless:
                add_extra("nameless", _nameless(county))
            if s == 0 and tweaks.undecided:
                add_extra("undecided", _undecided(county))
            grid.append(totals_row("小计" if not style.trad else "小計", part))
    else:
        for rec in rows.itertuples():
            add_project(rec)
    grid.append(totals_row("合计" if not style.trad else "合計", rows))
    grid.append([None] * width)
    person, checker = _footer_people(county)
    phone = 2600000 + sum(map(ord, county)) * 37 % 99999
    grid.append(text_row(f"填表人：{person}    联系电话：0758-{phone}"))
    grid.append(text_row(f"审核人：{checker}"))
    return _Grid(grid, merges, row_of, extra, header)


def _footer_people(county: str) -> tuple[str, str]:
    k = sum(map(ord, county))
    return (
        _SURNAMES[k % len(_SURNAMES)] + _GIVEN[k % len(_GIVEN)],
        _SURNAMES[(k // 7) % len(_SURNAMES)] + _GIVEN[(k // 5) % len(_GIVEN)],
    )


def _nameless(county: str) -> dict[str, Any]:
    """A row whose name was cleared: owner, money and a date remain."""
    return {
        "owner": "肇庆鑫达五金制品有限公司",
        "total_investment": 15000,
        "annual_plan": 3000,
        "ytd_actual": 800,
        "responsible_unit": f"{county}工业和信息化局",
    }


def _undecided(county: str) -> dict[str, Any]:
    """A prospective project whose total investment is still 待定."""
    return {
        "project_id": "GY-2023-099",
        "name": "金利智能家居产业园招商储备项目",
        "owner": "待定",
        "total_investment": "待定",
        "progress": "洽谈中",
        "responsible_unit": f"{county}工业和信息化局",
        "remarks": "新增项目",
    }


def _cell(f: str, rec: Any, style: _Style, rng: np.random.Generator, seq: int) -> Any:
    """One cell of a project row, spelled the county's way."""
    if f == SEQ:
        return seq
    if f in _AS_IS:
        value = getattr(rec, f)
        return value if isinstance(value, str) else None
    if f == "project_id":
        return rec.project_id
    if f == "county":
        return style.county_words[int(rng.integers(0, len(style.county_words)))]
    stage = STAGES.index(rec.stage)
    if f == "category":
        return style.category_words[stage] if stage < 3 else None
    if f == "total_investment":
        return _money_text(rec.total_investment, style.total, rng)
    if f == "annual_plan":
        return _money_text(rec.annual_plan, style.annual, rng)
    if f == "ytd_actual":
        return int(rec.ytd_actual)
    if f in MILESTONES:
        ts = getattr(rec, f)
        if pd.isna(ts):
            return style.blank
        kind = style.date
        if style.date_alt is not None and rng.random() < style.date_alt[1]:
            kind = style.date_alt[0]
        return _date_text(ts, kind)
    if f == PLANNED_GOAL:
        if stage >= 3:
            return style.blank_planned
        f = _PLANNED_OF_STAGE[stage]
    if f in _PLANNED_OF_STAGE:
        ts = getattr(rec, f)
        if pd.isna(ts):
            return style.blank_planned
        if style.month_only and ts == ts + pd.offsets.MonthEnd(0):
            if ts.year == 2023 and rng.random() < 0.5:
                return f"{ts.month}月底"
            return f"{ts.year}年{ts.month}月"
        return _date_text(ts, style.date)
    if f == "problem_major":
        return None if pd.isna(rec.problem_major) else style.yes_no[0 if rec.problem_major else 1]
    if f == "problem_closed":
        return None if pd.isna(rec.problem_closed) else style.closed[0 if rec.problem_closed else 1]
    raise ValueError(f"unknown ledger field {f!r}")
