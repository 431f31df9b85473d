"""Milestones reached in a period, and cycle times between milestones."""

import pandas as pd
import pytest
from frames import projects_frame

from zqcampaign.config import default_config
from zqcampaign.figures.activity import counts, cycle_times, project_cycle_times
from zqcampaign.schema import MILESTONES

CFG = default_config()


def county(out, name):
    return out[out["county"] == name].iloc[0]


def test_counts_include_both_ends_of_the_period():
    p = projects_frame(
        dict(started_on="2023-07-31"),
        dict(started_on="2023-08-01"),
        dict(started_on="2023-08-31", signed_on="2023-08-05"),
        dict(started_on="2023-09-01"),
        dict(category="已动工未竣工", completed_on="2023-08-15", in_production_on="2023-08-20"),
    )
    out = county(counts(p, CFG, start="2023-08-01", end="2023-08-31"), "四会市")
    assert out[["signed", "land_supplied", "started", "completed", "in_production"]].tolist() == [
        1, 0, 2, 1, 1,
    ]  # fmt: skip


def test_counts_list_scope_by_default_and_all_on_request():
    p = projects_frame(dict(started_on="2023-08-10"), dict(started_on="2023-08-11", in_scope=False))
    listed = county(counts(p, CFG, start="2023-08-01", end="2023-08-31"), "四会市")
    every = county(counts(p, CFG, start="2023-08-01", end="2023-08-31", scope="all"), "四会市")
    assert (listed["started"], every["started"]) == (1, 2)


def test_counts_every_county_and_the_city():
    p = projects_frame(
        dict(started_on="2023-08-10"), dict(county="怀集县", started_on="2023-08-11")
    )
    out = counts(p, CFG, start="2023-08-01", end="2023-08-31")
    assert out["county"].tolist() == list(CFG.county_names)
    assert out["started"].sum() == 2
    city = counts(p, CFG, start="2023-08-01", end="2023-08-31", by="city")
    assert city[["county", "started"]].values.tolist() == [["肇庆市", 2]]


def test_counts_default_period_is_campaign_start_to_latest_report():
    p = projects_frame(dict(started_on="2023-07-20"), dict(started_on="2023-07-21"))
    assert county(counts(p, CFG), "四会市")["started"] == 1


def test_counts_reject_a_reversed_period():
    with pytest.raises(ValueError, match="before start"):
        counts(projects_frame(dict()), CFG, start="2023-09-01", end="2023-08-01")


def test_project_cycle_times_drop_out_of_order_dates():
    p = projects_frame(
        dict(signed_on="2023-01-01", land_supplied_on="2023-03-02", started_on="2023-03-01")
    )
    out = project_cycle_times(p).iloc[0]
    assert out["signed_to_land"] == 60
    assert pd.isna(out["land_to_start"]) and pd.isna(out["start_to_completion"])


def test_cycle_time_median_and_quartiles_per_county():
    land = pd.Timestamp("2023-01-01")
    rows = [
        dict(land_supplied_on=land, started_on=land + pd.Timedelta(days=d))
        for d in (10, 20, 30, 40)
    ]
    out = cycle_times(projects_frame(*rows), CFG)
    row = out[(out["county"] == "四会市") & (out["interval"] == "land_to_start")].iloc[0]
    assert (row["n"], row["median"], row["q1"], row["q3"]) == (4, 25.0, 17.5, 32.5)
    empty = out[(out["county"] == "端州区") & (out["interval"] == "signed_to_land")].iloc[0]
    assert empty["n"] == 0 and pd.isna(empty["median"])
    assert len(out) == 3 * len(CFG.county_names)


def test_cycle_times_for_the_city_pool_every_county():
    land = pd.Timestamp("2023-01-01")
    p = projects_frame(
        dict(land_supplied_on=land, started_on=land + pd.Timedelta(days=10)),
        dict(county="怀集县", land_supplied_on=land, started_on=land + pd.Timedelta(days=30)),
    )
    out = cycle_times(p, CFG, by="city")
    row = out[out["interval"] == "land_to_start"].iloc[0]
    assert (row["county"], row["n"], row["median"]) == ("肇庆市", 2, 20.0)


def test_stage_counts_count_each_milestone_reached_or_passed():
    from zqcampaign.figures.activity import stage_counts

    p = projects_frame(
        dict(category="已签约未供地", signed_on="2023-01-10"),  # signed only
        dict(category="已签约未供地", signed_on="2023-01-10", land_supplied_on="2023-08-01"),
        dict(category="已供地未动工"),  # listed as supplied: signed and supplied by category
        dict(category="已动工未竣工", completed_on="2023-08-20"),  # completed by its date
        dict(category="已签约未供地", in_scope=False),  # not on the list
        dict(county="怀集县", category="已动工未竣工"),
    )
    out = stage_counts(p, CFG, as_of="2023-09-30")
    assert out["stage"].tolist() == list(MILESTONES)
    assert out["count"].tolist() == [5, 4, 2, 1, 0]
    assert out["share_of_previous"].round(4).tolist()[1:4] == [0.8, 0.5, 0.5]
    assert pd.isna(out["share_of_previous"].iloc[0]) and out["share_of_previous"].iloc[4] == 0.0
    assert out.attrs["list_projects"] == 5
    one = stage_counts(p, CFG, as_of="2023-09-30", county="怀集县")
    assert one["count"].tolist() == [1, 1, 1, 0, 0]
    before = stage_counts(p, CFG, as_of="2023-07-31")  # the land and completion dates lie later
    assert before["count"].tolist() == [5, 3, 2, 0, 0]
