"""Build canonical ``snapshots`` / ``projects`` frames inline for figure tests.

Only the columns a test cares about need to be given; everything else gets a neutral
default (key project of 四会市, category 已供地未动工, no dates, no problems).

>>> snaps = snapshots_frame(
...     dict(project_id="A", report_date="2023-07-31", category="已供地未动工"),
...     dict(project_id="A", report_date="2023-08-31", started_on="2023-08-15"),
... )
>>> projects = projects_from_snapshots(snaps)
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from zqcampaign.config import Config, default_config
from zqcampaign.model import assembly
from zqcampaign.model.stages import achieved_date, planned_goal_date, stage_index
from zqcampaign.schema import (
    BOOL_COLUMNS,
    CANONICAL_COLUMNS,
    CATEGORIES,
    CATEGORY_GOAL,
    DATE_COLUMNS,
    MONEY_COLUMNS,
    STAGES,
)

DEFAULTS: dict[str, Any] = {
    "county": "四会市",
    "category": "已供地未动工",
    "in_scope": True,
    "total_investment": 20000.0,
    "report_date": "2023-07-31",
    "responsible_unit": "发改局",
    "responsible_person": "张三",
    "source_file": "test.xlsx",
    "source_sheet": "Sheet1",
}


def _typed(frame: pd.DataFrame) -> pd.DataFrame:
    for col in DATE_COLUMNS:
        frame[col] = pd.to_datetime(frame[col]).astype("datetime64[ns]")
    for col in MONEY_COLUMNS:
        frame[col] = frame[col].astype("float64")
    for col in BOOL_COLUMNS:
        frame[col] = frame[col].astype("boolean")
    frame["in_scope"] = frame["in_scope"].astype(bool)
    for col in CANONICAL_COLUMNS:
        if col not in (*DATE_COLUMNS, *MONEY_COLUMNS, *BOOL_COLUMNS, "in_scope", "source_row"):
            frame[col] = frame[col].astype("str")
    frame["source_row"] = frame["source_row"].astype("int64")
    return frame


def _stage_labels(frame: pd.DataFrame, when: pd.Series) -> pd.Series:
    idx = stage_index(frame, when).to_numpy()
    labels = np.array([*STAGES, None], dtype=object)[np.where(idx >= 0, idx, len(STAGES))]
    return pd.Series(labels, index=frame.index, dtype="str")


def snapshots_frame(*rows: dict[str, Any]) -> pd.DataFrame:
    """Snapshot table: one dict per project per report date.

    ``project_id`` defaults to ``P1``, ``P2`` … by position, ``name`` to ``项目<id>``.
    """
    records = []
    for i, given in enumerate(rows, start=1):
        rec = dict.fromkeys(CANONICAL_COLUMNS)
        rec.update(DEFAULTS)
        rec["project_id"] = f"P{i}"
        rec["source_row"] = i + 3
        rec.update(given)
        rec["name"] = rec["name"] if rec.get("name") is not None else f"项目{rec['project_id']}"
        records.append(rec)
    frame = _typed(pd.DataFrame(records, columns=list(CANONICAL_COLUMNS)))
    frame["stage"] = _stage_labels(frame, frame["report_date"])
    return frame.sort_values(["report_date", "county"], kind="stable").reset_index(drop=True)


# the loader's "latest row wins" columns (in_scope is set separately here)
_LATEST_STRICT = tuple(c for c in assembly._LATEST_STRICT if c != "in_scope")


def projects_from_snapshots(
    snapshots: pd.DataFrame, config: Config | None = None, *, in_scope: bool | None = None
) -> pd.DataFrame:
    """Project table the way the loader builds it: baseline category + latest state.

    ``in_scope`` is ``total_investment >= key threshold`` and baseline category in the
    three categories, unless forced with ``in_scope=True/False``.
    """
    config = config or default_config()
    rows = snapshots.sort_values(["project_id", "report_date"], kind="stable")
    g = rows.groupby("project_id", sort=True)
    other = [c for c in CANONICAL_COLUMNS if c not in (*_LATEST_STRICT, "project_id", "category")]
    p = g[other].last()
    p = p.join(g.tail(1).set_index("project_id")[list(_LATEST_STRICT)])
    p["category"] = g["category"].first()
    for col in ("planned_land_on", "planned_start_on", "planned_completion_on"):
        p[f"baseline_{col}"] = g[col].first()  # as first reported
    p["first_report_date"] = g["report_date"].min()
    p["last_report_date"] = g["report_date"].max()
    county_latest = rows.groupby("county")["report_date"].max()
    p["missing"] = p["last_report_date"] < p["county"].map(county_latest)
    p = p.reset_index()
    threshold = p["county"].map(config.key_threshold)
    if in_scope is None:
        p["in_scope"] = (p["total_investment"] >= threshold) & p["category"].isin(CATEGORIES)
    else:
        p["in_scope"] = in_scope
    return _finish(p)


def _finish(p: pd.DataFrame) -> pd.DataFrame:
    p["in_scope"] = p["in_scope"].astype(bool)
    p["scope_note"] = pd.Series(None, index=p.index, dtype="str")
    p["stage"] = _stage_labels(p, p["last_report_date"])
    p["goal"] = p["category"].map(CATEGORY_GOAL).astype("str")
    p["achieved_on"] = achieved_date(p)
    p["planned_goal_on"] = planned_goal_date(p)
    for col in ("first_report_date", "last_report_date", "report_date"):
        p[col] = p[col].astype("datetime64[ns]")
    return p


def projects_frame(*rows: dict[str, Any]) -> pd.DataFrame:
    """Project table directly, one dict per project (no snapshots needed).

    Defaults: ``first_report_date`` 2023-07-31, ``last_report_date`` = ``report_date``
    = 2023-08-31, ``missing`` False.
    """
    defaults = {"report_date": "2023-08-31", "first_report_date": "2023-07-31"}
    snaps = snapshots_frame(*({**defaults, **r} for r in rows))
    extra = pd.DataFrame(
        [
            {
                "first_report_date": r.get("first_report_date", defaults["first_report_date"]),
                "last_report_date": r.get("last_report_date", r.get("report_date", "2023-08-31")),
                "missing": r.get("missing", False),
            }
            for r in rows
        ]
    )
    # snapshots_frame sorts by report date / county: restore the given order
    order = {
        f"P{i}" if "project_id" not in r else r["project_id"]: i for i, r in enumerate(rows, 1)
    }
    p = snaps.assign(_o=snaps["project_id"].map(order)).sort_values("_o").drop(columns="_o")
    p = p.drop(columns="stage").reset_index(drop=True)
    p["first_report_date"] = pd.to_datetime(extra["first_report_date"])
    p["last_report_date"] = pd.to_datetime(extra["last_report_date"])
    p["missing"] = extra["missing"].astype(bool)
    return _finish(p)
