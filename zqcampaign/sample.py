"""Deterministic sample ledgers for the 2023 Zhaoqing campaign (July–December 2023).

Two layers, as everywhere in the package:

- :func:`sample_projects` builds the **ground truth**: one row per project per monthly report
  date (截至日期), with the milestone dates known at that date, investment, problems and
  progress. It is a pure function of ``seed``.
- :func:`write_sample` writes what the 11 divisions would have sent for that truth: one
  ledger per county per month, each county in its own house style (``.xlsx``, legacy
  ``.xls``, a GBK ``.csv``; one- or two-row merged headers; section rows or a category
  column; simplified or traditional headers; many spellings of dates, money and yes/no),
  October as one city workbook with a sheet per county, and a handful of deliberately bad
  rows. It also writes ``README.md`` (which file shows which quirk, the story numbers) and
  ``expected_issues.tsv`` (the planted problems loading must report).

Every project, company and person is fictional. Money is in 万元; dates are
``datetime64``; the same seed gives byte-identical files.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
import zipfile
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from .config import default_config
from .schema import CATEGORIES, COLUMN_LABELS, MILESTONES, STAGES
from .stages import achieved_date, stage_index

__all__ = ["EXPECTED_ISSUES", "REPORT_DATES", "TRUTH_COLUMNS", "sample_projects", "write_sample"]

REPORT_DATES: tuple[pd.Timestamp, ...] = tuple(
    pd.Timestamp(2023, m, 1) + pd.offsets.MonthEnd(0) for m in range(7, 13)
)
MONTHS: tuple[int, ...] = tuple(range(7, 13))
EXPECTED_ISSUES = "expected_issues.tsv"  # planted problems, machine-readable
CITY_MONTH = 10  # this month arrives as one city workbook with a sheet per county

TRUTH_COLUMNS: tuple[str, ...] = (
    "project_key",
    "project_id",
    "name",
    "county",
    "owner",
    "industry",
    "category",
    "in_scope",
    "total_investment",
    "annual_plan",
    "ytd_actual",
    *MILESTONES,
    "planned_land_on",
    "planned_start_on",
    "planned_completion_on",
    "progress",
    "problems",
    "problem_major",
    "problem_closed",
    "responsible_unit",
    "responsible_person",
    "remarks",
    "report_date",
    "first_report_date",
    "listed",
    "stage",
    "achieved_on",
)

_DAY = np.timedelta64(1, "D")
_NAT = np.datetime64("NaT", "D")
_YEAR_END = np.datetime64("2023-12-31")


# ---------------------------------------------------------------------------------------
# the story: one plan per county


@dataclass(frozen=True)
class _Plan:
    """How one county's list is built and how fast it advances.

    ``final`` is the share of each category's July list (in scope) that reaches its goal by
    31 December; ``shape`` the cumulative share of those achievers reached by the end of
    August, September, October, November, December.
    """

    n: int  # projects on the July list, out-of-scope ones included
    mix: tuple[float, float, float]  # shares of 已签约未供地 / 已供地未动工 / 已动工未竣工
    final: tuple[float, float, float]
    shape: tuple[float, float, float, float, float]
    added: dict[int, int] = field(default_factory=dict)  # month -> projects joining then
    below: tuple[float, ...] = ()  # totals of projects under the key threshold [万元]
    boundary: float | None = None  # one project with exactly this total [万元]
    size: float = 1.0  # typical total investment relative to the key threshold
    pace: float = 1.0  # investment pace relative to the year elapsed
    problem_rate: float = 0.3
    never_closed: float = 0.35
    follow_on: float = 0.35  # share of land achievers that also start before year end
    id_prefix: str | None = None


_AHEAD = (0.30, 0.52, 0.72, 0.88, 1.0)
_MIDDLE = (0.22, 0.45, 0.65, 0.83, 1.0)
_BEHIND = (0.15, 0.35, 0.60, 0.80, 1.0)
_SIHUI = (0.40, 0.80, 0.88, 0.94, 1.0)  # 75 % of the list by 30 September

PLANS: dict[str, _Plan] = {
    "端州区": _Plan(
        20, (0.3, 0.3, 0.4), (0.92,) * 3, _MIDDLE, {9: 1, 11: 1}, (8000.0,), boundary=10000.0
    ),
    "鼎湖区": _Plan(38, (0.35, 0.3, 0.35), (0.88,) * 3, _MIDDLE, {8: 1, 11: 1}),
    "高要区": _Plan(
        57, (0.3, 0.3, 0.4), (0.97,) * 3, _AHEAD, {8: 1, 9: 1, 12: 1}, (9500.0,), id_prefix="GY"
    ),
    "四会市": _Plan(55, (0.3, 0.3, 0.4), (0.96,) * 3, _SIHUI, {}, (6000.0,), id_prefix="SH"),
    "广宁县": _Plan(
        33,
        (0.4, 0.3, 0.3),
        (0.6,) * 3,
        _BEHIND,
        {11: 2},
        (4800.0,),
        pace=0.7,
        problem_rate=0.45,
        never_closed=0.6,
    ),
    "怀集县": _Plan(
        50, (0.3, 0.3, 0.4), (11 / 15, 10 / 15, 17 / 20), _MIDDLE, {}, size=2.0, follow_on=0.0
    ),
    "封开县": _Plan(
        29, (0.35, 0.3, 0.35), (0.85,) * 3, _MIDDLE, {8: 1}, (3500.0,), boundary=5000.0
    ),
    "德庆县": _Plan(
        29,
        (0.4, 0.3, 0.3),
        (0.55,) * 3,
        _BEHIND,
        {9: 1},
        (4500.0,),
        pace=0.75,
        problem_rate=0.5,
        never_closed=0.6,
    ),
    "肇庆高新区": _Plan(
        62,
        (0.25, 0.3, 0.45),
        (1.0,) * 3,
        _AHEAD,
        {8: 1, 9: 1, 11: 1},
        (9000.0,),
        pace=1.15,
        id_prefix="GX",
    ),
    "肇庆新区": _Plan(42, (0.3, 0.3, 0.4), (0.9,) * 3, _MIDDLE, {9: 2, 12: 1}),
    "粤桂合作特别试验区（肇庆）": _Plan(15, (0.4, 0.3, 0.3), (0.87,) * 3, _MIDDLE),
}
HUAIJI = "怀集县"
HUAIJI_STARTED_2023 = 11  # 已动工未竣工 at baseline that started in 2023 (before the campaign)
HUAIJI_QUICK_BUILDS = 2  # 已供地未动工 projects that start and complete within the campaign
HUAIJI_YTD_DECEMBER = 253000.0  # 怀集县 actual investment 1-12月 [万元] (pledge: ≥ 250,000)
HUAIJI_ANNUAL_PLAN = 270000.0  # 怀集县 2023 annual investment plan [万元]

# ---------------------------------------------------------------------------------------
# vocabulary (all fictional)

_BRANDS = (
    "宏远 华泰 金利 鼎丰 汇隆 粤华 星源 佳信 瑞丰 新宝 永安 凯盛 恒达 天禾 兴业 中顺 荣兴 嘉润 联科 "
    "创辉 晟通 铭泰 卓越 祥和 国邦 博远 锦华 宝利 华美 丰源 金鹰 广顺 昌达 德信 华鑫 海纳 振宇 泰和 "
    "盛世 启航 东岳 乐家 万润 金科 美达 福瑞 长青 恒丰 顺安 信诚 鸿图 合众 瀚宇 聚能 端景 西江 鼎新 "
    "星河 汇丰 云峰 澳华 粤美 立信 华凯 宏基 翔龙 金诺 百川"
).split()
_INDUSTRIES: dict[str, tuple[str, tuple[str, ...]]] = {
    "新能源汽车及零部件": (
        "汽车零部件",
        ("新能源汽车零部件", "动力电池", "汽车内饰件", "电机电控"),
    ),
    "电子信息": ("电子科技", ("电子元器件", "印制电路板", "智能终端", "半导体封装")),
    "新材料": ("新材料", ("高性能铝型材", "特种玻璃", "高分子材料", "稀土功能材料")),
    "先进装备制造": ("智能装备", ("智能装备", "精密机械", "工业机器人", "输变电设备")),
    "生物医药与健康": ("生物科技", ("生物医药", "医疗器械", "中药饮片", "保健食品")),
    "食品饮料": ("食品", ("食品加工", "饮料灌装", "预制菜", "肉制品加工")),
    "金属加工": ("金属制品", ("五金制品", "不锈钢制品", "金属表面处理", "有色金属压延")),
    "家居建材": ("家居", ("定制家居", "陶瓷卫浴", "木业加工", "新型建材")),
    "节能环保": ("环保科技", ("节能环保设备", "再生资源利用", "污水处理设备")),
    "精细化工": ("化工", ("精细化工", "日用化学品", "水性涂料")),
}
_SUFFIXES = (
    "项目",
    "生产基地项目",
    "扩产项目",
    "智能制造项目",
    "二期项目",
    "产业园项目",
    "技改项目",
)
_SURNAMES = tuple("陈李黄梁何林罗张吴冯谭邓苏莫叶钟郑麦区伍")
_GIVEN = (
    "志强 伟明 建华 丽华 国平 海燕 振东 晓峰 文杰 少华 永康 美玲 家豪 锦荣 思敏 卫东 "
    "子健 嘉欣 国强 秀英 伟雄 惠芳 俊杰 明辉"
).split()
_TOWNS: dict[str, tuple[str, ...]] = {
    "端州区": ("睦岗街道办事处", "黄岗街道办事处", "城东街道办事处"),
    "鼎湖区": ("桂城街道办事处", "永安镇人民政府", "沙浦镇人民政府", "莲花镇人民政府"),
    "高要区": ("金利镇人民政府", "蛟塘镇人民政府", "白土镇人民政府", "回龙镇人民政府"),
    "四会市": ("大沙镇人民政府", "贞山街道办事处", "东城街道办事处", "龙甫镇人民政府"),
    "广宁县": ("南街街道办事处", "古水镇人民政府", "排沙镇人民政府", "石涧镇人民政府"),
    "怀集县": ("怀城街道办事处", "冷坑镇人民政府", "马宁镇人民政府", "梁村镇人民政府"),
    "封开县": ("江口街道办事处", "长岗镇人民政府", "大洲镇人民政府", "南丰镇人民政府"),
    "德庆县": ("德城街道办事处", "新圩镇人民政府", "官圩镇人民政府", "悦城镇人民政府"),
    "肇庆高新区": ("肇庆高新区经济发展局", "肇庆高新区招商服务局", "肇庆高新区规划建设局"),
    "肇庆新区": ("肇庆新区经济发展局", "肇庆新区规划建设局", "肇庆新区招商局"),
    "粤桂合作特别试验区（肇庆）": ("粤桂合作特别试验区（肇庆）管委会经济发展局",),
}
_PROGRESS = (
    ("正在办理用地报批手续", "土地征收工作推进中", "规划选址已完成，待土地挂牌", "用地组卷已上报"),
    ("正在办理施工许可证", "施工图设计审查中", "场地平整基本完成", "正在开展施工招标"),
    ("主体工程完成约{p}%", "厂房建设完成约{p}%", "正在进行主体结构施工，完成约{p}%"),
    ("已竣工验收，设备安装调试中", "已竣工，正在办理投产前手续"),
    ("已投产", "已正式投产，产能逐步释放"),
)
_PROBLEMS = (
    ("用地报批进度慢", "征地拆迁存在阻力", "林地征占手续未办结", "土地规划调整未完成"),
    ("施工许可审批待办结", "施工用电未接入", "环评批复未完成", "项目资金未到位"),
    ("施工用水用电不足", "设备采购延期", "项目资金紧张，施工进度滞后", "消防验收待办理"),
)


# ---------------------------------------------------------------------------------------
# ground truth


def _split(n: int, shares: Sequence[float]) -> np.ndarray:
    """``n`` split by ``shares`` with largest remainders (sums to ``n``)."""
    raw = np.asarray(shares, dtype=float) / np.sum(shares) * n
    counts = np.floor(raw).astype(int)
    order = np.argsort(-(raw - counts), kind="stable")
    counts[order[: n - counts.sum()]] += 1
    return counts


def _pick(table: Sequence[Sequence[str]], row: np.ndarray, k: np.ndarray) -> np.ndarray:
    """``table[row][k % len(table[row])]`` for arrays of rows and draws."""
    lens = np.array([len(r) for r in table])
    width = lens.max()
    grid = np.array([list(r) + [r[0]] * (width - len(r)) for r in table], dtype=object)
    return grid[row, k % lens[row]]


def _dates(rng: np.random.Generator, start: str, end: str, n: int) -> np.ndarray:
    lo, hi = np.datetime64(start, "D"), np.datetime64(end, "D")
    return lo + rng.integers(0, (hi - lo) // _DAY + 1, n) * _DAY


def _in_month(rng: np.random.Generator, month: np.ndarray) -> np.ndarray:
    """A random day of each 2023 ``month`` (NaT where month is 0)."""
    first = (np.datetime64("2023-01", "M") + np.maximum(month, 1) - 1).astype("datetime64[D]")
    nxt = (np.datetime64("2023-01", "M") + np.maximum(month, 1)).astype("datetime64[D]")
    days = ((nxt - first) // _DAY).astype(int)
    out = first + np.floor(rng.random(len(month)) * days).astype(int) * _DAY
    return np.where(month > 0, out, _NAT)


def _month_end(d: np.ndarray) -> np.ndarray:
    months = d.astype("datetime64[M]")
    return np.where(np.isnat(d), _NAT, (months + 1).astype("datetime64[D]") - _DAY)


def _county_projects(
    rng: np.random.Generator,
    county: str,
    plan: _Plan,
    threshold: float,
    towns: Sequence[str] | None = None,
) -> pd.DataFrame:
    """One row per project of one county: baseline, campaign milestones, plan, people.

    ``towns``: responsible towns of a county outside the sample (default: the sample's).
    """
    n_below = len(plan.below)
    n_in = plan.n - n_below
    n_add = sum(plan.added.values())
    n = plan.n + n_add
    cat = np.concatenate(
        [
            rng.permutation(np.repeat([0, 1, 2], _split(n_in, plan.mix))),
            rng.choice(3, size=n_below, p=np.asarray(plan.mix) / sum(plan.mix)),
            np.zeros(n_add, dtype=int),
        ]
    )
    in_scope = np.r_[np.ones(n_in), np.zeros(n_below), np.ones(n_add)].astype(bool)
    first = np.r_[np.full(plan.n, 7), np.repeat(list(plan.added), list(plan.added.values()))]
    first = first.astype(int)
    july = first == 7

    # total investment: right-skewed above the threshold, a few very large ones [万元]
    total = threshold * plan.size * np.exp(np.abs(rng.normal(0.0, 0.8, n)))
    big = rng.random(n) < 0.025
    total = np.where(big, rng.uniform(100000, 1000000, n), total)
    step = np.where(rng.random(n) < 0.35, 1000.0, 100.0)
    total = np.ceil(total / step) * step
    total[n_in : plan.n] = plan.below
    if plan.boundary is not None:
        total[0] = plan.boundary

    # campaign achievements: stratified by category, counts fixed by the plan
    achieve = np.zeros(n, dtype=int)  # month the goal is reached, 0 = not in 2023
    for c in range(3):
        idx = np.flatnonzero(in_scope & july & (cat == c))
        cum = np.round(plan.final[c] * len(idx) * np.asarray(plan.shape))
        k = np.searchsorted(cum, rng.permutation(len(idx)), side="right")
        achieve[idx] = np.where(k < 5, 8 + k, 0)
    others = ~(in_scope & july) & (first < 12)
    lucky = rng.random(n) < np.where(july, 0.5, 0.4)
    later = first + 1 + np.floor(rng.random(n) * (12 - first)).astype(int)
    achieve = np.where(others & lucky, later, achieve)

    # milestone dates: baseline history backwards from the latest milestone, then the goal
    ms = np.full((n, 5), _NAT)
    c0, c1, c2 = cat == 0, cat == 1, cat == 2
    ms[:, 0] = np.where(c0 & july, _dates(rng, "2022-09-01", "2023-07-18", n), _NAT)
    ms[:, 0] = np.where(c0 & ~july, _in_month(rng, first) - rng.integers(0, 6, n) * _DAY, ms[:, 0])
    ms[:, 1] = np.where(c1, _dates(rng, "2022-06-01", "2023-07-18", n), _NAT)
    start = _dates(rng, "2022-01-10", "2023-07-15", n)
    if county == HUAIJI:
        which = np.flatnonzero(c2)
        recent = rng.permutation(which)[:HUAIJI_STARTED_2023]
        start = np.where(
            np.isin(np.arange(n), recent),
            _dates(rng, "2023-01-05", "2023-07-15", n),
            _dates(rng, "2022-02-01", "2022-12-20", n),
        )
    ms[:, 2] = np.where(c2, start, _NAT)
    ms[:, 1] = np.where(c2, ms[:, 2] - rng.integers(20, 151, n) * _DAY, ms[:, 1])
    ms[:, 0] = np.where(c1 | c2, ms[:, 1] - rng.integers(30, 301, n) * _DAY, ms[:, 0])
    goal = _in_month(rng, achieve)
    rows = np.arange(n)
    ms[rows, cat + 1] = np.where(achieve > 0, goal, ms[rows, cat + 1])

    # after the goal: some land achievers start, some completions go into production
    nxt = ms[:, 1] + rng.integers(15, 91, n) * _DAY
    go = c0 & (achieve > 0) & (rng.random(n) < plan.follow_on) & (nxt <= _YEAR_END)
    ms[:, 2] = np.where(go, nxt, ms[:, 2])
    prod = ms[:, 3] + rng.integers(10, 61, n) * _DAY
    go = c2 & (achieve > 0) & (rng.random(n) < 0.5) & (prod <= _YEAR_END)
    ms[:, 4] = np.where(go, prod, ms[:, 4])
    if county == HUAIJI:  # two small plants built within the campaign
        starters = np.flatnonzero(c1 & (achieve > 0))
        quick = starters[np.argsort(ms[starters, 2], kind="stable")][:HUAIJI_QUICK_BUILDS]
        done = ms[quick, 2] + rng.integers(70, 111, len(quick)) * _DAY
        ms[quick, 3] = np.minimum(done, np.datetime64("2023-12-28"))

    # planned dates: near the actual date for achievers, spread over the next months otherwise
    goal_actual = ms[rows, cat + 1]
    planned_goal = np.where(
        achieve > 0,
        goal_actual + rng.integers(-45, 21, n) * _DAY,
        _dates(rng, "2023-08-10", "2024-03-31", n),
    )
    planned = np.full((n, 3), _NAT)  # land, start, completion
    planned[rows, cat] = planned_goal
    for k in (1, 2):
        gap = rng.integers(60, 181, n) if k == 1 else rng.integers(240, 541, n)
        planned[:, k] = np.where(cat < k, planned[:, k - 1] + gap * _DAY, planned[:, k])
    snap = rng.random(n) < 0.3
    planned = np.where(snap[:, None], _month_end(planned), planned)
    planned = np.where((rng.random(n) < 0.07)[:, None], _NAT, planned)

    # annual plan [万元]
    share = np.where(c0, rng.uniform(0.05, 0.2, n), rng.uniform(0.15, 0.45, n))
    annual = np.minimum(np.round(total * share, -1), total)

    # names, owners, people
    industries = np.array(list(_INDUSTRIES))
    ind = industries[rng.integers(0, len(industries), n)]
    brand = np.array(_BRANDS)[rng.integers(0, len(_BRANDS), 3 * n)]
    ind3 = np.tile(ind, 3)
    ind_no = pd.Series(ind3).map({k: i for i, k in enumerate(_INDUSTRIES)}).to_numpy()
    products = tuple(v[1] for v in _INDUSTRIES.values())
    product = _pick(products, ind_no, rng.integers(0, 12, 3 * n))
    suffix = np.array(_SUFFIXES)[rng.integers(0, len(_SUFFIXES), 3 * n)]
    cand = pd.DataFrame({"brand": brand, "name": pd.Series(brand) + product + suffix})
    distinct = cand.drop_duplicates("name").head(n)
    if len(distinct) < n:
        # a list longer than the name vocabulary (benchmark scale): number repeated names
        cand = cand.head(n).reset_index(drop=True)
        again = cand.groupby("name").cumcount()
        cand["name"] = cand["name"].where(
            again == 0, cand["name"] + "（" + (again + 1).astype("str") + "）"
        )
    else:
        cand = distinct
    owner_kind = pd.Series(ind).map(lambda i: _INDUSTRIES[i][0])
    persons = np.array(_SURNAMES)[rng.integers(0, len(_SURNAMES), n)]
    persons = persons + np.array(_GIVEN)[rng.integers(0, len(_GIVEN), n)]
    if towns is not None:
        units = np.array((f"{county}工业和信息化局", f"{county}发展和改革局", *towns))
    else:
        units = np.array(
            (f"{county}工业和信息化局", f"{county}发展和改革局", *_TOWNS[county])
            if county not in ("肇庆高新区", "肇庆新区", "粤桂合作特别试验区（肇庆）")
            else _TOWNS[county]
        )

    frame = pd.DataFrame(
        {
            "county": county,
            "cat": cat,
            "in_scope": in_scope,
            "first_month": first,
            "achieve_month": achieve,
            "total_investment": total,
            "annual_plan": annual,
            "industry": ind,
            "brand": cand["brand"].to_numpy(),
            "name": cand["name"].to_numpy(),
            "owner_kind": owner_kind.to_numpy(),
            "responsible_unit": units[rng.integers(0, len(units), n)],
            "responsible_person": persons,
            "phrase": rng.integers(0, 12, n),
            "invest_noise": rng.uniform(0.7, 1.25, n),
            "has_problem": rng.random(n) < plan.problem_rate,
            "problem_month": rng.choice([7, 7, 8, 9, 10, 11], n),
            "problem_major": rng.random(n) < 0.25,
            "problem_close": np.where(rng.random(n) < plan.never_closed, 99, rng.integers(1, 4, n)),
            "problem_text": rng.integers(0, 4, n),
        }
    )
    for j, col in enumerate(MILESTONES):
        frame[col] = pd.to_datetime(ms[:, j]).astype("datetime64[ns]")
    for j, col in enumerate(("planned_land_on", "planned_start_on", "planned_completion_on")):
        frame[col] = pd.to_datetime(planned[:, j]).astype("datetime64[ns]")
    # ledger order: the July list shuffled, projects added later at the end
    order = np.r_[rng.permutation(int(july.sum())), np.arange(int(july.sum()), n)]
    frame = frame.iloc[order].reset_index(drop=True)
    frame["seq"] = np.arange(1, len(frame) + 1)
    frame["owner"] = "肇庆" + frame["brand"] + frame["owner_kind"] + "有限公司"
    # the owner's brand may repeat: make owners unique with a city prefix variant
    dup = frame["owner"].duplicated()
    frame.loc[dup, "owner"] = (
        "广东" + frame.loc[dup, "brand"] + frame.loc[dup, "owner_kind"] + "有限公司"
    )
    if plan.id_prefix:
        frame["project_id"] = plan.id_prefix + "-2023-" + frame["seq"].map("{:03d}".format)
    else:
        frame["project_id"] = None
    return frame


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


def _build(seed: int) -> tuple[pd.DataFrame, pd.DataFrame, _Plants]:
    """(projects, monthly truth, plants) for one seed."""
    rng = np.random.default_rng(seed)
    cfg = default_config()
    p = pd.concat(
        [_county_projects(rng, c, plan, cfg.key_threshold(c)) for c, plan in PLANS.items()],
        ignore_index=True,
    )
    p["project_key"] = p["project_id"].where(p["project_id"].notna(), p["county"] + ":" + p["name"])
    p["category"] = np.array(CATEGORIES)[p["cat"]]
    plants = _choose_plants(rng, p)
    p = p.set_index("project_key", drop=False)

    # forced by plants: a start on a month end (written 已开工), two projects that vanish
    key = plants.status_word
    p.loc[key, "started_on"] = p.loc[key, "started_on"] + pd.offsets.MonthEnd(0)
    for key in plants.vanish:
        p.loc[key, ["achieve_month"]] = 0
        goal = MILESTONES[int(p.loc[key, "cat"]) + 1]
        later = list(MILESTONES[MILESTONES.index(goal) :])
        p.loc[key, later] = pd.NaT
    p = p.reset_index(drop=True)
    return p, _monthly(p, plants), plants


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


def _report_date(month: int) -> pd.Timestamp:
    """Report date (截至日期) of a 2023 month: its last day."""
    return pd.Timestamp(2023, month, 1) + pd.offsets.MonthEnd(0)


def _monthly(
    p: pd.DataFrame,
    plants: _Plants,
    months: Sequence[int] = MONTHS,
    pace: dict[str, float] | None = None,
) -> pd.DataFrame:
    """Cross projects with report dates: what each ledger would truthfully show.

    ``pace``: investment pace of each county (default: the sample plans').
    """
    months = pd.DataFrame({"month": list(months), "report_date": [_report_date(m) for m in months]})
    t = p.merge(months, how="cross")
    t = t[t["month"] >= t["first_month"]].reset_index(drop=True)
    t["report_date"] = t["report_date"].astype("datetime64[ns]")
    t["first_report_date"] = (
        pd.to_datetime({"year": 2023, "month": t["first_month"], "day": 1}) + pd.offsets.MonthEnd(0)
    ).astype("datetime64[ns]")
    full = t[list(MILESTONES)].copy()
    for col in MILESTONES:
        t[col] = t[col].where(t[col] <= t["report_date"])
    idx = stage_index(t, t["report_date"])
    t["stage"] = np.array(STAGES, dtype=object)[idx.clip(lower=0)]
    t["achieved_on"] = achieved_date(t)
    last = t["project_key"].map(plants.vanish).fillna(12)
    t["listed"] = t["month"] <= last

    # investment [万元]: YTD grows with the year elapsed, slower before construction starts
    started = (full["started_on"] <= t["report_date"]).to_numpy()
    if pace is None:
        pace = {c: plan.pace for c, plan in PLANS.items()}
    pace = t["county"].map(pace).to_numpy()
    raw = t["annual_plan"] * (t["month"] / 12.0) * pace * t["invest_noise"]
    raw = raw * np.where(started, 1.0, 0.3) * 1.08
    t["ytd_actual"] = raw.groupby(t["project_key"]).cummax()
    hj = t["county"] == HUAIJI
    if hj.any():  # (benchmark data sets may have no 怀集县)
        dec_sum = t.loc[hj & (t["month"] == 12), "ytd_actual"].sum()
        factor = HUAIJI_YTD_DECEMBER / dec_sum
        t.loc[hj, "ytd_actual"] *= factor
        annual = t.loc[hj & (t["month"] == 12), "annual_plan"].sum()
        t.loc[hj, "annual_plan"] = np.minimum(
            np.round(t.loc[hj, "annual_plan"] * HUAIJI_ANNUAL_PLAN / annual, -1),
            t.loc[hj, "total_investment"],
        )
    t["ytd_actual"] = np.round(t["ytd_actual"]).astype(float)

    # problems: appear in some month, are crossed off (销号) a few months later or never
    m = t["month"]
    open_from = t["problem_month"].where(t["has_problem"], 99)
    shown = m >= open_from
    cat = t["cat"].to_numpy()
    text = _pick(_PROBLEMS, cat, t["problem_text"].to_numpy())
    t["problems"] = pd.Series(text, index=t.index).where(shown).astype("str")
    t["problem_major"] = t["problem_major"].where(shown).astype("boolean")
    t["problem_closed"] = (m >= open_from + t["problem_close"]).where(shown).astype("boolean")

    # progress text by stage; construction shows a percentage that grows
    st = idx.clip(lower=0).to_numpy()
    text = pd.Series(_pick(_PROGRESS, st, t["phrase"].to_numpy()), index=t.index)
    days = (t["report_date"] - full["started_on"]).dt.days.fillna(0).to_numpy()
    pct = pd.Series(np.clip(np.round(days / 600 * 20) * 5, 5, 95).astype(int), index=t.index)
    parts = text.str.split("{p}", n=1, expand=True).reindex(columns=[0, 1])
    t["progress"] = parts[0] + (pct.astype("str") + parts[1]).fillna("")
    t["remarks"] = np.where(
        t["month"] == t["first_month"],
        np.where(t["first_month"] > 7, "新增项目", None),
        None,
    )
    t["remarks"] = t["remarks"].where(t["total_investment"] < 100000, "市重点项目").astype("str")
    t["category"] = t["category"].astype("str")
    for c in (
        "project_id",
        "name",
        "county",
        "owner",
        "industry",
        "responsible_unit",
        "responsible_person",
        "project_key",
    ):
        t[c] = t[c].astype("str")
    t = t.sort_values(["report_date", "county", "seq"], kind="stable").reset_index(drop=True)
    return t


def sample_projects(seed: int = 2023) -> pd.DataFrame:
    """Ground truth of the sample: one row per project per monthly report date.

    Parameters
    ----------
    seed
        Random seed; the same seed always gives the same frame.

    Returns
    -------
    pandas.DataFrame
        Columns :data:`TRUTH_COLUMNS`. ``project_key`` is the identity loading gives a
        project (its ``project_id`` where the county writes one, else ``county:name``);
        ``category`` the baseline category (stage at ``first_report_date``); milestone dates
        are those known at ``report_date`` (NaT until they happen); ``achieved_on`` the date
        the baseline goal was reached (NaT while not); ``listed`` is False for the months a
        project is missing from its county's ledger. Money in 万元 (``total_investment``,
        ``annual_plan``, ``ytd_actual``).
    """
    return _build(seed)[1][list(TRUTH_COLUMNS)].copy()


# ---------------------------------------------------------------------------------------
# house styles: how each county lays out and spells its ledger

_PLAN3 = (
    ("planned_land_on", "供地"),
    ("planned_start_on", "开工"),
    ("planned_completion_on", "竣工"),
)
_ACT5 = (
    ("signed_on", "签约"),
    ("land_supplied_on", "供地"),
    ("started_on", "开工"),
    ("completed_on", "竣工"),
    ("in_production_on", "投产"),
)
_TAIL = (
    ("problems", "存在问题"),
    ("problem_major", "是否重大问题"),
    ("problem_closed", "是否销号"),
    ("responsible_unit", "责任单位"),
    ("responsible_person", "责任人"),
)
_ONE_ROW_DATES = (
    ("signed_on", "签约时间"),
    ("land_supplied_on", "供地时间"),
    ("started_on", "开工时间"),
    ("completed_on", "竣工时间"),
    ("in_production_on", "投产时间"),
)


def _group(top: str, pairs: Sequence[tuple[str, str]]) -> list[tuple[str, str, str]]:
    return [(f, top, child) for f, child in pairs]


@dataclass(frozen=True)
class _Style:
    """One county's ledger house style."""

    fmt: str  # "xlsx" | "xls" | "csv"
    cols: tuple[tuple[str, ...], ...]  # (field, top header[, child header])
    unit: str  # 填报单位
    sheet: str = "Sheet1"
    date: str = "excel"  # excel | iso | slash | dot | cn
    date_alt: tuple[str, float] | None = None  # another spelling for a share of the cells
    blank: str | None = None  # an actual milestone not yet reached
    blank_planned: str | None = None  # no planned date
    month_only: bool = False  # planned month ends written 2023年10月 / 10月底
    total: str = "number"  # number | yi | comma | yi_or_comma | wan | approx_yi | fullwidth
    annual: str = "number"
    yes_no: tuple[str, str] = ("是", "否")
    closed: tuple[str, str] = ("是", "否")
    trad: bool = False
    category_words: tuple[str, str, str] | None = None  # category column instead of sections
    county_words: tuple[str, ...] = ()
    notes: str = ""  # for README

    @property
    def two_row(self) -> bool:
        return any(len(c) == 3 for c in self.cols)


STYLES: dict[str, _Style] = {
    "端州区": _Style(
        "xlsx",
        (
            ("_seq", "序号"),
            ("name", "项目名称"),
            ("owner", "项目业主"),
            ("industry", "所属行业"),
            ("total_investment", "计划总投资（万元）"),
            ("annual_plan", "2023年计划投资（万元）"),
            ("ytd_actual", "1-{m}月完成投资（万元）"),
            *_group("计划时间", _PLAN3),
            *_group("实际完成时间", _ACT5),
            ("progress", "项目进展"),
            *_TAIL,
            ("remarks", "备注"),
        ),
        "端州区工业和信息化局",
        sheet="项目清单",
        notes="two-row merged header; Excel dates; section rows",
    ),
    "鼎湖区": _Style(
        "xlsx",
        (
            ("_seq", "序号"),
            ("name", "项目名称"),
            ("owner", "建设单位"),
            ("total_investment", "总投资(亿元)"),
            ("annual_plan", "年度计划投资（万元）"),
            ("ytd_actual", "年度累计完成投资（万元）"),
            *_ONE_ROW_DATES,
            ("_planned_goal", "计划完成节点时间"),
            ("progress", "进展情况"),
            *_TAIL,
            ("remarks", "备注"),
        ),
        "鼎湖区发展和改革局",
        date="iso",
        blank="/",
        blank_planned="待定",
        total="yi",
        notes="one-row header; total investment in 亿元; dates as text 2023-08-15; "
        "one planned-date column (计划完成节点时间); 待定 and / for no date",
    ),
    "高要区": _Style(
        "xls",
        (
            ("_seq", "序号"),
            ("project_id", "项目编号"),
            ("name", "项目名称"),
            ("owner", "项目业主"),
            ("total_investment", "计划总投资（万元）"),
            ("annual_plan", "2023年计划投资（万元）"),
            ("ytd_actual", "1-{m}月完成投资（万元）"),
            *_group("计划时间", _PLAN3),
            *_group("实际完成时间", _ACT5),
            ("progress", "项目进展"),
            *_TAIL,
            ("remarks", "备注"),
        ),
        "高要区工业和信息化局",
        date_alt=("slash", 0.25),
        total="comma",
        notes="legacy .xls with merged two-row header; project ids GY-2023-nnn; Excel dates "
        "and text 2023/8/15; money 12,300",
    ),
    "四会市": _Style(
        "xlsx",
        (
            ("_seq", "序号"),
            ("project_id", "项目编号"),
            ("name", "项目名称"),
            ("owner", "项目业主"),
            ("total_investment", "计划总投资（万元）"),
            ("annual_plan", "2023年计划投资（万元）"),
            ("ytd_actual", "1-{m}月完成投资（万元）"),
            *_group("计划时间", _PLAN3),
            *_group("实际完成时间", _ACT5),
            *_TAIL,
            ("remarks", "备注"),
        ),
        "四会市发展和改革局",
        blank="—",
        notes="two-row merged header (the reference layout, no progress column); project ids "
        "SH-2023-nnn; — for no date",
    ),
    "广宁县": _Style(
        "xls",
        (
            ("_seq", "序号"),
            ("name", "项目名称"),
            ("owner", "项目业主"),
            ("category", "项目类别"),
            ("total_investment", "计划总投资（万元）"),
            ("annual_plan", "年度计划投资（万元）"),
            ("ytd_actual", "1-{m}月完成投资（万元）"),
            *_ONE_ROW_DATES,
            ("_planned_goal", "完成时限"),
            ("progress", "项目进展"),
            ("problems", "存在问题"),
            ("problem_major", "是否重大问题"),
            ("problem_closed", "销号情况"),
            ("responsible_unit", "责任单位"),
            ("responsible_person", "责任人"),
        ),
        "广宁县工业和信息化局",
        date="dot",
        blank="/",
        blank_planned="/",
        total="wan",
        closed=("已销号", "未销号"),
        category_words=CATEGORIES,
        notes="legacy .xls, one-row header; category column instead of section rows; dates "
        "2023.8.15; money 12300万元; 已销号/未销号; one planned-date column (完成时限)",
    ),
    "怀集县": _Style(
        "xlsx",
        (
            ("_seq", "序號"),
            ("name", "項目名稱"),
            ("owner", "項目業主"),
            ("total_investment", "計劃總投資（萬元）"),
            ("annual_plan", "年度計劃投資（萬元）"),
            ("ytd_actual", "１－{fm}月完成投資（萬元）"),
            *_group(
                "計劃時間",
                (
                    ("planned_land_on", "供地"),
                    ("planned_start_on", "開工"),
                    ("planned_completion_on", "竣工"),
                ),
            ),
            *_group(
                "實際完成時間",
                (
                    ("signed_on", "簽約"),
                    ("land_supplied_on", "供地"),
                    ("started_on", "開工"),
                    ("completed_on", "竣工"),
                    ("in_production_on", "投產"),
                ),
            ),
            ("progress", "項目進展"),
            ("problems", "存在問題"),
            ("problem_major", "是否重大問題"),
            ("problem_closed", "是否銷號"),
            ("responsible_unit", "責任單位"),
            ("responsible_person", "責任人"),
            ("remarks", "備註"),
        ),
        "懷集縣發展和改革局",
        date="cn",
        annual="fullwidth",
        trad=True,
        notes="traditional-character headers, title and section rows; full-width digits "
        "(１－８月, ５０００); dates 2023年8月15日",
    ),
    "封开县": _Style(
        "csv",
        (
            ("_seq", "序号"),
            ("name", "项目名称"),
            ("owner", "项目业主"),
            ("total_investment", "计划总投资（万元）"),
            ("annual_plan", "2023年计划投资（万元）"),
            ("ytd_actual", "1-{m}月完成投资（万元）"),
            *_group("计划时间", _PLAN3),
            *_group("实际完成时间", _ACT5),
            ("progress", "项目进展"),
            *_TAIL,
            ("remarks", "备注"),
        ),
        "封开县发展和改革局",
        date="iso",
        month_only=True,
        total="yi_or_comma",
        notes="GBK-encoded .csv: two-row header with blanks, no merges; money 0.5亿 / 12,300; "
        "planned dates 2023年10月 (month only) and 10月底 (no year)",
    ),
    "德庆县": _Style(
        "xlsx",
        (
            ("_seq", "序号"),
            ("name", "项目名"),
            ("owner", "项目业主"),
            ("total_investment", "计划投资额"),
            ("annual_plan", "年度计划投资"),
            ("ytd_actual", "年度累计完成投资"),
            ("signed_on", "签约时间"),
            ("land_supplied_on", "供地时间"),
            ("started_on", "动工时间"),
            ("completed_on", "竣工时间"),
            ("in_production_on", "投产时间"),
            ("planned_land_on", "计划供地时间"),
            ("planned_start_on", "计划开工时间"),
            ("planned_completion_on", "计划竣工时间"),
            ("progress", "进展情况"),
            *_TAIL,
            ("remarks", "备注"),
        ),
        "德庆县工业和信息化局",
        sheet="德庆县",
        blank_planned="/",
        total="approx_yi",
        notes="one-row header with short names (项目名, 计划投资额, 动工时间); money 约2.3亿元; "
        "sheet named after the county",
    ),
    "肇庆高新区": _Style(
        "xlsx",
        (
            ("_seq", "序号"),
            ("project_id", "项目编号"),
            ("name", "项目名称"),
            ("county", "所属县区"),
            ("owner", "建设单位"),
            ("industry", "所属行业"),
            ("total_investment", "计划总投资（万元）"),
            ("annual_plan", "2023年计划投资（万元）"),
            ("ytd_actual", "1-{m}月完成投资（万元）"),
            *_group("计划时间", _PLAN3),
            *_group("实际完成时间", _ACT5),
            ("progress", "项目进展"),
            *_TAIL,
            ("remarks", "备注"),
        ),
        "肇庆高新区经济发展局",
        yes_no=("√", "×"),
        closed=("√", "×"),
        county_words=("肇庆高新区", "高新区"),
        notes="two-row merged header; project ids GX-2023-nnn; a county column (所属县区, "
        "spelled 肇庆高新区 or 高新区); √/× for yes/no",
    ),
    "肇庆新区": _Style(
        "xls",
        (
            ("_seq", "序号"),
            ("name", "项目名称"),
            ("owner", "项目业主"),
            ("total_investment", "计划总投资（万元）"),
            ("annual_plan", "年度计划投资（万元）"),
            ("ytd_actual", "1-{m}月完成投资（万元）"),
            *_ONE_ROW_DATES,
            ("_planned_goal", "计划节点时间"),
            ("progress", "项目进展"),
            *_TAIL,
            ("remarks", "备注"),
        ),
        "肇庆新区经济发展局",
        date="slash",
        blank="/",
        blank_planned="/",
        notes="legacy .xls, one-row header; dates 2023/8/15; one planned-date column "
        "(计划节点时间)",
    ),
    "粤桂合作特别试验区（肇庆）": _Style(
        "xlsx",
        (
            ("_seq", "序号"),
            ("name", "项目名"),
            ("owner", "项目业主"),
            ("category", "项目类别"),
            ("total_investment", "计划总投资（万元）"),
            ("annual_plan", "2023年计划投资（万元）"),
            ("ytd_actual", "1-{m}月完成投资（万元）"),
            ("signed_on", "签约时间"),
            ("land_supplied_on", "供地时间"),
            ("started_on", "实际开工时间"),
            ("completed_on", "竣工时间"),
            ("in_production_on", "投产时间"),
            ("planned_land_on", "计划供地时间"),
            ("planned_start_on", "计划开工时间"),
            ("planned_completion_on", "计划竣工时间"),
            ("progress", "项目进展"),
            *_TAIL,
        ),
        "粤桂合作特别试验区（肇庆）管委会经济发展局",
        total="fullwidth",
        category_words=("待供地", "待开工", "在建"),
        notes="one-row header; category column spelled 待供地/待开工/在建; full-width digits "
        "in some totals (１２３００)",
    ),
}

_TRAD_TITLE = "{city}製造業項目建設“大會戰”項目清單（{county}）"
_TITLE = "{city}制造业项目建设“大会战”项目清单（{county}）"
_TRAD_CITY = {"肇庆市": "肇慶市"}
_SECTIONS = (
    "一、已签约未供地项目（{n}个）",
    "二、已供地未动工项目（{n}个）",
    "三、已动工未竣工项目（{n}个）",
    "四、已竣工（投产）项目（{n}个）",
)
_TRAD_SECTIONS = (
    "一、已簽約未供地項目（{n}個）",
    "二、已供地未動工項目（{n}個）",
    "三、已動工未竣工項目（{n}個）",
    "四、已竣工（投產）項目（{n}個）",
)
_TRAD_NAMES = {"怀集县": "懷集縣"}
_FULLWIDTH = str.maketrans("0123456789", "０１２３４５６７８９")
_PLANNED_OF_STAGE = ("planned_land_on", "planned_start_on", "planned_completion_on")


# ---------------------------------------------------------------------------------------
# cell spellings


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

    def full_row(r: int) -> None:
        merges.append((r, 0, r, width - 1))

    # title and 填报单位 / 截至日期 line
    shown_county = tweaks.title_county or county
    unit = STYLES[shown_county].unit if tweaks.title_county else style.unit
    if style.trad:
        title = _TRAD_TITLE.format(
            city=_TRAD_CITY.get(city, city), county=_TRAD_NAMES.get(shown_county, shown_county)
        )
        line = f"填報單位：{unit}    截至日期：{rd.year}年{rd.month}月{rd.day}日"
    else:
        title = _TITLE.format(city=city, county=shown_county)
        line = f"填报单位：{unit}    截至日期：{rd.year}年{rd.month}月{rd.day}日"
    for text in (title, line):
        full_row(len(grid))
        grid.append([text] + [None] * (width - 1))

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
    sums = {"total_investment": 0.0, "annual_plan": 0.0, "ytd_actual": 0.0}

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

    def totals_row(label: str, part: pd.DataFrame) -> list[Any]:
        out: list[Any] = [label] + [None] * (width - 1)
        for f, v in part[list(sums)].sum().items():
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
            full_row(len(grid))
            grid.append([names[s].format(n=len(part))] + [None] * (width - 1))
            for rec in part.itertuples():
                add_project(rec)
                if rec.project_key == tweaks.duplicate:
                    grid.append(project_row(rec))
                    extra["duplicate"] = len(grid)
            if s == 1 and tweaks.nameless:
                grid.append(_nameless_row(fields, seq + 1, county))
                seq += 1
                extra["nameless"] = len(grid)
            if s == 0 and tweaks.undecided:
                grid.append(_undecided_row(fields, seq + 1, county, month))
                seq += 1
                extra["undecided"] = len(grid)
            grid.append(totals_row("小计" if not style.trad else "小計", part))
    else:
        for rec in rows.itertuples():
            add_project(rec)
    grid.append(totals_row("合计" if not style.trad else "合計", rows))
    grid.append([None] * width)
    person, checker = _footer_people(county)
    phone = 2600000 + sum(map(ord, county)) * 37 % 99999
    grid.append([f"填表人：{person}    联系电话：0758-{phone}"] + [None] * (width - 1))
    grid.append([f"审核人：{checker}"] + [None] * (width - 1))
    return _Grid(grid, merges, row_of, extra, header)


def _footer_people(county: str) -> tuple[str, str]:
    k = sum(map(ord, county))
    return (
        _SURNAMES[k % len(_SURNAMES)] + _GIVEN[k % len(_GIVEN)],
        _SURNAMES[(k // 7) % len(_SURNAMES)] + _GIVEN[(k // 5) % len(_GIVEN)],
    )


def _nameless_row(fields: list[str], seq: int, county: str) -> list[Any]:
    """A row whose name was cleared: owner, money and a date remain."""
    values = {
        "_seq": seq,
        "owner": "肇庆鑫达五金制品有限公司",
        "total_investment": 15000,
        "annual_plan": 3000,
        "ytd_actual": 800,
        "responsible_unit": f"{county}工业和信息化局",
    }
    return [values.get(f) for f in fields]


def _undecided_row(fields: list[str], seq: int, county: str, month: int) -> list[Any]:
    """A prospective project whose total investment is still 待定."""
    values = {
        "_seq": seq,
        "project_id": "GY-2023-099",
        "name": "金利智能家居产业园招商储备项目",
        "owner": "待定",
        "total_investment": "待定",
        "progress": "洽谈中",
        "responsible_unit": f"{county}工业和信息化局",
        "remarks": "新增项目",
    }
    return [values.get(f) for f in fields]


def _cell(f: str, rec: Any, style: _Style, rng: np.random.Generator, seq: int) -> Any:
    """One cell of a project row, spelled the county's way."""
    if f == "_seq":
        return seq
    if f in (
        "name",
        "owner",
        "industry",
        "progress",
        "problems",
        "responsible_unit",
        "responsible_person",
        "remarks",
    ):
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
    if f == "_planned_goal":
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


# ---------------------------------------------------------------------------------------
# writers (byte-stable: fixed workbook properties and zip timestamps)

_FIXED_TIME = dt.datetime(2024, 1, 5, 9, 0, 0)
_WIDTHS = {"name": 34, "owner": 28, "progress": 26, "problems": 22, "responsible_unit": 22}


def _write_xlsx(path: Path, sheets: Sequence[tuple[str, _Grid, _Style]]) -> None:
    import openpyxl
    from openpyxl.styles import Alignment, Font
    from openpyxl.utils import get_column_letter

    wb = openpyxl.Workbook()
    wb.remove(wb.active)
    wb.properties.creator = "zqcampaign sample"
    wb.properties.lastModifiedBy = "zqcampaign sample"
    wb.properties.created = _FIXED_TIME
    wb.properties.modified = _FIXED_TIME
    bold = Font(bold=True)
    centre = Alignment(horizontal="center", vertical="center", wrap_text=True)
    for name, g, style in sheets:
        ws = wb.create_sheet(name)
        for row in g.rows:
            ws.append(row)
        for r0, c0, r1, c1 in g.merges:
            ws.merge_cells(start_row=r0 + 1, start_column=c0 + 1, end_row=r1 + 1, end_column=c1 + 1)
        ws["A1"].font = Font(bold=True, size=14)
        ws["A1"].alignment = centre
        depth = 2 if style.two_row else 1
        for r in range(3, 3 + depth):
            for c in range(1, len(style.cols) + 1):
                ws.cell(row=r, column=c).font = bold
                ws.cell(row=r, column=c).alignment = centre
        for j, col in enumerate(style.cols, start=1):
            ws.column_dimensions[get_column_letter(j)].width = _WIDTHS.get(col[0], 12)
    buf = io.BytesIO()
    wb.save(buf)
    _stable_zip(buf.getvalue(), path)


def _stable_zip(data: bytes, path: Path) -> None:
    """Rewrite a zip with fixed timestamps (openpyxl stamps the current time)."""
    stamp = _FIXED_TIME.strftime("%Y-%m-%dT%H:%M:%SZ").encode()
    with zipfile.ZipFile(io.BytesIO(data)) as src, zipfile.ZipFile(path, "w") as dst:
        for info in src.infolist():
            body = src.read(info.filename)
            if info.filename == "docProps/core.xml":
                body = re.sub(
                    rb"(<dcterms:modified[^>]*>)[^<]*(</dcterms:modified>)",
                    rb"\g<1>" + stamp + rb"\g<2>",
                    body,
                )
            zi = zipfile.ZipInfo(info.filename, date_time=_FIXED_TIME.timetuple()[:6])
            zi.compress_type = zipfile.ZIP_DEFLATED
            dst.writestr(zi, body)


def _write_xls(path: Path, sheets: Sequence[tuple[str, _Grid, _Style]]) -> None:
    import xlwt

    wb = xlwt.Workbook(encoding="utf-8")
    date_style = xlwt.easyxf(num_format_str="YYYY-MM-DD")
    plain = xlwt.XFStyle()
    head = xlwt.easyxf("font: bold on; align: horiz center, vert center, wrap on")
    for name, g, style in sheets:
        ws = wb.add_sheet(name)
        depth = 2 if style.two_row else 1
        covered: set[tuple[int, int]] = set()
        for r0, c0, r1, c1 in g.merges:
            st = head if 2 <= r0 < 2 + depth or r0 == 0 else plain
            ws.write_merge(r0, r1, c0, c1, g.rows[r0][c0], st)
            covered |= {(r, c) for r in range(r0, r1 + 1) for c in range(c0, c1 + 1)}
        for r, row in enumerate(g.rows):
            for c, value in enumerate(row):
                if value is None or (r, c) in covered:
                    continue
                if isinstance(value, dt.date):
                    ws.write(r, c, value, date_style)
                else:
                    ws.write(r, c, value, head if 2 <= r < 2 + depth else plain)
        for j, col in enumerate(style.cols):
            ws.col(j).width = 256 * _WIDTHS.get(col[0], 12)
    wb.save(str(path))


def _write_csv(path: Path, g: _Grid) -> None:
    with open(path, "w", encoding="gbk", newline="") as fh:
        writer = csv.writer(fh)
        for row in g.rows:
            writer.writerow(["" if v is None else v for v in row])


# ---------------------------------------------------------------------------------------
# the sample folder


@dataclass(frozen=True)
class _Plant:
    """One planted problem: where it goes, what is written, what loading must report."""

    code: str
    county: str
    month: int
    key: str | None = None  # project whose row carries it (None: an extra row or the file)
    field: str | None = None  # ledger field of the cell; its header names the issue's column
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


def _file_stem(county: str, month: int) -> str:
    return f"{county}_2023年{month}月项目清单"


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
            "bad_date", "肇庆新区", 9, plants.bad_date, "_planned_goal", "2023-13-45", "2023-13-45"
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


def write_sample(out_dir: str | Path, *, seed: int = 2023) -> list[Path]:
    """Write the sample ledgers, ``README.md`` and ``expected_issues.tsv`` into ``out_dir``.

    Parameters
    ----------
    out_dir
        Folder to write into (created if needed). Files are written as
        ``2023-MM/<county>_2023年M月项目清单.<ext>``, except October, which is one city
        workbook ``2023-10/肇庆市_2023年10月_项目清单.xlsx`` with a sheet per county.
    seed
        Random seed of the ground truth (:func:`sample_projects`) and of the spellings.

    Returns
    -------
    list of pathlib.Path
        The ledger files in writing order, then ``README.md`` and ``expected_issues.tsv``.
    """
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    projects, truth, plants = _build(seed)
    plant_list = _plant_list(projects, truth, plants)
    tweaks = _tweaks(plant_list)
    rng = np.random.default_rng([seed, 1])
    written: list[Path] = []
    grids: dict[tuple[str, int], tuple[str, str, _Grid]] = {}  # -> (file, sheet, grid)
    for month in MONTHS:
        folder = out / f"2023-{month:02d}"
        folder.mkdir(exist_ok=True)
        listed = truth[(truth["month"] == month) & truth["listed"]]
        city: list[tuple[str, _Grid, _Style]] = []
        for county, style in STYLES.items():
            rows = listed[listed["county"] == county]
            g = _grid(county, month, rows, style, rng, tweaks.get((county, month), _Tweaks()))
            if month == CITY_MONTH:
                city.append((county, g, style))
                grids[(county, month)] = (
                    f"{folder.name}/肇庆市_2023年10月_项目清单.xlsx",
                    county,
                    g,
                )
                continue
            stem = _file_stem(county, 10 if (county, month) == ("广宁县", 11) else month)
            path = folder / f"{stem}.{style.fmt}"
            if style.fmt == "xlsx":
                _write_xlsx(path, [(style.sheet, g, style)])
            elif style.fmt == "xls":
                _write_xls(path, [(style.sheet, g, style)])
            else:
                _write_csv(path, g)
            sheet = stem if style.fmt == "csv" else style.sheet
            grids[(county, month)] = (f"{folder.name}/{path.name}", sheet, g)
            written.append(path)
        if city:
            path = folder / "肇庆市_2023年10月_项目清单.xlsx"
            _write_xlsx(path, city)
            written.append(path)

    expected = _expected(plant_list, grids, projects.set_index("project_key")["name"])
    issues_path = out / EXPECTED_ISSUES
    csv_text = expected.drop(columns="what").to_csv(index=False, sep="\t", lineterminator="\n")
    issues_path.write_bytes(csv_text.encode("utf-8-sig"))
    readme = out / "README.md"
    readme.write_text(_readme(seed, projects, truth, expected), encoding="utf-8")
    return [*written, readme, issues_path]


# ---------------------------------------------------------------------------------------
# README


def _rates(truth: pd.DataFrame, when: str) -> pd.DataFrame:
    """Completion of the in-scope list by county as of a month end (truth)."""
    d = truth[(truth["report_date"] == pd.Timestamp(when)) & truth["in_scope"]]
    g = d.groupby("county", sort=False).agg(
        total=("project_key", "size"), achieved=("achieved_on", "count")
    )
    g["rate"] = g["achieved"] / g["total"]
    return g


def _readme(seed: int, p: pd.DataFrame, truth: pd.DataFrame, expected: pd.DataFrame) -> str:
    dec = truth[truth["month"] == 12]
    sep = _rates(truth, "2023-09-30")
    end = _rates(truth, "2023-12-31")
    hj = dec[dec["county"] == HUAIJI]
    year = pd.Timestamp("2023-01-01")
    starts = int((hj["started_on"] >= year).sum())
    completions = int((hj["completed_on"] >= year).sum())
    lines = [
        "# Sample ledgers: 肇庆市制造业项目建设“大会战” (July–December 2023)",
        "",
        f"Generated by `zqcampaign.sample.write_sample(out_dir, seed={seed})` "
        "(CLI: `zqcampaign sample OUT`). Do not edit by hand: regenerate. Every project, "
        "company and person is fictional; the ground truth behind the files is "
        "`zqcampaign.sample.sample_projects(seed)` (one row per project per report date).",
        "",
        'Load with `zq.load("sample_data")`. Money is in 万元; report dates (截至日期) are the '
        "month ends 2023-07-31 … 2023-12-31.",
        "",
        "## Files",
        "",
        "One folder per month. Each county sends its own ledger, except in October, when the "
        "city office collected everything into one workbook "
        "`2023-10/肇庆市_2023年10月_项目清单.xlsx` with one sheet per county (sheet name = "
        "county, same layout as that county's own files).",
        "",
        "| county | file (2023-08 shown) | format | sheet | layout and spellings |",
        "|---|---|---|---|---|",
    ]
    for county, style in STYLES.items():
        sheet = f"{_file_stem(county, 8)} (CSV: file stem)" if style.fmt == "csv" else style.sheet
        lines.append(
            f"| {county} | `{_file_stem(county, 8)}.{style.fmt}` | {style.fmt} | {sheet} | "
            f"{style.notes} |"
        )
    lines += [
        "",
        "Every ledger: row 1 title `肇庆市制造业项目建设“大会战”项目清单（县）`, row 2 "
        "`填报单位：…    截至日期：2023年M月D日`, the header (rows 3–4 when two rows), then the "
        "projects. Counties without a category column group projects in section rows "
        "`一、已签约未供地项目（n个）`, `二、已供地未动工项目`, `三、已动工未竣工项目` by their stage "
        "at the report date, with a fourth section `四、已竣工（投产）项目` for those past "
        "construction (read as 已竣工; the dates decide the stage); "
        "a `小计` row closes each section, a `合计` row the list, then a blank row and the "
        "footer `填表人：…    联系电话：0758-…` / `审核人：…`.",
        "",
        "Spellings spread over the files: Excel dates, `2023-08-15`, `2023/8/15`, `2023.8.15`, "
        "`2023年8月15日`, month-only `2023年10月` and year-less `10月底` planned dates "
        "(封开县; info `month_only_date` / `yearless_date`, resolved to the month end, which is "
        "the true date), `已开工` (德庆县, once), `待定`, `/`, `—` for no date; money `12,300`, "
        "`0.5亿`, `12300万元`, `约2.3亿元`, `１２３００`, amounts in 亿元 under `总投资(亿元)`; "
        "yes/no as 是/否, √/×, 已销号/未销号. Project ids (`SH-2023-001`) only in 四会市, 高要区 "
        "and 肇庆高新区; elsewhere a project is known by county + name.",
        "",
        "## The story (ground truth)",
        "",
        f"- {p['project_key'].nunique()} projects; {int(p['in_scope'].sum())} in scope "
        f"(key projects: ≥ 10,000 万元, north-west ≥ 5,000 万元). Boundaries: one 端州区 "
        "project at exactly 10,000 万元 and one 封开县 project at exactly 5,000 万元 (both in "
        "scope).",
        f"- 鼎湖区 + 肇庆新区: "
        f"{int(p['county'].isin(['鼎湖区', '肇庆新区']).sum())} projects on the list.",
        f"- 四会市: {sep.loc['四会市', 'achieved']}/{sep.loc['四会市', 'total']} = "
        f"{sep.loc['四会市', 'rate']:.1%} of its list achieved as of 2023-09-30 "
        "(pledge 75 %).",
        f"- 怀集县 in 2023: {starts} projects started, {completions} completed (pledges 20 "
        f"and 20); YTD actual investment by December {hj['ytd_actual'].sum():,.0f} 万元 "
        f"(pledge ≥ 250,000), annual plan {hj['annual_plan'].sum():,.0f} 万元.",
        f"- Added after July: {int((p['first_month'] > 7).sum())} projects. Two projects "
        "vanish from later ledgers (see `missing_from_snapshot` below).",
        "",
        "| county | list (in scope, Dec) | achieved 2023-09-30 | rate 09-30 | "
        "achieved 2023-12-31 | rate 12-31 |",
        "|---|---|---|---|---|---|",
    ]
    for county in STYLES:
        lines.append(
            f"| {county} | {end.loc[county, 'total']} | {sep.loc[county, 'achieved']}/"
            f"{sep.loc[county, 'total']} | {sep.loc[county, 'rate']:.1%} | "
            f"{end.loc[county, 'achieved']} | {end.loc[county, 'rate']:.1%} |"
        )
    lines += [
        "",
        "Rates: in-scope projects on the list by that date whose baseline goal (the next "
        "milestone of their July / first-listed category) is dated on or before it.",
        "",
        "## Planted problems: what loading must report",
        "",
        "Also in machine-readable form in `expected_issues.tsv` (tab-separated so the loader does not take it for a ledger; "
        "UTF-8 with BOM; columns "
        "file, sheet, row, column, value, code). Row numbers are the spreadsheet's own, "
        "1-based; file-level conflicts have no row or column. Info-level `month_only_date` and "
        "`yearless_date` notes are expected too but not listed.",
        "",
        "| file | sheet | row | column | value | code | what |",
        "|---|---|---|---|---|---|---|",
    ]
    for x in expected.itertuples():
        row = "" if pd.isna(x.row) else x.row
        column = "" if pd.isna(x.column) else x.column
        lines.append(
            f"| {x.file} | {x.sheet} | {row} | {column} | {x.value} | `{x.code}` | {x.what} |"
        )
    lines.append("")
    return "\n".join(lines)


# ---------------------------------------------------------------------------------------
# province scale (benchmarks): many cities, each county in one of the sample's house styles

#: Cities of the province besides 肇庆市 (whose own 11 divisions are kept as they are).
PROVINCE_CITIES: tuple[str, ...] = (
    "广州市",
    "深圳市",
    "珠海市",
    "汕头市",
    "佛山市",
    "韶关市",
    "河源市",
    "梅州市",
    "惠州市",
    "汕尾市",
    "东莞市",
    "中山市",
    "江门市",
    "阳江市",
    "湛江市",
    "茂名市",
    "清远市",
    "潮州市",
    "揭阳市",
    "云浮市",
)
_STEM_FIRST = "龙凤金银泰华顺福永丰乐康瑞嘉祥明宝盛荣昌隆吉平碧翠玉锦秀青丹紫松柏桂兰梓"
_STEM_SECOND = "山江河湖溪岭田洲塘坪林峰岗源川湾桥城岩滩坝浦沙泉谷"
_COUNTY_SUFFIX = "区区区区县县县县县县市市"


@dataclass(frozen=True)
class ProvinceCounty:
    """One generated county: name, its city, its alias and the sample county it mimics."""

    name: str
    city: str
    alias: str
    template: str  # sample county whose plan (list size, pace) and house style it takes
    northwest: bool


def province_counties(
    seed: int = 2023, *, cities: Sequence[str] = PROVINCE_CITIES, per_city: int = 12
) -> list[ProvinceCounty]:
    """Fictional counties of the province: ``per_city`` per city, unambiguous names.

    Each name is a two-character stem plus 区/县/市; the stem is its alias. A stem is taken
    only when no title, file name or unit line of any county would then name two counties.
    Zhaoqing's own divisions (default configuration) come first, unchanged.
    """
    from .text import normalize_text
    from .values import find_county

    rng = np.random.default_rng([seed, 6])
    cfg = default_config()
    templates = list(PLANS)
    stems = [a + b for a in _STEM_FIRST for b in _STEM_SECOND]
    stems = [stems[i] for i in rng.permutation(len(stems))]
    aliases = cfg.alias_map()
    texts: list[str] = []  # every title, unit line and file name accepted so far
    out = [
        ProvinceCounty(d.name, cfg.city, d.aliases[0] if d.aliases else d.name, d.name, d.northwest)
        for d in cfg.divisions
    ]
    for d in cfg.divisions:
        texts += _county_texts(cfg.city, d.name, d.name)
    k = 0
    for city in cities:
        for j in range(per_city):
            template = templates[(len(out)) % len(templates)]
            while True:
                stem = stems[k]
                k += 1
                name = stem + _COUNTY_SUFFIX[j % len(_COUNTY_SUFFIX)]
                own = _county_texts(city, name, template)
                trial = {**aliases, normalize_text(name): name, normalize_text(stem): name}
                if any(stem in t or name in t for t in texts):
                    continue
                if all(find_county(t, trial) == name for t in own):
                    break
            aliases = trial
            texts += own
            out.append(ProvinceCounty(name, city, stem, template, template in cfg.northwest))
    return out


def _county_texts(city: str, county: str, template: str) -> list[str]:
    """Texts the loader searches for a county name: title, unit line, file and sheet names."""
    unit = county + STYLES[template].unit[len(template) :]
    return [
        _TITLE.format(city=city, county=county),
        _TRAD_TITLE.format(city=_TRAD_CITY.get(city, city), county=county),
        f"填报单位：{unit}    截至日期：2023年8月31日",
        _file_stem(county, 8),
        f"{county} {_TITLE.format(city=city, county=county)}",
    ]


def province_config(counties: Sequence[ProvinceCounty]) -> str:
    """``zqcampaign.toml`` text for the province: every county as a division.

    Targets and supervision groups stay the built-in (Zhaoqing) ones.
    """
    cfg = default_config()
    lines = [
        "# Province-scale benchmark configuration, written by zqcampaign.sample.write_province.",
        "",
        "[campaign]",
        'city = "广东省"',
        'name = "广东省制造业项目建设“大会战”（基准测试数据）"',
        "start = " + cfg.start.isoformat(),
        "end = " + cfg.end.isoformat(),
        "",
    ]
    own = {d.name: d for d in cfg.divisions}
    for c in counties:
        aliases = own[c.name].aliases if c.name in own else (c.alias,)
        quoted = ", ".join(f'"{a}"' for a in aliases)
        lines += ["[[divisions]]", f'name = "{c.name}"', f"aliases = [{quoted}]"]
        if c.northwest:
            lines.append("northwest = true")
        lines.append("")
    return "\n".join(lines)


def _province_style(c: ProvinceCounty) -> _Style:
    import dataclasses

    style = STYLES[c.template]
    if c.name == c.template:
        return style
    return dataclasses.replace(
        style,
        unit=c.name + style.unit[len(c.template) :],
        sheet=c.name if style.sheet == c.template else style.sheet,
        county_words=(c.name, c.alias) if style.county_words else (),
    )


def province_truth(
    seed: int = 2023,
    *,
    cities: Sequence[str] = PROVINCE_CITIES,
    per_city: int = 12,
    months: Sequence[int] = tuple(range(1, 13)),
) -> tuple[list[ProvinceCounty], pd.DataFrame]:
    """(counties, monthly truth) of the province: the sample's story in every county.

    Each county follows the plan of the sample county it mimics (list size, mix, pace);
    the July list is already listed from the first of ``months``.
    """
    import dataclasses

    counties = province_counties(seed, cities=cities, per_city=per_city)
    rng = np.random.default_rng([seed, 7])
    cfg = default_config()
    frames = []
    for i, c in enumerate(counties):
        plan = PLANS[c.template]
        if plan.id_prefix and c.name != c.template:
            plan = dataclasses.replace(plan, id_prefix=f"P{i:03d}")
        towns = None if c.name == c.template else ()
        threshold = cfg.northwest_key_project_min if c.northwest else cfg.key_project_min
        frames.append(_county_projects(rng, c.name, plan, threshold, towns))
    p = pd.concat(frames, ignore_index=True)
    p["project_key"] = p["project_id"].where(p["project_id"].notna(), p["county"] + ":" + p["name"])
    p["category"] = np.array(CATEGORIES)[p["cat"]]
    p["first_month"] = p["first_month"].where(p["first_month"] != 7, min(months))
    pace = {c.name: PLANS[c.template].pace for c in counties}
    return counties, _monthly(p, _Plants(), months, pace)


def write_province(
    out_dir: str | Path,
    *,
    seed: int = 2023,
    cities: Sequence[str] = PROVINCE_CITIES,
    per_city: int = 12,
    months: Sequence[int] = tuple(range(1, 13)),
) -> list[Path]:
    """Write a province-scale data set: one ledger per county per month, and its config.

    Zhaoqing's 11 divisions plus ``per_city`` fictional counties in each of ``cities``
    (default: 20 × 12, 251 counties, about 10,000 projects), each county in the house
    style of the sample county it mimics (.xlsx / .xls / GBK .csv, merged headers, section
    rows, the same spellings of dates and money). Files go to ``2023-MM/``; October comes
    as one workbook per city with a sheet per county. ``zqcampaign.toml`` names every
    county. No problems are planted. Deterministic for a seed.

    Returns
    -------
    list of pathlib.Path
        The ledger files, then ``zqcampaign.toml``.
    """
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    counties, truth = province_truth(seed, cities=cities, per_city=per_city, months=months)
    rng = np.random.default_rng([seed, 8])
    written: list[Path] = []
    for month in months:
        folder = out / f"2023-{month:02d}"
        folder.mkdir(exist_ok=True)
        listed = truth[truth["month"] == month]
        by_county = dict(tuple(listed.groupby("county", sort=False)))
        city_sheets: dict[str, list[tuple[str, _Grid, _Style]]] = {}
        for c in counties:
            style = _province_style(c)
            rows = by_county.get(c.name, listed.iloc[:0])
            g = _grid(c.name, month, rows, style, rng, _Tweaks(), city=c.city)
            if month == CITY_MONTH:
                city_sheets.setdefault(c.city, []).append((c.name, g, style))
                continue
            path = folder / f"{_file_stem(c.name, month)}.{style.fmt}"
            if style.fmt == "xlsx":
                _write_xlsx(path, [(style.sheet, g, style)])
            elif style.fmt == "xls":
                _write_xls(path, [(style.sheet, g, style)])
            else:
                _write_csv(path, g)
            written.append(path)
        for city, sheets in city_sheets.items():
            path = folder / f"{city}_2023年{month}月_项目清单.xlsx"
            _write_xlsx(path, sheets)
            written.append(path)
    config = out / "zqcampaign.toml"
    config.write_text(province_config(counties), encoding="utf-8")
    return [*written, config]


def write_big_sheet(
    path: str | Path, *, rows: int = 100_000, seed: int = 2023, county: str = "端州区"
) -> Path:
    """One ledger sheet with ``rows`` projects (December 2023), in ``county``'s house style.

    Mostly clean rows, as a county's own ledger: the sample's spellings of that county, no
    planted problems. For load benchmarks.
    """
    import dataclasses

    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    rng = np.random.default_rng([seed, 9])
    cfg = default_config()
    plan = dataclasses.replace(PLANS[county], n=rows, added={}, boundary=None)
    p = _county_projects(rng, county, plan, cfg.key_threshold(county))
    p["project_key"] = p["project_id"].where(p["project_id"].notna(), p["county"] + ":" + p["name"])
    p["category"] = np.array(CATEGORIES)[p["cat"]]
    truth = _monthly(p, _Plants(), (12,))
    style = STYLES[county]
    g = _grid(county, 12, truth, style, rng, _Tweaks())
    writer = {"xlsx": _write_xlsx, "xls": _write_xls}[style.fmt]
    writer(path, [(style.sheet, g, style)])
    return path
