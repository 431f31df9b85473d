"""The ground truth: one row per project per monthly report date.

:func:`_county_projects` draws one county's projects (baseline category, milestone dates,
plans, money, names and people) from its :class:`~.plans._Plan`; :func:`_monthly` crosses
them with the report dates to give what each ledger would truthfully show.
:func:`sample_projects` is the public face: a pure function of ``seed``.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd

from zqcampaign.config import default_config
from zqcampaign.model.stages import achieved_date, stage_index
from zqcampaign.sample.plans import (
    HUAIJI,
    HUAIJI_ANNUAL_PLAN,
    HUAIJI_QUICK_BUILDS,
    HUAIJI_STARTED_2023,
    HUAIJI_YTD_DECEMBER,
    MONTHS,
    PLANS,
    _Plan,
    _report_date,
)
from zqcampaign.sample.plants import _choose_plants, _Plants
from zqcampaign.sample.vocabulary import (
    _BRANDS,
    _GIVEN,
    _INDUSTRIES,
    _PROBLEMS,
    _PROGRESS,
    _SUFFIXES,
    _SURNAMES,
    _TOWNS,
)
from zqcampaign.schema import CANONICAL_COLUMNS, CATEGORIES, MILESTONES, PLANNED, STAGES

# the snapshot columns loading gives a row (less where it was read), the project's identity,
# and what the truth knows besides
TRUTH_COLUMNS: tuple[str, ...] = (
    "project_key",
    *(c for c in CANONICAL_COLUMNS if not c.startswith("source_")),
    "first_report_date",
    "listed",
    "stage",
    "achieved_on",
)

_DAY = np.timedelta64(1, "D")
_NAT = np.datetime64("NaT", "D")
_YEAR_END = np.datetime64("2023-12-31")


def _split(n: int, shares: Sequence[float]) -> np.ndarray:
    """``n`` split by ``shares`` with largest remainders (sums to ``n``)."""
    raw = np.asarray(shares, dtype=float) / np.sum(shares) * n
    counts = np.floor(raw).astype(int)
    order = np.argsort(-(raw - counts), kind="stable")
    counts[order[: n - counts.sum()]] += 1
    return counts


def _pick(table: Sequence[Sequence[str]], row: np.ndarray, k: np.ndarray) -> np.ndarray:
    """``table[row][k % len(table[row])]`` for arrays of rows and draws."""
    lens = np.array([len(r) for r in table])
    width = lens.max()
    grid = np.array([list(r) + [r[0]] * (width - len(r)) for r in table], dtype=object)
    return grid[row, k % lens[row]]


def _dates(rng: np.random.Generator, start: str, end: str, n: int) -> np.ndarray:
    lo, hi = np.datetime64(start, "D"), np.datetime64(end, "D")
    return lo + rng.integers(0, (hi - lo) // _DAY + 1, n) * _DAY


def _in_month(rng: np.random.Generator, month: np.ndarray) -> np.ndarray:
    """A random day of each 2023 ``month`` (NaT where month is 0)."""
    first = (np.datetime64("2023-01", "M") + np.maximum(month, 1) - 1).astype("datetime64[D]")
    nxt = (np.datetime64("2023-01", "M") + np.maximum(month, 1)).astype("datetime64[D]")
    days = ((nxt - first) // _DAY).astype(int)
    out = first + np.floor(rng.random(len(month)) * days).astype(int) * _DAY
    return np.where(month > 0, out, _NAT)


def _month_end(d: np.ndarray) -> np.ndarray:
    months = d.astype("datetime64[M]")
    return np.where(np.isnat(d), _NAT, (months + 1).astype("datetime64[D]") - _DAY)


def _county_projects(
    rng: np.random.Generator,
    county: str,
    plan: _Plan,
    threshold: float,
    towns: Sequence[str] | None = None,
) -> pd.DataFrame:
    """One row per project of one county: baseline, campaign milestones, plan, people.

    ``towns``: responsible towns of a county outside the sample (default: the sample's).
    """
    n_below = len(plan.below)
    n_in = plan.n - n_below
    n_add = sum(plan.added.values())
    n = plan.n + n_add
    cat = np.concatenate(
        [
            rng.permutation(np.repeat([0, 1, 2], _split(n_in, plan.mix))),
            rng.choice(3, size=n_below, p=np.asarray(plan.mix) / sum(plan.mix)),
            np.zeros(n_add, dtype=int),
        ]
    )
    in_scope = np.r_[np.ones(n_in), np.zeros(n_below), np.ones(n_add)].astype(bool)
    first = np.r_[np.full(plan.n, 7), np.repeat(list(plan.added), list(plan.added.values()))]
    first = first.astype(int)
    july = first == 7

    # total investment: right-skewed above the threshold, a few very large ones [万元]
    total = threshold * plan.size * np.exp(np.abs(rng.normal(0.0, 0.8, n)))
    big = rng.random(n) < 0.025
    total = np.where(big, rng.uniform(100000, 1000000, n), total)
    step = np.where(rng.random(n) < 0.35, 1000.0, 100.0)
    total = np.ceil(total / step) * step
    total[n_in : plan.n] = plan.below
    if plan.boundary is not None:
        total[0] = plan.boundary

    # campaign achievements: stratified by category, counts fixed by the plan
    achieve = np.zeros(n, dtype=int)  # month the goal is reached, 0 = not in 2023
    for c in range(3):
        idx = np.flatnonzero(in_scope & july & (cat == c))
        cum = np.round(plan.final[c] * len(idx) * np.asarray(plan.shape))
        k = np.searchsorted(cum, rng.permutation(len(idx)), side="right")
        achieve[idx] = np.where(k < 5, 8 + k, 0)
    others = ~(in_scope & july) & (first < 12)
    lucky = rng.random(n) < np.where(july, 0.5, 0.4)
    later = first + 1 + np.floor(rng.random(n) * (12 - first)).astype(int)
    achieve = np.where(others & lucky, later, achieve)

    # milestone dates: baseline history backwards from the latest milestone, then the goal
    ms = np.full((n, 5), _NAT)
    c0, c1, c2 = cat == 0, cat == 1, cat == 2
    ms[:, 0] = np.where(c0 & july, _dates(rng, "2022-09-01", "2023-07-18", n), _NAT)
    ms[:, 0] = np.where(c0 & ~july, _in_month(rng, first) - rng.integers(0, 6, n) * _DAY, ms[:, 0])
    ms[:, 1] = np.where(c1, _dates(rng, "2022-06-01", "2023-07-18", n), _NAT)
    start = _dates(rng, "2022-01-10", "2023-07-15", n)
    if county == HUAIJI:
        which = np.flatnonzero(c2)
        recent = rng.permutation(which)[:HUAIJI_STARTED_2023]
        start = np.where(
            np.isin(np.arange(n), recent),
            _dates(rng, "2023-01-05", "2023-07-15", n),
            _dates(rng, "2022-02-01", "2022-12-20", n),
        )
    ms[:, 2] = np.where(c2, start, _NAT)
    ms[:, 1] = np.where(c2, ms[:, 2] - rng.integers(20, 151, n) * _DAY, ms[:, 1])
    ms[:, 0] = np.where(c1 | c2, ms[:, 1] - rng.integers(30, 301, n) * _DAY, ms[:, 0])
    goal = _in_month(rng, achieve)
    rows = np.arange(n)
    ms[rows, cat + 1] = np.where(achieve > 0, goal, ms[rows, cat + 1])

    # after the goal: some land achievers start, some completions go into production
    nxt = ms[:, 1] + rng.integers(15, 91, n) * _DAY
    go = c0 & (achieve > 0) & (rng.random(n) < plan.follow_on) & (nxt <= _YEAR_END)
    ms[:, 2] = np.where(go, nxt, ms[:, 2])
    prod = ms[:, 3] + rng.integers(10, 61, n) * _DAY
    go = c2 & (achieve > 0) & (rng.random(n) < 0.5) & (prod <= _YEAR_END)
    ms[:, 4] = np.where(go, prod, ms[:, 4])
    if county == HUAIJI:  # two small plants built within the campaign
        starters = np.flatnonzero(c1 & (achieve > 0))
        quick = starters[np.argsort(ms[starters, 2], kind="stable")][:HUAIJI_QUICK_BUILDS]
        done = ms[quick, 2] + rng.integers(70, 111, len(quick)) * _DAY
        ms[quick, 3] = np.minimum(done, np.datetime64("2023-12-28"))

    # planned dates: near the actual date for achievers, spread over the next months otherwise
    goal_actual = ms[rows, cat + 1]
    planned_goal = np.where(
        achieve > 0,
        goal_actual + rng.integers(-45, 21, n) * _DAY,
        _dates(rng, "2023-08-10", "2024-03-31", n),
    )
    planned = np.full((n, 3), _NAT)  # land, start, completion
    planned[rows, cat] = planned_goal
    for k in (1, 2):
        gap = rng.integers(60, 181, n) if k == 1 else rng.integers(240, 541, n)
        planned[:, k] = np.where(cat < k, planned[:, k - 1] + gap * _DAY, planned[:, k])
    snap = rng.random(n) < 0.3
    planned = np.where(snap[:, None], _month_end(planned), planned)
    planned = np.where((rng.random(n) < 0.07)[:, None], _NAT, planned)

    # annual plan [万元]
    share = np.where(c0, rng.uniform(0.05, 0.2, n), rng.uniform(0.15, 0.45, n))
    annual = np.minimum(np.round(total * share, -1), total)

    # names, owners, people
    industries = np.array(list(_INDUSTRIES))
    ind = industries[rng.integers(0, len(industries), n)]
    brand = np.array(_BRANDS)[rng.integers(0, len(_BRANDS), 3 * n)]
    ind3 = np.tile(ind, 3)
    ind_no = pd.Series(ind3).map({k: i for i, k in enumerate(_INDUSTRIES)}).to_numpy()
    products = tuple(v[1] for v in _INDUSTRIES.values())
    product = _pick(products, ind_no, rng.integers(0, 12, 3 * n))
    suffix = np.array(_SUFFIXES)[rng.integers(0, len(_SUFFIXES), 3 * n)]
    cand = pd.DataFrame({"brand": brand, "name": pd.Series(brand) + product + suffix})
    distinct = cand.drop_duplicates("name").head(n)
    if len(distinct) < n:
        # a list longer than the name vocabulary (benchmark scale): number repeated names
        cand = cand.head(n).reset_index(drop=True)
        again = cand.groupby("name").cumcount()
        cand["name"] = cand["name"].where(
            again == 0, cand["name"] + "（" + (again + 1).astype("str") + "）"
        )
    else:
        cand = distinct
    owner_kind = pd.Series(ind).map(lambda i: _INDUSTRIES[i][0])
    persons = np.array(_SURNAMES)[rng.integers(0, len(_SURNAMES), n)]
    persons = persons + np.array(_GIVEN)[rng.integers(0, len(_GIVEN), n)]
    if towns is not None:
        units = np.array((f"{county}工业和信息化局", f"{county}发展和改革局", *towns))
    else:
        units = np.array(
            (f"{county}工业和信息化局", f"{county}发展和改革局", *_TOWNS[county])
            if county not in ("肇庆高新区", "肇庆新区", "粤桂合作特别试验区（肇庆）")
            else _TOWNS[county]
        )

    frame = pd.DataFrame(
        {
            "county": county,
            "cat": cat,
            "in_scope": in_scope,
            "first_month": first,
            "achieve_month": achieve,
            "total_investment": total,
            "annual_plan": annual,
            "industry": ind,
            "brand": cand["brand"].to_numpy(),
            "name": cand["name"].to_numpy(),
            "owner_kind": owner_kind.to_numpy(),
            "responsible_unit": units[rng.integers(0, len(units), n)],
            "responsible_person": persons,
            "phrase": rng.integers(0, 12, n),
            "invest_noise": rng.uniform(0.7, 1.25, n),
            "has_problem": rng.random(n) < plan.problem_rate,
            "problem_month": rng.choice([7, 7, 8, 9, 10, 11], n),
            "problem_major": rng.random(n) < 0.25,
            "problem_close": np.where(rng.random(n) < plan.never_closed, 99, rng.integers(1, 4, n)),
            "problem_text": rng.integers(0, 4, n),
        }
    )
    for j, col in enumerate(MILESTONES):
        frame[col] = pd.to_datetime(ms[:, j]).astype("datetime64[ns]")
    for j, col in enumerate(PLANNED.values()):
        frame[col] = pd.to_datetime(planned[:, j]).astype("datetime64[ns]")
    # ledger order: the July list shuffled, projects added later at the end
    order = np.r_[rng.permutation(int(july.sum())), np.arange(int(july.sum()), n)]
    frame = frame.iloc[order].reset_index(drop=True)
    frame["seq"] = np.arange(1, len(frame) + 1)
    frame["owner"] = "肇庆" + frame["brand"] + frame["owner_kind"] + "有限公司"
    # the owner's brand may repeat: make owners unique with a city prefix variant
    dup = frame["owner"].duplicated()
    frame.loc[dup, "owner"] = (
        "广东" + frame.loc[dup, "brand"] + frame.loc[dup, "owner_kind"] + "有限公司"
    )
    if plan.id_prefix:
        frame["project_id"] = plan.id_prefix + "-2023-" + frame["seq"].map("{:03d}".format)
    else:
        frame["project_id"] = None
    return frame


def _keyed(p: pd.DataFrame) -> pd.DataFrame:
    """Add ``project_key`` (the identity loading gives a project) and the category label."""
    p["project_key"] = p["project_id"].where(p["project_id"].notna(), p["county"] + ":" + p["name"])
    p["category"] = np.array(CATEGORIES)[p["cat"]]
    return p


def _build(seed: int) -> tuple[pd.DataFrame, pd.DataFrame, _Plants]:
    """(projects, monthly truth, plants) for one seed."""
    rng = np.random.default_rng(seed)
    cfg = default_config()
    p = pd.concat(
        [_county_projects(rng, c, plan, cfg.key_threshold(c)) for c, plan in PLANS.items()],
        ignore_index=True,
    )
    p = _keyed(p)
    plants = _choose_plants(rng, p)
    p = p.set_index("project_key", drop=False)

    # forced by plants: a start on a month end (written 已开工), two projects that vanish
    key = plants.status_word
    p.loc[key, "started_on"] = p.loc[key, "started_on"] + pd.offsets.MonthEnd(0)
    for key in plants.vanish:
        p.loc[key, ["achieve_month"]] = 0
        goal = MILESTONES[int(p.loc[key, "cat"]) + 1]
        later = list(MILESTONES[MILESTONES.index(goal) :])
        p.loc[key, later] = pd.NaT
    p = p.reset_index(drop=True)
    return p, _monthly(p, plants), plants


def _monthly(
    p: pd.DataFrame,
    plants: _Plants,
    months: Sequence[int] = MONTHS,
    pace: dict[str, float] | None = None,
) -> pd.DataFrame:
    """Cross projects with report dates: what each ledger would truthfully show.

    ``pace``: investment pace of each county (default: the sample plans').
    """
    months = pd.DataFrame({"month": list(months), "report_date": [_report_date(m) for m in months]})
    t = p.merge(months, how="cross")
    t = t[t["month"] >= t["first_month"]].reset_index(drop=True)
    t["report_date"] = t["report_date"].astype("datetime64[ns]")
    t["first_report_date"] = (
        pd.to_datetime({"year": 2023, "month": t["first_month"], "day": 1}) + pd.offsets.MonthEnd(0)
    ).astype("datetime64[ns]")
    full = t[list(MILESTONES)].copy()
    for col in MILESTONES:
        t[col] = t[col].where(t[col] <= t["report_date"])
    idx = stage_index(t, t["report_date"])
    t["stage"] = np.array(STAGES, dtype=object)[idx.clip(lower=0)]
    t["achieved_on"] = achieved_date(t)
    last = t["project_key"].map(plants.vanish).fillna(12)
    t["listed"] = t["month"] <= last

    # investment [万元]: YTD grows with the year elapsed, slower before construction starts
    started = (full["started_on"] <= t["report_date"]).to_numpy()
    if pace is None:
        pace = {c: plan.pace for c, plan in PLANS.items()}
    pace = t["county"].map(pace).to_numpy()
    raw = t["annual_plan"] * (t["month"] / 12.0) * pace * t["invest_noise"]
    raw = raw * np.where(started, 1.0, 0.3) * 1.08
    t["ytd_actual"] = raw.groupby(t["project_key"]).cummax()
    hj = t["county"] == HUAIJI
    if hj.any():  # (benchmark data sets may have no 怀集县)
        dec_sum = t.loc[hj & (t["month"] == 12), "ytd_actual"].sum()
        factor = HUAIJI_YTD_DECEMBER / dec_sum
        t.loc[hj, "ytd_actual"] *= factor
        annual = t.loc[hj & (t["month"] == 12), "annual_plan"].sum()
        t.loc[hj, "annual_plan"] = np.minimum(
            np.round(t.loc[hj, "annual_plan"] * HUAIJI_ANNUAL_PLAN / annual, -1),
            t.loc[hj, "total_investment"],
        )
    t["ytd_actual"] = np.round(t["ytd_actual"]).astype(float)

    # problems: appear in some month, are crossed off (销号) a few months later or never
    m = t["month"]
    open_from = t["problem_month"].where(t["has_problem"], 99)
    shown = m >= open_from
    cat = t["cat"].to_numpy()
    text = _pick(_PROBLEMS, cat, t["problem_text"].to_numpy())
    t["problems"] = pd.Series(text, index=t.index).where(shown).astype("str")
    t["problem_major"] = t["problem_major"].where(shown).astype("boolean")
    t["problem_closed"] = (m >= open_from + t["problem_close"]).where(shown).astype("boolean")
    # the sample ledgers carry no 解决时限 / 督办类型 columns: the register's rules decide
    t["problem_deadline"] = pd.Series(pd.NaT, index=t.index, dtype="datetime64[ns]")
    t["supervision_level"] = pd.Series(None, index=t.index, dtype="str")

    # progress text by stage; construction shows a percentage that grows
    st = idx.clip(lower=0).to_numpy()
    text = pd.Series(_pick(_PROGRESS, st, t["phrase"].to_numpy()), index=t.index)
    days = (t["report_date"] - full["started_on"]).dt.days.fillna(0).to_numpy()
    pct = pd.Series(np.clip(np.round(days / 600 * 20) * 5, 5, 95).astype(int), index=t.index)
    parts = text.str.split("{p}", n=1, expand=True).reindex(columns=[0, 1])
    t["progress"] = parts[0] + (pct.astype("str") + parts[1]).fillna("")
    t["remarks"] = np.where(
        t["month"] == t["first_month"],
        np.where(t["first_month"] > 7, "新增项目", None),
        None,
    )
    t["remarks"] = t["remarks"].where(t["total_investment"] < 100000, "市重点项目").astype("str")
    t["category"] = t["category"].astype("str")
    for c in (
        "project_id",
        "name",
        "county",
        "owner",
        "industry",
        "responsible_unit",
        "responsible_person",
        "project_key",
    ):
        t[c] = t[c].astype("str")
    t = t.sort_values(["report_date", "county", "seq"], kind="stable").reset_index(drop=True)
    return t


def sample_projects(seed: int = 2023) -> pd.DataFrame:
    """Ground truth of the sample: one row per project per monthly report date.

    Parameters
    ----------
    seed
        Random seed; the same seed always gives the same frame.

    Returns
    -------
    pandas.DataFrame
        Columns :data:`TRUTH_COLUMNS`. ``project_key`` is the identity loading gives a
        project (its ``project_id`` where the county writes one, else ``county:name``);
        ``category`` the baseline category (stage at ``first_report_date``); milestone dates
        are those known at ``report_date`` (NaT until they happen); ``achieved_on`` the date
        the baseline goal was reached (NaT while not); ``listed`` is False for the months a
        project is missing from its county's ledger. Money in 万元 (``total_investment``,
        ``annual_plan``, ``ytd_actual``).
    """
    return _build(seed)[1][list(TRUTH_COLUMNS)].copy()
