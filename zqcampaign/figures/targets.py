"""Status of every configured pledge (目标): actual against target, met or not, pace flag."""

from __future__ import annotations

import numpy as np
import pandas as pd

from zqcampaign.config import Config, Target
from zqcampaign.figures._common import (
    TOLERANCE,
    latest_rows,
    list_members,
    pace_value,
    resolve_as_of,
)

__all__ = ["METRIC_LABELS", "target_actual", "targets_status"]

#: Chinese names of the target metrics, for labels and outputs.
METRIC_LABELS: dict[str, str] = {
    "completion_rate": "三类项目完成率",
    "signed": "新签约项目数",
    "land_supplied": "新供地项目数",
    "started": "新开工项目数",
    "completed": "新竣工项目数",
    "in_production": "新投产项目数",
    "actual_investment": "实际完成投资（万元）",
    "list_count": "清单项目数",
}
_MILESTONE_OF = {
    "signed": "signed_on",
    "land_supplied": "land_supplied_on",
    "started": "started_on",
    "completed": "completed_on",
    "in_production": "in_production_on",
}


def _window_start(target: Target, config: Config) -> pd.Timestamp:
    return pd.Timestamp(target.start or config.start)


def target_actual(
    target: Target,
    projects: pd.DataFrame,
    snapshots: pd.DataFrame,
    config: Config,
    *,
    as_of: pd.Timestamp,
) -> float:
    """The actual value of one target's metric as of ``as_of``.

    ``completion_rate``: achieved / total of the scope's list projects [0-1] (NaN if none);
    ``signed`` … ``in_production``: in-scope projects of the scope counties with that
    milestone dated in [``target.start`` or campaign start, ``as_of``];
    ``actual_investment``: sum of ``ytd_actual`` of the scope counties' latest snapshot
    rows dated on or before ``as_of`` [万元] (every ledger project);
    ``list_count``: list projects of the scope as of ``as_of``.
    """
    as_of = pd.Timestamp(as_of)
    in_counties = projects["county"].isin(target.scope).to_numpy(dtype=bool)
    metric = target.metric
    if metric == "completion_rate":
        members = projects[list_members(projects, as_of).to_numpy(dtype=bool) & in_counties]
        if members.empty:
            return float("nan")
        return float((members["achieved_on"] <= as_of).sum() / len(members))
    if metric in _MILESTONE_OF:
        start = _window_start(target, config)
        dates = projects.loc[in_counties & projects["in_scope"].to_numpy(dtype=bool)]
        dates = dates[_MILESTONE_OF[metric]]
        return float(((dates >= start) & (dates <= as_of)).sum())
    if metric == "actual_investment":
        rows = latest_rows(snapshots, as_of, ["project_id", "county", "ytd_actual"])
        return float(rows.loc[rows["county"].isin(target.scope), "ytd_actual"].sum())
    if metric == "list_count":
        return float((list_members(projects, as_of).to_numpy(dtype=bool) & in_counties).sum())
    raise ValueError(f"unknown target metric {metric!r}")


def target_pace(t: Target, config: Config, as_of: pd.Timestamp) -> float:
    """The value of ``t``'s metric expected by ``as_of`` (序时进度 of the pledge).

    The pace through (window start, 0) and every (deadline, target) of the configured
    targets with the same scope and metric (a county's completion pledges also end at the
    default target at the campaign end), by the configured convention
    (:func:`~zqcampaign.figures._common.pace_value`). For a county's completion rate it is
    the ``expected`` of :func:`~zqcampaign.figures.completion.completion` on that date.
    """
    if t.metric == "completion_rate" and len(t.scope) == 1:
        points = config.completion_targets(t.scope[0])
    else:
        points = [
            (o.deadline, o.target)
            for o in config.targets
            if o.scope == t.scope and o.metric == t.metric and o.start == t.start
        ]
    return pace_value(points, _window_start(t, config), as_of, config)


def _default_label(t: Target) -> str:
    value = f"{t.target:.0%}" if t.metric == "completion_rate" else f"{t.target:g}"
    return f"{'、'.join(t.scope)}{t.deadline:%Y-%m-%d}前{METRIC_LABELS[t.metric]}达到{value}"


def targets_status(
    projects: pd.DataFrame,
    snapshots: pd.DataFrame,
    config: Config,
    *,
    as_of: object = None,
) -> pd.DataFrame:
    """Every configured target with its actual value, whether it is met, and a pace flag.

    Parameters
    ----------
    projects, snapshots
        Project and snapshot tables.
    config
        ``config.targets`` (scope, metric, target, deadline, start, label).
    as_of
        Evaluation date; ``None`` -> latest report date in ``projects``.

    Returns
    -------
    pandas.DataFrame
        One row per target: ``scope`` (counties joined with "、"), ``metric``, ``label``,
        ``start`` (counting window start: ``target.start`` or the campaign start),
        ``deadline``, ``target``, ``actual`` (see :func:`target_actual`; rates [0-1],
        money [万元], otherwise projects), ``pace`` (the value expected by now,
        :func:`target_pace`: for a county's completion pledge its ``expected`` in
        :func:`~zqcampaign.figures.completion.completion`), ``met`` (True once reached, even before the
        deadline; False when it was not reached by the deadline and ``as_of`` is on or after
        it — a ledger dated on the deadline gives the final figure; None while pending) and ``flag`` (blue: met or on pace; yellow: behind
        pace; red: failed; a county's pending completion pledge takes the county's
        completion flag, so a county has one flag wherever it is shown).

    Notes
    -----
    The actual value is measured as of the earlier of ``as_of`` and the deadline, so a
    target judged after its deadline keeps the value it had at the deadline. An empty
    completion-rate scope gives actual NaN, ``met`` None and no flag.
    """
    as_of = resolve_as_of(as_of, projects)
    county_flags = None
    if any(t.metric == "completion_rate" and len(t.scope) == 1 for t in config.targets):
        from zqcampaign.figures.completion import completion

        comp = completion(projects, config, as_of=as_of, by="county", snapshots=snapshots)
        county_flags = dict(zip(comp["county"], comp["flag"], strict=True))
    records = []
    for t in config.targets:  # one row per configured target (a handful)
        deadline = pd.Timestamp(t.deadline)
        start = _window_start(t, config)
        when = min(as_of, deadline)
        actual = target_actual(t, projects, snapshots, config, as_of=when)
        pace = target_pace(t, config, as_of)
        county_row = None
        if t.metric == "completion_rate" and len(t.scope) == 1 and county_flags is not None:
            county_row = county_flags.get(t.scope[0])
        if np.isnan(actual):
            met, flag = None, None
        elif actual >= t.target - TOLERANCE:
            met, flag = True, "blue"
        elif deadline <= as_of:  # the ledger dated on the deadline gives the final figure
            met, flag = False, "red"
        elif county_row is not None:  # a county's own pledge: its completion flag
            met, flag = None, county_row
        else:
            met, flag = None, "blue" if actual >= pace - TOLERANCE else "yellow"
        records.append(
            {
                "scope": "、".join(t.scope),
                "metric": t.metric,
                "label": t.label or _default_label(t),
                "start": start,
                "deadline": deadline,
                "target": float(t.target),
                "actual": actual,
                "pace": pace,
                "met": met,
                "flag": flag,
            }
        )
    columns = ["scope", "metric", "label", "start", "deadline", "target", "actual", "pace"]
    out = pd.DataFrame(records, columns=[*columns, "met", "flag"])
    for col in ("start", "deadline"):
        out[col] = out[col].astype("datetime64[ns]")
    for col in ("target", "actual", "pace"):
        out[col] = out[col].astype("float64")
    out["met"] = out["met"].astype(object)
    out["flag"] = out["flag"].astype("str")
    return out
