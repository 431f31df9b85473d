"""One raw sheet -> ledger rows: header detection, row classification, value parsing.

A sheet is read as a county ledger looks on screen: title and 截至日期 lines, a one- or
two-row (merged) header, section rows (``一、已签约未供地项目（5个）``) that set the category
of the rows below them, project rows, 小计/合计 rows, blank rows and a footer. Every
non-empty row is counted as a project row, a structural row, or a rejected row with an
issue — nothing is dropped silently.

Values are parsed column by column, each distinct cell value once, so the cost grows with
the number of distinct spellings rather than with the number of cells.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import PurePath
from typing import Any

import numpy as np
import pandas as pd

from .headers import CHILD_WORDS, PLANNED_GOAL, SEQ, HeaderMatch, match_header
from .readers import RawSheet
from .schema import BOOL_COLUMNS, COLUMN_LABELS, DATE_COLUMNS, MONEY_COLUMNS, TEXT_COLUMNS
from .text import clean_cell_text, normalize_series, normalize_text
from .values import (
    Note,
    find_county,
    find_report_date,
    parse_bool,
    parse_county,
    parse_date,
    parse_money,
    parse_stage,
)

__all__ = ["ISSUE_COLUMNS", "Hint", "SheetResult", "make_issue", "read_sheet"]

ISSUE_COLUMNS = ("severity", "code", "message", "county", "file", "sheet", "row", "column", "value")

HEADER_SCAN_ROWS = 30
_TEXTUAL = {
    "string",
    "mixed",
    "mixed-integer",
    "mixed-integer-float",
}  # a header further down than this is not looked for

_TOTAL = re.compile(r"^(合计|小计|总计|共计|累计|汇总|全市合计|其中)")
_FOOTER = re.compile(
    r"^(填表人|填报人|审核人|审核|制表人|制表|联系人|联系电话|电话|负责人|单位负责人|分管领导|"
    r"说明|填表说明|注[:：]|备注[:：]|附注|注释|签字|盖章|单位[（(]盖章)"
)
_SECTION_NUMBER = re.compile(
    r"^([一二三四五六七八九十]+|\d+|[(（][一二三四五六七八九十\d]+[)）])[、.．)）]"
)


@dataclass(frozen=True)
class Hint:
    """A sheet-level guess of the county or report date, with where it came from."""

    source: str  # "sheet" | "title" | "file" | "folder"
    value: Any
    month_only: bool = False


@dataclass
class SheetResult:
    """Parsed rows of one sheet (canonical column names) and the accounting for it."""

    file: str
    sheet: str
    records: pd.DataFrame
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


def _header_score(cells: list[Any]) -> tuple[int, bool]:
    found = set()
    for value in cells:
        if isinstance(value, str) and value.strip() and len(value) <= 40:
            col = match_header(value).column
            if col:
                found.add(col)
    return len(found), "name" in found


def _merged_parent(merged: list[tuple[int, int, int, int]], row: int, col: int) -> int | None:
    """Column of the top-left cell of a horizontal merge covering (row, col)."""
    for r0, c0, r1, c1 in merged:
        if r0 <= row <= r1 and c0 <= col <= c1 and c1 > c0:
            return c0
    return None


def _find_header(grid: list[list[Any]], sheet: RawSheet) -> _Header | None:
    best = None
    for i, cells in enumerate(grid[:HEADER_SCAN_ROWS]):
        score, has_name = _header_score(cells)
        if has_name and score >= 2:
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


def _parse_column(
    values: pd.Series, parser: Callable[[Any], tuple[Any, Note | None]]
) -> tuple[pd.Series, pd.Series]:
    """Apply ``parser`` to each distinct non-null value; return (parsed, notes) Series."""
    arr = values.to_numpy(dtype=object)
    codes, uniques = pd.factorize(arr, use_na_sentinel=True)
    if any(type(u) is bool or (isinstance(u, int | float) and u in (0, 1)) for u in uniques):
        # True == 1 and False == 0 when hashed: keep booleans apart from numbers
        keys = np.empty(len(arr), dtype=object)
        keys[:] = [None if v is None else (type(v), v) for v in arr]
        codes, tagged = pd.factorize(keys, use_na_sentinel=True)
        uniques = [u[1] for u in tagged]
    results = [parser(u) for u in uniques]
    parsed_u = np.empty(len(results) + 1, dtype=object)
    notes_u = np.empty(len(results) + 1, dtype=object)
    parsed_u[:-1] = [r[0] for r in results]
    notes_u[:-1] = [r[1] for r in results]
    return (
        pd.Series(parsed_u[codes], index=values.index, dtype=object),
        pd.Series(notes_u[codes], index=values.index, dtype=object),
    )


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


# ---------------------------------------------------------------------------------------
# the sheet


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


def date_hint(source: str, text: Any) -> Hint:
    ts = find_report_date(text)
    month_only = ts is not None and not re.search(
        r"\d{1,2}\s*日|\d{4}[-./]\d{1,2}[-./]\d{1,2}", normalize_text(str(text))
    )
    return Hint(source, ts, month_only)


def read_sheet(
    raw: RawSheet,
    *,
    file: str,
    path: PurePath,
    aliases: Mapping[str, str],
    folder_hints: tuple[Hint, Hint] | None = None,
) -> SheetResult:
    """Parse one sheet into ledger rows.

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
    """
    grid = raw.rows
    base = raw.first_row + 1  # grid index -> 1-based spreadsheet row
    sheet = raw.name
    result = SheetResult(file=file, sheet=sheet, records=pd.DataFrame())

    nonempty = [
        any(v is not None and not (isinstance(v, str) and not v.strip()) for v in row)
        for row in grid
    ]
    result.rows_read = int(sum(nonempty))
    if result.rows_read == 0:
        return result

    header = _find_header(grid, raw)
    if header is None:
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
        return result

    result.has_header = True

    # -- title lines: county and report date -------------------------------------------
    preamble = [
        " ".join(_cell_text(v) for v in grid[i] if v is not None)
        for i in range(header.row)
        if nonempty[i]
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

    # -- body ----------------------------------------------------------------------------
    first_body = header.row + header.depth
    body_idx = [i for i in range(first_body, len(grid)) if nonempty[i]]
    result.structural_rows = sum(nonempty[:first_body])
    if not body_idx:
        return result
    width = max(len(grid[i]) for i in body_idx)
    frame = pd.DataFrame(
        [list(grid[i]) + [None] * (width - len(grid[i])) for i in body_idx], dtype=object
    )
    for c in frame.columns:  # whitespace-only text is an empty cell
        if pd.api.types.infer_dtype(frame[c], skipna=True) not in _TEXTUAL:
            continue
        text = frame[c].str.strip()
        blank = (text == "").fillna(False).to_numpy(dtype=bool)
        if blank.any():
            frame.loc[blank, c] = None
    rows_1based = np.array(body_idx) + base

    by_col: dict[str, int] = {}
    duplicate_cols: list[tuple[int, str]] = []
    for c, m in header.columns.items():
        if m.column in by_col:
            duplicate_cols.append((c, m.text))
        else:
            by_col[m.column] = c
    for _c, text in duplicate_cols:
        result.issues.append(
            make_issue(
                "info",
                "duplicate_column",
                f"列“{text}”与前面的列含义相同，已按前一列读取",
                file=file,
                sheet=sheet,
                row=base + header.row,
                column=text,
                county=county,
            )
        )

    def col(name: str) -> pd.Series:
        c = by_col.get(name)
        if c is None or c >= width:
            return pd.Series([None] * len(frame), index=frame.index, dtype=object)
        return frame[c]

    header_text = {name: header.columns[c].text for name, c in by_col.items()}

    # -- classify rows (vectorised) --------------------------------------------------------
    name_raw = col("name")
    lead = frame.bfill(axis=1).iloc[:, 0]
    lead_text = normalize_series(lead)
    name_text = normalize_series(name_raw)
    data_cols = [c for name, c in by_col.items() if name != SEQ and c < width]
    n_data = frame[data_cols].notna().sum(axis=1) if data_cols else pd.Series(0, index=frame.index)
    n_all = frame.notna().sum(axis=1)

    is_total = lead_text.str.match(_TOTAL) | name_text.str.match(_TOTAL)
    is_footer = lead_text.str.match(_FOOTER) & ~is_total
    header_name = normalize_series(pd.Series([grid[header.row][by_col["name"]]])).iloc[0]
    is_repeat_header = name_text == header_name
    # section rows hold one or two cells; only those are matched against categories/counties
    few = (n_all <= 2).to_numpy()
    section_category = pd.Series(None, index=frame.index, dtype=object)
    section_county = pd.Series(None, index=frame.index, dtype=object)
    section_category[few] = lead_text[few].map(parse_stage)
    section_county[few] = lead_text[few].map(
        lambda t: (
            parse_county(t, aliases)
            or (find_county(t, aliases) if _SECTION_NUMBER.match(t) else None)
        )
    )
    looks_section = (n_all <= 2) & (
        lead_text.str.match(_SECTION_NUMBER) | section_category.notna() | section_county.notna()
    )
    is_section = looks_section & ~is_total & ~is_footer
    structural = is_total | is_footer | is_repeat_header | is_section
    seq_only = (n_data == 0) & ~structural  # a numbered empty row
    is_project = name_raw.notna() & ~structural
    rejected = ~structural & ~seq_only & ~is_project

    # section rows carry the category (and in city workbooks the county) down
    # a section row sets the category of the rows below it until the next section row (a
    # section naming no category, e.g. a new county, clears it); county sections persist
    # until the next county section
    sec_cat = section_category.where(is_section, None)
    sec_cat = sec_cat.where(~is_section | sec_cat.notna(), "").ffill().replace("", None)
    sec_county = section_county.where(is_section & section_county.notna(), None).ffill()
    unknown_section = is_section & section_category.isna() & section_county.isna()
    for i in np.flatnonzero(unknown_section.to_numpy()):
        result.issues.append(
            make_issue(
                "info",
                "unknown_section",
                f"分组行“{lead.iloc[i]}”未指明项目类别",
                file=file,
                sheet=sheet,
                row=int(rows_1based[i]),
                value=lead.iloc[i],
                county=county,
            )
        )

    for i in np.flatnonzero(rejected.to_numpy()):
        cells = frame.iloc[i]
        data_values = [cells[c] for c in data_cols if cells[c] is not None]
        shown = data_values[0] if data_values else next(v for v in cells if v is not None)
        result.issues.append(
            make_issue(
                "error",
                "missing_name",
                "该行有数据但没有项目名称，未计入统计；请补填项目名称",
                file=file,
                sheet=sheet,
                row=int(rows_1based[i]),
                column=header_text.get("name", "项目名称"),
                value=shown,
                county=county,
            )
        )

    result.structural_rows += int((structural | seq_only).sum())
    keep = is_project.to_numpy()
    if not keep.any():
        result.rejected_rows = int(rejected.sum())
        return result
    body = frame[keep].reset_index(drop=True)
    rows = rows_1based[keep]
    sec_cat = sec_cat[keep].reset_index(drop=True)
    sec_county = sec_county[keep].reset_index(drop=True)

    def bcol(name: str) -> pd.Series:
        c = by_col.get(name)
        if c is None or c >= width:
            return pd.Series([None] * len(body), dtype=object)
        return body[c]

    out: dict[str, Any] = {}
    row_issue_ok = np.ones(len(body), dtype=bool)

    def add_notes(name: str, values: pd.Series, notes: pd.Series, county_of: pd.Series) -> None:
        label = header_text.get(name, COLUMN_LABELS.get(name, name))
        idx = np.flatnonzero(notes.notna().to_numpy())
        if idx.size == 0:
            return
        result.issues.extend(
            make_issue(
                note.severity,
                note.code,
                note.message,
                file=file,
                sheet=sheet,
                row=int(r),
                column=label,
                value=v,
                county=c,
            )
            for note, v, c, r in zip(
                notes.to_numpy()[idx],
                values.to_numpy(dtype=object)[idx],
                county_of.to_numpy(dtype=object)[idx],
                rows[idx],
                strict=True,
            )
        )

    # county: column > section > sheet-level
    county_raw = bcol("county")
    county_col, _ = _parse_column(county_raw, lambda v: (parse_county(v, aliases), None))
    row_county = county_col.where(county_col.notna(), sec_county)
    row_county = row_county.where(row_county.notna(), county)
    unknown = county_raw.notna() & county_col.isna()
    for i in np.flatnonzero(unknown.to_numpy()):
        fallback = row_county.iloc[i]
        if fallback is None or fallback != fallback:
            row_issue_ok[i] = False
            msg = f"县（市、区）“{county_raw.iloc[i]}”不在配置的名单中，该行未计入；请改为规范名称"
            sev = "error"
        else:
            msg = f"县（市、区）“{county_raw.iloc[i]}”不在配置的名单中，按{fallback}计；请改为规范名称"
            sev = "warning"
        result.issues.append(
            make_issue(
                sev,
                "unknown_county",
                msg,
                file=file,
                sheet=sheet,
                row=int(rows[i]),
                column=header_text.get("county"),
                value=county_raw.iloc[i],
                county=fallback if isinstance(fallback, str) else None,
            )
        )
    conflict = county_col.notna() & (sec_county.notna()) & (county_col != sec_county)
    for i in np.flatnonzero(conflict.to_numpy()):
        result.issues.append(
            make_issue(
                "warning",
                "county_conflict",
                f"县（市、区）列为 {county_col.iloc[i]}，与分组行的 {sec_county.iloc[i]} 不一致，按列计",
                file=file,
                sheet=sheet,
                row=int(rows[i]),
                column=header_text.get("county"),
                value=county_raw.iloc[i],
                county=county_col.iloc[i],
            )
        )
    no_county = row_county.isna() & ~unknown
    for i in np.flatnonzero(no_county.to_numpy()):
        row_issue_ok[i] = False
        result.issues.append(
            make_issue(
                "error",
                "no_county",
                "无法确定该行属于哪个县（市、区）：请在文件名、标题或“县（市、区）”列中写明",
                file=file,
                sheet=sheet,
                row=int(rows[i]),
                column=header_text.get("name"),
                value=bcol("name").iloc[i],
            )
        )
    out["county"] = row_county

    # report date: column > sheet-level
    rd_raw = bcol("report_date")
    rd_col, rd_notes = _parse_column(rd_raw, lambda v: parse_date(v))
    add_notes("report_date", rd_raw, rd_notes, row_county)
    row_rd = rd_col.where(rd_col.notna(), report_date)
    if report_date is not None:
        diff = rd_col.notna() & (rd_col != report_date)
        for i in np.flatnonzero(diff.to_numpy()):
            result.issues.append(
                make_issue(
                    "warning",
                    "report_date_conflict",
                    f"截至日期列为 {rd_col.iloc[i].date()}，与表头的 {report_date.date()} 不一致，按列计",
                    file=file,
                    sheet=sheet,
                    row=int(rows[i]),
                    column=header_text.get("report_date"),
                    value=rd_raw.iloc[i],
                    county=row_county.iloc[i],
                )
            )
    no_rd = row_rd.isna()
    if no_rd.any():
        row_issue_ok &= ~no_rd.to_numpy()
        result.issues.append(
            make_issue(
                "error",
                "no_report_date",
                f"无法确定截至日期，{int(no_rd.sum())} 个项目未计入：请在标题写明“截至日期：2023年8月31日”，"
                "或在文件名中写明年月",
                file=file,
                sheet=sheet,
                county=county,
            )
        )
    out["report_date"] = pd.to_datetime(row_rd).astype("datetime64[ns]")

    # text columns
    for name in (
        "project_id",
        "name",
        "owner",
        "industry",
        "progress",
        "problems",
        "responsible_unit",
        "responsible_person",
        "remarks",
    ):
        out[name] = _parse_column(bcol(name), lambda v: (_text_value(v), None))[0]

    # money
    for name in MONEY_COLUMNS:
        c = by_col.get(name)
        unit = header.columns[c].unit if c is not None else 1.0
        raw_values = bcol(name)
        parsed, notes = _parse_column(raw_values, lambda v, u=unit: parse_money(v, unit=u))
        add_notes(name, raw_values, notes, row_county)
        out[name] = pd.to_numeric(parsed, errors="coerce").astype("float64")
    ti_raw = bcol("total_investment")
    no_ti = pd.Series(out["total_investment"]).isna().to_numpy()
    for i in np.flatnonzero(no_ti & row_issue_ok):
        row_issue_ok[i] = False
        raw_value = ti_raw.iloc[i]
        result.issues.append(
            make_issue(
                "error",
                "bad_money" if raw_value is not None else "missing_investment",
                (
                    f"计划总投资“{raw_value}”无法识别，该项目未计入；请填写数字（单位万元）"
                    if raw_value is not None
                    else "计划总投资未填写，该项目未计入；请填写数字（单位万元）"
                ),
                file=file,
                sheet=sheet,
                row=int(rows[i]),
                column=header_text.get("total_investment", "计划总投资"),
                value=raw_value,
                county=row_county.iloc[i],
            )
        )

    # dates (year-less dates take the year of the row's report date)
    report_groups = [
        (None if pd.isna(rd) else pd.Timestamp(rd), (row_rd == rd).to_numpy())
        for rd in row_rd.dropna().unique()
    ]
    if row_rd.isna().any():
        report_groups.append((None, row_rd.isna().to_numpy()))
    for name in (*DATE_COLUMNS[:-1], PLANNED_GOAL):
        raw_values = bcol(name)
        parsed = pd.Series(None, index=body.index, dtype=object)
        notes = pd.Series(None, index=body.index, dtype=object)
        if raw_values.notna().any():
            for rd, members in report_groups:
                p_part, n_part = _parse_column(
                    raw_values[members], lambda v, rd=rd: parse_date(v, report_date=rd)
                )
                parsed[members] = p_part
                notes[members] = n_part
            add_notes(name, raw_values, notes, row_county)
        out[name] = pd.to_datetime(parsed).astype("datetime64[ns]")

    # yes / no
    for name in BOOL_COLUMNS:
        raw_values = bcol(name)
        parsed, notes = _parse_column(raw_values, parse_bool)
        add_notes(name, raw_values, notes, row_county)
        out[name] = parsed.astype("boolean")

    # category: column > section
    cat_raw = bcol("category")
    cat_col, _ = _parse_column(cat_raw, lambda v: (parse_stage(v), None))
    bad_cat = cat_raw.notna() & cat_col.isna()
    for i in np.flatnonzero(bad_cat.to_numpy()):
        result.issues.append(
            make_issue(
                "warning",
                "bad_category",
                f"项目类别“{cat_raw.iloc[i]}”无法识别，应为已签约未供地、已供地未动工或已动工未竣工",
                file=file,
                sheet=sheet,
                row=int(rows[i]),
                column=header_text.get("category"),
                value=cat_raw.iloc[i],
                county=row_county.iloc[i],
            )
        )
    out["declared_category"] = cat_col.where(cat_col.notna(), sec_cat)
    out["planned_goal_on"] = out.pop(PLANNED_GOAL)

    records = pd.DataFrame(out)
    for name in (*TEXT_COLUMNS, "declared_category"):
        if name in records:
            records[name] = records[name].astype("str")
    records["source_file"] = file
    records["source_sheet"] = sheet
    records["source_row"] = rows.astype("int64")
    ok = row_issue_ok
    result.project_rows = int(ok.sum())
    result.rejected_rows = int(rejected.sum()) + int((~ok).sum())
    result.records = records[ok].reset_index(drop=True)
    return result
