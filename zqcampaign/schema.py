"""Canonical names: columns of the snapshot and project tables, categories and stages.

Chinese lives at the edges: the loader maps ledger headers onto these snake_case columns,
and charts and workbooks map them back to the Chinese labels below.
"""

from __future__ import annotations

__all__ = [
    "BOOL_COLUMNS",
    "CANONICAL_COLUMNS",
    "CATEGORIES",
    "CATEGORY_CODES",
    "CATEGORY_GOAL",
    "COLUMN_LABELS",
    "DATE_COLUMNS",
    "DETAIL_COLUMNS",
    "DETAIL_DATE_COLUMNS",
    "DETAIL_MONEY_COLUMNS",
    "DETAIL_TEXT_COLUMNS",
    "HEADER_TARGETS",
    "MILESTONES",
    "MONEY_CEILING",
    "MONEY_COLUMNS",
    "PLANNED",
    "STAGES",
    "STAGE_INDEX",
    "TEXT_COLUMNS",
]

# Actual milestones in the order a project passes them.
MILESTONES: tuple[str, ...] = (
    "signed_on",
    "land_supplied_on",
    "started_on",
    "completed_on",
    "in_production_on",
)

# Stage labels: the stage a project is in once the milestone at the same index is reached.
STAGES: tuple[str, ...] = ("已签约未供地", "已供地未动工", "已动工未竣工", "已竣工", "已投产")
STAGE_INDEX: dict[str, int] = {label: i for i, label in enumerate(STAGES)}

# The "three categories" (三类项目): label -> code, and the milestone that is each one's goal.
CATEGORY_CODES: dict[str, str] = {
    "已签约未供地": "signed_not_supplied",
    "已供地未动工": "supplied_not_started",
    "已动工未竣工": "started_not_completed",
}
CATEGORIES: tuple[str, ...] = tuple(CATEGORY_CODES)
CATEGORY_GOAL: dict[str, str] = {
    "已签约未供地": "land_supplied_on",
    "已供地未动工": "started_on",
    "已动工未竣工": "completed_on",
}
# Planned date of each goal milestone.
PLANNED: dict[str, str] = {
    "land_supplied_on": "planned_land_on",
    "started_on": "planned_start_on",
    "completed_on": "planned_completion_on",
}

CANONICAL_COLUMNS: tuple[str, ...] = (
    "project_id",
    "name",
    "county",
    "owner",
    "industry",
    "category",
    "in_scope",
    "total_investment",
    "annual_plan",
    "ytd_actual",
    "signed_on",
    "land_supplied_on",
    "started_on",
    "completed_on",
    "in_production_on",
    "planned_land_on",
    "planned_start_on",
    "planned_completion_on",
    "progress",
    "problems",
    "problem_major",
    "problem_closed",
    "problem_deadline",
    "supervision_level",
    "responsible_unit",
    "responsible_person",
    "remarks",
    "report_date",
    "source_file",
    "source_sheet",
    "source_row",
)

# Further columns real ledgers carry: read and kept in the snapshots (after ``stage``),
# not needed by any figure. ``project_code`` (项目代码, the national investment project
# code) is the project's id when the ledger has no 项目编号.
DETAIL_TEXT_COLUMNS: tuple[str, ...] = (
    "project_code",
    "location",
    "planned_years",
    "nature",
    "leader",
    "scale",
)
DETAIL_DATE_COLUMNS: tuple[str, ...] = ("landed_on",)
DETAIL_MONEY_COLUMNS: tuple[str, ...] = ("cumulative_actual",)  # [万元] since the start
DETAIL_COLUMNS: tuple[str, ...] = (
    *DETAIL_TEXT_COLUMNS,
    *DETAIL_DATE_COLUMNS,
    *DETAIL_MONEY_COLUMNS,
)

DATE_COLUMNS: tuple[str, ...] = (
    *MILESTONES,
    "planned_land_on",
    "planned_start_on",
    "planned_completion_on",
    "problem_deadline",
    "report_date",  # last: the parser reads every other date column per row
)
MONEY_COLUMNS: tuple[str, ...] = ("total_investment", "annual_plan", "ytd_actual")  # [万元]
BOOL_COLUMNS: tuple[str, ...] = ("problem_major", "problem_closed")
TEXT_COLUMNS: tuple[str, ...] = (
    "project_id",
    "name",
    "county",
    "owner",
    "industry",
    "category",
    "progress",
    "problems",
    "supervision_level",
    "responsible_unit",
    "responsible_person",
    "remarks",
)

# Chinese labels for output (workbooks, charts, slides).
COLUMN_LABELS: dict[str, str] = {
    "project_id": "项目编号",
    "name": "项目名称",
    "county": "县（市、区）",
    "owner": "项目业主",
    "industry": "所属行业",
    "category": "项目类别",
    "in_scope": "纳入统计",
    "total_investment": "计划总投资（万元）",
    "annual_plan": "年度计划投资（万元）",
    "ytd_actual": "年度累计完成投资（万元）",
    "signed_on": "签约时间",
    "land_supplied_on": "供地时间",
    "started_on": "开工时间",
    "completed_on": "竣工时间",
    "in_production_on": "投产时间",
    "planned_land_on": "计划供地时间",
    "planned_start_on": "计划开工时间",
    "planned_completion_on": "计划竣工时间",
    "progress": "项目进展",
    "problems": "存在问题",
    "problem_major": "是否重大问题",
    "problem_closed": "问题是否销号",
    "problem_deadline": "解决时限",
    "supervision_level": "督办类型",
    "responsible_unit": "责任单位",
    "responsible_person": "责任人",
    "remarks": "备注",
    "report_date": "截至日期",
    "project_code": "项目代码",
    "location": "项目属地",
    "planned_years": "建设起止年限",
    "nature": "建设性质",
    "leader": "挂钩领导",
    "scale": "建设内容及规模",
    "landed_on": "落地时间",
    "cumulative_actual": "开工以来累计完成投资（万元）",
    "source_file": "来源文件",
    "source_sheet": "工作表",
    "source_row": "行号",
    "stage": "当前阶段",
    "flag": "标识",
    "reason": "原因",
}

# What a ledger header may be mapped to (the ``[columns]`` table of ``zqcampaign.toml``).
HEADER_TARGETS: tuple[str, ...] = (
    *(
        c
        for c in CANONICAL_COLUMNS
        if c not in ("in_scope", "source_file", "source_sheet", "source_row")
    ),
    *DETAIL_COLUMNS,
)


MONEY_CEILING = 1e10
"""Largest amount a cell may hold [万元] (1,000,000 亿元, beyond any project: a slip of digits or
units, or 1e308 that would overflow the county totals); above it the value is refused. Amounts
above ``[thresholds] large_money`` (default 1,000 亿元) are read with a warning."""
