"""The story of the sample: its report months and one plan per county.

A :class:`_Plan` says how long a county's July list is, how its projects split over the three
categories, how fast they reach their goals and spend, and how often they report problems.
:data:`PLANS` holds the plan of each of Zhaoqing's 11 divisions; the 怀集县 constants fix the
numbers its pledges are checked against.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import pandas as pd

MONTHS: tuple[int, ...] = tuple(range(7, 13))


def _report_date(month: int) -> pd.Timestamp:
    """Report date (截至日期) of a 2023 month: its last day."""
    return pd.Timestamp(2023, month, 1) + pd.offsets.MonthEnd(0)


REPORT_DATES: tuple[pd.Timestamp, ...] = tuple(_report_date(m) for m in MONTHS)


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


def _lagging(
    n: int, final: float, added: dict[int, int], below: float, *, pace: float, problem_rate: float
) -> _Plan:
    """A county behind: more of its list waits for land, goals come late, money slowly, and
    more of its problems are never crossed off."""
    return _Plan(
        n,
        (0.4, 0.3, 0.3),
        (final,) * 3,
        _BEHIND,
        added,
        (below,),
        pace=pace,
        problem_rate=problem_rate,
        never_closed=0.6,
    )


PLANS: dict[str, _Plan] = {
    "端州区": _Plan(
        20, (0.3, 0.3, 0.4), (0.92,) * 3, _MIDDLE, {9: 1, 11: 1}, (8000.0,), boundary=10000.0
    ),
    "鼎湖区": _Plan(38, (0.35, 0.3, 0.35), (0.88,) * 3, _MIDDLE, {8: 1, 11: 1}),
    "高要区": _Plan(
        57, (0.3, 0.3, 0.4), (0.97,) * 3, _AHEAD, {8: 1, 9: 1, 12: 1}, (9500.0,), id_prefix="GY"
    ),
    "四会市": _Plan(55, (0.3, 0.3, 0.4), (0.96,) * 3, _SIHUI, {}, (6000.0,), id_prefix="SH"),
    "广宁县": _lagging(33, 0.6, {11: 2}, 4800.0, pace=0.7, problem_rate=0.45),
    "怀集县": _Plan(
        50, (0.3, 0.3, 0.4), (11 / 15, 10 / 15, 17 / 20), _MIDDLE, {}, size=2.0, follow_on=0.0
    ),
    "封开县": _Plan(
        29, (0.35, 0.3, 0.35), (0.85,) * 3, _MIDDLE, {8: 1}, (3500.0,), boundary=5000.0
    ),
    "德庆县": _lagging(29, 0.55, {9: 1}, 4500.0, pace=0.75, problem_rate=0.5),
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
