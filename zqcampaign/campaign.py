"""The :class:`Campaign` object: loaded ledgers, configuration, and the figures on them."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pandas as pd

from zqcampaign.config import Config
from zqcampaign.figures.methods import FiguresMixin

if TYPE_CHECKING:
    from zqcampaign.output.report import Pack

__all__ = ["Campaign", "LoadSummary"]


@dataclass
class LoadSummary:
    """Row accounting of one load: per sheet, rows read = project + structural + rejected."""

    table: (
        pd.DataFrame
    )  # file, sheet, format, rows_read, project_rows, structural_rows, rejected_rows

    @property
    def balanced(self) -> bool:
        t = self.table
        return bool(
            (t["rows_read"] == t["project_rows"] + t["structural_rows"] + t["rejected_rows"]).all()
        )

    def _repr_html_(self) -> str:
        return self.table._repr_html_()

    def __repr__(self) -> str:
        return repr(self.table)


@dataclass
class Campaign(FiguresMixin):
    """Loaded campaign data. Build with :func:`zqcampaign.load`.

    Attributes
    ----------
    snapshots
        One row per project per report date, canonical columns plus ``stage``.
    projects
        One row per project: baseline ``category`` and the latest state.
    issues
        Every problem found: severity, code, message, file, sheet, row, column, value.
    config
        The configuration in force.
    summary
        Row accounting per file and sheet.
    files
        One row per file read.
    columns
        How every source column was understood: one row per file, sheet and column —
        ``header`` as shown, canonical ``column`` (or ``"ignored"`` and the ``reason``),
        ``unit``, ``planned`` (计划 / 实际), and over the project rows how many cells held
        ``values``, how many were ``parsed`` and how many ``failed``.
    """

    snapshots: pd.DataFrame
    projects: pd.DataFrame
    issues: pd.DataFrame
    config: Config
    summary: LoadSummary
    files: pd.DataFrame = field(default_factory=pd.DataFrame)
    columns: pd.DataFrame = field(default_factory=pd.DataFrame)
    sample: bool = False  # loaded from the program's fictional sample data

    def warnings(self, as_of: object = None, lang: str = "zh") -> list[str]:
        """What makes the figures misleading, as sentences: the baseline month's ledgers
        missing, ``as_of`` before the campaign or after the latest ledger, sample data."""
        from zqcampaign import labels

        out = []
        dates = self.report_dates
        start = pd.Timestamp(self.config.start)
        if dates and pd.Timestamp(dates[0]).to_period("M") > start.to_period("M"):
            out.append(labels.text("warn_baseline", lang, month=labels.format_month(start, lang)))
        if as_of is not None:
            when = self.resolve_as_of(as_of)
            if when < start:
                out.append(labels.text("warn_before", lang, as_of=labels.format_date(when, lang),
                                       start=labels.format_date(start, lang)))  # fmt: skip
            latest = self.latest_report_date
            if latest is not None and when > latest:
                out.append(labels.text("warn_after", lang, as_of=labels.format_date(when, lang),
                                       latest=labels.format_date(latest, lang)))  # fmt: skip
        if self.sample:
            out.append(labels.text("warn_sample", lang))
        return out

    @property
    def report_dates(self) -> list[pd.Timestamp]:
        """Distinct report dates (截至日期) in the data, oldest first."""
        return sorted(self.snapshots["report_date"].dropna().unique())

    @property
    def latest_report_date(self) -> pd.Timestamp | None:
        dates = self.snapshots["report_date"].dropna()
        return None if dates.empty else pd.Timestamp(dates.max())

    def resolve_as_of(self, as_of: object = None) -> pd.Timestamp:
        """``None`` -> the latest report date; anything else -> a normalised Timestamp."""
        from zqcampaign.figures._common import resolve_as_of

        if as_of is None:
            latest = self.latest_report_date
            return pd.Timestamp(self.config.end) if latest is None else latest
        return resolve_as_of(as_of)

    def report(
        self, out_dir: str | Path, as_of: object = None, lang: str = "zh", **options: Any
    ) -> Pack:
        """Write the monthly briefing pack into ``out_dir`` (:func:`zqcampaign.output.report.write_report`)."""
        from zqcampaign.output.report import write_report

        return write_report(self, out_dir, as_of=as_of, lang=lang, **options)

    def templates(
        self, out_dir: str | Path, month: object = None, as_of: object = None, **options: Any
    ) -> list[Path]:
        """Next month's pre-filled ledger per county (:func:`zqcampaign.output.templates.write_templates`)."""
        from zqcampaign.output.templates import write_templates

        return write_templates(self, out_dir, month=month, as_of=as_of, **options)

    def known_on(self, as_of: object) -> Campaign:
        """The campaign as known on ``as_of``: ledgers reported after it are left out."""
        from zqcampaign.model.assembly import known_on

        return known_on(self, self.resolve_as_of(as_of))

    def __repr__(self) -> str:
        n_err = int((self.issues["severity"] == "error").sum()) if len(self.issues) else 0
        latest = self.latest_report_date
        when = latest.date().isoformat() if latest is not None else "—"
        return (
            f"<Campaign {self.config.city}: {len(self.projects)} 个项目, "
            f"{len(self.snapshots)} 条台账记录, 截至 {when}, "
            f"{len(self.issues)} 条问题（其中错误 {n_err} 条）>"
        )
