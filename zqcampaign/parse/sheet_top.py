"""The top of one sheet: the header, the title lines, the county and report date it names.

:func:`scan_sheet` reads it in plain Python on a few rows and leaves the body rows, as a
:class:`SheetScan`, for :func:`~zqcampaign.parse.bodies.parse_bodies`. The county and the report
date are guessed from the sheet name, the title lines, the file name and the folder
(:class:`Hint`), in that order of preference; a guess that disagrees is reported.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import PurePath
from typing import Any

from zqcampaign.io.discover import shown_name
from zqcampaign.io.preflight import col_letters
from zqcampaign.io.readers import RawSheet
from zqcampaign.issues import Problem
from zqcampaign.parse.headers import (
    CHILD_WORDS,
    IGNORED,
    PLANNED_GOAL,
    SEQ,
    HeaderMatch,
    match_header,
    override_for,
)
from zqcampaign.parse.sheet_result import SheetResult
from zqcampaign.parse.values import find_county, find_report_period
from zqcampaign.schema import COLUMN_LABELS, DETAIL_MONEY_COLUMNS, MONEY_COLUMNS
from zqcampaign.text import normalize_label, normalize_text

__all__ = ["HEADER_SCAN_ROWS", "SECTION_NUMBER", "Hint", "SheetScan", "date_hint", "scan_sheet"]

HEADER_SCAN_ROWS = 30  # a header further down than this is not looked for

# the number of a section row (``一、``, ``(2)``): such a row is never a header's second row
# a sheet of instructions beside the ledger (templates carry one): no header, no issue
INSTRUCTIONS_SHEET = re.compile(r"^(填表|填报)?(说明|须知|注意事项)$")
SECTION_NUMBER = re.compile(
    r"^([一二三四五六七八九十]+|\d+|[(（][一二三四五六七八九十\d]+[)）])[、.．)）]"
)


@dataclass(frozen=True)
class Hint:
    """A sheet-level guess of the county or report date, with where it came from."""

    source: str  # "sheet" | "title" | "file" | "folder"
    value: Any
    month_only: bool = False
    period: bool = False  # a report period (1-8月, 前三季度): never beats a written date


# ---------------------------------------------------------------------------------------
# header


@dataclass
class _Header:
    row: int  # index into the grid of the (first) header row
    depth: int  # 1 or 2 rows
    columns: dict[int, HeaderMatch]  # grid column -> match
    unrecognised: list[tuple[int, str]]
    form: bool = False  # label / value pairs: a form, not a list


def _cell_text(value: Any) -> str:
    """A header or title cell as the user typed it, whitespace folded."""
    if value is None:
        return ""
    if isinstance(value, float) and value != value:
        return ""
    return " ".join(str(value).split())


Overrides = Mapping[str, str]


def _match(child: str | None, parent: str | None, overrides: Overrides) -> HeaderMatch:
    """A header's match: the ``[columns]`` override if any, else :func:`match_header`."""
    return override_for(overrides, child, parent) or match_header(child, parent)


def _is_header_row(cells: list[Any], overrides: Overrides) -> bool:
    """Two or more cells name ledger columns, one of them 项目名称."""
    texts = [v for v in cells if isinstance(v, str) and len(v) <= 40 and v.strip()]
    if len(texts) < 2:  # a title or a date line: no need to match it
        return False
    found = {_match(v, None, overrides).column for v in texts} - {"", IGNORED}
    return "name" in found and len(found) >= 2


def _is_form_row(cells: list[Any], overrides: Overrides) -> bool:
    """A form's row: header words each followed by a value (``项目名称 | X | 总投资 | 5000``)."""
    pairs = labels = 0
    for i, v in enumerate(cells):
        if not (isinstance(v, str) and v.strip() and _match(v, None, overrides).known):
            continue
        labels += 1
        nxt = cells[i + 1] if i + 1 < len(cells) else None
        if nxt is not None and not (isinstance(nxt, str) and _match(nxt, None, overrides).known):
            pairs += 1
    return pairs >= 2 and 2 * pairs >= labels


def _starts_with_label(rows: list[list[Any]], overrides: Overrides) -> bool:
    """The next filled row starts with a short header word followed by a value (a form's
    next line), not with a serial number or a project name (a list's first row)."""
    for cells in rows[:3]:
        filled = [i for i, v in enumerate(cells) if v is not None]
        if not filled:
            continue
        i = filled[0]
        v = cells[i]
        nxt = cells[i + 1] if i + 1 < len(cells) else None
        return (
            isinstance(v, str)
            and len(re.sub(r"[（(][^（）()]*[)）]|\s", "", v)) <= 8
            and _match(v, None, overrides).known
            and nxt is not None
        )
    return False


def _is_vertical_form(grid: list[list[Any]], overrides: Overrides) -> bool:
    """A form laid out down the sheet: 项目名称 and two more header words in the first
    filled cell of their rows, each with a value to the right."""
    found: set[str] = set()
    for cells in grid[:HEADER_SCAN_ROWS]:
        filled = [i for i, v in enumerate(cells) if v is not None]
        if len(filled) < 2 or not isinstance(cells[filled[0]], str):
            continue
        m = _match(cells[filled[0]], None, overrides)
        if m.column and m.column != IGNORED:
            found.add(m.column)
    return "name" in found and len(found) >= 3


_MERGE_INDEX: list[Any] = [None, -1, 0, None]  # merged list, row, its length, the row's index


def _merged_parent(merged: list[tuple[int, int, int, int]], row: int, col: int) -> int | None:
    """Column of the top-left cell of a horizontal merge covering (row, col).

    The merges covering ``row`` are indexed once per (sheet, row) — sorted by first column,
    looked up by bisection — so a header of thousands of columns under a million merges
    costs one pass over the merges, not one per column. (Excel merges never overlap; if
    they do, the first in the list wins, by a scan of that row's merges.)
    """
    import bisect
    import itertools

    cache = _MERGE_INDEX
    if cache[0] is not merged or cache[1] != row or cache[2] != len(merged):
        spans = [(c0, c1) for r0, c0, r1, c1 in merged if r0 <= row <= r1 and c1 > c0]
        ordered = sorted(spans)
        overlap = any(a[1] >= b[0] for a, b in itertools.pairwise(ordered))
        cache[:] = [merged, row, len(merged), (spans, ordered, [s[0] for s in ordered], overlap)]
    spans, ordered, starts, overlap = cache[3]
    if overlap:
        return next((c0 for c0, c1 in spans if c0 <= col <= c1), None)
    i = bisect.bisect_right(starts, col) - 1
    if i >= 0 and ordered[i][1] >= col:
        return ordered[i][0]
    return None


def _child_known(text: str, parent: str, overrides: Overrides) -> bool:
    """A second-row header cell made of known words, or a known header (alone or under
    its parent)."""
    return bool(
        CHILD_WORDS.match(re.sub(r"[\s()（）、,，/]", "", normalize_text(text)))
        or _match(text, None, overrides).known
        or (parent and _match(text, parent, overrides).known)
    )


def _second_row(top: list[Any], below: list[Any], name_col: int, overrides: Overrides) -> bool:
    """Whether ``below`` is the second row of a two-row header: empty under 项目名称, short
    texts only, most of them known words or headers (the unknown ones are ignored columns,
    never a data row)."""
    if not below or below[name_col] not in (None, ""):
        return False
    cells = [(c, v) for c, v in enumerate(below) if v not in (None, "")]
    if len(cells) < 2 or not all(isinstance(v, str) for _c, v in cells):
        return False
    texts = [_cell_text(v) for _c, v in cells]
    if not all(len(t) <= 20 and not SECTION_NUMBER.match(t) for t in texts):
        return False
    parents = []
    last = ""
    for c in range(len(below)):
        if top[c] not in (None, ""):
            last = _cell_text(top[c])
        parents.append(last)
    known = sum(
        _child_known(t, parents[c], overrides) for (c, _v), t in zip(cells, texts, strict=True)
    )
    return 2 * known > len(texts)


def _find_header(grid: list[list[Any]], sheet: RawSheet, overrides: Overrides) -> _Header | None:
    best = None
    for i, cells in enumerate(grid[:HEADER_SCAN_ROWS]):
        if _is_header_row(cells, overrides):
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
        i
        for i, v in enumerate(top)
        if isinstance(v, str) and _match(v, None, overrides).column == "name"
    )
    two_rows = _second_row(top, below, name_col, overrides)

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
            m = _match(child_cell, parent_cell, overrides)
        else:
            m = _match(child_cell or parent_cell, None, overrides)
        if m.column:
            columns[c] = m
        else:
            unrecognised.append((c, m.text))
    # (the next row's first cell, a serial number or a name in a list, settles it first)
    form = _starts_with_label(grid[best + 1 :], overrides) and _is_form_row(top, overrides)
    return _Header(best, 2 if two_rows else 1, columns, unrecognised, form)


# ---------------------------------------------------------------------------------------
# county and report date hints


def _resolve(
    hints: list[Hint], kind: str, label: str, *, file: str, sheet: str
) -> tuple[Any, list[Problem]]:
    """Pick the highest-preference hint; report hints that disagree with it."""
    issues: list[Problem] = []
    given = [h for h in hints if h.value is not None]
    # a bare period (1-8月) never beats a written date or month
    chosen = next((h for h in given if not h.period), given[0] if given else None)
    if chosen is None:
        return None, issues
    for h in hints:
        if h is chosen or h.value is None:
            continue
        same = h.value == chosen.value
        if kind == "date" and not same:
            # a month-only hint agrees with any date in that month
            if h.month_only or chosen.month_only or h.period or chosen.period:
                same = (h.value.year, h.value.month) == (chosen.value.year, chosen.value.month)
        if not same:
            shown = h.value.date() if kind == "date" else h.value
            chosen_shown = chosen.value.date() if kind == "date" else chosen.value
            issues.append(
                Problem(
                    "warning",
                    "county_conflict" if kind == "county" else "report_date_conflict",
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
    """The report date ``text`` names, as a hint from ``source`` (month only: no day written)."""
    ts, kind = find_report_period(text)
    if kind == "period":
        return Hint(source, ts, month_only=False, period=True)
    month_only = ts is not None and not _DAY_WRITTEN.search(normalize_text(str(text)))
    return Hint(source, ts, month_only)


# ---------------------------------------------------------------------------------------
# the sheet top


def _nonempty(row: list[Any]) -> bool:
    return any(v is not None and not (isinstance(v, str) and not v.strip()) for v in row)


@dataclass
class SheetScan:
    """The top of one sheet, read; its body rows waiting for
    :func:`~zqcampaign.parse.bodies.parse_bodies`."""

    result: SheetResult
    body: list[list[Any]] = field(default_factory=list)  # rows after the header, as read
    first_body_row: int = 0  # 1-based spreadsheet row of body[0]
    columns: dict[str, int] = field(default_factory=dict)  # canonical name -> grid column
    header_text: dict[str, str] = field(default_factory=dict)  # canonical name -> header
    units: dict[str, float] = field(default_factory=dict)  # money column -> unit to 万元
    header_name: str = ""  # the 项目名称 header, normalised (a repeated header row)
    issues: list[Problem] = field(default_factory=list)  # reported before the body


def scan_sheet(
    raw: RawSheet,
    *,
    file: str,
    path: PurePath,
    aliases: Mapping[str, str],
    folder_hints: tuple[Hint, Hint] | None = None,
    overrides: Mapping[str, str] | None = None,
) -> SheetScan:
    """Read the top of one sheet: header, title lines, county and report date.

    Parameters
    ----------
    raw
        The sheet's cell grid from :func:`zqcampaign.io.readers.read_workbook`.
    file
        The file name as issues show it (relative to the loaded folder).
    path
        The file's path, for county and date hints in its name and folder.
    aliases
        Normalised spelling -> canonical county name (``Config.alias_map()``).
    folder_hints
        County and report-date hints of the file's folder.
    overrides
        Header key -> canonical column or ``"ignore"`` (``Config.column_overrides``).

    Returns
    -------
    SheetScan
        ``result`` holds the sheet-level findings (``has_header``, ``county``,
        ``report_date``, the rows above the body, how each column was understood);
        ``body`` the rows still to parse.
    """
    grid = raw.rows
    overrides = overrides or {}
    base = raw.first_row + 1  # grid index -> 1-based spreadsheet row
    sheet = raw.name
    result = SheetResult(file=file, sheet=sheet)
    scan = SheetScan(result, issues=result.issues)

    header = _find_header(grid, raw, overrides)
    if header is None:
        result.rows_read = sum(map(_nonempty, grid))
        if result.rows_read == 0:
            return scan
        if INSTRUCTIONS_SHEET.match(normalize_text(sheet)):
            result.structural_rows = result.rows_read  # 填表说明: read, nothing to report
            return scan
        result.rejected_rows = result.rows_read
        if _is_vertical_form(grid, overrides):
            result.issues.append(
                _not_a_list(file, sheet, "是一张表单（每行一个“栏目：内容”），不是项目清单")
            )
            return scan
        result.issues.append(
            Problem(
                "warning",
                "no_header",
                f"工作表中没有找到台账表头（应有“项目名称”等列），{result.rows_read} 行未读取",
                file=file,
                sheet=sheet,
            )
        )
        return scan

    first_body = header.row + header.depth
    top_nonempty = [_nonempty(r) for r in grid[:first_body]]
    kinds = {m.column for m in header.columns.values()}
    why_not = ""
    if header.form:
        why_not = "是一张表单（表头词后紧跟填写内容），不是项目清单"
    elif not kinds & {*MONEY_COLUMNS, *DETAIL_MONEY_COLUMNS}:
        why_not = (
            "没有投资列（计划总投资、年度计划或完成投资），不是项目投资台账（如合同、付款台账）"
        )
    if why_not:
        result.rows_read = sum(map(_nonempty, grid))
        result.rejected_rows = result.rows_read
        result.not_a_list = True
        result.issues.append(_not_a_list(file, sheet, why_not))
        return scan

    result.has_header = True
    result.rows_read = result.structural_rows = sum(top_nonempty)

    # -- title lines: county and report date -------------------------------------------
    preamble = [
        " ".join(_cell_text(v) for v in grid[i] if v is not None)
        for i in range(header.row)
        if top_nonempty[i]
    ]
    title_text = " ".join(preamble)
    stem = PurePath(shown_name(path.name)).stem  # GBK-byte names decoded
    county_hints = [
        Hint("sheet", find_county(sheet, aliases)),
        Hint("title", find_county(title_text, aliases)),
        Hint("file", find_county(stem, aliases)),
    ]
    date_hints = [
        date_hint("sheet", sheet),
        date_hint("title", title_text),
        date_hint("file", stem),
    ]
    if folder_hints is not None:
        county_hints.append(folder_hints[0])
        date_hints.append(folder_hints[1])
    county, issues = _resolve(county_hints, "county", "县（市、区）", file=file, sheet=sheet)
    result.issues += issues
    report_date, issues = _resolve(date_hints, "date", "截至日期", file=file, sheet=sheet)
    result.issues += issues
    result.county, result.report_date = county, report_date

    body = grid[first_body:]
    header_row = base + header.row
    filled = _filled_per_column(
        body,
        [c for c, _t in header.unrecognised]
        + [c for c, m in header.columns.items() if m.column == IGNORED],
    )
    for c, text in header.unrecognised:
        result.columns.append(_entry(raw, c, text, "ignored", "不是台账的标准列"))
        n = filled.get(c, 0)
        result.issues.append(
            Problem(
                "warning" if n else "info",
                "unrecognised_column",
                f"列“{text}”不是台账的标准列，其中 {n} 个单元格有内容，未读取；"
                "如需读取，请在 zqcampaign.toml 的 [columns] 中指明对应的标准列"
                if n
                else f"列“{text}”不是台账的标准列，已忽略其内容",
                file=file,
                sheet=sheet,
                row=header_row,
                column=text,
                county=county,
            )
        )

    entries: dict[int, dict[str, Any]] = {}
    for c, m in header.columns.items():
        if m.column == IGNORED:
            entries[c] = _entry(raw, c, m.text, "ignored", m.reason, m)
            n = filled.get(c, 0)
            if n:
                result.issues.append(
                    Problem(
                        "warning",
                        "ignored_column",
                        f"列“{m.text}”（{m.reason}）未读取，但其中 {n} 个单元格有内容；"
                        "如该列应读取，请在 zqcampaign.toml 的 [columns] 中指明",
                        file=file,
                        sheet=sheet,
                        row=header_row,
                        column=m.text,
                        county=county,
                    )
                )
            continue
        entries[c] = _entry(raw, c, m.text, m.column, m.reason, m)
        if m.column not in scan.columns:
            scan.columns[m.column] = c
            continue
        prev_c = scan.columns[m.column]
        prev = header.columns[prev_c]
        win_c, lose_c = (c, prev_c) if m.rank > prev.rank else (prev_c, c)
        win, lose = header.columns[win_c], header.columns[lose_c]
        scan.columns[m.column] = win_c
        entries[win_c].update(column=m.column, reason="")
        entries[lose_c].update(column="ignored", reason=f"与“{win.text}”重复，按后者读取")
        label = COLUMN_LABELS.get(m.column, "序号" if m.column == SEQ else m.column)
        same = m.rank == prev.rank
        result.issues.append(
            Problem(
                "info",
                "duplicate_column" if same else "competing_columns",
                f"列“{lose.text}”与前面的列“{win.text}”含义相同（{label}），已按前一列读取"
                if same
                else f"列“{win.text}”和“{lose.text}”都可作为“{label}”，按含义更明确的“{win.text}”读取",
                file=file,
                sheet=sheet,
                row=header_row,
                column=lose.text,
                value=win.text,
                county=county,
            )
        )
    result.columns.extend(entries[c] for c in sorted(entries))
    result.columns.sort(key=lambda e: e["_col"])
    for e in result.columns:
        e["file"] = file

    if not any(map(_nonempty, body)):
        return scan
    scan.body = body
    scan.first_body_row = base + first_body
    scan.header_text = {name: header.columns[c].text for name, c in scan.columns.items()}
    scan.units = {
        name: header.columns[scan.columns[name]].unit
        for name in (*MONEY_COLUMNS, *DETAIL_MONEY_COLUMNS)
        if name in scan.columns
    }
    scan.header_name = normalize_label(grid[header.row][scan.columns["name"]])
    return scan


def _not_a_list(file: str, sheet: str, why: str) -> dict[str, Any]:
    return Problem(
        "info",
        "not_a_project_list",
        f"工作表“{sheet}”{why}，未读取",
        file=file,
        sheet=sheet,
        value=why,
    )


def _filled_per_column(body: list[list[Any]], columns: list[int]) -> dict[int, int]:
    """Non-empty cells of the grid ``columns`` in the body rows."""
    counts: dict[int, int] = {}
    for c in columns:
        n = 0
        for row in body:
            v = row[c] if c < len(row) else None
            if v is not None and not (isinstance(v, float) and v != v):
                n += 1
        counts[c] = n
    return counts


_UNIT_NAMES = {10000.0: "亿元", 1.0: "万元", 0.0001: "元"}


def _entry(
    raw: RawSheet, c: int, text: str, column: str, reason: str, m: HeaderMatch | None = None
) -> dict[str, Any]:
    """One row of ``Campaign.columns`` (counts filled in by the body parser)."""
    money = m is not None and m.column in (*MONEY_COLUMNS, *DETAIL_MONEY_COLUMNS)
    planned = None if m is None else m.planned
    return {
        "file": "",
        "sheet": raw.name,
        "source_column": col_letters(raw.first_col + c),
        "header": text,
        "column": "ignored"
        if column in (IGNORED, SEQ)
        else ("planned_goal_on" if column == PLANNED_GOAL else column),
        "reason": reason if column != SEQ else "序号",
        "unit": _UNIT_NAMES.get(m.unit, "") if money and m is not None else "",
        "planned": {True: "计划", False: "实际"}.get(planned, "") if planned is not None else "",
        "values": 0,
        "parsed": 0,
        "failed": 0,
        "_col": c,
    }
