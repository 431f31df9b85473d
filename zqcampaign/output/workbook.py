"""The office's workbooks: report.xlsx (every table of the pack) and the issues files to
send back (``issues/<county>.xlsx``, one per county with only its problems, and
``issues/全市汇总.xlsx``).

Cells are written through :func:`zqcampaign.output.safeio.write_xlsx`, so ledger text always
lands as a typed text cell (never a formula, error or link); this module adds what makes
the sheets usable and printable: Chinese headers and values, a number format for every
numeric column (percent 1 dp, 百分点 1 dp, scores 1 dp, 万元 with thousands), frozen header,
filters, column widths, the flag fills, and print setup (landscape, fit to width, the
header row repeated on every page).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pandas as pd

from zqcampaign import labels
from zqcampaign.io.preflight import CellNote
from zqcampaign.labels import FLAG_FILLS, text
from zqcampaign.output.tables import BriefingTables, describe_code, localise

__all__ = [
    "FILL_RGB",
    "issues_frames",
    "write_issues_files",
    "write_issues_workbook",
    "write_report_workbook",
]

#: Cell fills of the flags (one definition: :data:`zqcampaign.labels.FLAG_FILLS`).
FILL_RGB = FLAG_FILLS
_PERCENT = {"rate", "expected", "investment_rate", "elapsed", "closure_rate", "rate_previous",
            "share_of_previous", "share_of_total"}  # fmt: skip
_POINTS = {"gap", "delta"}  # fractions shown as 百分点: 0.0955 -> -9.6
_POINTS_NUMBER = {"gap_points"}  # already in points
_SCORE = {"score"}
_MONEY = {"total_investment", "annual_plan", "ytd_actual"}
_INT = {"total", "achieved", "red", "yellow", "blue", "rank", "days_late", "days_open", "row",
        "source_row", "days_late_projected", "error", "warning", "info", "count", "reached_goal",
        "turned_red", "new_overdue", "issues", "year", "month"}  # fmt: skip


def _formats(frame: pd.DataFrame) -> dict[str, str]:
    """Excel number format per canonical column."""
    out = {}
    for col in frame.columns:
        if col in _PERCENT:
            out[col] = "0.0%"
        elif col in _POINTS:
            out[col] = "+0.0;-0.0;0.0"
        elif col in _POINTS_NUMBER or col in _SCORE:
            out[col] = "0.0"
        elif col in _MONEY:
            out[col] = "#,##0"
        elif col in _INT:
            out[col] = "0"
        elif pd.api.types.is_datetime64_any_dtype(frame[col]):
            out[col] = "yyyy-mm-dd"
    return out


def _for_excel(frame: pd.DataFrame, lang: str) -> pd.DataFrame:
    """Localised, with 百分点 columns as points (the number the header names)."""
    shown = frame.copy()
    for col in _POINTS & set(shown.columns):
        shown[col] = pd.to_numeric(shown[col], errors="coerce") * 100
    return localise(shown, lang)


def _style(ws: Any, frame: pd.DataFrame, lang: str, header_row: int = 1) -> None:
    """Header, filter, widths, formats, flag fills and print setup on a sheet written from
    ``frame`` with its header on ``header_row``."""
    from openpyxl.styles import Alignment, Font, PatternFill
    from openpyxl.utils import get_column_letter

    first, last = header_row + 1, header_row + len(frame)
    n_cols = len(frame.columns)
    ws.freeze_panes = f"A{first}"
    if n_cols:
        ws.auto_filter.ref = f"A{header_row}:{get_column_letter(n_cols)}{max(last, header_row)}"
    for cell in ws[header_row]:
        cell.font = Font(bold=True)
        cell.alignment = Alignment(wrap_text=True, vertical="center")
    formats = _formats(frame)
    fills = {k: PatternFill("solid", start_color=v, end_color=v) for k, v in FILL_RGB.items()}
    of_name = {labels.flag_name(f, lang): f for f in labels.FLAG_ORDER}
    for j, col in enumerate(frame.columns, start=1):
        letter = get_column_letter(j)
        shown = [labels.header(col, lang), *frame[col].astype("str").tolist()[:200]]
        width = max(_display_width(s) for s in shown)
        ws.column_dimensions[letter].width = min(max(width + 2, 8), 50)
        fmt = formats.get(col)
        cells = [c for (c,) in ws.iter_rows(min_row=first, max_row=last, min_col=j, max_col=j)]
        if fmt:
            for cell in cells:
                cell.number_format = fmt
        if col in ("flag", "flag_previous"):
            for cell in cells:
                flag = of_name.get(cell.value)
                if flag:
                    cell.fill = fills[flag]
        if width > 50:
            for cell in cells:
                cell.alignment = Alignment(wrap_text=True, vertical="top")
    _print_setup(ws, header_row)


def _print_setup(ws: Any, header_row: int) -> None:
    ws.page_setup.orientation = "landscape"
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.print_title_rows = f"{header_row}:{header_row}"
    ws.print_options.horizontalCentered = True
    ws.page_margins.left = ws.page_margins.right = 0.4


def _display_width(text_: str) -> int:
    """Width in Excel character units: CJK characters count double."""
    return sum(2 if ord(ch) > 0x2E80 else 1 for ch in str(text_)[:60])


def write_report_workbook(
    path: Path, tables: BriefingTables, *, lang: str = "zh"
) -> list[CellNote]:
    """Write report.xlsx; return the cells the safe writer had to report (too long, control chars)."""
    from zqcampaign.output.safeio import write_xlsx

    sheets = tables.sheets()
    frames = {name: _for_excel(frame, lang) for name, frame in sheets.items()}
    return write_xlsx(frames, path, style=lambda wb: _style_all(wb, sheets, lang))


def _style_all(wb: Any, sheets: dict[str, pd.DataFrame], lang: str, header_row: int = 1) -> None:
    for ws, frame in zip(wb.worksheets, sheets.values(), strict=True):
        _style(ws, frame, lang, header_row)


_ISSUE_COLS = ["severity", "code", "message", "month", "file", "sheet", "row", "column", "value"]
_SEVERITY_RANK = {"error": 0, "warning": 1, "info": 2}


def issues_frames(issues: pd.DataFrame, counties: tuple[str, ...]) -> dict[str, pd.DataFrame]:
    """County -> its issues to send (errors and warnings; by severity, file, row), canonical
    columns with ``month`` (the ledger month the file is for); ``""`` holds those no county
    can be found for."""
    real = issues[issues["severity"] != "info"].copy() if len(issues) else issues.copy()
    month = real["file"].astype("str").str.extract(r"(\d{4})[-年_]?(\d{1,2})月?")
    real["month"] = (month[0] + "-" + month[1].str.zfill(2)).fillna("")
    real = real.assign(_s=real["severity"].map(_SEVERITY_RANK), _r=pd.to_numeric(real["row"], errors="coerce"))  # fmt: skip
    real = real.sort_values(["_s", "month", "file", "_r"], kind="stable", na_position="first")
    out: dict[str, pd.DataFrame] = {}
    for county in [*counties, ""]:
        part = real[real["county"].fillna("") == county] if county else real[real["county"].isna() | ~real["county"].isin(counties)]  # fmt: skip
        part = part[_ISSUE_COLS].reset_index(drop=True)
        part.insert(2, "action", part["code"].map(lambda c: describe_code(c)[1]))
        out[county] = part
    return out


def _title_lines(title: str, lines: list[str]) -> Any:
    def style(wb: Any) -> None:
        from openpyxl.styles import Font

        for ws in wb.worksheets:
            ws.insert_rows(1, amount=len(lines) + 2)
            ws["A1"] = title
            ws["A1"].font = Font(bold=True, size=14)
            for i, line in enumerate(lines, start=2):
                ws[f"A{i}"] = line

    return style


def write_issues_files(
    folder: Path,
    issues: pd.DataFrame,
    tables: BriefingTables,
    config: Any,
    *,
    lang: str = "zh",
) -> tuple[list[Path], list[CellNote]]:
    """Write ``folder/<county>.xlsx`` for every county with issues to send and the city
    summary ``folder/全市汇总.xlsx``; return the files and the reported cells."""
    from zqcampaign.output.safeio import write_xlsx

    folder.mkdir(parents=True, exist_ok=True)
    as_of = labels.format_date(tables.as_of, lang)
    due = labels.format_date(tables.as_of + pd.Timedelta(days=config.resubmit_days), lang)
    head = [
        text("issues_as_of", lang, date=as_of),
        text("issues_deadline", lang, date=due),
        text("issues_contact", lang, contact=config.contact),
    ]
    frames = issues_frames(issues, tables.counties)
    written: list[Path] = []
    notes: list[CellNote] = []
    header_row = len(head) + 3
    summary_rows = []
    for county, frame in frames.items():
        name = county or text("unknown_county", lang)
        counts = frame["severity"].value_counts()
        summary_rows.append({"county": name, "error": int(counts.get("error", 0)),
                             "warning": int(counts.get("warning", 0)), "issues": len(frame)})  # fmt: skip
        if frame.empty:
            continue
        path = folder / f"{name}.xlsx"
        title = text("issues_title", lang, county=labels.county_label(name, lang))

        def style(wb: Any, frame: pd.DataFrame = frame, title: str = title) -> None:
            _title_lines(title, head)(wb)
            _style_all(wb, {"s": frame}, lang, header_row)

        notes += write_xlsx(
            {labels.header("issues", lang): localise(frame, lang)}, path, style=style
        )
        written.append(path)
    summary = pd.DataFrame(summary_rows)
    total = {"county": text("city_total", lang), "error": int(summary["error"].sum()),
             "warning": int(summary["warning"].sum()), "issues": int(summary["issues"].sum())}  # fmt: skip
    summary = pd.concat([summary, pd.DataFrame([total])], ignore_index=True)
    path = folder / f"{text('issues_summary_title', lang)}.xlsx"

    def style_summary(wb: Any) -> None:
        _title_lines(text("issues_summary_title", lang), head)(wb)
        _style_all(wb, {"s": summary}, lang, header_row)

    notes += write_xlsx({labels.header("issues", lang): localise(summary, lang)}, path, style=style_summary)  # fmt: skip
    written.append(path)
    return written, notes


def write_issues_workbook(
    path: Path, issues: pd.DataFrame, *, lang: str = "zh", counties: tuple[str, ...] | None = None
) -> list[CellNote]:
    """Write every county's issues into one workbook (for the office's own look): 汇总 (errors
    and warnings per county), then one sheet per county. What is sent to a county is its own
    file (:func:`write_issues_files`); a file-level problem goes to the county its file
    name names."""
    from zqcampaign.output.safeio import write_xlsx
    from zqcampaign.output.tables import issue_county

    if counties is None:
        counties = tuple(dict.fromkeys(issues["county"].dropna().astype(str)))
    issues = issues.assign(county=issue_county(issues, counties))
    frames = issues_frames(issues, counties)
    summary = pd.DataFrame(
        [
            {
                "county": county or text("unknown_county", lang),
                "error": int((f["severity"] == "error").sum()),
                "warning": int((f["severity"] == "warning").sum()),
            }
            for county, f in frames.items()
        ]
    )
    sheets = {"汇总": summary}
    sheets |= {(c or text("unknown_county", lang)): f for c, f in frames.items() if len(f)}
    shown = {name: localise(f, lang) for name, f in sheets.items()}
    return write_xlsx(shown, path, style=lambda wb: _style_all(wb, sheets, lang))
