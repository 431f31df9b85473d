"""Ranking of the counties for the September / November evaluation (观摩评比): a rubric.

Each component of ``config.rubric`` turns one figure of a county into points —
``clip(base + per × value, min, max)`` — and the score is Σ weight × points. The rank
follows the score (ties: completion rate, then gap, then investment rate; counties equal
on all of them share a rank). No rescaling between counties: a county's points depend on
its own figures only, so 44 % completion is worth 44 points of its component, not 0.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path

import numpy as np
import pandas as pd

from zqcampaign.config import Config
from zqcampaign.figures._common import resolve_as_of
from zqcampaign.figures.activity import counts
from zqcampaign.figures.completion import completion
from zqcampaign.figures.investment import investment
from zqcampaign.rulebook import RUBRIC_METRICS, RubricComponent
from zqcampaign.text import normalize_text

__all__ = ["EXPLAIN_COLUMNS", "explain", "previous_evaluation", "ranking", "read_jury"]

EXPLAIN_COLUMNS: tuple[str, ...] = (
    "county",
    "rank",
    "component",
    "label",
    "metric",
    "value",
    "points",
    "weight",
    "weighted",
)
_COUNTY_HEADERS = ("county", "县（市、区）", "县(市、区)", "县市区", "单位", "地区", "县区")
_SCORE_HEADERS = ("score", "评分", "得分", "观摩评分", "现场评分", "现场观摩评分", "分数")


def read_jury(source: object, config: Config) -> pd.Series:
    """Jury scores of the on-site visit, county -> score.

    ``source``: a spreadsheet (``.xlsx``/``.xls``/``.ods``/``.csv``) whose columns are the
    county (header 县（市、区）/ 单位 / county, else the first column) and the score (评分 /
    得分 / score, else the second); a mapping county -> score; or such a frame. County
    spellings are matched through the configured names and aliases.

    Raises
    ------
    ValueError
        In Chinese, naming the county or score that cannot be used.
    """
    if isinstance(source, Mapping):
        frame = pd.DataFrame({"county": list(source), "score": list(source.values())})
    elif isinstance(source, pd.DataFrame):
        frame = source
    else:
        path = Path(str(source))
        if not path.is_file():
            raise ValueError(f"现场观摩评分表不存在：{path}")
        if path.suffix.lower() == ".csv":
            try:
                frame = pd.read_csv(path, dtype=str, encoding="utf-8-sig")
            except UnicodeDecodeError:
                frame = pd.read_csv(path, dtype=str, encoding="gb18030")
        else:
            frame = pd.read_excel(path, dtype=str, engine="calamine")
    if frame.shape[1] < 2:
        raise ValueError("现场观摩评分表应有两列：县（市、区）和评分")
    headers = [str(c).strip() for c in frame.columns]
    county_col = next(
        (c for c, h in zip(frame.columns, headers, strict=True) if h in _COUNTY_HEADERS), None
    )
    score_col = next(
        (c for c, h in zip(frame.columns, headers, strict=True) if h in _SCORE_HEADERS), None
    )
    county_col = frame.columns[0] if county_col is None else county_col
    score_col = frame.columns[1] if score_col is None else score_col
    aliases = config.alias_map()
    out: dict[str, float] = {}
    for i, (county, score) in enumerate(
        zip(frame[county_col], frame[score_col], strict=True), start=2
    ):
        if pd.isna(county) or str(county).strip() == "":
            continue
        name = aliases.get(normalize_text(str(county)))
        if name is None:
            raise ValueError(f"现场观摩评分表第{i}行：“{county}”不是配置中的县（市、区）名称")
        value = pd.to_numeric(pd.Series([score]), errors="coerce").iloc[0]
        if pd.isna(value):
            raise ValueError(f"现场观摩评分表第{i}行：{name}的评分“{score}”不是数字")
        if name in out:
            raise ValueError(f"现场观摩评分表第{i}行：{name}重复出现")
        out[name] = float(value)
    return pd.Series(out, dtype="float64", name="jury")


def previous_evaluation(config: Config, as_of: pd.Timestamp) -> pd.Timestamp | None:
    """The month end of the latest evaluation month (``supervision.evaluation_months``)
    before ``as_of``: 2023-09-30 for 30 November; None before the first."""
    candidates = [
        (pd.Timestamp(year, month, 1) + pd.offsets.MonthEnd(0)).normalize()
        for year in (as_of.year - 1, as_of.year)
        for month in config.evaluation_months
    ]
    earlier = [d for d in candidates if d < as_of and d >= pd.Timestamp(config.start)]
    return max(earlier) if earlier else None


def _component_values(
    projects: pd.DataFrame,
    snapshots: pd.DataFrame,
    config: Config,
    as_of: pd.Timestamp,
    comp: pd.DataFrame,
    rubric: tuple[RubricComponent, ...],
    jury: pd.Series | None,
) -> pd.DataFrame:
    """Each county's value of every rubric metric used (rates in percent)."""
    metrics = {c.metric for c in rubric}
    county = comp["county"]
    values = pd.DataFrame(index=comp.index)
    values["completion_rate"] = comp["rate"] * 100
    values["gap_points"] = comp["gap"] * 100
    inv = investment(projects, snapshots, config, as_of=as_of, by="county").set_index("county")
    inv = inv.reindex(county)
    values["investment_rate"] = inv["rate"].to_numpy() * 100
    with np.errstate(divide="ignore", invalid="ignore"):
        ratio = inv["rate"] / inv["elapsed"].where(inv["elapsed"] > 0)
    values["investment_ratio_of_pace"] = ratio.to_numpy() * 100
    if metrics & {"started", "completed", "land_supplied"}:
        c = counts(projects, config, end=as_of, by="county").set_index("county").reindex(county)
        for m in ("started", "completed", "land_supplied"):
            values[m] = c[m].to_numpy(dtype=float)
    if metrics & {"red_projects", "yellow_projects"}:
        from zqcampaign.figures.flags import project_flags

        f = project_flags(projects, config, as_of=as_of, snapshots=snapshots)
        for m, flag in (("red_projects", "red"), ("yellow_projects", "yellow")):
            n = f.loc[f["flag"] == flag, "county"].value_counts()
            values[m] = county.map(n).fillna(0).to_numpy(dtype=float)
    if "jury" in metrics:
        if jury is None:
            raise ValueError(
                "评分规则含现场观摩评分（jury），但未提供评分表："
                "请在配置 [ranking] jury_scores 中给出文件，或调用时传入 jury="
            )
        values["jury"] = county.map(jury).to_numpy(dtype=float)
    return values


def _points(component: RubricComponent, value: pd.Series) -> pd.Series:
    """clip(base + per × value, min, max); a missing value scores the minimum (or 0)."""
    raw = component.base + component.per * value
    lo = -np.inf if component.min is None else component.min
    hi = np.inf if component.max is None else component.max
    missing = 0.0 if component.min is None else component.min
    return raw.clip(lower=lo, upper=hi).fillna(missing)


def _scored(
    projects: pd.DataFrame,
    snapshots: pd.DataFrame,
    config: Config,
    as_of: pd.Timestamp,
    jury: object,
) -> tuple[pd.DataFrame, pd.DataFrame]:
    comp = completion(projects, config, as_of=as_of, by="county", snapshots=snapshots)
    comp = comp.drop(columns=["missed_deadline", "reason"])
    source = config.jury_scores if jury is None else jury
    scores = None if source is None else read_jury(source, config)
    rubric = config.rubric
    values = _component_values(projects, snapshots, config, as_of, comp, rubric, scores)
    ranked = (comp["total"] > 0).to_numpy()
    parts = pd.DataFrame(index=comp.index)
    points = {}
    for c in rubric:
        points[f"_p_{c.name}"] = _points(c, values[c.metric])
        parts[c.name] = c.weight * points[f"_p_{c.name}"]
    out = comp.assign(investment_rate=values["investment_rate"] / 100)
    out["score"] = parts.sum(axis=1).where(ranked)
    keys = pd.DataFrame(
        {
            "s": out["score"].round(9),
            "r": out["rate"],
            "g": out["gap"].round(12),
            "i": out["investment_rate"],
        }
    ).fillna(-np.inf)
    # rank = 1 + counties strictly better on (score, rate, gap, investment rate)
    tuples = list(keys.itertuples(index=False, name=None))
    rank = [1 + sum(o > t for o, r2 in zip(tuples, ranked, strict=True) if r2) for t in tuples]
    out["rank"] = pd.Series(rank, index=out.index).astype("Int64").where(ranked)
    return out, values.assign(**points, **{f"_{c.name}": parts[c.name] for c in rubric})


def ranking(
    projects: pd.DataFrame,
    snapshots: pd.DataFrame,
    config: Config,
    *,
    as_of: object = None,
    jury: object = None,
) -> pd.DataFrame:
    """Counties scored on the rubric (``config.rubric``) and ranked.

    Parameters
    ----------
    projects, snapshots
        Project and snapshot tables.
    config
        ``rubric`` (components: metric, weight, per, base, min, max), ``jury_scores``,
        ``evaluation_months`` (for the previous evaluation).
    as_of
        Evaluation date; ``None`` -> latest report date in ``projects``.
    jury
        Jury scores (see :func:`read_jury`); ``None`` -> ``config.jury_scores``.

    Returns
    -------
    pandas.DataFrame
        Ordered by ``rank`` (1 = best): ``rank``, ``county``, ``total``, ``achieved``,
        ``rate``, ``expected``, ``gap`` [0-1], ``flag``, ``investment_rate`` [0-1],
        ``score`` [points], ``score_rank`` (= ``rank``, kept for old callers),
        ``previous_rank`` (at :func:`previous_evaluation`) and ``rank_change``
        (previous − current: positive = moved up). Counties without list projects come
        last with ``rank`` and ``score`` NA.
    """
    as_of = resolve_as_of(as_of, projects)
    out, _ = _scored(projects, snapshots, config, as_of, jury)
    before = previous_evaluation(config, as_of)
    if before is not None:
        then, _ = _scored(projects, snapshots, config, before, jury)
        previous = out["county"].map(dict(zip(then["county"], then["rank"], strict=True)))
        out["previous_rank"] = previous.astype("Int64")
    else:
        out["previous_rank"] = pd.Series(pd.NA, index=out.index, dtype="Int64")
    out["rank_change"] = (out["previous_rank"] - out["rank"]).astype("Int64")
    out["score_rank"] = out["rank"]
    order = np.lexsort((np.arange(len(out)), out["rank"].fillna(len(out) + 1).to_numpy()))
    out = out.iloc[order]
    columns = ["rank", "county", "total", "achieved", "rate", "expected", "gap", "flag"]
    return out[
        [*columns, "investment_rate", "score", "score_rank", "previous_rank", "rank_change"]
    ].reset_index(drop=True)


def explain(
    projects: pd.DataFrame,
    snapshots: pd.DataFrame,
    config: Config,
    *,
    as_of: object = None,
    jury: object = None,
) -> pd.DataFrame:
    """Each ranked county's points component by component (they sum to its ``score``).

    Returns
    -------
    pandas.DataFrame
        One row per county and component, in rank order: ``county``, ``rank``,
        ``component`` (its name), ``label`` (Chinese), ``metric``, ``value`` (the county's
        figure: rates in percent, counts, jury points), ``points`` (after base, per unit
        and caps), ``weight`` and ``weighted`` = weight × points.
    """
    as_of = resolve_as_of(as_of, projects)
    out, values = _scored(projects, snapshots, config, as_of, jury)
    records = []
    order = out.sort_values("rank", kind="stable", na_position="last").index
    for i in order:
        if pd.isna(out.at[i, "rank"]):
            continue
        for c in config.rubric:
            weighted = float(values.at[i, f"_{c.name}"])
            records.append(
                {
                    "county": out.at[i, "county"],
                    "rank": out.at[i, "rank"],
                    "component": c.name,
                    "label": c.label or RUBRIC_METRICS[c.metric][0],
                    "metric": c.metric,
                    "value": float(values.at[i, c.metric]),
                    "points": float(values.at[i, f"_p_{c.name}"]),
                    "weight": c.weight,
                    "weighted": weighted,
                }
            )
    frame = pd.DataFrame(records, columns=list(EXPLAIN_COLUMNS))
    frame["rank"] = frame["rank"].astype("Int64")
    return frame
