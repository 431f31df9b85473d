"""Stage arithmetic: stage from dates, goal achievement (including jumps), planned goal date."""

import pandas as pd

from zqcampaign.model.stages import achieved_date, planned_goal_date, stage_index, stage_label
from zqcampaign.schema import MILESTONES

T = pd.Timestamp


def frame(**cols):
    n = len(next(iter(cols.values())))
    base = {
        c: [pd.NaT] * n
        for c in (*MILESTONES, "planned_land_on", "planned_start_on", "planned_completion_on")
    }
    base.update(cols)
    out = pd.DataFrame(base)
    for c in base:
        if c != "category":
            out[c] = pd.to_datetime(out[c]).astype("datetime64[ns]")
    return out


def test_latest_milestone_on_or_before_as_of_decides_the_stage():
    f = frame(
        signed_on=[T("2023-01-01")] * 3, land_supplied_on=[T("2023-08-31"), T("2023-09-01"), pd.NaT]
    )
    idx = stage_index(f, T("2023-08-31"))
    assert idx.tolist() == [1, 0, 0]
    assert stage_label(idx).tolist() == ["已供地未动工", "已签约未供地", "已签约未供地"]


def test_no_milestone_yet_is_stage_minus_one_and_missing_label():
    f = frame(signed_on=[T("2023-09-01")])
    idx = stage_index(f, T("2023-08-31"))
    assert idx.tolist() == [-1] and stage_label(idx).isna().all()


def test_jumping_two_stages_achieves_the_goal_on_the_later_milestone():
    f = frame(
        category=["已签约未供地", "已签约未供地", "已供地未动工", None],
        land_supplied_on=[T("2023-08-10"), pd.NaT, pd.NaT, T("2023-08-10")],
        started_on=[T("2023-09-01"), T("2023-09-05"), pd.NaT, pd.NaT],
    )
    assert achieved_date(f).tolist() == [T("2023-08-10"), T("2023-09-05"), pd.NaT, pd.NaT]


def test_planned_goal_date_follows_the_category():
    f = frame(
        category=["已签约未供地", "已供地未动工", "已动工未竣工", None],
        planned_land_on=[T("2023-09-01")] * 4,
        planned_start_on=[T("2023-10-01")] * 4,
        planned_completion_on=[T("2023-11-01")] * 4,
    )
    assert planned_goal_date(f).tolist() == [
        T("2023-09-01"),
        T("2023-10-01"),
        T("2023-11-01"),
        pd.NaT,
    ]
