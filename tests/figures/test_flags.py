"""Project flags: blue / yellow / red with a short Chinese reason."""

import pandas as pd
import pytest
from frames import projects_frame, projects_from_snapshots, snapshots_frame

from zqcampaign.config import default_config, load_config
from zqcampaign.figures.flags import FLAG_COLUMNS, project_flags

CFG = default_config()


def flag_of(p, as_of, config=CFG, **kw):
    out = project_flags(p, config, as_of=as_of, **kw)
    assert len(out) == 1
    return out.iloc[0]


def test_columns_are_the_documented_ones():
    out = project_flags(projects_frame(dict()), CFG, as_of="2023-08-31")
    assert out.columns.tolist() == list(FLAG_COLUMNS)


def test_exactly_30_days_past_planned_date_is_yellow():
    p = projects_frame(dict(planned_start_on="2023-08-01"))
    row = flag_of(p, "2023-08-31")
    assert (row["flag"], row["days_late"], row["reason"]) == ("yellow", 30, "计划开工时间已过30天")


def test_31_days_past_planned_date_is_red():
    p = projects_frame(dict(planned_start_on="2023-08-01"))
    row = flag_of(p, "2023-09-01")
    assert (row["flag"], row["days_late"], row["reason"]) == ("red", 31, "计划开工时间已过31天")


def test_one_day_past_planned_date_is_yellow_and_the_day_itself_blue():
    p = projects_frame(dict(category="已动工未竣工", planned_completion_on="2023-08-31"))
    assert flag_of(p, "2023-09-01")["flag"] == "yellow"
    today = flag_of(p, "2023-08-31")
    assert (today["flag"], today["days_late"], today["reason"]) == ("blue", 0, "今日为计划竣工时间")


def test_planned_date_ahead_is_blue_with_days_left():
    p = projects_frame(dict(planned_start_on="2023-09-10"))
    row = flag_of(p, "2023-08-31")
    assert (row["flag"], row["days_late"], row["reason"]) == ("blue", -10, "距计划开工时间还有10天")


def test_missing_planned_date_is_yellow():
    p = projects_frame(dict(category="已签约未供地"))
    row = flag_of(p, "2023-08-31")
    assert (row["flag"], row["reason"]) == ("yellow", "未填计划供地时间")
    assert pd.isna(row["days_late"])


def test_missing_planned_date_flag_comes_from_config():
    cfg = load_config(overrides={"flags": {"no_planned_date": "red"}})
    assert flag_of(projects_frame(dict()), "2023-08-31", cfg)["flag"] == "red"


def test_open_problem_is_yellow_with_its_text():
    p = projects_frame(dict(planned_start_on="2023-09-30", problems="环评未批复"))
    row = flag_of(p, "2023-08-31")
    assert row["flag"] == "yellow"
    assert row["reason"] == "距计划开工时间还有30天；存在问题未销号：环评未批复"


def test_closed_problem_does_not_count():
    p = projects_frame(
        dict(planned_start_on="2023-09-30", problems="环评未批复", problem_closed=True)
    )
    assert flag_of(p, "2023-08-31")["flag"] == "blue"


def test_open_major_problem_is_red_and_every_cause_is_listed():
    p = projects_frame(
        dict(planned_start_on="2023-07-17", problems="用地报批未完成", problem_major=True)
    )
    row = flag_of(p, "2023-08-31")
    assert row["flag"] == "red"
    assert row["reason"] == "计划开工时间已过45天；存在重大问题：用地报批未完成"


def test_closed_major_problem_does_not_count():
    p = projects_frame(
        dict(
            planned_start_on="2023-09-30",
            problems="用地报批未完成",
            problem_major=True,
            problem_closed=True,
        )
    )
    assert flag_of(p, "2023-08-31")["flag"] == "blue"


def test_worst_cause_wins():
    # 10 days late (yellow) + open major problem (red)
    p = projects_frame(dict(planned_start_on="2023-08-21", problems="资金缺口", problem_major=True))
    assert flag_of(p, "2023-08-31")["flag"] == "red"


def test_achieved_project_is_blue_with_the_goal_verb_and_date():
    p = projects_frame(
        dict(
            started_on="2023-08-15",
            planned_start_on="2023-06-01",
            problems="用地报批未完成",
            problem_major=True,
        ),
        dict(category="已签约未供地", land_supplied_on="2023-08-02"),
        dict(category="已动工未竣工", completed_on="2023-08-20"),
    )
    out = project_flags(p, CFG, as_of="2023-08-31")
    assert out["flag"].tolist() == ["blue"] * 3
    assert out["reason"].tolist() == [
        "已于2023-08-15动工",
        "已于2023-08-02供地",
        "已于2023-08-20竣工",
    ]
    assert out["days_late"].isna().all()
    assert out["achieved_on"].iloc[0] == pd.Timestamp("2023-08-15")


def test_goal_reached_after_as_of_is_not_yet_achieved():
    p = projects_frame(dict(started_on="2023-09-15", planned_start_on="2023-08-01"))
    row = flag_of(p, "2023-08-31")
    assert row["flag"] == "yellow" and pd.isna(row["achieved_on"])


def test_only_list_projects_are_flagged():
    p = projects_frame(dict(), dict(in_scope=False), dict(first_report_date="2023-09-30"))
    assert project_flags(p, CFG, as_of="2023-08-31")["project_id"].tolist() == ["P1"]


def test_problem_state_is_taken_as_of_the_date_from_snapshots():
    snaps = snapshots_frame(
        dict(project_id="A", report_date="2023-07-31", planned_start_on="2023-12-01"),
        dict(
            project_id="A",
            report_date="2023-08-31",
            planned_start_on="2023-12-01",
            problems="环评未批复",
        ),
        dict(project_id="A", report_date="2023-09-30", planned_start_on="2023-12-01"),
    )
    p = projects_from_snapshots(snaps)
    assert flag_of(p, "2023-08-31", snapshots=snaps)["flag"] == "yellow"
    assert flag_of(p, "2023-09-30", snapshots=snaps)["flag"] == "blue"
    assert flag_of(p, "2023-08-15", snapshots=snaps)["flag"] == "blue"


@pytest.mark.parametrize("days", [30, 45])
def test_red_days_late_comes_from_config(days):
    cfg = load_config(overrides={"flags": {"red_days_late": 45}})
    p = projects_frame(dict(planned_start_on=pd.Timestamp("2023-08-31") - pd.Timedelta(days=days)))
    assert flag_of(p, "2023-08-31", cfg)["flag"] == "yellow"
