"""County ranking for the evaluation: a rubric score, one rank, rank change, explanation.

Default rubric (hand-working): score = 0.6 × min(rate %, 100)
+ 0.3 × clip(100 + 2 × gap points, 0, 100) + 0.1 × clip(investment % of 序时, 0, 100);
序时 of investment on 31 August = 243/365.
"""

import pandas as pd
import pytest
from frames import projects_from_snapshots, snapshots_frame

from zqcampaign.config import default_config, load_config
from zqcampaign.figures.ranking import ranking

CFG = default_config()
AUG = "2023-08-31"


def county_rows(county, n, achieved, plan=1000.0, ytd=0.0):
    rows = []
    for i in range(n):
        rows.append(
            dict(
                project_id=f"{county}{i}",
                county=county,
                report_date=AUG,
                started_on="2023-08-10" if i < achieved else None,
                annual_plan=plan,
                ytd_actual=ytd,
            )
        )
    return rows


def frames(*groups):
    snaps = snapshots_frame(*(r for g in groups for r in g))
    return projects_from_snapshots(snaps), snaps


ELAPSED = 243 / 365


def test_counties_are_ordered_by_the_rubric_score():
    # (behaviour changed on purpose, issue #15: the rank follows the score; it used to be
    # rate, then gap, then investment, and disagreed with score_rank)
    p, s = frames(
        county_rows("端州区", 2, 2),  # rate 100: 60 + 30 + 0 (no investment)
        county_rows("四会市", 2, 1, ytd=900.0),  # 30 + 30 (ahead of pace) + 10 (capped)
        county_rows("怀集县", 2, 1, ytd=100.0),  # 30 + 30 + 0.1 × 100 × 0.1 / ELAPSED
        county_rows("高要区", 2, 1, ytd=500.0),  # 30 + 30 + 0.1 × 100 × 0.5 / ELAPSED
    )
    out = ranking(p, s, CFG, as_of=AUG)
    assert out["county"].tolist()[:4] == ["端州区", "四会市", "高要区", "怀集县"]
    assert out["rank"].tolist()[:4] == [1, 2, 3, 4]
    assert out["score"].tolist()[:4] == pytest.approx(
        [90.0, 70.0, 60 + 5 / ELAPSED, 60 + 1 / ELAPSED]
    )
    assert out["score_rank"].tolist()[:4] == [1, 2, 3, 4]  # one rank
    assert out["investment_rate"].iloc[2] == pytest.approx(0.5)


def test_full_ties_share_the_best_rank():
    p, s = frames(county_rows("怀集县", 2, 1), county_rows("高要区", 2, 1))
    out = ranking(p, s, CFG, as_of=AUG)
    assert out["rank"].tolist()[:2] == [1, 1]


def test_counties_without_list_projects_come_last_unranked():
    p, s = frames(county_rows("怀集县", 1, 0))
    out = ranking(p, s, CFG, as_of=AUG)
    assert out["county"].iloc[0] == "怀集县" and out["rank"].iloc[0] == 1
    assert out["rank"].iloc[1:].isna().all() and out["score"].iloc[1:].isna().all()
    assert len(out) == len(CFG.county_names)


def test_score_has_no_min_max_rescaling_and_weights_decide():
    # (behaviour changed on purpose, issue #15: no min–max rescaling, the worst county's
    # points come from its own figures; it used to get 10 here and 0 on the rate)
    p, s = frames(county_rows("端州区", 1, 1, ytd=0.0), county_rows("怀集县", 1, 0, ytd=500.0))
    out = ranking(p, s, CFG, as_of=AUG).set_index("county")
    assert out.loc["端州区", "score"] == pytest.approx(90.0)  # 60 + 30 + 0
    # 怀集县: rate 0; gap −41/163 → 100 − 2 × 25.15 points; investment 50 % / 序时
    gap_points = 100 - 2 * 100 * 41 / 163
    expected = 0.3 * gap_points + 0.1 * 100 * 0.5 / ELAPSED
    assert out.loc["怀集县", "score"] == pytest.approx(expected)
    heavy = load_config(
        overrides={"ranking": {"completion_rate": 0, "gap": 0, "investment_rate": 1}}
    )
    out = ranking(p, s, heavy, as_of=AUG).set_index("county")
    assert out.loc["怀集县", "rank"] == 1 and out.loc["端州区", "rank"] == 2
    assert out.loc["怀集县", "score"] == pytest.approx(100 * 0.5 / ELAPSED)
    assert isinstance(out.loc["端州区", "flag"], str)
    assert pd.api.types.is_integer_dtype(out["rank"])
