"""County house styles: how each division lays out and spells its ledger.

A :class:`_Style` names the file format, the columns with their header text (one row, or a
parent over a child in a two-row merged header), and the county's spellings of dates, money
and yes/no. :data:`STYLES` holds one per division; the title, section and file-name
templates are shared by all of them.

Columns are listed with :func:`_columns`: a bare field is headed the usual way
(:data:`_USUAL`: the package's own labels, :data:`~zqcampaign.schema.COLUMN_LABELS`, with
the few headers most counties spell otherwise); a ``(field, header)`` pair is the county's
own spelling, a ``(field, parent, child)`` triple a column of a two-row header.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from zqcampaign.parse.headers import PLANNED_GOAL, SEQ
from zqcampaign.schema import (
    CATEGORIES,
    CATEGORY_GOAL,
    COLUMN_LABELS,
    MILESTONES,
    MONEY_COLUMNS,
    PLANNED,
)

CITY_MONTH = 10  # this month arrives as one city workbook with a sheet per county

# the planned date of the goal of each category, by stage number (0-2)
_PLANNED_OF_STAGE = tuple(PLANNED[CATEGORY_GOAL[c]] for c in CATEGORIES)

_USUAL: dict[str, str] = {
    **COLUMN_LABELS,
    SEQ: "序号",
    "annual_plan": "2023年计划投资（万元）",
    "ytd_actual": "1-{m}月完成投资（万元）",  # {m}: the report month ({fm}: in full-width)
    "problem_closed": "是否销号",
}
_TAIL = ("problems", "problem_major", "problem_closed", "responsible_unit", "responsible_person")


def _group(top: str, pairs: Iterable[tuple[str, str]]) -> list[tuple[str, str, str]]:
    return [(f, top, child) for f, child in pairs]


def _columns(*cols: str | tuple[str, ...]) -> tuple[tuple[str, ...], ...]:
    """Columns of a house style: a bare field gets its :data:`_USUAL` header."""
    return tuple((c, _USUAL[c]) if isinstance(c, str) else c for c in cols)


# under 计划时间: the planned date of each goal; under 实际完成时间: the milestones
_DATE_GROUPS = (
    *_group("计划时间", zip(_PLANNED_OF_STAGE, ("供地", "开工", "竣工"), strict=True)),
    *_group("实际完成时间", zip(MILESTONES, ("签约", "供地", "开工", "竣工", "投产"), strict=True)),
)


def _reference(*front: str | tuple[str, ...], progress: bool = True) -> tuple[tuple[str, ...], ...]:
    """The reference layout (two-row header) after the county's own first columns."""
    middle = ("progress",) if progress else ()
    return _columns(SEQ, *front, *MONEY_COLUMNS, *_DATE_GROUPS, *middle, *_TAIL, "remarks")


@dataclass(frozen=True)
class _Style:
    """One county's ledger house style."""

    fmt: str  # "xlsx" | "xls" | "csv"
    cols: tuple[tuple[str, ...], ...]  # (field, top header[, child header])
    unit: str  # 填报单位
    sheet: str = "Sheet1"
    date: str = "excel"  # excel | iso | slash | dot | cn
    date_alt: tuple[str, float] | None = None  # another spelling for a share of the cells
    blank: str | None = None  # an actual milestone not yet reached
    blank_planned: str | None = None  # no planned date
    month_only: bool = False  # planned month ends written 2023年10月 / 10月底
    total: str = "number"  # number | yi | comma | yi_or_comma | wan | approx_yi | fullwidth
    annual: str = "number"
    yes_no: tuple[str, str] = ("是", "否")
    closed: tuple[str, str] = ("是", "否")
    trad: bool = False
    category_words: tuple[str, str, str] | None = None  # category column instead of sections
    county_words: tuple[str, ...] = ()
    notes: str = ""  # for README

    @property
    def two_row(self) -> bool:
        return any(len(c) == 3 for c in self.cols)

    @property
    def header_rows(self) -> int:
        return 2 if self.two_row else 1


STYLES: dict[str, _Style] = {
    "端州区": _Style(
        "xlsx",
        _reference("name", "owner", "industry"),
        "端州区工业和信息化局",
        sheet="项目清单",
        notes="two-row merged header; Excel dates; section rows",
    ),
    "鼎湖区": _Style(
        "xlsx",
        _columns(
            SEQ,
            "name",
            ("owner", "建设单位"),
            ("total_investment", "总投资(亿元)"),
            ("annual_plan", "年度计划投资（万元）"),
            ("ytd_actual", "年度累计完成投资（万元）"),
            *MILESTONES,
            (PLANNED_GOAL, "计划完成节点时间"),
            ("progress", "进展情况"),
            *_TAIL,
            "remarks",
        ),
        "鼎湖区发展和改革局",
        date="iso",
        blank="/",
        blank_planned="待定",
        total="yi",
        notes="one-row header; total investment in 亿元; dates as text 2023-08-15; "
        "one planned-date column (计划完成节点时间); 待定 and / for no date",
    ),
    "高要区": _Style(
        "xls",
        _reference("project_id", "name", "owner"),
        "高要区工业和信息化局",
        date_alt=("slash", 0.25),
        total="comma",
        notes="legacy .xls with merged two-row header; project ids GY-2023-nnn; Excel dates "
        "and text 2023/8/15; money 12,300",
    ),
    "四会市": _Style(
        "xlsx",
        _reference("project_id", "name", "owner", progress=False),
        "四会市发展和改革局",
        blank="—",
        notes="two-row merged header (the reference layout, no progress column); project ids "
        "SH-2023-nnn; — for no date",
    ),
    "广宁县": _Style(
        "xls",
        _columns(
            SEQ,
            "name",
            "owner",
            "category",
            "total_investment",
            ("annual_plan", "年度计划投资（万元）"),
            "ytd_actual",
            *MILESTONES,
            (PLANNED_GOAL, "完成时限"),
            "progress",
            "problems",
            "problem_major",
            ("problem_closed", "销号情况"),
            "responsible_unit",
            "responsible_person",
        ),
        "广宁县工业和信息化局",
        date="dot",
        blank="/",
        blank_planned="/",
        total="wan",
        closed=("已销号", "未销号"),
        category_words=CATEGORIES,
        notes="legacy .xls, one-row header; category column instead of section rows; dates "
        "2023.8.15; money 12300万元; 已销号/未销号; one planned-date column (完成时限)",
    ),
    "怀集县": _Style(
        "xlsx",
        (
            (SEQ, "序號"),
            ("name", "項目名稱"),
            ("owner", "項目業主"),
            ("total_investment", "計劃總投資（萬元）"),
            ("annual_plan", "年度計劃投資（萬元）"),
            ("ytd_actual", "１－{fm}月完成投資（萬元）"),
            *_group("計劃時間", zip(_PLANNED_OF_STAGE, ("供地", "開工", "竣工"), strict=True)),
            *_group(
                "實際完成時間",
                zip(MILESTONES, ("簽約", "供地", "開工", "竣工", "投產"), strict=True),
            ),
            ("progress", "項目進展"),
            ("problems", "存在問題"),
            ("problem_major", "是否重大問題"),
            ("problem_closed", "是否銷號"),
            ("responsible_unit", "責任單位"),
            ("responsible_person", "責任人"),
            ("remarks", "備註"),
        ),
        "懷集縣發展和改革局",
        date="cn",
        annual="fullwidth",
        trad=True,
        notes="traditional-character headers, title and section rows; full-width digits "
        "(１－８月, ５０００); dates 2023年8月15日",
    ),
    "封开县": _Style(
        "csv",
        _reference("name", "owner"),
        "封开县发展和改革局",
        date="iso",
        month_only=True,
        total="yi_or_comma",
        notes="GBK-encoded .csv: two-row header with blanks, no merges; money 0.5亿 / 12,300; "
        "planned dates 2023年10月 (month only) and 10月底 (no year)",
    ),
    "德庆县": _Style(
        "xlsx",
        _columns(
            SEQ,
            ("name", "项目名"),
            "owner",
            ("total_investment", "计划投资额"),
            ("annual_plan", "年度计划投资"),
            ("ytd_actual", "年度累计完成投资"),
            "signed_on",
            "land_supplied_on",
            ("started_on", "动工时间"),
            "completed_on",
            "in_production_on",
            *_PLANNED_OF_STAGE,
            ("progress", "进展情况"),
            *_TAIL,
            "remarks",
        ),
        "德庆县工业和信息化局",
        sheet="德庆县",
        blank_planned="/",
        total="approx_yi",
        notes="one-row header with short names (项目名, 计划投资额, 动工时间); money 约2.3亿元; "
        "sheet named after the county",
    ),
    "肇庆高新区": _Style(
        "xlsx",
        _reference("project_id", "name", ("county", "所属县区"), ("owner", "建设单位"), "industry"),
        "肇庆高新区经济发展局",
        yes_no=("√", "×"),
        closed=("√", "×"),
        county_words=("肇庆高新区", "高新区"),
        notes="two-row merged header; project ids GX-2023-nnn; a county column (所属县区, "
        "spelled 肇庆高新区 or 高新区); √/× for yes/no",
    ),
    "肇庆新区": _Style(
        "xls",
        _columns(
            SEQ,
            "name",
            "owner",
            "total_investment",
            ("annual_plan", "年度计划投资（万元）"),
            "ytd_actual",
            *MILESTONES,
            (PLANNED_GOAL, "计划节点时间"),
            "progress",
            *_TAIL,
            "remarks",
        ),
        "肇庆新区经济发展局",
        date="slash",
        blank="/",
        blank_planned="/",
        notes="legacy .xls, one-row header; dates 2023/8/15; one planned-date column "
        "(计划节点时间)",
    ),
    "粤桂合作特别试验区（肇庆）": _Style(
        "xlsx",
        _columns(
            SEQ,
            ("name", "项目名"),
            "owner",
            "category",
            *MONEY_COLUMNS,
            "signed_on",
            "land_supplied_on",
            ("started_on", "实际开工时间"),
            "completed_on",
            "in_production_on",
            *_PLANNED_OF_STAGE,
            "progress",
            *_TAIL,
        ),
        "粤桂合作特别试验区（肇庆）管委会经济发展局",
        total="fullwidth",
        category_words=("待供地", "待开工", "在建"),
        notes="one-row header; category column spelled 待供地/待开工/在建; full-width digits "
        "in some totals (１２３００)",
    ),
}

_TRAD_TITLE = "{city}製造業項目建設“大會戰”項目清單（{county}）"
_TITLE = "{city}制造业项目建设“大会战”项目清单（{county}）"
_TRAD_CITY = {"肇庆市": "肇慶市"}
_SECTIONS = (
    "一、已签约未供地项目（{n}个）",
    "二、已供地未动工项目（{n}个）",
    "三、已动工未竣工项目（{n}个）",
    "四、已竣工（投产）项目（{n}个）",
)
_TRAD_SECTIONS = (
    "一、已簽約未供地項目（{n}個）",
    "二、已供地未動工項目（{n}個）",
    "三、已動工未竣工項目（{n}個）",
    "四、已竣工（投產）項目（{n}個）",
)
_TRAD_NAMES = {"怀集县": "懷集縣"}
_FULLWIDTH = str.maketrans("0123456789", "０１２３４５６７８９")


def _file_stem(county: str, month: int) -> str:
    return f"{county}_2023年{month}月项目清单"


def _city_file(city: str, month: int) -> str:
    """Name of a city workbook collecting its counties' ledgers (a sheet per county)."""
    return f"{city}_2023年{month}月_项目清单.xlsx"
