"""Changes between the previous report and the latest one."""

import pytest
from frames import projects_from_snapshots, snapshots_frame

from zqcampaign.config import default_config
from zqcampaign.figures.changes import changes

CFG = default_config()
JUL, AUG = "2023-07-31", "2023-08-31"


def ledger():
    both = [
        dict(project_id="A", started_on="2023-08-20", planned_start_on="2023-09-30"),
        dict(project_id="B", planned_start_on="2023-08-15"),
        dict(project_id="C", planned_start_on="2023-07-01"),
    ]
    rows = [dict(r, report_date=JUL, started_on=None) for r in both]
    rows += [dict(r, report_date=AUG) for r in both]
    rows += [
        dict(project_id="D", report_date=AUG, planned_start_on="2023-12-01"),
        dict(project_id="E", report_date=JUL, planned_start_on="2023-12-01"),
        dict(project_id="F", report_date=AUG, total_investment=100.0),  # out of scope
    ]
    snaps = snapshots_frame(*rows)
    return projects_from_snapshots(snaps), snaps


def by_kind(out):
    return {k: g["project_id"].tolist() for k, g in out.groupby("kind")}


def test_each_kind_of_change_since_the_previous_report():
    p, s = ledger()
    out = changes(p, s, CFG)
    assert out.columns.tolist() == ["project_id", "name", "county", "change", "detail", "kind"]
    assert by_kind(out) == {
        "reached_goal": ["A"],
        "slipped": ["B"],
        "turned_red": ["C"],
        "added": ["D"],
        "missing": ["E"],
    }
    detail = dict(zip(out["kind"], out["detail"], strict=True))
    assert detail["reached_goal"] == "已于2023-08-20动工"
    assert detail["slipped"] == "计划开工时间2023-08-15已过16天，尚未动工"
    assert detail["turned_red"] == "黄色预警→红色警告：计划开工时间已过61天"
    assert detail["added"] == "2023-08-31首次报送（已供地未动工）"
    assert detail["missing"] == "2023-08-31台账缺报，沿用2023-07-31数据"
    assert out["change"].tolist() == [
        "完成目标节点",
        "超过计划节点时间",
        "转为红色警告",
        "新纳入清单",
        "本期缺报",
    ]


def test_since_widens_the_period():
    p, s = ledger()
    out = by_kind(changes(p, s, CFG, since="2023-07-01"))
    assert out["added"] == ["A", "B", "C", "D", "E"]
    assert "turned_red" not in out  # nobody was on the list on 2023-07-01


def test_as_of_the_first_report_sees_everything_as_new():
    p, s = ledger()
    out = changes(p, s, CFG, as_of=JUL)
    assert by_kind(out) == {"added": ["A", "B", "C", "E"]}  # D is reported in August only


def test_no_list_projects_gives_an_empty_frame():
    p, s = ledger()
    out = changes(p[~p["in_scope"]], s, CFG, as_of=AUG)
    assert out.empty and out.columns.tolist()[-1] == "kind"


def test_since_must_be_before_as_of():
    p, s = ledger()
    with pytest.raises(ValueError, match="since"):
        changes(p, s, CFG, since=AUG)
