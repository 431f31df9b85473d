"""Activity: milestones reached in a period (新签约/供地/开工/竣工/投产) and cycle times."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd

from zqcampaign.config import Config
from zqcampaign.figures._common import county_order, list_members, parse_by, resolve_as_of
from zqcampaign.figures.investment import check_scope
from zqcampaign.model.stages import stage_index
from zqcampaign.schema import MILESTONES, STAGE_INDEX

__all__ = [
    "COUNT_COLUMNS",
    "INTERVALS",
    "counts",
    "cycle_times",
    "project_cycle_times",
    "stage_counts",
]

#: Output column of each milestone in :func:`counts`.
COUNT_COLUMNS: dict[str, str] = {
    "signed_on": "signed",
    "land_supplied_on": "land_supplied",
    "started_on": "started",
    "completed_on": "completed",
    "in_production_on": "in_production",
}
#: Intervals of :func:`cycle_times`: name -> (from milestone, to milestone).
INTERVALS: dict[str, tuple[str, str]] = {
    "signed_to_land": ("signed_on", "land_supplied_on"),
    "land_to_start": ("land_supplied_on", "started_on"),
    "start_to_completion": ("started_on", "completed_on"),
}


def stage_counts(
    projects: pd.DataFrame,
    config: Config,
    *,
    as_of: object = None,
    county: str | None = None,
) -> pd.DataFrame:
    """The pipeline of list projects: how many reached each milestone as of ``as_of``.

    A project counts at a milestone when it has reached that milestone or a later one (by
    its dates, or by its baseline category: a project listed as 已供地未动工 has been
    signed and supplied).

    Parameters
    ----------
    projects
        Project table.
    config
        Campaign configuration (unused today; kept for the figure signature).
    as_of
        ``None`` -> latest report date in ``projects``.
    county
        One county's pipeline instead of the city's.

    Returns
    -------
    pandas.DataFrame
        One row per milestone in order (``stage`` = ``signed_on`` … ``in_production_on``):
        ``count``, ``share_of_previous`` (count / the stage before; NaN for the first or
        after an empty stage) and ``share_of_total`` (count / list projects);
        ``attrs["list_projects"]`` is the number of list projects.
    """
    del config
    when = resolve_as_of(as_of, projects)
    if county is not None:
        projects = projects[projects["county"] == county]
    members = projects[list_members(projects, when)]
    by_dates = stage_index(members, when).to_numpy()
    by_category = members["category"].map(STAGE_INDEX).fillna(-1).astype(int).to_numpy()
    reached = np.maximum(by_dates, by_category)
    n = np.array([(reached >= k).sum() for k in range(len(MILESTONES))], dtype="int64")
    previous = np.concatenate([[np.nan], n[:-1]]).astype(float)
    with np.errstate(divide="ignore", invalid="ignore"):
        share_prev = np.where(previous > 0, n / previous, np.nan)
    total = len(members)
    out = pd.DataFrame(
        {
            "stage": list(MILESTONES),
            "count": n,
            "share_of_previous": share_prev,
            "share_of_total": n / total if total else np.full(len(n), np.nan),
        }
    )
    out.attrs["list_projects"] = total
    return out


def _scoped(projects: pd.DataFrame, scope: str) -> pd.DataFrame:
    check_scope(scope)
    if scope == "list":
        return projects[projects["in_scope"].astype(bool)]
    return projects


def counts(
    projects: pd.DataFrame,
    config: Config,
    *,
    start: object = None,
    end: object = None,
    by: str | Sequence[str] = "county",
    scope: str = "list",
) -> pd.DataFrame:
    """Projects that reached each milestone in ``[start, end]`` (both days included).

    Parameters
    ----------
    projects
        Project table with the actual milestone dates (latest known).
    config
        Counties (order of the rows) and the campaign start.
    start, end
        The period; ``None`` -> campaign start / latest report date.
    by
        ``"county"`` or ``"city"``.
    scope
        ``"list"`` (default): in-scope projects (key projects of the three categories,
        whenever they joined the list); ``"all"``: every project in the ledgers.

    Returns
    -------
    pandas.DataFrame
        ``county`` (``config.city`` for the city) and the counts ``signed``,
        ``land_supplied``, ``started``, ``completed``, ``in_production`` [projects].
        Every configured county appears.
    """
    keys = parse_by(by, ("city", "county"))
    start = resolve_as_of(config.start if start is None else start)
    end = resolve_as_of(end, projects)
    if end < start:
        raise ValueError(f"end ({end.date()}) must not be before start ({start.date()})")
    p = _scoped(projects, scope)
    inside = pd.DataFrame(
        {
            out: ((p[col] >= start) & (p[col] <= end)).fillna(False).astype("int64")
            for col, out in COUNT_COLUMNS.items()
        },
        index=p.index,
    )
    if keys:
        inside["county"] = p["county"]
        order = pd.Index(county_order(config, projects["county"]), name="county")
        out = inside.groupby("county").sum().reindex(order, fill_value=0).reset_index()
    else:
        out = inside.sum().to_frame().T
        out.insert(0, "county", config.city)
    for col in COUNT_COLUMNS.values():
        out[col] = out[col].astype("int64")
    return out[["county", *COUNT_COLUMNS.values()]]


def project_cycle_times(projects: pd.DataFrame) -> pd.DataFrame:
    """Days between consecutive milestones of each project.

    Returns
    -------
    pandas.DataFrame
        ``project_id``, ``name``, ``county``, and ``signed_to_land``, ``land_to_start``,
        ``start_to_completion`` [days]; NaN where a date is missing or the later milestone
        is dated before the earlier one (a data error the loader reports).
    """
    out = projects[["project_id", "name", "county"]].copy()
    for name, (a, b) in INTERVALS.items():
        days = (projects[b] - projects[a]).dt.days.astype("float64")
        out[name] = days.where(days >= 0)
    return out.reset_index(drop=True)


def cycle_times(
    projects: pd.DataFrame,
    config: Config,
    *,
    by: str | Sequence[str] = "county",
    scope: str = "all",
) -> pd.DataFrame:
    """Median and quartiles of the cycle times, per county (long format).

    Parameters
    ----------
    projects
        Project table with the actual milestone dates.
    config
        Counties (order of the rows).
    by
        ``"county"`` or ``"city"``.
    scope
        ``"all"`` (default: every project with both dates, so projects already past a
        milestone at baseline count too) or ``"list"`` (in-scope projects only).

    Returns
    -------
    pandas.DataFrame
        Long: ``county``, ``interval`` (``signed_to_land``, ``land_to_start``,
        ``start_to_completion``), ``n`` [projects], ``median``, ``q1``, ``q3`` [days].
        Every configured county × interval appears (n = 0 and NaN when no project has
        both dates). Pivot with ``.pivot(index="county", columns="interval",
        values="median")`` for a wide table.
    """
    keys = parse_by(by, ("city", "county"))
    per_project = project_cycle_times(_scoped(projects, scope))
    long = per_project.melt(
        id_vars=["county"], value_vars=list(INTERVALS), var_name="interval", value_name="days"
    ).dropna(subset=["days"])
    if not keys:
        long["county"] = config.city
        counties = [config.city]
    else:
        counties = county_order(config, projects["county"])
    grouped = long.groupby(["county", "interval"])["days"]
    stats = pd.DataFrame(
        {
            "n": grouped.size(),
            "median": grouped.median(),
            "q1": grouped.quantile(0.25),
            "q3": grouped.quantile(0.75),
        }
    )
    index = pd.MultiIndex.from_product([counties, list(INTERVALS)], names=["county", "interval"])
    stats = stats.reindex(index)
    stats["n"] = stats["n"].fillna(0).astype("int64")
    for col in ("median", "q1", "q3"):
        stats[col] = stats[col].astype("float64")
    out = stats.reset_index()
    out["interval"] = out["interval"].astype("str")
    return out[["county", "interval", "n", "median", "q1", "q3"]]
