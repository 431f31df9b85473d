"""Ranking of the counties for the September / November evaluation (观摩评比)."""

from __future__ import annotations

import numpy as np
import pandas as pd

from zqcampaign.config import Config
from zqcampaign.figures._common import resolve_as_of
from zqcampaign.figures.completion import completion
from zqcampaign.figures.investment import investment

__all__ = ["ranking"]

_COMPONENTS = {"completion_rate": "rate", "gap": "gap", "investment_rate": "investment_rate"}


def _minmax(values: pd.Series) -> pd.Series:
    """Best -> 1, worst -> 0; all equal -> 1; NaN -> 0."""
    lo, hi = values.min(), values.max()
    if pd.isna(lo):
        return pd.Series(0.0, index=values.index)
    if hi - lo <= 0:
        return pd.Series(1.0, index=values.index).where(values.notna(), 0.0)
    return ((values - lo) / (hi - lo)).fillna(0.0)


def ranking(
    projects: pd.DataFrame,
    snapshots: pd.DataFrame,
    config: Config,
    *,
    as_of: object = None,
) -> pd.DataFrame:
    """Counties ranked by completion rate, then gap, then investment rate; and a score.

    Parameters
    ----------
    projects, snapshots
        Project and snapshot tables.
    config
        ``ranking_weights`` {completion_rate, gap, investment_rate}.
    as_of
        Evaluation date; ``None`` -> latest report date in ``projects``.

    Returns
    -------
    pandas.DataFrame
        Ordered by ``rank`` (1 = best): ``rank``, ``county``, ``total``, ``achieved``,
        ``rate``, ``expected``, ``gap`` [0-1], ``flag``, ``investment_rate`` [0-1],
        ``score`` [0-100] and ``score_rank``. Counties without list projects come last with
        ``rank`` NA.

    Notes
    -----
    ``rank`` orders by completion rate, then gap, then investment rate (descending; a
    missing investment rate counts as lowest; full ties share the best rank). ``score`` =
    100 × Σ wₖ·sₖ / Σ wₖ over the three components, each rescaled across the ranked
    counties so the best is 1 and the worst 0 (all equal: 1; missing: 0).
    """
    as_of = resolve_as_of(as_of, projects)
    comp = completion(projects, config, as_of=as_of, by="county")
    inv = investment(projects, snapshots, config, as_of=as_of, by="county")
    out = comp.drop(columns="missed_deadline").merge(
        inv[["county", "rate"]].rename(columns={"rate": "investment_rate"}), on="county", how="left"
    )
    ranked = out["total"] > 0
    keys = out[["rate", "gap", "investment_rate"]].fillna(-np.inf)
    out = out.assign(_r=keys["rate"], _g=keys["gap"], _i=keys["investment_rate"], _ranked=ranked)
    out = out.sort_values(["_ranked", "_r", "_g", "_i"], ascending=False, kind="stable")
    tied = out[["_r", "_g", "_i"]]
    new_key = tied.ne(tied.shift()).any(axis=1).to_numpy()
    position = np.maximum.accumulate(np.where(new_key, np.arange(1, len(out) + 1), 0))
    out["rank"] = pd.Series(position, index=out.index).astype("Int64").where(out["_ranked"])

    weights = config.ranking_weights
    total_weight = sum(weights.values())
    score = pd.Series(0.0, index=out.index)
    for name, col in _COMPONENTS.items():
        score += weights.get(name, 0.0) * _minmax(out[col].where(out["_ranked"]))
    out["score"] = (100 * score / total_weight).where(out["_ranked"])
    out["score_rank"] = out["score"].rank(method="min", ascending=False).astype("Int64")
    columns = ["rank", "county", "total", "achieved", "rate", "expected", "gap", "flag"]
    return out[[*columns, "investment_rate", "score", "score_rank"]].reset_index(drop=True)
