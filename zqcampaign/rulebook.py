"""The office's rules as data: flag rules, the 序时进度 convention, the ranking rubric.

Foundation module (below :mod:`zqcampaign.config`, which reads these tables from TOML).
A flag rule is *metric, comparison, threshold → flag*; an ordered list of them is a rule
set, the worst flag of the rules that fire wins. A rubric component is *metric → points*
(points per unit from a base, capped), times a weight. See the README, "Rule configuration".
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, Protocol

__all__ = [
    "COMPARISONS",
    "COUNTY_METRICS",
    "PACE_BASES",
    "PROJECT_METRICS",
    "RUBRIC_METRICS",
    "FlagRule",
    "RubricComponent",
    "default_county_rules",
    "default_project_rules",
    "default_rubric",
    "parse_rubric",
    "parse_rules",
]

FLAGS = ("blue", "yellow", "red")
#: ``pace.basis``: 序时进度 by days, or by whole months elapsed (as Guangdong's bulletins).
PACE_BASES = ("days", "months")

#: Comparison keys of a rule and their test (``value`` against ``threshold``).
COMPARISONS: dict[str, str] = {
    "above": ">",
    "at_least": "≥",
    "below": "<",
    "at_most": "≤",
}

#: Metrics of project rules: name -> (Chinese, unit, boolean?)
PROJECT_METRICS: dict[str, tuple[str, str, bool]] = {
    "days_late": ("逾期天数", "天", False),
    "months_late": ("逾期月数", "个月", False),
    "no_planned_date": ("未填计划时间", "", True),
    "open_problem": ("存在问题未销号", "", True),
    "open_major_problem": ("存在重大问题", "", True),
    "postponements": ("计划时间推迟次数", "次", False),
    "postponed_days": ("计划时间累计推迟天数", "天", False),
    "months_flagged": ("连续预警月数", "个月", False),
    "investment_points_below_pace": ("投资低于序时进度", "个百分点", False),
    "investment_ratio_of_pace": ("投资完成率占序时进度", "", False),
}
#: Metrics of county rules.
COUNTY_METRICS: dict[str, tuple[str, str, bool]] = {
    "points_below_pace": ("完成率低于序时进度", "个百分点", False),
    "ratio_of_pace": ("完成率占序时进度", "", False),
    "missed_deadline": ("节点目标未完成", "", True),
    "months_flagged": ("连续预警月数", "个月", False),
    "investment_points_below_pace": ("投资低于序时进度", "个百分点", False),
    "investment_ratio_of_pace": ("投资完成率占序时进度", "", False),
    "red_projects": ("红色项目数", "个", False),
}
#: Metrics a rubric component can score (value per county).
RUBRIC_METRICS: dict[str, tuple[str, str]] = {
    "completion_rate": ("三类项目完成率", "%"),
    "gap_points": ("与序时进度差", "个百分点"),
    "started": ("新开工项目数", "个"),
    "completed": ("新竣工项目数", "个"),
    "land_supplied": ("新供地项目数", "个"),
    "investment_ratio_of_pace": ("投资完成率占序时进度", "%"),
    "investment_rate": ("年度投资完成率", "%"),
    "red_projects": ("红色项目数", "个"),
    "yellow_projects": ("黄色项目数", "个"),
    "jury": ("现场观摩评分", "分"),
}


@dataclass(frozen=True)
class FlagRule:
    """One rule: ``metric`` compared with ``threshold`` gives ``flag`` when it holds.

    ``comparison`` is one of :data:`COMPARISONS` (``None`` for a boolean metric: the rule
    fires when the metric is true). ``label`` names the rule in reasons; empty -> built
    from the metric and threshold.
    """

    metric: str
    flag: str
    comparison: str | None = None
    threshold: float | None = None
    label: str = ""


@dataclass(frozen=True)
class RubricComponent:
    """One scoring component: points = clip(base + per × value, min, max); score += weight × points."""

    name: str
    metric: str
    weight: float = 1.0
    per: float = 1.0
    base: float = 0.0
    min: float | None = None
    max: float | None = None
    label: str = ""


class _SectionLike(Protocol):  # zqcampaign.config._Section
    data: Mapping[str, Any]

    def get(self, name: str, kind: str, default: Any = ...) -> Any: ...
    def choice(self, name: str, choices: tuple[str, ...], default: Any = ...) -> str: ...
    def error(self, name: str, message: str) -> Exception: ...
    def finish(self) -> None: ...


def default_project_rules(
    red_days_late: int,
    no_planned_date: str,
    open_problem: str,
    open_major_problem: str,
    repeated_postponements: int,
    postponed_days: int,
) -> tuple[FlagRule, ...]:
    """Zhaoqing's project rules (the built-in default), from the ``[flags]`` scalar keys.

    ``repeated_postponements`` / ``postponed_days`` of 0 leave that rule out.
    """
    rules = [
        FlagRule("days_late", "yellow", "above", 0, "逾期1天以上"),
        FlagRule("days_late", "red", "above", red_days_late, f"逾期{red_days_late}天以上"),
        FlagRule("no_planned_date", no_planned_date, label="未填计划时间"),
        FlagRule("open_problem", open_problem, label="存在问题未销号"),
        FlagRule("open_major_problem", open_major_problem, label="存在重大问题"),
    ]
    if repeated_postponements:
        n = repeated_postponements
        rules.append(FlagRule("postponements", "yellow", "at_least", n, f"推迟{n}次及以上"))
    if postponed_days:
        d = postponed_days
        rules.append(FlagRule("postponed_days", "yellow", "at_least", d, f"累计推迟{d}天及以上"))
    return tuple(rules)


def default_county_rules(yellow_gap: float) -> tuple[FlagRule, ...]:
    """Zhaoqing's county rules: yellow 0–10 points below 序时, red beyond or a missed deadline."""
    points = round(yellow_gap * 100, 6)
    return (
        FlagRule("points_below_pace", "yellow", "above", 0),
        FlagRule("points_below_pace", "red", "above", points),
        FlagRule("missed_deadline", "red", label="节点目标未完成"),
    )


def parse_rules(
    sections: list[_SectionLike], metrics: Mapping[str, tuple[str, str, bool]]
) -> tuple[FlagRule, ...]:
    """Rules from ``[[flags.project_rules]]`` / ``[[flags.county_rules]]`` tables."""
    rules = []
    for sec in sections:
        metric = sec.choice("metric", tuple(metrics))
        flag = sec.choice("flag", FLAGS)
        label = sec.get("label", "str", "")
        given = [k for k in COMPARISONS if k in sec.data]
        boolean = metrics[metric][2]
        if boolean:
            if given:
                raise sec.error(given[0], f"“{metric}”是是/否指标，不设阈值（删去 {given[0]}）")
            rules.append(FlagRule(metric, flag, None, None, label))
        else:
            if len(given) != 1:
                raise sec.error(
                    "above",
                    f"“{metric}”需要且只需要一个比较：{' / '.join(COMPARISONS)}（如 above = 10）",
                )
            threshold = float(sec.get(given[0], "number"))
            rules.append(FlagRule(metric, flag, given[0], threshold, label))
        sec.finish()
    return tuple(rules)


def default_rubric(weights: Mapping[str, float]) -> tuple[RubricComponent, ...]:
    """The built-in rubric on a 100-point scale, from the three ``[ranking]`` weights.

    完成率 (1 point per percent, up to 100); 序时 gap (100 on or ahead of pace, 2 points off
    per point behind, not below 0); investment against 序时 (1 point per percent of 序时,
    up to 100). No rescaling between counties: a county's points depend on its own figures.
    The weights are normalised to sum to 1, so the score is on the same 100-point scale.
    """
    total = sum(weights.values())
    weights = {k: round(v / total, 12) for k, v in weights.items()}
    return (
        RubricComponent(
            "completion_rate", "completion_rate", weights["completion_rate"], 1.0, 0.0, 0.0, 100.0
        ),
        RubricComponent("gap", "gap_points", weights["gap"], 2.0, 100.0, 0.0, 100.0),
        RubricComponent(
            "investment_rate",
            "investment_ratio_of_pace",
            weights["investment_rate"],
            1.0,
            0.0,
            0.0,
            100.0,
        ),
    )


def parse_rubric(sections: list[_SectionLike]) -> tuple[RubricComponent, ...]:
    """Components from ``[[ranking.components]]`` tables."""
    out = []
    names: set[str] = set()
    for sec in sections:
        metric = sec.choice("metric", tuple(RUBRIC_METRICS))
        name = sec.get("name", "str", metric)
        if name in names:
            raise sec.error("name", f"组成项名称“{name}”重复")
        names.add(name)
        lo = sec.get("min", "number", None)
        hi = sec.get("max", "number", None)
        if lo is not None and hi is not None and lo > hi:
            raise sec.error("min", f"min {lo} 大于 max {hi}")
        out.append(
            RubricComponent(
                name=name,
                metric=metric,
                weight=float(sec.get("weight", "number", 1.0)),
                per=float(sec.get("per", "number", 1.0)),
                base=float(sec.get("base", "number", 0.0)),
                min=None if lo is None else float(lo),
                max=None if hi is None else float(hi),
                label=sec.get("label", "str", ""),
            )
        )
        sec.finish()
    return tuple(out)
