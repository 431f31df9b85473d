"""Monthly reminder flags of projects (月提示制度): blue, yellow warning, red warning.

A list project that has not reached its goal as of D is *blue* while the planned date of its
goal milestone has not passed, *yellow* 1 to ``red_days_late`` days past it (or with no
planned date, or an open problem), *red* beyond that (or with an open major problem). The
worst cause wins and the reason lists every cause in short Chinese. Achieved: blue.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
import pandas as pd

from zqcampaign.config import Config
from zqcampaign.figures._common import latest_rows, list_members, resolve_as_of
from zqcampaign.schema import COLUMN_LABELS, PLANNED

__all__ = [
    "FLAG_COLUMNS",
    "FLAG_LABELS",
    "FLAG_SEVERITY",
    "GOAL_VERBS",
    "project_flags",
]

#: Order of severity (higher is worse).
FLAG_SEVERITY: dict[str, int] = {"blue": 0, "yellow": 1, "red": 2}
#: Chinese names of the flags, for outputs.
FLAG_LABELS: dict[str, str] = {"blue": "蓝色标识", "yellow": "黄色预警", "red": "红色警告"}
#: Verb of each goal milestone: 已于2023-08-15动工.
GOAL_VERBS: dict[str, str] = {
    "land_supplied_on": "供地",
    "started_on": "动工",
    "completed_on": "竣工",
}
FLAG_COLUMNS: tuple[str, ...] = (
    "project_id",
    "name",
    "county",
    "category",
    "flag",
    "reason",
    "days_late",
    "planned_goal_on",
    "achieved_on",
    "responsible_unit",
    "responsible_person",
)
_PROBLEM_COLUMNS = ("problems", "problem_major", "problem_closed")
_SEVERITY_NAMES = np.array(["blue", "yellow", "red"], dtype=object)


def _append(
    reason: np.ndarray,
    mask: pd.Series,
    text: pd.Series | str | Callable[[np.ndarray], pd.Series],
) -> np.ndarray:
    """Add ``text`` to ``reason`` (an object array) where ``mask``, separated by "；".

    ``text`` may be a function of the mask giving the text of those rows only. A missing
    text makes the reason missing.
    """
    where = mask.to_numpy(dtype=bool)
    rows = np.flatnonzero(where)
    if not rows.size:
        return reason
    if callable(text):
        adds = text(where).tolist()  # the text of those rows
    elif isinstance(text, str):
        adds = [text] * rows.size
    else:
        adds = text[where].tolist()
    reason[rows] = [_join(b, a) for b, a in zip(reason[rows].tolist(), adds, strict=True)]
    return reason


def _join(before: object, add: object) -> object:
    if before == "":
        return add
    if isinstance(before, str) and isinstance(add, str):
        return before + "；" + add
    return np.nan


def _problem_state(
    projects: pd.DataFrame, snapshots: pd.DataFrame | None, as_of: pd.Timestamp
) -> pd.DataFrame:
    """Problem columns as of ``as_of``: from each project's latest snapshot row, if any."""
    state = projects[list(_PROBLEM_COLUMNS)].copy()
    if snapshots is None or snapshots.empty:
        return state
    rows = latest_rows(snapshots, as_of, ["project_id", *_PROBLEM_COLUMNS]).set_index("project_id")
    has_row = projects["project_id"].isin(rows.index).to_numpy()
    if has_row.any():
        ids = projects.loc[has_row, "project_id"]
        for col in _PROBLEM_COLUMNS:
            values = rows[col].reindex(ids).to_numpy()
            state[col] = state[col].astype(object)
            state.loc[has_row, col] = values
    state["problems"] = state["problems"].astype("str")
    for col in ("problem_major", "problem_closed"):
        state[col] = state[col].astype("boolean")
    return state


def project_flags(
    projects: pd.DataFrame,
    config: Config,
    *,
    as_of: object = None,
    snapshots: pd.DataFrame | None = None,
) -> pd.DataFrame:
    """Blue / yellow / red flag of every list project as of ``as_of``, with its reason.

    Parameters
    ----------
    projects
        Project table (``category``, ``goal``, ``achieved_on``, ``planned_goal_on``,
        problem columns, ``in_scope``, ``first_report_date`` …).
    config
        ``red_days_late`` [days] and the flags of a missing planned date, an open problem
        and an open major problem.
    as_of
        Evaluation date; ``None`` -> latest report date in ``projects``.
    snapshots
        Optional snapshot table: when given, the problem columns (``problems``,
        ``problem_major``, ``problem_closed``) are taken from each project's latest
        snapshot row dated on or before ``as_of`` instead of the latest known state.

    Returns
    -------
    pandas.DataFrame
        One row per list project: ``project_id``, ``name``, ``county``, ``category``,
        ``flag``, ``reason`` (Chinese, causes joined by "；"), ``days_late`` [days past the
        planned goal date; NA when achieved or not planned], ``planned_goal_on``,
        ``achieved_on`` (NaT unless achieved on or before ``as_of``),
        ``responsible_unit``, ``responsible_person``.

    Notes
    -----
    Planned dates are the latest known (a re-planned date replaces the old one). An open
    problem is a non-empty ``problems`` text not marked closed (``problem_closed`` not
    True); an open major problem has ``problem_major`` True and is not closed.
    """
    as_of = resolve_as_of(as_of, projects)
    p = projects[list_members(projects, as_of)].reset_index(drop=True)
    state = _problem_state(p, snapshots, as_of)

    goal = p["goal"].astype("str")
    verb = goal.map(GOAL_VERBS).fillna("完成").astype("str")
    planned_label = goal.map({g: COLUMN_LABELS[c] for g, c in PLANNED.items()})
    planned_label = planned_label.fillna("计划时间").astype("str")
    planned = p["planned_goal_on"]
    achieved_on = p["achieved_on"].where(p["achieved_on"] <= as_of)
    achieved = achieved_on.notna()

    days = (as_of - planned).dt.days.astype("Int64")
    days_late = days.where(~achieved)
    open_ = ~achieved
    text = state["problems"].str.strip()
    has_text = (text.fillna("") != "").astype(bool)
    not_closed = ~state["problem_closed"].fillna(False).astype(bool)
    major = state["problem_major"].fillna(False).astype(bool)
    open_major = open_ & major & not_closed
    open_problem = open_ & has_text & not_closed & ~open_major
    late = days_late.fillna(0).astype("int64")
    red_days = config.red_days_late

    severity = np.zeros(len(p), dtype="int64")
    causes = [
        (open_ & (late >= 1) & (late <= red_days), "yellow"),
        (open_ & (late > red_days), "red"),
        (open_ & planned.isna(), config.no_planned_date_flag),
        (open_problem, config.open_problem_flag),
        (open_major, config.open_major_problem_flag),
    ]
    for mask, flag in causes:
        severity = np.where(
            mask.to_numpy(dtype=bool), np.maximum(severity, FLAG_SEVERITY[flag]), severity
        )

    # reasons, one cause after another
    date_text = lambda s: s.dt.strftime("%Y-%m-%d").astype("str")  # noqa: E731
    reason = np.full(len(p), "", dtype=object)
    # (each text is built for the rows it applies to only)
    reason = _append(reason, achieved, lambda m: "已于" + date_text(achieved_on[m]) + verb[m])
    ahead = open_ & planned.notna() & (late < 0)
    reason = _append(
        reason, ahead, lambda m: "距" + planned_label[m] + "还有" + (-late[m]).astype("str") + "天"
    )
    reason = _append(
        reason, open_ & planned.notna() & (late == 0), lambda m: "今日为" + planned_label[m]
    )
    reason = _append(
        reason,
        open_ & (late > 0),
        lambda m: planned_label[m] + "已过" + late[m].astype("str") + "天",
    )
    reason = _append(reason, open_ & planned.isna(), lambda m: "未填" + planned_label[m])
    reason = _append(reason, open_problem, lambda m: "存在问题未销号：" + text[m].fillna(""))
    reason = _append(
        reason, open_major, lambda m: ("存在重大问题：" + text[m]).fillna("存在重大问题")
    )

    out = pd.DataFrame(
        {
            "project_id": p["project_id"],
            "name": p["name"],
            "county": p["county"],
            "category": p["category"],
            "flag": pd.Series(_SEVERITY_NAMES[severity], dtype="str"),
            "reason": pd.Series(reason, index=p.index, dtype="str"),
            "days_late": days_late,
            "planned_goal_on": planned.astype("datetime64[ns]"),
            "achieved_on": achieved_on.astype("datetime64[ns]"),
            "responsible_unit": p["responsible_unit"],
            "responsible_person": p["responsible_person"],
        }
    )
    return out[list(FLAG_COLUMNS)]
