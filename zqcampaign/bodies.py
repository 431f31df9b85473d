"""The bodies of many sheets at once: rows classified, values parsed column-wise.

:func:`parse_bodies` takes the body rows that :func:`~zqcampaign.sheet_top.scan_sheet` left
in many sheets (about 20,000 rows a batch), classifies the rows and parses the values
column-wise over all of them, each distinct cell value once (:mod:`zqcampaign.columns`).
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np
import pandas as pd

from .columns import (
    Labels,
    ParseMemo,
    map_distinct,
    memoised,
    money_column,
    parse_column,
    text_value,
)
from .headers import PLANNED_GOAL, SEQ
from .schema import BOOL_COLUMNS, COLUMN_LABELS, DATE_COLUMNS, MONEY_COLUMNS, TEXT_COLUMNS
from .sheet_result import IssueKey, make_issue
from .sheet_top import SECTION_NUMBER, SheetScan
from .text import normalize_label
from .values import (
    date_uses_report_date,
    find_county,
    parse_bool,
    parse_county,
    parse_date,
    parse_stage,
)

__all__ = ["NAME_KEY", "parse_bodies"]

NAME_KEY = "_name_key"  # records: the normalised name, for project identity

_TOTAL = re.compile(r"^(合计|小计|总计|共计|累计|汇总|全市合计|其中)")
_FOOTER = re.compile(
    r"^(填表人|填报人|审核人|审核|制表人|制表|联系人|联系电话|电话|负责人|单位负责人|分管领导|"
    r"说明|填表说明|注[:：]|备注[:：]|附注|注释|签字|盖章|单位[（(]盖章)"
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
        Sheets from :func:`~zqcampaign.sheet_top.scan_sheet`; their ``result`` row counts
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
    lead_label = Labels(lead)
    name_label = Labels(name_raw)
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
            or (find_county(t, aliases) if SECTION_NUMBER.match(t) else None)
        ),
        few,
    )
    has_cat = section_category != None  # noqa: E711
    has_county = section_county != None  # noqa: E711
    looks_section = few & (lead_label.matches(SECTION_NUMBER) | has_cat | has_county)
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
    county_col = map_distinct(
        county_raw, memoised(memo, "county", lambda v: parse_county(v, aliases))
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
    rd_parsed = parse_column(rd_raw, memoised(memo, "date", parse_date))
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
        out[name] = map_distinct(raw(name), text_value)
    # the name as project identity compares it (county + this key)
    labelled = name_label.label_of
    name_key = map_distinct(
        out["name"], lambda t: labelled[t] if t in labelled else normalize_label(t)
    )

    # money
    for k, name in enumerate(MONEY_COLUMNS):
        units = np.array([s.units.get(name, 1.0) for s in scans], dtype="float64")[sid]
        raw_values = raw(name)
        amounts, notes = money_column(raw_values, units, memo)
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
        parsed = parse_column(
            raw_values,
            memoised(memo, "date", lambda v, rd=None: parse_date(v, report_date=rd)),
            row_rd,
            memoised(memo, "date_uses_report_date", date_uses_report_date),
        )
        add_notes(_P_DATE_NOTES, k, name, raw_values, parsed.note_array(), row_county)
        out[name] = parsed.dates()

    # yes / no
    for k, name in enumerate(BOOL_COLUMNS):
        raw_values = raw(name)
        parsed = parse_column(raw_values, memoised(memo, "bool", parse_bool))
        add_notes(_P_BOOL_NOTES, k, name, raw_values, parsed.note_array(), row_county)
        out[name] = pd.Series(parsed.objects(), dtype=object).astype("boolean")

    # category: column > section
    cat_raw = raw("category")
    cat_col = map_distinct(cat_raw, memoised(memo, "stage", parse_stage))
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
