"""The office's workbooks: report.xlsx (every table of the pack) and issues.xlsx (the list of
data problems to send back, one sheet per county).

Cells are written through :func:`zqcampaign.output.safeio.write_xlsx`, so ledger text always lands
as a typed text cell (never a formula, error or link); this module adds what makes the
sheets usable: frozen header, filters, column widths, number and date formats, and the
campaign's blue/yellow/red as cell fills.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pandas as pd

from zqcampaign.io.preflight import CellNote
from zqcampaign.output.tables import BriefingTables, label, localise

__all__ = ["FILL_RGB", "write_issues_workbook", "write_report_workbook"]

FILL_RGB = {"blue": "9DC3E6", "yellow": "FFE699", "red": "F4B183"}
_FLAG_OF_TEXT = {
    "蓝": "blue",
    "黄": "yellow",
    "红": "red",
    "blue": "blue",
    "yellow": "yellow",
    "red": "red",
}
_PERCENT = {"rate", "expected", "gap", "investment_rate", "elapsed", "closure_rate"}
_MONEY = {"total_investment", "annual_plan", "ytd_actual"}


def _formats(frame: pd.DataFrame) -> dict[str, str]:
    """Excel number format per canonical column."""
    out = {}
    for col in frame.columns:
        if col in _PERCENT:
            out[col] = "0.0%"
        elif col in _MONEY:
            out[col] = "#,##0.0"
        elif pd.api.types.is_datetime64_any_dtype(frame[col]):
            out[col] = "yyyy-mm-dd"
    return out


def _style(ws: Any, frame: pd.DataFrame, lang: str) -> None:
    """Frozen header, filter, widths, formats and flag fills on a sheet written from ``frame``."""
    from openpyxl.styles import Alignment, Font, PatternFill
    from openpyxl.utils import get_column_letter

    n_rows, n_cols = len(frame) + 1, len(frame.columns)
    ws.freeze_panes = "A2"
    if n_cols:
        ws.auto_filter.ref = f"A1:{get_column_letter(n_cols)}{n_rows}"
    header_font = Font(bold=True)
    for cell in ws[1]:
        cell.font = header_font
        cell.alignment = Alignment(wrap_text=True, vertical="center")
    formats = _formats(frame)
    fills = {k: PatternFill("solid", start_color=v, end_color=v) for k, v in FILL_RGB.items()}
    for j, col in enumerate(frame.columns, start=1):
        letter = get_column_letter(j)
        shown = [label(col, lang), *frame[col].astype("str").fillna("").tolist()[:200]]
        width = max(_display_width(s) for s in shown)
        ws.column_dimensions[letter].width = min(max(width + 2, 8), 60)
        fmt = formats.get(col)
        if fmt:
            for (cell,) in ws.iter_rows(min_row=2, max_row=n_rows, min_col=j, max_col=j):
                cell.number_format = fmt
        if col == "flag":
            for (cell,) in ws.iter_rows(min_row=2, max_row=n_rows, min_col=j, max_col=j):
                flag = _FLAG_OF_TEXT.get(cell.value)
                if flag:
                    cell.fill = fills[flag]


def _display_width(text: str) -> int:
    """Width in Excel character units: CJK characters count double."""
    return sum(2 if ord(ch) > 0x2E80 else 1 for ch in str(text)[:60])


def write_report_workbook(
    path: Path, tables: BriefingTables, *, lang: str = "zh"
) -> list[CellNote]:
    """Write report.xlsx; return the cells the safe writer had to report (too long, control chars)."""
    from zqcampaign.output.safeio import write_xlsx

    sheets = tables.sheets()
    frames = {name: localise(frame, lang) for name, frame in sheets.items()}

    return write_xlsx(frames, path, style=lambda wb: _style_all(wb, sheets, lang))


def _style_all(wb: Any, sheets: dict[str, pd.DataFrame], lang: str) -> None:
    for ws, frame in zip(wb.worksheets, sheets.values(), strict=True):
        _style(ws, frame, lang)


def write_issues_workbook(path: Path, issues: pd.DataFrame, *, lang: str = "zh") -> list[CellNote]:
    """Write issues.xlsx: 汇总 (counts by county and severity), then one sheet per county with
    file, sheet, row, column, value and what to fix; file-level problems on 文件问题."""
    from zqcampaign.output.safeio import write_xlsx

    cols = ["severity", "code", "file", "sheet", "row", "column", "value", "message"]
    real = issues[issues["severity"] != "info"] if len(issues) else issues
    overview = (
        real.assign(county=real["county"].fillna("（未确定县区）"))
        .pivot_table(
            index="county", columns="severity", values="code", aggfunc="count", fill_value=0
        )
        .reindex(columns=["error", "warning"], fill_value=0)
        .reset_index()
    )
    overview.columns = ["county", "error", "warning"]
    sheets: dict[str, pd.DataFrame] = {"汇总": overview}
    for county, part in real.groupby(real["county"].fillna(""), sort=False):
        name = county if county else "文件问题"
        sheets[name] = part[cols].reset_index(drop=True)
    frames = {name: localise(frame, lang) for name, frame in sheets.items()}
    return write_xlsx(frames, path, style=lambda wb: _style_all(wb, sheets, lang))
