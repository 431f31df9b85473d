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

from zqcampaign.schema import COLUMN_LABELS

if TYPE_CHECKING:
    from zqcampaign.campaign import Campaign

__all__ = [
    "FLAG_NAMES",
    "BriefingTables",
    "briefing_tables",
    "coming_supervision_day",
    "label",
    "localise",
    "register_counts",
    "register_lists",
]

FLAG_NAMES = {
    "zh": {"blue": "蓝", "yellow": "黄", "red": "红"},
    "en": {"blue": "blue", "yellow": "yellow", "red": "red"},
}

# Output headers: canonical or figure column -> (中文, English).
HEADERS: dict[str, tuple[str, str]] = {
    **{k: (v, k.replace("_", " ")) for k, v in COLUMN_LABELS.items()},
    "total": ("项目数", "projects"),
    "achieved": ("已完成", "achieved"),
    "rate": ("完成率", "completion rate"),
    "expected": ("序时目标", "expected"),
    "gap": ("差距", "gap"),
    "flag": ("标识", "flag"),
    "reason": ("原因", "reason"),
    "days_late": ("逾期天数", "days late"),
    "planned_goal_on": ("计划完成节点时间", "planned goal date"),
    "achieved_on": ("完成节点时间", "goal reached on"),
    "red": ("红色项目", "red projects"),
    "yellow": ("黄色项目", "yellow projects"),
    "blue": ("蓝色项目", "blue projects"),
    "investment_rate": ("投资完成率", "investment rate"),
    "elapsed": ("序时进度", "year elapsed"),
    "gap_points": ("投资差距（百分点）", "investment gap (points)"),
    "rank": ("排名", "rank"),
    "score": ("综合得分", "score"),
    "scope": ("范围", "scope"),
    "metric": ("指标", "metric"),
    "label": ("目标", "target"),
    "start": ("起算日期", "from"),
    "deadline": ("期限", "deadline"),
    "target": ("目标值", "target value"),
    "actual": ("实际值", "actual"),
    "pace": ("序时应达", "pace"),
    "met": ("是否完成", "met"),
    "problem": ("存在问题", "problem"),
    "major": ("重大问题", "major"),
    "first_seen": ("首次报告", "first seen"),
    "closed_on": ("销号日期", "closed on"),
    "status": ("状态", "status"),
    "register_status": ("销号状态", "register status"),
    "status_on": ("状态日期", "status date"),
    "reopened_on": ("重新报告日期", "reopened on"),
    "deadline_source": ("时限来源", "deadline from"),
    "overdue": ("是否超期", "overdue"),
    "days_overdue": ("超期天数", "days overdue"),
    "level": ("督办类型", "supervision type"),
    "escalated": ("是否升级督办", "escalated"),
    "coordination": ("协调层级", "coordination level"),
    "colour": ("时限标识", "deadline colour"),
    "group": ("督导组", "group"),
    "change": ("变化", "change"),
    "detail": ("说明", "detail"),
    "date": ("督导日", "date"),
    "month": ("月份", "month"),
    "rolled": ("是否顺延", "rolled"),
    "nominal": ("原定日期", "nominal date"),
    "annual_plan": ("年度计划投资（万元）", "annual plan (10k yuan)"),
    "ytd_actual": ("累计完成投资（万元）", "YTD actual (10k yuan)"),
    "severity": ("级别", "severity"),
    "code": ("问题代码", "code"),
    "message": ("问题说明及修改要求", "what to fix"),
    "file": ("文件", "file"),
    "sheet": ("工作表", "sheet"),
    "row": ("行号", "row"),
    "column": ("列", "column"),
    "value": ("原值", "value"),
}
SEVERITY_NAMES = {"zh": {"error": "错误", "warning": "警告", "info": "提示"}}
STATUS_NAMES = {"zh": {"open": "未销号", "closed": "已销号"}}


def label(column: str, lang: str = "zh") -> str:
    """Output header of a column in ``lang``."""
    pair = HEADERS.get(column)
    if pair is None:
        return column
    return pair[0] if lang == "zh" else pair[1]


@dataclass
class BriefingTables:
    """Every table of the pack, canonical column names (translate with :func:`label`)."""

    as_of: pd.Timestamp
    summary: pd.DataFrame  # by county
    projects: pd.DataFrame  # every project, with flag and reason
    targets: pd.DataFrame
    problems: pd.DataFrame
    supervision_days: pd.DataFrame
    supervision: pd.DataFrame  # group lists for the coming supervision day
    supervision_day: pd.Timestamp | None
    changes: pd.DataFrame
    completion_by_category: pd.DataFrame
    city: pd.Series  # headline figures
    issues: pd.DataFrame
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


def briefing_tables(camp: Campaign, as_of: pd.Timestamp) -> BriefingTables:
    """Compute every table of the pack as of ``as_of`` (canonical column names)."""
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
    order = {c: i for i, c in enumerate(camp.config.county_names)}
    projects = projects.sort_values(
        ["county", "in_scope", "flag", "name"],
        key=lambda s: s.map(order) if s.name == "county" else s,
        ascending=[True, False, True, True],
        kind="stable",
    )[project_cols].reset_index(drop=True)

    days = camp.supervision_days()
    day = coming_supervision_day(days, as_of)
    if day is not None:
        supervision = camp.group_lists(day)
        supervision.insert(1, "date", day)
    else:
        supervision = pd.DataFrame(columns=["group", "date", "county", "name", "flag", "reason"])

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
        changes=camp.changes(as_of=as_of) if len(camp.report_dates) > 1 else _no_changes(),
        completion_by_category=camp.completion(as_of=as_of, by=["county", "category"]),
        city=city,
        issues=camp.issues,
        problem_lists=register_lists(register),
    )


def _no_changes() -> pd.DataFrame:
    return pd.DataFrame(columns=["project_id", "name", "county", "change", "detail"])


def localise(frame: pd.DataFrame, lang: str = "zh") -> pd.DataFrame:
    """A table for people: flags, severities and statuses spelled out, headers translated."""
    out = frame.copy()
    if lang == "zh":
        for col, names in (
            ("flag", FLAG_NAMES["zh"]),
            ("severity", SEVERITY_NAMES["zh"]),
            ("status", STATUS_NAMES["zh"]),
            ("colour", FLAG_NAMES["zh"]),
        ):
            if col in out:
                out[col] = out[col].map(names).fillna(out[col])
    out.columns = [label(c, lang) for c in out.columns]
    return out
