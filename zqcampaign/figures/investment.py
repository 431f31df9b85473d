"""Investment progress: year-to-date actual investment against the annual plan (序时进度)."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd

from zqcampaign.config import Config
from zqcampaign.figures._common import (
    county_order,
    latest_rows,
    months_elapsed,
    parse_by,
    resolve_as_of,
)

__all__ = ["SCOPES", "check_scope", "investment", "year_elapsed"]

#: ``scope`` choices: ``"list"`` = in-scope projects (key projects of the three categories),
#: ``"all"`` = every project in the ledgers.
SCOPES: tuple[str, ...] = ("list", "all")


def check_scope(scope: str) -> str:
    """``scope`` itself, or ValueError naming the choices."""
    if scope not in SCOPES:
        raise ValueError(f"scope must be one of {', '.join(SCOPES)}; got {scope!r}")
    return scope


def year_elapsed(config: Config, as_of: object) -> float:
    """Share of the investment year elapsed at the end of ``as_of`` [0-1] (序时进度).

    ``config.pace = "days"`` (default): counted in days, ``as_of`` included:
    (as_of − year_start + 1) / (year_end − year_start + 1), clipped to [0, 1]; with the
    default 2023 year, 2023-12-31 gives 1 and 2023-06-30 gives 181/365.
    ``"months"``: whole months elapsed ÷ months in the year, as Guangdong's bulletins
    (1–9月 = 9/12 on 30 September; 15 October still 9/12).
    ``config.investment_steps`` (quarter-end shares such as 20/50/75/100 %) override both:
    the share of the last step reached, 0 before the first.
    """
    start = pd.Timestamp(config.investment_year_start)
    end = pd.Timestamp(config.investment_year_end)
    when = pd.Timestamp(as_of).normalize()
    if config.investment_steps:
        reached = [share for d, share in config.investment_steps if pd.Timestamp(d) <= when]
        return float(reached[-1]) if reached else 0.0
    if config.pace == "months":
        done, total = months_elapsed(start, end, when, config.partial_month)
        return float(done / total) if total else 0.0
    days = (when - start).days + 1
    return float(np.clip(days / ((end - start).days + 1), 0.0, 1.0))


def investment(
    projects: pd.DataFrame | None,
    snapshots: pd.DataFrame,
    config: Config,
    *,
    as_of: object = None,
    by: str | Sequence[str] = "county",
    scope: str = "all",
) -> pd.DataFrame:
    """Year-to-date investment against the annual plan, per county or for the city.

    Parameters
    ----------
    projects
        Project table; needed for ``scope="list"`` and to default ``as_of``.
    snapshots
        Snapshot table with ``annual_plan`` and ``ytd_actual`` [万元].
    config
        Investment year (``investment_year_start`` / ``_end``).
    as_of
        Evaluation date; ``None`` -> latest report date.
    by
        ``"county"`` or ``"city"``.
    scope
        ``"all"`` (default): every project in the ledgers; ``"list"``: only in-scope projects
        (key projects of the three categories).

    Returns
    -------
    pandas.DataFrame
        ``county`` (``config.city`` for the city), ``projects`` [count], ``annual_plan`` and
        ``ytd_actual`` [万元], ``rate`` = ytd_actual / annual_plan [0-1] (NaN without a plan),
        ``elapsed`` [0-1] (:func:`year_elapsed`) and ``gap_points`` = (rate − elapsed) × 100
        [percentage points].

    Notes
    -----
    Each project contributes its latest snapshot row dated on or before ``as_of`` (a
    project missing from the latest ledger is carried forward).
    """
    keys = parse_by(by, ("city", "county"))
    check_scope(scope)
    if as_of is None and projects is None:
        dates = snapshots["report_date"].dropna()
        as_of = dates.max() if len(dates) else None
    as_of = resolve_as_of(as_of, projects)
    rows = latest_rows(snapshots, as_of, ["project_id", "county", "annual_plan", "ytd_actual"])
    if scope == "list":
        if projects is None:
            raise ValueError('scope="list" needs the projects table')
        ids = projects.loc[projects["in_scope"].astype(bool), "project_id"]
        rows = rows[rows["project_id"].isin(ids)]
    frame = pd.DataFrame(
        {
            "county": rows["county"],
            "projects": 1,
            "annual_plan": rows["annual_plan"].astype("float64"),
            "ytd_actual": rows["ytd_actual"].astype("float64"),
        }
    )
    if keys:
        observed = snapshots["county"] if projects is None else projects["county"]
        out = frame.groupby("county").sum(min_count=0)
        out = out.reindex(pd.Index(county_order(config, observed), name="county"), fill_value=0)
        out = out.reset_index()
    else:
        out = pd.DataFrame(
            {
                "county": [config.city],
                "projects": [len(frame)],
                "annual_plan": [frame["annual_plan"].sum()],
                "ytd_actual": [frame["ytd_actual"].sum()],
            }
        )
    out["projects"] = out["projects"].astype("int64")
    plan = out["annual_plan"].where(out["annual_plan"] > 0)
    out["rate"] = (out["ytd_actual"] / plan).astype("float64")
    out["elapsed"] = year_elapsed(config, as_of)
    out["gap_points"] = (out["rate"] - out["elapsed"]) * 100
    return out[["county", "projects", "annual_plan", "ytd_actual", "rate", "elapsed", "gap_points"]]
