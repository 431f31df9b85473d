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
