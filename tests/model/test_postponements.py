"""Baseline planned dates and postponements (issue #15 item 1): lateness against the plan
as first reported, the drift named in the reason, repeated postponement yellow."""

import pandas as pd
import pytest
from frames import projects_from_snapshots, snapshots_frame
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from zqcampaign.config import default_config, load_config
from zqcampaign.figures.flags import FLAG_SEVERITY, project_flags
from zqcampaign.figures.plans import POSTPONEMENT_COLUMNS, postponements

CFG = default_config()


def replanned(*dates, report_dates=("2023-07-31", "2023-08-31", "2023-09-30"), **extra):
    """One project reporting ``dates`` as its planned start, one per report."""
    rows = [
        dict(project_id="A", report_date=r, planned_start_on=d, **extra)
        for r, d in zip(report_dates, dates, strict=False)
    ]
    snaps = snapshots_frame(*rows)
    return projects_from_snapshots(snaps), snaps


def flag(p, s, as_of, config=CFG):
    out = project_flags(p, config, as_of=as_of, snapshots=s)
    assert len(out) == 1
    return out.iloc[0]


def test_postponed_twice_against_the_baseline():
    # 15 Aug, then 30 Sep (+46 days), then 30 Oct (+30): 46 days past the original plan
    p, s = replanned("2023-08-15", "2023-09-30", "2023-10-30")
    row = flag(p, s, "2023-09-30")
    assert row["flag"] == "red"  # 46 > 30 days past the baseline
    assert row["reason"] == "计划开工时间原定8月15日，已推迟2次至10月30日；按原计划已逾期46天"
    assert (row["days_late"], row["postponements"]) == (46, 2)
    assert row["baseline_goal_on"] == pd.Timestamp("2023-08-15")
    assert row["planned_goal_on"] == pd.Timestamp("2023-10-30")


def test_postponed_twice_against_the_current_plan():
    cfg = load_config(overrides={"flags": {"lateness": "current"}})
    p, s = replanned("2023-08-15", "2023-09-30", "2023-10-30")
    row = flag(p, s, "2023-09-30", cfg)
    # 30 days ahead of the current plan, but postponed a second time: yellow
    assert row["flag"] == "yellow"
    assert row["reason"] == "计划开工时间原定8月15日，已推迟2次至10月30日；按现计划还有30天"
    assert row["days_late"] == -30


def test_the_table_of_postponements():
    _p, s = replanned("2023-08-15", "2023-09-30", "2023-10-30")
    out = postponements(s)
    assert out.columns.tolist() == list(POSTPONEMENT_COLUMNS)
    assert out["from_date"].dt.strftime("%m-%d").tolist() == ["08-15", "09-30"]
    assert out["to_date"].dt.strftime("%m-%d").tolist() == ["09-30", "10-30"]
    assert out["days"].tolist() == [46, 30]
    assert out["nth"].tolist() == [1, 2]
    assert out["milestone_label"].tolist() == ["计划开工时间"] * 2
    assert out["report_date"].dt.strftime("%m-%d").tolist() == ["08-31", "09-30"]
    assert len(postponements(s, as_of="2023-08-31")) == 1  # as known then


def test_the_project_table_keeps_the_baseline():
    p, _ = replanned("2023-08-15", "2023-09-30", "2023-10-30")
    row = p.iloc[0]
    assert row["baseline_planned_start_on"] == pd.Timestamp("2023-08-15")
    assert row["planned_start_on"] == pd.Timestamp("2023-10-30")


def test_the_loader_keeps_the_baseline_beside_the_current_plan():
    from zqcampaign.model.assembly import BASELINE_PLANNED, _by_project, _projects

    _, s = replanned("2023-08-15", "2023-09-30", "2023-10-30")
    rows, baseline = _by_project(s)
    p = _projects(rows, baseline, CFG, [])
    assert set(BASELINE_PLANNED) <= set(p.columns)
    assert p.loc[0, "baseline_planned_start_on"] == pd.Timestamp("2023-08-15")
    assert p.loc[0, "baseline_planned_goal_on"] == pd.Timestamp("2023-08-15")
    assert p.loc[0, "planned_goal_on"] == pd.Timestamp("2023-10-30")


def test_a_date_moved_earlier_is_not_a_postponement():
    p, s = replanned("2023-09-30", "2023-09-10")
    assert postponements(s).empty
    row = flag(p, s, "2023-09-05")
    assert (row["flag"], row["postponements"]) == ("blue", 0)
    # judged against the earlier date the county committed to
    assert row["reason"] == "距计划开工时间还有5天"
    assert flag(p, s, "2023-09-12")["flag"] == "yellow"


def test_earlier_then_later_counts_only_the_later_move():
    _p, s = replanned("2023-09-30", "2023-09-10", "2023-10-20")
    out = postponements(s)
    assert out["days"].tolist() == [40] and out["nth"].tolist() == [1]


@pytest.mark.parametrize(
    ("dates", "expected"),
    [
        (("2023-10-31", "2023-11-10"), "blue"),  # once, 10 days: not repeated
        (("2023-10-31", "2023-11-10", "2023-11-20"), "yellow"),  # the 2nd time
        (("2023-10-31", "2023-12-29"), "blue"),  # once, 59 days
        (("2023-10-31", "2023-12-30"), "yellow"),  # once, 60 days in all
    ],
)
def test_repeated_postponement_is_yellow(dates, expected):
    p, s = replanned(*dates)
    assert flag(p, s, "2023-09-30")["flag"] == expected


def test_repeated_postponement_thresholds_come_from_config():
    p, s = replanned("2023-10-31", "2023-11-10", "2023-11-20")
    cfg = load_config(overrides={"flags": {"repeated_postponements": 3}})
    assert flag(p, s, "2023-09-30", cfg)["flag"] == "blue"
    cfg = load_config(overrides={"flags": {"repeated_postponements": 0, "postponed_days": 15}})
    row = flag(p, s, "2023-09-30", cfg)
    assert row["flag"] == "yellow"  # 20 days in all
    assert row["reason"] == "计划开工时间原定10月31日，已推迟2次至11月20日；按原计划还有31天"


def test_without_snapshots_the_table_gives_the_baseline():
    p, _ = replanned("2023-08-15", "2023-09-30", "2023-10-30")
    row = project_flags(p, CFG, as_of="2023-09-30").iloc[0]
    assert (row["flag"], row["days_late"]) == ("red", 46)


# -- property: slipping further never improves the flag ----------------------------------

offsets = st.lists(st.integers(min_value=0, max_value=60), min_size=1, max_size=4)


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    st.integers(min_value=-40, max_value=40),
    offsets,
    st.integers(min_value=0, max_value=60),
    st.integers(min_value=0, max_value=3),
)
def test_flags_never_improve_when_a_project_only_slips_further(start, slips, extra, where):
    reports = pd.date_range("2023-07-31", periods=6, freq="ME")
    as_of = reports[-1]
    first = as_of + pd.Timedelta(days=start)
    dates = [first]
    for d in slips:
        dates.append(dates[-1] + pd.Timedelta(days=d))
    dates = [str(d.date()) for d in dates]
    p, s = replanned(*dates, report_dates=[str(r.date()) for r in reports])
    before = flag(p, s, as_of)["flag"]
    # slip further: push one of the later reports' dates (and those after it) later
    pushed = list(dates)
    k = min(where, len(pushed) - 1) if len(pushed) > 1 else 0
    k = max(k, 1) if len(pushed) > 1 else 0
    if k == 0:  # only one report with a date: a later report slips it
        pushed.append(str((pd.Timestamp(pushed[-1]) + pd.Timedelta(days=extra)).date()))
    else:
        pushed[k:] = [str((pd.Timestamp(d) + pd.Timedelta(days=extra)).date()) for d in pushed[k:]]
    p2, s2 = replanned(*pushed, report_dates=[str(r.date()) for r in reports])
    after = flag(p2, s2, as_of)["flag"]
    assert FLAG_SEVERITY[after] >= FLAG_SEVERITY[before]


def test_through_the_loader_three_monthly_ledgers(tmp_path):
    import datetime as dt

    from ledgers import ledger_grid, write_xlsx

    import zqcampaign as zq

    for month, report, planned in (
        ("07", "2023年7月31日", dt.date(2023, 8, 15)),
        ("08", "2023年8月31日", dt.date(2023, 9, 30)),
        ("09", "2023年9月30日", dt.date(2023, 10, 30)),
    ):
        row = ["年产10万吨新材料项目", "某公司", 20000, 8000, 1000]
        row += [dt.date(2023, 3, 1), dt.date(2023, 6, 1), None, None, None]
        row += [None, planned, dt.date(2024, 6, 30), None, None, None, "发改局", "张三"]
        grid = ledger_grid([row], report=report)
        write_xlsx(tmp_path / f"2023-{month}" / "四会市.xlsx", {"Sheet1": grid})
    camp = zq.load(tmp_path)
    p = camp.projects.iloc[0]
    assert p["baseline_planned_start_on"] == pd.Timestamp("2023-08-15")
    assert p["planned_start_on"] == pd.Timestamp("2023-10-30")
    moves = camp.postponements()
    assert moves["days"].tolist() == [46, 30] and moves["nth"].tolist() == [1, 2]
    row = camp.project_flags(as_of="2023-09-30").iloc[0]
    assert row["flag"] == "red"
    assert row["reason"] == "计划开工时间原定8月15日，已推迟2次至10月30日；按原计划已逾期46天"
    # as known on 31 August: one postponement, 16 days past the baseline (yellow)
    aug = camp.project_flags(as_of="2023-08-31").iloc[0]
    assert (aug["flag"], aug["postponements"]) == ("yellow", 1)
    assert aug["reason"] == "计划开工时间原定8月15日，已推迟1次至9月30日；按原计划已逾期16天"
