"""The briefing tables: the figures arranged as the office reads them, with Chinese headers.

One function builds every table of the monthly pack from a :class:`~zqcampaign.Campaign`;
the workbook, the CSV files and the slides all take their numbers from it, so every output
shows the same figures.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

import pandas as pd

from zqcampaign import labels
from zqcampaign.labels import text

if TYPE_CHECKING:
    from zqcampaign.campaign import Campaign

__all__ = [
    "FLAG_NAMES",
    "BriefingTables",
    "briefing_tables",
    "coming_supervision_day",
    "describe_code",
    "display_ids",
    "issue_county",
    "label",
    "localise",
    "sort_flagged",
]

#: Short flag names per language (from the label catalogue).
FLAG_NAMES = {
    lang: {f: labels.flag_name(f, lang) for f in labels.FLAG_ORDER} for lang in labels.LANGS
}

#: Columns whose coded values are shown through :func:`zqcampaign.labels.value_label`.
_VALUE_KINDS = {
    "flag": "flag", "flag_previous": "flag", "severity": "severity", "status": "status",
    "weekday": "weekday", "metric": "metric", "kind": "kind", "colour": "flag",
}  # fmt: skip
#: Yes/no columns, shown 是 / 否.
_BOOL_COLUMNS = {
    "in_scope",
    "met",
    "rolled",
    "major",
    "problem_major",
    "problem_closed",
    "on_time",
    "overdue",
    "escalated",
}


def describe_code(code: str, lang: str = "zh") -> tuple[str, str]:
    """(description, what to do) of an issue code, from the registry :mod:`zqcampaign.issues`."""
    from zqcampaign.issues import CODES

    entry = CODES.get(code)
    if entry is None:
        return (text("unknown_code", lang), "")
    if lang == labels.CONFIG_LANG:
        return (entry.zh, entry.action)
    return (entry.en, entry.en)


def label(column: str, lang: str = "zh") -> str:
    """Output header of a column in ``lang`` (:func:`zqcampaign.labels.header`)."""
    return labels.header(column, lang)


@dataclass
class BriefingTables:
    """Every table of the pack, all as of one date, canonical column names (translate
    with :func:`localise`)."""

    as_of: pd.Timestamp
    summary: pd.DataFrame  # by county
    projects: pd.DataFrame  # every project, with flag and reason
    targets: pd.DataFrame
    problems: pd.DataFrame
    supervision_days: pd.DataFrame
    supervision: pd.DataFrame  # group lists: flags as of ``as_of``, the visit on the day
    supervision_day: pd.Timestamp | None
    changes: pd.DataFrame
    completion_by_category: pd.DataFrame
    city: pd.Series  # headline figures
    issues: pd.DataFrame  # with ``county`` filled from the file name where it can be
    flagged: pd.DataFrame  # red and yellow list projects: county, flag, days late
    quality: pd.DataFrame  # ledgers and issue counts per county
    county_changes: pd.DataFrame  # rate and flag now and at the previous report date
    stage_counts: pd.DataFrame
    counties: tuple[str, ...]
    previous: pd.Series | None = None  # the previous report date and the city rate then
    forecast: pd.Series | None = None  # the city at the next deadline
    # the problem register's three lists (新增问题 / 推进中 / 已销号), every county
    problem_lists: dict[str, pd.DataFrame] = field(default_factory=dict)

    def sheets(self) -> dict[str, pd.DataFrame]:
        """Sheet name -> table, in workbook order (Chinese sheet names)."""
        return {
            "汇总": self.summary,
            "项目清单": self.projects,
            "目标": self.targets,
            "问题清单": self.problems,
            "督导安排": self.supervision,
            "督导日程": self.supervision_days,
            "变化": self.changes,
            "分类完成情况": self.completion_by_category,
            "台账质量": self.quality,
            "推进阶段": self.stage_counts,
            **self.problem_lists,
        }


# columns of the register's lists in the workbook and the CSV files
REGISTER_VIEW = (
    "county",
    "project_id",
    "name",
    "problem",
    "major",
    "first_seen",
    "status_on",
    "deadline",
    "days_open",
    "overdue",
    "days_overdue",
    "level",
    "coordination",
    "colour",
    "responsible_unit",
    "responsible_person",
)


def register_lists(register: pd.DataFrame) -> dict[str, pd.DataFrame]:
    """新增问题 / 推进中 / 已销号 of the register, the columns the office reads."""
    from zqcampaign.figures.problems import problem_lists

    return {k: v[list(REGISTER_VIEW)] for k, v in problem_lists(register).items()}


def register_counts(lists: dict[str, pd.DataFrame], counties: Sequence[str]) -> pd.DataFrame:
    """Per county: 新增问题, 推进中 (of which overdue) and 已销号 this month."""
    out = pd.DataFrame({"county": list(counties)})
    for key, frame in lists.items():
        out[key] = out["county"].map(frame["county"].value_counts()).fillna(0).astype("int64")
    going = lists.get("推进中")
    if going is not None:
        late = going.loc[going["overdue"], "county"].value_counts()
        out["其中超期"] = out["county"].map(late).fillna(0).astype("int64")
    return out


def coming_supervision_day(days: pd.DataFrame, as_of: pd.Timestamp) -> pd.Timestamp | None:
    """The first supervision day after ``as_of`` (the one the pack prepares), if any."""
    later = days.loc[days["date"] > as_of, "date"]
    return None if later.empty else pd.Timestamp(later.min())


def display_ids(frame: pd.DataFrame) -> pd.Series:
    """The ledgers' own project numbers; blank where the package made a key (县区:名称)."""
    ids = frame["project_id"].astype("str")
    made = ids.str.contains(":", regex=False)  # the package's key is 县区:名称
    return ids.where(~made, "")


def issue_county(issues: pd.DataFrame, counties: tuple[str, ...]) -> pd.Series:
    """Each issue's county; a file-level problem goes to the county its file name names."""
    county = issues["county"].astype("object")
    names = issues["file"].astype("str").str.rsplit("/", n=1).str[-1]
    for name in sorted(counties, key=len, reverse=True):
        hit = county.isna() & names.str.contains(name, regex=False)
        county = county.where(~hit, name)
    return county


def _quality(camp: Campaign, issues: pd.DataFrame, as_of: pd.Timestamp, counties: tuple[str, ...]) -> pd.DataFrame:  # fmt: skip
    table = camp.summary.table
    table = table[table["report_date"] <= as_of]
    latest = table.groupby("county")["report_date"].max() if len(table) else pd.Series(dtype="datetime64[ns]")  # fmt: skip
    newest = latest.max() if len(latest) else pd.NaT
    rows = []
    for county in counties:
        part = issues[issues["county"] == county]
        counts = part["severity"].value_counts()
        real = part[part["severity"] != "info"]
        top = real["code"].value_counts()
        main = top.index[0] if len(top) else ""  # the code; described when shown
        when = latest.get(county, pd.NaT)
        rows.append({
            "county": county, "latest": when,
            "on_time": bool(pd.notna(when) and pd.notna(newest) and when >= newest),
            "error": int(counts.get("error", 0)), "warning": int(counts.get("warning", 0)),
            "info": int(counts.get("info", 0)), "main_problem": main,
        })  # fmt: skip
    return pd.DataFrame(rows)


def _county_changes(camp: Campaign, completion: pd.DataFrame, changes: pd.DataFrame, previous: pd.Timestamp) -> pd.DataFrame:  # fmt: skip
    before = camp.completion(as_of=previous, by="county")[["county", "rate", "flag"]]
    out = completion[["county", "rate", "flag"]].merge(
        before.rename(columns={"rate": "rate_previous", "flag": "flag_previous"}), on="county", how="left"
    )  # fmt: skip
    out["delta"] = out["rate"] - out["rate_previous"]
    kinds = changes.pivot_table(index="county", columns="kind", values="name", aggfunc="count") if len(changes) else pd.DataFrame()  # fmt: skip
    for kind, col in (("reached_goal", "reached_goal"), ("turned_red", "turned_red"), ("slipped", "new_overdue")):  # fmt: skip
        out[col] = out["county"].map(kinds[kind] if kind in kinds else {}).fillna(0).astype("int64")
    return out[["county", "rate_previous", "rate", "delta", "flag_previous", "flag", "reached_goal", "turned_red", "new_overdue"]]  # fmt: skip


def _city_forecast(camp: Campaign, as_of: pd.Timestamp) -> pd.Series | None:
    fc = camp.forecast(as_of=as_of)
    if fc.empty:
        return None
    first = fc["deadline"].min()
    part = fc[fc["deadline"] == first]
    total = part["total"].sum()
    if not total:
        return None
    projected = (part["projected_rate"] * part["total"]).sum() / total
    target = (part["target"] * part["total"]).sum() / total
    return pd.Series({"deadline": first, "projected_rate": projected, "target": target})


def sort_flagged(frame: pd.DataFrame, county_order: Sequence[str]) -> pd.DataFrame:
    """Red and yellow projects by county (configured order), then flag, then days late."""
    order = {c: i for i, c in enumerate(county_order)}
    return (
        frame.assign(
            _c=frame["county"].map(order).fillna(len(order)),
            _f=frame["flag"].map(labels.FLAG_RANK),
            _d=-frame["days_late"].fillna(-1).astype(float),
        )
        .sort_values(["_c", "_f", "_d", "name"], kind="stable")
        .drop(columns=["_c", "_f", "_d"])
        .reset_index(drop=True)
    )


def briefing_tables(camp: Campaign, as_of: pd.Timestamp) -> BriefingTables:
    """Compute every table of the pack as of ``as_of`` (canonical column names)."""
    counties = tuple(camp.config.county_names)
    completion = camp.completion(as_of=as_of, by="county")
    flags = camp.project_flags(as_of=as_of)
    flag_counts = (
        flags.pivot_table(index="county", columns="flag", values="name", aggfunc="count")
        .reindex(columns=["red", "yellow", "blue"])
        .fillna(0)
        .astype("int64")
    )
    investment = camp.investment(as_of=as_of)[
        ["county", "annual_plan", "ytd_actual", "rate", "elapsed", "gap_points"]
    ]
    investment = investment.rename(columns={"rate": "investment_rate"})
    ranking = camp.ranking(as_of=as_of)[["county", "rank", "score"]]
    summary = (
        completion[["county", "total", "achieved", "rate", "expected", "gap", "flag"]]
        .merge(flag_counts, left_on="county", right_index=True, how="left")
        .merge(investment, on="county", how="left")
        .merge(ranking, on="county", how="left")
    )
    for col in ("red", "yellow", "blue"):
        summary[col] = summary[col].fillna(0).astype("int64")

    projects = camp.projects.merge(
        flags[["project_id", "flag", "reason", "days_late"]], on="project_id", how="left"
    )
    projects["reason"] = projects["reason"].where(
        projects["in_scope"], projects["scope_note"].fillna("不纳入统计")
    )
    project_cols = [
        "project_id", "name", "county", "category", "in_scope", "stage", "flag", "reason",
        "days_late", "total_investment", "annual_plan", "ytd_actual", "signed_on",
        "land_supplied_on", "started_on", "completed_on", "in_production_on", "planned_land_on",
        "planned_start_on", "planned_completion_on", "problems", "problem_major", "problem_closed",
        "responsible_unit", "responsible_person", "report_date", "source_file", "source_sheet",
        "source_row",
    ]  # fmt: skip
    order = {c: i for i, c in enumerate(counties)}
    projects = projects.sort_values(
        ["county", "in_scope", "flag", "name"],
        key=lambda s: s.map(order) if s.name == "county" else s,
        ascending=[True, False, True, True],
        kind="stable",
    )[project_cols].reset_index(drop=True)

    days = camp.supervision_days()
    day = coming_supervision_day(days, as_of)
    if day is not None:  # flags as of the pack's date; the supervision-day view is one column
        supervision = camp.group_lists(as_of)
        later = camp.group_lists(day)[["project_id", "days_late"]]
        supervision = supervision.merge(
            later.rename(columns={"days_late": "days_late_projected"}), on="project_id", how="left"
        )
        supervision.insert(1, "date", day)
        group_rank = {g.name: i for i, g in enumerate(camp.config.supervision_groups)}
        supervision = (
            supervision.assign(
                _g=supervision["group"].map(group_rank), _c=supervision["county"].map(order),
                _f=supervision["flag"].map(labels.FLAG_RANK),
                _d=-supervision["days_late"].fillna(-1).astype(float),
            )
            .sort_values(["_g", "_c", "_f", "_d", "name"], kind="stable")
            .drop(columns=["_g", "_c", "_f", "_d"])
            .reset_index(drop=True)
        )  # fmt: skip
    else:
        supervision = pd.DataFrame(columns=["group", "date", "county", "name", "flag", "reason"])

    flagged = sort_flagged(flags[flags["flag"].isin(["red", "yellow"])], counties)

    city_row = camp.completion(as_of=as_of, by="city").iloc[0]
    targets = camp.targets_status(as_of=as_of)
    city = pd.Series(
        {
            "total": int(city_row["total"]),
            "achieved": int(city_row["achieved"]),
            "rate": city_row["rate"],
            "expected": city_row["expected"],
            "gap": city_row["gap"],
            "flag": city_row["flag"],
            "red": int((flags["flag"] == "red").sum()),
            "yellow": int((flags["flag"] == "yellow").sum()),
            "blue": int((flags["flag"] == "blue").sum()),
            "counties_red": int((completion["flag"] == "red").sum()),
            "counties_yellow": int((completion["flag"] == "yellow").sum()),
            "annual_plan": float(investment["annual_plan"].sum()),
            "ytd_actual": float(investment["ytd_actual"].sum()),
            "elapsed": float(investment["elapsed"].iloc[0]) if len(investment) else float("nan"),
            "targets_met": int((targets["met"] == True).sum()),  # noqa: E712 - object column
            "targets_failed": int((targets["met"] == False).sum()),  # noqa: E712
            "targets_pending": int(targets["met"].isna().sum()),
        }
    )
    issues = camp.issues.copy()
    issues["county"] = issue_county(issues, counties)
    earlier = [d for d in camp.report_dates if d < as_of]
    changes = camp.changes(as_of=as_of) if earlier else _no_changes()
    previous = county_changes = None
    if earlier:
        prev = max(earlier)
        prev_city = camp.completion(as_of=prev, by="city").iloc[0]
        previous = pd.Series({"date": prev, "rate": prev_city["rate"]})
        county_changes = _county_changes(camp, completion, changes, prev)
    else:
        county_changes = pd.DataFrame(columns=["county", "rate_previous", "rate", "delta", "flag_previous", "flag"])  # fmt: skip
    register = camp.problems(as_of=as_of)
    return BriefingTables(
        as_of=as_of,
        summary=summary,
        projects=projects,
        targets=targets,
        problems=register,
        supervision_days=days,
        supervision=supervision,
        supervision_day=day,
        changes=changes,
        completion_by_category=camp.completion(as_of=as_of, by=["county", "category"]),
        city=city,
        issues=issues,
        flagged=flagged,
        quality=_quality(camp, issues, as_of, counties),
        county_changes=county_changes,
        stage_counts=camp.stage_counts(as_of=as_of),
        counties=counties,
        previous=previous,
        forecast=_city_forecast(camp, as_of),
        problem_lists=register_lists(register),
    )


def _no_changes() -> pd.DataFrame:
    return pd.DataFrame(columns=["project_id", "name", "county", "change", "detail", "kind"])


def localise(frame: pd.DataFrame, lang: str = "zh") -> pd.DataFrame:
    """A table for people: coded values spelled out (flags 蓝/黄/红, 是/否, severities,
    weekdays, metrics), the ledgers' own project numbers, issue codes described, headers
    translated. Numbers keep full precision (formats are the workbook's business)."""
    out = frame.copy()
    for col, kind in _VALUE_KINDS.items():
        if col in out:
            out[col] = (
                out[col].map(lambda v, k=kind: labels.value_label(k, v, lang)).astype("object")
            )
    for col in _BOOL_COLUMNS & set(out.columns):
        out[col] = out[col].map(
            lambda v: labels.value_label("bool", bool(v), lang) if isinstance(v, bool) or (v is not None and not pd.isna(v) and v in (0, 1)) else ""
        )  # fmt: skip
    if "project_id" in out and "county" in out:
        out["project_id"] = display_ids(frame)
    if "stage" in out and out["stage"].isin(schema_milestones()).any():
        out["stage"] = out["stage"].map(lambda v: labels.stage_label(v, lang))
    if "main_problem" in out:
        out["main_problem"] = out["main_problem"].map(
            lambda c: describe_code(c, lang)[0] if c else ""
        )
    if "code" in out:
        described = out["code"].map(lambda c: describe_code(c, lang))
        if "action" not in out:
            out.insert(out.columns.get_loc("code") + 1, "action", described.str[1])
        out["code"] = described.str[0]
    out.columns = [labels.header(c, lang) for c in out.columns]
    return out


def schema_milestones() -> tuple[str, ...]:
    from zqcampaign.schema import MILESTONES

    return MILESTONES
