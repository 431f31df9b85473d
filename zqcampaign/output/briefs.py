"""What a county or a supervision group is told this month: the content of its letter and
of its phone page, gathered once so both say the same.

A :class:`Brief` holds the headline figures (completion rate, 序时目标, gap, flag), the red
and yellow projects with their reasons and responsible units, the open problems past their
解决时限, the data issues to fix and the next supervision day.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass
from typing import TYPE_CHECKING

import pandas as pd

from zqcampaign.output.tables import coming_supervision_day

if TYPE_CHECKING:
    from zqcampaign.campaign import Campaign

__all__ = ["Brief", "briefs", "issues_to_fix"]

_FLAG_ORDER = {"red": 0, "yellow": 1}


@dataclass(frozen=True)
class Brief:
    """One addressee's month: a county (``kind="county"``) or a supervision group."""

    kind: str  # "county" | "group"
    name: str  # the county, or the group's name
    counties: tuple[str, ...]
    as_of: pd.Timestamp
    completion: pd.DataFrame  # completion rows of the counties (county, total, achieved, rate, ...)
    flagged: pd.DataFrame  # red then yellow projects: project_flags columns
    overdue: pd.DataFrame  # open problems past their deadline: problems() register rows
    issues: pd.DataFrame  # the data issues to fix (errors and warnings)
    supervision_day: pd.Timestamp | None

    @functools.cached_property  # asked for often while a letter and a page are written
    def red(self) -> pd.DataFrame:
        return self.flagged[self.flagged["flag"] == "red"]

    @functools.cached_property
    def yellow(self) -> pd.DataFrame:
        return self.flagged[self.flagged["flag"] == "yellow"]

    @property
    def headline(self) -> pd.Series:
        """Totals over the counties: total, achieved, rate, expected, gap, flag (worst)."""
        c = self.completion
        total, achieved = int(c["total"].sum()), int(c["achieved"].sum())
        rate = achieved / total if total else float("nan")
        if len(c) == 1:
            row = c.iloc[0]
            expected, gap, flag = row["expected"], row["gap"], row["flag"]
        else:
            weights = c["total"].where(c["total"] > 0, 0)
            expected = (
                float((c["expected"] * weights).sum() / weights.sum()) if total else float("nan")
            )
            gap = rate - expected
            flags = set(c["flag"].dropna())
            flag = next((f for f in ("red", "yellow", "blue") if f in flags), None)
        return pd.Series(
            {
                "total": total,
                "achieved": achieved,
                "rate": rate,
                "expected": expected,
                "gap": gap,
                "flag": flag,
            }
        )

    @property
    def letter_kind(self) -> str:
        """督办函 when a red project or a red county, else 提醒函."""
        red = len(self.red) > 0 or (self.completion["flag"] == "red").any()
        return "督办函" if red else "提醒函"


def issues_to_fix(issues: pd.DataFrame, counties: tuple[str, ...]) -> pd.DataFrame:
    """Errors and warnings of ``counties``' ledgers, errors first."""
    if issues.empty:
        return issues
    sel = issues["county"].isin(counties) & issues["severity"].isin(["error", "warning"])
    out = issues[sel].copy()
    out["_s"] = (out["severity"] != "error").astype(int)
    return out.sort_values(["_s", "file", "row"], kind="stable").drop(columns="_s")


def briefs(camp: Campaign, as_of: object = None, *, counties: str = "flagged") -> list[Brief]:
    """A brief for every county with a red or yellow project, then for every group.

    Parameters
    ----------
    camp
        The loaded campaign (ledgers after ``as_of`` are left out).
    as_of
        The briefing date (default: the latest report date).
    counties
        ``"flagged"``: counties with a red or yellow project (the letters); ``"all"``:
        every county with list projects (the phone pages).
    """
    if counties not in ("flagged", "all"):
        raise ValueError(f"counties must be 'flagged' or 'all'; got {counties!r}")
    when = camp.resolve_as_of(as_of)
    known = (
        camp.known_on(when)
        if camp.latest_report_date is not None and when < camp.latest_report_date
        else camp
    )
    flags = known.project_flags(when)
    flags = flags[flags["flag"].isin(list(_FLAG_ORDER))].copy()
    flags["_o"] = flags["flag"].map(_FLAG_ORDER)
    order = {c: i for i, c in enumerate(camp.config.county_names)}
    flags["_c"] = flags["county"].map(order)
    flags = flags.sort_values(["_c", "_o", "days_late"], ascending=[True, True, False])
    flags = flags.drop(columns=["_o", "_c"])
    register = known.problems(when)
    overdue = register[register["overdue"]].sort_values(
        ["days_overdue"], ascending=False, kind="stable"
    )
    completion = known.completion(when)
    day = coming_supervision_day(known.supervision_days(), when)

    def brief(kind: str, name: str, counties: tuple[str, ...]) -> Brief:
        return Brief(
            kind=kind,
            name=name,
            counties=counties,
            as_of=when,
            completion=completion[completion["county"].isin(counties)].reset_index(drop=True),
            flagged=flags[flags["county"].isin(counties)].reset_index(drop=True),
            overdue=overdue[overdue["county"].isin(counties)].reset_index(drop=True),
            issues=issues_to_fix(known.issues, counties).reset_index(drop=True),
            supervision_day=day,
        )

    out = []
    for county in camp.config.county_names:
        b = brief("county", county, (county,))
        if len(b.flagged) or (counties == "all" and b.completion["total"].sum() > 0):
            out.append(b)
    out += [brief("group", g.name, g.counties) for g in camp.config.supervision_groups]
    return out
