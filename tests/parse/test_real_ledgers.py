"""Project lists as government offices really write them (issue 13): small ledgers built
here in each real shape — traditional characters, planned-date parents, cumulative and
year-to-date columns, totals and sections anywhere, period titles, partial two-row
headers, county aliases inside longer names, forms and contract ledgers."""

import datetime as dt

import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from ledgers import write_csv, write_xlsx

import zqcampaign as zq
from zqcampaign.errors import ConfigError

D = dt.datetime
TITLE = "肇庆市制造业项目建设“大会战”项目清单"


def codes(camp, severity=None):
    issues = camp.issues
    if severity is not None:
        issues = issues[issues["severity"] == severity]
    return list(issues["code"])


def balanced(camp):
    t = camp.summary.table
    return bool(
        (t["rows_read"] == t["project_rows"] + t["structural_rows"] + t["rejected_rows"]).all()
    )


# --- 1. traditional characters -----------------------------------------------------------

SIMPLIFIED = {
    "title": "肇庆市制造业项目建设“大会战”项目清单（四会市）",
    "date": "截至日期：2023年8月31日",
    "header": [
        "序号",
        "项目编号",
        "项目名称",
        "项目业主",
        "计划总投资（万元）",
        "1-8月完成投资（万元）",
        "实际开工时间",
        "计划竣工时间",
        "责任单位",
    ],
    "section": "三、已动工未竣工项目",
    "names": ["举办县级经济开发区项目", "四会广东电机装备制造项目"],
}
TRADITIONAL = {
    "title": "肇慶市製造業項目建設“大會戰”項目清單（四會市）",
    "date": "截至日期：2023年8月31日",
    "header": [
        "序號",
        "項目編號",
        "項目名稱",
        "項目業主",
        "計劃總投資（萬元）",
        "1-8月完成投資（萬元）",
        "實際開工時間",
        "計劃竣工時間",
        "責任單位",
    ],
    "section": "三、已動工未竣工項目",
    "names": ["舉辦縣級經濟開發區項目", "四會廣東電機裝備製造項目"],
}


def _script_grid(s):
    return [
        [s["title"]],
        [s["date"]],
        s["header"],
        [s["section"]],
        [
            1,
            "SH-001",
            s["names"][0],
            "某公司",
            30000,
            1200,
            D(2023, 3, 1),
            D(2024, 6, 30),
            "发改局",
        ],
        [2, "SH-002", s["names"][1], "某公司", 20000, 800, D(2023, 5, 1), D(2024, 3, 31), "发改局"],
        ["合计", None, None, None, 50000, 2000],
    ]


def test_traditional_ledger_loads_exactly_like_its_simplified_twin(tmp_path):
    write_xlsx(tmp_path / "s" / "四会市_2023年8月.xlsx", {"Sheet1": _script_grid(SIMPLIFIED)})
    write_xlsx(tmp_path / "t" / "四會市_2023年8月.xlsx", {"Sheet1": _script_grid(TRADITIONAL)})
    simp, trad = zq.load(tmp_path / "s"), zq.load(tmp_path / "t")
    figures = [
        "project_id",
        "county",
        "total_investment",
        "ytd_actual",
        "started_on",
        "planned_completion_on",
        "report_date",
        "stage",
        "category",
    ]
    pd.testing.assert_frame_equal(simp.projects[figures], trad.projects[figures])
    assert list(trad.projects["project_id"]) == ["SH-001", "SH-002"]  # 項目編號 understood
    assert list(trad.projects["name"]) == TRADITIONAL["names"]  # cells kept as typed
    assert codes(simp) == codes(trad) == []
    assert (
        simp.summary.table["structural_rows"].tolist()
        == trad.summary.table["structural_rows"].tolist()
        == [5]
    )


def test_a_project_named_in_traditional_then_simplified_is_one_project(tmp_path):
    for month, s in ((7, TRADITIONAL), (8, SIMPLIFIED)):
        grid = _script_grid(s)
        grid[1] = [f"截至日期：2023年{month}月31日"]
        for r in grid[4:6]:
            r[1] = None  # no ids: identity by county + name
        write_xlsx(tmp_path / f"四会市_2023年{month}月.xlsx", {"Sheet1": grid})
    camp = zq.load(tmp_path)
    assert len(camp.projects) == 2 and len(camp.snapshots) == 4


# --- 2. headers by meaning ---------------------------------------------------------------


def test_planned_headers_and_a_planned_parent_go_to_the_planned_columns(tmp_path):
    top = [
        "序号",
        "项目名称",
        "计划总投资（万元）",
        "预计开工时间",
        "拟竣工时间",
        "开工时间（计划）",
        "预计时间",
        None,
        None,
        "实际完成时间",
        None,
    ]
    sub = [None, None, None, None, None, None, "供地", "开工", "竣工", "开工", "竣工"]
    grid = [
        [TITLE + "（高要区）"],
        ["截至日期：2023年9月30日"],
        top,
        sub,
        [
            1,
            "甲项目",
            30000,
            D(2023, 4, 1),
            D(2024, 12, 31),
            None,
            D(2023, 2, 1),
            D(2023, 4, 1),
            D(2024, 6, 30),
            D(2023, 4, 10),
            None,
        ],
    ]
    merges = ["A3:A4", "B3:B4", "C3:C4", "D3:D4", "E3:E4", "F3:F4", "G3:I3", "J3:K3"]
    write_xlsx(tmp_path / "高要区_2023年9月.xlsx", {"Sheet1": grid}, {"Sheet1": merges})
    camp = zq.load(tmp_path)
    p = camp.projects.iloc[0]
    assert p["started_on"] == pd.Timestamp("2023-04-10")  # the real 实际完成时间/开工
    assert pd.isna(p["completed_on"])  # not the planned 2024-06-30
    assert p["planned_land_on"] == pd.Timestamp("2023-02-01")
    cols = camp.columns.set_index("header")
    assert cols.loc["预计开工时间", "column"] == "planned_start_on"
    assert cols.loc["拟竣工时间", "column"] == "planned_completion_on"
    assert cols.loc["开工时间（计划）", "column"] == "ignored"  # same meaning as 预计开工时间
    assert "预计开工时间" in cols.loc["开工时间（计划）", "reason"]
    assert p["planned_start_on"] == pd.Timestamp("2023-04-01")
    assert p["planned_completion_on"] == pd.Timestamp("2024-12-31")
    assert cols.loc["预计时间/竣工", "planned"] == "计划"
    assert cols.loc["实际完成时间/竣工", "column"] == "completed_on"
    assert cols.loc["实际完成时间/开工", "planned"] == "实际"
    # three columns compete for planned_completion_on / planned_start_on: each choice named
    competing = camp.issues[camp.issues["code"].isin(["competing_columns", "duplicate_column"])]
    assert set(competing["column"]) == {"开工时间（计划）", "预计时间/开工", "预计时间/竣工"}
    assert "date_after_report" not in codes(camp)


INVESTMENT_HEADER = [
    "序号",
    "项目名称",
    "项目业主",
    "企业类型",
    "投资方式",
    "估算投资（万元）",
    "至2022年底累计完成投资（万元）",
    "开工至上一年度底累计完成投资",
    "累计完成投资",
    "1-7月完成投资（万元）",
    "当月完成投资额",
    "完成投资占年计划%",
    "2023年计划投资（万元）",
    "完成年度投资计划%",
    "大干150天力争完成的投资额",
    "含税签约合同价（元）",
    "签约时间",
    "开工以来累计完成投资",
]


def test_investment_kinds_are_kept_apart_and_the_specific_column_wins(tmp_path):
    grid = [
        [TITLE + "（四会市）"],
        ["2023年1-7月重点项目进展情况表"],
        INVESTMENT_HEADER,
        [
            1,
            "乙项目",
            "某公司",
            "民营企业",
            "独资",
            50000,
            9000,
            9000,
            12000,
            3000,
            400,
            "30%",
            10000,
            "30%",
            6000,
            1230000,
            D(2022, 5, 1),
            12000,
        ],
    ]
    write_xlsx(tmp_path / "四会市_2023年7月.xlsx", {"Sheet1": grid})
    camp = zq.load(tmp_path)
    s = camp.snapshots.iloc[0]
    assert s["total_investment"] == 50000  # 估算投资
    assert s["ytd_actual"] == 3000  # 1-7月, not 至2022年底累计 nor 当月 nor 累计
    assert s["annual_plan"] == 10000  # not 力争 nor a percentage
    assert s["cumulative_actual"] == 12000  # 开工以来累计
    assert s["signed_on"] == pd.Timestamp("2022-05-01")  # not the contract price
    assert s["owner"] == "某公司"  # not 投资方式
    assert s["report_date"] == pd.Timestamp("2023-07-31")
    cols = camp.columns.set_index("header")
    for header in (
        "企业类型",
        "投资方式",
        "至2022年底累计完成投资（万元）",
        "开工至上一年度底累计完成投资",
        "当月完成投资额",
        "完成投资占年计划%",
        "完成年度投资计划%",
        "大干150天力争完成的投资额",
        "含税签约合同价（元）",
        "累计完成投资",
    ):
        assert cols.loc[header, "column"] == "ignored", header
        assert cols.loc[header, "reason"], header
    assert (
        cols.loc["至2022年底累计完成投资（万元）", "reason"]
        == "截至以前年度的累计投资，不是本年完成"
    )
    competing = camp.issues[camp.issues["code"] == "competing_columns"]
    assert competing[["column", "value"]].values.tolist() == [
        ["累计完成投资", "1-7月完成投资（万元）"]
    ]
    # ignored columns holding data are warnings, each once
    ignored = camp.issues[camp.issues["code"] == "ignored_column"]
    assert set(ignored["severity"]) == {"warning"} and len(ignored) == 9
    assert "missing_investment" not in codes(camp)


def test_new_columns_are_read_and_the_project_code_is_the_id(tmp_path):
    header = [
        "序号",
        "项目代码",
        "项目名称",
        "项目属地",
        "建设起止年限",
        "建设性质",
        "落地时间",
        "挂钩领导",
        "建设内容及规模",
        "总投资（亿元）",
        "开工时间",
    ]
    grid = [
        [TITLE + "（广宁县）"],
        ["截至日期：2023年8月31日"],
        header,
        [
            1,
            "2301-441223-04-01-123456",
            "丙项目",
            "南街镇",
            "2023-2025",
            "续建",
            "2022年12月",
            "李副县长",
            "年产5万吨",
            1.5,
            D(2023, 3, 1),
        ],
        [
            2,
            "2301-441223-04-01-654321",
            "丁项目",
            "江屯镇",
            "2022-2024",
            "续建",
            "2021-06-01",
            "王副县长",
            "厂房2万平方米",
            0.8,
            D(2022, 3, 1),
        ],
    ]
    write_xlsx(tmp_path / "广宁县_2023年8月.xlsx", {"Sheet1": grid})
    camp = zq.load(tmp_path)
    s = camp.snapshots.set_index("name")
    assert s.loc["丙项目", "project_id"] == "2301-441223-04-01-123456"
    assert s.loc["丙项目", "location"] == "南街镇" and s.loc["丙项目", "leader"] == "李副县长"
    assert (
        s.loc["丙项目", "planned_years"] == "2023-2025" and s.loc["丙项目", "scale"] == "年产5万吨"
    )
    assert s.loc["丙项目", "landed_on"] == pd.Timestamp("2022-12-31")
    assert s.loc["丁项目", "landed_on"] == pd.Timestamp("2021-06-01")
    assert s.loc["丙项目", "total_investment"] == 15000
    # 续建 but started this year: the stage hint contradicts the date (丁 is consistent)
    conflict = camp.issues[camp.issues["code"] == "nature_conflict"]
    assert conflict["row"].tolist() == [4] and conflict["severity"].tolist() == ["warning"]
    assert "unrecognised_column" not in codes(camp)


# --- 3. structure rows anywhere -----------------------------------------------------------


def test_totals_and_section_labels_anywhere_are_structure_not_projects(tmp_path):
    header = ["序号", "项目名称", "项目业主", "总投资（万元）", "开工时间"]
    grid = [
        ["龙海市2023年重点项目清单"],
        ["截至日期：2023年8月31日"],
        header,
        [None, "龙海市合计14个", None, 1139260, None],
        ["其中：在建重点项目（90项）", None, None, 900000, None],
        ["（一）工业项目82个", None, None, 800000, None],
        ["一", "工业", None, 60000, None],
        [1, "戊项目", "某公司", 30000, D(2023, 3, 1)],
        [2, "己项目", "某公司", 20000, D(2023, 4, 1)],
        ["合计（14个）", None, None, 50000, None],
    ]
    write_xlsx(tmp_path / "四会市_2023年8月.xlsx", {"Sheet1": grid})
    camp = zq.load(tmp_path)
    assert sorted(camp.projects["name"]) == ["己项目", "戊项目"]
    assert camp.projects["total_investment"].sum() == 50000
    t = camp.summary.table.iloc[0]
    assert (t["project_rows"], t["structural_rows"], t["rejected_rows"]) == (2, 3 + 5, 0)
    assert "missing_name" not in codes(camp)
    assert codes(camp, "error") == []
    unknown = camp.issues[camp.issues["code"] == "unknown_section"]
    assert set(unknown["value"]) == {"（一）工业项目82个", "一"}


# --- 4. report dates from period wording --------------------------------------------------


@pytest.mark.parametrize(
    ("title", "expected"),
    [
        ("2023年1-8月全市重点项目进展情况表", "2023-08-31"),
        ("2023年1—8月重点项目进展情况", "2023-08-31"),
        ("2023年1至8月重点项目进展情况", "2023-08-31"),
        ("2023年前三季度重点项目情况", "2023-09-30"),
        ("2023年1-3季度重点项目情况", "2023-09-30"),
        ("2023年上半年重点项目情况", "2023-06-30"),
        ("2023年全年重点项目完成情况", "2023-12-31"),
        ("2023年8月下旬重点项目进展", "2023-08-31"),
        ("2023年8月中旬重点项目进展", "2023-08-20"),
    ],
)
def test_a_period_title_gives_the_end_of_the_period(tmp_path, title, expected):
    grid = [[title], ["序号", "项目名称", "总投资（万元）"], [1, "庚项目", 20000]]
    write_xlsx(tmp_path / "四会市重点项目.xlsx", {"Sheet1": grid})
    camp = zq.load(tmp_path)
    assert camp.snapshots["report_date"].tolist() == [pd.Timestamp(expected)]
    assert "report_date_conflict" not in codes(camp)


def test_a_bare_period_never_beats_a_written_date_and_a_conflict_is_reported(tmp_path):
    grid = [
        ["2023年前三季度重点项目情况"],
        ["序号", "项目名称", "总投资（万元）"],
        [1, "庚项目", 20000],
    ]
    write_xlsx(tmp_path / "四会市_2023年8月.xlsx", {"Sheet1": grid})
    camp = zq.load(tmp_path)
    assert camp.snapshots["report_date"].tolist() == [pd.Timestamp("2023-08-31")]
    conflict = camp.issues[camp.issues["code"] == "report_date_conflict"]
    assert conflict["value"].tolist() == ["2023-09-30"]


# --- 5. two-row headers with unknown children ----------------------------------------------


def test_a_two_row_header_with_unknown_children_is_a_header_not_a_data_row(tmp_path):
    top = [
        "序号",
        "项目名称",
        "计划总投资（万元）",
        "计划时间",
        None,
        "联系方式",
        None,
        None,
        "所在地区",
        None,
    ]
    sub = [
        None,
        None,
        None,
        "开工",
        "竣工",
        "电话",
        "邮编",
        "微信号",
        "省、直辖市、自治区",
        "街道门牌",
    ]
    grid = [
        [TITLE + "（端州区）"],
        ["截至日期：2023年8月31日"],
        top,
        sub,
        [
            1,
            "辛项目",
            30000,
            D(2023, 9, 1),
            D(2024, 9, 1),
            "0758-1234567",
            "526000",
            "abc",
            "广东省",
            "1号",
        ],
    ]
    merges = ["D3:E3", "F3:H3", "I3:J3"]
    write_xlsx(tmp_path / "端州区_2023年8月.xlsx", {"Sheet1": grid}, {"Sheet1": merges})
    camp = zq.load(tmp_path)
    assert list(camp.projects["name"]) == ["辛项目"]
    assert camp.projects["planned_start_on"].iloc[0] == pd.Timestamp("2023-09-01")
    assert codes(camp, "error") == []
    cols = camp.columns.set_index("header")
    assert cols.loc["联系方式/微信号", "column"] == "ignored"
    assert cols.loc["联系方式/微信号", "values"] == 1
    assert cols.loc["所在地区/街道门牌", "column"] == "ignored"
    assert camp.summary.table["structural_rows"].tolist() == [4]


# --- 6. county aliases at word boundaries -------------------------------------------------


@pytest.mark.parametrize("place", ["南太武滨海新区", "天津高新区"])
def test_an_alias_inside_a_longer_place_name_does_not_beat_the_file_name(tmp_path, place):
    grid = [
        [f"{place}重点项目清单"],
        ["截至日期：2023年8月31日"],
        ["序号", "项目名称", "总投资（万元）"],
        [1, "壬项目", 20000],
    ]
    write_xlsx(tmp_path / "四会市_2023年8月.xlsx", {"Sheet1": grid})
    camp = zq.load(tmp_path)
    assert camp.snapshots["county"].tolist() == ["四会市"]
    assert "county_conflict" not in codes(camp)


def test_the_generic_alias_still_names_the_county_as_a_whole_name(tmp_path):
    grid = [
        ["（新区）重点项目清单"],
        ["截至日期：2023年8月31日"],
        ["序号", "项目名称", "总投资（万元）"],
        [1, "壬项目", 20000],
    ]
    write_xlsx(tmp_path / "清单.xlsx", {"Sheet1": grid})
    assert zq.load(tmp_path).snapshots["county"].tolist() == ["肇庆新区"]


# --- 7. camp.columns and the [columns] override --------------------------------------------


def test_columns_show_how_every_source_column_was_understood(tmp_path):
    grid = [
        [TITLE + "（四会市）"],
        ["截至日期：2023年8月31日"],
        ["序号", "项目名称", "总投资(亿元)", "开工时间", "项目亮点"],
        [1, "癸项目", 2, "2023-03-01", "智能化"],
        [2, "子项目", "约3亿", "不详", None],
        [3, "丑项目", "abc", "待定", None],
    ]
    write_xlsx(tmp_path / "四会市_2023年8月.xlsx", {"Sheet1": grid})
    camp = zq.load(tmp_path)
    cols = camp.columns
    assert list(cols["source_column"]) == ["A", "B", "C", "D", "E"]
    assert set(cols["file"]) == {"四会市_2023年8月.xlsx"} and set(cols["sheet"]) == {"Sheet1"}
    row = cols.set_index("header")
    assert row.loc["总投资(亿元)", ["column", "unit", "values", "parsed", "failed"]].tolist() == [
        "total_investment",
        "亿元",
        3,
        2,
        1,
    ]
    assert row.loc["开工时间", ["column", "planned", "values", "parsed", "failed"]].tolist() == [
        "started_on",
        "实际",
        3,
        1,
        1,
    ]  # 待定 is "no date", not a failure
    assert row.loc["项目亮点", ["column", "values"]].tolist() == ["ignored", 1]
    unrec = camp.issues[camp.issues["code"] == "unrecognised_column"]
    assert unrec["severity"].tolist() == ["warning"]  # it holds data


def test_the_columns_table_of_the_config_maps_or_ignores_a_header(tmp_path):
    grid = [
        [TITLE + "（四会市）"],
        ["截至日期：2023年8月31日"],
        ["序号", "项目名称", "总投资（万元）", "项目亮点", "存在问题"],
        [1, "癸项目", 20000, "智能化", "用地未批"],
    ]
    write_xlsx(tmp_path / "四会市_2023年8月.xlsx", {"Sheet1": grid})
    camp = zq.load(tmp_path, config={"columns": {"项目亮点": "remarks", "存在问题": "ignore"}})
    s = camp.snapshots.iloc[0]
    assert s["remarks"] == "智能化" and pd.isna(s["problems"])
    row = camp.columns.set_index("header")
    assert row.loc["存在问题", "column"] == "ignored"
    assert "配置" in row.loc["存在问题", "reason"]


def test_an_unknown_canonical_name_in_the_columns_table_is_a_config_error_naming_the_key(tmp_path):
    (tmp_path / "zqcampaign.toml").write_text(
        '[columns]\n"项目亮点" = "highlight"\n', encoding="utf-8"
    )
    with pytest.raises(ConfigError) as info:
        zq.load_config(tmp_path)
    assert info.value.key == "columns.项目亮点" and "highlight" in str(info.value)


def test_columns_command_prints_the_mapping_in_chinese(tmp_path, capsys):
    from zqcampaign.cli import main

    grid = [
        [TITLE + "（四会市）"],
        ["截至日期：2023年8月31日"],
        ["序号", "项目名称", "总投资（万元）"],
        [1, "癸项目", 20000],
    ]
    write_xlsx(tmp_path / "四会市_2023年8月.xlsx", {"Sheet1": grid})
    assert main(["columns", str(tmp_path), "--quiet"]) == 0
    out = capsys.readouterr().out
    assert "各列读法" in out and "计划总投资（万元） [total_investment]" in out and "万元" in out


# --- 8. not a project list -----------------------------------------------------------------


def test_a_form_sheet_is_said_once_to_be_no_project_list(tmp_path):
    form = [
        ["重点项目基本情况表"],
        ["项目名称", "某某智能制造项目", "计划总投资（万元）", 50000],
        ["项目业主", "某公司", "开工时间", "2023-03-01"],
        ["建设内容及规模", "年产10万台", "责任单位", "发改局"],
        ["存在问题", "用地", "责任人", "张三"],
    ]
    vertical = [
        ["项目名称", "某某项目"],
        ["项目业主", "某公司"],
        ["总投资（万元）", 5000],
        ["开工时间", "2023-03-01"],
    ]
    write_xlsx(tmp_path / "四会市_2023年8月.xlsx", {"表单": form, "竖表": vertical})
    camp = zq.load(tmp_path)
    assert codes(camp) == ["not_a_project_list", "not_a_project_list"]
    assert set(camp.issues["severity"]) == {"info"} and set(camp.issues["sheet"]) == {
        "表单",
        "竖表",
    }
    assert camp.issues["message"].str.contains("表单").all()  # a form, both ways
    assert camp.projects.empty and balanced(camp)


def test_a_contract_ledger_without_an_investment_column_is_no_project_list(tmp_path):
    header = [
        "序号",
        "项目名称",
        "合同名称",
        "含税签约合同价（元）",
        "付款金额（元）",
        "签约时间",
        "承包单位",
    ]
    rows = [
        [i, f"道路工程{i}", f"施工合同{i}", 1000000 * i, 50000 * i, "2023-05-01", "某建设公司"]
        for i in range(1, 41)
    ]
    write_xlsx(
        tmp_path / "四会市_2023年8月.xlsx", {"合同台账": [["2023年合同台账"], header, *rows]}
    )
    camp = zq.load(tmp_path)
    assert codes(camp) == ["not_a_project_list"]
    assert "投资列" in camp.issues["message"].iloc[0]
    assert camp.summary.table["rejected_rows"].tolist() == [42] and balanced(camp)


# --- hypothesis: any spelling of the vocabulary reads the same values -----------------------

VOCABULARY = {
    "name": ["项目名称", "項目名稱", "项目名"],
    "owner": ["项目业主", "建设单位", "项目单位", "業主單位"],
    "total_investment": [
        "计划总投资（万元）",
        "总投资",
        "估算投资（万元）",
        "投资总额（万元）",
        "計劃總投資（萬元）",
    ],
    "annual_plan": [
        "2023年计划投资（万元）",
        "年度计划投资",
        "本年计划投资",
        "年度投资计划",
        "全年计划投资",
    ],
    "ytd_actual": [
        "1-8月完成投资",
        "1—8月完成投资（万元）",
        "本年累计完成投资",
        "年初至今完成投资",
        "截至8月底累计完成投资",
        "1至8月完成投资",
        "１－８月完成投資",
    ],
    "started_on": ["开工时间", "实际开工时间", "动工时间", "開工時間"],
    "planned_start_on": [
        "计划开工时间",
        "预计开工时间",
        "拟开工时间",
        "开工时间（计划）",
        "目标开工时间",
    ],
    "planned_completion_on": ["计划竣工时间", "预计竣工时间", "拟竣工时间", "竣工时间（计划）"],
    "location": ["项目属地", "所在地", "建设地点", "所属镇街"],
    "project_code": ["项目代码", "投资项目代码", "项目统一代码"],
}
CANONICAL = {k: v[0] for k, v in VOCABULARY.items()}
VALUES = [
    [
        "丙项目",
        "甲公司",
        30000,
        10000,
        4000,
        "2023-03-01",
        "2023-02-01",
        "2024-06-30",
        "南街镇",
        "2301-441200-04-01-000001",
    ],
    [
        "丁项目",
        "乙公司",
        12000,
        5000,
        0,
        None,
        "2023-10-01",
        "2025-01-31",
        "江屯镇",
        "2301-441200-04-01-000002",
    ],
]
DISTRACTORS = [
    "当月完成投资额",
    "完成投资占年计划%",
    "至2022年底累计完成投资",
    "企业类型",
    "大干100天力争完成投资",
]


def _ledger(spellings, distractor):
    header = ["序号", *spellings]
    rows = [[i + 1, *v] for i, v in enumerate(VALUES)]
    if distractor is not None:  # an ignored column placed first, holding figures
        header.insert(1, distractor)
        for r in rows:
            r.insert(1, 777)
    return [[TITLE + "（四会市）"], ["截至日期：2023年8月31日"], header, *rows]


@settings(
    max_examples=15, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    choice=st.fixed_dictionaries({k: st.sampled_from(v) for k, v in VOCABULARY.items()}),
    distractor=st.one_of(st.none(), st.sampled_from(DISTRACTORS)),
)
def test_any_spelling_from_the_vocabulary_loads_the_same_values_as_the_canonical_twin(
    tmp_path, choice, distractor
):
    twin_dir, spelled_dir = tmp_path / "twin", tmp_path / "spelled"
    if not twin_dir.exists():
        write_csv(twin_dir / "四会市_2023年8月.csv", _ledger(list(CANONICAL.values()), None))
    write_csv(
        spelled_dir / "四会市_2023年8月.csv", _ledger([choice[k] for k in VOCABULARY], distractor)
    )
    twin, spelled = zq.load(twin_dir), zq.load(spelled_dir)
    cols = [*VOCABULARY, "project_id", "county", "report_date"]
    pd.testing.assert_frame_equal(twin.snapshots[cols], spelled.snapshots[cols])
    assert codes(spelled, "error") == []


def test_a_list_with_unknown_headers_beside_known_ones_is_still_a_list(tmp_path):
    header = ["项目名称", "建设主体", "计划总投资（万元）", "项目亮点", "开工时间", "备用列"]
    grid = [
        [TITLE + "（四会市）"],
        ["截至日期：2023年8月31日"],
        header,
        ["广宁县供地示范项目", "某公司", 20000, "智能化", "2023-03-01", "x"],
        ["寅项目", "某公司", 30000, None, "2023-04-01", None],
    ]
    write_xlsx(tmp_path / "四会市_2023年8月.xlsx", {"Sheet1": grid})
    camp = zq.load(tmp_path)
    assert sorted(camp.projects["total_investment"]) == [20000, 30000]
    assert "not_a_project_list" not in codes(camp)


def test_renaming_the_planned_parent_of_a_sample_ledger_changes_no_figure(tmp_path):
    import openpyxl

    src = "sample_data/2023-08/四会市_2023年8月项目清单.xlsx"
    wb = openpyxl.load_workbook(src)
    renamed = [c for r in wb.active.iter_rows(max_row=4) for c in r if c.value == "计划时间"]
    assert len(renamed) == 1
    renamed[0].value = "预计时间"
    wb.save(tmp_path / "四会市_2023年8月项目清单.xlsx")
    before, after = zq.load(src), zq.load(tmp_path)
    cols = ["project_id", "completed_on", "planned_completion_on", "planned_start_on", "ytd_actual"]
    pd.testing.assert_frame_equal(before.snapshots[cols], after.snapshots[cols])
    assert codes(before) == codes(after)


def test_known_on_keeps_the_columns_of_the_ledgers_reported_by_then(tmp_path):
    for month in (7, 8):
        grid = [
            [TITLE + "（四会市）"],
            [f"截至日期：2023年{month}月{30 + (month == 7 or month == 8)}日"],
            ["序号", "项目名称", "总投资（万元）"],
            [1, "卯项目", 20000],
        ]
        write_xlsx(tmp_path / f"四会市_2023年{month}月.xlsx", {"Sheet1": grid})
    camp = zq.load(tmp_path)
    assert len(camp.columns) == 6
    july = camp.known_on("2023-07-31").columns
    assert set(july["file"]) == {"四会市_2023年7月.xlsx"} and len(july) == 3
