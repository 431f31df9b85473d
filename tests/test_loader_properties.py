"""Property: whatever rows a ledger holds, every non-empty row is a project, structure or an issue."""

import tempfile
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from ledgers import ledger_grid, write_csv

import zqcampaign as zq

names = st.text(alphabet="甲乙丙丁项目公司厂abc123 ", min_size=1, max_size=8).filter(
    lambda s: s.strip()
)
money = st.one_of(
    st.integers(-100, 200000), st.sampled_from(["1亿", "0.5亿", "待定", "5,000", "约3亿元", ""])
)
dates = st.one_of(
    st.none(), st.sampled_from(["2023-08-15", "2023年8月", "8月底", "已开工", "2023-13-45", "/"])
)
project = st.tuples(
    names, st.just("某公司"), money, st.just(100), st.just(10), dates, dates, dates
).map(list)
structure = st.sampled_from(
    ["一、已签约未供地项目（3个）", "二、已供地未动工项目", "小计", "合计", "填表人：张三"]
)
garbage = st.tuples(st.none(), st.just("某公司"), st.integers(1, 9)).map(list)
rows = st.lists(st.one_of(project, structure, garbage), max_size=25)

HEADER = [
    "序号",
    "项目名称",
    "项目业主",
    "计划总投资（万元）",
    "年度计划投资",
    "1-8月完成投资",
    "签约时间",
    "供地时间",
    "开工时间",
]


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(rows)
def test_every_row_is_accounted_for(body):
    with tempfile.TemporaryDirectory() as tmp:
        write_csv(Path(tmp) / "四会市_2023年8月.csv", ledger_grid(body, header=HEADER))
        camp = zq.load(tmp)
    t = camp.summary.table
    assert camp.summary.balanced
    n_nonempty = 3 + len(body)  # title, date line, header, then every body row is non-empty
    assert int(t["rows_read"].sum()) == n_nonempty
    rejected = int(t["rejected_rows"].sum())
    row_issues = camp.issues[
        camp.issues["code"].isin(
            ["missing_name", "bad_money", "missing_investment", "duplicate_project"]
        )
    ]
    assert rejected == row_issues["row"].nunique()
    assert int(t["project_rows"].sum()) == len(camp.snapshots)
