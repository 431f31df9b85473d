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

from zqcampaign.io.readers import RawSheet
from zqcampaign.parse.headers import CHILD_WORDS, HeaderMatch, match_header
from zqcampaign.parse.sheet_result import SheetResult, make_issue
from zqcampaign.parse.values import find_county, find_report_date
from zqcampaign.schema import MONEY_COLUMNS
from zqcampaign.text import normalize_label, normalize_text

__all__ = ["HEADER_SCAN_ROWS", "SECTION_NUMBER", "Hint", "SheetScan", "date_hint", "scan_sheet"]

HEADER_SCAN_ROWS = 30  # a header further down than this is not looked for

# the number of a section row (``一、``, ``(2)``): such a row is never a header's second row
SECTION_NUMBER = re.compile(
    r"^([一二三四五六七八九十]+|\d+|[(（][一二三四五六七八九十\d]+[)）])[、.．)）]"
)


@dataclass(frozen=True)
class Hint:
    """A sheet-level guess of the county or report date, with where it came from."""

    source: str  # "sheet" | "title" | "file" | "folder"
    value: Any
    month_only: bool = False


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
            and all(len(t) <= 20 and not SECTION_NUMBER.match(t) for t in texts)
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
# county and report date hints


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
    """The report date ``text`` names, as a hint from ``source`` (month only: no day written)."""
    ts = find_report_date(text)
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
        The sheet's cell grid from :func:`zqcampaign.io.readers.read_workbook`.
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
