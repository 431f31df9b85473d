"""Problems and their cross-off (问题销号): when each was first reported and when closed."""

from __future__ import annotations

import numpy as np
import pandas as pd

from zqcampaign.config import Config
from zqcampaign.figures._common import county_order, resolve_as_of

__all__ = ["PROBLEM_COLUMNS", "problem_summary", "problems"]

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
)


def _clean_text(text: pd.Series) -> pd.Series:
    text = text.astype("str").str.strip()
    return text.where(text != "")


def problems(snapshots: pd.DataFrame, *, as_of: object = None) -> pd.DataFrame:
    """Every (project, problem text) reported in the ledgers up to ``as_of``.

    Parameters
    ----------
    snapshots
        Snapshot table with ``problems``, ``problem_major`` and ``problem_closed``.
    as_of
        Last report date considered; ``None`` -> latest report date in ``snapshots``.

    Returns
    -------
    pandas.DataFrame
        One row per project and problem text: ``project_id``, ``name``, ``county``,
        ``problem`` (text, whitespace-trimmed), ``major`` (ever marked major),
        ``first_seen`` (first report date with this text), ``closed_on`` (first report on or
        after ``first_seen`` where the text is marked closed, or a later report of the
        project where the text is gone; NaT while open), ``status`` (``"open"`` /
        ``"closed"``), ``days_open`` [days from ``first_seen`` to ``closed_on`` or
        ``as_of``], ``in_scope``, ``responsible_unit``, ``responsible_person`` (from the
        project's latest row). Sorted by county, first seen, project.

    Notes
    -----
    A project absent from a later ledger is carried forward: absence does not close its
    problems. A reworded problem counts as the old one closed and a new one opened.
    """
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
        }
    )
    reported = s[s["text"].notna()]
    pairs = (
        reported.groupby(["project_id", "text"], sort=False)
        .agg(first_seen=("report_date", "min"), major=("major", "any"))
        .reset_index()
    )
    # candidate closing reports: the same text marked closed, or a later report without it
    cand = pairs[["project_id", "text", "first_seen"]].merge(
        s[["project_id", "report_date", "text", "closed"]],
        on="project_id",
        suffixes=("", "_row"),
    )
    same = (cand["text_row"] == cand["text"]).fillna(False).astype(bool)
    closing = (cand["report_date"] >= cand["first_seen"]) & (
        (same & cand["closed"]) | (~same & (cand["report_date"] > cand["first_seen"]))
    )
    closed_on = (
        cand[closing].groupby(["project_id", "text"])["report_date"].min().rename("closed_on")
    )
    pairs = pairs.merge(closed_on, on=["project_id", "text"], how="left")

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
            "first_seen": pairs["first_seen"].astype("datetime64[ns]"),
            "closed_on": pairs["closed_on"].astype("datetime64[ns]"),
        }
    )
    out["status"] = pd.Series(
        np.where(out["closed_on"].notna(), "closed", "open"), index=out.index, dtype="str"
    )
    out["days_open"] = (out["closed_on"].fillna(as_of) - out["first_seen"]).dt.days.astype("int64")
    for col in ("in_scope", "responsible_unit", "responsible_person"):
        out[col] = pairs["project_id"].map(latest[col])
    out["in_scope"] = out["in_scope"].astype(bool)
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
    return out[list(PROBLEM_COLUMNS)].reset_index(drop=True)


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
