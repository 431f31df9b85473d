"""Supervision days, evaluation meetings and supervision-group lists."""

import datetime as dt

import pandas as pd
import pytest
from frames import projects_frame

from zqcampaign.config import default_config, load_config
from zqcampaign.figures.supervision import (
    evaluation_meetings,
    group_lists,
    is_working_day,
    supervision_days,
)

CFG = default_config()
D = dt.date


def days_of(config):
    return supervision_days(config).set_index("month")


def test_first_tuesday_of_each_campaign_month_from_august():
    out = days_of(CFG)
    # July's first Tuesday (4 July) is before the 21 July start: no supervision day
    assert out.index.tolist() == [8, 9, 10, 11, 12]
    assert out["nominal"].tolist() == [
        pd.Timestamp(d)
        for d in ("2023-08-01", "2023-09-05", "2023-10-03", "2023-11-07", "2023-12-05")
    ]
    assert (out["weekday"] == "tuesday").all()


def test_third_october_2023_rolls_to_the_next_working_tuesday():
    oct_ = days_of(CFG).loc[10]
    assert oct_["date"] == pd.Timestamp("2023-10-10")
    assert oct_["rolled"]
    assert oct_["reason"] == "10月3日为国庆节假期，顺延至10月10日"
    assert not days_of(CFG).loc[8, "rolled"] and pd.isna(days_of(CFG).loc[8, "reason"])


def test_next_working_day_rule_uses_the_make_up_saturday():
    # 4-6 Oct are holidays; Saturday 7 Oct 2023 is a make-up working day (调休上班)
    cfg = load_config(overrides={"supervision": {"roll": "next_working_day"}})
    oct_ = days_of(cfg).loc[10]
    assert (oct_["date"], oct_["weekday"]) == (pd.Timestamp("2023-10-07"), "saturday")


def test_no_roll_keeps_the_holiday_and_says_so():
    cfg = load_config(overrides={"supervision": {"roll": "none"}})
    oct_ = days_of(cfg).loc[10]
    assert oct_["date"] == pd.Timestamp("2023-10-03") and not oct_["rolled"]
    assert "不顺延" in oct_["reason"]


def test_configured_weekday_and_week():
    cfg = load_config(overrides={"supervision": {"weekday": "friday", "week": 4}})
    out = days_of(cfg)
    # the 4th Friday of July 2023 (28 July) is inside the campaign
    assert out.index.tolist() == [7, 8, 9, 10, 11, 12]
    assert out.loc[7, "date"] == pd.Timestamp("2023-07-28")
    assert out.loc[8, "date"] == pd.Timestamp("2023-08-25")


def test_is_working_day_knows_holidays_weekends_and_make_up_days():
    assert is_working_day(D(2023, 10, 3)) == (False, "国庆节假期")
    assert is_working_day(D(2023, 8, 5)) == (False, "周末")
    assert is_working_day(D(2023, 10, 7)) == (True, None)
    assert is_working_day(D(2023, 8, 1)) == (True, None)


def test_years_outside_the_holiday_data_fall_back_to_weekdays_with_a_note():
    cfg = load_config(
        overrides={
            "campaign": {"start": D(2099, 7, 21), "end": D(2099, 12, 31)},
            "investment": {"year_start": D(2099, 1, 1), "year_end": D(2099, 12, 31)},
        }
    )
    out = supervision_days(cfg)
    assert out["month"].tolist() == [8, 9, 10, 11, 12]
    assert (out["date"].dt.day_of_week == 1).all() and not out["rolled"].any()
    assert out["reason"].str.contains("节假日数据未覆盖2099年").all()
    ok, note = is_working_day(out["date"].iloc[0].date())
    assert ok and "仅按周末判断" in note


def test_evaluation_meetings_in_september_and_november():
    out = evaluation_meetings(CFG)
    assert out["date"].tolist() == [pd.Timestamp("2023-09-05"), pd.Timestamp("2023-11-07")]
    assert (out["label"] == "调度推进会暨现场观摩会").all()


def test_group_lists_put_each_project_under_its_supervision_group():
    p = projects_frame(
        dict(county="四会市", planned_start_on="2023-12-01"),
        dict(county="四会市", planned_start_on="2023-06-01"),
        dict(county="封开县", planned_start_on="2023-12-01"),
        dict(county="粤桂合作特别试验区（肇庆）", planned_start_on="2023-12-01"),
    )
    out = group_lists(p, "2023-09-05", config=CFG)
    assert out["group"].tolist() == ["第四督导组", "第四督导组", "第七督导组", "第七督导组"]
    # red before blue within a county
    assert out["project_id"].tolist() == ["P2", "P1", "P3", "P4"]
    assert out["flag"].tolist() == ["red", "blue", "blue", "blue"]


def test_group_lists_need_a_config_with_a_project_table():
    with pytest.raises(ValueError, match="config"):
        group_lists(projects_frame(dict()), "2023-09-05")
