"""What reading a sheet gives: :class:`SheetResult` (the accounting of its rows and the
problems found before its body) and :data:`IssueKey`, the order problems are reported in."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import pandas as pd

from zqcampaign.issues import Problem

__all__ = ["COLUMN_REPORT", "IssueKey", "SheetResult"]

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
    """The accounting for one sheet; its rows are parsed with the other sheets' by
    :func:`~zqcampaign.parse.bodies.parse_bodies`."""

    file: str
    sheet: str
    issues: list[Problem] = field(default_factory=list)
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
