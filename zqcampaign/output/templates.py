"""Next month's ledger, pre-filled: one ``.xlsx`` per county to send out and read back.

``camp.templates("out/", month="2023-12")`` (or ``zqcampaign template SOURCE --month 2023-12
--out out/``) writes, for every county with projects, the ledger it should return: the title,
the ``截至日期`` line and the header the loader reads; its projects grouped under section rows
by baseline category (三类项目), with their ids and names locked and the last reported values
and dates filled in; the problems still open with their 解决时限 and 督办类型; empty rows for
new projects; drop-downs and typed cells (data validation), planned dates already past
highlighted, and a ``填表说明`` sheet. The sheet is protected without a password so that
only the id and name cells of listed projects are locked.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pandas as pd

from zqcampaign.config import SUPERVISION_LEVELS
from zqcampaign.schema import CATEGORIES, PLANNED, STAGES

if TYPE_CHECKING:
    from zqcampaign.campaign import Campaign

__all__ = [
    "INSTRUCTIONS_SHEET",
    "LEDGER_SHEET",
    "NEW_ROWS",
    "PROGRESS_STAGES",
    "TemplateColumn",
    "template_columns",
    "write_templates",
]

LEDGER_SHEET = "项目台账"
INSTRUCTIONS_SHEET = "填表说明"
NEW_ROWS = 20  # empty rows for new projects
# 形象进度 pick-list; other text is accepted after a warning (last month's wording stays)
PROGRESS_STAGES: tuple[str, ...] = (
    "前期工作",
    "办理用地手续",
    "土地平整",
    "基础施工",
    "主体施工",
    "装修及设备安装",
    "竣工验收",
    "试生产",
    "已投产",
)
_SECTION_NUMBERS = "一二三四五六七八九十"
_FIRST_ROW = 4  # title, 截至日期 line, header, then the body
_DATE_FORMAT = "yyyy-mm-dd"
_MONEY_FORMAT = "#,##0.00"


@dataclass(frozen=True)
class TemplateColumn:
    """One column of the template: canonical name, header, kind and width [characters]."""

    column: str
    header: str
    kind: str  # seq | id | name | text | category | money | date | bool | progress | level
    width: float = 12


def template_columns(month_end: pd.Timestamp) -> tuple[TemplateColumn, ...]:
    """The template's columns for the report month ending ``month_end``."""
    c = TemplateColumn
    return (
        c("_seq", "序号", "seq", 6),
        c("project_id", "项目编号", "id", 14),
        c("name", "项目名称", "name", 30),
        c("owner", "项目业主", "text", 22),
        c("category", "项目类别", "category", 14),
        c("total_investment", "计划总投资（万元）", "money", 16),
        c("annual_plan", f"{month_end.year}年计划投资（万元）", "money", 16),
        c("ytd_actual", f"{_months(month_end)}完成投资（万元）", "money", 16),
        c("signed_on", "签约时间", "date"),
        c("land_supplied_on", "供地时间", "date"),
        c("started_on", "开工时间", "date"),
        c("completed_on", "竣工时间", "date"),
        c("in_production_on", "投产时间", "date"),
        c("planned_land_on", "计划供地时间", "date"),
        c("planned_start_on", "计划开工时间", "date"),
        c("planned_completion_on", "计划竣工时间", "date"),
        c("progress", "形象进度", "progress", 24),
        c("problems", "存在问题", "text", 28),
        c("problem_major", "是否重大问题", "bool", 10),
        c("problem_closed", "是否销号", "bool", 10),
        c("problem_deadline", "解决时限", "date"),
        c("supervision_level", "督办类型", "level", 10),
        c("responsible_unit", "责任单位", "text", 20),
        c("responsible_person", "责任人", "text", 10),
        c("remarks", "备注", "text", 16),
    )


def _months(month_end: pd.Timestamp) -> str:
    return f"1-{month_end.month}月" if month_end.month > 1 else "1月"


def _month_end(month: object, as_of: pd.Timestamp) -> pd.Timestamp:
    if month is None:
        return (as_of + pd.offsets.MonthEnd(1)).normalize()
    try:
        stamp = pd.Timestamp(str(month) if not isinstance(month, dt.date) else month)
    except ValueError:
        raise ValueError(f"month 应为年月，如 2023-12；收到 {month!r}") from None
    return (stamp + pd.offsets.MonthEnd(0)).normalize()


def _cn_date(day: pd.Timestamp) -> str:
    return f"{day.year}年{day.month}月{day.day}日"


def _rows(camp: Campaign, county: str, register: pd.DataFrame) -> list[tuple[str, pd.DataFrame]]:
    """(section label, projects) of one county, by baseline category, ledger order."""
    p = camp.projects[camp.projects["county"] == county]
    open_ = register[(register["county"] == county) & (register["status"] == "open")]
    # one problem per ledger row: the latest open one
    open_ = open_.sort_values("first_seen", kind="stable").drop_duplicates(
        "project_id", keep="last"
    )
    p = p.merge(
        open_[["project_id", "problem", "major", "deadline", "level"]], on="project_id", how="left"
    )
    groups = []
    order = [*CATEGORIES, *(c for c in STAGES if c not in CATEGORIES)]
    for cat in order:
        part = p[p["category"] == cat].sort_values("source_row", kind="stable")
        if len(part):
            groups.append((cat, part))
    rest = p[~p["category"].isin(order)]
    if len(rest):
        groups.append(("", rest.sort_values("source_row", kind="stable")))
    return groups


def _value(col: str, row: pd.Series, new_year: bool) -> Any:
    """The cell pre-filled for a listed project (``new_year``: the template starts a year)."""
    if new_year and col in ("annual_plan", "ytd_actual"):
        return None  # a new year's plan and a new year-to-date
    has_problem = isinstance(row.get("problem"), str)
    if col == "category":
        stage = row["stage"]
        return stage if isinstance(stage, str) and stage in STAGES else row["category"]
    if col == "problems":
        return row["problem"] if has_problem else None
    if col == "problem_major":
        return ("是" if row["major"] else "否") if has_problem else None
    if col == "problem_closed":
        return "否" if has_problem else None
    if col == "problem_deadline":
        return row["deadline"].to_pydatetime() if has_problem else None
    if col == "supervision_level":
        return row["level"] if has_problem else None
    if col == "remarks":
        return None  # a new month's remarks
    value = row.get(col)
    if value is None or (not isinstance(value, str) and pd.isna(value)):
        return None
    if isinstance(value, pd.Timestamp):
        return value.to_pydatetime()
    if isinstance(value, float):
        return round(value, 2)
    return value


def write_templates(
    camp: Campaign,
    out_dir: str | Path,
    *,
    month: object = None,
    as_of: object = None,
    counties: Sequence[str] | None = None,
    new_rows: int = NEW_ROWS,
) -> list[Path]:
    """Write next month's pre-filled ledger of every county into ``out_dir``.

    Parameters
    ----------
    camp
        The loaded campaign.
    out_dir
        Folder for the files (created if missing); one ``<截至年月>_<county>_项目台账.xlsx``
        per county.
    month
        The month to report, e.g. ``"2023-12"``: its last day is the template's 截至日期.
        ``None``: the month after ``as_of``.
    as_of
        The ledgers the template starts from (default: the latest report date).
    counties
        Only these counties (default: every configured county with projects).
    new_rows
        Empty rows for new projects below the list.

    Returns
    -------
    list of pathlib.Path
        The files written, in configuration order.
    """
    import openpyxl

    when = camp.resolve_as_of(as_of)
    known = (
        camp.known_on(when)
        if camp.latest_report_date is not None and when < camp.latest_report_date
        else camp
    )
    month_end = _month_end(month, when)
    if month_end <= when:
        raise ValueError(f"模板月份 {month_end:%Y-%m} 应晚于所依据台账的截至日期 {when.date()}")
    if counties is None:
        present = set(known.projects["county"].dropna())
        counties = [c for c in camp.config.county_names if c in present]
    unknown = [c for c in counties if c not in camp.config.county_names]
    if unknown:
        raise ValueError(
            f"未知的县（市、区）：{'、'.join(unknown)}；可选：{'、'.join(camp.config.county_names)}"
        )
    register = known.problems(when)
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    written = []
    for county in counties:
        wb = openpyxl.Workbook()
        ws = wb.active
        ws.title = LEDGER_SHEET
        _write_ledger(
            ws, camp, county, _rows(known, county, register), month_end, new_rows=new_rows
        )
        _write_instructions(wb.create_sheet(INSTRUCTIONS_SHEET), camp, county, when, month_end)
        path = out / f"{month_end:%Y-%m}_{county}_项目台账.xlsx"
        wb.properties.title = f"{county}项目台账（截至{_cn_date(month_end)}）"
        wb.properties.creator = camp.config.letter_style.office
        wb.save(path)
        written.append(path)
    return written


def _write_ledger(
    ws: Any,
    camp: Campaign,
    county: str,
    groups: list[tuple[str, pd.DataFrame]],
    month_end: pd.Timestamp,
    *,
    new_rows: int,
) -> int:
    """Fill the ledger sheet; returns the last row used."""
    from openpyxl.styles import Alignment, Border, Font, PatternFill, Protection, Side
    from openpyxl.utils import get_column_letter

    cols = template_columns(month_end)
    letter = {c.column: get_column_letter(i) for i, c in enumerate(cols, start=1)}
    width = len(cols)
    thin = Side(style="thin", color="808080")
    border = Border(left=thin, right=thin, top=thin, bottom=thin)
    unlocked = Protection(locked=False)
    ws.cell(1, 1, f"{camp.config.campaign_name}项目清单（{county}）")
    ws.cell(1, 1).font = Font(bold=True, size=16)
    ws.cell(1, 1).alignment = Alignment(horizontal="center")
    ws.merge_cells(start_row=1, start_column=1, end_row=1, end_column=width)
    ws.cell(2, 1, f"填报单位：{county}（盖章）    截至日期：{_cn_date(month_end)}")
    ws.merge_cells(start_row=2, start_column=1, end_row=2, end_column=width)
    header_fill = PatternFill("solid", fgColor="DDEBF7")
    for j, c in enumerate(cols, start=1):
        cell = ws.cell(3, j, c.header)
        cell.font = Font(bold=True)
        cell.fill = header_fill
        cell.border = border
        cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
        ws.column_dimensions[get_column_letter(j)].width = c.width
    ws.row_dimensions[3].height = 36

    r = _FIRST_ROW
    seq = 0
    new_year = bool((groups and groups[0][1]["report_date"].max().year) != month_end.year)
    locked_fill = PatternFill("solid", fgColor="F2F2F2")
    for k, (cat, part) in enumerate(groups):
        if cat:
            ws.cell(r, 1, f"{_SECTION_NUMBERS[k]}、{cat}项目（{len(part)}个）").font = Font(
                bold=True
            )
            ws.merge_cells(start_row=r, start_column=1, end_row=r, end_column=width)
            r += 1
        for _, row in part.iterrows():
            seq += 1
            for j, c in enumerate(cols, start=1):
                value = seq if c.kind == "seq" else _value(c.column, row, new_year)
                cell = ws.cell(r, j, value)
                cell.border = border
                if c.kind in ("id", "name"):
                    cell.fill = locked_fill
                else:
                    cell.protection = unlocked
                _format(cell, c.kind)
            r += 1
    new_fill = PatternFill("solid", fgColor="FFF9E5")
    for _ in range(new_rows):
        for j, c in enumerate(cols, start=1):
            cell = ws.cell(r, j)
            cell.border = border
            cell.protection = unlocked
            if c.kind in ("id", "name"):
                cell.fill = new_fill
            _format(cell, c.kind)
        r += 1
    last = r - 1
    ws.cell(r + 1, 1, "填表人：          联系电话：          审核人：")
    ws.freeze_panes = f"D{_FIRST_ROW}"
    _validations(ws, cols, letter, last, month_end)
    _highlight_past_plans(ws, letter, last, month_end)
    p = ws.protection
    p.sheet = True  # no password: protects against slips, not against people
    p.formatColumns = p.formatRows = p.formatCells = False
    p.insertRows = p.sort = p.autoFilter = False
    ws.print_title_rows = "3:3"
    ws.page_setup.orientation = "landscape"
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    return last


def _format(cell: Any, kind: str) -> None:
    from openpyxl.styles import Alignment

    if kind == "date":
        cell.number_format = _DATE_FORMAT
    elif kind == "money":
        cell.number_format = _MONEY_FORMAT
    elif kind in ("name", "text", "progress"):
        cell.alignment = Alignment(wrap_text=True, vertical="center")


def _serial(day: pd.Timestamp) -> int:
    """Excel's day number of ``day`` (1900 date system)."""
    return int((day - pd.Timestamp("1899-12-30")).days)


def _validations(
    ws: Any, cols: Sequence[TemplateColumn], letter: dict[str, str], last: int, month_end: Any
) -> None:
    from openpyxl.worksheet.datavalidation import DataValidation

    def ranged(kind: str) -> list[str]:
        return [
            f"{letter[c.column]}{_FIRST_ROW}:{letter[c.column]}{last}"
            for c in cols
            if c.kind == kind
        ]

    def listed(values: Sequence[str], title: str, prompt: str, *, strict: bool = True) -> Any:
        return DataValidation(
            type="list",
            formula1='"' + ",".join(values) + '"',
            allow_blank=True,
            showDropDown=False,  # (openpyxl: False shows the in-cell arrow)
            showErrorMessage=True,
            errorStyle="stop" if strict else "warning",
            errorTitle=title,
            error=f"请从下拉列表中选择：{'、'.join(values)}",
            showInputMessage=True,
            promptTitle=title,
            prompt=prompt,
        )

    rules = [
        (
            listed(STAGES, "项目类别", "按本月实际进展选择；新增项目必填"),
            ranged("category"),
        ),
        (listed(("是", "否"), "是 / 否", "请选择“是”或“否”"), ranged("bool")),
        (
            listed(
                PROGRESS_STAGES,
                "形象进度",
                "请选择项目所处形象进度，可在“备注”补充说明",
                strict=False,
            ),
            ranged("progress"),
        ),
        (
            listed(SUPERVISION_LEVELS, "督办类型", "普通、现场或挂牌督办；无问题的项目留空"),
            ranged("level"),
        ),
        (
            DataValidation(
                type="date",
                operator="between",
                formula1=str(_serial(pd.Timestamp("2000-01-01"))),
                formula2=str(_serial(pd.Timestamp("2100-12-31"))),
                allow_blank=True,
                showErrorMessage=True,
                errorTitle="日期",
                error="请填写日期，如 2023-12-15；未发生的节点请留空",
                showInputMessage=True,
                promptTitle="日期",
                prompt=f"请填写日期，如 {month_end:%Y}-{month_end:%m}-15；实际日期不应晚于截至日期",
            ),
            ranged("date"),
        ),
        (
            DataValidation(
                type="decimal",
                operator="greaterThanOrEqual",
                formula1="0",
                allow_blank=True,
                showErrorMessage=True,
                errorTitle="金额（万元）",
                error="请填写不小于 0 的数字，单位万元，不要填写“万元”“亿元”等文字",
                showInputMessage=True,
                promptTitle="金额（万元）",
                prompt="单位：万元，填写数字",
            ),
            ranged("money"),
        ),
    ]
    for dv, cells in rules:
        for cell_range in cells:
            dv.add(cell_range)
        ws.add_data_validation(dv)


def _highlight_past_plans(ws: Any, letter: dict[str, str], last: int, month_end: Any) -> None:
    """Planned dates on or before the 截至日期 whose milestone has no actual date: red."""
    from openpyxl.formatting.rule import FormulaRule
    from openpyxl.styles import Font, PatternFill

    fill = PatternFill("solid", fgColor="FFC7CE", bgColor="FFC7CE")
    font = Font(color="9C0006")
    day = f"DATE({month_end.year},{month_end.month},{month_end.day})"
    for milestone, planned in PLANNED.items():
        p, a = letter[planned], letter[milestone]
        first = f"{p}{_FIRST_ROW}"
        rule = FormulaRule(
            formula=[f'AND(ISNUMBER({first}),{first}<={day},{a}{_FIRST_ROW}="")'],
            fill=fill,
            font=font,
        )
        ws.conditional_formatting.add(f"{p}{_FIRST_ROW}:{p}{last}", rule)


def _write_instructions(
    ws: Any, camp: Campaign, county: str, as_of: pd.Timestamp, month_end: pd.Timestamp
) -> None:
    from openpyxl.styles import Alignment, Font

    cfg = camp.config
    lines = [
        f"{cfg.campaign_name}项目台账填表说明",
        "",
        f"1. 本表由市大会战办根据{county}截至{_cn_date(as_of)}的台账预填，请更新为截至"
        f"{_cn_date(month_end)}的情况后报回；“截至日期”一行请勿修改。",
        "2. 灰底的“项目编号”“项目名称”已锁定，用于逐月对应同一项目，请勿改动；项目更名、撤销请在“备注”说明。",
        "3. 项目按纳入清单时的类别（三类项目）分组；“项目类别”填本月实际所处阶段，从下拉列表选择。",
        "4. 日期请填写为日期（如 2023-12-15），实际节点未发生的留空；计划日期已到但未填实际日期的，单元格显示为红色，请填写实际日期或说明原因。",
        "5. 金额单位为万元，只填数字，不要填写“万元”“亿元”“约”等文字。",
        f"6. “{_months(month_end)}完成投资”填本年累计完成数；“形象进度”从下拉列表选择，可在“备注”补充。",
        "7. “存在问题”已预填尚未销号的问题：已解决的，“是否销号”选“是”；仍未解决的保留原文字（请勿改写，否则视为新问题），并更新“解决时限”。",
        "8. 新增问题写在对应项目的“存在问题”栏，“是否重大问题”选“是/否”，并填写“解决时限”和“责任单位”“责任人”。",
        "9. 新增项目请从淡黄色空行开始填写，项目编号可留空，项目名称、计划总投资、项目类别必填。",
        "10. 请勿插入或删除列、合并单元格，也不要修改工作表名称；本表保护未设密码，仅用于防止误改。",
        "",
        f"下一个项目落地集中督导日前报回。报送单位：{cfg.letter_style.office}。",
    ]
    ws.column_dimensions["A"].width = 110
    for i, text in enumerate(lines, start=1):
        cell = ws.cell(i, 1, text or None)
        cell.alignment = Alignment(wrap_text=True, vertical="top")
        if i == 1:
            cell.font = Font(bold=True, size=14)
