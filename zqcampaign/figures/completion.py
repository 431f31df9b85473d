"""Completion of the three categories (三类项目完成率) against the pledged pace.

A project is on the campaign list as of D when it is ``in_scope`` and first appeared in a
ledger on or before D. It has *achieved* its goal as of D when ``achieved_on <= D`` (its
goal milestone or any later one: a project that jumps two stages counts). The completion
rate of a group is achieved / total over its list projects, and the *expected* rate is the
piecewise-linear pace through (campaign start, 0) and the group's (deadline, target) points.

The helpers shared by all figure modules live in :mod:`zqcampaign.figures._common`.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

import numpy as np
import pandas as pd

from zqcampaign.config import Config
from zqcampaign.figures._common import (
    TOLERANCE,
    county_order,
    list_members,
    pace_value,
    parse_by,
    resolve_as_of,
)
from zqcampaign.figures.rules import (
    evaluate,
    month_ends_back,
    rule_text,
    streak,
    strongest_per_metric,
)
from zqcampaign.rulebook import COUNTY_METRICS
from zqcampaign.schema import CATEGORIES

__all__ = [
    "completion",
    "county_flag",
    "expected_rate",
    "progress",
]


def _target_points(config: Config, county: str | None) -> list[tuple[dt.date, float]]:
    if county is None:
        return [(config.end, config.default_completion_target)]
    return config.completion_targets(county)


def expected_rate(
    config: Config, as_of: pd.Timestamp | dt.date | str, county: str | None = None
) -> float:
    """Expected completion rate at ``as_of`` [0-1] (the group's 序时进度).

    Through (campaign start, 0) and every (deadline, target) of
    ``config.completion_targets(county)``, by the configured convention
    (:func:`~zqcampaign.figures._common.pace_value`: linear in days by default, or in
    whole months, or stepped); 0 before the start, flat after the last point.
    ``county=None`` (city or category groupings) uses the default target at the campaign end.
    """
    return pace_value(_target_points(config, county), config.start, as_of, config)


# ---------------------------------------------------------------------------------------
# completion


def county_flag(gap: pd.Series, missed: pd.Series, yellow_gap: float) -> pd.Series:
    """Flag of a group from its gap [0-1] and whether a past deadline's target was missed.

    ``"blue"`` if ``gap >= 0``; ``"yellow"`` if ``-yellow_gap <= gap < 0``; ``"red"`` below,
    or whenever ``missed`` is True. NA where ``gap`` is NaN (and nothing was missed).
    Comparisons allow :data:`TOLERANCE` of floating-point slack.
    """
    gap = pd.Series(gap, dtype="float64").reset_index(drop=True)
    missed = pd.Series(missed, dtype="boolean").reset_index(drop=True).fillna(False)
    out = np.select(
        [gap >= -TOLERANCE, gap >= -yellow_gap - TOLERANCE, gap.notna()],
        ["blue", "yellow", "red"],
        default=None,
    )
    out = np.where(missed.to_numpy(dtype=bool), "red", out)
    return pd.Series(out, dtype="str")


_VALUE_COLUMNS = (
    "total",
    "achieved",
    "rate",
    "expected",
    "gap",
    "flag",
    "missed_deadline",
    "reason",
)
_SEVERITY_NAMES = np.array(["blue", "yellow", "red"], dtype=object)


def _tally(projects: pd.DataFrame, as_of: pd.Timestamp, keys: tuple[str, ...]) -> pd.DataFrame:
    """total / achieved per group among list projects as of ``as_of`` (observed groups only)."""
    members = projects[list_members(projects, as_of)]
    achieved = (members["achieved_on"] <= as_of).fillna(False).astype("int64")
    frame = pd.DataFrame({"total": 1, "achieved": achieved}, index=members.index)
    if not keys:
        return pd.DataFrame(
            {"total": [int(frame["total"].sum())], "achieved": [int(frame["achieved"].sum())]}
        )
    for k in keys:
        frame[k] = members[k]
    return frame.groupby(list(keys), dropna=True).sum()


def _group_index(projects: pd.DataFrame, config: Config, keys: tuple[str, ...]) -> pd.Index:
    counties = county_order(config, projects["county"])
    if keys == ("county",):
        return pd.Index(counties, name="county")
    if keys == ("category",):
        return pd.Index(list(CATEGORIES), name="category")
    return pd.MultiIndex.from_product([counties, list(CATEGORIES)], names=["county", "category"])


def completion(
    projects: pd.DataFrame,
    config: Config,
    *,
    as_of: object = None,
    by: str | Sequence[str] = "county",
    snapshots: pd.DataFrame | None = None,
    _streak: bool = True,
    _reasons: bool = True,
    _flags: bool = True,
) -> pd.DataFrame:
    """Completion rate of the three categories per group, against the expected pace.

    Parameters
    ----------
    projects
        Project table (one row per project) with ``in_scope``, ``first_report_date``,
        ``county``, ``category`` and ``achieved_on``.
    config
        Campaign configuration (start, targets, ``yellow_gap``).
    as_of
        Evaluation date; ``None`` -> latest report date in ``projects``.
    by
        ``"city"``, ``"county"``, ``"category"`` or ``["county", "category"]``.
    snapshots
        Snapshot table, needed only by county rules on investment (``investment_*``) or
        red projects (``red_projects``); without it those rules do not fire.

    Returns
    -------
    pandas.DataFrame
        The by-keys (``county`` is ``config.city`` for ``by="city"``), then ``total`` and
        ``achieved`` [projects], ``rate``, ``expected`` and ``gap`` [0-1], ``flag``
        (``"blue"``/``"yellow"``/``"red"``; NA for an empty group) and ``missed_deadline``
        (first deadline before ``as_of`` whose target was missed, else NaT) and ``reason``
        (Chinese: ``完成率35.0%，低于序时进度43.6%达8.6个百分点（黄色：落后0–10个百分点）``,
        naming every rule of ``config.county_rules`` that fired). Every configured county (and, by category, every county × category) appears,
        empty ones with total 0 and rate NaN.

    Notes
    -----
    Counties use their own completion targets (also for ``["county", "category"]``);
    the city and category groupings use the default target at the campaign end.
    A deadline counts as missed when it is strictly before ``as_of`` and the rate as of
    the deadline is below its target.
    """
    keys = parse_by(by)
    as_of = resolve_as_of(as_of, projects)
    if keys:
        index = _group_index(projects, config, keys)
        tally = _tally(projects, as_of, keys).reindex(index, fill_value=0)
        out = tally.reset_index()
    else:
        out = _tally(projects, as_of, keys)
        out.insert(0, "county", config.city)
    out[["total", "achieved"]] = out[["total", "achieved"]].astype("int64")
    with np.errstate(divide="ignore", invalid="ignore"):
        out["rate"] = (out["achieved"] / out["total"].where(out["total"] > 0)).astype("float64")

    # one row per group: a loop over groups (at most counties × categories), not projects
    row_county = out["county"].tolist() if "county" in keys else [None] * len(out)
    # targets and pace per county (the same for each of its categories)
    per_county = {c: dict(_target_points(config, c)) for c in dict.fromkeys(row_county)}
    pace = {c: expected_rate(config, as_of, c) for c in per_county}
    points = [per_county[c] for c in row_county]
    out["expected"] = np.array([pace[c] for c in row_county], dtype=float)
    out["gap"] = out["rate"] - out["expected"]
    if not _flags:  # (progress needs the rates only)
        out["flag"] = pd.Series(pd.NA, index=out.index, dtype="str")
        out["missed_deadline"] = np.full(len(out), np.datetime64("NaT"), dtype="datetime64[ns]")
        out["reason"] = pd.Series(pd.NA, index=out.index, dtype="str")
        return out[[*(["county"] if not keys else list(keys)), *_VALUE_COLUMNS]]

    # targets missed at a deadline on or before as_of (the ledger dated on the deadline
    # gives its final figure, as in targets_status): the rate then against its target
    missed = np.full(len(out), np.datetime64("NaT"), dtype="datetime64[ns]")
    for d in sorted({d for p in points for d in p}):
        stamp = pd.Timestamp(d)
        if stamp > as_of:
            continue
        target = np.array([p.get(d, np.nan) for p in points], dtype=float)
        at = _tally(projects, stamp, keys)
        if keys:
            at = at.reindex(_group_index(projects, config, keys)).fillna(0)
        achieved, total = at["achieved"].to_numpy(float), at["total"].to_numpy(float)
        with np.errstate(divide="ignore", invalid="ignore"):
            rate_then = np.where(total > 0, achieved / total, np.nan)
        miss = (rate_then < target - TOLERANCE) & np.isnat(missed)
        missed[miss] = stamp.to_datetime64()
    out["missed_deadline"] = missed
    values = _county_metrics(out, projects, snapshots, config, as_of, keys)
    rules = config.county_rules
    applies = (out["total"] > 0).to_numpy()
    if _streak and any(r.metric == "months_flagged" for r in rules):
        base = [r for r in rules if r.metric != "months_flagged"]
        flagged = [evaluate(values, base, applies)[0] > 0]
        for d in month_ends_back(as_of, config.start)[1:]:
            then = completion(
                projects, config, as_of=d, by=by, snapshots=snapshots, _streak=False, _reasons=False
            )
            flagged.append(then["flag"].isin(["yellow", "red"]).to_numpy())
        values["months_flagged"] = streak(flagged)
    severity, fired = evaluate(values, rules, applies)
    out["flag"] = pd.Series(_SEVERITY_NAMES[severity], dtype="str")
    out.loc[out["total"] == 0, "flag"] = pd.NA
    if _reasons:
        out["reason"] = _county_reasons(out, values, fired, rules)
    else:  # (progress and the look-back of a streak need the flags only)
        out["reason"] = pd.Series(pd.NA, index=out.index, dtype="str")
    return out[[*(["county"] if not keys else list(keys)), *_VALUE_COLUMNS]]


def _county_metrics(
    out: pd.DataFrame,
    projects: pd.DataFrame,
    snapshots: pd.DataFrame | None,
    config: Config,
    as_of: pd.Timestamp,
    keys: tuple[str, ...],
) -> pd.DataFrame:
    """The county rule metrics of each group row (see :data:`~zqcampaign.rulebook.COUNTY_METRICS`)."""
    with np.errstate(divide="ignore", invalid="ignore"):
        ratio = out["rate"] / out["expected"].where(out["expected"] > 0)
    values = pd.DataFrame(
        {
            "points_below_pace": -out["gap"] * 100,
            "ratio_of_pace": ratio,
            "missed_deadline": out["missed_deadline"].notna(),
        }
    )
    needs = {r.metric for r in config.county_rules}
    by_county = keys in ((), ("county",))
    if (
        snapshots is not None
        and by_county
        and needs
        & {
            "investment_points_below_pace",
            "investment_ratio_of_pace",
        }
    ):
        from zqcampaign.figures.investment import investment

        inv = investment(projects, snapshots, config, as_of=as_of, by="county" if keys else "city")
        inv = inv.set_index("county").reindex(out["county"])
        values["investment_points_below_pace"] = -inv["gap_points"].to_numpy()
        with np.errstate(divide="ignore", invalid="ignore"):
            values["investment_ratio_of_pace"] = (
                inv["rate"] / inv["elapsed"].where(inv["elapsed"] > 0)
            ).to_numpy()
        values["_investment_rate"] = inv["rate"].to_numpy()
        values["_elapsed"] = inv["elapsed"].to_numpy()
    if "red_projects" in needs and by_county:
        from zqcampaign.figures.flags import project_flags

        f = project_flags(projects, config, as_of=as_of, snapshots=snapshots)
        red = f[f["flag"] == "red"]
        counts = red["county"].value_counts() if keys else pd.Series({config.city: len(red)})
        values["red_projects"] = out["county"].map(counts).fillna(0).to_numpy()
    return values


def _pct(x: float) -> str:
    return f"{x * 100:.1f}%"


def _county_reasons(
    out: pd.DataFrame, values: pd.DataFrame, fired: list[list], rules: Sequence
) -> pd.Series:
    """Reason of each group's flag: the figures, then every rule that fired."""
    reasons = []
    # plain lists: a row at a time through .iloc costs more than the texts themselves
    rates, paces = out["rate"].tolist(), out["expected"].tolist()
    totals, gaps = out["total"].tolist(), out["gap"].tolist()
    missed_on = out["missed_deadline"].tolist()
    column = {name: values[name].tolist() for name in values.columns}
    for i, (rate, expected) in enumerate(zip(rates, paces, strict=True)):  # one row per group
        if totals[i] == 0 or pd.isna(rate):
            reasons.append("清单中无项目")
            continue
        points = abs(gaps[i]) * 100
        if round(points, 1) == 0:
            text = f"完成率{_pct(rate)}，达到序时进度{_pct(expected)}"
        elif rate > expected:
            text = f"完成率{_pct(rate)}，高于序时进度{_pct(expected)}达{points:.1f}个百分点"
        else:
            text = f"完成率{_pct(rate)}，低于序时进度{_pct(expected)}达{points:.1f}个百分点"
        extra, labels = [], []
        for r in strongest_per_metric(fired[i]):
            labels.append(rule_text(r, rules, COUNTY_METRICS))
            if r.metric == "ratio_of_pace":
                extra.append(f"为序时进度的{column['ratio_of_pace'][i]:.0%}")
            elif r.metric == "missed_deadline":
                missed = pd.Timestamp(missed_on[i])
                extra.append(f"{missed.month}月{missed.day}日节点目标未完成")
            elif r.metric == "months_flagged":
                extra.append(f"连续{int(column['months_flagged'][i])}个月预警")
            elif r.metric.startswith("investment_"):
                inv, el = column["_investment_rate"][i], column["_elapsed"][i]
                extra.append(f"投资完成{_pct(inv)}，序时进度{_pct(el)}")
            elif r.metric == "red_projects":
                extra.append(f"红色项目{int(column['red_projects'][i])}个")
        if extra:
            text += "，" + "，".join(extra)
        if labels:
            text += "（" + "；".join(labels) + "）"
        reasons.append(text)
    return pd.Series(reasons, index=out.index, dtype="str")


def progress(
    projects: pd.DataFrame,
    config: Config,
    *,
    end: object = None,
    by: str | Sequence[str] = "county",
    freq: str = "W",
) -> pd.DataFrame:
    """Completion rate and expected pace at regular dates, for trend charts.

    Parameters
    ----------
    projects, config
        As for :func:`completion`.
    end
        Last date; ``None`` -> latest report date in ``projects``.
    by
        As for :func:`completion`.
    freq
        pandas frequency of the dates between the campaign start and ``end``
        (``"W"`` = weekly on Sundays, ``"D"``, ``"MS"``, ``"ME"`` …). The campaign start and
        ``end`` are always included.

    Returns
    -------
    pandas.DataFrame
        Long frame: ``date``, the by-keys, ``total``, ``achieved``, ``rate`` and
        ``expected`` [0-1].
    """
    keys = parse_by(by)
    end = resolve_as_of(end, projects)
    start = pd.Timestamp(config.start)
    try:
        dates = pd.date_range(start, end, freq=freq)
    except ValueError as exc:
        raise ValueError(
            f"freq must be a pandas frequency such as 'W' or 'D'; got {freq!r}"
        ) from exc
    dates = sorted({start, *dates, end} - ({start} if end < start else set()))
    frames = []
    for d in dates:
        one = completion(projects, config, as_of=d, by=by, _flags=False)
        one.insert(0, "date", d)
        frames.append(one)
    out = pd.concat(frames, ignore_index=True)
    out["date"] = out["date"].astype("datetime64[ns]")
    key_cols = ["county"] if not keys else list(keys)
    return out[["date", *key_cols, "total", "achieved", "rate", "expected"]]
