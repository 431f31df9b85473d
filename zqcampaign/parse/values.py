"""Cell values -> typed values: dates, money in 万元, yes/no, county names, categories.

Each parser takes one raw cell (whatever the reader returned) and gives back the value and,
when the value is not simply what was written, a :class:`~zqcampaign.issues.Problem` saying
why in Chinese (without a location: the caller adds it). No parser raises on any input: a
value it cannot read comes back missing with a note.
"""

from __future__ import annotations

import datetime as dt
import math
import re
from collections.abc import Mapping
from functools import lru_cache
from typing import Any

import pandas as pd

from zqcampaign.issues import Problem
from zqcampaign.schema import MONEY_CEILING
from zqcampaign.text import normalize_text

__all__ = [
    "AliasIndex",
    "date_uses_report_date",
    "find_county",
    "find_report_date",
    "find_report_period",
    "is_blank_word",
    "is_generic_spelling",
    "month_end",
    "parse_bool",
    "parse_category",
    "parse_county",
    "parse_date",
    "parse_money",
    "parse_stage",
]

EXCEL_EPOCH = dt.datetime(1899, 12, 30)
_MAX_SERIAL = 2958465  # 9999-12-31
_MIN_YEAR, _MAX_YEAR = 1990, 2100  # a ledger date outside these years is a typo


# Words that mean "no value" in a ledger cell.
_BLANK_WORDS = {
    "",
    "/",
    "\\",
    "-",
    "--",
    "—",
    "——",
    "–",
    "无",
    "暂无",
    "待定",
    "未定",
    "未确定",
    "待确定",
    "不适用",
    "n/a",
    "na",
    "none",
    "null",
    "nan",
    "空",
    "x",
    "×",
}


def is_blank_word(text: str) -> bool:
    """A word that means "no value" in a ledger cell (待定, /, —, 无 …)."""
    return normalize_text(text).lower() in _BLANK_WORDS


@lru_cache(maxsize=4096)
def month_end(year: int, month: int) -> pd.Timestamp:
    return pd.Timestamp(year=year, month=month, day=1) + pd.offsets.MonthEnd(0)


# ---------------------------------------------------------------------------------------
# dates

_YMD = re.compile(
    r"^(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?(?:\s+\d{1,2}:\d{2}(:\d{2})?)?$"
)
_YM = re.compile(r"^(\d{4})\s*[-/.年]\s*(\d{1,2})\s*月?\s*(上旬|中旬|下旬|初|底|末)?$")
_MD = re.compile(
    r"^(\d{1,2})\s*月\s*(\d{1,2})\s*日?$|^(\d{1,2})\s*月\s*(上旬|中旬|下旬|初|底|末|份)?$"
)
_COMPACT = re.compile(r"^(\d{4})(\d{2})(\d{2})$")
_STATUS_DONE = re.compile(r"^(已|已经)(签约|供地|开工|动工|竣工|投产|完成)")
_PERIOD_DAY = {"上旬": 10, "中旬": 20, "初": 5}


@lru_cache(maxsize=1 << 14)
def _valid(year: int, month: int, day: int) -> pd.Timestamp | None:
    if not (_MIN_YEAR <= year <= _MAX_YEAR):
        return None
    try:
        return pd.Timestamp(dt.date(year, month, day))
    except ValueError:
        return None


@lru_cache(maxsize=4096)
def _month(year: int, month: int, part: str | None) -> pd.Timestamp | None:
    if not (_MIN_YEAR <= year <= _MAX_YEAR and 1 <= month <= 12):
        return None
    if part in _PERIOD_DAY:
        return pd.Timestamp(year=year, month=month, day=_PERIOD_DAY[part])
    return month_end(year, month)


def parse_date(
    value: Any, *, report_date: pd.Timestamp | None = None
) -> tuple[pd.Timestamp | None, Problem | None]:
    """One ledger cell -> a date.

    Handles Excel dates and serial numbers, ``2023-08-15``, ``2023/8/15``, ``2023.8.15``,
    ``2023年8月15日``, ``20230815``; ``2023年8月`` (month only -> month end, noted);
    ``8月底`` / ``8月15日`` (no year -> the report date's year, noted); ``已开工`` (done, no
    date -> the report date, warned); blank words (``待定``, ``/``, ``—``) -> missing.
    """
    if value is None:
        return None, None
    if isinstance(value, bool):
        return None, Problem(
            "warning", "bad_date", f"“{value}”不是日期，应填写如 2023-08-15 的日期"
        )
    if isinstance(value, dt.datetime):
        ts = pd.Timestamp(value).normalize()
    elif isinstance(value, dt.date):
        ts = pd.Timestamp(value)
    elif isinstance(value, int | float):
        if isinstance(value, float) and not math.isfinite(value):
            return None, Problem("warning", "bad_date", "日期单元格不是有效数字")
        if not 1 <= value <= _MAX_SERIAL:
            return None, Problem(
                "warning",
                "bad_date",
                f"日期序列号 {value:g} 超出范围，应填写如 2023-08-15 的日期",
            )
        if 19900101 <= value <= 21001231 and float(value).is_integer():
            return parse_date(str(int(value)), report_date=report_date)
        ts = pd.Timestamp(EXCEL_EPOCH + dt.timedelta(days=float(value))).normalize()
    elif isinstance(value, dt.time):
        return None, Problem("warning", "bad_date", f"“{value}”只有时间没有日期")
    else:
        return _parse_date_text(str(value), report_date)
    if not (_MIN_YEAR <= ts.year <= _MAX_YEAR):
        return None, Problem("warning", "bad_date", f"日期 {ts.date()} 年份不合理，请核实")
    return ts, None


_HEDGE = re.compile(r"^约|前$|左右$|以前$")
# A full date already in plain form (ASCII digits): normalising would not change it.
_PLAIN_YMD = re.compile(r"([0-9]{4})[-/.年]([0-9]{1,2})[-/.月]([0-9]{1,2})日?")


def _date_text(raw: str) -> str | None:
    """A date cell's text as the patterns see it; None for a blank word."""
    text = normalize_text(raw)
    if text.lower() in _BLANK_WORDS:
        return None
    text = text.replace("号", "日").replace(" ", "")
    return _HEDGE.sub("", text)


def date_uses_report_date(value: Any) -> bool:
    """Whether :func:`parse_date` of ``value`` depends on the report date.

    True only for text without a year (``8月15日``, ``10月底``) and status words (``已开工``);
    every other value reads the same whatever the report date.
    """
    if value is None or isinstance(value, bool | dt.date | dt.time | int | float):
        return False
    if isinstance(value, str) and _PLAIN_YMD.fullmatch(value):
        return False
    text = _date_text(str(value))
    if text is None or _YMD.match(text) or _COMPACT.match(text) or _YM.match(text):
        return False
    return bool(_MD.match(text) or _STATUS_DONE.match(text))


def _parse_date_text(
    raw: str, report_date: pd.Timestamp | None
) -> tuple[pd.Timestamp | None, Problem | None]:
    m = _PLAIN_YMD.fullmatch(raw)
    if m:  # the common case, read as below without normalising first
        ts = _valid(int(m.group(1)), int(m.group(2)), int(m.group(3)))
        if ts is None:
            return None, Problem("warning", "bad_date", f"“{raw}”不是有效日期，应填写如 2023-08-15")
        return ts, None
    text = _date_text(raw)
    if text is None:
        return None, None
    m = _YMD.match(text) or _COMPACT.match(text)
    if m:
        ts = _valid(int(m.group(1)), int(m.group(2)), int(m.group(3)))
        if ts is None:
            return None, Problem("warning", "bad_date", f"“{raw}”不是有效日期，应填写如 2023-08-15")
        return ts, None
    m = _YM.match(text)
    if m:
        ts = _month(int(m.group(1)), int(m.group(2)), m.group(3))
        if ts is None:
            return None, Problem("warning", "bad_date", f"“{raw}”不是有效日期，应填写如 2023-08-15")
        return ts, Problem("info", "month_only_date", f"“{raw}”只填到月份，按 {ts.date()} 计")
    m = _MD.match(text)
    if m:
        if report_date is None:
            return None, Problem("warning", "bad_date", f"“{raw}”没有年份，且无法确定截至日期")
        year = report_date.year
        if m.group(1):
            ts = _valid(year, int(m.group(1)), int(m.group(2)))
        else:
            ts = _month(year, int(m.group(3)), m.group(4))
        if ts is None:
            return None, Problem("warning", "bad_date", f"“{raw}”不是有效日期，应填写如 2023-08-15")
        return ts, Problem("info", "yearless_date", f"“{raw}”没有年份，按 {ts.date()} 计")
    if _STATUS_DONE.match(text):
        if report_date is None:
            return None, Problem(
                "warning", "status_word_date", f"填写了“{raw}”而不是日期，请补填具体日期"
            )
        return report_date, Problem(
            "warning",
            "status_word_date",
            f"填写了“{raw}”而不是日期，暂按截至日期 {report_date.date()} 计，请补填具体日期",
        )
    try:
        serial = float(text)
    except ValueError:
        return None, Problem("warning", "bad_date", f"“{raw}”无法识别为日期，应填写如 2023-08-15")
    return parse_date(serial, report_date=report_date)


# ---------------------------------------------------------------------------------------
# money

_NUMBER = re.compile(r"[-+]?\d+(?:\.\d+)?")
_MONEY_TEXT = re.compile(
    r"^(?:约|约为|计划|总投资|大约|预计|共)?\s*([-+]?\d+(?:\.\d+)?(?:[eE][-+]?\d{1,4})?)\s*(亿元|亿|万元|万|元)?(?:人民币)?(?:以上|左右|多)?$"
)


def parse_money(value: Any, *, unit: float = 1.0) -> tuple[float | None, Problem | None]:
    """One ledger cell -> an amount in 万元.

    ``unit`` converts a bare number to 万元 (10000 when the header says 亿元). A unit written
    in the cell (``0.5亿``, ``5000万元``, ``约3亿元``) overrides the header's.
    """
    if value is None or isinstance(value, bool):
        if isinstance(value, bool):
            return None, Problem("warning", "bad_money", f"“{value}”不是金额")
        return None, None
    if isinstance(value, int | float):
        number = float(value)
        if not math.isfinite(number):
            return None, Problem("warning", "bad_money", "金额单元格不是有效数字")
        amount = number * unit
    elif isinstance(value, dt.date | dt.time):
        return None, Problem("warning", "bad_money", f"“{value}”是日期，不是金额")
    else:
        raw = str(value)
        text = normalize_text(raw).replace(",", "").replace("，", "").replace(" ", "")
        if text.lower() in _BLANK_WORDS:
            return None, None
        m = _MONEY_TEXT.match(text)
        if not m:
            return None, Problem(
                "warning", "bad_money", f"“{raw}”无法识别为金额，应填写数字（单位万元），如 5000"
            )
        number = float(m.group(1))
        cell_unit = {"亿元": 10000.0, "亿": 10000.0, "万元": 1.0, "万": 1.0, "元": 0.0001}.get(
            m.group(2) or "", unit
        )
        amount = number * cell_unit
    shown = f"{value:g}" if isinstance(value, int | float) else value
    if not abs(amount) <= MONEY_CEILING:  # (inf and nan too)
        yi = f"{amount / 1e4:.3g}" if abs(amount) >= 1e14 else f"{amount / 1e4:,.0f}"
        return None, Problem(
            "error",
            "implausible_money",
            f"金额“{shown}”折合 {yi} 亿元，超过 1,000,000 亿元，不可能是项目金额"
            "（可能多填了位数或单位有误），未读取；请核实后填写（单位万元）",
        )
    if amount < 0:
        return amount, Problem("warning", "negative_money", f"金额为负数（{shown}），请核实")
    return amount, None


# ---------------------------------------------------------------------------------------
# yes / no

_TRUE = {
    "是",
    "√",
    "✓",
    "✔",
    "y",
    "yes",
    "true",
    "1",
    "有",
    "已销号",
    "销号",
    "已解决",
    "重大",
    "已完成",
    "对",
}
_FALSE = {
    "否",
    "×",
    "✗",
    "n",
    "no",
    "false",
    "0",
    "无",
    "未销号",
    "未解决",
    "一般",
    "非重大",
    "不是",
    "没有",
    "未完成",
}


def parse_bool(value: Any) -> tuple[bool | None, Problem | None]:
    """是/否, √/×, 已销号/未销号, Y/N, 1/0 -> True/False; blank -> missing."""
    if value is None:
        return None, None
    if isinstance(value, bool):
        return value, None
    if isinstance(value, int | float) and value in (0, 1):
        return bool(value), None
    text = normalize_text(str(value)).lower()
    if text in _TRUE:
        return True, None
    if text in _FALSE:
        return False, None
    if text in _BLANK_WORDS - {"无", "x", "×"}:
        return None, None
    return None, Problem("warning", "bad_bool", f"“{value}”应填写“是”或“否”")


# ---------------------------------------------------------------------------------------
# county names and categories


_BRACKETS_SPACE = re.compile(r"[()（）\s]")


class AliasIndex(dict[str, str]):
    """A read-only alias mapping (spelling -> county) with look-up indexes built once.

    :func:`parse_county` and :func:`find_county` take any mapping; given an
    ``AliasIndex`` they answer the same in time independent of the number of counties
    (a province has hundreds of spellings).
    """

    def __init__(self, aliases: Mapping[str, str]):
        super().__init__(aliases)
        self.found: dict[str, str | None] = {}  # find_county answers, by normalised text
        self.stripped: dict[str, str] = {}
        self.by_first: dict[str, list[tuple[str, str]]] = {}
        for spelling, name in self.items():
            self.stripped.setdefault(_BRACKETS_SPACE.sub("", spelling), name)
            if len(spelling) >= 2:
                self.by_first.setdefault(spelling[0], []).append((spelling, name))
        # where a spelling can start: the positions find_county looks at
        self.first_char = re.compile("[" + "".join(map(re.escape, self.by_first)) + "]")

    def _read_only(self, *args: Any, **kwargs: Any) -> None:
        raise TypeError("AliasIndex is read-only")

    def __reduce__(self) -> tuple[type[AliasIndex], tuple[dict[str, str]]]:
        return AliasIndex, (dict(self),)  # (pickling: to worker processes of zq.load)

    __setitem__ = __delitem__ = _read_only  # type: ignore[assignment]
    clear = pop = popitem = setdefault = update = _read_only  # type: ignore[assignment]


def parse_county(value: Any, aliases: Mapping[str, str]) -> str | None:
    """A cell that names a county -> its canonical name, or None when unknown."""
    if value is None:
        return None
    text = normalize_text(str(value))
    if text in aliases:
        return aliases[text]
    stripped = _BRACKETS_SPACE.sub("", text)
    if isinstance(aliases, AliasIndex):
        return aliases.stripped.get(stripped)
    for spelling, name in aliases.items():
        if _BRACKETS_SPACE.sub("", spelling) == stripped:
            return name
    return None


# A spelling made only of place-type words (新区, 高新区): matched only where a place name
# cannot be going on before it (南太武滨海新区, 天津高新区 are not 肇庆新区 / 肇庆高新区).
_GENERIC = re.compile(
    r"^(高新|新|开发|经济开发|经济技术开发|高新技术产业开发|高新技术开发|工业|产业|试验|合作|"
    r"综合|保税|滨海|先进制造业)*(区|园|城|园区)$"
)
_CJK = re.compile(r"[\u3400-\u9fff]")
_BOUNDARY_BEFORE = set("年月日号市县省及和与至、")


def is_generic_spelling(spelling: str) -> bool:
    """A spelling that is only a kind of place (新区, 高新区), not a name."""
    return _GENERIC.match(spelling) is not None


def _at_boundary(norm: str, i: int, spelling: str) -> bool:
    """Whether ``spelling`` found at ``norm[i:]`` stands as a whole name there.

    A generic spelling must not follow a Chinese character that would make it the tail of
    a longer place name (``滨海新区``); other spellings stand anywhere.
    """
    if i == 0 or not is_generic_spelling(spelling):
        return True
    before = norm[i - 1]
    return not _CJK.match(before) or before in _BOUNDARY_BEFORE


def _find_indexed(norm: str, aliases: AliasIndex) -> str | None:
    """:func:`find_county` on normalised text, each spelling looked for where it can start."""
    found: dict[str, int] = {}
    if not aliases.by_first:
        return None
    for m in aliases.first_char.finditer(norm):
        i = m.start()
        for spelling, name in aliases.by_first[norm[i]]:
            if norm.startswith(spelling, i) and _at_boundary(norm, i, spelling):
                found[name] = max(found.get(name, 0), len(spelling))
    return _unique_longest(found)


def _unique_longest(found: dict[str, int]) -> str | None:
    if not found:
        return None
    best = max(found.values())
    winners = [n for n, length in found.items() if length == best]
    # e.g. "肇庆新区" also contains "新区": the longer spelling wins; a tie between two
    # different counties is ambiguous.
    return winners[0] if len(winners) == 1 else None


def find_county(text: Any, aliases: Mapping[str, str]) -> str | None:
    """The county named somewhere inside a longer text (title, file name, sheet name).

    The longest matching spelling wins (肇庆高新区 before 高新区); None if none or ambiguous.
    A generic spelling (新区, 高新区) counts only as a whole name, never as the tail of a
    longer place name (南太武滨海新区).
    """
    if text is None:
        return None
    norm = normalize_text(str(text))
    if isinstance(aliases, AliasIndex):
        if norm not in aliases.found:
            aliases.found[norm] = _find_indexed(norm, aliases)
        return aliases.found[norm]
    found: dict[str, int] = {}
    for spelling, name in aliases.items():
        if len(spelling) < 2:
            continue
        at = norm.find(spelling)
        while at >= 0:
            if _at_boundary(norm, at, spelling):
                found[name] = max(found.get(name, 0), len(spelling))
                break
            at = norm.find(spelling, at + 1)
    return _unique_longest(found)


_CATEGORY_RULES = (
    ("已签约未供地", re.compile(r"签约未供地|未供地|签约未落地|待供地")),
    ("已供地未动工", re.compile(r"供地未(动工|开工)|未(动工|开工)|待开工|待动工")),
    ("已动工未竣工", re.compile(r"(动工|开工)未竣工|未竣工|在建|续建")),
)


_LATER_STAGE_RULES = (
    ("已竣工", re.compile(r"已竣工|竣工(投产)?项目|已建成")),
    ("已投产", re.compile(r"已投产|投产项目")),
)


def parse_category(value: Any) -> str | None:
    """Any spelling of one of the three categories -> its canonical label."""
    if value is None:
        return None
    text = normalize_text(str(value))
    for label, rx in _CATEGORY_RULES:
        if rx.search(text):
            return label
    return None


def parse_stage(value: Any) -> str | None:
    """A declared stage: one of the three categories, or 已竣工 / 已投产 (past the campaign's
    three categories, e.g. a section ``四、已竣工（投产）项目``)."""
    label = parse_category(value)
    if label is not None or value is None:
        return label
    text = normalize_text(str(value))
    for stage, rx in _LATER_STAGE_RULES:
        if rx.search(text):
            return stage
    return None


# ---------------------------------------------------------------------------------------
# report dates in titles, sheet names, file and folder names

_RD_LABELLED = re.compile(
    r"(?:截至|截止|统计|报告|填报)(?:日期|时间)?[:：]?\s*(\d{4}\s*[年./-]\s*\d{1,2}(?:\s*[月./-]\s*\d{1,2}\s*日?)?\s*月?)"
)
_RD_YMD = re.compile(r"(\d{4})\s*[年./_-]\s*(\d{1,2})\s*[月./_-]\s*(\d{1,2})\s*日?")
_RD_YM = re.compile(r"(\d{4})\s*(?:年|[./_-])\s*(\d{1,2})(?:\s*月|(?!\d))")
_RD_COMPACT = re.compile(r"(?<!\d)(20\d{2})(0[1-9]|1[0-2])(?!\d)")


_DASH = r"\s*[-~～至到—–－]\s*"
_CN_DIGIT = {"一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "1": 1, "2": 2, "3": 3, "4": 4}
# 2023年1-8月, 2023年1—8月, 2023年1至8月 (year to the end of month N)
_RD_MONTHS = re.compile(rf"(\d{{4}})\s*年?\s*(?:度\s*)?1{_DASH}(\d{{1,2}})\s*月")
# 2023年前三季度, 2023年1-3季度, 2023年第三季度, 2023年上半年, 2023年全年
_RD_QUARTER = re.compile(
    rf"(\d{{4}})\s*年?\s*(?:度\s*)?(?:前([一二三四两1-4])个?|[1一]{_DASH}([1-4一二三四])|第?([一二三四1-4]))\s*季度"
)
_RD_HALF = re.compile(r"(\d{4})\s*年?\s*(?:度\s*)?(上半年|下半年|全年)")
# 2023年8月上旬 / 中旬 / 下旬
_RD_TEN_DAYS = re.compile(r"(\d{4})\s*年\s*(\d{1,2})\s*月\s*(上旬|中旬|下旬)")
_TEN_DAY_END = {"上旬": 10, "中旬": 20}


def find_report_period(text: Any) -> tuple[pd.Timestamp | None, str]:
    """The report date a text names and how: ``"day"`` (a date with its day written),
    ``"month"`` (a month: its end), ``"period"`` (``1-8月``, ``前三季度``, ``上半年``, ``全年``,
    ``8月下旬``: the period's end) or ``""`` (none)."""
    if text is None:
        return None, ""
    norm = normalize_text(str(text))
    m = _RD_LABELLED.search(norm)
    if m:  # an explicit 截至日期 beats any period in the same text
        ts, kind = _date_in(m.group(1))
        if ts is not None:
            return ts, kind
    m = _RD_TEN_DAYS.search(norm)
    if m:
        year, month = int(m.group(1)), int(m.group(2))
        ts = (
            _valid(year, month, _TEN_DAY_END[m.group(3)])
            if m.group(3) in _TEN_DAY_END
            else _month(year, month, None)
        )
        if ts is not None:
            return ts, "period"
    m = _RD_MONTHS.search(norm)
    if m:
        ts = _month(int(m.group(1)), int(m.group(2)), None)
        if ts is not None:
            return ts, "period"
    m = _RD_QUARTER.search(norm)
    if m:
        quarter = _CN_DIGIT[m.group(2) or m.group(3) or m.group(4)]
        ts = _month(int(m.group(1)), 3 * quarter, None)
        if ts is not None:
            return ts, "period"
    m = _RD_HALF.search(norm)
    if m:
        month = 6 if m.group(2) == "上半年" else 12
        ts = _month(int(m.group(1)), month, None)
        if ts is not None:
            return ts, "period"
    return _date_in(norm)


def _date_in(candidate: str) -> tuple[pd.Timestamp | None, str]:
    m = _RD_YMD.search(candidate)
    if m:
        ts = _valid(int(m.group(1)), int(m.group(2)), int(m.group(3)))
        if ts is not None:
            return ts, "day"
    m = _RD_YM.search(candidate) or _RD_COMPACT.search(candidate)
    if m:
        ts = _month(int(m.group(1)), int(m.group(2)), None)
        if ts is not None:
            return ts, "month"
    return None, ""


def find_report_date(text: Any) -> pd.Timestamp | None:
    """A report date (截至日期) written in a title, sheet, file or folder name.

    ``截至日期：2023年8月31日`` -> 2023-08-31; ``2023年8月`` or ``2023-08`` -> the month's end;
    a period (``2023年1-8月``, ``2023年前三季度``, ``上半年``, ``8月下旬``) -> the period's end.
    """
    return find_report_period(text)[0]
