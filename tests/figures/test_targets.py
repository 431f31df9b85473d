"""Status of the configured targets: actual, met (True / False / None) and pace flag."""

import datetime as dt

import pandas as pd
import pytest
from frames import projects_frame, projects_from_snapshots, snapshots_frame

from zqcampaign.config import default_config, load_config
from zqcampaign.figures.targets import targets_status

D = dt.date


def config_with(*targets):
    return load_config(overrides={"targets": [dict(t) for t in targets]})


def status(projects, snapshots, config, as_of):
    return targets_status(projects, snapshots, config, as_of=as_of)


STARTS = dict(
    scope=["怀集县"], metric="started", target=4, start=D(2023, 1, 1), deadline=D(2023, 12, 31)
)


def huaiji(started_on, **kw):
    return dict(county="怀集县", started_on=started_on, **kw)


def test_default_targets_are_all_reported_with_their_labels():
    p = projects_frame(dict())
    out = targets_status(p, snapshots_frame(dict()), default_config(), as_of="2023-08-31")
    assert out.columns.tolist() == [
        "scope", "metric", "label", "start", "deadline", "target", "actual", "pace", "met", "flag",
    ]  # fmt: skip
    assert out["label"].iloc[0] == "四会市“三类项目”9月底前完成75%"
    assert out["scope"].iloc[-1] == "鼎湖区、肇庆新区"
    assert len(out) == len(default_config().targets)


def test_count_target_counts_milestones_inside_the_window_only():
    p = projects_frame(
        huaiji("2022-12-31"),  # before the window
        huaiji("2023-01-01"),  # first day: counted
        huaiji("2023-08-31"),  # as_of: counted
        huaiji("2023-09-01"),  # after as_of
        huaiji("2023-03-01", in_scope=False),  # not a list project
        dict(county="四会市", started_on="2023-05-01"),  # other county
    )
    out = status(p, snapshots_frame(dict()), config_with(STARTS), "2023-08-31").iloc[0]
    assert out["actual"] == 2
    assert out["start"] == pd.Timestamp("2023-01-01")
    assert out["met"] is None


def test_count_target_on_the_linear_pace_is_blue_and_behind_is_yellow():
    # 2023-07-02 is 182 of 364 days from 2023-01-01 to 2023-12-31: pace = 4 × 0.5 = 2
    on_pace = projects_frame(huaiji("2023-02-01"), huaiji("2023-03-01"))
    behind = projects_frame(huaiji("2023-02-01"))
    a = status(on_pace, snapshots_frame(dict()), config_with(STARTS), "2023-07-02").iloc[0]
    b = status(behind, snapshots_frame(dict()), config_with(STARTS), "2023-07-02").iloc[0]
    assert a["pace"] == pytest.approx(2.0) and a["flag"] == "blue"
    assert b["flag"] == "yellow" and b["met"] is None


def test_target_reached_before_its_deadline_is_met():
    p = projects_frame(*(huaiji(f"2023-0{m}-01") for m in range(2, 6)))
    out = status(p, snapshots_frame(dict()), config_with(STARTS), "2023-08-31").iloc[0]
    assert (out["actual"], out["met"], out["flag"]) == (4, True, "blue")


def test_target_missed_at_its_deadline_fails_red_and_keeps_the_deadline_value():
    # two starts by the deadline, one after it: judged on the value at the deadline
    p = projects_frame(huaiji("2023-02-01"), huaiji("2023-03-01"), huaiji("2024-01-05"))
    out = status(p, snapshots_frame(dict()), config_with(STARTS), "2024-01-31").iloc[0]
    assert (out["actual"], out["met"], out["flag"]) == (2, False, "red")


def test_completion_rate_target_uses_the_list_of_its_scope():
    t = dict(scope=["四会市"], metric="completion_rate", target=0.75, deadline=D(2023, 9, 30))
    p = projects_frame(
        dict(started_on="2023-08-01"),
        dict(started_on="2023-08-15"),
        dict(started_on="2023-09-20"),
        dict(),
        dict(county="怀集县", started_on="2023-08-01"),
    )
    snaps = snapshots_frame(dict())
    cfg = config_with(t)
    at_aug = status(p, snaps, cfg, "2023-08-31").iloc[0]
    assert at_aug["actual"] == 0.5
    assert at_aug["pace"] == pytest.approx(0.75 * 41 / 71)
    assert (at_aug["met"], at_aug["flag"]) == (None, "blue")
    at_sep = status(p, snaps, cfg, "2023-09-30").iloc[0]
    assert (at_sep["actual"], at_sep["met"], at_sep["flag"]) == (0.75, True, "blue")


def test_actual_investment_sums_latest_rows_of_every_project_of_the_scope():
    t = dict(scope=["怀集县"], metric="actual_investment", target=1000.0, deadline=D(2023, 12, 31))
    snaps = snapshots_frame(
        dict(project_id="A", county="怀集县", report_date="2023-07-31", ytd_actual=100.0),
        dict(project_id="A", county="怀集县", report_date="2023-08-31", ytd_actual=300.0),
        dict(project_id="A", county="怀集县", report_date="2023-09-30", ytd_actual=900.0),
        # below the key threshold: still investment of the county
        dict(project_id="B", county="怀集县", report_date="2023-07-31", ytd_actual=50.0,
             total_investment=100.0),
        dict(project_id="C", county="四会市", report_date="2023-08-31", ytd_actual=5000.0),
    )  # fmt: skip
    p = projects_from_snapshots(snaps)
    out = status(p, snaps, config_with(t), "2023-08-31").iloc[0]
    assert out["actual"] == 350.0
    assert out["flag"] == "blue"  # pace at 8-31: 1000 × 41 / 163 ≈ 251.5


def test_list_count_counts_list_projects_of_all_scope_counties():
    t = dict(scope=["鼎湖区", "肇庆新区"], metric="list_count", target=3, deadline=D(2023, 12, 31))
    p = projects_frame(
        dict(county="鼎湖区"),
        dict(county="肇庆新区"),
        dict(county="肇庆新区", first_report_date="2023-09-30"),
        dict(county="肇庆新区", in_scope=False),
        dict(county="四会市"),
    )
    cfg = config_with(t)
    assert status(p, snapshots_frame(dict()), cfg, "2023-08-31").iloc[0]["actual"] == 2
    late = status(p, snapshots_frame(dict()), cfg, "2023-09-30").iloc[0]
    assert (late["actual"], late["met"]) == (3, True)


def test_empty_completion_scope_is_pending_without_flag():
    t = dict(scope=["端州区"], metric="completion_rate", target=0.5, deadline=D(2023, 9, 30))
    out = status(projects_frame(dict()), snapshots_frame(dict()), config_with(t), "2023-10-31")
    assert out["met"].iloc[0] is None and pd.isna(out["flag"].iloc[0])


def test_label_is_generated_when_not_configured():
    t = dict(scope=["怀集县"], metric="started", target=20, deadline=D(2023, 12, 31))
    out = status(projects_frame(dict()), snapshots_frame(dict()), config_with(t), "2023-08-31")
    assert out["label"].iloc[0] == "怀集县2023-12-31前新开工项目数达到20"


def test_target_not_reached_on_the_deadline_day_itself_is_missed():
    # 截至 12月31日: the ledger dated on the deadline is the final count
    p = projects_frame(huaiji("2023-02-01"), huaiji("2023-03-01"))
    out = status(p, snapshots_frame(dict()), config_with(STARTS), "2023-12-31").iloc[0]
    assert (out["actual"], out["met"], out["flag"]) == (2, False, "red")
