"""Completion rate, expected pace, county flags (hand-computed on small frames).

Default campaign: 2023-07-21 .. 2023-12-31 (163 days). 四会市 pledges 75 % by 2023-09-30
(71 days after the start) and 100 % by the end; other counties 100 % by the end.
"""

import datetime as dt

import numpy as np
import pandas as pd
import pytest
from frames import projects_frame, projects_from_snapshots, snapshots_frame

from zqcampaign.config import default_config
from zqcampaign.figures._common import list_members
from zqcampaign.figures.completion import completion, expected_rate, progress
from zqcampaign.schema import CATEGORIES

CFG = default_config()


def row_of(frame, county, **keys):
    sel = frame["county"] == county
    for k, v in keys.items():
        sel &= frame[k] == v
    assert sel.sum() == 1
    return frame[sel].iloc[0]


def test_expected_rate_of_sihui_is_75_percent_at_end_of_september():
    assert expected_rate(CFG, "2023-09-30", "四会市") == pytest.approx(0.75)


def test_expected_rate_halfway_to_september_is_half_the_pledge():
    halfway = pd.Timestamp("2023-07-21") + pd.Timedelta(days=35.5)
    assert expected_rate(CFG, halfway, "四会市") == pytest.approx(0.375)


def test_expected_rate_is_zero_before_start_and_flat_after_the_end():
    assert expected_rate(CFG, "2023-07-01", "四会市") == 0.0
    assert expected_rate(CFG, "2024-03-01", "四会市") == pytest.approx(1.0)
    assert expected_rate(CFG, "2024-03-01", "怀集县") == pytest.approx(1.0)


def test_expected_rate_of_default_county_is_linear_to_the_end():
    # 2023-08-31 is 41 of 163 days
    assert expected_rate(CFG, "2023-08-31", "怀集县") == pytest.approx(41 / 163)
    # after 9-30, 四会市 goes from 0.75 to 1.0 over 92 days
    assert expected_rate(CFG, "2023-10-31", "四会市") == pytest.approx(0.75 + 0.25 * 31 / 92)


def test_goal_reached_exactly_on_as_of_counts_as_achieved():
    p = projects_frame(dict(started_on="2023-08-31"))
    on_day = completion(p, CFG, as_of="2023-08-31")
    day_before = completion(p, CFG, as_of="2023-08-30")
    assert row_of(on_day, "四会市")["achieved"] == 1
    assert row_of(day_before, "四会市")["achieved"] == 0


def test_project_jumping_two_stages_has_achieved_its_goal():
    # signed-not-supplied: land never dated, but construction started
    p = projects_frame(dict(category="已签约未供地", started_on="2023-08-10"))
    out = completion(p, CFG, as_of="2023-08-31")
    assert row_of(out, "四会市")[["total", "achieved"]].tolist() == [1, 1]


def test_project_missing_from_latest_snapshot_is_still_counted():
    snaps = snapshots_frame(
        dict(project_id="A", report_date="2023-07-31"),
        dict(project_id="B", report_date="2023-07-31"),
        dict(project_id="B", report_date="2023-08-31", started_on="2023-08-20"),
    )
    p = projects_from_snapshots(snaps)
    assert p.set_index("project_id")["missing"].to_dict() == {"A": True, "B": False}
    out = row_of(completion(p, CFG, as_of="2023-08-31"), "四会市")
    assert (out["total"], out["achieved"], out["rate"]) == (2, 1, 0.5)


def test_sihui_at_75_percent_on_30_september_is_blue():
    p = projects_frame(
        dict(started_on="2023-08-01"),
        dict(started_on="2023-09-01"),
        dict(started_on="2023-09-30"),
        dict(),
    )
    out = row_of(completion(p, CFG, as_of="2023-09-30"), "四会市")
    assert out["rate"] == 0.75
    assert out["expected"] == pytest.approx(0.75)
    assert out["gap"] == pytest.approx(0.0)
    assert out["flag"] == "blue" and pd.isna(out["missed_deadline"])


def test_missed_deadline_turns_county_red_even_when_gap_is_small():
    # 2 of 4 by 9-30 (target 75 %), 3 of 4 by 10-15: gap alone would be yellow
    p = projects_frame(
        dict(started_on="2023-08-01"),
        dict(started_on="2023-09-01"),
        dict(started_on="2023-10-10"),
        dict(),
    )
    out = row_of(completion(p, CFG, as_of="2023-10-15"), "四会市")
    expected = 0.75 + 0.25 * 15 / 92
    assert out["expected"] == pytest.approx(expected)
    assert out["gap"] == pytest.approx(0.75 - expected)
    assert out["flag"] == "red"
    assert out["missed_deadline"] == pd.Timestamp("2023-09-30")


def test_a_deadline_is_judged_on_the_ledger_dated_that_day():
    # 74 of 100 started, target 75 % by 9-30: missed on 9-30 itself (yellow by the gap
    # alone), as targets_status judges it (tests/figures/test_targets.py); not yet on 9-29
    p = projects_frame(*[dict(started_on="2023-08-01")] * 74, *[dict()] * 26)
    out = row_of(completion(p, CFG, as_of="2023-09-30"), "四会市")
    assert out["gap"] == pytest.approx(-0.01)
    assert out["missed_deadline"] == pd.Timestamp("2023-09-30") and out["flag"] == "red"
    before = row_of(completion(p, CFG, as_of="2023-09-29"), "四会市")
    assert pd.isna(before["missed_deadline"]) and before["flag"] == "blue"


@pytest.mark.parametrize(("achieved", "flag"), [(35, "blue"), (31, "yellow"), (30, "red")])
def test_county_flag_yellow_within_ten_points_red_beyond(achieved, flag):
    # 四会市 on 11-15: expected 0.75 + 0.25 × 46/92 = 0.875 (no deadline that day, the
    # 9-30 one met); 31 of 40 = 0.775 is exactly 10 points behind -> yellow
    rows = [dict(county="四会市", completed_on="2023-09-01") for _ in range(achieved)]
    rows += [dict(county="四会市") for _ in range(40 - achieved)]
    p = projects_frame(*(dict(r, category="已动工未竣工") for r in rows))
    out = row_of(completion(p, CFG, as_of="2023-11-15"), "四会市")
    assert out["expected"] == pytest.approx(0.875)
    assert pd.isna(out["missed_deadline"])
    assert out["flag"] == flag


def test_as_of_before_campaign_start_uses_the_first_list_with_rate_zero():
    p = projects_frame(dict(started_on="2023-08-15"), dict())
    out = row_of(completion(p, CFG, as_of="2023-07-01"), "四会市")
    assert (out["total"], out["achieved"], out["rate"], out["expected"]) == (2, 0, 0.0, 0.0)
    assert out["flag"] == "blue"


def test_as_of_after_campaign_end_expects_full_completion():
    p = projects_frame(
        dict(county="怀集县", started_on="2023-08-15"),
        dict(county="怀集县"),
        dict(county="端州区", started_on="2023-11-15"),
    )
    out = completion(p, CFG, as_of="2024-02-01")
    huaiji, duanzhou = row_of(out, "怀集县"), row_of(out, "端州区")
    assert huaiji["expected"] == 1.0 and huaiji["rate"] == 0.5
    assert huaiji["flag"] == "red" and huaiji["missed_deadline"] == pd.Timestamp("2023-12-31")
    assert duanzhou["flag"] == "blue" and pd.isna(duanzhou["missed_deadline"])


def test_project_joins_the_list_on_its_first_report():
    p = projects_frame(dict(), dict(first_report_date="2023-08-31"))
    assert row_of(completion(p, CFG, as_of="2023-08-15"), "四会市")["total"] == 1
    assert row_of(completion(p, CFG, as_of="2023-08-31"), "四会市")["total"] == 2


def test_out_of_scope_projects_are_not_counted():
    p = projects_frame(dict(), dict(in_scope=False, started_on="2023-08-01"))
    out = row_of(completion(p, CFG, as_of="2023-08-31"), "四会市")
    assert (out["total"], out["achieved"]) == (1, 0)


def test_list_members_falls_back_to_the_earliest_report():
    p = projects_frame(dict(), dict(first_report_date="2023-08-31"), dict(in_scope=False))
    assert list_members(p, pd.Timestamp("2023-06-01")).tolist() == [True, False, False]


def test_every_configured_county_appears_even_without_projects():
    out = completion(projects_frame(dict()), CFG, as_of="2023-08-31")
    assert out["county"].tolist() == list(CFG.county_names)
    empty = row_of(out, "端州区")
    assert empty["total"] == 0 and np.isnan(empty["rate"]) and pd.isna(empty["flag"])


def test_county_without_projects_in_a_category_appears_by_county_and_category():
    p = projects_frame(
        dict(category="已供地未动工", started_on="2023-08-01"),
        dict(category="已签约未供地"),
    )
    out = completion(p, CFG, as_of="2023-08-31", by=["county", "category"])
    assert len(out) == len(CFG.county_names) * 3
    none = row_of(out, "四会市", category="已动工未竣工")
    assert none["total"] == 0 and np.isnan(none["rate"]) and pd.isna(none["flag"])
    started = row_of(out, "四会市", category="已供地未动工")
    assert (started["total"], started["achieved"], started["rate"]) == (1, 1, 1.0)
    # county × category uses the county's own pace
    assert started["expected"] == pytest.approx(0.75 * 41 / 71)


def test_by_category_uses_the_default_pace_and_lists_all_three():
    p = projects_frame(dict(county="四会市"), dict(county="怀集县", started_on="2023-08-02"))
    out = completion(p, CFG, as_of="2023-08-31", by="category")
    assert out["category"].tolist() == list(CATEGORIES)
    row = out[out["category"] == "已供地未动工"].iloc[0]
    assert (row["total"], row["achieved"]) == (2, 1)
    assert row["expected"] == pytest.approx(41 / 163)


def test_by_city_gives_one_row_named_after_the_city():
    p = projects_frame(dict(county="四会市"), dict(county="怀集县", started_on="2023-08-02"))
    out = completion(p, CFG, as_of="2023-08-31", by="city")
    assert out[["county", "total", "achieved", "rate"]].values.tolist() == [["肇庆市", 2, 1, 0.5]]
    assert out["expected"].iloc[0] == pytest.approx(41 / 163)


def test_by_accepts_category_and_county_in_either_order():
    p = projects_frame(dict())
    a = completion(p, CFG, as_of="2023-08-31", by=["category", "county"])
    b = completion(p, CFG, as_of="2023-08-31", by=("county", "category"))
    pd.testing.assert_frame_equal(a, b)


@pytest.mark.parametrize("by", ["province", ["county", "stage"], ["county", "county"], 3])
def test_wrong_by_raises_value_error_naming_the_choices(by):
    with pytest.raises(ValueError, match="city, county, category"):
        completion(projects_frame(dict()), CFG, as_of="2023-08-31", by=by)


def test_as_of_defaults_to_latest_report_date():
    p = projects_frame(dict(started_on="2023-09-10", report_date="2023-09-30"))
    out = completion(p, CFG)
    assert row_of(out, "四会市")["achieved"] == 1


def test_bad_as_of_raises_value_error():
    with pytest.raises(ValueError, match="as_of"):
        completion(projects_frame(dict()), CFG, as_of="not a date")


def test_progress_is_a_long_frame_from_start_to_end():
    p = projects_frame(dict(started_on="2023-08-01"), dict())
    out = progress(p, CFG, end="2023-08-31", by="city", freq="W")
    assert out.columns.tolist() == ["date", "county", "total", "achieved", "rate", "expected"]
    assert out["date"].iloc[0] == pd.Timestamp("2023-07-21")
    assert out["date"].iloc[-1] == pd.Timestamp("2023-08-31")
    assert out["date"].is_monotonic_increasing
    assert (out["date"].iloc[1:-1].dt.day_of_week == 6).all()  # weekly on Sundays
    last = out.iloc[-1]
    assert (last["rate"], last["expected"]) == (0.5, pytest.approx(41 / 163))
    first_aug = out[out["date"] == pd.Timestamp("2023-08-06")].iloc[0]
    assert first_aug["rate"] == 0.5


def test_progress_by_county_has_one_row_per_date_and_county():
    p = projects_frame(dict())
    out = progress(p, CFG, end=dt.date(2023, 8, 31), by="county", freq="MS")
    # 7-21, 8-01, 8-31
    assert len(out) == 3 * len(CFG.county_names)
