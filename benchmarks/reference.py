"""Straightforward reference computations, to check the fast figures on a sample.

Each function follows SPEC section 3 row by row in plain Python (no vectorisation, no shared
helpers with the package), so that a disagreement points at the fast code. They are slow
on purpose: call them on a sample of counties and dates.
"""

from __future__ import annotations

import itertools
import math
from collections import defaultdict
from typing import Any

import pandas as pd

TOL = 1e-9
SEVERITY = {"blue": 0, "yellow": 1, "red": 2}
NAMES = ("blue", "yellow", "red")


def _is_date(value: Any) -> bool:
    return (
        value is not None
        and not (isinstance(value, float) and math.isnan(value))
        and value is not pd.NaT
    )


def on_list(projects: pd.DataFrame, as_of: pd.Timestamp) -> dict[str, bool]:
    """project_id -> on the campaign list as of ``as_of`` (SPEC: in scope and listed by then;
    before any first report date, the list of the earliest report date)."""
    firsts = [d for d in projects["first_report_date"] if _is_date(d)]
    anyone = any(d <= as_of for d in firsts)
    earliest = min(firsts) if firsts else None
    out = {}
    for pid, scope, first in zip(
        projects["project_id"], projects["in_scope"], projects["first_report_date"], strict=True
    ):
        if not _is_date(first):
            joined = False
        elif anyone:
            joined = first <= as_of
        else:
            joined = first == earliest
        out[pid] = bool(scope) and joined
    return out


def completion_targets(config, county: str | None) -> dict:
    """deadline -> completion rate pledged: 100 % at the campaign end for everyone, and the
    county's own completion targets."""
    targets = {config.end: config.default_completion_target}
    if county is not None:
        for t in config.targets:
            if t.metric == "completion_rate" and t.scope == (county,):
                targets[t.deadline] = t.target
    return targets


def expected(config, as_of: pd.Timestamp, county: str | None) -> float:
    """The pledged pace: linear from (start, 0) through each (deadline, target), flat after."""
    points = [(pd.Timestamp(config.start), 0.0)]
    targets = completion_targets(config, county)
    points += [(pd.Timestamp(d), float(v)) for d, v in sorted(targets.items())]
    if as_of <= points[0][0]:
        return 0.0
    for (x0, y0), (x1, y1) in itertools.pairwise(points):
        if as_of <= x1:
            return y0 + (y1 - y0) * (as_of - x0).value / (x1 - x0).value
    return points[-1][1]


def completion(projects: pd.DataFrame, config, as_of: pd.Timestamp) -> pd.DataFrame:
    """county × category: total, achieved, rate, expected, flag — one project at a time."""
    listed = on_list(projects, as_of)
    total: dict[tuple[str, str], int] = defaultdict(int)
    done: dict[tuple[str, str], int] = defaultdict(int)
    for r in projects.itertuples():
        if not listed[r.project_id]:
            continue
        total[(r.county, r.category)] += 1
        if _is_date(r.achieved_on) and r.achieved_on <= as_of:
            done[(r.county, r.category)] += 1
    rows = []
    for (county, category), n in sorted(total.items()):
        rate = done[(county, category)] / n
        exp = expected(config, as_of, county)
        gap = rate - exp
        if gap >= -TOL:
            flag = "blue"
        elif gap >= -config.yellow_gap - TOL:
            flag = "yellow"
        else:
            flag = "red"
        # a deadline on or before as_of whose target the county × category list missed then
        for deadline, target in completion_targets(config, county).items():
            when = pd.Timestamp(deadline)
            if when > as_of:
                continue
            then = on_list(projects, when)
            members = [
                r
                for r in projects.itertuples()
                if then[r.project_id] and r.county == county and r.category == category
            ]
            if members:
                got = sum(_is_date(r.achieved_on) and r.achieved_on <= when for r in members)
                if got / len(members) < target - TOL:
                    flag = "red"
        rows.append((county, category, n, done[(county, category)], rate, exp, flag))
    return pd.DataFrame(
        rows, columns=["county", "category", "total", "achieved", "rate", "expected", "flag"]
    )


def latest_problem_state(snapshots: pd.DataFrame, as_of: pd.Timestamp) -> dict[str, tuple]:
    """project_id -> (problems, major, closed) of its latest ledger row dated by ``as_of``."""
    state: dict[str, tuple] = {}
    best: dict[str, pd.Timestamp] = {}
    for r in snapshots.itertuples():
        if not _is_date(r.report_date) or r.report_date > as_of:
            continue
        if r.project_id not in best or r.report_date >= best[r.project_id]:
            best[r.project_id] = r.report_date
            state[r.project_id] = (r.problems, r.problem_major, r.problem_closed)
    return state


def project_flags(
    projects: pd.DataFrame, snapshots: pd.DataFrame, config, as_of: pd.Timestamp
) -> pd.DataFrame:
    """project_id, flag, days_late of every list project, rule by rule."""
    listed = on_list(projects, as_of)
    state = latest_problem_state(snapshots, as_of)
    rows = []
    for r in projects.itertuples():
        if not listed[r.project_id]:
            continue
        problems, major, closed = state.get(
            r.project_id, (r.problems, r.problem_major, r.problem_closed)
        )
        if _is_date(r.achieved_on) and r.achieved_on <= as_of:
            rows.append((r.project_id, "blue", None))
            continue
        sev = 0
        days = None
        if not _is_date(r.planned_goal_on):
            sev = max(sev, SEVERITY[config.no_planned_date_flag])
        else:
            days = (as_of - r.planned_goal_on).days
            if 1 <= days <= config.red_days_late:
                sev = max(sev, 1)
            elif days > config.red_days_late:
                sev = max(sev, 2)
        text = problems.strip() if isinstance(problems, str) else ""
        is_closed = closed is True or (closed is not pd.NA and closed is not None and bool(closed))
        is_major = major is True or (major is not pd.NA and major is not None and bool(major))
        if is_major and not is_closed:
            sev = max(sev, SEVERITY[config.open_major_problem_flag])
        elif text and not is_closed:
            sev = max(sev, SEVERITY[config.open_problem_flag])
        rows.append((r.project_id, NAMES[sev], days))
    return pd.DataFrame(rows, columns=["project_id", "flag", "days_late"])


_MILESTONE = {
    "signed": "signed_on",
    "land_supplied": "land_supplied_on",
    "started": "started_on",
    "completed": "completed_on",
    "in_production": "in_production_on",
}


def target_actuals(
    projects: pd.DataFrame, snapshots: pd.DataFrame, config, as_of: pd.Timestamp
) -> list[float]:
    """The actual value of each configured target, measured at min(as_of, deadline)."""
    out = []
    for t in config.targets:
        when = min(as_of, pd.Timestamp(t.deadline))
        scope = set(t.scope)
        if t.metric in ("completion_rate", "list_count"):
            listed = on_list(projects, when)
            members = [
                r for r in projects.itertuples() if listed[r.project_id] and r.county in scope
            ]
            if t.metric == "list_count":
                out.append(float(len(members)))
            elif not members:
                out.append(float("nan"))
            else:
                got = sum(_is_date(r.achieved_on) and r.achieved_on <= when for r in members)
                out.append(got / len(members))
        elif t.metric in _MILESTONE:
            start = pd.Timestamp(t.start or config.start)
            col = _MILESTONE[t.metric]
            n = 0
            for r in projects.itertuples():
                d = getattr(r, col)
                if r.county in scope and bool(r.in_scope) and _is_date(d) and start <= d <= when:
                    n += 1
            out.append(float(n))
        elif t.metric == "actual_investment":
            latest: dict[str, tuple[pd.Timestamp, float, str]] = {}
            for r in snapshots.itertuples():
                if not _is_date(r.report_date) or r.report_date > when:
                    continue
                if r.project_id not in latest or r.report_date >= latest[r.project_id][0]:
                    latest[r.project_id] = (r.report_date, r.ytd_actual, r.county)
            out.append(
                float(sum(v for _, v, c in latest.values() if c in scope and not math.isnan(v)))
            )
        else:
            raise ValueError(t.metric)
    return out
