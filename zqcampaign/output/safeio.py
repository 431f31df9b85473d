"""Output writers that change nothing silently and leave no half-written file.

Ledger text is hostile on the way out too: openpyxl and XlsxWriter turn text starting with
``=`` into a live formula, ``#N/A`` into an error cell, and XlsxWriter turns ``file:///``
text into a live link; spreadsheet programs run CSV cells starting with ``= + - @`` as
formulas; openpyxl cuts text at Excel's 32,767-character cell limit without a word and
refuses control characters. Here:

- :func:`write_xlsx` / :func:`xlsx_workbook` / :func:`write_cell` write every ``str`` as a
  typed string cell (never a formula, error or hyperlink); control characters and
  ``\\ufffe``/``\\uffff`` are written with the OOXML ``_xHHHH_`` escape (Excel shows the
  original character; :func:`xlsx_unescape` undoes it for readers like openpyxl that do
  not), and over-long text is cut *with a visible marker*; both are reported as
  problems (:class:`~zqcampaign.issues.Problem`).
- :func:`write_csv` writes UTF-8 with BOM (Excel opens it as UTF-8) and puts a leading
  ``'`` before text starting with ``= + - @ \\t \\r`` (:func:`safe_csv_text`;
  :func:`unguard_csv_text` is its exact inverse).
- :func:`atomic_output` / :func:`atomic_dir` write to a temporary sibling and swap it in
  only when complete; an unwritable or full destination is an :class:`~zqcampaign.errors.OutputError` in
  Chinese, and the old file or folder is left as it was.

Styling (fills, freeze panes, widths) is not this module's business: build the workbook
with :func:`xlsx_workbook`, style it, write any extra cell with :func:`write_cell`, then
:func:`save_xlsx` — which sweeps every cell once more, turns any formula, error cell or
hyperlink that slipped in into plain text, and saves atomically. Or pass
``style=callback`` to :func:`write_xlsx`.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from zqcampaign.issues import Problem
from zqcampaign.output.atomic import (
    atomic_dir,
    atomic_output,
    clean_stale_siblings,
    normal_permissions,
)

if TYPE_CHECKING:  # pragma: no cover
    from openpyxl import Workbook
    from openpyxl.cell import Cell
    from openpyxl.worksheet.worksheet import Worksheet

__all__ = [
    "EXCEL_CELL_LIMIT",
    "atomic_dir",
    "atomic_output",
    "clean_stale_siblings",
    "normal_permissions",
    "safe_csv_text",
    "save_xlsx",
    "unguard_csv_text",
    "write_cell",
    "write_csv",
    "write_xlsx",
    "xlsx_text",
    "xlsx_unescape",
    "xlsx_workbook",
]

EXCEL_CELL_LIMIT = 32_767
"""Most characters Excel keeps in one cell."""

TRUNCATION_MARKER = "…【此处截断：原文共 {n} 字，超过 Excel 单元格 32767 字上限】"


# ---------------------------------------------------------------------------------------
# CSV

_CSV_GUARD = re.compile(r"^'*[=+\-@\t\r]")
_CSV_GUARDED = re.compile(r"^'+[=+\-@\t\r]")
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff\ud800-\udfff]")


def safe_csv_text(value: Any) -> Any:
    """Text for a CSV cell that no spreadsheet program will run as a formula.

    A ``str`` starting with ``= + - @``, tab or carriage return — after any leading
    apostrophes — gets one more leading ``'``; anything else (numbers, dates, other text)
    is returned unchanged. :func:`unguard_csv_text` is the exact inverse.

    >>> safe_csv_text("=HYPERLINK(...)"), safe_csv_text("-5"), safe_csv_text(-5)
    ("'=HYPERLINK(...)", "'-5", -5)
    """
    if isinstance(value, str) and _CSV_GUARD.match(value):
        return "'" + value
    return value


def unguard_csv_text(text: str) -> str:
    """Undo :func:`safe_csv_text` on text read back from a CSV written here."""
    return text[1:] if _CSV_GUARDED.match(text) else text


def _text_values(s: pd.Series) -> pd.Series | None:
    """The column's text cells as strings ("" elsewhere), or None if it has no text."""
    if not (s.dtype == object or isinstance(s.dtype, pd.StringDtype)):
        return None
    try:
        is_text = s.str.len().notna()  # .str yields NaN for non-text cells
    except AttributeError:  # an object column without any text
        return None
    return s.where(is_text, "").astype(str)


def _cell_problems(df: pd.DataFrame, sheet: str | None, header_rows: int) -> list[Problem]:
    """Text over Excel's cell limit and text with control characters, cell by cell."""
    notes = []
    for j, col in enumerate(df.columns):
        text = _text_values(df[col])
        if text is None:
            continue
        long = text.str.len() > EXCEL_CELL_LIMIT
        ctrl = text.str.contains(_CONTROL, regex=True)
        for i in np.flatnonzero(long.to_numpy()):
            n = len(text.iat[i])
            notes.append(
                Problem(
                    "warning",
                    "text_too_long",
                    f"文本共 {n:,} 字，超过 Excel 单元格 {EXCEL_CELL_LIMIT:,} 字上限"
                    "（用 Excel 打开此 CSV 时会被截断），CSV 中已完整保留",
                    sheet=sheet,
                    row=int(i) + header_rows + 1,
                    column=j,
                    value=text.iat[i][:80],
                )
            )
        for i in np.flatnonzero(ctrl.to_numpy()):
            found = sorted({f"U+{ord(c):04X}" for c in _CONTROL.findall(text.iat[i])})
            notes.append(
                Problem(
                    "warning",
                    "control_characters",
                    f"文本含有控制字符 {'、'.join(found[:5])}，已原样保留",
                    sheet=sheet,
                    row=int(i) + header_rows + 1,
                    column=j,
                    value=text.iat[i][:80],
                )
            )
    return notes


def write_csv(df: pd.DataFrame, path: str | Path, *, index: bool = False) -> list[Problem]:
    """Write a table as CSV for Excel: UTF-8 with BOM, formula guard, atomic.

    Parameters
    ----------
    df
        The table. Text cells and column names starting with ``= + - @ \\t \\r`` get a
        leading ``'`` (see :func:`safe_csv_text`); numbers are written as numbers.
    path
        Destination file; replaced atomically.
    index
        Write the index as the first column(s).

    Returns
    -------
    list of Problem
        Cells kept as they are but worth knowing about: text longer than Excel's 32,767
        characters (Excel would cut it when opening the CSV) and text with control
        characters. ``row`` is the 1-based line in the file (header = 1).
    """
    out = df.reset_index() if index else df.copy()
    out.columns = [safe_csv_text(_header_text(c)) for c in out.columns]
    notes = _cell_problems(out, None, 1)
    for col in list(out.columns):
        text = _text_values(out[col])
        if text is None:
            continue
        mask = text.str.match(_CSV_GUARD.pattern)
        if mask.any():
            out[col] = out[col].astype(object).where(~mask, "'" + text)
    with atomic_output(path) as tmp:
        out.to_csv(tmp, index=False, encoding="utf-8-sig", lineterminator="\r\n")
    return notes


def _header_text(col: Any) -> str:
    if isinstance(col, tuple):
        return " / ".join(str(c) for c in col if str(c) != "")
    return str(col)


# ---------------------------------------------------------------------------------------
# xlsx

_OOXML_ESCAPE = re.compile(r"_(x[0-9A-Fa-f]{4}_)")
_OOXML_ESCAPED = re.compile(r"_x([0-9A-Fa-f]{4})_")
_SHEET_BAD = re.compile(r"[\[\]:*?/\\]")


def xlsx_text(value: str) -> tuple[str, list[tuple[str, str]]]:
    """Text as it must be stored in an .xlsx cell, and what had to be done to it.

    Returns ``(stored, problems)``: literal ``_xHHHH_`` sequences are protected as
    ``_x005F_xHHHH_`` (else Excel would decode them); control characters and other
    characters XML cannot carry are written as ``_xHHHH_`` (Excel shows the original);
    text over 32,767 characters is cut with a visible marker. ``problems`` lists
    ``(code, message)`` for the control characters and the cut.
    """
    problems: list[tuple[str, str]] = []
    text = value
    if len(text) > EXCEL_CELL_LIMIT:
        marker = TRUNCATION_MARKER.format(n=f"{len(value):,}")
        text = text[: EXCEL_CELL_LIMIT - len(marker)] + marker
        problems.append(
            (
                "text_truncated",
                f"文本共 {len(value):,} 字，超过 Excel 单元格 {EXCEL_CELL_LIMIT:,} 字上限，"
                "工作簿中已截断并注明；完整内容请见 CSV 输出",
            )
        )
    stored = _escape(text)
    while len(stored) > EXCEL_CELL_LIMIT:  # escapes made it longer: cut more
        marker = TRUNCATION_MARKER.format(n=f"{len(value):,}")
        text = text[: len(text) - (len(stored) - EXCEL_CELL_LIMIT) - len(marker)] + marker
        stored = _escape(text)
        if not any(code == "text_truncated" for code, _ in problems):
            problems.append(
                (
                    "text_truncated",
                    f"文本转义后超过 Excel 单元格 {EXCEL_CELL_LIMIT:,} 字上限，已截断并注明",
                )
            )
    found = sorted({f"U+{ord(c):04X}" for c in _CONTROL.findall(value)})
    if found:
        problems.append(
            (
                "control_characters",
                f"文本含有控制字符 {'、'.join(found[:5])}，已按 Excel 规则转义保留",
            )
        )
    return stored, problems


def _escape(text: str) -> str:
    if "_x" in text:
        text = _OOXML_ESCAPE.sub(r"_x005F_\1", text)
    if _CONTROL.search(text):
        text = _CONTROL.sub(lambda m: f"_x{ord(m.group(0)):04X}_", text)
    return text


def xlsx_unescape(text: str) -> str:
    """Decode ``_xHHHH_`` escapes as Excel does (openpyxl returns them as stored)."""
    if "_x" not in text:
        return text
    return _OOXML_ESCAPED.sub(lambda m: chr(int(m.group(1), 16)), text)


def _sheet_title(name: str, taken: set[str]) -> str:
    title = _SHEET_BAD.sub("_", str(name)).strip("'") or "Sheet"
    title = title[:31]
    base, n = title, 2
    while title.lower() in taken:
        suffix = f"({n})"
        title = base[: 31 - len(suffix)] + suffix
        n += 1
    taken.add(title.lower())
    return title


def write_cell(ws: Worksheet, row: int, column: int, value: Any) -> tuple[Cell, list[Problem]]:
    """Put one value into ``ws`` at (row, column) (both 1-based) the safe way.

    Text becomes a typed string cell (see :func:`xlsx_text`); numbers, booleans and dates
    stay typed; ``None``/NaN/NaT leave the cell empty; infinities become the text
    ``inf``/``-inf`` (Excel has no infinity), with a note.
    """
    cell = ws.cell(row=row, column=column)
    notes: list[Problem] = []
    where = {"sheet": ws.title, "row": row, "column": column - 1}

    def as_text(text: str) -> tuple[Cell, list[Problem]]:
        stored, problems = xlsx_text(text)
        cell.value = stored
        cell.data_type = "s"
        for code, message in problems:
            notes.append(Problem("warning", code, message, value=text[:80], **where))
        return cell, notes

    if value is None or value is pd.NA or value is pd.NaT:
        return cell, notes
    if isinstance(value, np.generic):
        value = value.item()
    if isinstance(value, float) and math.isnan(value):
        return cell, notes
    if isinstance(value, str):
        return as_text(value)
    if isinstance(value, float) and math.isinf(value):
        cell.value = "inf" if value > 0 else "-inf"
        cell.data_type = "s"
        notes.append(Problem("warning", "non_finite_number", "数值为无穷大，已写为文本", **where))
        return cell, notes
    if isinstance(value, pd.Timestamp):
        value = value.tz_localize(None) if value.tzinfo is not None else value
        value = value.to_pydatetime()
        if value == value.replace(hour=0, minute=0, second=0, microsecond=0):
            cell.number_format = "yyyy-mm-dd"
    if isinstance(value, bool | int | float) or hasattr(value, "isoformat"):
        if getattr(value, "tzinfo", None) is not None:
            value = value.replace(tzinfo=None)
        cell.value = value
        if cell.data_type not in ("n", "b", "d"):
            return as_text(str(value))
        return cell, notes
    return as_text(str(value))


def xlsx_workbook(
    sheets: Mapping[str, pd.DataFrame],
    *,
    formats: Mapping[str, str] | None = None,
    index: bool = False,
) -> tuple[Workbook, list[Problem]]:
    """Build an openpyxl workbook from tables, every value written with
    :func:`write_cell`. Style it as you like, then save with :func:`save_xlsx`.

    Parameters
    ----------
    sheets
        Sheet name -> table (header row, then one row per table row). Names Excel does
        not allow (over 31 characters, ``[]:*?/\\``, duplicates) are adjusted, noted.
    formats
        Column name -> Excel number format for that column's cells, e.g.
        ``{"rate": "0.0%", "total_investment": "#,##0"}``.
    index
        Write the index as the first column(s).
    """
    from openpyxl import Workbook

    wb = Workbook()
    wb.remove(wb.active)
    notes: list[Problem] = []
    taken: set[str] = set()
    for name, df in sheets.items():
        title = _sheet_title(name, taken)
        ws = wb.create_sheet(title)
        if title != str(name):
            notes.append(
                Problem(
                    "info",
                    "sheet_renamed",
                    f"工作表名“{name}”不符合 Excel 规则（最长 31 字，不能含 []:*?/\\），已改为“{title}”",
                    sheet=title,
                    value=str(name),
                )
            )
        table = df.reset_index() if index else df
        for j, col in enumerate(table.columns, start=1):
            _, more = write_cell(ws, 1, j, _header_text(col))
            notes.extend(more)
        fmt = [(formats or {}).get(str(c)) for c in table.columns]
        for i, row in enumerate(table.itertuples(index=False, name=None), start=2):
            for j, value in enumerate(row, start=1):
                cell, more = write_cell(ws, i, j, value)
                if more:
                    notes.extend(more)
                if fmt[j - 1] and cell.value is not None and cell.data_type != "s":
                    cell.number_format = fmt[j - 1]
    if not wb.worksheets:
        wb.create_sheet("Sheet")
    return wb, notes


def save_xlsx(wb: Workbook, path: str | Path, *, allow_formulas: bool = False) -> list[Problem]:
    """Sweep a workbook and save it atomically.

    Every formula cell, error cell and hyperlink that slipped in (e.g. a title written
    with ``ws["A1"] = text`` while styling) is turned into plain text, and noted —
    unless ``allow_formulas`` (for formulas the code wrote on purpose).
    """
    notes: list[Problem] = []
    for ws in wb.worksheets:
        for row in ws.iter_rows():
            for cell in row:
                if cell.data_type in ("f", "e") and not allow_formulas:
                    if not isinstance(cell.value, str):
                        continue  # array/data-table formulas are written by code only
                    text = cell.value
                    cell.data_type = "s"
                    notes.append(
                        Problem(
                            "info",
                            "formula_as_text",
                            "单元格内容以 = 或 # 开头，已按文本写入（不会被当作公式或错误值）",
                            sheet=ws.title,
                            row=cell.row,
                            column=cell.column - 1,
                            value=text[:80],
                        )
                    )
                if cell.hyperlink is not None and not allow_formulas:
                    cell.hyperlink = None
    with atomic_output(path) as tmp:
        wb.save(tmp)
    return notes


def write_xlsx(
    sheets: Mapping[str, pd.DataFrame],
    path: str | Path,
    *,
    formats: Mapping[str, str] | None = None,
    index: bool = False,
    style: Callable[[Workbook], None] | None = None,
) -> list[Problem]:
    """Write tables to an .xlsx file with every text as a typed string cell, atomically.

    Parameters
    ----------
    sheets
        Sheet name -> table.
    path
        Destination file; replaced atomically (:func:`atomic_output`).
    formats
        Column name -> Excel number format (see :func:`xlsx_workbook`).
    index
        Write the index as the first column(s).
    style
        Called with the openpyxl workbook before saving, to add fills, freeze panes,
        column widths; extra cells should be written with :func:`write_cell`.

    Returns
    -------
    list of Problem
        Cells whose text was over 32,767 characters (cut, with a marker) or had control
        characters (escaped, kept), adjusted sheet names, and anything the final sweep
        turned into text. ``row`` is 1-based (header = 1), ``column`` 0-based.
    """
    wb, notes = xlsx_workbook(sheets, formats=formats, index=index)
    if style is not None:
        style(wb)
    notes.extend(save_xlsx(wb, path))
    return notes
