"""Forecast: at the recent pace, where will each county be at its coming deadlines?"""

from __future__ import annotations

import numpy as np
import pandas as pd

from zqcampaign.config import Config
from zqcampaign.figures._common import TOLERANCE, list_members, resolve_as_of
from zqcampaign.figures.completion import completion

__all__ = ["PACE_WINDOW_DAYS", "forecast"]

#: Window of the recent pace [days] (4 weeks).
PACE_WINDOW_DAYS = 28


def forecast(projects: pd.DataFrame, config: Config, *, as_of: object = None) -> pd.DataFrame:
    """Projected completion rate at each coming deadline, and the pace needed to meet it.

    Parameters
    ----------
    projects
        Project table.
    config
        Counties and their completion targets.
    as_of
        Evaluation date; ``None`` -> latest report date in ``projects``.

    Returns
    -------
    pandas.DataFrame
        One row per county and deadline after ``as_of`` (counties without list projects
        are left out): ``county``, ``deadline``, ``target`` [0-1], ``total``, ``achieved``
        [projects], ``rate`` [0-1], ``pace_per_week`` = goals reached in the last 28 days
        (``as_of − 28 < achieved_on <= as_of``) / 4 [projects/week], ``weeks_left``
        [weeks to the deadline], ``projected_rate`` = min(1, (achieved + pace × weeks_left)
        / total) [0-1], ``needed`` = ⌈target × total⌉ − achieved (at least 0) [projects],
        ``needed_per_week`` [projects/week] and ``on_track`` (projected_rate ≥ target).

    Notes
    -----
    The list is taken as of ``as_of``; projects joining it later are not foreseen.
    """
    as_of = resolve_as_of(as_of, projects)
    now = completion(projects, config, as_of=as_of, by="county")
    window_start = as_of - pd.Timedelta(days=PACE_WINDOW_DAYS)
    # goals of today's list reached in the window: achieved now minus achieved at its start
    listed = projects[list_members(projects, as_of)]
    before = (listed["achieved_on"] <= window_start).groupby(listed["county"]).sum()
    members = now[["county", "total", "achieved", "rate"]].copy()
    members["recent"] = members["achieved"] - members["county"].map(before).fillna(0)
    members = members[members["total"] > 0]
    rows = []
    for county in members["county"]:  # one county at a time (a dozen at most)
        for deadline, target in config.completion_targets(county):
            stamp = pd.Timestamp(deadline)
            if stamp > as_of:
                rows.append({"county": county, "deadline": stamp, "target": float(target)})
    out = pd.DataFrame(rows, columns=["county", "deadline", "target"])
    out = out.astype({"county": "str", "deadline": "datetime64[ns]", "target": "float64"})
    out = out.merge(members, on="county", how="left")
    out["pace_per_week"] = out["recent"].astype("float64") / (PACE_WINDOW_DAYS / 7)
    out["weeks_left"] = (out["deadline"] - as_of).dt.days / 7
    projected = out["achieved"] + out["pace_per_week"] * out["weeks_left"]
    out["projected_rate"] = np.minimum(projected / out["total"], 1.0)
    goal_count = np.ceil(out["target"] * out["total"] - TOLERANCE)
    out["needed"] = np.maximum(goal_count - out["achieved"], 0).astype("int64")
    out["needed_per_week"] = out["needed"] / out["weeks_left"]
    out["on_track"] = (out["projected_rate"] >= out["target"] - TOLERANCE).astype(bool)
    for col in ("total", "achieved"):
        out[col] = out[col].astype("int64")
    columns = ["county", "deadline", "target", "total", "achieved", "rate", "pace_per_week"]
    rest = ["weeks_left", "projected_rate", "needed", "needed_per_week", "on_track"]
    return out[[*columns, *rest]].reset_index(drop=True)
