"""Flag rules as configuration (issue #15): county reasons, each rule form at and around its
threshold, months in a row, the 序时进度 conventions, and the example rule sets of 银川,
三亚 and 武汉 on small ledgers."""

import datetime as dt
from pathlib import Path

import pandas as pd
import pytest
from frames import projects_from_snapshots, snapshots_frame

from zqcampaign.config import default_config, load_config
from zqcampaign.errors import ConfigError
from zqcampaign.figures._common import months_elapsed
from zqcampaign.figures.completion import completion, expected_rate
from zqcampaign.figures.flags import project_flags
from zqcampaign.figures.investment import year_elapsed
from zqcampaign.figures.targets import targets_status

CFG = default_config()
RULES = Path(__file__).resolve().parents[2] / "examples" / "rules"
SEP, OCT = "2023-09-30", "2023-10-31"


def county_list(county, n, achieved, report=SEP, **extra):
    return [
        dict(
            project_id=f"{county}{i}",
            county=county,
            report_date=report,
            started_on="2023-08-10" if i < achieved else None,
            **extra,
        )
        for i in range(n)
    ]


def frames(*groups):
    snaps = snapshots_frame(*(r for g in groups for r in g))
    return projects_from_snapshots(snaps), snaps


def county_row(config, as_of, *groups, county):
    p, s = frames(*groups)
    out = completion(p, config, as_of=as_of, snapshots=s).set_index("county")
    return out.loc[county]


# -- county reasons and the points rule --------------------------------------------------


def test_county_reason_names_rate_pace_gap_and_the_rule():
    # 端州区: 7 of 20 = 35 %; 序时 on 30 Sep = 71/163 = 43.6 %
    row = county_row(CFG, SEP, county_list("端州区", 20, 7), county="端州区")
    assert row["flag"] == "yellow"
    assert row["reason"] == "完成率35.0%，低于序时进度43.6%达8.6个百分点（黄色：落后0–10个百分点）"


# a campaign of 150 days from 1 July: on 29 September 90 days = 60 % are elapsed
SHORT = load_config(
    overrides={"campaign": {"start": dt.date(2023, 7, 1), "end": dt.date(2023, 11, 28)}}
)


@pytest.mark.parametrize(
    ("achieved", "flag", "reason"),
    [
        (12, "blue", "完成率60.0%，达到序时进度60.0%"),
        (13, "blue", "完成率65.0%，高于序时进度60.0%达5.0个百分点"),
        (10, "yellow", "完成率50.0%，低于序时进度60.0%达10.0个百分点（黄色：落后0–10个百分点）"),
        (9, "red", "完成率45.0%，低于序时进度60.0%达15.0个百分点（红色：落后10个百分点以上）"),
    ],
)
def test_exactly_ten_points_below_is_yellow_beyond_red(achieved, flag, reason):
    rows = county_list("端州区", 20, achieved, report="2023-09-29")
    row = county_row(SHORT, "2023-09-29", rows, county="端州区")
    assert row["expected"] == pytest.approx(0.6)
    assert (row["flag"], row["reason"]) == (flag, reason)


def test_on_the_deadline_a_missed_pledge_is_red():
    # 四会市 at 65 % on 30 Sep, its 75 % deadline: 10 points, but the pledge is missed
    row = county_row(CFG, SEP, county_list("四会市", 20, 13), county="四会市")
    assert row["flag"] == "red"
    assert row["reason"] == (
        "完成率65.0%，低于序时进度75.0%达10.0个百分点，9月30日节点目标未完成"
        "（黄色：落后0–10个百分点；红色：节点目标未完成）"
    )


def test_missed_deadline_is_named():
    # 12 of 20 by 30 Sep (60 % of the 75 % pledge), the other 8 start in October
    rows = county_list("四会市", 20, 12, report=SEP) + [
        {**r, "started_on": r["started_on"] or "2023-10-10"}
        for r in county_list("四会市", 20, 12, report=OCT)
    ]
    row = county_row(CFG, OCT, rows, county="四会市")
    assert row["flag"] == "red"
    assert row["reason"].endswith("，9月30日节点目标未完成（红色：节点目标未完成）")


def test_counties_without_list_projects_say_so():
    row = county_row(CFG, SEP, county_list("端州区", 2, 1), county="怀集县")
    assert pd.isna(row["flag"]) and row["reason"] == "清单中无项目"


# -- ratio of 序时 (武汉) ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("achieved", "flag"),
    [(12, "blue"), (11, "yellow"), (9, "yellow"), (8, "red")],  # 80 %, 73 %, 60 %, 53 % of 序时
)
def test_wuhan_ratio_of_pace_at_and_around_60_and_80_percent(achieved, flag):
    cfg = load_config(RULES / "wuhan.toml")
    row = county_row(cfg, SEP, county_list("四会市", 20, achieved), county="四会市")
    assert row["flag"] == flag


def test_wuhan_reason_at_exactly_60_percent():
    cfg = load_config(RULES / "wuhan.toml")
    row = county_row(cfg, SEP, county_list("四会市", 20, 9), county="四会市")
    assert row["reason"] == (
        "完成率45.0%，低于序时进度75.0%达30.0个百分点，为序时进度的60%"
        "（黄色：完成率为序时进度的60%–80%）"
    )


@pytest.mark.parametrize(("ytd", "flag"), [(600.0, "blue"), (450.0, "yellow"), (440.0, "red")])
def test_wuhan_project_investment_against_pace(ytd, flag):
    # 序时 by days on 30 Sep: 273/365 = 74.8 %; 450 → 60.2 % of it, 440 → 58.8 %, 600 → 80.2 %
    cfg = load_config(RULES / "wuhan.toml")
    p, s = frames(
        [
            dict(
                category="已动工未竣工",
                report_date=SEP,
                started_on="2023-03-01",
                planned_completion_on="2024-06-30",
                annual_plan=1000.0,
                ytd_actual=ytd,
            )
        ]
    )
    row = project_flags(p, cfg, as_of=SEP, snapshots=s).iloc[0]
    assert row["flag"] == flag
    if flag != "blue":
        assert f"；年度投资完成{ytd / 10:.1f}%，低于序时进度74.8%" in row["reason"]
        assert row["reason"].endswith(f"（为序时进度的{ytd / 1000 / (273 / 365):.0%}）")


# -- months in a row ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("as_of", "months", "flag"),
    [("2023-07-31", 1, "yellow"), ("2023-08-31", 2, "yellow"), (SEP, 3, "red")],
)
def test_county_flagged_three_months_in_a_row_is_red(as_of, months, flag):
    rules = [
        {"metric": "points_below_pace", "above": 0, "flag": "yellow"},
        {"metric": "months_flagged", "at_least": 3, "flag": "red"},
    ]
    cfg = load_config(overrides={"flags": {"county_rules": rules}})
    # nothing achieved: behind the pace at every month end since July
    row = county_row(cfg, as_of, county_list("端州区", 4, 0), county="端州区")
    assert row["flag"] == flag
    assert (f"连续{months}个月预警" in row["reason"]) == (flag == "red")


def test_a_month_on_pace_breaks_the_run():
    rules = [
        {"metric": "points_below_pace", "above": 0, "flag": "yellow"},
        {"metric": "months_flagged", "at_least": 2, "flag": "red"},
    ]
    cfg = load_config(overrides={"flags": {"county_rules": rules}})
    # 1 of 2 started in August (ahead of pace on 31 Aug), behind again by December
    rows = county_list("端州区", 2, 1, report="2023-08-31")
    assert county_row(cfg, "2023-08-31", rows, county="端州区")["flag"] == "blue"
    assert county_row(cfg, "2023-12-31", rows, county="端州区")["flag"] == "red"
    assert county_row(cfg, SEP, rows, county="端州区")["flag"] == "blue"  # 50 % ≥ 43.6 %


def test_project_months_flagged_in_a_row():
    rules = [
        {"metric": "days_late", "above": 0, "flag": "yellow"},
        {"metric": "months_flagged", "at_least": 2, "flag": "red"},
    ]
    cfg = load_config(overrides={"flags": {"project_rules": rules}})
    snaps = snapshots_frame(
        dict(project_id="A", report_date="2023-08-31", planned_start_on="2023-08-20"),
        dict(project_id="A", report_date=SEP, planned_start_on="2023-08-20"),
    )
    p = projects_from_snapshots(snaps)
    aug = project_flags(p, cfg, as_of="2023-08-31", snapshots=snaps).iloc[0]
    sep = project_flags(p, cfg, as_of=SEP, snapshots=snaps).iloc[0]
    assert (aug["flag"], sep["flag"]) == ("yellow", "red")
    assert sep["reason"] == "计划开工时间已过41天；连续2个月预警"


# -- 序时进度 conventions ----------------------------------------------------------------------


def test_months_elapsed_of_the_campaign_and_of_the_year():
    assert months_elapsed("2023-07-21", "2023-12-31", SEP) == (2, 5)  # 8–9月 of 8–12月
    assert months_elapsed("2023-07-21", "2023-12-31", SEP, "count") == (3, 6)
    assert months_elapsed("2023-07-21", "2023-12-31", "2023-07-31") == (0, 5)
    assert months_elapsed("2023-01-01", "2023-12-31", "2023-10-30") == (9, 12)
    assert months_elapsed("2023-01-01", "2023-12-31", OCT) == (10, 12)


def test_months_and_days_pace_on_30_september_and_31_october():
    months = load_config(overrides={"pace": {"basis": "months"}})
    # investment 序时: days 273/365 = 74.8 % and 304/365; months 9/12 and 10/12
    assert year_elapsed(CFG, SEP) == pytest.approx(273 / 365)
    assert year_elapsed(months, SEP) == pytest.approx(0.75)
    assert year_elapsed(CFG, OCT) == pytest.approx(304 / 365)
    assert year_elapsed(months, OCT) == pytest.approx(10 / 12)
    # completion pace of a county without its own pledge: days 71/163, 102/163;
    # months (July's 11 days skipped): 2/5, 3/5
    assert expected_rate(CFG, SEP, "端州区") == pytest.approx(71 / 163)
    assert expected_rate(months, SEP, "端州区") == pytest.approx(0.4)
    assert expected_rate(months, OCT, "端州区") == pytest.approx(0.6)
    # 四会市 (75 % by 30 Sep, 100 % by 31 Dec): 75 % on 30 Sep either way; 31 Oct:
    # days 0.75 + 0.25 × 31/92, months 0.75 + 0.25 × 1/3
    assert expected_rate(months, SEP, "四会市") == pytest.approx(0.75)
    assert expected_rate(CFG, OCT, "四会市") == pytest.approx(0.75 + 0.25 * 31 / 92)
    assert expected_rate(months, OCT, "四会市") == pytest.approx(0.75 + 0.25 / 3)
    counted = load_config(overrides={"pace": {"basis": "months", "partial_month": "count"}})
    assert expected_rate(counted, SEP, "端州区") == pytest.approx(0.5)


def test_months_pace_changes_the_flag_on_30_september():
    # 端州区 at 42 %: behind 43.6 % by days (yellow), ahead of 40 % by months (blue)
    months = load_config(overrides={"pace": {"basis": "months"}})
    rows = county_list("端州区", 50, 21)
    assert county_row(CFG, SEP, rows, county="端州区")["flag"] == "yellow"
    row = county_row(months, SEP, rows, county="端州区")
    assert (row["flag"], row["expected"]) == ("blue", pytest.approx(0.4))


def test_stepped_target_at_a_quarter_end():
    stepped = load_config(overrides={"pace": {"shape": "stepped"}})
    # 四会市's steps: 75 % at 30 Sep, 100 % at 31 Dec; nothing is due before 30 Sep
    assert expected_rate(stepped, "2023-09-29", "四会市") == 0.0
    assert expected_rate(stepped, SEP, "四会市") == pytest.approx(0.75)
    assert expected_rate(stepped, "2023-12-30", "四会市") == pytest.approx(0.75)
    assert expected_rate(stepped, "2023-12-31", "四会市") == pytest.approx(1.0)
    # 三亚's quarter steps of investment: 50 % through 29 Sep, 75 % from 30 Sep
    sanya = load_config(RULES / "sanya.toml")
    assert year_elapsed(sanya, "2023-09-29") == pytest.approx(0.50)
    assert year_elapsed(sanya, SEP) == pytest.approx(0.75)
    assert year_elapsed(sanya, "2023-03-30") == 0.0


def test_targets_status_pace_is_the_county_expected():
    p, s = frames(county_list("四会市", 20, 17, report="2023-11-30"))
    for cfg in (CFG, load_config(overrides={"pace": {"basis": "months"}})):
        comp = completion(p, cfg, as_of="2023-11-30", snapshots=s).set_index("county")
        t = targets_status(p, s, cfg, as_of="2023-11-30")
        sihui = t[(t["scope"] == "四会市") & (t["metric"] == "completion_rate")]
        assert sihui["pace"].tolist() == pytest.approx([comp.loc["四会市", "expected"]] * 2)
        pending = sihui[sihui["deadline"] > pd.Timestamp("2023-11-30")]
        assert pending["flag"].tolist() == [comp.loc["四会市", "flag"]]


# -- the example rule sets ------------------------------------------------------------------


def test_yinchuan_project_rules():
    cfg = load_config(RULES / "yinchuan.toml")
    plain = dict(report_date=SEP)
    building = dict(
        category="已动工未竣工",
        report_date=SEP,
        started_on="2023-03-01",
        planned_completion_on="2024-06-30",
        annual_plan=1000.0,
    )
    p, s = frames(
        [
            dict(project_id="Y1", planned_start_on="2023-09-15", **plain),  # due, not started
            dict(project_id="Y2", planned_start_on="2023-09-30", **plain),  # due today
            dict(project_id="Y3", planned_start_on="2023-10-05", **plain),  # not yet due
            dict(project_id="Y4", planned_start_on="2023-06-30", **plain),  # 3 months
            dict(project_id="Y5", planned_start_on="2023-07-01", **plain),  # 2 months
            dict(project_id="Y6", ytd_actual=450.0, **building),  # 45 % vs 75 %: 30 points
            dict(project_id="Y7", ytd_actual=440.0, **building),  # 31 points
            dict(project_id="Y8", ytd_actual=650.0, **building),  # 10 points
            dict(project_id="Y9", ytd_actual=660.0, **building),  # 9 points
        ]
    )
    out = project_flags(p, cfg, as_of=SEP, snapshots=s).set_index("project_id")
    assert out["flag"].to_dict() == {
        "Y1": "yellow",
        "Y2": "yellow",
        "Y3": "blue",
        "Y4": "red",
        "Y5": "yellow",
        "Y6": "yellow",
        "Y7": "red",
        "Y8": "yellow",
        "Y9": "blue",
    }
    assert out.loc["Y4", "reason"] == "计划开工时间已过92天；逾期3个月未动工"
    assert out.loc["Y7", "reason"].endswith("年度投资完成44.0%，低于序时进度75.0%达31.0个百分点")


def test_sanya_county_rules_with_two_months_running():
    cfg = load_config(RULES / "sanya.toml")
    rows = []
    # (county, ytd on 31 Aug, ytd on 30 Sep), plan 1000; 序时 steps: 50 % Aug, 75 % Sep
    for county, aug, sep in (
        ("端州区", 200.0, 600.0),  # Aug 40 % of 序时 (red), Sep 80 % (yellow): 2 months → red
        ("四会市", 600.0, 600.0),  # Aug ahead, Sep 80 %: yellow
        ("怀集县", 600.0, 800.0),  # ahead both months: blue
        ("高要区", 600.0, 300.0),  # Sep 40 % of 序时: red
    ):
        for date, ytd in (("2023-08-31", aug), (SEP, sep)):
            rows.append(
                dict(
                    project_id=county,
                    county=county,
                    category="已动工未竣工",
                    report_date=date,
                    started_on="2023-03-01",
                    planned_completion_on="2024-06-30",
                    annual_plan=1000.0,
                    ytd_actual=ytd,
                )
            )
    p, s = frames(rows)
    out = completion(p, cfg, as_of=SEP, snapshots=s).set_index("county")
    flags = out["flag"].dropna().to_dict()
    assert flags == {"端州区": "red", "四会市": "yellow", "怀集县": "blue", "高要区": "red"}
    assert "投资完成60.0%，序时进度75.0%，连续2个月预警" in out.loc["端州区", "reason"]
    assert out.loc["端州区", "reason"].endswith(
        "（黄色：投资低于序时进度50%以内；红色：连续2个月未完成任务）"
    )
    aug = completion(p, cfg, as_of="2023-08-31", snapshots=s).set_index("county")
    assert aug.loc["端州区", "flag"] == "red" and aug.loc["四会市", "flag"] == "blue"


def test_default_rules_are_zhaoqings():
    rules = {(r.metric, r.comparison, r.threshold, r.flag) for r in CFG.county_rules}
    assert rules == {
        ("points_below_pace", "above", 0, "yellow"),
        ("points_below_pace", "above", 10.0, "red"),
        ("missed_deadline", None, None, "red"),
    }
    assert [r.metric for r in CFG.project_rules] == [
        "days_late",
        "days_late",
        "no_planned_date",
        "open_problem",
        "open_major_problem",
        "postponements",
        "postponed_days",
    ]


@pytest.mark.parametrize(
    ("rule", "message"),
    [
        ({"metric": "days_late", "flag": "red"}, "需要且只需要一个比较"),
        ({"metric": "days_late", "above": 3, "below": 9, "flag": "red"}, "需要且只需要一个比较"),
        ({"metric": "open_problem", "above": 1, "flag": "red"}, "不设阈值"),
        ({"metric": "speed", "above": 1, "flag": "red"}, "metric"),
        ({"metric": "days_late", "above": 1, "flag": "green"}, "flag"),
    ],
)
def test_bad_rules_are_named(rule, message):
    with pytest.raises(ConfigError, match=message):
        load_config(overrides={"flags": {"project_rules": [rule]}})


def test_pace_and_lateness_keys_are_validated(tmp_path):
    with pytest.raises(ConfigError, match=r"pace\.basis"):
        load_config(overrides={"pace": {"basis": "weeks"}})
    with pytest.raises(ConfigError, match=r"flags\.lateness"):
        load_config(overrides={"flags": {"lateness": "latest"}})
    with pytest.raises(ConfigError, match=r"pace\.speed"):
        load_config(overrides={"pace": {"speed": 1}})
    with pytest.raises(ConfigError, match="share"):
        load_config(overrides={"investment": {"steps": [{"date": dt.date(2023, 3, 31)}]}})
    # a jury file named in a config file is found beside it
    (tmp_path / "zqcampaign.toml").write_text('[ranking]\njury_scores = "评分.xlsx"\n', "utf-8")
    assert load_config(tmp_path).jury_scores == str(tmp_path / "评分.xlsx")
