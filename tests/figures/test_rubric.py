"""The ranking rubric of issue #15: components, jury score, rank change, explanation."""

import itertools

import openpyxl
import pandas as pd
import pytest
from frames import projects_from_snapshots, snapshots_frame
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from zqcampaign.config import default_config, load_config
from zqcampaign.errors import ConfigError
from zqcampaign.figures.ranking import explain, previous_evaluation, ranking, read_jury

CFG = default_config()
AUG = "2023-08-31"

RUBRIC = {
    "components": [
        # 0.5 point per percent of the list, at most 50
        {"name": "完成率", "metric": "completion_rate", "per": 0.5, "max": 50},
        # 2 points per new start, at most 10 (a bonus item)
        {"name": "新开工", "metric": "started", "per": 2, "max": 10},
        # 3 points off per red project, at most 9 off (a deduction)
        {"name": "红色项目", "metric": "red_projects", "per": -3, "min": -9},
        # the on-site visit: 0–100 jury points, weight 0.2
        {"name": "观摩", "metric": "jury", "weight": 0.2},
    ]
}


def ledger():
    rows = [
        dict(project_id="D1", county="端州区", report_date=AUG, started_on="2023-08-10"),
        dict(project_id="D2", county="端州区", report_date=AUG, started_on="2023-08-20"),
        dict(project_id="S1", county="四会市", report_date=AUG, started_on="2023-08-05"),
        # planned start 1 July: 61 days late on 31 August, red
        dict(project_id="S2", county="四会市", report_date=AUG, planned_start_on="2023-07-01"),
    ]
    snaps = snapshots_frame(*rows)
    return projects_from_snapshots(snaps), snaps


def test_rubric_with_jury_score_hand_worked():
    cfg = load_config(overrides={"ranking": RUBRIC})
    p, s = ledger()
    out = ranking(p, s, cfg, as_of=AUG, jury={"端州": 80, "四会市": 95}).set_index("county")
    # 端州区: 100 % → 50; 2 starts → 4; no red → 0; jury 80 × 0.2 → 16
    assert out.loc["端州区", "score"] == pytest.approx(70.0)
    # 四会市: 50 % → 25; 1 start → 2; 1 red → −3; jury 95 × 0.2 → 19
    assert out.loc["四会市", "score"] == pytest.approx(43.0)
    assert (out.loc["端州区", "rank"], out.loc["四会市", "rank"]) == (1, 2)


def test_explain_gives_points_by_component_summing_to_the_score():
    cfg = load_config(overrides={"ranking": RUBRIC})
    p, s = ledger()
    jury = {"端州区": 80, "四会市": 95}
    parts = explain(p, s, cfg, as_of=AUG, jury=jury)
    sihui = parts[parts["county"] == "四会市"].set_index("component")
    assert sihui["value"].tolist() == pytest.approx([50.0, 1.0, 1.0, 95.0])
    assert sihui["points"].tolist() == pytest.approx([25.0, 2.0, -3.0, 95.0])
    assert sihui["weighted"].tolist() == pytest.approx([25.0, 2.0, -3.0, 19.0])
    scores = ranking(p, s, cfg, as_of=AUG, jury=jury).set_index("county")["score"]
    sums = parts.groupby("county")["weighted"].sum()
    assert sums.to_dict() == pytest.approx(scores.dropna().to_dict())
    assert parts["county"].iloc[0] == "端州区"  # rank order


def test_caps_bound_the_points():
    cfg = load_config(overrides={"ranking": RUBRIC})
    rows = [
        dict(project_id=f"D{i}", county="端州区", report_date=AUG, started_on="2023-08-10")
        for i in range(7)
    ]
    snaps = snapshots_frame(*rows)
    parts = explain(projects_from_snapshots(snaps), snaps, cfg, as_of=AUG, jury={"端州区": 0})
    starts = parts.set_index("component").loc["新开工"]
    assert (starts["value"], starts["points"]) == (7.0, 10.0)  # 14 points capped at 10


def test_jury_scores_from_a_spreadsheet(tmp_path):
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["县（市、区）", "现场观摩评分"])
    sheet.append(["端州", 80])
    sheet.append(["四會市", 95.5])
    path = tmp_path / "观摩评分.xlsx"
    book.save(path)
    scores = read_jury(path, CFG)
    assert scores.to_dict() == {"端州区": 80.0, "四会市": 95.5}
    cfg = load_config(overrides={"ranking": {**RUBRIC, "jury_scores": str(path)}})
    p, s = ledger()
    out = ranking(p, s, cfg, as_of=AUG).set_index("county")
    assert out.loc["四会市", "score"] == pytest.approx(25 + 2 - 3 + 19.1)


def test_jury_problems_are_named_in_chinese(tmp_path):
    path = tmp_path / "jury.csv"
    path.write_text("单位,得分\n端州区,八十\n", encoding="utf-8")
    with pytest.raises(ValueError, match="端州区的评分“八十”不是数字"):
        read_jury(path, CFG)
    path.write_text("单位,得分\n广州市,80\n", encoding="utf-8")
    with pytest.raises(ValueError, match="第2行：“广州市”不是配置中的县"):
        read_jury(path, CFG)
    cfg = load_config(overrides={"ranking": RUBRIC})
    p, s = ledger()
    with pytest.raises(ValueError, match="未提供评分表"):
        ranking(p, s, cfg, as_of=AUG)


def test_rubric_config_is_validated():
    bad = {"components": [{"metric": "completion_rate", "min": 10, "max": 5}]}
    with pytest.raises(ConfigError, match="min"):
        load_config(overrides={"ranking": bad})
    with pytest.raises(ConfigError, match="metric"):
        load_config(overrides={"ranking": {"components": [{"metric": "happiness"}]}})


def test_rank_change_against_the_previous_evaluation():
    rows = [
        # 端州区: 1 of 2 by September, still 1 of 2 in November
        dict(project_id="D1", county="端州区", report_date="2023-09-30", started_on="2023-09-01"),
        dict(project_id="D2", county="端州区", report_date="2023-09-30"),
        dict(project_id="D1", county="端州区", report_date="2023-11-30", started_on="2023-09-01"),
        dict(project_id="D2", county="端州区", report_date="2023-11-30"),
        # 四会市: none by September, both by November
        dict(project_id="S1", county="四会市", report_date="2023-09-30"),
        dict(project_id="S2", county="四会市", report_date="2023-09-30"),
        dict(project_id="S1", county="四会市", report_date="2023-11-30", started_on="2023-10-09"),
        dict(project_id="S2", county="四会市", report_date="2023-11-30", started_on="2023-11-02"),
    ]
    snaps = snapshots_frame(*rows)
    p = projects_from_snapshots(snaps)
    assert previous_evaluation(CFG, pd.Timestamp("2023-11-30")) == pd.Timestamp("2023-09-30")
    assert previous_evaluation(CFG, pd.Timestamp("2023-09-30")) is None
    sept = ranking(p, snaps, CFG, as_of="2023-09-30").set_index("county")
    assert (sept.loc["端州区", "rank"], sept.loc["四会市", "rank"]) == (1, 2)
    assert sept["rank_change"].isna().all()
    nov = ranking(p, snaps, CFG, as_of="2023-11-30").set_index("county")
    assert (nov.loc["四会市", "rank"], nov.loc["端州区", "rank"]) == (1, 2)
    assert (nov.loc["四会市", "previous_rank"], nov.loc["四会市", "rank_change"]) == (2, 1)
    assert nov.loc["端州区", "rank_change"] == -1


# -- properties ---------------------------------------------------------------------------

COUNTIES = ("四会市", "怀集县", "端州区", "高要区")


@st.composite
def county_ledgers(draw):
    rows = []
    for i in range(draw(st.integers(1, 10))):
        rows.append(
            dict(
                project_id=f"P{i}",
                county=draw(st.sampled_from(COUNTIES)),
                report_date=AUG,
                started_on=draw(st.sampled_from([None, "2023-08-10"])),
                planned_start_on=draw(st.sampled_from([None, "2023-07-01", "2023-09-30"])),
                annual_plan=1000.0,
                ytd_actual=float(draw(st.integers(0, 1200))),
            )
        )
    snaps = snapshots_frame(*rows)
    jury = {c: float(draw(st.integers(0, 100))) for c in COUNTIES}
    return projects_from_snapshots(snaps), snaps, jury


FAST = settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@FAST
@given(county_ledgers())
def test_rank_order_is_total_and_follows_the_score(ledger_jury):
    p, s, jury = ledger_jury
    cfg = load_config(overrides={"ranking": RUBRIC})
    out = ranking(p, s, cfg, as_of=AUG, jury=jury)
    ranked = out[out["rank"].notna()]
    ranks = ranked["rank"].astype(int).tolist()
    # 1 = best, listed in rank order; each rank = 1 + counties strictly ahead (ties share)
    assert ranks == sorted(ranks) and ranks[0] == 1
    for i, r in enumerate(ranks):
        assert r == 1 + sum(1 for q in ranks if q < r)
        assert r <= i + 1
    scores = ranked["score"].tolist()
    assert all(a >= b - 1e-9 for a, b in itertools.pairwise(scores))
    # any two counties: one is ahead of the other, or they are equal on every key
    for (_, a), (_, b) in zip(ranked.iterrows(), ranked.iloc[1:].iterrows(), strict=False):
        if a["rank"] == b["rank"]:
            assert a["score"] == pytest.approx(b["score"]) and a["rate"] == b["rate"]


@FAST
@given(county_ledgers())
def test_breakdown_sums_to_the_score(ledger_jury):
    p, s, jury = ledger_jury
    for cfg in (CFG, load_config(overrides={"ranking": RUBRIC})):
        parts = explain(p, s, cfg, as_of=AUG, jury=jury)
        scores = ranking(p, s, cfg, as_of=AUG, jury=jury).set_index("county")["score"].dropna()
        sums = parts.groupby("county")["weighted"].sum()
        assert set(sums.index) == set(scores.index)
        for county, score in scores.items():
            assert sums[county] == pytest.approx(score)
        assert (parts["weighted"] == parts["weight"] * parts["points"]).all()
