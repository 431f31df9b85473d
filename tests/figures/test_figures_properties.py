"""Properties of the figures on random frames, and Campaign methods = plain functions."""

import pandas as pd
import pytest
from frames import projects_frame, projects_from_snapshots, snapshots_frame
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from zqcampaign.campaign import Campaign, LoadSummary
from zqcampaign.config import default_config
from zqcampaign.figures import (
    activity,
    changes,
    comparison,
    completion,
    flags,
    forecast,
    investment,
    problems,
    ranking,
    targets,
)
from zqcampaign.figures import (
    supervision as calendar,
)
from zqcampaign.schema import CATEGORIES

CFG = default_config()
BASE = pd.Timestamp("2023-06-01")
COUNTIES = ("四会市", "怀集县", "端州区")
REPORTS = ("2023-07-31", "2023-08-31", "2023-09-30")

day = st.one_of(st.none(), st.integers(min_value=0, max_value=270))


def stamp(offset):
    return None if offset is None else BASE + pd.Timedelta(days=offset)


@st.composite
def project_rows(draw):
    return dict(
        county=draw(st.sampled_from(COUNTIES)),
        category=draw(st.sampled_from(CATEGORIES)),
        in_scope=draw(st.booleans()),
        first_report_date=draw(st.sampled_from(REPORTS)),
        land_supplied_on=stamp(draw(day)),
        started_on=stamp(draw(day)),
        completed_on=stamp(draw(day)),
        planned_start_on=stamp(draw(day)),
        problems=draw(st.sampled_from([None, "用地报批未完成"])),
        problem_major=draw(st.sampled_from([None, True, False])),
    )


random_projects = st.lists(project_rows(), min_size=1, max_size=15).map(
    lambda rows: projects_frame(*rows)
)
as_of_days = st.integers(min_value=0, max_value=300).map(stamp)
FAST = settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@FAST
@given(random_projects, as_of_days)
def test_rates_are_fractions_and_flags_known(p, as_of):
    for by in ("city", "county", "category", ["county", "category"]):
        out = completion.completion(p, CFG, as_of=as_of, by=by)
        rates = out["rate"].dropna()
        assert ((rates >= 0) & (rates <= 1)).all()
        assert out["achieved"].le(out["total"]).all()
        assert set(out["flag"].dropna()) <= {"blue", "yellow", "red"}
        assert out["rate"].isna().eq(out["total"] == 0).all()
    f = flags.project_flags(p, CFG, as_of=as_of)
    assert set(f["flag"]) <= {"blue", "yellow", "red"}
    assert f["reason"].str.len().gt(0).all()


@FAST
@given(random_projects, as_of_days, st.integers(min_value=1, max_value=120))
def test_achieved_never_falls_as_as_of_moves_forward(p, as_of, step):
    later = as_of + pd.Timedelta(days=step)
    for by in ("city", "county", ["county", "category"]):
        a = completion.completion(p, CFG, as_of=as_of, by=by)
        b = completion.completion(p, CFG, as_of=later, by=by)
        assert (b["achieved"].to_numpy() >= a["achieved"].to_numpy()).all()
        assert (b["total"].to_numpy() >= a["total"].to_numpy()).all()


@FAST
@given(random_projects, as_of_days)
def test_county_totals_add_up_to_the_city(p, as_of):
    county = completion.completion(p, CFG, as_of=as_of, by="county")
    city = completion.completion(p, CFG, as_of=as_of, by="city").iloc[0]
    assert county["total"].sum() == city["total"]
    assert county["achieved"].sum() == city["achieved"]
    category = completion.completion(p, CFG, as_of=as_of, by="category")
    assert category["total"].sum() == city["total"]
    assert len(flags.project_flags(p, CFG, as_of=as_of)) == city["total"]


@FAST
@given(random_projects, as_of_days)
def test_by_category_totals_add_up_to_the_county(p, as_of):
    county = completion.completion(p, CFG, as_of=as_of, by="county").set_index("county")
    both = completion.completion(p, CFG, as_of=as_of, by=["county", "category"])
    summed = both.groupby("county", sort=False)[["total", "achieved"]].sum()
    pd.testing.assert_frame_equal(summed, county[["total", "achieved"]])


@FAST
@given(random_projects, as_of_days)
def test_counts_by_county_add_up_to_the_city(p, as_of):
    start = min(as_of, pd.Timestamp(CFG.start))
    by_county = activity.counts(p, CFG, start=start, end=as_of, scope="all")
    city = activity.counts(p, CFG, start=start, end=as_of, by="city", scope="all")
    cols = ["signed", "land_supplied", "started", "completed", "in_production"]
    assert by_county[cols].sum().tolist() == city[cols].iloc[0].tolist()


# -- Campaign methods are the plain functions ------------------------------------------------


def _campaign():
    snaps = snapshots_frame(
        dict(project_id="A", report_date="2023-07-31", planned_start_on="2023-08-20",
             problems="用地报批未完成", problem_major=True, annual_plan=1000.0, ytd_actual=100.0),
        dict(project_id="A", report_date="2023-08-31", planned_start_on="2023-08-20",
             annual_plan=1000.0, ytd_actual=300.0),
        dict(project_id="B", report_date="2023-07-31", category="已签约未供地",
             planned_land_on="2023-08-10", signed_on="2023-05-01"),
        dict(project_id="B", report_date="2023-08-31", category="已签约未供地",
             land_supplied_on="2023-08-25", signed_on="2023-05-01", problems="资金"),
        dict(project_id="C", report_date="2023-07-31", county="怀集县", category="已动工未竣工",
             started_on="2023-03-01", planned_completion_on="2023-07-01"),
        dict(project_id="D", report_date="2023-08-31", county="怀集县"),
    )  # fmt: skip
    projects = projects_from_snapshots(snaps)
    camp = Campaign(
        snapshots=snaps,
        projects=projects,
        issues=pd.DataFrame(),
        config=CFG,
        summary=LoadSummary(pd.DataFrame()),
    )
    return camp, projects, snaps


AS_OF = pd.Timestamp("2023-08-31")


@pytest.mark.parametrize(
    ("method", "kwargs", "plain"),
    [
        ("completion", {"by": "county"}, lambda p, s: completion.completion(p, CFG, as_of=AS_OF)),
        ("completion", {"by": "city"},
         lambda p, s: completion.completion(p, CFG, as_of=AS_OF, by="city")),
        ("progress", {}, lambda p, s: completion.progress(p, CFG, end=AS_OF)),
        ("project_flags", {},
         lambda p, s: flags.project_flags(p, CFG, as_of=AS_OF, snapshots=s)),
        ("targets_status", {}, lambda p, s: targets.targets_status(p, s, CFG, as_of=AS_OF)),
        ("investment", {}, lambda p, s: investment.investment(p, s, CFG, as_of=AS_OF)),
        ("counts", {}, lambda p, s: activity.counts(p, CFG, end=AS_OF)),
        ("cycle_times", {}, lambda p, s: activity.cycle_times(p, CFG)),
        ("problems", {}, lambda p, s: problems.problems(s, as_of=AS_OF)),
        ("problem_summary", {},
         lambda p, s: problems.problem_summary(problems.problems(s, as_of=AS_OF), CFG)),
        ("ranking", {}, lambda p, s: ranking.ranking(p, s, CFG, as_of=AS_OF)),
        ("changes", {}, lambda p, s: changes.changes(p, s, CFG, as_of=AS_OF)),
        ("forecast", {}, lambda p, s: forecast.forecast(p, CFG, as_of=AS_OF)),
        ("comparison", {}, lambda p, s: comparison.comparison(p, s, CFG, as_of=AS_OF)),
        ("supervision_days", {}, lambda p, s: calendar.supervision_days(CFG)),
        ("evaluation_meetings", {}, lambda p, s: calendar.evaluation_meetings(CFG)),
        ("group_lists", {},
         lambda p, s: calendar.group_lists(p, AS_OF, config=CFG, snapshots=s)),
    ],
)  # fmt: skip
def test_campaign_method_equals_the_plain_function(method, kwargs, plain):
    camp, p, s = _campaign()
    pd.testing.assert_frame_equal(getattr(camp, method)(**kwargs), plain(p, s))


def test_campaign_methods_take_an_explicit_as_of():
    camp, p, _ = _campaign()
    pd.testing.assert_frame_equal(
        camp.completion(as_of="2023-08-15", by=["county", "category"]),
        completion.completion(p, CFG, as_of="2023-08-15", by=["county", "category"]),
    )
    assert camp.completion()["achieved"].sum() == 1  # B supplied on 8-25
