"""Stage arithmetic on canonical frames: stage from dates, goal milestone, achievement date.

All functions are vectorised over rows (no Python loop over projects).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from zqcampaign.schema import CATEGORY_GOAL, MILESTONES, PLANNED, STAGES

__all__ = ["achieved_date", "goal_index", "planned_goal_date", "stage_index", "stage_label"]


def stage_index(frame: pd.DataFrame, as_of: pd.Series | pd.Timestamp) -> pd.Series:
    """Index into :data:`STAGES` of the latest milestone dated on or before ``as_of``.

    -1 where no milestone is dated on or before ``as_of`` (not even signing).
    ``as_of`` may be one date or a per-row Series (e.g. each row's report date).
    """
    out = np.full(len(frame), -1, dtype="int64")
    for i, col in enumerate(MILESTONES):
        reached = (frame[col] <= as_of).to_numpy(dtype=bool, na_value=False)
        out = np.where(reached, i, out)
    return pd.Series(out, index=frame.index, name="stage_index")


def stage_label(index: pd.Series) -> pd.Series:
    """Stage labels for stage indices; missing where no milestone was reached (index -1)."""
    labels = np.array([*STAGES, None], dtype=object)
    positions = np.where(index.to_numpy() >= 0, index.to_numpy(), len(STAGES))
    return pd.Series(labels[positions], index=index.index, name="stage").astype("str")


def goal_index(category: pd.Series) -> pd.Series:
    """Milestone index of each row's goal (land for 已签约未供地, …); -1 if no category."""
    goal_of = {label: MILESTONES.index(col) for label, col in CATEGORY_GOAL.items()}
    return category.map(goal_of).fillna(-1).astype("int64")


def achieved_date(frame: pd.DataFrame) -> pd.Series:
    """Date each project reached its goal: earliest dated milestone at or after the goal.

    A project that jumps two stages (e.g. land never dated but construction started)
    has achieved its goal on the first later milestone date. NaT while not achieved.
    """
    gi = goal_index(frame["category"]).to_numpy()
    dates = frame[list(MILESTONES)].to_numpy(dtype="datetime64[ns]")
    cols = np.arange(len(MILESTONES))
    mask = (cols[None, :] >= gi[:, None]) & (gi[:, None] >= 0)
    masked = np.where(mask, dates, np.datetime64("NaT"))
    result = np.full(len(frame), np.datetime64("NaT"), dtype="datetime64[ns]")
    valid = ~np.isnat(masked)
    any_valid = valid.any(axis=1)
    filled = np.where(valid, masked, np.datetime64("2262-01-01"))
    result[any_valid] = filled[any_valid].min(axis=1)
    return pd.Series(result, index=frame.index, name="achieved_on")


def planned_goal_date(frame: pd.DataFrame) -> pd.Series:
    """Planned date of each row's goal milestone (计划供地/开工/竣工时间 by category)."""
    out = pd.Series(pd.NaT, index=frame.index, dtype="datetime64[ns]", name="planned_goal_on")
    for label, goal in CATEGORY_GOAL.items():
        rows = frame["category"] == label
        out = out.where(~rows.fillna(False), frame[PLANNED[goal]])
    return out
