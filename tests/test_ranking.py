"""County ranking for the evaluation: rate, then gap, then investment rate; weighted score."""

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


def test_counties_are_ordered_by_rate_then_gap_then_investment_rate():
    p, s = frames(
        county_rows("端州区", 2, 2),  # rate 1.0
        county_rows("四会市", 2, 1, ytd=900.0),  # rate 0.5, higher expected -> lower gap
        county_rows("怀集县", 2, 1, ytd=100.0),  # rate 0.5, gap above 四会市
        county_rows("高要区", 2, 1, ytd=500.0),  # same rate and gap as 怀集县, more investment
    )
    out = ranking(p, s, CFG, as_of=AUG)
    assert out["county"].tolist()[:4] == ["端州区", "高要区", "怀集县", "四会市"]
    assert out["rank"].tolist()[:4] == [1, 2, 3, 4]
    assert out["investment_rate"].iloc[1] == pytest.approx(0.5)


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


def test_score_weights_min_max_scaled_components():
    # 端州区 best on rate and gap, 怀集县 best on investment
    p, s = frames(county_rows("端州区", 1, 1, ytd=0.0), county_rows("怀集县", 1, 0, ytd=500.0))
    out = ranking(p, s, CFG, as_of=AUG).set_index("county")
    assert out.loc["端州区", "score"] == pytest.approx(90.0)  # 100 × (0.6 + 0.3) / 1.0
    assert out.loc["怀集县", "score"] == pytest.approx(10.0)
    heavy = load_config(
        overrides={"ranking": {"completion_rate": 0, "gap": 0, "investment_rate": 1}}
    )
    out = ranking(p, s, heavy, as_of=AUG).set_index("county")
    assert out.loc["怀集县", "score_rank"] == 1
    assert out.loc["端州区", "rank"] == 1  # the lexicographic rank ignores weights
    assert isinstance(out.loc["端州区", "flag"], str)
    assert pd.api.types.is_integer_dtype(out["rank"])
