"""What reading a sheet gives: :class:`SheetResult` (its rows and their accounting) and the
issue records every finding is reported as (:func:`make_issue`, ``ISSUE_COLUMNS``)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import pandas as pd

__all__ = ["COLUMN_REPORT", "ISSUE_COLUMNS", "IssueKey", "SheetResult", "make_issue"]

ISSUE_COLUMNS = ("severity", "code", "message", "county", "file", "sheet", "row", "column", "value")

# Campaign.columns: one row per file, sheet and source column
COLUMN_REPORT = (
    "file",
    "sheet",
    "source_column",
    "header",
    "column",
    "reason",
    "unit",
    "planned",
    "values",
    "parsed",
    "failed",
)

# (scan number, phase, column number, row): sorting by it gives the order in which one
# sheet's findings are reported
IssueKey = tuple[int, int, int, int]


@dataclass
class SheetResult:
    """Parsed rows of one sheet (canonical column names) and the accounting for it.

    ``records`` is filled by :func:`~zqcampaign.ledger.read_sheet`;
    :func:`~zqcampaign.parse.bodies.parse_bodies` returns the records of many sheets as one frame
    instead.
    """

    file: str
    sheet: str
    records: pd.DataFrame | None = None
    issues: list[dict[str, Any]] = field(default_factory=list)
    rows_read: int = 0
    project_rows: int = 0
    structural_rows: int = 0
    rejected_rows: int = 0
    county: str | None = None
    report_date: pd.Timestamp | None = None
    has_header: bool = False
    not_a_list: bool = False  # a form or a ledger of something else (not_a_project_list)
    # how each source column was understood: rows of ``Campaign.columns`` (COLUMN_REPORT)
    columns: list[dict[str, Any]] = field(default_factory=list)


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
