"""Problems and their cross-off (问题销号): a register with deadlines, 督办 type and status.

Each (project, problem text) is one record: opened on its first report, closed (销号) when a
report marks it closed or a later report of the project no longer has it, reopened when it
comes back. Its 解决时限 comes from the ledger's column when given, else from
``[problems]`` days after opening; its 督办 type (普通 / 现场 / 挂牌) from the ledger's
column or the rules, rising by the escalation rule while it stays open past the deadline.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from zqcampaign.config import SUPERVISION_LEVELS, Config, ProblemRules, default_config
from zqcampaign.figures._common import county_order, resolve_as_of

__all__ = [
    "LIST_NAMES",
    "PROBLEM_COLUMNS",
    "REGISTER_STATUSES",
    "problem_lists",
    "problem_summary",
    "problems",
    "supervision_level",
]

PROBLEM_COLUMNS: tuple[str, ...] = (
    "project_id",
    "name",
    "county",
    "problem",
    "major",
    "first_seen",
    "closed_on",
    "status",
    "days_open",
    "in_scope",
    "responsible_unit",
    "responsible_person",
    # the register
    "register_status",
    "status_on",
    "reopened_on",
    "deadline",
    "deadline_source",
    "overdue",
    "days_overdue",
    "level",
    "escalated",
    "coordination",
    "colour",
)
REGISTER_STATUSES = ("新增", "推进中", "已销号")
LIST_NAMES = {"新增": "新增问题", "推进中": "推进中", "已销号": "已销号"}


def _clean_text(text: pd.Series) -> pd.Series:
    text = text.astype("str").str.strip()
    return text.where(text != "")


def supervision_level(value: object) -> str | None:
    """A ledger's 督办类型 cell as 普通 / 现场 / 挂牌 (``None`` when blank or unknown)."""
    if not isinstance(value, str):
        return None
    if "挂牌" in value:
        return "挂牌"
    if "现场" in value:
        return "现场"
    if any(w in value for w in ("普通", "一般", "书面", "常规")):
        return "普通"
    return None


def _walk(reports: list[tuple[Any, Any, bool]], text: str) -> tuple[Any, Any, Any]:
    """(first seen, closed on or None, last reopened on or None) of ``text`` over one
    project's reports (date, text, closed), oldest first."""
    first = closed = reopened = None
    for date, row_text, row_closed in reports:
        same = row_text == text
        if first is None:
            if same:
                first = date
                closed = date if row_closed else None
            continue
        if closed is None:
            if (same and row_closed) or (not same and date > first):
                closed = date
        elif same and not row_closed:
            closed, reopened = None, date
    return first, closed, reopened


def _months_between(start: pd.Timestamp, end: pd.Timestamp) -> int:
    """Whole calendar months from ``start`` to ``end`` (0 when ``end`` < a month later)."""
    n = (end.year - start.year) * 12 + end.month - start.month
    if n > 0 and start + pd.DateOffset(months=n) > end:
        n -= 1
    return max(n, 0)


def problems(
    snapshots: pd.DataFrame, *, as_of: object = None, config: Config | None = None
) -> pd.DataFrame:
    """The problem register: every (project, problem text) reported up to ``as_of``.

    Parameters
    ----------
    snapshots
        Snapshot table with ``problems``, ``problem_major``, ``problem_closed`` and, when
        the ledgers have them, ``problem_deadline`` (解决时限) and ``supervision_level``.
    as_of
        Last report date considered; ``None`` -> latest report date in ``snapshots``.
    config
        ``[problems]`` rules (default: the built-in configuration).

    Returns
    -------
    pandas.DataFrame
        One row per project and problem text: ``project_id``, ``name``, ``county``,
        ``problem`` (text, whitespace-trimmed), ``major`` (ever marked major),
        ``first_seen`` (first report date with this text), ``closed_on`` (the report that
        crossed it off: marked closed, or the first later report of the project without
        it; NaT while open), ``status`` (``"open"`` / ``"closed"``), ``days_open`` [days
        from ``first_seen`` to ``closed_on`` or ``as_of``], ``in_scope``,
        ``responsible_unit``, ``responsible_person`` (the project's latest row);
        and the register: ``register_status`` (新增: open and first seen after the
        previous report date; 推进中: open since before; 已销号), ``status_on`` (date of
        that status: first seen, latest report of the project, closed on),
        ``reopened_on`` (last report where a crossed-off text came back, NaT if never),
        ``deadline`` (解决时限), ``deadline_source`` (``"ledger"`` / ``"rule"``),
        ``overdue`` (open past the deadline at ``as_of``), ``days_overdue`` [days],
        ``level`` (督办 type 普通 / 现场 / 挂牌), ``escalated`` (raised by the escalation
        rule), ``coordination`` (协调层级 of the level) and ``colour`` (open: ``"blue"``
        before ``near_days`` from the deadline, ``"yellow"`` near it, ``"red"`` past it;
        closed: ``"blue"``). Sorted by county, first seen, project.

    Notes
    -----
    A project absent from a later ledger is carried forward: absence does not close its
    problems. A reworded problem counts as the old one closed and a new one opened. A
    reopened problem keeps its first report date and its deadline.
    """
    rules = (config or default_config()).problem_rules
    if as_of is None:
        dates = snapshots["report_date"].dropna()
        as_of = dates.max() if len(dates) else None
    as_of = resolve_as_of(as_of)
    s = snapshots[(snapshots["report_date"] <= as_of).fillna(False).astype(bool)]
    s = pd.DataFrame(
        {
            "project_id": s["project_id"],
            "report_date": s["report_date"],
            "text": _clean_text(s["problems"]),
            "major": s["problem_major"].astype("boolean").fillna(False).astype(bool),
            "closed": s["problem_closed"].astype("boolean").fillna(False).astype(bool),
            "deadline": _optional(s, "problem_deadline", "datetime64[ns]"),
            "level": _optional(s, "supervision_level", "str").map(supervision_level),
        }
    ).sort_values(["project_id", "report_date"], kind="stable")
    reported = s[s["text"].notna()]
    pairs = (
        reported.groupby(["project_id", "text"], sort=False)
        .agg(
            major=("major", "any"),
            deadline=("deadline", "last"),
            level=("level", lambda v: _highest(v.dropna())),
        )
        .reset_index()
    )
    history = {
        pid: list(zip(g["report_date"], g["text"], g["closed"], strict=True))
        for pid, g in s[s["project_id"].isin(pairs["project_id"])].groupby("project_id")
    }
    walked = [_walk(history[p], t) for p, t in zip(pairs["project_id"], pairs["text"], strict=True)]
    pairs["first_seen"] = pd.to_datetime([w[0] for w in walked]).astype("datetime64[ns]")
    pairs["closed_on"] = pd.to_datetime([w[1] for w in walked]).astype("datetime64[ns]")
    pairs["reopened_on"] = pd.to_datetime([w[2] for w in walked]).astype("datetime64[ns]")
    last_report = s.groupby("project_id")["report_date"].max()
    previous = _previous_report_date(s["report_date"], as_of)

    latest = (
        snapshots[snapshots["project_id"].isin(pairs["project_id"])]
        .sort_values("report_date", kind="stable")
        .drop_duplicates("project_id", keep="last")
        .set_index("project_id")
    )
    out = pd.DataFrame(
        {
            "project_id": pairs["project_id"],
            "name": pairs["project_id"].map(latest["name"]),
            "county": pairs["project_id"].map(latest["county"]),
            "problem": pairs["text"],
            "major": pairs["major"].astype(bool),
            "first_seen": pairs["first_seen"],
            "closed_on": pairs["closed_on"],
        }
    )
    is_open = out["closed_on"].isna()
    out["status"] = pd.Series(np.where(is_open, "open", "closed"), index=out.index, dtype="str")
    out["days_open"] = (out["closed_on"].fillna(as_of) - out["first_seen"]).dt.days.astype("int64")
    for col in ("in_scope", "responsible_unit", "responsible_person"):
        out[col] = pairs["project_id"].map(latest[col])
    out["in_scope"] = out["in_scope"].astype(bool)
    _register(out, pairs, rules, as_of, previous, pairs["project_id"].map(last_report))
    for col in (
        "project_id",
        "name",
        "county",
        "problem",
        "responsible_unit",
        "responsible_person",
    ):
        out[col] = out[col].astype("str")
    out = out.sort_values(["county", "first_seen", "project_id"], kind="stable")
    out = out[list(PROBLEM_COLUMNS)].reset_index(drop=True)
    out.attrs.update(as_of=as_of, since=previous)
    return out


def _optional(frame: pd.DataFrame, col: str, dtype: str) -> pd.Series:
    if col in frame:
        return frame[col].astype(dtype)
    return pd.Series(
        pd.NaT if dtype.startswith("datetime") else None, index=frame.index, dtype=dtype
    )


def _highest(levels: pd.Series) -> str | None:
    ranked = [SUPERVISION_LEVELS.index(v) for v in levels if v in SUPERVISION_LEVELS]
    return SUPERVISION_LEVELS[max(ranked)] if ranked else None


def _previous_report_date(dates: pd.Series, as_of: pd.Timestamp) -> pd.Timestamp | None:
    """The report date before the latest one on or before ``as_of``."""
    distinct = sorted(dates.dropna().unique())
    return pd.Timestamp(distinct[-2]) if len(distinct) > 1 else None


def _register(
    out: pd.DataFrame,
    pairs: pd.DataFrame,
    rules: ProblemRules,
    as_of: pd.Timestamp,
    previous: pd.Timestamp | None,
    last_report: pd.Series,
) -> None:
    """Add the register columns to ``out`` (in place)."""
    is_open = out["closed_on"].isna()
    new = is_open & (out["first_seen"] > previous if previous is not None else True)
    out["register_status"] = pd.Series(
        np.where(~is_open, "已销号", np.where(new, "新增", "推进中")), index=out.index, dtype="str"
    )
    out["status_on"] = (
        out["closed_on"]
        .where(~is_open, out["first_seen"].where(new, last_report))
        .astype("datetime64[ns]")
    )
    out["reopened_on"] = pairs["reopened_on"]
    days = np.where(out["major"], rules.major_deadline_days, rules.deadline_days)
    rule_deadline = out["first_seen"] + pd.to_timedelta(days, unit="D")
    from_ledger = pairs["deadline"].notna()
    out["deadline"] = pairs["deadline"].where(from_ledger, rule_deadline).astype("datetime64[ns]")
    out["deadline_source"] = pd.Series(
        np.where(from_ledger, "ledger", "rule"), index=out.index, dtype="str"
    )
    out["overdue"] = (is_open & (out["deadline"] < as_of)).astype(bool)
    late = (as_of - out["deadline"]).dt.days
    out["days_overdue"] = late.where(out["overdue"], 0).astype("int64")

    base = [
        given if isinstance(given, str) else (rules.major_level if major else "普通")
        for given, major in zip(pairs["level"], out["major"], strict=True)
    ]
    levels, escalated = [], []
    for start, overdue, deadline in zip(base, out["overdue"], out["deadline"], strict=True):
        rank = SUPERVISION_LEVELS.index(start)
        if overdue:
            months = _months_between(deadline, as_of)
            for need, level in rules.escalation:
                if months >= need:
                    rank = max(rank, SUPERVISION_LEVELS.index(level))
        levels.append(SUPERVISION_LEVELS[rank])
        escalated.append(rank > SUPERVISION_LEVELS.index(start))
    out["level"] = pd.Series(levels, index=out.index, dtype="str")
    out["escalated"] = pd.Series(escalated, index=out.index, dtype=bool)
    out["coordination"] = out["level"].map(dict(rules.coordination)).astype("str")
    near = out["deadline"] - pd.Timedelta(days=rules.near_days) <= as_of
    colour = np.where(out["overdue"], "red", np.where(near, "yellow", "blue"))
    out["colour"] = pd.Series(np.where(is_open, colour, "blue"), index=out.index, dtype="str")


def problem_lists(
    register: pd.DataFrame, *, county: str | None = None, since: object = None
) -> dict[str, pd.DataFrame]:
    """The three lists of the monthly register: 新增问题, 推进中, 已销号.

    Parameters
    ----------
    register
        Output of :func:`problems`.
    county
        Only this county's problems (``None``: every county).
    since
        已销号 lists the problems crossed off after this date; ``None``: the report date
        before the register's as-of date (``register.attrs["since"]``), so the month's
        closures; all closures when there is no earlier report.

    Returns
    -------
    dict of str to pandas.DataFrame
        ``{"新增问题": …, "推进中": …, "已销号": …}``, rows of ``register``. 推进中 lists the
        overdue problems first, longest overdue first.
    """
    t = register if county is None else register[register["county"] == county]
    since = register.attrs.get("since") if since is None else resolve_as_of(since)
    closed = t[t["register_status"] == "已销号"]
    if since is not None:
        closed = closed[closed["closed_on"] > since]
    going = t[t["register_status"] == "推进中"].sort_values(
        ["days_overdue", "first_seen"], ascending=[False, True], kind="stable"
    )
    return {
        "新增问题": t[t["register_status"] == "新增"].reset_index(drop=True),
        "推进中": going.reset_index(drop=True),
        "已销号": closed.reset_index(drop=True),
    }


def problem_summary(problem_table: pd.DataFrame, config: Config) -> pd.DataFrame:
    """Per county: open and closed problems, closure rate, open major problems.

    Parameters
    ----------
    problem_table
        Output of :func:`problems`.
    config
        Counties (every configured county appears, in configuration order).

    Returns
    -------
    pandas.DataFrame
        ``county``, ``total``, ``open``, ``closed``, ``open_major`` [problems],
        ``closure_rate`` = closed / total [0-1] (NaN without problems) and
        ``median_days_open`` [days] of the open ones.
    """
    t = problem_table
    is_open = (t["status"] == "open").astype("int64")
    frame = pd.DataFrame(
        {
            "county": t["county"],
            "total": 1,
            "open": is_open,
            "closed": 1 - is_open,
            "open_major": (is_open.astype(bool) & t["major"].astype(bool)).astype("int64"),
        }
    )
    order = pd.Index(county_order(config, t["county"]), name="county")
    out = frame.groupby("county").sum().reindex(order, fill_value=0)
    days = t.loc[is_open.astype(bool)].groupby("county")["days_open"].median()
    out["closure_rate"] = (out["closed"] / out["total"].where(out["total"] > 0)).astype("float64")
    out["median_days_open"] = days.reindex(order).astype("float64")
    out = out.reset_index()
    for col in ("total", "open", "closed", "open_major"):
        out[col] = out[col].astype("int64")
    return out[
        ["county", "total", "open", "closed", "open_major", "closure_rate", "median_days_open"]
    ]
