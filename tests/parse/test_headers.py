"""Header spellings -> canonical columns, with money units."""

import pytest

from zqcampaign.parse.headers import IGNORED, PLANNED_GOAL, SEQ, match_header, override_for


@pytest.mark.parametrize(
    ("header", "column"),
    [
        ("序号", SEQ),
        ("项目名称", "name"),
        ("項目名稱", "name"),
        ("项目编号", "project_id"),
        ("项目业主", "owner"),
        ("建设单位", "owner"),
        ("所属行业", "industry"),
        ("项目类别", "category"),
        ("计划总投资（万元）", "total_investment"),
        ("总投资(亿元)", "total_investment"),
        ("计划投资额", "total_investment"),
        ("計劃總投資（萬元）", "total_investment"),
        ("2023年计划投资（万元）", "annual_plan"),
        ("年度计划投资", "annual_plan"),
        ("1-8月完成投资（万元）", "ytd_actual"),
        ("１－８月完成投资", "ytd_actual"),
        ("年度累计完成投资", "ytd_actual"),
        ("签约时间", "signed_on"),
        ("供地时间", "land_supplied_on"),
        ("实际开工时间", "started_on"),
        ("开工时间", "started_on"),
        ("动工时间", "started_on"),
        ("竣工时间", "completed_on"),
        ("投产时间", "in_production_on"),
        ("计划供地时间", "planned_land_on"),
        ("计划开工时间", "planned_start_on"),
        ("计划竣工时间", "planned_completion_on"),
        ("计划完成节点时间", PLANNED_GOAL),
        ("计划节点时间", PLANNED_GOAL),
        ("完成时限", PLANNED_GOAL),
        ("项目进展", "progress"),
        ("进展情况", "progress"),
        ("存在问题", "problems"),
        ("是否重大问题", "problem_major"),
        ("是否销号", "problem_closed"),
        ("销号情况", "problem_closed"),
        ("责任单位", "responsible_unit"),
        ("责任人", "responsible_person"),
        ("备注", "remarks"),
        ("县（市、区）", "county"),
        ("截至日期", "report_date"),
    ],
)
def test_header_spellings(header, column):
    assert match_header(header).column == column


@pytest.mark.parametrize(
    ("parent", "child", "column"),
    [
        ("计划时间", "供地", "planned_land_on"),
        ("计划时间", "开工", "planned_start_on"),
        ("计划时间", "竣工", "planned_completion_on"),
        ("实际完成时间", "签约", "signed_on"),
        ("实际完成时间", "开工", "started_on"),
        ("实际完成时间", "投产", "in_production_on"),
        ("投资情况（万元）", "计划总投资", "total_investment"),
        ("投资情况（万元）", "1-8月完成", "ytd_actual"),
    ],
)
def test_two_row_header_combines_parent_and_child(parent, child, column):
    assert match_header(child, parent).column == column


@pytest.mark.parametrize(
    ("header", "unit"),
    [
        ("计划总投资（万元）", 1.0),
        ("总投资(亿元)", 10000.0),
        ("总投资（元）", 0.0001),
        ("计划投资额", 1.0),
    ],
)
def test_money_unit_from_header(header, unit):
    assert match_header(header).unit == unit


def test_unknown_header_is_unrecognised():
    assert match_header("项目亮点").column == ""


@pytest.mark.parametrize(
    ("header", "column"),
    [
        ("解决时限", "problem_deadline"),
        ("问题解决时限", "problem_deadline"),
        ("整改期限", "problem_deadline"),
        ("督办类型", "supervision_level"),
        ("督办方式", "supervision_level"),
        ("完成时限", "_planned_goal_on"),  # the goal's planned date, not the problem's
        ("项目类别", "category"),
    ],
)
def test_problem_register_headers(header, column):
    assert match_header(header).column == column


# -- by meaning (issue 13) ----------------------------------------------------------------


@pytest.mark.parametrize(
    ("header", "column", "planned"),
    [
        ("项目編號", "project_id", None),  # 編 is traditional: OpenCC folds it
        ("预计开工时间", "planned_start_on", True),
        ("拟竣工时间", "planned_completion_on", True),
        ("开工时间（计划）", "planned_start_on", True),
        ("力争供地时间", "planned_land_on", True),
        ("实际开工时间", "started_on", False),
        ("估算投资（万元）", "total_investment", None),
        ("投资总额", "total_investment", None),
        ("1-7月完成投资", "ytd_actual", False),
        ("1—7月完成投资", "ytd_actual", False),
        ("本年累计完成投资", "ytd_actual", False),
        ("年初至今完成投资", "ytd_actual", False),
        ("截至8月底累计完成投资", "ytd_actual", False),
        ("开工以来累计完成投资", "cumulative_actual", False),
        ("项目属地", "location", None),
        ("所属镇街", "location", None),
        ("建设起止年限", "planned_years", None),
        ("建设性质", "nature", None),
        ("落地时间", "landed_on", False),
        ("包挂领导", "leader", None),
        ("建设内容及规模", "scale", None),
        ("项目代码", "project_code", None),
    ],
)
def test_headers_by_meaning(header, column, planned):
    m = match_header(header)
    assert (m.column, m.planned) == (column, planned)


@pytest.mark.parametrize(
    ("header", "reason"),
    [
        ("至2009年底累计完成投资", "截至以前年度的累计投资，不是本年完成"),
        ("开工至上一年度底累计完成投资", "截至以前年度的累计投资，不是本年完成"),
        ("当月完成投资额", "当月完成投资，不是本年累计"),
        ("完成投资占年计划%", "百分比，由本程序按投资额计算"),
        ("完成年度投资计划%", "百分比，由本程序按投资额计算"),
        ("大干150天力争完成的投资额", "目标投资，不是计划或完成投资"),
        ("含税签约合同价（元）", "合同金额，不是项目投资"),
        ("企业类型", "企业属性，不是项目类别"),
        ("投资方式", "投资或建设方式，不是项目业主"),
    ],
)
def test_recognised_and_ignored_with_a_reason(header, reason):
    m = match_header(header)
    assert (m.column, m.reason) == (IGNORED, reason)


@pytest.mark.parametrize(
    ("parent", "child", "column"),
    [
        ("预计时间", "供地", "planned_land_on"),
        ("预计时间", "开工", "planned_start_on"),
        ("预计时间", "竣工", "planned_completion_on"),
        ("实际时间", "竣工", "completed_on"),
    ],
)
def test_a_planned_parent_makes_planned_children(parent, child, column):
    assert match_header(child, parent).column == column


def test_the_specific_year_to_date_outranks_the_plain_cumulative():
    assert match_header("1-7月完成投资").rank > match_header("累计完成投资").rank


def test_an_override_maps_or_ignores_a_header_by_its_key():
    from zqcampaign.text import header_key

    overrides = {header_key("项目亮点"): "remarks", header_key("预计时间/开工"): "ignore"}
    assert override_for(overrides, "项目亮点").column == "remarks"
    assert override_for(overrides, "开工", "预计时间").column == IGNORED
    assert override_for(overrides, "项目名称") is None
