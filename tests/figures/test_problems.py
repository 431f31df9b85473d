"""Problems and their cross-off: first seen, closed on, days open; summary per county."""

import pandas as pd
import pytest
from frames import snapshots_frame

from zqcampaign.config import default_config
from zqcampaign.figures.problems import PROBLEM_COLUMNS, problem_summary, problems

CFG = default_config()
JUL, AUG, SEP = "2023-07-31", "2023-08-31", "2023-09-30"


def ledger():
    return snapshots_frame(
        # closed by the 销号 mark
        dict(project_id="A", report_date=JUL, problems="环评未批复"),
        dict(project_id="A", report_date=AUG, problems=" 环评未批复 ", problem_closed=True),
        # closed by disappearing from the ledger row
        dict(project_id="B", report_date=JUL, problems="用地报批未完成", problem_major=True),
        dict(project_id="B", report_date=AUG),
        # project absent from the August ledger: its problem stays open
        dict(project_id="C", report_date=JUL, problems="资金缺口"),
        # new in August
        dict(project_id="D", report_date=AUG, problems="停工待料", county="怀集县"),
        # September: reworded problem of D, and D's old text is gone
        dict(project_id="D", report_date=SEP, problems="复工延迟", county="怀集县"),
    )


def problem(out, pid, text):
    sel = (out["project_id"] == pid) & (out["problem"] == text)
    assert sel.sum() == 1
    return out[sel].iloc[0]


def test_columns_are_documented():
    assert problems(ledger(), as_of=AUG).columns.tolist() == list(PROBLEM_COLUMNS)


def test_problem_marked_closed_is_closed_on_that_report():
    a = problem(problems(ledger(), as_of=AUG), "A", "环评未批复")
    assert (a["status"], a["closed_on"], a["days_open"]) == ("closed", pd.Timestamp(AUG), 31)


def test_problem_that_vanishes_is_closed_on_the_first_report_without_it():
    b = problem(problems(ledger(), as_of=AUG), "B", "用地报批未完成")
    assert (b["status"], b["closed_on"], b["major"]) == ("closed", pd.Timestamp(AUG), True)


def test_missing_project_keeps_its_problem_open():
    c = problem(problems(ledger(), as_of=AUG), "C", "资金缺口")
    assert (c["status"], c["days_open"]) == ("open", 31)
    assert pd.isna(c["closed_on"])


def test_earlier_as_of_sees_problems_still_open():
    out = problems(ledger(), as_of=JUL)
    assert set(out["project_id"]) == {"A", "B", "C"}
    assert (out["status"] == "open").all() and (out["days_open"] == 0).all()


def test_reworded_problem_closes_the_old_text_and_opens_a_new_one():
    out = problems(ledger(), as_of=SEP)
    old, new = problem(out, "D", "停工待料"), problem(out, "D", "复工延迟")
    assert (old["status"], old["closed_on"], old["days_open"]) == ("closed", pd.Timestamp(SEP), 30)
    assert (new["status"], new["first_seen"]) == ("open", pd.Timestamp(SEP))
    assert old["county"] == "怀集县"


def test_as_of_defaults_to_the_latest_report():
    assert len(problems(ledger())) == 5


def test_summary_counts_open_closed_and_closure_rate_per_county():
    s = problem_summary(problems(ledger(), as_of=AUG), CFG).set_index("county")
    sihui = s.loc["四会市"]
    assert sihui[["total", "open", "closed", "open_major"]].tolist() == [3, 1, 2, 0]
    assert sihui["closure_rate"] == pytest.approx(2 / 3)
    assert sihui["median_days_open"] == 31
    assert s.loc["怀集县", "total"] == 1 and s.loc["怀集县", "open"] == 1
    assert s.loc["端州区", "total"] == 0 and pd.isna(s.loc["端州区", "closure_rate"])
    assert s.index.tolist() == list(CFG.county_names)


def test_open_major_problems_are_counted_in_the_summary():
    s = problem_summary(problems(ledger(), as_of=JUL), CFG).set_index("county")
    assert s.loc["四会市", "open_major"] == 1


# -- the register: deadlines, 督办 type, status, escalation, the three lists ---------------

OCT, NOV = "2023-10-31", "2023-11-30"


def test_problem_opens_on_its_first_report_with_the_default_deadline():
    a = problem(problems(ledger(), as_of=JUL, config=CFG), "A", "环评未批复")
    # 30 days after 31 July; major problems get 15 (B)
    assert (a["register_status"], a["status_on"]) == ("新增", pd.Timestamp(JUL))
    assert (a["deadline"], a["deadline_source"]) == (pd.Timestamp("2023-08-30"), "rule")
    b = problem(problems(ledger(), as_of=JUL, config=CFG), "B", "用地报批未完成")
    assert b["deadline"] == pd.Timestamp("2023-08-15")
    assert (b["level"], b["escalated"]) == ("现场", False)  # major problems start at 现场
    assert (a["level"], a["coordination"]) == ("普通", "县级协调")


def test_deadline_and_level_from_the_ledger_columns_win():
    snaps = snapshots_frame(
        dict(project_id="A", report_date=JUL, problems="环评未批复"),
        dict(
            project_id="A",
            report_date=AUG,
            problems="环评未批复",
            problem_deadline="2023-10-15",
            supervision_level="挂牌督办",
        ),
    )
    a = problems(snaps, as_of=AUG, config=CFG).iloc[0]
    assert (a["deadline"], a["deadline_source"]) == (pd.Timestamp("2023-10-15"), "ledger")
    assert (a["level"], a["escalated"], a["overdue"]) == ("挂牌", False, False)
    # 15 Oct is 47 days after 31 Aug: beyond the 7 near days, so blue
    assert (a["register_status"], a["colour"]) == ("推进中", "blue")


def test_colour_yellow_near_the_deadline_red_past_it():
    snaps = snapshots_frame(
        dict(project_id="A", report_date=JUL, problems="环评未批复", problem_deadline="2023-08-05"),
        dict(project_id="B", report_date=JUL, problems="资金缺口", problem_deadline="2023-07-30"),
    )
    out = problems(snaps, as_of=JUL, config=CFG)
    assert problem(out, "A", "环评未批复")["colour"] == "yellow"  # 5 days to go
    b = problem(out, "B", "资金缺口")
    assert (b["colour"], b["overdue"], b["days_overdue"]) == ("red", True, 1)


def test_closing_on_a_later_snapshot_is_listed_as_crossed_off_that_month():
    out = problems(ledger(), as_of=AUG, config=CFG)
    a = problem(out, "A", "环评未批复")
    assert (a["register_status"], a["status_on"], a["colour"]) == (
        "已销号",
        pd.Timestamp(AUG),
        "blue",
    )
    assert not a["overdue"] and a["days_overdue"] == 0


def reopened_ledger():
    return snapshots_frame(
        dict(project_id="A", report_date=JUL, problems="环评未批复"),
        dict(project_id="A", report_date=AUG, problems="环评未批复", problem_closed=True),
        dict(project_id="A", report_date=SEP, problems="环评未批复"),
    )


def test_a_crossed_off_problem_that_comes_back_is_reopened():
    out = problems(reopened_ledger(), as_of=SEP, config=CFG)
    a = out.iloc[0]
    assert (a["status"], a["register_status"]) == ("open", "推进中")
    assert a["reopened_on"] == pd.Timestamp(SEP) and pd.isna(a["closed_on"])
    # keeps its first report and deadline (30 Aug): 31 days overdue on 30 Sep
    assert (a["first_seen"], a["days_open"], a["days_overdue"]) == (pd.Timestamp(JUL), 61, 31)
    assert problems(reopened_ledger(), as_of=AUG, config=CFG).iloc[0]["status"] == "closed"


def test_open_past_the_deadline_escalates_to_site_then_listed_supervision():
    rows = [
        dict(project_id="A", report_date=d, problems="资金缺口") for d in (JUL, AUG, SEP, OCT, NOV)
    ]
    snaps = snapshots_frame(*rows)
    # deadline 30 Aug; 30 Sep is one month past it -> 现场, 30 Oct two months -> 挂牌
    by_date = {d: problems(snaps, as_of=d, config=CFG).iloc[0] for d in (AUG, SEP, OCT, NOV)}
    assert by_date[AUG]["level"] == "普通" and by_date[AUG]["overdue"]
    assert (by_date[SEP]["level"], by_date[SEP]["escalated"]) == ("现场", True)
    assert (by_date[OCT]["level"], by_date[OCT]["coordination"]) == ("挂牌", "市级挂牌督办")
    assert by_date[NOV]["days_overdue"] == 92


def test_escalation_rule_is_configuration():
    from zqcampaign.config import load_config

    cfg = load_config(
        overrides={"problems": {"escalation": [{"months_overdue": 3, "level": "挂牌"}]}}
    )
    rows = [dict(project_id="A", report_date=d, problems="资金缺口") for d in (JUL, NOV)]
    assert problems(snapshots_frame(*rows), as_of=OCT, config=cfg).iloc[0]["level"] == "普通"
    assert problems(snapshots_frame(*rows), as_of=NOV, config=cfg).iloc[0]["level"] == "挂牌"


def test_three_lists_new_in_progress_and_crossed_off_this_month():
    from zqcampaign.figures.problems import problem_lists

    out = problems(ledger(), as_of=SEP, config=CFG)
    lists = problem_lists(out)
    pairs = {k: sorted(zip(v["project_id"], v["problem"], strict=True)) for k, v in lists.items()}
    # September: D reworded (new text new, old text crossed off); C open since July;
    # A and B were crossed off in August, not this month
    assert pairs == {
        "新增问题": [("D", "复工延迟")],
        "推进中": [("C", "资金缺口")],
        "已销号": [("D", "停工待料")],
    }
    sihui = problem_lists(out, county="四会市")
    assert [len(v) for v in sihui.values()] == [0, 1, 0]
    assert len(problem_lists(out, since="2023-07-31")["已销号"]) == 3
