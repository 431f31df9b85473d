"""Raw sheets -> ledger rows: header detection, row classification, value parsing.

A sheet is read as a county ledger looks on screen: title and 截至日期 lines, a one- or
two-row (merged) header, section rows (``一、已签约未供地项目（5个）``) that set the category
of the rows below them, project rows, 小计/合计 rows, blank rows and a footer. Every
non-empty row is counted as a project row, a structural row, or a rejected row with an
issue — nothing is dropped silently.

Reading happens in two steps so that the cost grows with the number of cells and of
distinct spellings, not with the number of sheets:

1. :func:`scan_sheet` looks at the top of one sheet (plain Python on a few rows): the
   header, the title lines, the county and report date the sheet names;
2. :func:`parse_bodies` takes the body rows of many sheets at once and classifies rows and
   parses values column-wise over all of them, each distinct cell value once.

:func:`read_sheet` does both for one sheet.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import PurePath
from typing import Any

import numpy as np
import pandas as pd

from .headers import CHILD_WORDS, PLANNED_GOAL, SEQ, HeaderMatch, match_header
from .readers import RawSheet
from .schema import BOOL_COLUMNS, COLUMN_LABELS, DATE_COLUMNS, MONEY_COLUMNS, TEXT_COLUMNS
from .text import clean_cell_text, normalize_label, normalize_text
from .values import (
    Note,
    date_uses_report_date,
    find_county,
    find_report_date,
    parse_bool,
    parse_county,
    parse_date,
    parse_money,
    parse_stage,
)

__all__ = [
    "ISSUE_COLUMNS",
    "Hint",
    "SheetResult",
    "SheetScan",
    "make_issue",
    "parse_bodies",
    "read_sheet",
    "scan_sheet",
]

NAME_KEY = "_name_key"  # records: the normalised name, for project identity
ISSUE_COLUMNS = ("severity", "code", "message", "county", "file", "sheet", "row", "column", "value")

HEADER_SCAN_ROWS = 30  # a header further down than this is not looked for

_TOTAL = re.compile(r"^(合计|小计|总计|共计|累计|汇总|全市合计|其中)")
_FOOTER = re.compile(
    r"^(填表人|填报人|审核人|审核|制表人|制表|联系人|联系电话|电话|负责人|单位负责人|分管领导|"
    r"说明|填表说明|注[:：]|备注[:：]|附注|注释|签字|盖章|单位[（(]盖章)"
)
_SECTION_NUMBER = re.compile(
    r"^([一二三四五六七八九十]+|\d+|[(（][一二三四五六七八九十\d]+[)）])[、.．)）]"
)

# text kept as typed (county and category are parsed, not kept)
_TEXT_FIELDS = tuple(c for c in TEXT_COLUMNS if c not in ("county", "category"))
_DATE_FIELDS = (*DATE_COLUMNS[:-1], PLANNED_GOAL)

# Order in which one sheet's issues were always reported (ties in the final sort keep it).
_P_UNKNOWN_SECTION = 0
_P_MISSING_NAME = 1
_P_UNKNOWN_COUNTY = 2
_P_COUNTY_CONFLICT = 3
_P_NO_COUNTY = 4
_P_RD_NOTES = 5
_P_RD_CONFLICT = 6
_P_NO_RD = 7
_P_MONEY_NOTES = 8
_P_NO_INVESTMENT = 9
_P_DATE_NOTES = 10
_P_BOOL_NOTES = 11
_P_BAD_CATEGORY = 12

IssueKey = tuple[int, int, int, int]


@dataclass(frozen=True)
class Hint:
    """A sheet-level guess of the county or report date, with where it came from."""

    source: str  # "sheet" | "title" | "file" | "folder"
    value: Any
    month_only: bool = False


@dataclass
class SheetResult:
    """Parsed rows of one sheet (canonical column names) and the accounting for it.

    ``records`` is filled by :func:`read_sheet`; :func:`parse_bodies` returns the records
    of many sheets as one frame instead.
    """

    file: str
    sheet: str
    records: pd.DataFrame | None = None
    issues: list[dict[str, Any]] = field(default_factory=list)
    rows_read: int = 0
    project_rows: int = 0
    structural_rows: int = 0
    rejected_rows: int = 0
    county: str | None = None
    report_date: pd.Timestamp | None = None
    has_header: bool = False


def make_issue(
    severity: str,
    code: str,
    message: str,
    *,
    file: str | None = None,
    sheet: str | None = None,
    row: int | None = None,
    column: str | None = None,
    value: Any = None,
    county: str | None = None,
) -> dict[str, Any]:
    """One issue record (a row of ``Campaign.issues``)."""
    if isinstance(value, float) and value.is_integer():
        value = str(int(value))
    elif isinstance(value, pd.Timestamp):
        value = value.date().isoformat()
    elif value is not None and not isinstance(value, str):
        value = str(value)
    return {
        "severity": severity,
        "code": code,
        "message": message,
        "county": county,
        "file": file,
        "sheet": sheet,
        "row": row,
        "column": column,
        "value": value,
    }


# ---------------------------------------------------------------------------------------
# header


@dataclass
class _Header:
    row: int  # index into the grid of the (first) header row
    depth: int  # 1 or 2 rows
    columns: dict[int, HeaderMatch]  # grid column -> match
    unrecognised: list[tuple[int, str]]


def _cell_text(value: Any) -> str:
    """A header or title cell as the user typed it, whitespace folded."""
    if value is None:
        return ""
    if isinstance(value, float) and value != value:
        return ""
    return " ".join(str(value).split())


def _is_header_row(cells: list[Any]) -> bool:
    """Two or more cells name ledger columns, one of them 项目名称."""
    texts = [v for v in cells if isinstance(v, str) and len(v) <= 40 and v.strip()]
    if len(texts) < 2:  # a title or a date line: no need to match it
        return False
    found = {match_header(v).column for v in texts} - {""}
    return "name" in found and len(found) >= 2


def _merged_parent(merged: list[tuple[int, int, int, int]], row: int, col: int) -> int | None:
    """Column of the top-left cell of a horizontal merge covering (row, col)."""
    for r0, c0, r1, c1 in merged:
        if r0 <= row <= r1 and c0 <= col <= c1 and c1 > c0:
            return c0
    return None


def _find_header(grid: list[list[Any]], sheet: RawSheet) -> _Header | None:
    best = None
    for i, cells in enumerate(grid[:HEADER_SCAN_ROWS]):
        if _is_header_row(cells):
            best = i
            break
    if best is None:
        return None
    top = grid[best]
    width = max(len(r) for r in grid[best : best + 2])
    top = list(top) + [None] * (width - len(top))
    below = (
        list(grid[best + 1]) + [None] * (width - len(grid[best + 1]))
        if best + 1 < len(grid)
        else []
    )
    name_col = next(
        i for i, v in enumerate(top) if isinstance(v, str) and match_header(v).column == "name"
    )

    two_rows = False
    if below and below[name_col] in (None, ""):
        texts = [_cell_text(v) for v in below if v not in (None, "")]
        two_rows = (
            len(texts) >= 2
            and all(isinstance(v, str) for v in below if v not in (None, ""))
            and all(len(t) <= 20 and not _SECTION_NUMBER.match(t) for t in texts)
            and all(
                CHILD_WORDS.match(re.sub(r"[\s()]", "", normalize_text(t)))
                or match_header(t).column
                for t in texts
            )
        )

    columns: dict[int, HeaderMatch] = {}
    unrecognised: list[tuple[int, str]] = []
    abs_row = sheet.first_row + best
    last_parent: str | None = None
    for c in range(width):
        parent_cell = _cell_text(top[c])
        child_cell = _cell_text(below[c]) if two_rows else ""
        if parent_cell:
            last_parent = parent_cell
        elif two_rows and child_cell:
            # under a merged parent: take the parent from the merge, else the nearest left
            mc = _merged_parent(sheet.merged, abs_row, sheet.first_col + c)
            parent_cell = (
                _cell_text(top[mc - sheet.first_col]) if mc is not None else (last_parent or "")
            )
        if not parent_cell and not child_cell:
            continue
        if parent_cell and child_cell:
            m = match_header(child_cell, parent_cell)
        else:
            m = match_header(child_cell or parent_cell)
        if m.column:
            columns[c] = m
        else:
            unrecognised.append((c, m.text))
    return _Header(best, 2 if two_rows else 1, columns, unrecognised)


# ---------------------------------------------------------------------------------------
# value parsing, one distinct value at a time


def _factorize(values: np.ndarray) -> tuple[np.ndarray, list[Any]]:
    """Codes (-1 for a missing value) and distinct values, keeping True apart from 1."""
    codes, uniques = pd.factorize(values, use_na_sentinel=True)
    distinct = set(uniques)  # a bool, 0 or 1 among them equals 0 or 1 (cheap pre-check)
    if (0 in distinct or 1 in distinct) and any(
        type(u) is bool or (isinstance(u, int | float) and u in (0, 1)) for u in uniques
    ):
        # True == 1 and False == 0 when hashed: keep booleans apart from numbers
        keys = np.empty(len(values), dtype=object)
        keys[:] = [None if v is None else (type(v), v) for v in values]
        codes, tagged = pd.factorize(keys, use_na_sentinel=True)
        return codes, [u[1] for u in tagged]
    return codes, list(uniques)


@dataclass
class _Parsed:
    """Parsed values of one column: ``values[codes]`` row by row (code -1: missing)."""

    codes: np.ndarray
    values: list[Any]
    notes: list[Note | None]

    def _take(self, distinct: np.ndarray) -> np.ndarray:
        return distinct[self.codes]  # code -1 takes the last element: the missing value

    def objects(self) -> np.ndarray:
        out = np.empty(len(self.values) + 1, dtype=object)
        out[:-1] = self.values
        return self._take(out)

    def note_array(self) -> np.ndarray:
        out = np.empty(len(self.notes) + 1, dtype=object)
        out[:-1] = self.notes
        return self._take(out)

    def floats(self) -> np.ndarray:
        out = np.array([*(np.nan if v is None else v for v in self.values), np.nan], dtype=float)
        return self._take(out)

    def dates(self) -> pd.Series:
        distinct = pd.to_datetime(pd.Series([*self.values, None], dtype=object))
        return pd.Series(self._take(distinct.to_numpy(dtype="datetime64[ns]")))


class ParseMemo:
    """Parse results shared by the batches of one load: the same dates, amounts and yes/no
    spellings recur in every monthly ledger. Keys keep the type (``True`` is not ``1``)."""

    def __init__(self) -> None:
        self.tables: dict[str, dict[tuple[Any, ...], Any]] = {}

    def wrap(self, name: str, func: Callable[..., Any]) -> Callable[..., Any]:
        """``func`` answering from the table ``name`` when it has seen the arguments."""
        table = self.tables.setdefault(name, {})

        def call(value: Any, *context: Any) -> Any:
            key = (type(value), value, *context)
            try:
                return table[key]
            except KeyError:
                result = table[key] = func(value, *context)
                return result
            except TypeError:  # unhashable
                return func(value, *context)

        return call


def _memo(memo: ParseMemo | None, name: str, func: Callable[..., Any]) -> Callable[..., Any]:
    return func if memo is None else memo.wrap(name, func)


def _parse_column(
    values: np.ndarray,
    parser: Callable[..., tuple[Any, Note | None]],
    context: np.ndarray | None = None,
    needs_context: Callable[[Any], bool] | None = None,
) -> _Parsed:
    """``parser`` applied to each distinct non-null value.

    With ``context`` (one value per row, e.g. the row's report date), a distinct value for
    which ``needs_context(value)`` is parsed once per distinct context as
    ``parser(value, context)``; other values once as ``parser(value, None)``.
    """
    codes, uniques = _factorize(values)
    if context is None:
        results = [parser(u) for u in uniques]
        return _Parsed(codes, [r[0] for r in results], [r[1] for r in results])
    needs = np.array([needs_context(u) for u in uniques] + [False], dtype=bool)
    results = [(None, None) if needs[i] else parser(u, None) for i, u in enumerate(uniques)]
    rows = np.flatnonzero(needs[codes])
    if rows.size:
        ctx_codes, ctx_uniques = pd.factorize(context[rows], use_na_sentinel=True)
        if np.issubdtype(ctx_uniques.dtype, np.datetime64):
            ctx_uniques = [pd.Timestamp(u) for u in ctx_uniques]
        ctx_list = [*ctx_uniques, None]  # code -1 (no context) -> None
        width = len(ctx_list)
        pair = codes[rows].astype("int64") * width + np.where(ctx_codes < 0, width - 1, ctx_codes)
        distinct, inverse = np.unique(pair, return_inverse=True)
        start = len(results)
        results += [parser(uniques[p // width], ctx_list[p % width]) for p in distinct]
        codes = codes.astype("int64", copy=True)
        codes[rows] = start + inverse.reshape(-1)
    return _Parsed(codes, [r[0] for r in results], [r[1] for r in results])


def _money_column(
    values: np.ndarray, units: np.ndarray, memo: ParseMemo | None = None
) -> tuple[np.ndarray, np.ndarray]:
    """:func:`parse_money` of each cell with its sheet's unit -> (amounts [万元], notes).

    Plain non-negative numbers are converted all at once; anything else (text, negative or
    not finite) goes through :func:`parse_money`, each distinct (value, unit) once.
    """
    codes, uniques = _factorize(values)
    number = np.full(len(uniques) + 1, np.nan)
    for i, u in enumerate(uniques):
        if isinstance(u, int | float) and not isinstance(u, bool):
            x = float(u)
            if math.isfinite(x) and x >= 0:
                number[i] = x
    amounts = number[codes] * units
    notes = np.full(len(values), None, dtype=object)
    slow = np.flatnonzero((codes >= 0) & np.isnan(number[codes]))
    if slow.size:
        parser = _memo(memo, "money", lambda v, u: parse_money(v, unit=u))
        parsed = _parse_column(values[slow], parser, units[slow], lambda v: True)
        amounts[slow] = parsed.floats()
        notes[slow] = parsed.note_array()
    return amounts, notes


def _map_distinct(values: np.ndarray, func: Callable[[Any], Any]) -> np.ndarray:
    """``func`` of each distinct non-null value, as an object array (None where missing)."""
    codes, uniques = _factorize(values)
    out = np.empty(len(uniques) + 1, dtype=object)
    out[:-1] = [func(u) for u in uniques]
    return out[codes]


def _text_value(value: Any) -> Any:
    if value is None:
        return None
    if isinstance(value, float):
        if value != value:
            return None
        if value.is_integer():
            return str(int(value))
    if isinstance(value, pd.Timestamp):
        return value.date().isoformat()
    text = clean_cell_text(str(value))
    return text or None


class _Labels:
    """Cells read as row labels (:func:`~zqcampaign.text.normalize_label`), each distinct
    cell value normalised and matched once."""

    def __init__(self, values: np.ndarray):
        self.codes, uniques = pd.factorize(values, use_na_sentinel=True)
        self.distinct = [*(normalize_label(u) for u in uniques), ""]  # code -1: missing
        self.label_of = {
            u: d for u, d in zip(uniques, self.distinct, strict=False) if type(u) is str
        }

    def texts(self) -> np.ndarray:
        return np.array(self.distinct, dtype=object)[self.codes]

    def matches(self, rx: re.Pattern[str]) -> np.ndarray:
        hit = np.array([rx.match(t) is not None for t in self.distinct], dtype=bool)
        return hit[self.codes]

    def apply(self, func: Callable[[str], Any], where: np.ndarray) -> np.ndarray:
        """``func`` of the label of the rows ``where``; None elsewhere."""
        out = np.empty(len(self.distinct), dtype=object)
        for code in np.unique(self.codes[where]):
            out[code] = func(self.distinct[code])
        result = out[self.codes]
        result[~where] = None
        return result


# ---------------------------------------------------------------------------------------
# the sheet-level part


def _resolve(
    hints: list[Hint], kind: str, label: str, *, file: str, sheet: str
) -> tuple[Any, list[dict[str, Any]]]:
    """Pick the highest-preference hint; report hints that disagree with it."""
    issues: list[dict[str, Any]] = []
    chosen = next((h for h in hints if h.value is not None), None)
    if chosen is None:
        return None, issues
    for h in hints:
        if h is chosen or h.value is None:
            continue
        same = h.value == chosen.value
        if kind == "date" and not same:
            # a month-only hint agrees with any date in that month
            if h.month_only or chosen.month_only:
                same = (h.value.year, h.value.month) == (chosen.value.year, chosen.value.month)
        if not same:
            shown = h.value.date() if kind == "date" else h.value
            chosen_shown = chosen.value.date() if kind == "date" else chosen.value
            issues.append(
                make_issue(
                    "warning",
                    f"{kind if kind == 'county' else 'report_date'}_conflict",
                    f"{_SOURCE_LABEL[h.source]}显示{label}为 {shown}，"
                    f"与{_SOURCE_LABEL[chosen.source]}的 {chosen_shown} 不一致，按后者计",
                    file=file,
                    sheet=sheet,
                    value=str(shown),
                    county=chosen.value if kind == "county" else None,
                )
            )
            break
    return chosen.value, issues


_SOURCE_LABEL = {
    "column": "表内列",
    "section": "分组行",
    "sheet": "工作表名",
    "title": "表头标题",
    "file": "文件名",
    "folder": "文件夹名",
}

_DAY_WRITTEN = re.compile(r"\d{1,2}\s*日|\d{4}[-./]\d{1,2}[-./]\d{1,2}")


def date_hint(source: str, text: Any) -> Hint:
    ts = find_report_date(text)
    month_only = ts is not None and not _DAY_WRITTEN.search(normalize_text(str(text)))
    return Hint(source, ts, month_only)


def _nonempty(row: list[Any]) -> bool:
    return any(v is not None and not (isinstance(v, str) and not v.strip()) for v in row)


@dataclass
class SheetScan:
    """The top of one sheet, read; its body rows waiting for :func:`parse_bodies`."""

    result: SheetResult
    body: list[list[Any]] = field(default_factory=list)  # rows after the header, as read
    first_body_row: int = 0  # 1-based spreadsheet row of body[0]
    columns: dict[str, int] = field(default_factory=dict)  # canonical name -> grid column
    header_text: dict[str, str] = field(default_factory=dict)  # canonical name -> header
    units: dict[str, float] = field(default_factory=dict)  # money column -> unit to 万元
    header_name: str = ""  # the 项目名称 header, normalised (a repeated header row)
    issues: list[dict[str, Any]] = field(default_factory=list)  # reported before the body


def scan_sheet(
    raw: RawSheet,
    *,
    file: str,
    path: PurePath,
    aliases: Mapping[str, str],
    folder_hints: tuple[Hint, Hint] | None = None,
) -> SheetScan:
    """Read the top of one sheet: header, title lines, county and report date.

    Parameters
    ----------
    raw
        The sheet's cell grid from :func:`zqcampaign.readers.read_workbook`.
    file
        The file name as issues show it (relative to the loaded folder).
    path
        The file's path, for county and date hints in its name and folder.
    aliases
        Normalised spelling -> canonical county name (``Config.alias_map()``).
    folder_hints
        County and report-date hints of the file's folder.

    Returns
    -------
    SheetScan
        ``result`` holds the sheet-level findings (``has_header``, ``county``,
        ``report_date``, the rows above the body); ``body`` the rows still to parse.
    """
    grid = raw.rows
    base = raw.first_row + 1  # grid index -> 1-based spreadsheet row
    sheet = raw.name
    result = SheetResult(file=file, sheet=sheet)
    scan = SheetScan(result, issues=result.issues)

    header = _find_header(grid, raw)
    if header is None:
        result.rows_read = sum(map(_nonempty, grid))
        if result.rows_read == 0:
            return scan
        result.rejected_rows = result.rows_read
        result.issues.append(
            make_issue(
                "warning",
                "no_header",
                f"工作表中没有找到台账表头（应有“项目名称”等列），{result.rows_read} 行未读取",
                file=file,
                sheet=sheet,
            )
        )
        return scan

    result.has_header = True
    first_body = header.row + header.depth
    top_nonempty = [_nonempty(r) for r in grid[:first_body]]
    result.rows_read = result.structural_rows = sum(top_nonempty)

    # -- title lines: county and report date -------------------------------------------
    preamble = [
        " ".join(_cell_text(v) for v in grid[i] if v is not None)
        for i in range(header.row)
        if top_nonempty[i]
    ]
    title_text = " ".join(preamble)
    county_hints = [
        Hint("sheet", find_county(sheet, aliases)),
        Hint("title", find_county(title_text, aliases)),
        Hint("file", find_county(path.stem, aliases)),
    ]
    date_hints = [
        date_hint("sheet", sheet),
        date_hint("title", title_text),
        date_hint("file", path.stem),
    ]
    if folder_hints is not None:
        county_hints.append(folder_hints[0])
        date_hints.append(folder_hints[1])
    county, issues = _resolve(county_hints, "county", "县（市、区）", file=file, sheet=sheet)
    result.issues += issues
    report_date, issues = _resolve(date_hints, "date", "截至日期", file=file, sheet=sheet)
    result.issues += issues
    result.county, result.report_date = county, report_date

    for _c, text in header.unrecognised:
        result.issues.append(
            make_issue(
                "info",
                "unrecognised_column",
                f"列“{text}”不是台账的标准列，已忽略其内容",
                file=file,
                sheet=sheet,
                row=base + header.row,
                column=text,
                county=county,
            )
        )

    body = grid[first_body:]
    if not any(map(_nonempty, body)):
        return scan
    scan.body = body
    scan.first_body_row = base + first_body

    for c, m in header.columns.items():
        if m.column in scan.columns:
            result.issues.append(
                make_issue(
                    "info",
                    "duplicate_column",
                    f"列“{m.text}”与前面的列含义相同，已按前一列读取",
                    file=file,
                    sheet=sheet,
                    row=base + header.row,
                    column=m.text,
                    county=county,
                )
            )
        else:
            scan.columns[m.column] = c
            scan.header_text[m.column] = m.text
    scan.units = {
        name: header.columns[scan.columns[name]].unit
        for name in MONEY_COLUMNS
        if name in scan.columns
    }
    scan.header_name = normalize_label(grid[header.row][scan.columns["name"]])
    return scan


# ---------------------------------------------------------------------------------------
# the bodies of many sheets at once


def _body_matrix(scans: Sequence[SheetScan]) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(cells, sheet number, 1-based row) of every body row; one spare all-empty column.

    Whitespace-only text is already an empty cell (:class:`~zqcampaign.readers.RawSheet`).
    """
    sizes = [len(s.body) for s in scans]
    width = max((max(map(len, s.body)) for s in scans if s.body), default=0)
    cells = np.full((sum(sizes), width + 1), None, dtype=object)
    at = 0
    for s, n in zip(scans, sizes, strict=True):
        if not n:
            continue
        lengths = set(map(len, s.body))
        w = max(lengths)
        if len(lengths) == 1:
            cells[at : at + n, :w] = s.body
        else:  # ragged rows (CSV)
            cells[at : at + n, :w] = [r + [None] * (w - len(r)) for r in s.body]
        at += n
    sheet_no = np.repeat(np.arange(len(scans)), sizes)
    first = np.array([s.first_body_row for s in scans], dtype="int64")
    starts = np.cumsum([0, *sizes[:-1]])
    row = first[sheet_no] + (np.arange(len(sheet_no)) - np.asarray(starts, dtype="int64")[sheet_no])
    return cells, sheet_no, row


def _ffill_in_sheet(values: np.ndarray, valid: np.ndarray, sheet_start: np.ndarray) -> np.ndarray:
    """Carry each valid value down to the rows below it, never across a sheet boundary."""
    n = len(values)
    marker = np.where(valid, np.arange(n), -1)
    last = np.maximum.accumulate(marker) if n else marker
    ok = last >= sheet_start
    out = np.empty(n, dtype=object)
    out[:] = None
    out[ok] = values[last[ok]]
    return out


def _notna(values: np.ndarray) -> np.ndarray:
    return ~pd.isna(values)


def parse_bodies(
    scans: Sequence[SheetScan], aliases: Mapping[str, str], memo: ParseMemo | None = None
) -> tuple[pd.DataFrame, list[tuple[IssueKey, dict[str, Any]]]]:
    """Classify and parse the body rows of many scanned sheets at once.

    Parameters
    ----------
    scans
        Sheets from :func:`scan_sheet`; their ``result`` row counts are completed here.
    aliases
        Normalised spelling -> canonical county name.
    memo
        Parse results to share with the other batches of the same load.

    Returns
    -------
    records : pandas.DataFrame
        One row per accepted project row, canonical columns plus ``declared_category``,
        ``planned_goal_on``, ``source_file``, ``source_sheet`` and ``source_row``.
    issues : list of (key, issue)
        ``key`` = (scan number, phase, column number, row): sorting by it gives the order
        in which one sheet's findings are reported.
    """
    keyed: list[tuple[IssueKey, dict[str, Any]]] = []
    number = [i for i, s in enumerate(scans) if s.body]  # position in the caller's list
    scans = [scans[i] for i in number]
    if not scans:
        return _empty_records(), keyed
    cells, sid, row1 = _body_matrix(scans)
    width = cells.shape[1] - 1
    spare = width  # the all-empty column stands for a column a sheet does not have
    files = np.array([s.result.file for s in scans], dtype=object)
    sheets = np.array([s.result.sheet for s in scans], dtype=object)
    counties = np.array([s.result.county for s in scans], dtype=object)
    n_scans = len(scans)

    def col_index(name: str) -> np.ndarray:
        """Each sheet's column of ``name`` (the spare column when it has none)."""
        index = np.array([s.columns.get(name, spare) for s in scans], dtype="int64")
        return np.where(index < width, index, spare)  # a header over no cell: no column

    # -- non-empty rows, and what each holds ----------------------------------------------
    notnull = _notna(cells[:, :width])
    keep_rows = notnull.any(axis=1)
    if not keep_rows.all():  # a row of NaN cells only is read too (then found empty)
        rest = np.flatnonzero(~keep_rows)
        keep_rows[rest] = (cells[rest, :width] != None).any(axis=1)  # noqa: E711
    body_rows = np.bincount(sid[keep_rows], minlength=n_scans)
    for s, n in zip(scans, body_rows, strict=True):
        s.result.rows_read += int(n)
    cells, sid, row1, notnull = (
        cells[keep_rows],
        sid[keep_rows],
        row1[keep_rows],
        notnull[keep_rows],
    )
    n = len(sid)  # every scan with a body has a non-empty body row
    at = np.arange(n)
    sheet_start = np.searchsorted(sid, sid, side="left")

    data_mask = np.zeros((n_scans, width), dtype=bool)
    for i, s in enumerate(scans):
        data_mask[i, [c for name, c in s.columns.items() if name != SEQ and c < width]] = True
    n_all = notnull.sum(axis=1)
    n_data = (notnull & data_mask[sid]).sum(axis=1)
    lead = cells[at, notnull.argmax(axis=1)]
    name_raw = cells[at, col_index("name")[sid]]

    # -- classify rows (each distinct label once) ------------------------------------------
    lead_label = _Labels(lead)
    name_label = _Labels(name_raw)
    is_total = lead_label.matches(_TOTAL) | name_label.matches(_TOTAL)
    is_footer = lead_label.matches(_FOOTER) & ~is_total
    header_names = np.array([s.header_name for s in scans], dtype=object)
    is_repeat_header = name_label.texts() == header_names[sid]
    # section rows hold one or two cells; only those are matched against categories/counties
    few = n_all <= 2
    section_category = lead_label.apply(parse_stage, few)
    section_county = lead_label.apply(
        lambda t: (
            parse_county(t, aliases)
            or (find_county(t, aliases) if _SECTION_NUMBER.match(t) else None)
        ),
        few,
    )
    has_cat = section_category != None  # noqa: E711
    has_county = section_county != None  # noqa: E711
    looks_section = few & (lead_label.matches(_SECTION_NUMBER) | has_cat | has_county)
    is_section = looks_section & ~is_total & ~is_footer
    structural = is_total | is_footer | is_repeat_header | is_section
    seq_only = (n_data == 0) & ~structural  # a numbered empty row
    is_project = (name_label.codes >= 0) & ~structural
    rejected = ~structural & ~seq_only & ~is_project

    # a section row sets the category of the rows below it until the next section row (a
    # section naming no category, e.g. a new county, clears it); county sections persist
    # until the next county section
    cat_marks = np.where(has_cat, section_category, "")
    sec_cat = _ffill_in_sheet(cat_marks, is_section, sheet_start)
    sec_cat[sec_cat == ""] = None
    sec_county = _ffill_in_sheet(section_county, is_section & has_county, sheet_start)

    def sheet_issue(
        phase: int, i: int, severity: str, code: str, message: str, *, col: int = 0, **kw: Any
    ) -> None:
        s = int(sid[i])
        r = int(row1[i])
        issue = make_issue(severity, code, message, file=files[s], sheet=sheets[s], **kw)
        keyed.append(((number[s], phase, col, r), issue))

    for i in np.flatnonzero(is_section & ~has_cat & ~has_county):
        sheet_issue(
            _P_UNKNOWN_SECTION,
            i,
            "info",
            "unknown_section",
            f"分组行“{lead[i]}”未指明项目类别",
            row=int(row1[i]),
            value=lead[i],
            county=counties[sid[i]],
        )
    for i in np.flatnonzero(rejected):
        s = scans[sid[i]]
        cells_i = cells[i]
        data_values = [
            cells_i[c]
            for name, c in s.columns.items()
            if name != SEQ and c < width and cells_i[c] is not None
        ]
        shown = data_values[0] if data_values else next(v for v in cells_i if v is not None)
        sheet_issue(
            _P_MISSING_NAME,
            i,
            "error",
            "missing_name",
            "该行有数据但没有项目名称，未计入统计；请补填项目名称",
            row=int(row1[i]),
            column=s.header_text.get("name", "项目名称"),
            value=shown,
            county=counties[sid[i]],
        )

    structural_count = np.bincount(sid[structural | seq_only], minlength=n_scans)
    rejected_count = np.bincount(sid[rejected], minlength=n_scans)
    for s, k, r in zip(scans, structural_count, rejected_count, strict=True):
        s.result.structural_rows += int(k)
        s.result.rejected_rows = int(r)
    if not is_project.any():
        return _empty_records(), keyed

    # -- project rows -------------------------------------------------------------------
    keep = np.flatnonzero(is_project)
    cells, sid, row1 = cells[keep], sid[keep], row1[keep]
    sec_cat, sec_county = sec_cat[keep], sec_county[keep]
    n = len(keep)
    ok = np.ones(n, dtype=bool)

    def raw(name: str) -> np.ndarray:
        return cells[np.arange(n), col_index(name)[sid]]

    def label_of(name: str) -> np.ndarray:
        default = COLUMN_LABELS.get(name, name)
        return np.array([s.header_text.get(name, default) for s in scans], dtype=object)

    def add_notes(
        phase: int, col: int, name: str, values: np.ndarray, notes: np.ndarray, county_of: Any
    ) -> None:
        labels = label_of(name)
        for i in np.flatnonzero(notes != None):  # noqa: E711
            note = notes[i]
            sheet_issue(
                phase,
                i,
                note.severity,
                note.code,
                note.message,
                col=col,
                row=int(row1[i]),
                column=labels[sid[i]],
                value=values[i],
                county=county_of[i],
            )

    # county: column > section > sheet-level
    county_raw = raw("county")
    county_col = _map_distinct(
        county_raw, _memo(memo, "county", lambda v: parse_county(v, aliases))
    )
    has_col = county_col != None  # noqa: E711
    row_county = np.where(has_col, county_col, sec_county)
    row_county = np.where(row_county != None, row_county, counties[sid])  # noqa: E711
    unknown = _notna(county_raw) & ~has_col
    county_label = np.array([s.header_text.get("county") for s in scans], dtype=object)
    for i in np.flatnonzero(unknown):
        fallback = row_county[i]
        if fallback is None or fallback != fallback:
            ok[i] = False
            msg = f"县（市、区）“{county_raw[i]}”不在配置的名单中，该行未计入；请改为规范名称"
            sev = "error"
        else:
            msg = f"县（市、区）“{county_raw[i]}”不在配置的名单中，按{fallback}计；请改为规范名称"
            sev = "warning"
        sheet_issue(
            _P_UNKNOWN_COUNTY,
            i,
            sev,
            "unknown_county",
            msg,
            row=int(row1[i]),
            column=county_label[sid[i]],
            value=county_raw[i],
            county=fallback if isinstance(fallback, str) else None,
        )
    conflict = has_col & (sec_county != None) & (county_col != sec_county)  # noqa: E711
    for i in np.flatnonzero(conflict):
        sheet_issue(
            _P_COUNTY_CONFLICT,
            i,
            "warning",
            "county_conflict",
            f"县（市、区）列为 {county_col[i]}，与分组行的 {sec_county[i]} 不一致，按列计",
            row=int(row1[i]),
            column=county_label[sid[i]],
            value=county_raw[i],
            county=county_col[i],
        )
    no_county = (row_county == None) & ~unknown  # noqa: E711
    name_header = np.array([s.header_text.get("name") for s in scans], dtype=object)
    name_values = raw("name")
    for i in np.flatnonzero(no_county):
        ok[i] = False
        sheet_issue(
            _P_NO_COUNTY,
            i,
            "error",
            "no_county",
            "无法确定该行属于哪个县（市、区）：请在文件名、标题或“县（市、区）”列中写明",
            row=int(row1[i]),
            column=name_header[sid[i]],
            value=name_values[i],
        )

    # report date: column > sheet-level
    sheet_rd = np.empty(n_scans, dtype=object)
    sheet_rd[:] = [s.result.report_date for s in scans]
    sheet_rd64 = pd.to_datetime(pd.Series(sheet_rd, dtype=object)).to_numpy("datetime64[ns]")
    rd_raw = raw("report_date")
    rd_parsed = _parse_column(rd_raw, _memo(memo, "date", parse_date))
    rd_col = rd_parsed.objects()
    add_notes(_P_RD_NOTES, 0, "report_date", rd_raw, rd_parsed.note_array(), row_county)
    has_rd = rd_col != None  # noqa: E711
    row_rd = np.where(has_rd, rd_parsed.dates().to_numpy(), sheet_rd64[sid])
    rd_label = np.array([s.header_text.get("report_date") for s in scans], dtype=object)
    differs = has_rd & (sheet_rd[sid] != None)  # noqa: E711
    for i in np.flatnonzero(differs):
        sheet_date = sheet_rd[sid[i]]
        if rd_col[i] == sheet_date:
            continue
        sheet_issue(
            _P_RD_CONFLICT,
            i,
            "warning",
            "report_date_conflict",
            f"截至日期列为 {rd_col[i].date()}，与表头的 {sheet_date.date()} 不一致，按列计",
            row=int(row1[i]),
            column=rd_label[sid[i]],
            value=rd_raw[i],
            county=row_county[i],
        )
    no_rd = np.isnat(row_rd)
    if no_rd.any():
        ok &= ~no_rd
        missing = np.bincount(sid[no_rd], minlength=n_scans)
        for s in np.flatnonzero(missing):
            keyed.append(
                (
                    (number[s], _P_NO_RD, 0, 0),
                    make_issue(
                        "error",
                        "no_report_date",
                        f"无法确定截至日期，{int(missing[s])} 个项目未计入：请在标题写明“截至日期：2023年8月31日”，"
                        "或在文件名中写明年月",
                        file=files[s],
                        sheet=sheets[s],
                        county=counties[s],
                    ),
                )
            )
    out: dict[str, Any] = {
        "county": row_county,
        "report_date": pd.Series(row_rd, dtype="datetime64[ns]"),
    }

    # text columns
    for name in _TEXT_FIELDS:
        out[name] = _map_distinct(raw(name), _text_value)
    # the name as project identity compares it (county + this key)
    labelled = name_label.label_of
    name_key = _map_distinct(
        out["name"], lambda t: labelled[t] if t in labelled else normalize_label(t)
    )

    # money
    for k, name in enumerate(MONEY_COLUMNS):
        units = np.array([s.units.get(name, 1.0) for s in scans], dtype="float64")[sid]
        raw_values = raw(name)
        amounts, notes = _money_column(raw_values, units, memo)
        add_notes(_P_MONEY_NOTES, k, name, raw_values, notes, row_county)
        out[name] = amounts
    ti_raw = raw("total_investment")
    ti_label = np.array(
        [s.header_text.get("total_investment", "计划总投资") for s in scans], dtype=object
    )
    for i in np.flatnonzero(np.isnan(out["total_investment"]) & ok):
        ok[i] = False
        raw_value = ti_raw[i]
        sheet_issue(
            _P_NO_INVESTMENT,
            i,
            "error",
            "bad_money" if raw_value is not None else "missing_investment",
            (
                f"计划总投资“{raw_value}”无法识别，该项目未计入；请填写数字（单位万元）"
                if raw_value is not None
                else "计划总投资未填写，该项目未计入；请填写数字（单位万元）"
            ),
            row=int(row1[i]),
            column=ti_label[sid[i]],
            value=raw_value,
            county=row_county[i],
        )

    # dates (year-less dates take the year of the row's report date)
    for k, name in enumerate(_DATE_FIELDS):
        raw_values = raw(name)
        parsed = _parse_column(
            raw_values,
            _memo(memo, "date", lambda v, rd=None: parse_date(v, report_date=rd)),
            row_rd,
            _memo(memo, "date_uses_report_date", date_uses_report_date),
        )
        add_notes(_P_DATE_NOTES, k, name, raw_values, parsed.note_array(), row_county)
        out[name] = parsed.dates()

    # yes / no
    for k, name in enumerate(BOOL_COLUMNS):
        raw_values = raw(name)
        parsed = _parse_column(raw_values, _memo(memo, "bool", parse_bool))
        add_notes(_P_BOOL_NOTES, k, name, raw_values, parsed.note_array(), row_county)
        out[name] = pd.Series(parsed.objects(), dtype=object).astype("boolean")

    # category: column > section
    cat_raw = raw("category")
    cat_col = _map_distinct(cat_raw, _memo(memo, "stage", parse_stage))
    cat_label = np.array([s.header_text.get("category") for s in scans], dtype=object)
    for i in np.flatnonzero(_notna(cat_raw) & (cat_col == None)):  # noqa: E711
        sheet_issue(
            _P_BAD_CATEGORY,
            i,
            "warning",
            "bad_category",
            f"项目类别“{cat_raw[i]}”无法识别，应为已签约未供地、已供地未动工或已动工未竣工",
            row=int(row1[i]),
            column=cat_label[sid[i]],
            value=cat_raw[i],
            county=row_county[i],
        )
    out["declared_category"] = np.where(cat_col != None, cat_col, sec_cat)  # noqa: E711
    out["planned_goal_on"] = out.pop(PLANNED_GOAL)

    records = pd.DataFrame({k: _column(v) for k, v in out.items()})
    for name in (*TEXT_COLUMNS, "declared_category"):
        if name in records:
            records[name] = records[name].astype("str")
    records["source_file"] = pd.Series(files[sid], dtype="str")
    records["source_sheet"] = pd.Series(sheets[sid], dtype="str")
    records["source_row"] = row1.astype("int64")
    records[NAME_KEY] = pd.Series(np.where(name_key == None, "", name_key), dtype=object)  # noqa: E711

    accepted = np.bincount(sid[ok], minlength=n_scans)
    refused = np.bincount(sid[~ok], minlength=n_scans)
    for s, a, r in zip(scans, accepted, refused, strict=True):
        s.result.project_rows = int(a)
        s.result.rejected_rows += int(r)
    return records[ok].reset_index(drop=True), keyed


def _column(values: Any) -> Any:
    return (
        pd.Series(values, dtype=object)
        if isinstance(values, np.ndarray) and values.dtype == object
        else values
    )


def _empty_records() -> pd.DataFrame:
    """Records of no project (the columns and dtypes :func:`parse_bodies` returns)."""
    cols: dict[str, pd.Series] = {
        "county": pd.Series(dtype="str"),
        "report_date": pd.Series(dtype="datetime64[ns]"),
    }
    for name in _TEXT_FIELDS:
        cols[name] = pd.Series(dtype="str")
    for name in MONEY_COLUMNS:
        cols[name] = pd.Series(dtype="float64")
    for name in _DATE_FIELDS[:-1]:
        cols[name] = pd.Series(dtype="datetime64[ns]")
    for name in BOOL_COLUMNS:
        cols[name] = pd.Series(dtype="boolean")
    cols["declared_category"] = pd.Series(dtype="str")
    cols["planned_goal_on"] = pd.Series(dtype="datetime64[ns]")
    cols["source_file"] = pd.Series(dtype="str")
    cols["source_sheet"] = pd.Series(dtype="str")
    cols["source_row"] = pd.Series(dtype="int64")
    return pd.DataFrame(cols)


def read_sheet(
    raw: RawSheet,
    *,
    file: str,
    path: PurePath,
    aliases: Mapping[str, str],
    folder_hints: tuple[Hint, Hint] | None = None,
) -> SheetResult:
    """Parse one sheet into ledger rows (:func:`scan_sheet` then :func:`parse_bodies`).

    Returns
    -------
    SheetResult
        ``records`` (one row per accepted project row), ``issues`` in reporting order and
        the row accounting.
    """
    scan = scan_sheet(raw, file=file, path=path, aliases=aliases, folder_hints=folder_hints)
    records, keyed = parse_bodies([scan], aliases)
    keyed.sort(key=lambda k: k[0])
    scan.result.issues.extend(issue for _key, issue in keyed)
    scan.result.records = records
    return scan.result
