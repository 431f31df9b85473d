"""Next month's pre-filled ledger: what it holds, its validations and protection, and that a
filled one reads back exactly (openpyxl, and LibreOffice re-saving it as xlsx / xls / ods)."""

from __future__ import annotations

import datetime as dt
import shutil
import subprocess
from pathlib import Path

import openpyxl
import pandas as pd
import pytest
from ledgers import ledger_grid, write_xlsx

import zqcampaign as zq
from zqcampaign.cli import main
from zqcampaign.output.templates import INSTRUCTIONS_SHEET, LEDGER_SHEET, NEW_ROWS

D = dt.datetime
OCT = [
    ["华凯铝型材项目", "华凯公司", 20000, 5000, 3000, D(2023, 1, 5), None, None, None, None,
     D(2023, 10, 15), None, None, "环评未批复", "否", "否", "发改局", "张三"],
    ["中顺日化项目", "中顺公司", 15000, 4000, 2000, D(2023, 2, 5), D(2023, 5, 1), None, None,
     None, None, D(2023, 11, 20), None, None, None, None, "工信局", "李四"],
]  # fmt: skip
NOV = [
    ["华凯铝型材项目", "华凯公司", 20000, 5000, 3500, D(2023, 1, 5), None, None, None, None,
     D(2023, 12, 15), None, None, "环评未批复", "否", "否", "发改局", "张三"],
    ["中顺日化项目", "中顺公司", 15000, 4000, 2600, D(2023, 2, 5), D(2023, 5, 1), None, None,
     None, None, D(2023, 11, 20), None, "施工用电未接入", "是", "否", "工信局", "李四"],
    ["西江电池项目", "西江公司", 30000, 8000, 6000, D(2022, 5, 1), D(2022, 9, 1), D(2023, 3, 1),
     None, None, None, None, D(2024, 6, 30), None, None, None, "工信局", "王五"],
]  # fmt: skip
HUAIJI = [
    ["怀集陶瓷项目", "陶瓷公司", 8000, 2000, 900, D(2023, 3, 1), None, None, None, None,
     D(2023, 9, 30), None, None, None, None, None, "怀集县发改局", "赵六"],
]  # fmt: skip


@pytest.fixture
def history(tmp_path):
    files = [
        write_xlsx(
            tmp_path / "in/10/四会市.xlsx", {"S": ledger_grid(OCT, report="2023年10月31日")}
        ),
        write_xlsx(
            tmp_path / "in/11/四会市.xlsx", {"S": ledger_grid(NOV, report="2023年11月30日")}
        ),
        write_xlsx(
            tmp_path / "in/11/怀集县.xlsx",
            {"S": ledger_grid(HUAIJI, county="怀集县", report="2023年11月30日")},
        ),
    ]
    return files


@pytest.fixture
def made(history, tmp_path):
    camp = zq.load(history)
    files = camp.templates(tmp_path / "out", month="2023-12")
    return camp, {f.name.split("_")[1]: f for f in files}


def column_of(ws, header):
    for cell in ws[3]:
        if cell.value == header:
            return cell.column_letter
    raise AssertionError(header)


def row_of(ws, name):
    for row in ws.iter_rows(min_row=4):
        if row[2].value == name:
            return row[0].row
    raise AssertionError(name)


def test_one_template_per_county_with_projects_named_by_month(made):
    _, files = made
    assert sorted(files) == ["四会市", "怀集县"]
    assert files["四会市"].name == "2023-12_四会市_项目台账.xlsx"
    wb = openpyxl.load_workbook(files["四会市"])
    assert wb.sheetnames == [LEDGER_SHEET, INSTRUCTIONS_SHEET]
    ws = wb[LEDGER_SHEET]
    assert ws["A1"].value == "肇庆市制造业项目建设“大会战”项目清单（四会市）"
    assert "截至日期：2023年12月31日" in ws["A2"].value
    assert ws["H3"].value == "1-12月完成投资（万元）"
    assert "锁定" in wb[INSTRUCTIONS_SHEET]["A4"].value


def test_projects_are_grouped_by_baseline_category_with_last_values(made):
    _, files = made
    ws = openpyxl.load_workbook(files["四会市"])[LEDGER_SHEET]
    firsts = [ws.cell(r, 1).value for r in range(4, 10)]
    assert firsts[0] == "一、已签约未供地项目（1个）"
    assert "二、已供地未动工项目（1个）" in firsts and "三、已动工未竣工项目（1个）" in firsts
    r = row_of(ws, "中顺日化项目")
    cell = {ws.cell(3, c).value: ws.cell(r, c).value for c in range(1, ws.max_column + 1)}
    assert cell["项目编号"] == "四会市:中顺日化项目"
    assert cell["1-12月完成投资（万元）"] == 2600
    assert cell["供地时间"] == D(2023, 5, 1) and cell["计划开工时间"] == D(2023, 11, 20)
    # the open major problem with its register deadline (15 days) and 督办 type
    assert (cell["存在问题"], cell["是否重大问题"], cell["是否销号"]) == (
        "施工用电未接入",
        "是",
        "否",
    )
    assert (cell["解决时限"], cell["督办类型"]) == (D(2023, 12, 15), "现场")
    kaihua = row_of(ws, "华凯铝型材项目")
    # opened 31 Oct, 30 days: due 30 Nov
    assert ws[f"{column_of(ws, '解决时限')}{kaihua}"].value == D(2023, 11, 30)


def test_validations_read_back(made):
    _, files = made
    ws = openpyxl.load_workbook(files["四会市"])[LEDGER_SHEET]
    by_col = {}
    for dv in ws.data_validations.dataValidation:
        for rng in dv.sqref.ranges:
            by_col[rng.coord.split(":")[0].rstrip("0123456789")] = dv
    cat = by_col[column_of(ws, "项目类别")]
    assert cat.type == "list" and "已签约未供地" in cat.formula1
    for header in ("是否重大问题", "是否销号"):
        assert by_col[column_of(ws, header)].formula1 == '"是,否"'
    for header in ("开工时间", "计划竣工时间", "解决时限"):
        dv = by_col[column_of(ws, header)]
        assert dv.type == "date" and dv.showInputMessage and "日期" in dv.prompt
    money = by_col[column_of(ws, "计划总投资（万元）")]
    assert (money.type, money.operator, money.formula1) == ("decimal", "greaterThanOrEqual", "0")
    progress = by_col[column_of(ws, "形象进度")]
    assert progress.type == "list" and "主体施工" in progress.formula1
    assert by_col[column_of(ws, "督办类型")].formula1 == '"普通,现场,挂牌"'
    # the ranges reach the rows for new projects
    last = row_of(ws, "西江电池项目") + NEW_ROWS
    assert [r.max_row for r in cat.sqref.ranges] == [last]


def test_id_and_name_cells_are_locked_without_a_password(made):
    _, files = made
    ws = openpyxl.load_workbook(files["四会市"])[LEDGER_SHEET]
    assert ws.protection.sheet and not ws.protection.password
    r = row_of(ws, "华凯铝型材项目")
    assert ws[f"B{r}"].protection.locked and ws[f"C{r}"].protection.locked
    assert not ws[f"D{r}"].protection.locked and not ws[f"H{r}"].protection.locked
    new = row_of(ws, "西江电池项目") + 1
    assert not ws[f"B{new}"].protection.locked and not ws[f"C{new}"].protection.locked


def test_planned_dates_already_past_are_highlighted(made):
    _, files = made
    ws = openpyxl.load_workbook(files["四会市"])[LEDGER_SHEET]
    planned_start = column_of(ws, "计划开工时间")
    rules = {str(cf.sqref): rule for cf in ws.conditional_formatting for rule in cf.rules}
    rule = next(r for k, r in rules.items() if k.startswith(planned_start))
    assert len(rules) == 3  # one per planned milestone
    assert "DATE(2023,12,31)" in rule.formula[0]
    assert f'{column_of(ws, "开工时间")}4=""' in rule.formula[0]


def test_untouched_template_loads_without_an_issue_to_the_same_values(made, history):
    camp, files = made
    both = zq.load([*history, *files.values()])
    from_template = both.issues[both.issues["file"].str.contains("2023-12_")]
    assert from_template.empty, from_template["message"].tolist()
    assert len(both.issues) == len(camp.issues)
    dec = both.snapshots[both.snapshots["report_date"] == "2023-12-31"].set_index("project_id")
    nov = camp.snapshots[camp.snapshots["report_date"] == "2023-11-30"].set_index("project_id")
    assert sorted(dec.index) == sorted(nov.index)
    for col in ("name", "total_investment", "ytd_actual", "land_supplied_on", "started_on",
                "planned_start_on", "planned_completion_on", "responsible_person"):  # fmt: skip
        pd.testing.assert_series_equal(dec[col].sort_index(), nov[col].sort_index())
    assert dec.loc["四会市:中顺日化项目", "problems"] == "施工用电未接入"
    assert dec.loc["四会市:中顺日化项目", "problem_deadline"] == pd.Timestamp("2023-12-15")
    # the register carries the problem on: opened 30 Nov, still 推进中
    p = both.problems().set_index("project_id").loc["四会市:中顺日化项目"]
    assert (p["first_seen"], p["register_status"]) == (pd.Timestamp("2023-11-30"), "推进中")


def fill(path: Path) -> Path:
    """What a county does: a start, a crossed-off problem, a new project."""
    wb = openpyxl.load_workbook(path)
    ws = wb[LEDGER_SHEET]
    col = {c.value: c.column_letter for c in ws[3]}
    r = row_of(ws, "中顺日化项目")
    ws[f"{col['开工时间']}{r}"] = D(2023, 12, 8)
    ws[f"{col['项目类别']}{r}"] = "已动工未竣工"
    ws[f"{col['1-12月完成投资（万元）']}{r}"] = 3100.5
    ws[f"{col['是否销号']}{r}"] = "是"
    new = row_of(ws, "西江电池项目") + 1
    for header, value in {
        "项目名称": "新能源电机项目",
        "项目业主": "新能公司",
        "项目类别": "已签约未供地",
        "计划总投资（万元）": 12000,
        "签约时间": D(2023, 12, 1),
        "计划供地时间": D(2024, 3, 31),
        "存在问题": "用地指标待落实",
        "是否重大问题": "否",
        "解决时限": D(2024, 1, 20),
        "督办类型": "普通",
        "责任单位": "自然资源局",
        "责任人": "孙七",
    }.items():
        ws[f"{col[header]}{new}"] = value
    out = path.with_name("filled_" + path.name)
    wb.save(out)
    return out


FILLED = {
    "started_on": pd.Timestamp("2023-12-08"),
    "ytd_actual": 3100.5,
    "problem_closed": True,
}


def december(camp):
    s = camp.snapshots
    return s[s["report_date"] == "2023-12-31"].set_index("name")


def check_filled(camp):
    dec = december(camp)
    zs = dec.loc["中顺日化项目"]
    assert (zs["started_on"], zs["ytd_actual"], bool(zs["problem_closed"])) == tuple(
        FILLED.values()
    )
    new = dec.loc["新能源电机项目"]
    assert (new["county"], new["total_investment"], new["signed_on"]) == (
        "四会市",
        12000,
        pd.Timestamp("2023-12-01"),
    )
    assert (new["problem_deadline"], new["supervision_level"]) == (
        pd.Timestamp("2024-01-20"),
        "普通",
    )
    proj = camp.projects.set_index("name")
    assert proj.loc["新能源电机项目", "category"] == "已签约未供地"
    assert proj.loc["中顺日化项目", "stage"] == "已动工未竣工"
    reg = camp.problems().set_index("problem")
    assert reg.loc["施工用电未接入", "register_status"] == "已销号"
    assert reg.loc["用地指标待落实", "register_status"] == "新增"
    return dec


def test_template_filled_with_openpyxl_reads_back_exactly(made, history):
    _, files = made
    filled = fill(files["四会市"])
    camp = zq.load([*history, filled])
    assert camp.issues.empty, camp.issues["message"].tolist()
    check_filled(camp)


SOFFICE = shutil.which("soffice") or shutil.which("libreoffice")


@pytest.mark.skipif(SOFFICE is None, reason="LibreOffice (soffice) is not installed")
@pytest.mark.parametrize("fmt", ["xlsx", "xls", "ods"])
def test_template_resaved_by_libreoffice_reads_back_the_same(made, history, tmp_path, fmt):
    _, files = made
    filled = fill(files["四会市"])
    out = tmp_path / f"lo_{fmt}"
    subprocess.run(
        [SOFFICE, "--headless", f"-env:UserInstallation=file://{tmp_path}/lo_profile",
         "--convert-to", fmt, "--outdir", str(out), str(filled)],
        check=True, capture_output=True, timeout=180,
    )  # fmt: skip
    (resaved,) = out.glob(f"*.{fmt}")
    camp = zq.load([*history, resaved])
    assert camp.issues.empty, camp.issues["message"].tolist()
    direct = december(zq.load([*history, filled]))
    got = check_filled(camp)
    cols = ["total_investment", "ytd_actual", "signed_on", "land_supplied_on", "started_on",
            "planned_land_on", "planned_start_on", "planned_completion_on", "problems",
            "problem_major", "problem_closed", "problem_deadline", "supervision_level",
            "responsible_unit", "responsible_person", "category"]  # fmt: skip
    pd.testing.assert_frame_equal(got[cols].sort_index(), direct[cols].sort_index())


def test_month_must_come_after_the_ledgers(history, tmp_path):
    camp = zq.load(history)
    with pytest.raises(ValueError, match="应晚于"):
        camp.templates(tmp_path, month="2023-11")


def test_january_template_leaves_the_new_year_plan_and_actual_empty(history, tmp_path):
    camp = zq.load(history)
    (path, *_) = camp.templates(tmp_path, month="2024-01", counties=["四会市"])
    ws = openpyxl.load_workbook(path)[LEDGER_SHEET]
    assert ws["G3"].value == "2024年计划投资（万元）" and ws["H3"].value == "1月完成投资（万元）"
    r = row_of(ws, "华凯铝型材项目")
    assert ws[f"G{r}"].value is None and ws[f"H{r}"].value is None
    assert ws[f"F{r}"].value == 20000


def test_cli_template_writes_the_files(history, tmp_path, capsys):
    src = history[0].parent.parent
    assert main(["template", str(src), "--month", "2023-12", "--out", str(tmp_path / "t")]) == 0
    assert sorted(p.name for p in (tmp_path / "t").iterdir()) == [
        "2023-12_四会市_项目台账.xlsx",
        "2023-12_怀集县_项目台账.xlsx",
    ]
    assert "2 个" in capsys.readouterr().out
