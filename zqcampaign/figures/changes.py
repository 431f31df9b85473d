"""What changed between two report dates: goals reached, slips, new red flags, additions, gaps."""

from __future__ import annotations

import pandas as pd

from zqcampaign.config import Config
from zqcampaign.figures._common import county_order, resolve_as_of
from zqcampaign.figures.flags import FLAG_LABELS, GOAL_VERBS, project_flags
from zqcampaign.schema import COLUMN_LABELS, PLANNED

__all__ = ["CHANGE_KINDS", "changes"]

#: Change kinds in output order, with their Chinese labels.
CHANGE_KINDS: dict[str, str] = {
    "reached_goal": "完成目标节点",
    "slipped": "超过计划节点时间",
    "turned_red": "转为红色警告",
    "added": "新纳入清单",
    "missing": "本期缺报",
}


def _date(s: pd.Series) -> pd.Series:
    return s.dt.strftime("%Y-%m-%d").astype("str")


def changes(
    projects: pd.DataFrame,
    snapshots: pd.DataFrame,
    config: Config,
    *,
    since: object = None,
    as_of: object = None,
) -> pd.DataFrame:
    """Changes of list projects between the previous report date and ``as_of``.

    Parameters
    ----------
    projects, snapshots
        Project and snapshot tables.
    config
        Flag thresholds (for "turned red").
    since
        Start of the period (exclusive); ``None`` -> the report date before ``as_of``
        (with a single report date: everything in the data is new).
    as_of
        End of the period (inclusive); ``None`` -> latest report date.

    Returns
    -------
    pandas.DataFrame
        ``project_id``, ``name``, ``county``, ``change`` (Chinese label), ``detail``
        (Chinese) and ``kind`` (``reached_goal``, ``slipped``, ``turned_red``, ``added``,
        ``missing``), ordered by kind, county and project. One project may appear under
        several kinds.

    Notes
    -----
    With P = ``since`` and D = ``as_of``: *reached_goal*: ``P < achieved_on <= D``;
    *slipped*: goal not achieved by D and its planned date in ``[P, D)`` (on time at P,
    late at D); *turned_red*: on the list at P, red at D and not red at P; *added*: first
    reported in ``(P, D]``; *missing*: absent from its county's latest ledger dated on or
    before D while present in an earlier one (still counted, carried forward).
    """
    as_of = resolve_as_of(as_of, projects)
    dates = snapshots.loc[snapshots["report_date"] <= as_of, "report_date"].dropna()
    dates = sorted(dates.unique())
    if since is None:
        earlier = [d for d in dates if d < as_of]
        prev = pd.Timestamp(earlier[-1]) if earlier else None
    else:
        prev = resolve_as_of(since)
        if prev >= as_of:
            raise ValueError(f"since ({prev.date()}) must be before as_of ({as_of.date()})")
    if prev is None:  # one report only: the period starts before the data
        first = projects["first_report_date"].min()
        prev = (pd.Timestamp(first) if pd.notna(first) else as_of) - pd.Timedelta(days=1)

    columns = ["project_id", "name", "county", "change", "detail", "kind"]
    listed = projects["in_scope"].astype(bool) & (projects["first_report_date"] <= as_of)
    p = projects[listed.fillna(False).astype(bool)].reset_index(drop=True)
    if p.empty:
        return pd.DataFrame({c: pd.Series(dtype="str") for c in columns})
    goal = p["goal"].astype("str")
    verb = goal.map(GOAL_VERBS).fillna("完成").astype("str")
    planned_label = goal.map({g: COLUMN_LABELS[c] for g, c in PLANNED.items()}).astype("str")
    achieved_on, planned = p["achieved_on"], p["planned_goal_on"]
    parts = []

    def add(kind: str, mask: pd.Series, detail: pd.Series) -> None:
        mask = mask.fillna(False).astype(bool)
        parts.append(
            pd.DataFrame(
                {
                    "project_id": p.loc[mask, "project_id"],
                    "name": p.loc[mask, "name"],
                    "county": p.loc[mask, "county"],
                    "change": CHANGE_KINDS[kind],
                    "detail": detail[mask],
                    "kind": kind,
                }
            )
        )

    reached = (achieved_on > prev) & (achieved_on <= as_of)
    add("reached_goal", reached, "已于" + _date(achieved_on) + verb)

    not_done = ~(achieved_on <= as_of).fillna(False)
    slipped = not_done & (planned >= prev) & (planned < as_of)
    late = (as_of - planned).dt.days.astype("Int64").astype("str")
    add("slipped", slipped, planned_label + _date(planned) + "已过" + late + "天，尚未" + verb)

    now = project_flags(p, config, as_of=as_of, snapshots=snapshots).set_index("project_id")
    before = project_flags(p, config, as_of=prev, snapshots=snapshots).set_index("project_id")
    on_list_before = (p["first_report_date"] <= prev).to_numpy()
    flag_now = p["project_id"].map(now["flag"])
    flag_before = p["project_id"].map(before["flag"]).where(on_list_before)
    turned = (flag_now == "red") & (flag_before != "red") & pd.Series(on_list_before)
    detail = (
        flag_before.map(FLAG_LABELS).fillna("").astype("str")
        + "→红色警告："
        + p["project_id"].map(now["reason"]).astype("str")
    )
    add("turned_red", turned, detail)

    added = (p["first_report_date"] > prev) & (p["first_report_date"] <= as_of)
    add("added", added, p["first_report_date"].pipe(_date) + "首次报送（" + p["category"] + "）")

    seen = snapshots[snapshots["report_date"] <= as_of]
    county_latest = seen.groupby("county")["report_date"].max()
    project_last = seen.groupby("project_id")["report_date"].max()
    last = p["project_id"].map(project_last)
    expected = p["county"].map(county_latest)
    gone = last < expected
    add("missing", gone, _date(expected) + "台账缺报，沿用" + _date(last) + "数据")

    out = pd.concat(parts, ignore_index=True) if parts else pd.DataFrame(columns=columns)
    kind_rank = {k: i for i, k in enumerate(CHANGE_KINDS)}
    county_rank = {c: i for i, c in enumerate(county_order(config, projects["county"]))}
    out = out.assign(_k=out["kind"].map(kind_rank), _c=out["county"].map(county_rank))
    out = out.sort_values(["_k", "_c", "project_id"], kind="stable")
    out = out[columns].reset_index(drop=True)
    for col in columns:
        out[col] = out[col].astype("str")
    return out
