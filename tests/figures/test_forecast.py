"""Forecast at the recent pace: projected rate at each coming deadline, pace needed."""

import pandas as pd
import pytest
from frames import projects_frame

from zqcampaign.config import default_config
from zqcampaign.figures.forecast import forecast

CFG = default_config()


def sihui():
    # 8 projects: 1 started long ago, 2 in the 28 days to 2023-08-31, 5 open
    rows = [dict(started_on="2023-07-25"), dict(started_on="2023-08-04")]
    rows += [dict(started_on="2023-08-31")]
    rows += [dict() for _ in range(5)]
    return projects_frame(*rows)


def test_pace_projection_and_needed_per_week_for_each_coming_deadline():
    out = forecast(sihui(), CFG, as_of="2023-08-31")
    assert out["county"].tolist() == ["四会市", "四会市"]
    sep, dec = out.iloc[0], out.iloc[1]
    assert (sep["deadline"], sep["target"]) == (pd.Timestamp("2023-09-30"), 0.75)
    assert (sep["total"], sep["achieved"]) == (8, 3)
    # 8-04 and 8-31 are inside (2023-08-03, 2023-08-31]; 7-25 is not
    assert sep["pace_per_week"] == pytest.approx(0.5)
    assert sep["weeks_left"] == pytest.approx(30 / 7)
    assert sep["projected_rate"] == pytest.approx((3 + 0.5 * 30 / 7) / 8)
    assert sep["needed"] == 3  # ⌈0.75 × 8⌉ − 3
    assert sep["needed_per_week"] == pytest.approx(3 / (30 / 7))
    assert not sep["on_track"]
    assert dec["projected_rate"] == 1.0 and dec["on_track"]
    assert dec["needed"] == 5


def test_passed_deadlines_and_empty_counties_are_left_out():
    out = forecast(sihui(), CFG, as_of="2023-10-15")
    assert out["deadline"].tolist() == [pd.Timestamp("2023-12-31")]
    assert forecast(sihui(), CFG, as_of="2024-01-15").empty


def test_no_recent_progress_projects_no_change():
    p = projects_frame(dict(county="怀集县", started_on="2023-07-01"), dict(county="怀集县"))
    row = forecast(p, CFG, as_of="2023-08-31").iloc[0]
    assert (row["pace_per_week"], row["projected_rate"], row["needed"]) == (0.0, 0.5, 1)
