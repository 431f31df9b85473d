"""How each source column was understood, counted: the rows of ``Campaign.columns``; and the
建设性质 (stage hint) of each project checked against its dates.

:func:`~zqcampaign.parse.sheet_top.scan_sheet` writes one entry per source column (header
as shown, canonical column or "ignored" and why, unit, planned / actual);
:func:`count_columns` fills in, over each sheet's project rows, how many cells held a
value, how many were read and how many could not be.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from typing import Any

import numpy as np
import pandas as pd

from zqcampaign.parse.headers import SEQ
from zqcampaign.parse.values import is_blank_word

__all__ = ["check_nature", "count_columns", "count_row_columns", "nature_conflicts"]


def count_columns(
    scans: list[Any],
    cells: np.ndarray,
    sid: np.ndarray,
    read: Mapping[str, np.ndarray],
    filled: np.ndarray | None = None,
) -> None:
    """Fill ``values`` / ``parsed`` / ``failed`` of each sheet's column entries.

    ``cells``: the project rows' cells (sheet ``sid``, the rows of one sheet consecutive,
    in sheet order); ``read``: canonical column -> one bool per row, whether a value was
    read from it; ``filled``: which of the cells (but the spare column) hold a value, when
    the caller knows. Counted for all the sheets at once: the filled cells per sheet and
    column from one running sum, the read and failed ones per canonical column.
    """
    width = cells.shape[1] - 1
    n = len(scans)
    if filled is None:
        filled = ~pd.isna(cells[:, :width])
    bounds = np.searchsorted(sid, np.arange(n + 1), side="left")
    running = np.zeros((len(sid) + 1, width), dtype=np.int64)
    np.cumsum(filled, axis=0, out=running[1:])
    values = running[bounds[1:]] - running[bounds[:-1]]  # sheet x column
    counts = {name: _read_counts(scans, cells, sid, filled, name, ok) for name, ok in read.items()}
    for s, scan in enumerate(scans):
        for entry in scan.result.columns:
            c = entry["_col"]
            if c >= width:
                continue
            entry["values"] = int(values[s, c])
            name = entry["column"]
            if name not in counts or scan.columns.get(name) != c:
                continue
            parsed, missed, failed = counts[name]
            entry["parsed"] = int(parsed[s])
            if missed[s]:  # a "no value" word (待定, /) is not a failure
                entry["failed"] = int(failed[s])


def _read_counts(
    scans: list[Any],
    cells: np.ndarray,
    sid: np.ndarray,
    filled: np.ndarray,
    name: str,
    ok: np.ndarray,
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Per sheet, in the sheet's column of ``name``: the cells read, the filled cells not
    read, and of these the ones that are not a "no value" word."""
    n, width = len(scans), filled.shape[1]
    col = np.array([scan.columns.get(name, -1) for scan in scans], dtype=np.int64)[sid]
    here = np.zeros(len(sid), dtype=bool)
    has = np.flatnonzero((col >= 0) & (col < width))
    here[has] = filled[has, col[has]]
    got = ok & here
    missed = np.flatnonzero(here & ~got)
    failed = np.zeros(n, dtype=np.int64)
    if missed.size:
        blank = _blank_words(cells[missed, col[missed]])
        failed = np.bincount(sid[missed[~blank]], minlength=n)
    return (
        np.bincount(sid[got], minlength=n),
        np.bincount(sid[missed], minlength=n),
        failed,
    )


def _blank_words(values: np.ndarray) -> np.ndarray:
    """Which cells hold a word meaning "no value" (each distinct value checked once)."""
    codes, uniques = pd.factorize(values, use_na_sentinel=True)
    hit = np.array([isinstance(u, str) and is_blank_word(u) for u in uniques] + [False], dtype=bool)
    return hit[codes]


_NATURE = (
    ("preparatory", re.compile(r"前期|预备|筹备|谋划|储备")),
    ("new", re.compile(r"新开工|新建|新开|新动工")),
    ("continuing", re.compile(r"续建")),
)


def nature_of(text: Any) -> str | None:
    """建设性质 / 项目性质 -> "preparatory" (前期), "new" (新开工) or "continuing" (续建)."""
    if not isinstance(text, str):
        return None
    for kind, rx in _NATURE:
        if rx.search(text):
            return kind
    return None


def nature_conflicts(
    nature: np.ndarray,
    started: pd.Series,
    report_date: np.ndarray,
    report: Callable[[int, str], None],
) -> None:
    """Report rows whose 建设性质 contradicts their 开工时间: ``report(row, message)``.

    前期 but started by the report date; 新开工 but started before the report year; 续建
    but started in the report year.
    """
    start = pd.to_datetime(started).to_numpy("datetime64[ns]")
    rd = np.asarray(report_date, dtype="datetime64[ns]")
    has = ~np.isnat(start) & ~np.isnat(rd)
    if not has.any():
        return
    start_year = start.astype("datetime64[Y]").astype(int) + 1970
    rd_year = rd.astype("datetime64[Y]").astype(int) + 1970
    kinds = np.array([nature_of(v) for v in nature], dtype=object)
    for i in np.flatnonzero(has & (kinds != None)):  # noqa: E711
        day = pd.Timestamp(start[i]).date()
        kind = kinds[i]
        if kind == "preparatory" and start[i] <= rd[i]:
            msg = f"建设性质为“{nature[i]}”，但已填开工时间 {day}；请核实建设性质或开工时间"
        elif kind == "new" and start_year[i] < rd_year[i]:
            msg = (
                f"建设性质为“{nature[i]}”，但开工时间 {day} 在 {rd_year[i]} 年以前"
                "（往年开工应为“续建”）；请核实"
            )
        elif kind == "continuing" and start_year[i] >= rd_year[i]:
            msg = (
                f"建设性质为“{nature[i]}”，但开工时间 {day} 在本年（{rd_year[i]} 年）"
                "（本年开工应为“新开工”）；请核实"
            )
        else:
            continue
        report(int(i), msg)


def count_row_columns(rows: Any, values: dict[str, Any], filled: np.ndarray | None = None) -> None:
    """How many cells of each source column were read (``SheetResult.columns``);
    ``filled``: which of the rows' cells hold a value, when known."""
    present = set().union(*(scan.columns for scan in rows.sheets.scans))
    read: dict[str, np.ndarray] = {}
    for name, v in values.items():
        key = {"declared_category": "category"}.get(name, name)
        if key in present:  # (a column no sheet of the batch has counts nothing)
            read[key] = ~pd.isna(np.asarray(v))
    read[SEQ] = np.zeros(len(rows), dtype=bool)
    count_columns(rows.sheets.scans, rows.cells, rows.sid, read, filled)


def check_nature(rows: Any, values: dict[str, Any], county: np.ndarray, phase: int) -> None:
    """建设性质 (新开工 / 续建 / 前期) against the start date."""
    labels = rows.sheets.headers("nature", "建设性质")

    def report(i: int, message: str) -> None:
        rows.issue(
            phase,
            i,
            "warning",
            "nature_conflict",
            message,
            column=labels[rows.sid[i]],
            value=values["nature"][i],
            county=county[i],
        )

    nature_conflicts(values["nature"], values["started_on"], values["report_date"], report)
