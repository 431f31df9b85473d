"""The flag rule engine: an ordered list of rules, the worst flag of those that fire wins.

The same engine serves counties (:func:`~zqcampaign.figures.completion.completion`) and
projects (:func:`~zqcampaign.figures.flags.project_flags`): the caller measures each
metric in a frame (one row per county or project), :func:`evaluate` says which rules
fire, and :func:`rule_text` names a fired rule for the reason (``黄色：落后0–10个百分点``).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import numpy as np
import pandas as pd

from zqcampaign.rulebook import FlagRule

__all__ = [
    "FLAG_NAMES",
    "SEVERITY",
    "evaluate",
    "month_ends_back",
    "rule_text",
    "strongest_per_metric",
]

SEVERITY: dict[str, int] = {"blue": 0, "yellow": 1, "red": 2}
#: Colour words of the flags in reasons.
FLAG_NAMES: dict[str, str] = {"blue": "蓝色", "yellow": "黄色", "red": "红色"}
#: Slack for comparisons with a threshold (points computed in floating point: 35.0 − 45.0).
_SLACK = 1e-6


def _holds(values: np.ndarray, rule: FlagRule) -> np.ndarray:
    if rule.comparison is None:  # boolean metric
        return np.asarray(pd.Series(values).fillna(False).astype(bool))
    v = np.asarray(pd.to_numeric(pd.Series(values), errors="coerce"), dtype=float)
    t = float(rule.threshold)  # type: ignore[arg-type]
    with np.errstate(invalid="ignore"):
        out = {
            "above": v > t + _SLACK,
            "at_least": v >= t - _SLACK,
            "below": v < t - _SLACK,
            "at_most": v <= t + _SLACK,
        }[rule.comparison]
    return out & ~np.isnan(v)


def evaluate(
    values: pd.DataFrame, rules: Sequence[FlagRule], applies: np.ndarray | None = None
) -> tuple[np.ndarray, list[list[FlagRule]]]:
    """Severity (0 blue, 1 yellow, 2 red) of each row and the rules that fired, in order.

    ``values`` has one column per metric the rules use (a missing column: the rule never
    fires); ``applies`` masks the rows the rules apply to (others stay blue, no rule).
    """
    n = len(values)
    severity = np.zeros(n, dtype="int64")
    fired: list[list[FlagRule]] = [[] for _ in range(n)]
    live = np.ones(n, dtype=bool) if applies is None else np.asarray(applies, dtype=bool)
    for rule in rules:
        if rule.metric not in values:
            continue
        hit = _holds(values[rule.metric].to_numpy(), rule) & live
        severity = np.where(hit, np.maximum(severity, SEVERITY[rule.flag]), severity)
        for i in np.flatnonzero(hit):
            fired[i].append(rule)
    return severity, fired


def strongest_per_metric(fired: Sequence[FlagRule]) -> list[FlagRule]:
    """Of the fired rules, the most severe one of each metric (bands of one metric
    overlap: 10.5 points below fires "above 0" and "above 10"; the reason names the band)."""
    best: dict[str, FlagRule] = {}
    for r in fired:
        if r.metric not in best or SEVERITY[r.flag] > SEVERITY[best[r.metric].flag]:
            best[r.metric] = r
    return list(best.values())


def _next_band(rule: FlagRule, rules: Sequence[FlagRule]) -> FlagRule | None:
    """The next more severe rule of the same metric and direction (the band's other edge)."""
    if rule.comparison is None or rule.threshold is None:
        return None
    up = rule.comparison in ("above", "at_least")
    later = [
        r
        for r in rules
        if r.metric == rule.metric
        and r.comparison is not None
        and r.threshold is not None
        and (r.comparison in ("above", "at_least")) == up
        and SEVERITY[r.flag] > SEVERITY[rule.flag]
        and ((r.threshold > rule.threshold) if up else (r.threshold < rule.threshold))
    ]
    if not later:
        return None
    return min(later, key=lambda r: r.threshold if up else -r.threshold)  # type: ignore[arg-type, operator]


def _num(x: float) -> str:
    return f"{x:g}"


def rule_text(
    rule: FlagRule, rules: Sequence[FlagRule], metrics: Mapping[str, tuple[str, str, bool]]
) -> str:
    """``黄色：落后0–10个百分点``: the flag's colour and the rule (its band when another rule
    of the same metric bounds it)."""
    colour = FLAG_NAMES[rule.flag]
    if rule.label:
        return f"{colour}：{rule.label}"
    name, unit, boolean = metrics[rule.metric]
    if boolean or rule.threshold is None:
        return f"{colour}：{name}"
    t = float(rule.threshold)
    nxt = _next_band(rule, rules)
    t2 = None if nxt is None else float(nxt.threshold)  # type: ignore[arg-type]
    if rule.metric in ("points_below_pace", "investment_points_below_pace"):
        what = "落后" if rule.metric == "points_below_pace" else "投资落后"
        if rule.comparison in ("above", "at_least"):
            band = f"{_num(t)}–{_num(t2)}" if t2 is not None else f"{_num(t)}"
            more = "" if t2 is not None else "以上" if rule.comparison == "above" else "及以上"
            return f"{colour}：{what}{band}个百分点{more}"
    if rule.metric in ("ratio_of_pace", "investment_ratio_of_pace"):
        what = "完成率" if rule.metric == "ratio_of_pace" else "投资完成率"
        if rule.comparison in ("below", "at_most"):
            if t2 is not None:
                return f"{colour}：{what}为序时进度的{t2:.0%}–{t:.0%}"
            less = "低于" if rule.comparison == "below" else "不超过"
            return f"{colour}：{what}{less}序时进度的{t:.0%}"
    symbol = {"above": "超过", "at_least": "达到", "below": "低于", "at_most": "不超过"}
    suffix = "以上" if rule.comparison == "at_least" else ""
    return f"{colour}：{name}{symbol[rule.comparison]}{_num(t)}{unit}{suffix}"  # type: ignore[index]


def month_ends_back(as_of: pd.Timestamp, start: object) -> list[pd.Timestamp]:
    """``as_of`` and every earlier month end on or after ``start``, newest first (the
    evaluation dates a "months in a row" rule looks back over)."""
    first = (pd.Timestamp(start) + pd.offsets.MonthEnd(0)).normalize()  # its month counts
    out = [as_of]
    d = (as_of - pd.offsets.MonthEnd(1)).normalize()  # (as_of itself when it is a month end)
    if d == as_of:
        d = (d - pd.offsets.MonthEnd(1)).normalize()
    while d >= first:
        out.append(d)
        d = (d - pd.offsets.MonthEnd(1)).normalize()
    return out


def streak(flagged_on: Sequence[np.ndarray]) -> np.ndarray:
    """Months flagged in a row: per row, how many of the newest-first masks are True
    before the first False."""
    if not flagged_on:
        return np.zeros(0, dtype="int64")
    stack = np.vstack([np.asarray(m, dtype=bool) for m in flagged_on])
    broken = np.cumprod(stack, axis=0)
    return broken.sum(axis=0).astype("int64")
