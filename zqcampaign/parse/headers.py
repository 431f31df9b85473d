"""Ledger header cells -> canonical column names. The one place that knows header spellings.

Headers come simplified or traditional, with full-width brackets, units in brackets, a
month range (``1-8月完成投资``) and, in two-row merged headers, a parent over a child
(``计划时间`` over ``开工``). A header is matched on its normalised key (see
:func:`zqcampaign.text.header_key`) against ordered rules: the first rule that matches wins,
so the specific ones (``计划开工时间``) come before the general ones (``开工时间``).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from zqcampaign.text import header_key, normalize_text

__all__ = ["PLANNED_GOAL", "SEQ", "HeaderMatch", "match_header", "money_unit"]

SEQ = "_seq"  # 序号: row serial number, recognised and ignored
PLANNED_GOAL = "_planned_goal_on"  # one column with the planned date of the goal milestone

# (canonical column, regex on the header key). Order matters.
_RULES: tuple[tuple[str, str], ...] = (
    (SEQ, r"^(序号|序|编号序号|no)$"),
    ("project_id", r"^(项目)?(编号|编码|代码|代号|id)$|^项目(统一)?(编号|代码)"),
    ("report_date", r"^(截至|截止|报告|填报|统计)(日期|时间)$"),
    ("county", r"^(所属|所在)?(县市区|县区|县市|地区|区县|属地|县|县市区名称)$"),
    ("name", r"^(项目)?(名称|名)$|^项目名称"),
    ("owner", r"业主|建设单位|项目单位|投资主体|企业名称|投资方|实施主体"),
    ("industry", r"行业|产业(类别|类型|领域)?$"),
    ("supervision_level", r"^(问题)?督办(类型|方式|级别|层级|等级)?$"),
    ("category", r"(项目)?(类别|分类|类型)$|^三类项目|^所属类别"),
    ("problem_deadline", r"(解决|整改)(时限|期限)|问题.*(时限|期限)$"),
    (PLANNED_GOAL, r"计划(完成)?节点|^(完成|办结)?时限|^节点(时间|日期)|^计划完成(时间|日期)$"),
    ("planned_land_on", r"计划.*(供地|用地|拿地|摘牌)"),
    ("planned_start_on", r"计划.*(开工|动工)"),
    ("planned_completion_on", r"计划.*竣工"),
    ("annual_plan", r"(年度|本年|全年|当年|\d{4}年|年)(度)?计划(完成)?投资|年度投资计划|投资计划"),
    ("ytd_actual", r"(完成|实际|累计)(完成)?投资|投资完成|已完成投资"),
    ("total_investment", r"总投资|计划投资|投资总额|投资额|投资规模"),
    ("signed_on", r"签约"),
    ("land_supplied_on", r"供地|摘牌|土地供应|拿地"),
    ("started_on", r"开工|动工"),
    ("completed_on", r"竣工"),
    ("in_production_on", r"投产"),
    ("problem_major", r"重大问题|问题(是否)?重大|问题性质"),
    ("problem_closed", r"销号"),
    ("problems", r"问题|困难"),
    ("progress", r"进展|进度|形象"),
    ("responsible_unit", r"责任单位|牵头单位|负责单位|责任部门"),
    ("responsible_person", r"责任人|负责人|联系人"),
    ("remarks", r"^备注"),
)
_COMPILED = tuple((col, re.compile(rx, re.IGNORECASE)) for col, rx in _RULES)

# Words a child header cell of a two-row header consists of (under 计划时间 / 实际时间 …).
CHILD_WORDS = re.compile(
    r"^(签约|供地|用地|开工|动工|竣工|投产|计划|实际|时间|日期|是否|重大|销号|万元|亿元)+$"
)

_UNIT_YI = re.compile(r"亿")
_UNIT_WAN = re.compile(r"万")
_UNIT_YUAN = re.compile(r"元")
_UNIT_PART = re.compile(r"[（(][^（）()]*[）)]")
_MONTH_RANGE = re.compile(r"\d{1,2}[-~至到—]\d{1,2}月")


@dataclass(frozen=True)
class HeaderMatch:
    column: str  # canonical name, SEQ, PLANNED_GOAL, or "" when unrecognised
    unit: float  # multiplier from the header's money unit to 万元 (1.0 when none)
    text: str  # the header as shown to the user (parent / child joined by "/")


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
    norm = normalize_text(text)
    norm = _UNIT_PART.sub("", norm)  # "（万元）" and other bracketed notes
    norm = _MONTH_RANGE.sub("", norm)  # "1-8月完成投资" -> "完成投资"
    return header_key(norm).lower()


@lru_cache(maxsize=8192)
def match_header(child: str | None, parent: str | None = None) -> HeaderMatch:
    """Match one header column, given its own cell and (two-row headers) the cell above it.

    Results are cached: the same headers come back in every monthly ledger.
    """
    child_t = normalize_text(child) if child else ""
    parent_t = normalize_text(parent) if parent else ""
    shown = "/".join(" ".join(str(t).split()) for t in (parent, child) if t and str(t).strip())
    unit = money_unit(shown) or 1.0
    candidates = []
    if parent_t and child_t:
        # "计划时间" + "开工" -> "计划开工时间"; "实际完成时间" + "开工" -> "实际开工时间"
        candidates.append(_key_for_rules(parent_t + child_t))
        candidates.append(_key_for_rules(child_t + parent_t))
    candidates.append(_key_for_rules(child_t or parent_t))
    for key in candidates:
        if not key:
            continue
        for column, rx in _COMPILED:
            if rx.search(key):
                return HeaderMatch(column, unit, shown)
    return HeaderMatch("", unit, shown)
