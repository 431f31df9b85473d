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

This module is the public face of the reading; the work is done in
:mod:`zqcampaign.sheet_top` (step 1) and :mod:`zqcampaign.bodies` (step 2), the latter with
the column-wise parsers of :mod:`zqcampaign.columns`; :mod:`zqcampaign.sheet_result`
defines :class:`SheetResult` and the issue records.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import PurePath

from .bodies import NAME_KEY, parse_bodies
from .columns import ParseMemo
from .readers import RawSheet
from .sheet_result import ISSUE_COLUMNS, IssueKey, SheetResult, make_issue
from .sheet_top import HEADER_SCAN_ROWS, Hint, SheetScan, date_hint, scan_sheet

__all__ = [
    "HEADER_SCAN_ROWS",
    "ISSUE_COLUMNS",
    "NAME_KEY",
    "Hint",
    "IssueKey",
    "ParseMemo",
    "SheetResult",
    "SheetScan",
    "date_hint",
    "make_issue",
    "parse_bodies",
    "read_sheet",
    "scan_sheet",
]


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
