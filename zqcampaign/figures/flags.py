"""Monthly reminder flags of projects (月提示制度): blue, yellow warning, red warning.

The flag comes from ``config.project_rules`` (the rule engine of
:mod:`zqcampaign.figures.rules`). With the Zhaoqing defaults a list project that has not
reached its goal as of D is *blue* while the planned date of its goal milestone — the
baseline (first reported) date by default — has not passed, *yellow* 1 to
``red_days_late`` days past it (or with no planned date, an open problem, or a date
postponed repeatedly), *red* beyond that (or with an open major problem). The worst flag
wins and the reason lists every cause in short Chinese. Achieved: blue.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
import pandas as pd

from zqcampaign import labels
from zqcampaign.config import Config
from zqcampaign.figures._common import latest_rows, list_members, resolve_as_of
from zqcampaign.figures.plans import planned_state
from zqcampaign.figures.rules import evaluate, month_ends_back, streak
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
FLAG_LABELS: dict[str, str] = {f: labels.flag_label(f) for f in labels.FLAG_ORDER}
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
    "baseline_goal_on",
    "postponements",
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


def _md(stamp: pd.Timestamp, as_of: pd.Timestamp) -> str:
    """8月15日 (the year only when it is not the evaluation year)."""
    year = "" if stamp.year == as_of.year else f"{stamp.year}年"
    return f"{year}{stamp.month}月{stamp.day}日"


def _months_late(planned: pd.Series, as_of: pd.Timestamp) -> pd.Series:
    """Whole months from the planned date to ``as_of`` (one month = same day next month)."""
    months = (as_of.year - planned.dt.year) * 12 + (as_of.month - planned.dt.month)
    months = months - (as_of.day < planned.dt.day).astype("Int64")
    return months.astype("Int64").where(planned.notna() & (planned < as_of))


def _investment_metrics(
    p: pd.DataFrame, snapshots: pd.DataFrame | None, config: Config, as_of: pd.Timestamp
) -> pd.DataFrame:
    """Each project's YTD investment against its annual plan and the year's 序时进度."""
    from zqcampaign.figures.investment import year_elapsed

    source = p[["project_id", "annual_plan", "ytd_actual"]]
    if snapshots is not None and not snapshots.empty:
        rows = latest_rows(snapshots, as_of, ["project_id", "annual_plan", "ytd_actual"])
        source = rows.set_index("project_id").reindex(p["project_id"]).reset_index()
    plan = source["annual_plan"].astype("float64")
    rate = (source["ytd_actual"].astype("float64") / plan.where(plan > 0)).to_numpy()
    elapsed = year_elapsed(config, as_of)
    return pd.DataFrame(
        {
            "rate": rate,
            "elapsed": elapsed,
            "points": (elapsed - rate) * 100,
            "ratio": rate / elapsed if elapsed > 0 else np.nan,
        }
    )


def project_flags(
    projects: pd.DataFrame,
    config: Config,
    *,
    as_of: object = None,
    snapshots: pd.DataFrame | None = None,
    _streak: bool = True,
) -> pd.DataFrame:
    """Blue / yellow / red flag of every list project as of ``as_of``, with its reason.

    Parameters
    ----------
    projects
        Project table (``category``, ``goal``, ``achieved_on``, ``planned_goal_on``,
        ``baseline_planned_*``, problem columns, ``in_scope``, ``first_report_date`` …).
    config
        ``project_rules`` (the rule list), ``lateness`` (``"baseline"``: days late counted
        from the first reported planned date, or from a date since moved earlier;
        ``"current"``: from the latest one).
    as_of
        Evaluation date; ``None`` -> latest report date in ``projects``.
    snapshots
        Optional snapshot table: when given, the problem columns, the planned dates and
        their postponements are those known on ``as_of`` (each project's reports dated on
        or before it) instead of the latest known state.

    Returns
    -------
    pandas.DataFrame
        One row per list project: ``project_id``, ``name``, ``county``, ``category``,
        ``flag``, ``reason`` (Chinese, causes joined by "；"), ``days_late`` [days past the
        planned goal date on the lateness basis; NA when achieved or not planned],
        ``planned_goal_on`` (current plan), ``baseline_goal_on`` (as first reported),
        ``postponements`` [times the goal's planned date was moved later],
        ``achieved_on`` (NaT unless achieved on or before ``as_of``),
        ``responsible_unit``, ``responsible_person``.

    Notes
    -----
    An open problem is a non-empty ``problems`` text not marked closed (``problem_closed``
    not True); an open major problem has ``problem_major`` True and is not closed. A
    postponed goal date is named in the reason:
    ``计划开工时间原定8月15日，已推迟2次至10月30日；按原计划已逾期46天``.
    """
    as_of = resolve_as_of(as_of, projects)
    p = projects[list_members(projects, as_of)].reset_index(drop=True)
    state = _problem_state(p, snapshots, as_of)
    plan = planned_state(p, snapshots, as_of)
    rules = config.project_rules

    goal = p["goal"].astype("str")
    verb = goal.map(GOAL_VERBS).fillna("完成").astype("str")
    planned_label = goal.map({g: COLUMN_LABELS[c] for g, c in PLANNED.items()})
    planned_label = planned_label.fillna("计划时间").astype("str")
    current, baseline = plan["current"], plan["baseline"]
    # the baseline, unless the county has since moved the date earlier (that binds)
    earlier = current.notna() & (current < baseline)
    planned = baseline.where(~earlier, current) if config.lateness == "baseline" else current
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
    moved = plan["postponements"]

    values = pd.DataFrame(
        {
            "days_late": days_late.astype("float64"),
            "months_late": _months_late(planned, as_of).where(open_).astype("float64"),
            "no_planned_date": open_ & planned.isna(),
            "open_problem": open_problem,
            "open_major_problem": open_major,
            "postponements": moved.where(open_, 0),
            "postponed_days": plan["postponed_days"].where(open_, 0),
        }
    )
    metrics = {r.metric for r in rules}
    inv = None
    if metrics & {"investment_points_below_pace", "investment_ratio_of_pace"}:
        inv = _investment_metrics(p, snapshots, config, as_of)
        values["investment_points_below_pace"] = inv["points"].where(open_.to_numpy())
        values["investment_ratio_of_pace"] = inv["ratio"].where(open_.to_numpy())
    if _streak and "months_flagged" in metrics:
        base = [r for r in rules if r.metric != "months_flagged"]
        flagged = [evaluate(values, base)[0] > 0]
        for d in month_ends_back(as_of, config.start)[1:]:
            then = project_flags(projects, config, as_of=d, snapshots=snapshots, _streak=False)
            then = then.set_index("project_id")["flag"].reindex(p["project_id"])
            flagged.append(then.isin(["yellow", "red"]).to_numpy())
        values["months_flagged"] = streak(flagged)
    severity, fired = evaluate(values, rules)
    hit = {m: np.array([any(r.metric == m for r in f) for f in fired], dtype=bool) for m in metrics}
    no_hit = np.zeros(len(p), dtype=bool)

    def fired_on(metric: str) -> pd.Series:
        return pd.Series(hit.get(metric, no_hit), index=p.index)

    # reasons, one cause after another (each text built for the rows it applies to only)
    date_text = lambda s: s.dt.strftime("%Y-%m-%d").astype("str")  # noqa: E731
    reason = np.full(len(p), "", dtype=object)
    reason = _append(reason, achieved, lambda m: "已于" + date_text(achieved_on[m]) + verb[m])
    drift = open_ & (moved > 0) & baseline.notna()
    on_base = config.lateness == "baseline"
    if drift.any():
        reason = _append(
            reason,
            drift,
            lambda m: pd.Series(
                [
                    f"{lab}原定{_md(b, as_of)}，已推迟{n}次至{_md(c, as_of)}"
                    + (f"（累计{t}天）" if t != (c - b).days else "")
                    for lab, b, c, n, t in zip(
                        planned_label[m],
                        baseline[m],
                        current[m],
                        moved[m],
                        plan["postponed_days"][m],
                        strict=True,
                    )
                ],
                dtype="str",
            ),
        )
    basis = "按原计划" if on_base else "按现计划"
    plain = open_ & planned.notna() & ~drift
    ahead = open_ & planned.notna() & (late < 0)
    reason = _append(
        reason,
        ahead & plain,
        lambda m: "距" + planned_label[m] + "还有" + (-late[m]).astype("str") + "天",
    )
    reason = _append(
        reason, ahead & drift, lambda m: basis + "还有" + (-late[m]).astype("str") + "天"
    )
    today = open_ & planned.notna() & (late == 0)
    reason = _append(reason, today & plain, lambda m: "今日为" + planned_label[m])
    reason = _append(reason, today & drift, basis + "今日到期")
    reason = _append(
        reason,
        open_ & (late > 0) & plain,
        lambda m: planned_label[m] + "已过" + late[m].astype("str") + "天",
    )
    reason = _append(
        reason,
        open_ & (late > 0) & drift,
        lambda m: basis + "已逾期" + late[m].astype("str") + "天",
    )
    reason = _append(
        reason,
        fired_on("months_late"),
        lambda m: (
            "逾期" + values["months_late"][m].astype("int64").astype("str") + "个月未" + verb[m]
        ),
    )
    reason = _append(reason, open_ & planned.isna(), lambda m: "未填" + planned_label[m])
    if inv is not None:
        by_ratio = fired_on("investment_ratio_of_pace")
        inv_hit = fired_on("investment_points_below_pace") | by_ratio

        def inv_text(m: np.ndarray) -> pd.Series:
            texts = []
            for r, e, q in zip(inv["rate"][m], inv["elapsed"][m], by_ratio[m], strict=True):
                points = (e - r) * 100
                text = (
                    f"年度投资完成{r * 100:.1f}%，低于序时进度{e * 100:.1f}%达{points:.1f}个百分点"
                )
                texts.append(text + (f"（为序时进度的{r / e:.0%}）" if q else ""))
            return pd.Series(texts, dtype="str")

        reason = _append(reason, inv_hit, inv_text)
    if "months_flagged" in values:
        reason = _append(
            reason,
            fired_on("months_flagged"),
            lambda m: "连续" + values["months_flagged"][m].astype("str") + "个月预警",
        )
    # problems are named when a rule of the rule set looks at them
    if "open_problem" in metrics:
        reason = _append(reason, open_problem, lambda m: "存在问题未销号：" + text[m].fillna(""))
    if "open_major_problem" in metrics:
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
            "planned_goal_on": current.astype("datetime64[ns]"),
            "baseline_goal_on": baseline.astype("datetime64[ns]"),
            "postponements": moved.astype("int64"),
            "achieved_on": achieved_on.astype("datetime64[ns]"),
            "responsible_unit": p["responsible_unit"],
            "responsible_person": p["responsible_person"],
        }
    )
    return out[list(FLAG_COLUMNS)]
