"""Ledger header cells -> canonical column names. The one place that knows header spellings.

Headers come simplified or traditional, with full-width brackets, units in brackets, a
month range (``1-8月完成投资``) and, in two-row merged headers, a parent over a child
(``预计时间`` over ``开工``). A header is understood by meaning, not by the first word that
matches:

- **planned or actual**: 计划 / 预计 / 拟 / 力争 / 目标 / ``（计划）`` anywhere in the header or its
  parent make a milestone date a planned one (``预计开工时间`` -> ``planned_start_on``);
  实际 keeps it actual;
- **investment kinds kept apart**: total (总投资, 估算投资, 投资总额), annual plan, year-to-date
  of the report year (``1-N月``, 本年累计, 年初至今, 截至N月底累计), since-start cumulative
  (``cumulative_actual``), and the ones recognised and ignored with a reason: up to the end
  of an earlier year, this month, targets (力争), percentages, contract prices;
- **how specific**: each match has a rank; when two columns of a sheet compete for one
  canonical column, the higher rank wins (:mod:`zqcampaign.parse.sheet_top` reports it).

A ``[columns]`` table in ``zqcampaign.toml`` overrides all this for a given spelling
(:func:`override_for`).
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from functools import lru_cache

from zqcampaign.text import header_key, normalize_text

__all__ = [
    "CHILD_WORDS",
    "IGNORED",
    "PLANNED_GOAL",
    "SEQ",
    "HeaderMatch",
    "match_header",
    "money_unit",
    "override_for",
]

SEQ = "_seq"  # 序号: row serial number, recognised and ignored
PLANNED_GOAL = "_planned_goal_on"  # one column with the planned date of the goal milestone
IGNORED = "_ignored"  # recognised, and deliberately not read (``HeaderMatch.reason`` says why)

_PLANNED = re.compile(r"计划|预计|拟|力争|目标|预期")
_ACTUAL = re.compile(r"实际|已完成")
_MONEY_WORDS = re.compile(r"价|金额|款|投资|资金|面积|亩|万元|亿元|元\)|元）|产值|税")
_PERCENT = re.compile(r"%|百分比|比例|占比|完成率|比重|进度率|增速|增长率")

# (column, regex on the header key, rank). Ordered: the first rule that matches wins; the
# rank says how specific the match is when two columns of one sheet compete.
_R = tuple[str, str, int]
_IDENTITY: tuple[_R, ...] = (
    (SEQ, r"^(序号|序|编号序号|no)$", 3),
    ("project_code", r"(投资)?项目(统一)?代码$|^统一项目代码|^项目赋码|^赋码|国家.*代码", 3),
    ("project_id", r"^(项目)?(编号|编码|代号|id)$|^项目(统一)?编号", 3),
    ("report_date", r"^(截至|截止|报告|填报|统计)(日期|时间)$", 3),
    ("planned_years", r"(建设)?起止(年限|时间|年份|日期)|建设(年限|周期|工期)", 3),
    (
        "location",
        r"项目属地|^属地|所在地|建设地[点址]|项目地[点址]|所属镇街|所在镇街|^镇街|所在镇",
        3,
    ),
    ("county", r"^(所属|所在)?(县市区|县区|县市|地区|区县|县|县市区名称)$", 3),
    ("name", r"^(项目)?(名称|名)$|^项目名称", 3),
    (IGNORED, r"投资方式|合作方式|融资方式|投资模式|建设模式", 2),
    ("owner", r"业主|建设单位|项目单位|投资主体|企业名称|投资方$|投资方名称|实施主体|投资企业", 2),
    ("industry", r"行业|产业(类别|类型|领域)?$", 2),
    ("nature", r"建设性质|项目性质", 3),
    (IGNORED, r"企业(类型|性质)|单位(类型|性质)|投资(类型|性质)|经济类型|注册类型", 2),
    ("supervision_level", r"^(问题)?督办(类型|方式|级别|层级|等级)?$", 3),
    ("problem_deadline", r"(解决|整改)(时限|期限)|问题.*(时限|期限)$", 3),
    ("category", r"^(项目)?(类别|分类|类型)$|^三类项目|^所属类别|项目类别", 2),
)
_MONEY: tuple[_R, ...] = (
    (IGNORED, r"合同(价|金额|额|总价)|签约(金额|额|价)|中标(价|金额)", 2),
    (IGNORED, r"付款|支付|拨付|已付|应付|结算|欠款", 2),
    (IGNORED, r"当月|本月|月度完成|上月", 2),
    (IGNORED, r"力争|目标|大干\d*天|冲刺", 2),
    # up to the end of an earlier year: not this year's progress
    (
        IGNORED,
        r"(至|截至|截止|到)(\d{4}年|上一?年度?|去年|前一?年)(底|末)|以前年度|往年|上年度?累计|以往",
        2,
    ),
    (
        "cumulative_actual",
        r"开工以来|自开工|开工至今|建设以来|开工累计|项目累计|自开工至今|累计完成总投资",
        3,
    ),
    (
        "ytd_actual",
        r"本年(度)?累计|年初至今|今年累计|本年(度)?完成|今年完成|"
        r"(截至|截止|至)\d{1,2}月(底|末)?(累计)?|当年累计|年内累计|年度累计|本年实际",
        3,
    ),
    (
        "annual_plan",
        r"(年度|本年|全年|当年|今年|\d{4}年)(度)?(计划|投资计划)|年度投资计划|年计划",
        3,
    ),
    ("total_investment", r"总投资|投资总额|估算(总)?投资|总概算|概算投资", 3),
    ("ytd_actual", r"(完成|实际)(完成)?投资|投资完成|已完成投资", 2),
    ("total_investment", r"^计划投资(额)?$|计划投资", 2),
    ("annual_plan", r"投资计划", 1),
    ("ytd_actual", r"累计(完成)?投资|累计完成", 1),
    ("total_investment", r"投资额|投资规模|^投资$", 1),
)
_DATES: tuple[_R, ...] = (
    (PLANNED_GOAL, r"计划(完成)?节点|^(完成|办结)?时限|^节点(时间|日期)|^计划完成(时间|日期)$", 3),
    ("landed_on", r"落地", 3),
    ("signed_on", r"签约", 2),
    ("land_supplied_on", r"供地|摘牌|土地供应|拿地|用地", 2),
    ("started_on", r"开工|动工", 2),
    ("completed_on", r"竣工", 2),
    ("in_production_on", r"投产", 2),
)
_OTHER: tuple[_R, ...] = (
    ("problem_major", r"重大问题|问题(是否)?重大|问题性质", 2),
    ("problem_closed", r"销号", 2),
    ("problems", r"问题|困难", 2),
    ("scale", r"建设(内容|规模)|主要建设内容|项目规模|建设内容及规模", 3),
    ("leader", r"(挂钩|挂点|包挂|联系|分管)(的)?(市|县|区)?(级)?领导", 3),
    ("progress", r"进展|进度|形象", 2),
    (IGNORED, r"电话|手机|邮编|邮箱|传真|联系方式|地址$", 1),
    ("responsible_unit", r"责任单位|牵头单位|负责单位|责任部门", 2),
    ("responsible_person", r"责任人|负责人|联系人", 2),
    ("remarks", r"^备注", 2),
)


def _compile(rules: tuple[_R, ...]) -> tuple[tuple[str, re.Pattern[str], int], ...]:
    return tuple((col, re.compile(rx, re.IGNORECASE), rank) for col, rx, rank in rules)


_C_IDENTITY, _C_MONEY, _C_DATES, _C_OTHER = map(_compile, (_IDENTITY, _MONEY, _DATES, _OTHER))
_PLANNED_OF = {
    "land_supplied_on": "planned_land_on",
    "started_on": "planned_start_on",
    "completed_on": "planned_completion_on",
}
_PLAN_COLUMNS = {"annual_plan", "total_investment", PLANNED_GOAL, *_PLANNED_OF.values()}
_PLANNED_KIND = {"annual_plan": True, "ytd_actual": False, "cumulative_actual": False}
_ACTUAL_COLUMNS = {"ytd_actual", "cumulative_actual", "landed_on", *_PLANNED_OF}

# Words a child header cell of a two-row header consists of (under 计划时间 / 实际时间 …).
CHILD_WORDS = re.compile(
    r"^(签约|供地|用地|开工|动工|竣工|投产|落地|计划|实际|预计|时间|日期|是否|重大|销号|万元|亿元|"
    r"姓名|职务|电话|手机|邮编|省|市|县|区|镇|直辖市|自治区|名称|单位|地址|合计|小计)+$"
)

_UNIT_YI = re.compile(r"亿")
_UNIT_WAN = re.compile(r"万")
_UNIT_YUAN = re.compile(r"元")
_UNIT_PART = re.compile(r"[（(][^（）()]*[）)]")
_MONTH_RANGE = re.compile(r"(?<!\d)1?\d\s*[-~～至到—–－]\s*1?\d\s*月(份)?")

_REASONS = (
    (re.compile(r"合同|签约(金额|额|价)|中标"), "合同金额，不是项目投资"),
    (re.compile(r"付款|支付|拨付|已付|应付|结算|欠款"), "付款信息，不是项目投资"),
    (re.compile(r"当月|本月|月度完成|上月"), "当月完成投资，不是本年累计"),
    (re.compile(r"力争|目标|大干|冲刺"), "目标投资，不是计划或完成投资"),
    (re.compile(r"底|末|以前年度|往年|上年|以往"), "截至以前年度的累计投资，不是本年完成"),
    (re.compile(r"方式|模式"), "投资或建设方式，不是项目业主"),
    (re.compile(r"类型|性质"), "企业属性，不是项目类别"),
    (re.compile(r"电话|手机|邮编|邮箱|传真|联系方式|地址"), "联系方式"),
)


@dataclass(frozen=True)
class HeaderMatch:
    column: str  # canonical name, SEQ, PLANNED_GOAL, IGNORED, or "" when unrecognised
    unit: float  # multiplier from the header's money unit to 万元 (1.0 when none)
    text: str  # the header as shown to the user (parent / child joined by "/")
    rank: int = 0  # how specific the match is (competing columns: the higher wins)
    planned: bool | None = None  # True: a planned value; False: an actual one; None: neither
    reason: str = ""  # why an IGNORED column is not read

    @property
    def known(self) -> bool:
        """Recognised: a canonical column, 序号 or a column ignored on purpose."""
        return bool(self.column)


def money_unit(text: str) -> float | None:
    """Multiplier to 万元 from a unit written in ``text``: 亿 -> 10000, 万 -> 1, 元 -> 0.0001."""
    norm = normalize_text(text)
    if _UNIT_YI.search(norm):
        return 10000.0
    if _UNIT_WAN.search(norm):
        return 1.0
    if _UNIT_YUAN.search(norm):
        return 0.0001
    return None


def _key_for_rules(text: str) -> str:
    norm = _UNIT_PART.sub("", text)  # "（万元）", "（计划）" and other bracketed notes
    norm = _MONTH_RANGE.sub("本年累计", norm)  # "1-8月完成投资": year to date
    return header_key(norm).lower()


def _first(rules: tuple[tuple[str, re.Pattern[str], int], ...], key: str) -> tuple[str, int]:
    for column, rx, rank in rules:
        if rx.search(key):
            return column, rank
    return "", 0


def _reason(text: str, column: str) -> str:
    if column == SEQ:
        return "序号"
    if _PERCENT.search(text):
        return "百分比，由本程序按投资额计算"
    for rx, why in _REASONS:
        if rx.search(text):
            return why
    return "无对应的标准列"


def _classify(key: str, full: str) -> tuple[str, int, bool | None, str]:
    """(column, rank, planned, reason) of one header key; ``full``: the whole header text
    (brackets kept) in which planned / actual markers and percentages are looked for."""
    column, rank = _first(_C_IDENTITY, key)
    if column:
        return column, rank, None, _reason(full, column) if column in (IGNORED, SEQ) else ""
    planned_marker = bool(_PLANNED.search(full)) and not _ACTUAL.search(full)
    moneyish = bool(_MONEY_WORDS.search(full)) or "投资" in key
    if moneyish and _PERCENT.search(full):
        return IGNORED, 2, None, _reason(full, IGNORED)
    if moneyish and not re.search(r"时间|日期|年月", key):
        column, rank = _first(_C_MONEY, key)
        if column:
            if column == IGNORED:
                return column, rank, None, _reason(full, column)
            return column, rank, _PLANNED_KIND.get(column), ""
    column, rank = _first(_C_DATES, key)
    if column:
        if column == PLANNED_GOAL:
            return column, rank, True, ""
        if planned_marker:
            if column in _PLANNED_OF:
                return _PLANNED_OF[column], rank + 1, True, ""
            return IGNORED, rank, True, "计划签约、投产或落地时间，无对应的标准列"
        return column, rank + (1 if _ACTUAL.search(full) else 0), False, ""
    if _PERCENT.search(full) and re.search(r"投资|计划|完成", key):
        return IGNORED, 1, None, _reason(full, IGNORED)
    column, rank = _first(_C_OTHER, key)
    if column == IGNORED:
        return column, rank, None, _reason(full, column)
    return column, rank, None, ""


@lru_cache(maxsize=8192)
def match_header(child: str | None, parent: str | None = None) -> HeaderMatch:
    """Match one header column, given its own cell and (two-row headers) the cell above it.

    Results are cached: the same headers come back in every monthly ledger.
    """
    child_t = normalize_text(child) if child else ""
    parent_t = normalize_text(parent) if parent else ""
    shown = "/".join(" ".join(str(t).split()) for t in (parent, child) if t and str(t).strip())
    unit = money_unit(shown) or 1.0
    full = parent_t + child_t
    candidates = []
    if parent_t and child_t:
        # "计划时间" + "开工" -> "计划时间开工"; "实际完成时间" + "开工" -> "实际完成时间开工"
        candidates.append(_key_for_rules(parent_t + child_t))
        candidates.append(_key_for_rules(child_t + parent_t))
    candidates.append(_key_for_rules(child_t or parent_t))
    for key in candidates:
        if not key:
            continue
        column, rank, planned, reason = _classify(key, full)
        if column:
            return HeaderMatch(column, unit, shown, rank, planned, reason)
    return HeaderMatch("", unit, shown)


def override_for(
    overrides: Mapping[str, str], child: str | None, parent: str | None = None
) -> HeaderMatch | None:
    """The ``[columns]`` override of a header (None when it has none).

    ``overrides`` maps a header key (:func:`zqcampaign.text.header_key` of the spelling)
    to a canonical column or ``"ignore"``; the whole header (parent and child) is looked
    up first, then the child cell alone.
    """
    if not overrides:
        return None
    keys = []
    if parent and child:
        keys.append(header_key(f"{parent}{child}"))
    keys.append(header_key(child or parent or ""))
    for key in keys:
        target = overrides.get(key)
        if target is None:
            continue
        base = match_header(child, parent)
        if target == "ignore":
            return HeaderMatch(IGNORED, base.unit, base.text, 9, None, "配置 [columns] 指定忽略")
        planned = True if target in _PLAN_COLUMNS - {"total_investment"} else None
        if target in _ACTUAL_COLUMNS:
            planned = False
        return HeaderMatch(target, base.unit, base.text, 9, planned, "")
    return None
