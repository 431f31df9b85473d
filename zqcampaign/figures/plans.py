"""Planned dates over time: the baseline plan and its postponements (计划节点后移).

Each planned milestone date as first reported is the *baseline*; a later report giving a
later date is a *postponement* (numbered per project, in report order); a date moved
earlier is a change but not a postponement.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from zqcampaign.schema import COLUMN_LABELS, PLANNED

__all__ = ["POSTPONEMENT_COLUMNS", "planned_state", "postponements"]

POSTPONEMENT_COLUMNS: tuple[str, ...] = (
    "project_id",
    "name",
    "county",
    "milestone",
    "milestone_label",
    "from_date",
    "to_date",
    "days",
    "nth",
    "report_date",
)
_PLANNED_COLUMNS = tuple(PLANNED.values())


def _changes(snapshots: pd.DataFrame, as_of: pd.Timestamp | None) -> pd.DataFrame:
    """Every change of a planned date between a project's reports (later or earlier)."""
    snaps = snapshots
    if as_of is not None:
        snaps = snaps[(snaps["report_date"] <= as_of).fillna(False).to_numpy(dtype=bool)]
    cols = ["project_id", "name", "county", "report_date", *_PLANNED_COLUMNS]
    frames = []
    for col in _PLANNED_COLUMNS:
        s = snaps[[*cols[:4], col]].dropna(subset=[col])
        s = s.sort_values(["project_id", "report_date"], kind="stable")
        before = s.groupby("project_id", sort=False)[col].shift()
        moved = before.notna() & (s[col] != before)
        frames.append(
            pd.DataFrame(
                {
                    "project_id": s.loc[moved, "project_id"],
                    "name": s.loc[moved, "name"],
                    "county": s.loc[moved, "county"],
                    "milestone": col,
                    "milestone_label": COLUMN_LABELS[col],
                    "from_date": before[moved].astype("datetime64[ns]"),
                    "to_date": s.loc[moved, col].astype("datetime64[ns]"),
                    "report_date": s.loc[moved, "report_date"],
                }
            )
        )
    out = pd.concat(frames, ignore_index=True)
    out["days"] = (out["to_date"] - out["from_date"]).dt.days.astype("int64")
    return out


def postponements(snapshots: pd.DataFrame, *, as_of: object = None) -> pd.DataFrame:
    """Every postponement of a planned date between snapshots, as known on ``as_of``.

    Parameters
    ----------
    snapshots
        Snapshot table (``planned_land_on``, ``planned_start_on``, ``planned_completion_on``).
    as_of
        Only reports dated on or before it; ``None``: every report.

    Returns
    -------
    pandas.DataFrame
        One row per postponement, in report order: ``project_id``, ``name``, ``county``,
        ``milestone`` (the planned column), ``milestone_label`` (计划开工时间 …),
        ``from_date``, ``to_date``, ``days`` [days later], ``nth`` (1 = the project's
        first postponement, counted over all its milestones) and ``report_date`` (the
        report that gave the later date).

    Notes
    -----
    A planned date compared with the same milestone's previous non-empty date of the same
    project; a date moved earlier, or left out of a report, is not a postponement.
    """
    stamp = None if as_of is None else pd.Timestamp(as_of).normalize()
    out = _changes(snapshots, stamp)
    out = out[out["days"] > 0]
    out = out.sort_values(["report_date", "project_id", "milestone"], kind="stable")
    out = out.reset_index(drop=True)
    out["nth"] = (out.groupby("project_id", sort=False).cumcount() + 1).astype("int64")
    out["report_date"] = out["report_date"].astype("datetime64[ns]")
    return out[list(POSTPONEMENT_COLUMNS)]


def planned_state(
    projects: pd.DataFrame, snapshots: pd.DataFrame | None, as_of: pd.Timestamp
) -> pd.DataFrame:
    """Per project (``projects`` order): baseline and current planned date of its goal, the
    number of postponements of that date and the days they add up to, as known on ``as_of``.

    Columns ``baseline``, ``current`` (datetime64), ``postponements``, ``postponed_days``.
    Without snapshots the project table's ``baseline_planned_*`` and ``planned_*`` give the
    dates (baseline = current when the table has no baseline columns) and no postponements.
    """
    goal_col = projects["goal"].map(PLANNED)
    current = projects["planned_goal_on"].astype("datetime64[ns]")
    base = pd.Series(pd.NaT, index=projects.index, dtype="datetime64[ns]")
    count = pd.Series(0, index=projects.index, dtype="int64")
    total = pd.Series(0, index=projects.index, dtype="int64")
    if snapshots is None or snapshots.empty:
        for col in _PLANNED_COLUMNS:
            rows = (goal_col == col).to_numpy()
            source = projects.get(f"baseline_{col}", projects[col])
            base[rows] = source[rows]
        base = base.where(base.notna(), current)
        return pd.DataFrame(
            {"baseline": base, "current": current, "postponements": count, "postponed_days": total}
        )
    known = snapshots[(snapshots["report_date"] <= as_of).fillna(False).to_numpy(dtype=bool)]
    known = known.sort_values(["project_id", "report_date"], kind="stable")
    g = known.groupby("project_id", sort=False)
    firsts, lasts = g[list(_PLANNED_COLUMNS)].first(), g[list(_PLANNED_COLUMNS)].last()
    moves = postponements(known)
    ids = projects["project_id"]
    for col in _PLANNED_COLUMNS:
        rows = (goal_col == col).to_numpy()
        if not rows.any():
            continue
        base[rows] = firsts[col].reindex(ids[rows]).to_numpy()
        now = lasts[col].reindex(ids[rows]).to_numpy()
        current[rows] = np.where(pd.isna(now), current[rows].to_numpy(), now)
        m = moves[moves["milestone"] == col].groupby("project_id")["days"]
        count[rows] = m.size().reindex(ids[rows]).fillna(0).to_numpy(dtype="int64")
        total[rows] = m.sum().reindex(ids[rows]).fillna(0).to_numpy(dtype="int64")
    base = base.where(base.notna(), current)
    return pd.DataFrame(
        {"baseline": base, "current": current, "postponements": count, "postponed_days": total}
    )
