"""Planted problems: which projects carry them, what the ledgers show, what loading reports.

:class:`_Plants` and :func:`_choose_plants` pick the projects (they shape the truth too: a
project that vanishes, a start written 已开工); :func:`_plant_list` lists every planted
problem of the sample, :func:`_tweaks` turns them into changes per ledger and
:func:`_expected` into the issues ``expected_issues.tsv`` promises.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from zqcampaign.parse.headers import PLANNED_GOAL
from zqcampaign.sample.layout import _date_text, _Grid, _Tweaks
from zqcampaign.sample.styles import STYLES
from zqcampaign.schema import COLUMN_LABELS, MILESTONES


@dataclass
class _Plants:
    """Projects chosen to carry a planted problem (keys into the truth)."""

    status_word: str = ""  # 德庆县: "已开工" instead of a start date
    vanish: dict[str, int] = field(default_factory=dict)  # key -> last month listed
    after_report: tuple[str, str] = ("", "")  # 高要区 Nov: (key, milestone shown a month early)
    order: str = ""  # 封开县 Aug: start date a year early (before land supply)
    conflict: str = ""  # 德庆县 Sep: under-construction project in the 已签约未供地 section
    duplicate: str = ""  # 鼎湖区 Aug: listed twice
    negative: str = ""  # 端州区 Nov: YTD investment with a minus sign
    unknown_county: str = ""  # 肇庆高新区 Dec: county column says 大旺
    bad_date: str = ""  # 肇庆新区 Sep: planned date 2023-13-45


def _choose_plants(rng: np.random.Generator, p: pd.DataFrame) -> _Plants:
    taken: set[str] = set()

    def pick(mask: pd.Series) -> str:
        keys = [k for k in p.loc[mask, "project_key"] if k not in taken]
        if not keys:
            raise RuntimeError("sample plan leaves no project for a planted issue")
        key = keys[int(rng.integers(0, len(keys)))]
        taken.add(key)
        return key

    county = p["county"]
    july = p["first_month"] == 7
    plants = _Plants()
    plants.status_word = pick(
        (county == "德庆县") & (p["cat"] == 1) & (p["achieve_month"] > 0) & p["in_scope"]
    )
    plants.vanish = {
        pick((county == "端州区") & july & p["in_scope"] & (p["achieve_month"] == 0)): 11,
        pick((county == "粤桂合作特别试验区（肇庆）") & july & p["in_scope"]): 9,
    }
    dec = pd.Timestamp("2023-12-01")
    in_dec = pd.DataFrame({c: p[c] >= dec for c in MILESTONES})
    key = pick((county == "高要区") & july & in_dec.any(axis=1))
    shown = next(c for c in reversed(MILESTONES) if p.set_index("project_key").loc[key, c] >= dec)
    plants.after_report = (key, shown)
    plants.order = pick((county == "封开县") & july & (p["cat"] == 2))
    sep_end = pd.Timestamp("2023-09-30")
    plants.conflict = pick(
        (county == "德庆县") & july & (p["cat"] == 2) & ~(p["completed_on"] <= sep_end)
    )
    plants.duplicate = pick((county == "鼎湖区") & july)
    plants.negative = pick((county == "端州区") & july & (p["cat"] > 0))
    plants.unknown_county = pick((county == "肇庆高新区") & july)
    plants.bad_date = pick(
        (county == "肇庆新区") & july & (p["cat"] == 0) & (p["achieve_month"] == 0)
    )
    return plants


@dataclass(frozen=True)
class _Plant:
    """One planted problem: where it goes, what is written, what loading must report."""

    code: str
    county: str
    month: int
    key: str | None = None  # project whose row carries it (None: an extra row or the file)
    field: str | None = None  # ledger field of the cell; its header names the column
    cell: Any = None  # value written into that cell (None: cell unchanged)
    value: str = ""  # the value as the issue shows it
    column: str | None = None  # issue column, when it is not the cell's header
    where: str | None = None  # planted extra row: "nameless" | "undecided" | "duplicate"


_WHAT = {
    "missing_name": "row with owner, money and a responsible unit but no project name (rejected)",
    "bad_money": "prospective project whose 计划总投资 is 待定 (required: row rejected)",
    "bad_date": "{name}: planned date 2023-13-45 (month 13)",
    "date_after_report": "{name}: a December date typed into the November ledger",
    "duplicate_project": "{name} listed twice (the second row is dropped)",
    "category_conflict": "{name} (under construction) placed in section 一、已签约未供地",
    "negative_money": "{name}: YTD investment written with a minus sign",
    "unknown_county": "{name}: county column says 大旺 (a place in the zone, not a division)",
    "milestone_order": "{name}: start date typed a year early, before land supply",
    "status_word_date": "{name}: 已开工 instead of the start date (true date: the report date)",
    "county_conflict": "title and 填报单位 copied from 封开县's template; the sheet says 德庆县",
    "report_date_conflict": "November ledger still named 广宁县_2023年10月项目清单 "
    "(title: 截至日期 2023年11月30日)",
    "missing_from_snapshot": "{name}: last listed in this {month}月 ledger, missing later",
    "out_of_scope": "{name}: total {value} 万元, below the key threshold",
}


def _plant_list(p: pd.DataFrame, truth: pd.DataFrame, plants: _Plants) -> list[_Plant]:
    """Every planted problem of the sample, in the order the README lists them."""
    by_key = p.set_index("project_key")
    key_ar, col_ar = plants.after_report
    late = by_key.loc[key_ar, col_ar]
    early = by_key.loc[plants.order, "started_on"] - pd.DateOffset(years=1)
    early_text = _date_text(early, STYLES["封开县"].date)
    nov = truth[(truth["project_key"] == plants.negative) & (truth["month"] == 11)]
    ytd = -int(nov["ytd_actual"].iloc[0])
    word_month = int(by_key.loc[plants.status_word, "started_on"].month)
    out = [
        _Plant(
            "missing_name",
            "端州区",
            9,
            None,
            "name",
            None,
            "肇庆鑫达五金制品有限公司",
            where="nameless",
        ),
        _Plant(
            "bad_money", "高要区", 11, None, "total_investment", None, "待定", where="undecided"
        ),
        _Plant(
            "bad_date", "肇庆新区", 9, plants.bad_date, PLANNED_GOAL, "2023-13-45", "2023-13-45"
        ),
        _Plant(
            "date_after_report",
            "高要区",
            11,
            key_ar,
            col_ar,
            late.date(),
            late.date().isoformat(),
            COLUMN_LABELS[col_ar],
        ),
        _Plant(
            "duplicate_project",
            "鼎湖区",
            8,
            plants.duplicate,
            None,
            None,
            str(by_key.loc[plants.duplicate, "name"]),
            "项目名称",
            where="duplicate",
        ),
        _Plant(
            "category_conflict",
            "德庆县",
            9,
            plants.conflict,
            None,
            None,
            "已签约未供地",
            "项目类别",
        ),
        _Plant("negative_money", "端州区", 11, plants.negative, "ytd_actual", ytd, str(ytd)),
        _Plant("unknown_county", "肇庆高新区", 12, plants.unknown_county, "county", "大旺", "大旺"),
        _Plant(
            "milestone_order",
            "封开县",
            8,
            plants.order,
            "started_on",
            early_text,
            early.date().isoformat(),
            COLUMN_LABELS["started_on"],
        ),
        _Plant(
            "status_word_date",
            "德庆县",
            word_month,
            plants.status_word,
            "started_on",
            "已开工",
            "已开工",
        ),
        _Plant("county_conflict", "德庆县", 11, value="封开县"),
        _Plant("report_date_conflict", "广宁县", 11, value="2023-10-31"),
    ]
    for key, last in plants.vanish.items():
        name = str(by_key.loc[key, "name"])
        out.append(
            _Plant(
                "missing_from_snapshot",
                str(by_key.loc[key, "county"]),
                last,
                key,
                value=name,
                column="项目名称",
            )
        )
    for r in p[~p["in_scope"]].itertuples():
        out.append(
            _Plant(
                "out_of_scope",
                r.county,
                r.first_month,
                r.project_key,
                value=f"{r.total_investment:g}",
                column="计划总投资",
            )
        )
    return out


def _tweaks(plant_list: list[_Plant]) -> dict[tuple[str, int], _Tweaks]:
    """What the plants change, per (county, month) ledger."""
    tw: dict[tuple[str, int], _Tweaks] = {}
    for x in plant_list:
        t = tw.setdefault((x.county, x.month), _Tweaks())
        if x.cell is not None:
            t.cells[(str(x.key), str(x.field))] = x.cell
        if x.code == "category_conflict":
            t.misplaced = x.key
        elif x.code == "county_conflict":
            t.title_county = x.value
        elif x.where == "duplicate":
            t.duplicate = x.key
        elif x.where == "nameless":
            t.nameless = True
        elif x.where == "undecided":
            t.undecided = True
    return tw


def _expected(
    plant_list: list[_Plant],
    grids: dict[tuple[str, int], tuple[str, str, _Grid]],
    names: pd.Series,
) -> pd.DataFrame:
    """The issues loading must report: file, sheet, row, column, value, code (and what)."""
    rows = []
    for x in plant_list:
        file, sheet, g = grids[(x.county, x.month)]
        if x.where is not None:
            row: int | None = g.extra[x.where]
        else:
            row = g.row_of[x.key] if x.key is not None else None
        column = x.column or (g.header[x.field] if x.field else None)
        what = _WHAT[x.code].format(name=names.get(x.key, ""), value=x.value, month=x.month)
        rows.append((file, sheet, row, column, x.value, x.code, what))
    frame = pd.DataFrame(rows, columns=["file", "sheet", "row", "column", "value", "code", "what"])
    frame["row"] = frame["row"].astype("Int64")
    return frame
