"""zq.load on small ledgers built here, one per quirk of SPEC section 2."""

import datetime as dt

import pandas as pd
import pytest
from ledgers import HEADER, ledger_grid, write_csv, write_xls, write_xlsx

import zqcampaign as zq
from zqcampaign.schema import CANONICAL_COLUMNS

D = dt.datetime


def row(
    name,
    total=20000,
    *,
    signed=None,
    land=None,
    start=None,
    done=None,
    prod=None,
    p_land=None,
    p_start=None,
    p_done=None,
    problem=None,
    major=None,
    closed=None,
    owner="某公司",
):
    """One ledger row in HEADER order (without 序号)."""
    return [
        name,
        owner,
        total,
        5000,
        1000,
        signed,
        land,
        start,
        done,
        prod,
        p_land,
        p_start,
        p_done,
        problem,
        major,
        closed,
        "发改局",
        "张三",
    ]


def issues_of(camp, code):
    return camp.issues[camp.issues["code"] == code]


def assert_balanced(camp):
    t = camp.summary.table
    assert (
        t["rows_read"] == t["project_rows"] + t["structural_rows"] + t["rejected_rows"]
    ).all(), t
    assert camp.summary.balanced


# --- layout ---------------------------------------------------------------------------


def test_title_sections_totals_and_footer_are_structure_and_rows_balance(tmp_path):
    grid = ledger_grid(
        [
            "一、已签约未供地项目（2个）",
            row("甲项目", signed=D(2023, 3, 1)),
            row("乙项目", signed=D(2023, 4, 1)),
            "小计",
            "二、已供地未动工项目（1个）",
            row("丙项目", signed=D(2023, 1, 1), land=D(2023, 5, 1)),
            "小计",
            "合计",
            "填表人：张三    联系电话：0758-2222222",
        ]
    )
    write_xlsx(tmp_path / "四会市.xlsx", {"Sheet1": grid})
    camp = zq.load(tmp_path)
    assert_balanced(camp)
    t = camp.summary.table.iloc[0]
    assert (t.rows_read, t.project_rows, t.structural_rows, t.rejected_rows) == (12, 3, 9, 0)
    snap = camp.snapshots.set_index("name")
    assert snap.loc["甲项目", "category"] == "已签约未供地"
    assert snap.loc["丙项目", "category"] == "已供地未动工"
    assert set(snap["county"]) == {"四会市"}
    assert (snap["report_date"] == pd.Timestamp("2023-08-31")).all()
    assert list(camp.snapshots.columns[: len(CANONICAL_COLUMNS)]) == list(CANONICAL_COLUMNS)


def test_two_row_merged_header_reads_planned_and_actual_dates(tmp_path):
    top = [
        "序号",
        "项目名称",
        "计划总投资（万元）",
        "计划时间",
        None,
        None,
        "实际完成时间",
        None,
        None,
    ]
    sub = [None, None, None, "供地", "开工", "竣工", "供地", "开工", "竣工"]
    grid = [
        ["肇庆市制造业项目建设“大会战”项目清单（高要区）"],
        ["截至日期：2023年9月30日"],
        top,
        sub,
        ["三、已动工未竣工项目"],
        [
            1,
            "丁项目",
            30000,
            D(2023, 1, 1),
            D(2023, 3, 1),
            D(2024, 6, 30),
            D(2023, 1, 5),
            D(2023, 3, 10),
            None,
        ],
    ]
    merges = ["A3:A4", "B3:B4", "C3:C4", "D3:F3", "G3:I3"]
    write_xlsx(tmp_path / "高要区_2023年9月.xlsx", {"高要区": grid}, {"高要区": merges})
    camp = zq.load(tmp_path)
    assert_balanced(camp)
    p = camp.projects.iloc[0]
    assert p["planned_completion_on"] == pd.Timestamp("2024-06-30")
    assert p["started_on"] == pd.Timestamp("2023-03-10")
    assert p["land_supplied_on"] == pd.Timestamp("2023-01-05")
    assert p["category"] == "已动工未竣工" and p["county"] == "高要区"


def test_gbk_csv_with_two_row_header_and_no_merges(tmp_path):
    grid = [
        ["肇庆市制造业项目建设“大会战”项目清单（德庆县）"],
        ["截至日期：2023年8月31日"],
        ["序号", "项目名称", "总投资(亿元)", "计划时间", "", "实际时间", ""],
        ["", "", "", "开工", "竣工", "供地", "开工"],
        ["二、已供地未动工项目"],
        ["1", "德庆某厂", "0.8", "2023/9/1", "2024/3/1", "2023/6/1", ""],
    ]
    write_csv(tmp_path / "德庆县_2023年8月.csv", grid, encoding="gbk")
    camp = zq.load(tmp_path)
    assert_balanced(camp)
    p = camp.projects.iloc[0]
    assert p["total_investment"] == pytest.approx(8000.0)  # 0.8亿 from the header unit
    assert p["planned_start_on"] == pd.Timestamp("2023-09-01")
    assert p["land_supplied_on"] == pd.Timestamp("2023-06-01")
    assert p["in_scope"]  # north-west: 0.8亿 >= 0.5亿


def test_traditional_headers_and_full_width_digits(tmp_path):
    header = ["序號", "項目名稱", "計劃總投資（萬元）", "實際開工時間", "計劃竣工時間"]
    grid = [
        ["肇慶市製造業項目建設“大會戰”項目清單（懷集縣）"],
        ["截至日期：２０２３年８月３１日"],
        header,
        ["三、已動工未竣工項目"],
        [1, "懷集某廠", "１２０００", "2023年3月1日", "2024.1.31"],
    ]
    write_xlsx(tmp_path / "x.xlsx", {"Sheet1": grid})
    camp = zq.load(tmp_path)
    p = camp.projects.iloc[0]
    assert p["county"] == "怀集县" and p["name"] == "懷集某廠"
    assert p["total_investment"] == 12000 and p["started_on"] == pd.Timestamp("2023-03-01")
    assert p["category"] == "已动工未竣工"
    assert camp.snapshots["report_date"].iloc[0] == pd.Timestamp("2023-08-31")


def test_legacy_xls_loads(tmp_path):
    grid = ledger_grid(
        ["一、已签约未供地项目", row("封开项目", 6000, signed=D(2023, 2, 1))], county="封开县"
    )
    write_xls(tmp_path / "封开县_2023年8月.xls", {"封开县": grid})
    camp = zq.load(tmp_path)
    assert_balanced(camp)
    assert camp.projects["name"].tolist() == ["封开项目"]
    assert camp.files["format"].tolist() == ["xls"]


def test_ods_loads(tmp_path):
    pytest.importorskip("odf")
    grid = ledger_grid(
        ["一、已签约未供地项目", row("广宁项目", 6000, signed="2023-02-01")], county="广宁县"
    )
    width = max(len(r) for r in grid)
    frame = pd.DataFrame([r + [None] * (width - len(r)) for r in grid])
    frame.to_excel(tmp_path / "广宁县_2023年8月.ods", engine="odf", header=False, index=False)
    camp = zq.load(tmp_path)
    assert camp.projects["name"].tolist() == ["广宁项目"]
    assert camp.files["format"].tolist() == ["ods"]


def test_html_table_saved_as_xls_is_loaded(tmp_path):
    html = """<html><head><meta charset="utf-8"></head><body><table>
    <tr><td colspan="4">肇庆市制造业项目建设“大会战”项目清单（端州区）</td></tr>
    <tr><td colspan="4">截至日期：2023年8月31日</td></tr>
    <tr><th>序号</th><th>项目名称</th><th>计划总投资（万元）</th><th>开工时间</th></tr>
    <tr><td>1</td><td>端州网页项目</td><td>15000</td><td>2023-05-06</td></tr>
    </table></body></html>"""
    (tmp_path / "端州区_2023年8月.xls").write_text(html, encoding="utf-8")
    camp = zq.load(tmp_path)
    assert camp.projects["name"].tolist() == ["端州网页项目"]
    assert camp.projects["started_on"].iloc[0] == pd.Timestamp("2023-05-06")
    assert not issues_of(camp, "html_as_spreadsheet").empty


def test_city_workbook_takes_the_county_from_each_sheet_name(tmp_path):
    sheets = {
        c: ledger_grid(
            ["一、已签约未供地项目", row(f"{c}项目", signed=D(2023, 2, 1))],
            county=c,
            report="2023年10月31日",
        )
        for c in ("端州区", "鼎湖区", "肇庆新区")
    }
    for _c, grid in sheets.items():
        grid[0] = ["肇庆市制造业项目建设“大会战”项目清单"]  # the city title names no county
        grid[1] = ["截至日期：2023年10月31日"]
    write_xlsx(tmp_path / "肇庆市_2023年10月_项目清单.xlsx", sheets)
    camp = zq.load(tmp_path)
    assert dict(zip(camp.projects["name"], camp.projects["county"], strict=True)) == {
        "端州区项目": "端州区",
        "鼎湖区项目": "鼎湖区",
        "肇庆新区项目": "肇庆新区",
    }


def test_category_column_instead_of_sections(tmp_path):
    header = ["序号", "项目名称", "项目类别", "计划总投资（万元）"]
    grid = ledger_grid(
        [["A", "已签约未供地", 20000], ["B", "已供地未动工项目", 20000], ["C", "在建", 20000]],
        header=header,
    )
    write_xlsx(tmp_path / "四会市.xlsx", {"s": grid})
    camp = zq.load(tmp_path)
    assert camp.projects.set_index("name")["category"].to_dict() == {
        "A": "已签约未供地",
        "B": "已供地未动工",
        "C": "已动工未竣工",
    }


def test_planned_node_column_is_the_planned_date_of_the_goal(tmp_path):
    header = ["序号", "项目名称", "计划总投资（万元）", "计划完成节点时间"]
    grid = ledger_grid(
        [
            "一、已签约未供地项目",
            ["A", 20000, "2023-09-15"],
            "二、已供地未动工项目",
            ["B", 20000, "2023-10-15"],
            "三、已动工未竣工项目",
            ["C", 20000, "2023-11-15"],
        ],
        header=header,
    )
    write_xlsx(tmp_path / "四会市.xlsx", {"s": grid})
    p = zq.load(tmp_path).projects.set_index("name")
    assert p.loc["A", "planned_land_on"] == pd.Timestamp("2023-09-15")
    assert p.loc["B", "planned_start_on"] == pd.Timestamp("2023-10-15")
    assert p.loc["C", "planned_completion_on"] == pd.Timestamp("2023-11-15")
    assert p.loc["B", "planned_goal_on"] == pd.Timestamp("2023-10-15")


# --- scope boundaries ----------------------------------------------------------------


def test_exactly_one_yi_is_a_key_project_and_just_below_is_not(tmp_path):
    grid = ledger_grid(
        [
            "一、已签约未供地项目",
            row("整1亿", "1亿"),
            row("差一点", 9999.99),
            row("万元写法", "10000万元"),
        ]
    )
    write_xlsx(tmp_path / "四会市.xlsx", {"s": grid})
    camp = zq.load(tmp_path)
    scope = camp.projects.set_index("name")["in_scope"].to_dict()
    assert scope == {"整1亿": True, "差一点": False, "万元写法": True}
    out = issues_of(camp, "out_of_scope")
    assert out["value"].tolist() == ["9999.99"] and out["severity"].tolist() == ["info"]


def test_exactly_half_a_yi_is_a_key_project_in_the_north_west_only(tmp_path):
    for county in ("怀集县", "端州区"):
        grid = ledger_grid(["一、已签约未供地项目", row(f"{county}半亿", "0.5亿")], county=county)
        write_xlsx(tmp_path / f"{county}.xlsx", {"s": grid})
    scope = zq.load(tmp_path).projects.set_index("name")["in_scope"].to_dict()
    assert scope == {"怀集县半亿": True, "端州区半亿": False}


def test_date_equal_to_report_date_counts_and_a_later_one_is_reported(tmp_path):
    grid = ledger_grid(
        [
            "二、已供地未动工项目",
            row("当天开工", land=D(2023, 5, 1), start=D(2023, 8, 31)),
            row("次日开工", land=D(2023, 5, 1), start=D(2023, 9, 1)),
        ]
    )
    write_xlsx(tmp_path / "四会市.xlsx", {"s": grid})
    camp = zq.load(tmp_path)
    snap = camp.snapshots.set_index("name")
    assert snap.loc["当天开工", "stage"] == "已动工未竣工"
    assert snap.loc["次日开工", "stage"] == "已供地未动工"
    late = issues_of(camp, "date_after_report")
    assert late["value"].tolist() == ["2023-09-01"] and late["column"].tolist() == ["开工时间"]


# --- across snapshots ------------------------------------------------------------------


def _month(tmp_path, month, names, county="四会市", **kw):
    report = f"2023年{month}月{pd.Timestamp(2023, month, 1).days_in_month}日"
    grid = ledger_grid(
        ["一、已签约未供地项目", *[row(n, signed=D(2023, 3, 1), **kw) for n in names]],
        county=county,
        report=report,
    )
    write_xlsx(tmp_path / f"2023-{month:02d}" / f"{county}_2023年{month}月.xlsx", {"s": grid})


def _land_supplied_in_august(tmp_path):
    """甲 signed in July's ledger, land supplied in August's (二、已供地未动工项目)."""
    _month(tmp_path, 7, ["甲"])
    grid = ledger_grid(
        ["二、已供地未动工项目", row("甲", signed=D(2023, 3, 1), land=D(2023, 8, 10))],
        report="2023年8月31日",
    )
    write_xlsx(tmp_path / "2023-08" / "四会市_2023年8月.xlsx", {"s": grid})
    return zq.load(tmp_path)


def test_baseline_category_is_kept_and_latest_state_is_taken(tmp_path):
    camp = _land_supplied_in_august(tmp_path)
    p = camp.projects.iloc[0]
    assert p["category"] == "已签约未供地"  # baseline: July
    assert p["stage"] == "已供地未动工" and p["achieved_on"] == pd.Timestamp("2023-08-10")
    assert len(camp.snapshots) == 2 and len(camp.projects) == 1


def test_project_missing_from_a_later_snapshot_is_carried_forward_and_reported(tmp_path):
    _month(tmp_path, 7, ["甲", "乙"])
    _month(tmp_path, 8, ["甲"])
    camp = zq.load(tmp_path)
    p = camp.projects.set_index("name")
    assert p.loc["乙", "missing"] and not p.loc["甲", "missing"]
    assert p.loc["乙", "last_report_date"] == pd.Timestamp("2023-07-31")
    missing = issues_of(camp, "missing_from_snapshot")
    assert missing["value"].tolist() == ["乙"] and "2023-08-31" in missing["message"].iloc[0]


def test_project_id_given_in_one_month_identifies_the_unnamed_month_too(tmp_path):
    header = ["序号", "项目编号", "项目名称", "计划总投资（万元）"]
    g7 = ledger_grid(
        ["一、已签约未供地项目", ["SH-001", "甲项目", 20000]], header=header, report="2023年7月31日"
    )
    g8 = ledger_grid(
        ["一、已签约未供地项目", [None, "甲项目", 20000]], header=header, report="2023年8月31日"
    )
    write_xlsx(tmp_path / "7" / "四会市_2023年7月.xlsx", {"s": g7})
    write_xlsx(tmp_path / "8" / "四会市_2023年8月.xlsx", {"s": g8})
    camp = zq.load(tmp_path)
    assert camp.projects["project_id"].tolist() == ["SH-001"]
    assert camp.snapshots["project_id"].tolist() == ["SH-001", "SH-001"]


def test_duplicate_row_in_one_ledger_is_reported_and_not_counted_twice(tmp_path):
    grid = ledger_grid(["一、已签约未供地项目", row("甲"), row("乙"), row("甲")])
    write_xlsx(tmp_path / "四会市.xlsx", {"s": grid})
    camp = zq.load(tmp_path)
    assert_balanced(camp)
    assert len(camp.snapshots) == 2
    dup = issues_of(camp, "duplicate_project")
    assert dup["row"].tolist() == [7]
    assert camp.summary.table["rejected_rows"].iloc[0] == 1


# --- bad rows --------------------------------------------------------------------------


def test_bad_rows_are_reported_with_file_sheet_row_column_and_value(tmp_path):
    grid = ledger_grid(
        [
            "一、已签约未供地项目",
            row("好项目"),
            [None, "某公司", 30000],  # no name
            row("总投资待定", "待定"),
            row("坏日期", signed="2023-13-45"),
            row("负投资", -500),
            "二、已供地未动工项目",
            row("类别不符", signed=D(2023, 1, 1), land=D(2023, 2, 1), start=D(2023, 6, 1)),
        ]
    )
    write_xlsx(tmp_path / "2023-08" / "四会市_2023年8月项目清单.xlsx", {"四会市": grid})
    camp = zq.load(tmp_path)
    assert_balanced(camp)
    got = {
        (r.code, r.row, r.column, r.value)
        for r in camp.issues.itertuples()
        if r.code
        in {"missing_name", "bad_money", "bad_date", "negative_money", "category_conflict"}
    }
    assert got == {
        ("missing_name", 6, "项目名称", "某公司"),
        ("bad_money", 7, "计划总投资（万元）", "待定"),
        ("bad_date", 8, "签约时间", "2023-13-45"),
        ("negative_money", 9, "计划总投资（万元）", "-500"),
        ("category_conflict", 11, "项目类别", "已供地未动工"),
    }
    assert set(camp.issues["file"].dropna()) == {"2023-08/四会市_2023年8月项目清单.xlsx"}
    assert set(camp.projects["name"]) == {"好项目", "坏日期", "负投资", "类别不符"}
    assert camp.projects.set_index("name").loc["类别不符", "category"] == "已动工未竣工"
    t = camp.summary.table.iloc[0]
    assert (t.project_rows, t.rejected_rows) == (4, 2)


def test_unknown_county_in_a_county_column_is_reported(tmp_path):
    header = ["序号", "县（市、区）", "项目名称", "计划总投资（万元）"]
    grid = ledger_grid(
        ["一、已签约未供地项目", ["四会", "甲", 20000], ["火星区", "乙", 20000]], header=header
    )
    grid[0] = ["项目清单"]
    grid[1] = ["截至日期：2023年8月31日"]
    write_xlsx(tmp_path / "汇总.xlsx", {"s": grid})
    camp = zq.load(tmp_path)
    assert_balanced(camp)
    bad = issues_of(camp, "unknown_county")
    assert bad["value"].tolist() == ["火星区"] and bad["severity"].tolist() == ["error"]
    assert camp.projects["county"].tolist() == ["四会市"]


def test_county_in_title_disagreeing_with_file_name_is_a_conflict(tmp_path):
    grid = ledger_grid(["一、已签约未供地项目", row("甲")], county="高要区")
    write_xlsx(tmp_path / "四会市_2023年8月.xlsx", {"Sheet1": grid})
    camp = zq.load(tmp_path)
    conflict = issues_of(camp, "county_conflict")
    assert len(conflict) == 1 and "四会市" in conflict["message"].iloc[0]
    assert camp.projects["county"].tolist() == ["高要区"]  # title outranks the file name


def test_sheet_without_report_date_is_an_error_not_a_guess(tmp_path):
    grid = ledger_grid(["一、已签约未供地项目", row("甲")])
    grid[1] = ["填报单位：四会市发改局"]
    write_xlsx(tmp_path / "四会市.xlsx", {"Sheet1": grid})
    camp = zq.load(tmp_path)
    assert_balanced(camp)
    assert issues_of(camp, "no_report_date")["severity"].tolist() == ["error"]
    assert camp.projects.empty


# --- unreadable files ------------------------------------------------------------------


def test_unreadable_files_become_error_issues_and_the_rest_loads(tmp_path):
    write_xlsx(
        tmp_path / "四会市_2023年8月.xlsx", {"s": ledger_grid(["一、已签约未供地项目", row("甲")])}
    )
    (tmp_path / "坏文件.xlsx").write_bytes(b"PK\x03\x04" + b"\x00" * 100)
    (tmp_path / "空文件.xlsx").write_bytes(b"")
    (tmp_path / "图片.xls").write_bytes(bytes(range(256)) * 4)
    (tmp_path / "~$四会市_2023年8月.xlsx").write_bytes(b"lock")
    camp = zq.load(tmp_path)
    errors = camp.issues[camp.issues["severity"] == "error"].set_index("file")["code"].to_dict()
    assert errors == {
        "坏文件.xlsx": "corrupt_file",
        "空文件.xlsx": "empty_file",
        "图片.xls": "not_a_spreadsheet",
    }
    assert camp.projects["name"].tolist() == ["甲"]
    assert "~$四会市_2023年8月.xlsx" in set(issues_of(camp, "skipped_litter")["file"])


def test_a_single_unreadable_file_raises_a_ledger_error_naming_it(tmp_path):
    bad = tmp_path / "坏文件.xlsx"
    bad.write_bytes(b"")
    camp = zq.load(bad)
    assert camp.issues["code"].tolist() == ["empty_file"]
    assert "坏文件.xlsx" in camp.issues["message"].iloc[0]


def test_missing_source_raises():
    with pytest.raises(zq.NoLedgerFoundError, match="不存在"):
        zq.load("/no/such/folder")


def test_header_constants_are_all_recognised():
    from zqcampaign.parse.headers import match_header

    assert all(match_header(h).column for h in HEADER)


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "gbk", "gb18030"])
def test_csv_in_every_encoding_counties_use(tmp_path, encoding):
    grid = ledger_grid(
        ["一、已签约未供地项目", row("鼎湖某项目", signed="2023-03-01")], county="鼎湖区"
    )
    write_csv(tmp_path / "鼎湖区_2023年8月.csv", grid, encoding=encoding)
    camp = zq.load(tmp_path)
    assert camp.projects["name"].tolist() == ["鼎湖某项目"]
    assert camp.projects["county"].tolist() == ["鼎湖区"]
    assert camp.issues[camp.issues["severity"] != "info"].empty


def test_same_project_in_a_county_file_and_the_city_workbook_is_a_duplicate(tmp_path):
    grid = ledger_grid(["一、已签约未供地项目", row("甲")], county="四会市")
    write_xlsx(tmp_path / "四会市_2023年8月.xlsx", {"Sheet1": grid})
    write_xlsx(tmp_path / "肇庆市_2023年8月.xlsx", {"四会市": grid})
    camp = zq.load(tmp_path)
    assert_balanced(camp)
    assert len(camp.snapshots) == 1
    dup = issues_of(camp, "duplicate_project")
    assert len(dup) == 1 and "第 5 行" in dup["message"].iloc[0]


def test_hidden_sheet_is_loaded_and_reported(tmp_path):
    import openpyxl

    path = write_xlsx(
        tmp_path / "四会市_2023年8月.xlsx",
        {
            "可见": ledger_grid(["一、已签约未供地项目", row("甲")]),
            "隐藏": ledger_grid(["一、已签约未供地项目", row("乙")]),
        },
    )
    wb = openpyxl.load_workbook(path)
    wb["隐藏"].sheet_state = "hidden"
    wb.save(path)
    camp = zq.load(tmp_path)
    assert set(camp.projects["name"]) == {"甲", "乙"}
    hidden = issues_of(camp, "hidden_sheet")
    assert hidden["sheet"].tolist() == ["隐藏"]


def test_repeated_header_row_and_numbered_empty_rows_are_structure(tmp_path):
    grid = ledger_grid(["一、已签约未供地项目", row("甲")])
    grid.append(list(HEADER))  # a header repeated (printed pages)
    grid.append([7])  # a pre-numbered empty row
    write_xlsx(tmp_path / "四会市.xlsx", {"s": grid})
    camp = zq.load(tmp_path)
    assert_balanced(camp)
    t = camp.summary.table.iloc[0]
    assert (t.project_rows, t.rejected_rows) == (1, 0)


def test_a_file_with_no_ledger_header_anywhere_is_an_error(tmp_path):
    write_xlsx(tmp_path / "说明.xlsx", {"说明": [["本文件为填报说明"], ["请按模板填写"]]})
    camp = zq.load(tmp_path)
    assert_balanced(camp)
    errors = camp.issues[camp.issues["severity"] == "error"]
    assert errors["code"].tolist() == ["no_ledger"] and errors["file"].tolist() == ["说明.xlsx"]
    assert camp.files["error"].tolist() == ["no_ledger"]


def test_known_on_leaves_out_later_ledgers_and_rebuilds_the_latest_state(tmp_path):
    camp = _land_supplied_in_august(tmp_path)
    july = camp.known_on("2023-07-31")
    assert july.snapshots["report_date"].max() == pd.Timestamp("2023-07-31")
    p = july.projects.iloc[0]
    assert (
        pd.isna(p["land_supplied_on"])
        and p["stage"] == "已签约未供地"
        and p["category"] == "已签约未供地"
    )
    assert camp.known_on("2023-08-31").projects.equals(camp.projects)


def test_known_on_leaves_out_the_issues_of_later_ledgers(tmp_path):
    _month(tmp_path, 7, ["甲", "乙"])
    grid = ledger_grid(
        ["一、已签约未供地项目", row("甲", signed="2023-13-45")], report="2023年8月31日"
    )
    write_xlsx(tmp_path / "2023-08" / "四会市_2023年8月.xlsx", {"s": grid})
    camp = zq.load(tmp_path)
    assert {"bad_date", "missing_from_snapshot"} <= set(camp.issues["code"])
    july = camp.known_on("2023-07-31")
    assert not {"bad_date", "missing_from_snapshot"} & set(july.issues["code"])


def test_rows_that_tie_on_date_county_file_and_row_are_ordered_by_project(tmp_path):
    """Two sheets of one file, same county and date, a project on the same row of each:
    snapshots keep report order (date, county, file, row), ties by project id."""
    path = write_xlsx(
        tmp_path / "四会市.xlsx",
        {
            "一": ledger_grid([row("甲项目")]),
            "二": ledger_grid([row("乙项目")]),
        },
    )
    camp = zq.load(path)
    snaps = camp.snapshots
    assert list(snaps["source_row"]) == [4, 4]
    assert list(snaps["project_id"]) == sorted(snaps["project_id"])  # 乙 (U+4E59) first
    assert list(snaps["name"]) == ["乙项目", "甲项目"]


def test_adjacent_ties_treat_missing_values_as_equal():
    from zqcampaign.model.assembly import _adjacent_ties

    frame = pd.DataFrame(
        {
            "d": pd.to_datetime(["2023-08-31", "2023-08-31", None, None]),
            "c": pd.Series(["四会市", "四会市", None, None], dtype="str"),
            "r": [4, 5, 4, 4],
        }
    )
    assert _adjacent_ties(frame, ["d", "c", "r"])  # the two all-missing rows
    assert not _adjacent_ties(frame.iloc[:3], ["d", "c", "r"])
    assert not _adjacent_ties(frame.iloc[:1], ["d", "c", "r"])
