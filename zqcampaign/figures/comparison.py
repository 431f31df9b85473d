"""Compare with the province and peer cities (与全省比、与兄弟城市比)."""

from __future__ import annotations

import pandas as pd

from zqcampaign.config import Config
from zqcampaign.figures._common import resolve_as_of
from zqcampaign.figures.investment import investment

__all__ = ["comparison"]


def comparison(
    projects: pd.DataFrame | None,
    snapshots: pd.DataFrame,
    config: Config,
    *,
    as_of: object = None,
) -> pd.DataFrame:
    """The configured benchmarks beside the city's own investment figure.

    Ledgers hold the current year only, so the city's investment *growth* (同比增速) cannot
    be computed from them; the city row shows its year-to-date investment rate (YTD
    actual / annual plan) instead, marked ``comparable=False``.

    Parameters
    ----------
    projects, snapshots
        Project and snapshot tables.
    config
        ``config.benchmarks`` and the investment year.
    as_of
        Evaluation date; ``None`` -> latest report date.

    Returns
    -------
    pandas.DataFrame
        ``name``, ``metric``, ``period``, ``value`` [fraction: 0.232 = 23.2 %], ``source``,
        ``illustrative`` (True for example figures that are not official statistics),
        ``comparable`` (same metric as the benchmarks) and ``note`` (Chinese). Benchmarks
        first, in configuration order, then the city.
    """
    if as_of is None and projects is None:
        dates = snapshots["report_date"].dropna()
        as_of = dates.max() if len(dates) else None
    as_of = resolve_as_of(as_of, projects)
    rows = [
        {
            "name": b.name,
            "metric": b.metric,
            "period": b.period,
            "value": b.value,
            "source": b.source,
            "illustrative": b.illustrative,
            "comparable": True,
            "note": "示意数据，非官方统计" if b.illustrative else None,
        }
        for b in config.benchmarks
    ]
    city = investment(projects, snapshots, config, as_of=as_of, by="city")
    start = pd.Timestamp(config.investment_year_start)
    rows.append(
        {
            "name": config.city,
            "metric": "ytd_investment_rate",
            "period": f"{start:%Y-%m-%d}/{as_of:%Y-%m-%d}",
            "value": float(city["rate"].iloc[0]),
            "source": config.source_line,
            "illustrative": False,
            "comparable": False,
            "note": "台账无上年同期数据，无法计算同比增速；此处为年度计划投资完成率",
        }
    )
    out = pd.DataFrame(rows)
    for col in ("name", "metric", "period", "source", "note"):
        out[col] = out[col].astype("str")
    out["value"] = out["value"].astype("float64")
    out["illustrative"] = out["illustrative"].astype(bool)
    out["comparable"] = out["comparable"].astype(bool)
    return out
