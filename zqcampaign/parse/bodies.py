"""The bodies of many sheets at once: rows classified, values parsed column-wise.

:func:`parse_bodies` takes the body rows that :func:`~zqcampaign.parse.sheet_top.scan_sheet` left
in many sheets (about 20,000 rows a batch) and reads them together, in phases:

1. the non-empty rows, and what each holds (:func:`_nonempty_rows`);
2. what each row is: a section, a total, a repeated header, a footer, a project or a row
   that has data but no name (:func:`_classify_rows`, :func:`_report_rows`);
3. the county and the report date of each project row (:func:`_row_county`,
   :func:`_row_report_date`);
4. the values, column by column (:func:`_text_values`, :func:`_money_values`,
   :func:`_date_values`, :func:`_bool_values`, :func:`_declared_category`);
5. the records frame and the row accounting (:func:`_records`, :func:`_count_projects`).

Each phase is vectorised over the rows of all the sheets; cell values go through the
column-wise parsers of :mod:`zqcampaign.parse.columns`, each distinct value once.
"""

from __future__ import annotations

import itertools
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from zqcampaign.issues import Problem
from zqcampaign.parse.column_report import check_nature, count_row_columns
from zqcampaign.parse.columns import (
    Labels,
    ParseMemo,
    map_distinct,
    memoised,
    money_column,
    parse_column,
    text_value,
)
from zqcampaign.parse.headers import PLANNED_GOAL, SEQ
from zqcampaign.parse.sheet_result import IssueKey
from zqcampaign.parse.sheet_top import SheetScan
from zqcampaign.parse.structure import Kinds, classify_rows
from zqcampaign.parse.values import (
    date_uses_report_date,
    parse_bool,
    parse_county,
    parse_date,
    parse_stage,
)
from zqcampaign.schema import (
    BOOL_COLUMNS,
    COLUMN_LABELS,
    DATE_COLUMNS,
    DETAIL_DATE_COLUMNS,
    DETAIL_MONEY_COLUMNS,
    DETAIL_TEXT_COLUMNS,
    MONEY_COLUMNS,
    TEXT_COLUMNS,
)
from zqcampaign.text import normalize_label

__all__ = ["NAME_KEY", "parse_bodies"]

NAME_KEY = "_name_key"  # records: the normalised name, for project identity


# text kept as typed (county and category are parsed, not kept)
_TEXT_FIELDS = (
    *(c for c in TEXT_COLUMNS if c not in ("county", "category")),
    *DETAIL_TEXT_COLUMNS,
)
_DATE_FIELDS = (*DATE_COLUMNS[:-1], *DETAIL_DATE_COLUMNS, PLANNED_GOAL)
_MONEY_FIELDS = (*MONEY_COLUMNS, *DETAIL_MONEY_COLUMNS)

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
_P_NATURE = 13


def parse_bodies(
    scans: Sequence[SheetScan], aliases: Mapping[str, str], memo: ParseMemo | None = None
) -> tuple[pd.DataFrame, list[tuple[IssueKey, Problem]]]:
    """Classify and parse the body rows of many scanned sheets at once.

    Parameters
    ----------
    scans
        Sheets from :func:`~zqcampaign.parse.sheet_top.scan_sheet`; their ``result`` row counts
        are completed here.
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
    keyed: list[tuple[IssueKey, Problem]] = []
    number = [i for i, s in enumerate(scans) if s.body]  # position in the caller's list
    if not number:
        return _empty_records(), keyed
    rows, notnull = _nonempty_rows([scans[i] for i in number], number, keyed)
    kinds = classify_rows(rows, notnull, aliases)
    _report_rows(rows, kinds)
    if not kinds.is_project.any():
        return _empty_records(), keyed

    keep = np.flatnonzero(kinds.is_project)
    projects = rows.take(keep)
    ok = np.ones(len(keep), dtype=bool)  # project rows accepted so far
    county = _row_county(projects, kinds.sec_county[keep], aliases, memo, ok)
    report_date = _row_report_date(projects, county, memo, ok)
    values: dict[str, Any] = {
        "county": county,
        "report_date": pd.Series(report_date, dtype="datetime64[ns]"),
    }
    values.update(_text_values(projects))
    # 项目代码 (the national project code) identifies a project that has no 项目编号
    no_id = values["project_id"] == None  # noqa: E711
    values["project_id"] = np.where(no_id, values["project_code"], values["project_id"])
    values.update(_money_values(projects, county, memo, ok))
    values.update(_date_values(projects, county, report_date, memo))
    values.update(_bool_values(projects, county, memo))
    values["declared_category"] = _declared_category(projects, kinds.sec_cat[keep], county, memo)
    values["planned_goal_on"] = values.pop(PLANNED_GOAL)
    check_nature(projects, values, county, _P_NATURE)
    count_row_columns(projects, values, notnull[keep])

    records = _records(projects, values, kinds.name_label)
    _count_projects(projects, ok)
    return records[ok].reset_index(drop=True), keyed


# ---------------------------------------------------------------------------------------
# the rows of a batch


class _Sheets:
    """The sheets of one batch (those with a body), their issues keyed for sorting."""

    def __init__(
        self,
        scans: list[SheetScan],
        number: list[int],
        width: int,
        keyed: list[tuple[IssueKey, Problem]],
    ):
        self.scans = scans
        self.number = number  # position of each in the caller's list
        self.width = width  # body columns; column ``width`` is the spare, all-empty one
        self.keyed = keyed
        self.files = np.array([s.result.file for s in scans], dtype=object)
        self.names = np.array([s.result.sheet for s in scans], dtype=object)
        self.counties = np.array([s.result.county for s in scans], dtype=object)
        self._columns: dict[str, np.ndarray] = {}

    def __len__(self) -> int:
        return len(self.scans)

    def column(self, name: str) -> np.ndarray:
        """Each sheet's column of ``name`` (the spare column when it has none)."""
        found = self._columns.get(name)
        if found is None:
            spare = self.width  # the all-empty column stands for a column a sheet does not have
            index = np.array([s.columns.get(name, spare) for s in self.scans], dtype="int64")
            found = self._columns[name] = np.where(index < self.width, index, spare)
        return found  # (a header over no cell: no column)

    def data_columns(self, s: SheetScan) -> list[int]:
        """The columns of sheet ``s`` that hold project data (a header other than 序号)."""
        return [c for name, c in s.columns.items() if name != SEQ and c < self.width]

    def headers(self, name: str, default: str | None = None) -> np.ndarray:
        """Each sheet's header of the column ``name`` (``default`` when it has none)."""
        return np.array([s.header_text.get(name, default) for s in self.scans], dtype=object)

    def issue(
        self, s: int, key: tuple[int, int, int], severity: str, code: str, message: str, **kw: Any
    ) -> None:
        """Report an issue of sheet ``s``; ``key``: (phase, column number, row)."""
        issue = Problem(severity, code, message, file=self.files[s], sheet=self.names[s], **kw)
        self.keyed.append(((self.number[s], *key), issue))


@dataclass
class _Rows:
    """Body rows of a batch: ``cells[i]`` of sheet ``sid[i]``, at spreadsheet row ``row1[i]``."""

    sheets: _Sheets
    cells: np.ndarray
    sid: np.ndarray
    row1: np.ndarray

    def __len__(self) -> int:
        return len(self.sid)

    def take(self, keep: np.ndarray) -> _Rows:
        """The rows ``keep`` (a mask or positions)."""
        return _Rows(self.sheets, self.cells[keep], self.sid[keep], self.row1[keep])

    def raw(self, name: str) -> np.ndarray:
        """Each row's cell in the column ``name`` (None where its sheet has none)."""
        return self.cells[np.arange(len(self.sid)), self.sheets.column(name)[self.sid]]

    def per_sheet(self, where: np.ndarray) -> np.ndarray:
        """How many of the rows ``where`` each sheet has."""
        return np.bincount(self.sid[where], minlength=len(self.sheets))

    def issue(
        self, phase: int, i: int, severity: str, code: str, message: str, *, col: int = 0, **kw: Any
    ) -> None:
        """Report an issue of row ``i``."""
        r = int(self.row1[i])
        self.sheets.issue(int(self.sid[i]), (phase, col, r), severity, code, message, row=r, **kw)

    def note_issues(
        self, phase: int, col: int, name: str, values: np.ndarray, notes: np.ndarray, county: Any
    ) -> None:
        """Report the notes of the parser of column ``name`` (``values``: the raw cells)."""
        labels = self.sheets.headers(name, COLUMN_LABELS.get(name, name))
        for i in np.flatnonzero(notes != None):  # noqa: E711
            note = notes[i]
            self.issue(
                phase,
                i,
                note.severity,
                note.code,
                note.message,
                col=col,
                column=labels[self.sid[i]],
                value=values[i],
                county=county[i],
            )


def _body_matrix(scans: Sequence[SheetScan]) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(cells, sheet number, 1-based row) of every body row; one spare all-empty column.

    Whitespace-only text is already an empty cell (:class:`~zqcampaign.io.readers.RawSheet`).
    """
    sizes = [len(s.body) for s in scans]
    width = max((max(map(len, s.body)) for s in scans if s.body), default=0)
    cells = np.full((sum(sizes), width + 1), None, dtype=object)
    at = 0
    chain = itertools.chain.from_iterable
    for s, n in zip(scans, sizes, strict=True):
        if not n:
            continue
        lengths = set(map(len, s.body))
        w = max(lengths)
        if len(lengths) == 1:  # (one flat pass over the cells, not a list per row)
            flat = np.fromiter(chain(s.body), dtype=object, count=n * w)
            cells[at : at + n, :w] = flat.reshape(n, w)
        else:  # ragged rows (CSV)
            cells[at : at + n, :w] = [r + [None] * (w - len(r)) for r in s.body]
        at += n
    sheet_no = np.repeat(np.arange(len(scans)), sizes)
    first = np.array([s.first_body_row for s in scans], dtype="int64")
    starts = np.cumsum([0, *sizes[:-1]])
    row = first[sheet_no] + (np.arange(len(sheet_no)) - np.asarray(starts, dtype="int64")[sheet_no])
    return cells, sheet_no, row


def _notna(values: np.ndarray) -> np.ndarray:
    return ~pd.isna(values)


def _nonempty_rows(
    scans: list[SheetScan], number: list[int], keyed: list[tuple[IssueKey, Problem]]
) -> tuple[_Rows, np.ndarray]:
    """The non-empty body rows (counted in each sheet's ``rows_read``), and which of their
    cells hold a value."""
    cells, sid, row1 = _body_matrix(scans)
    sheets = _Sheets(scans, number, cells.shape[1] - 1, keyed)
    width = sheets.width
    notnull = _notna(cells[:, :width])
    keep_rows = notnull.any(axis=1)
    if not keep_rows.all():  # a row of NaN cells only is read too (then found empty)
        rest = np.flatnonzero(~keep_rows)
        keep_rows[rest] = (cells[rest, :width] != None).any(axis=1)  # noqa: E711
    rows = _Rows(sheets, cells, sid, row1)
    for s, n in zip(scans, rows.per_sheet(keep_rows), strict=True):
        s.result.rows_read += int(n)
    # every scan with a body has a non-empty body row
    return rows.take(keep_rows), notnull[keep_rows]


# ---------------------------------------------------------------------------------------
# what each row is


def _report_rows(rows: _Rows, kinds: Kinds) -> None:
    """Report unknown sections and rows without a name; count structural and rejected rows."""
    sheets, sid, lead = rows.sheets, rows.sid, kinds.lead
    for i in np.flatnonzero(kinds.unknown_section):
        rows.issue(
            _P_UNKNOWN_SECTION,
            i,
            "info",
            "unknown_section",
            f"分组行“{lead[i]}”未指明项目类别",
            value=lead[i],
            county=sheets.counties[sid[i]],
        )
    for i in np.flatnonzero(kinds.rejected):
        s = sheets.scans[sid[i]]
        cells_i = rows.cells[i]
        data_values = [cells_i[c] for c in sheets.data_columns(s) if cells_i[c] is not None]
        shown = data_values[0] if data_values else next(v for v in cells_i if v is not None)
        rows.issue(
            _P_MISSING_NAME,
            i,
            "error",
            "missing_name",
            "该行有数据但没有项目名称，未计入统计；请补填项目名称",
            column=s.header_text.get("name", "项目名称"),
            value=shown,
            county=sheets.counties[sid[i]],
        )

    structural_count = rows.per_sheet(kinds.structural)
    rejected_count = rows.per_sheet(kinds.rejected)
    for s, k, r in zip(sheets.scans, structural_count, rejected_count, strict=True):
        s.result.structural_rows += int(k)
        s.result.rejected_rows = int(r)


# ---------------------------------------------------------------------------------------
# the county and report date of each project row


def _row_county(
    rows: _Rows,
    sec_county: np.ndarray,
    aliases: Mapping[str, str],
    memo: ParseMemo | None,
    ok: np.ndarray,
) -> np.ndarray:
    """Each project row's county: its county column, else its section, else the sheet's.

    Reports unknown and conflicting counties; a row with no county is refused (``ok``).
    """
    sheets, sid = rows.sheets, rows.sid
    county_raw = rows.raw("county")
    county_col = map_distinct(
        county_raw, memoised(memo, "county", lambda v: parse_county(v, aliases))
    )
    has_col = county_col != None  # noqa: E711
    row_county = np.where(has_col, county_col, sec_county)
    row_county = np.where(row_county != None, row_county, sheets.counties[sid])  # noqa: E711
    unknown = _notna(county_raw) & ~has_col
    county_label = sheets.headers("county")
    for i in np.flatnonzero(unknown):
        fallback = row_county[i]
        if fallback is None or fallback != fallback:
            ok[i] = False
            msg = f"县（市、区）“{county_raw[i]}”不在配置的名单中，该行未计入；请改为规范名称"
            sev = "error"
        else:
            msg = f"县（市、区）“{county_raw[i]}”不在配置的名单中，按{fallback}计；请改为规范名称"
            sev = "warning"
        rows.issue(
            _P_UNKNOWN_COUNTY,
            i,
            sev,
            "unknown_county",
            msg,
            column=county_label[sid[i]],
            value=county_raw[i],
            county=fallback if isinstance(fallback, str) else None,
        )
    conflict = has_col & (sec_county != None) & (county_col != sec_county)  # noqa: E711
    for i in np.flatnonzero(conflict):
        rows.issue(
            _P_COUNTY_CONFLICT,
            i,
            "warning",
            "county_conflict",
            f"县（市、区）列为 {county_col[i]}，与分组行的 {sec_county[i]} 不一致，按列计",
            column=county_label[sid[i]],
            value=county_raw[i],
            county=county_col[i],
        )
    no_county = (row_county == None) & ~unknown  # noqa: E711
    name_header = sheets.headers("name")
    name_values = rows.raw("name")
    for i in np.flatnonzero(no_county):
        ok[i] = False
        rows.issue(
            _P_NO_COUNTY,
            i,
            "error",
            "no_county",
            "无法确定该行属于哪个县（市、区）：请在文件名、标题或“县（市、区）”列中写明",
            column=name_header[sid[i]],
            value=name_values[i],
        )
    return row_county


def _row_report_date(
    rows: _Rows, row_county: np.ndarray, memo: ParseMemo | None, ok: np.ndarray
) -> np.ndarray:
    """Each project row's report date (``datetime64``): its column, else the sheet's.

    Reports the column's notes and conflicts with the sheet; a row with no report date is
    refused (``ok``), once per sheet.
    """
    sheets, sid = rows.sheets, rows.sid
    sheet_rd = np.empty(len(sheets), dtype=object)
    sheet_rd[:] = [s.result.report_date for s in sheets.scans]
    sheet_rd64 = pd.to_datetime(pd.Series(sheet_rd, dtype=object)).to_numpy("datetime64[ns]")
    rd_raw = rows.raw("report_date")
    rd_parsed = parse_column(rd_raw, memoised(memo, "date", parse_date))
    rd_col = rd_parsed.objects()
    rows.note_issues(_P_RD_NOTES, 0, "report_date", rd_raw, rd_parsed.note_array(), row_county)
    has_rd = rd_col != None  # noqa: E711
    row_rd = np.where(has_rd, rd_parsed.dates().to_numpy(), sheet_rd64[sid])
    rd_label = sheets.headers("report_date")
    differs = has_rd & (sheet_rd[sid] != None)  # noqa: E711
    for i in np.flatnonzero(differs):
        sheet_date = sheet_rd[sid[i]]
        if rd_col[i] == sheet_date:
            continue
        rows.issue(
            _P_RD_CONFLICT,
            i,
            "warning",
            "report_date_conflict",
            f"截至日期列为 {rd_col[i].date()}，与表头的 {sheet_date.date()} 不一致，按列计",
            column=rd_label[sid[i]],
            value=rd_raw[i],
            county=row_county[i],
        )
    no_rd = np.isnat(row_rd)
    if no_rd.any():
        ok &= ~no_rd
        missing = rows.per_sheet(no_rd)
        for s in np.flatnonzero(missing):
            sheets.issue(
                s,
                (_P_NO_RD, 0, 0),
                "error",
                "no_report_date",
                f"无法确定截至日期，{int(missing[s])} 个项目未计入：请在标题写明“截至日期：2023年8月31日”，"
                "或在文件名中写明年月",
                county=sheets.counties[s],
            )
    return row_rd


# ---------------------------------------------------------------------------------------
# the values, column by column


def _text_values(rows: _Rows) -> dict[str, np.ndarray]:
    """The text columns, as typed (cleaned)."""
    return {name: map_distinct(rows.raw(name), text_value) for name in _TEXT_FIELDS}


def _money_values(
    rows: _Rows, row_county: np.ndarray, memo: ParseMemo | None, ok: np.ndarray
) -> dict[str, np.ndarray]:
    """The money columns in 万元; a row with no usable 计划总投资 is refused (``ok``)."""
    sheets, sid = rows.sheets, rows.sid
    out: dict[str, np.ndarray] = {}
    for k, name in enumerate(_MONEY_FIELDS):
        units = np.array([s.units.get(name, 1.0) for s in sheets.scans], dtype="float64")[sid]
        raw_values = rows.raw(name)
        amounts, notes = money_column(raw_values, units, memo)
        rows.note_issues(_P_MONEY_NOTES, k, name, raw_values, notes, row_county)
        out[name] = amounts
        if name == "total_investment":
            ti_notes = notes
    ti_raw = rows.raw("total_investment")
    ti_label = sheets.headers("total_investment", "计划总投资")
    for i in np.flatnonzero(np.isnan(out["total_investment"]) & ok):
        ok[i] = False
        if ti_notes[i] is not None and ti_notes[i].severity == "error":
            continue  # refused with its own error (implausible_money)
        raw_value = ti_raw[i]
        rows.issue(
            _P_NO_INVESTMENT,
            i,
            "error",
            "bad_money" if raw_value is not None else "missing_investment",
            (
                f"计划总投资“{raw_value}”无法识别，该项目未计入；请填写数字（单位万元）"
                if raw_value is not None
                else "计划总投资未填写，该项目未计入；请填写数字（单位万元）"
            ),
            column=ti_label[sid[i]],
            value=raw_value,
            county=row_county[i],
        )
    return out


def _date_values(
    rows: _Rows, row_county: np.ndarray, row_rd: np.ndarray, memo: ParseMemo | None
) -> dict[str, pd.Series]:
    """The date columns (year-less dates take the year of the row's report date).

    The date columns are parsed together: the same dates recur across them, and each
    distinct (value, report date) is parsed once for all of them.
    """
    raws = [rows.raw(name) for name in _DATE_FIELDS]
    n = len(rows)
    parsed = parse_column(
        np.concatenate(raws) if raws else np.empty(0, dtype=object),
        memoised(memo, "date", lambda v, rd=None: parse_date(v, report_date=rd)),
        np.tile(row_rd, len(raws)),
        memoised(memo, "date_uses_report_date", date_uses_report_date),
    )
    notes = parsed.note_array()
    dates = parsed.dates().to_numpy()
    out: dict[str, pd.Series] = {}
    for k, name in enumerate(_DATE_FIELDS):
        part = slice(k * n, (k + 1) * n)
        rows.note_issues(_P_DATE_NOTES, k, name, raws[k], notes[part], row_county)
        out[name] = pd.Series(dates[part])
    return out


def _bool_values(
    rows: _Rows, row_county: np.ndarray, memo: ParseMemo | None
) -> dict[str, pd.Series]:
    """The yes / no columns."""
    out: dict[str, pd.Series] = {}
    for k, name in enumerate(BOOL_COLUMNS):
        raw_values = rows.raw(name)
        parsed = parse_column(raw_values, memoised(memo, "bool", parse_bool))
        rows.note_issues(_P_BOOL_NOTES, k, name, raw_values, parsed.note_array(), row_county)
        out[name] = pd.Series(parsed.objects(), dtype=object).astype("boolean")
    return out


def _declared_category(
    rows: _Rows, sec_cat: np.ndarray, row_county: np.ndarray, memo: ParseMemo | None
) -> np.ndarray:
    """Each row's category: its category column, else its section's."""
    sid = rows.sid
    cat_raw = rows.raw("category")
    cat_col = map_distinct(cat_raw, memoised(memo, "stage", parse_stage))
    cat_label = rows.sheets.headers("category")
    for i in np.flatnonzero(_notna(cat_raw) & (cat_col == None)):  # noqa: E711
        rows.issue(
            _P_BAD_CATEGORY,
            i,
            "warning",
            "bad_category",
            f"项目类别“{cat_raw[i]}”无法识别，应为已签约未供地、已供地未动工或已动工未竣工",
            column=cat_label[sid[i]],
            value=cat_raw[i],
            county=row_county[i],
        )
    return np.where(cat_col != None, cat_col, sec_cat)  # noqa: E711


# ---------------------------------------------------------------------------------------
# the records


def _column(values: Any) -> Any:
    return (
        pd.Series(values, dtype=object)
        if isinstance(values, np.ndarray) and values.dtype == object
        else values
    )


def _records(rows: _Rows, values: dict[str, Any], name_label: Labels) -> pd.DataFrame:
    """The frame of the project rows (refused ones too): ``values``, where each row comes
    from, and the name as project identity compares it (county + this key)."""
    sheets, sid = rows.sheets, rows.sid
    labelled = name_label.label_of
    name_key = map_distinct(
        values["name"], lambda t: labelled[t] if t in labelled else normalize_label(t)
    )
    records = pd.DataFrame({k: _column(v) for k, v in values.items()})
    for name in (*TEXT_COLUMNS, *DETAIL_TEXT_COLUMNS, "declared_category"):
        if name in records:
            records[name] = records[name].astype("str")
    records["source_file"] = pd.Series(sheets.files[sid], dtype="str")
    records["source_sheet"] = pd.Series(sheets.names[sid], dtype="str")
    records["source_row"] = rows.row1.astype("int64")
    records[NAME_KEY] = pd.Series(np.where(name_key == None, "", name_key), dtype=object)  # noqa: E711
    return records


def _count_projects(rows: _Rows, ok: np.ndarray) -> None:
    """Each sheet's accepted project rows; refused ones count as rejected."""
    accepted = rows.per_sheet(ok)
    refused = rows.per_sheet(~ok)
    for s, a, r in zip(rows.sheets.scans, accepted, refused, strict=True):
        s.result.project_rows = int(a)
        s.result.rejected_rows += int(r)


def _empty_records() -> pd.DataFrame:
    """Records of no project (the columns and dtypes :func:`parse_bodies` returns)."""
    cols: dict[str, pd.Series] = {
        "county": pd.Series(dtype="str"),
        "report_date": pd.Series(dtype="datetime64[ns]"),
    }
    for name in _TEXT_FIELDS:
        cols[name] = pd.Series(dtype="str")
    for name in _MONEY_FIELDS:
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
