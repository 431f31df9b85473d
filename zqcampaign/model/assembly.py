"""Records -> snapshots and projects: identity, stages, baseline, latest state, ``known_on``.

The loader hands the parsed ledger rows to :func:`assemble`; :func:`known_on` rebuilds the
project table from the snapshots reported on or before a date. Pure pandas on records; it
knows nothing of files or of figures.
"""

from __future__ import annotations

import dataclasses
import itertools
from collections.abc import Iterable
from typing import Any, TypeVar

import numpy as np
import pandas as pd

from zqcampaign.config import Config
from zqcampaign.issues import ISSUE_COLUMNS, SEVERITIES, Problem
from zqcampaign.model.stages import achieved_date, planned_goal_date, stage_index, stage_label
from zqcampaign.parse.bodies import NAME_KEY
from zqcampaign.schema import (
    CANONICAL_COLUMNS,
    CATEGORIES,
    CATEGORY_GOAL,
    DETAIL_COLUMNS,
    DETAIL_DATE_COLUMNS,
    DETAIL_MONEY_COLUMNS,
    MILESTONES,
    MONEY_COLUMNS,
    PLANNED,
)
from zqcampaign.text import INVISIBLE, normalize_label

__all__ = ["assemble", "empty_records", "issue_frame", "known_on"]

CampaignT = TypeVar("CampaignT")
SEVERITY_ORDER = {s: i for i, s in enumerate(SEVERITIES)}  # worst first


def issue_frame(problems: Iterable[Problem], *, kept: pd.DataFrame | None = None) -> pd.DataFrame:
    """``Campaign.issues``: the rows of ``kept`` (an issue frame) and then ``problems``, sorted
    by severity, file, sheet and row (stable: ties keep the order they were reported in)."""
    rows: list[tuple[Any, ...]] = []
    if kept is not None:
        rows.extend(kept[list(ISSUE_COLUMNS)].itertuples(index=False, name=None))
    rows.extend(problems)  # a Problem is a tuple of ISSUE_COLUMNS
    frame = pd.DataFrame(rows, columns=list(ISSUE_COLUMNS))
    frame["row"] = frame["row"].astype("Int64")
    frame["_order"] = frame["severity"].map(SEVERITY_ORDER)
    frame = frame.sort_values(
        ["_order", "file", "sheet", "row"], kind="stable", na_position="first"
    )
    return frame.drop(columns="_order").reset_index(drop=True)


def empty_records() -> pd.DataFrame:
    cols = {
        c: pd.Series(dtype="object") for c in CANONICAL_COLUMNS if c not in ("category", "in_scope")
    }
    for c in (
        *MILESTONES,
        "planned_land_on",
        "planned_start_on",
        "planned_completion_on",
        "report_date",
        "planned_goal_on",
    ):
        cols[c] = pd.Series(dtype="datetime64[ns]")
    for c in DETAIL_COLUMNS:
        cols[c] = pd.Series(dtype="object")
    for c in DETAIL_DATE_COLUMNS:
        cols[c] = pd.Series(dtype="datetime64[ns]")
    for c in DETAIL_MONEY_COLUMNS:
        cols[c] = pd.Series(dtype="float64")
    cols["declared_category"] = pd.Series(dtype="str")
    return pd.DataFrame(cols)


# ---------------------------------------------------------------------------------------
# snapshots and projects


def _identity(rows: pd.DataFrame) -> pd.Series:
    """Project identity: project_id when given, else county + normalised name.

    Rows without an id take the id another snapshot gave the same county + name.
    """
    if NAME_KEY in rows:  # normalised by the sheet reader
        keys = rows[NAME_KEY].astype("str")
    else:
        codes, names = pd.factorize(rows["name"].to_numpy(dtype=object))
        distinct = [*(normalize_label(n) for n in names), ""]
        keys = pd.Series(np.array(distinct, dtype=object)[codes], index=rows.index, dtype="str")
    name_key = rows["county"].astype("str") + ":" + keys
    given = _per_distinct(rows["project_id"].astype("str"), lambda t: INVISIBLE.sub("", t))
    given = given.where(given != "", None)
    id_of_name = (
        pd.DataFrame({"k": name_key, "id": given})
        .dropna()
        .drop_duplicates("k")
        .set_index("k")["id"]
    )
    inherited = name_key.map(id_of_name)
    ident = given.where(given.notna(), inherited.astype("str"))
    return ident.where(ident.notna(), name_key)


def _per_distinct(text: pd.Series, func: Any, dtype: str = "str") -> pd.Series:
    """``func`` of each distinct text of ``text`` (missing stays missing), spread back over
    its rows: the same names and ids recur in every monthly ledger."""
    codes, uniques = pd.factorize(text, use_na_sentinel=True)
    distinct = np.asarray(uniques, dtype=object)  # (iterating the Index itself is slower)
    out = np.array([*(func(u) for u in distinct), None], dtype=object)[codes]
    return pd.Series(out, index=text.index, dtype=dtype)


def assemble(
    rows: pd.DataFrame, cfg: Config
) -> tuple[pd.DataFrame, pd.DataFrame, list[Problem], dict[tuple[str, str], int]]:
    issues: list[Problem] = []
    dropped: dict[tuple[str, str], int] = {}

    def row_issues(
        sel: pd.DataFrame,
        sev: str,
        code: str,
        messages: Iterable[str],
        column: str,
        values: Iterable[Any],
    ) -> None:
        """One issue per row of ``sel`` (a slice of the rows frame), built column-wise."""
        issues.extend(
            Problem(sev, code, m, file=f, sheet=sh, row=int(r), column=column, value=v, county=c)
            for m, v, f, sh, r, c in zip(
                messages,
                values,
                sel["source_file"],
                sel["source_sheet"],
                sel["source_row"],
                sel["county"],
                strict=True,
            )
        )

    rows = rows.copy(deep=False)  # (copy-on-write: the caller's frame stays as it was)
    for column, label in (("name", "项目名称"), ("project_id", "项目编号")):
        if len(rows) and column in rows:
            text = rows[column].astype("str")
            found = _per_distinct(text, lambda t: INVISIBLE.search(t) is not None, "boolean")
            hidden = found.fillna(False).astype(bool)
            if hidden.any():
                sel = rows[hidden]
                values = sel[column].tolist()
                row_issues(
                    sel,
                    "warning",
                    "invisible_characters",
                    (
                        f"{label}“{INVISIBLE.sub('', v)}”中含有不可见的格式字符（"
                        + "、".join(sorted({f"U+{ord(c):04X}" for c in INVISIBLE.findall(v)}))
                        + "，如零宽空格），比对项目时已忽略；请在原表中删除这些字符"
                        for v in values
                    ),
                    label,
                    values,
                )
    # -- amounts a county may have typed in 元 instead of 万元 ([thresholds] large_money) --
    limit = cfg.large_money
    for column in (*MONEY_COLUMNS, *DETAIL_MONEY_COLUMNS):
        if len(rows) and column in rows:
            amounts = pd.to_numeric(rows[column], errors="coerce")
            big = (amounts > limit).fillna(False).to_numpy(dtype=bool)
            if big.any():
                sel = rows[big]
                label = _label(column)
                values = amounts[big].tolist()
                row_issues(
                    sel,
                    "warning",
                    "large_money",
                    (
                        f"{label}折合 {v / 1e4:,.0f} 亿元，超过 {limit / 1e4:,.0f} 亿元，"
                        "请核实单位是否为万元"
                        for v in values
                    ),
                    label,
                    [f"{v:g}" for v in values],
                )
    rows["project_id"] = _identity(rows) if len(rows) else rows["project_id"]

    # -- duplicates within one report ------------------------------------------------------
    dup = rows.duplicated(["project_id", "report_date"], keep="first")
    if dup.any():
        where = ["source_file", "source_sheet", "source_row"]
        first = rows[~dup].set_index(["project_id", "report_date"])[where]
        again = rows[dup]
        seen = first.reindex(pd.MultiIndex.from_frame(again[["project_id", "report_date"]]))
        for name, file, sheet, row, f_file, f_sheet, f_row, county in zip(
            *(again[c].tolist() for c in ("name", *where)),
            *(seen[c].tolist() for c in where),
            again["county"].tolist(),
            strict=True,
        ):
            issues.append(
                Problem(
                    "warning",
                    "duplicate_project",
                    f"项目“{name}”在同一期台账中重复出现（首次见 {f_file} {f_sheet} 第 {int(f_row)} 行），"
                    "本行未计入；请删除重复行",
                    file=file,
                    sheet=sheet,
                    row=int(row),
                    column="项目名称",
                    value=name,
                    county=county,
                )
            )
            dropped[(file, sheet)] = dropped.get((file, sheet), 0) + 1
        rows = rows[~dup].reset_index(drop=True)

    # -- planned date of the goal, when given as one column ------------------------------------
    # -- stage from dates, declared category -----------------------------------------------
    rows = rows.sort_values(REPORT_ORDER, kind="stable").reset_index(drop=True)
    tied = _adjacent_ties(rows, REPORT_ORDER)
    idx = stage_index(rows, rows["report_date"])
    derived = stage_label(idx)
    declared = rows["declared_category"]
    from_dates_cat = derived.where(derived.isin(CATEGORIES))
    # 已签约 but never signed-dated: a declared category stands when dates say nothing
    category = from_dates_cat.where(idx >= 0, declared)
    category = category.where(~((idx < 0) & declared.isna()), None)
    rows["stage"] = derived.where(idx >= 0, declared).astype("str")
    rows["category"] = category.astype("str")

    # "已竣工（投产）" sections hold completed and in-production projects alike
    agrees = (derived == declared) | ((declared == "已竣工") & (derived == "已投产"))
    conflict = declared.notna() & (idx >= 0) & ~agrees
    row_issues(
        rows[conflict],
        "warning",
        "category_conflict",
        (
            f"申报类别为“{d}”，但填报的日期显示项目已处于“{s}”阶段，按日期计；请核实类别或日期"
            for d, s in zip(declared[conflict], derived[conflict], strict=True)
        ),
        "项目类别",
        declared[conflict],
    )

    # actual dates after the report date, and out of order
    for col in MILESTONES:
        late = rows[col] > rows["report_date"]
        label = _label(col)
        day = rows.loc[late, col].dt.strftime("%Y-%m-%d")
        report = rows.loc[late, "report_date"].dt.strftime("%Y-%m-%d")
        row_issues(
            rows[late],
            "warning",
            "date_after_report",
            (
                f"{label} {d} 晚于截至日期 {r}，实际日期不应在截至日期之后；请核实"
                for d, r in zip(day, report, strict=True)
            ),
            label,
            day,
        )
    for earlier, later in itertools.pairwise(MILESTONES):
        bad = rows[later] < rows[earlier]
        later_label, earlier_label = _label(later), _label(earlier)
        day = rows.loc[bad, later].dt.strftime("%Y-%m-%d")
        before = rows.loc[bad, earlier].dt.strftime("%Y-%m-%d")
        row_issues(
            rows[bad],
            "warning",
            "milestone_order",
            (
                f"{later_label} {d} 早于{earlier_label} {b}，请核实"
                for d, b in zip(day, before, strict=True)
            ),
            later_label,
            day,
        )

    # planned goal column -> the planned date of this row's goal milestone
    goal_planned = rows.pop("planned_goal_on")
    for label, goal in CATEGORY_GOAL.items():
        target = PLANNED[goal]
        fill = (rows["category"] == label) & rows[target].isna() & goal_planned.notna()
        rows.loc[fill, target] = goal_planned[fill]

    # -- baseline category and scope --------------------------------------------------------
    # Each project's rows stand in ``rows`` (report order) by report date, one per date, as
    # in the project order of _by_project: the per-project steps read them where they are.
    baseline = rows.groupby("project_id", sort=False).head(1).set_index("project_id")
    base_cat = rows["project_id"].map(baseline["category"])
    threshold = _key_threshold(rows["county"], cfg)
    total = rows.groupby("project_id", sort=False)["total_investment"].transform("last")
    key_project = total >= threshold
    in_three = base_cat.isin(CATEGORIES)
    rows["in_scope"] = (key_project & in_three).astype(bool)
    details = [c for c in DETAIL_COLUMNS if c in rows]
    snapshots = rows[[*CANONICAL_COLUMNS, "stage", *details]]
    if tied:  # rows that tie on the keys keep their order in project order, as they always did
        snapshots = snapshots.sort_values(["project_id", "report_date"], kind="stable")
        snapshots = snapshots.sort_values(REPORT_ORDER, kind="stable")
    snapshots = snapshots.reset_index(drop=True)

    projects = _projects(rows, baseline, cfg, issues)
    return snapshots, projects, issues, dropped


#: Baseline planned dates in the project table: ``baseline_planned_land_on`` … (first reported).
BASELINE_PLANNED: tuple[str, ...] = tuple(f"baseline_{c}" for c in PLANNED.values())

REPORT_ORDER = ["report_date", "county", "source_file", "source_row"]  # snapshots' order


def _adjacent_ties(rows: pd.DataFrame, keys: list[str]) -> bool:
    """Whether two neighbouring rows are equal on every one of ``keys`` (missing values
    equal to each other)."""
    if len(rows) < 2:
        return False
    same = np.ones(len(rows) - 1, dtype=bool)
    for key in keys:
        codes, _uniques = pd.factorize(rows[key], use_na_sentinel=True)  # missing: -1
        same &= codes[1:] == codes[:-1]
        if not same.any():
            return False
    return True


def _by_project(rows: pd.DataFrame) -> tuple[pd.DataFrame, pd.DataFrame]:
    """``rows`` sorted by project and report date, and each project's first row (its
    baseline: the category it joined the list with), indexed by project id."""
    rows = rows.sort_values(["project_id", "report_date"], kind="stable")
    return rows, rows.groupby("project_id", sort=False).head(1).set_index("project_id")


def known_on(camp: CampaignT, as_of: pd.Timestamp) -> CampaignT:
    """The campaign as it was known on ``as_of``: only the ledgers reported on or before it.

    The project table is rebuilt from those snapshots (latest state as of then). Issues of
    sheets reported after ``as_of`` are left out, and the scope and missing-project notes
    are made anew for the shorter history; issues of unreadable files are kept. ``columns``
    (how each source column was read) keeps the sheets reported by then.
    """
    snaps = camp.snapshots[camp.snapshots["report_date"] <= as_of]
    rows, baseline = _by_project(snaps)
    project_issues: list[Problem] = []
    projects = _projects(rows, baseline, camp.config, project_issues)

    sheets = camp.summary.table
    late = sheets.loc[sheets["report_date"] > as_of, ["file", "sheet"]]
    late_pairs = set(zip(late["file"], late["sheet"], strict=True))
    late_files = set(late["file"]) - set(sheets.loc[sheets["report_date"] <= as_of, "file"])
    issues = camp.issues
    keys = zip(issues["file"], issues["sheet"], strict=True)
    is_late = pd.Series(
        [(f, sh) in late_pairs or (f in late_files and pd.isna(sh)) for f, sh in keys],
        index=issues.index,
        dtype=bool,
    )
    remade = issues["code"].isin(["out_of_scope", "missing_from_snapshot"])
    kept = issues[~is_late & ~remade]
    issues = issue_frame(project_issues, kept=kept)
    changes: dict[str, Any] = {}
    columns = getattr(camp, "columns", None)
    if isinstance(columns, pd.DataFrame) and {"file", "sheet"} <= set(columns.columns):
        pairs = zip(columns["file"], columns["sheet"], strict=True)
        late_col = pd.Series([p in late_pairs for p in pairs], index=columns.index, dtype=bool)
        changes["columns"] = columns[~late_col].reset_index(drop=True)
    return dataclasses.replace(
        camp,
        snapshots=snaps.reset_index(drop=True),
        projects=projects,
        issues=issues,
        **changes,
    )


def _key_threshold(county: pd.Series, cfg: Config) -> pd.Series:
    """Key-project threshold of each row's county [万元] (lower in the north-west)."""
    northwest = county.isin(list(cfg.northwest)).to_numpy()
    values = np.where(northwest, cfg.northwest_key_project_min, cfg.key_project_min)
    return pd.Series(values, index=county.index)


def _label(col: str) -> str:
    from zqcampaign.schema import COLUMN_LABELS

    return COLUMN_LABELS.get(col, col)


_LATEST_NONNULL = (
    "name",
    "owner",
    "industry",
    "total_investment",
    *MILESTONES,
    "planned_land_on",
    "planned_start_on",
    "planned_completion_on",
    "responsible_unit",
    "responsible_person",
)
_LATEST_STRICT = (
    "county",
    "annual_plan",
    "ytd_actual",
    "progress",
    "problems",
    "problem_major",
    "problem_closed",
    "problem_deadline",
    "supervision_level",
    "remarks",
    "report_date",
    "source_file",
    "source_sheet",
    "source_row",
    "in_scope",
)


def _projects(
    rows: pd.DataFrame, baseline: pd.DataFrame, cfg: Config, issues: list[Problem]
) -> pd.DataFrame:
    columns = [
        *CANONICAL_COLUMNS,
        "scope_note",
        "first_report_date",
        "last_report_date",
        "missing",
        "stage",
        "goal",
        "achieved_on",
        "planned_goal_on",
        *BASELINE_PLANNED,
        "baseline_planned_goal_on",
    ]
    if rows.empty:
        return pd.DataFrame(columns=columns)
    g = rows.groupby("project_id", sort=True)
    latest_any = g[list(_LATEST_NONNULL)].last()
    latest_row = g.tail(1).set_index("project_id")[list(_LATEST_STRICT)]
    p = latest_any.join(latest_row)
    # the baseline plan: each planned date as first reported (a later one is a postponement)
    first_planned = g[list(PLANNED.values())].first()
    p = p.join(
        first_planned.rename(columns=dict(zip(PLANNED.values(), BASELINE_PLANNED, strict=True)))
    )
    p["category"] = baseline["category"].reindex(p.index)
    p["first_report_date"] = g["report_date"].min()
    p["last_report_date"] = g["report_date"].max()
    county_latest = rows.groupby("county")["report_date"].max()
    p["missing"] = p["last_report_date"] < p["county"].map(county_latest)
    p = p.reset_index()

    idx = stage_index(p, p["last_report_date"])
    p["stage"] = stage_label(idx)
    p["goal"] = p["category"].map(CATEGORY_GOAL).astype("str")
    p["achieved_on"] = achieved_date(p)
    p["planned_goal_on"] = planned_goal_date(p)
    baseline_view = p[["category", *BASELINE_PLANNED]].rename(
        columns=dict(zip(BASELINE_PLANNED, PLANNED.values(), strict=True))
    )
    p["baseline_planned_goal_on"] = planned_goal_date(baseline_view)

    threshold = _key_threshold(p["county"], cfg)
    note = pd.Series(None, index=p.index, dtype="str")
    below = p["total_investment"] < threshold
    note = note.mask(
        below,
        "计划总投资 "
        + p["total_investment"].round(1).astype("str")
        + " 万元，低于重点项目标准 "
        + threshold.round(0).astype("int64").astype("str")
        + " 万元",
    )
    not_three = ~p["category"].isin(CATEGORIES)
    baseline_stage = p["project_id"].map(baseline["stage"]).astype("str")
    note = note.mask(
        not_three & note.isna(),
        "纳入清单时不属于“三类项目”（" + baseline_stage.fillna("阶段不明") + "）",
    )
    p["scope_note"] = note

    # issues built column-wise (one per out-of-scope or missing project)
    out = p[~p["in_scope"]]
    first = baseline.reindex(out["project_id"])
    issues.extend(
        Problem(
            "info",
            "out_of_scope",
            f"项目“{name}”不纳入统计：{scope_note}",
            file=f_file,
            sheet=f_sheet,
            row=int(f_row),
            column="计划总投资",
            value=None if pd.isna(total) else f"{total:g}",
            county=county,
        )
        for name, scope_note, total, county, f_file, f_sheet, f_row in zip(
            *(out[c].tolist() for c in ("name", "scope_note", "total_investment", "county")),
            *(first[c].tolist() for c in ("source_file", "source_sheet", "source_row")),
            strict=True,
        )
    )
    gone = p[p["missing"]]
    issues.extend(
        Problem(
            "warning",
            "missing_from_snapshot",
            f"项目“{name}”在 {latest.date()} 的台账中缺失，已沿用 {last.date()} 的数据；请核实是否漏报",
            file=file,
            sheet=sheet,
            row=int(row),
            column="项目名称",
            value=name,
            county=county,
        )
        for name, last, file, sheet, row, county, latest in zip(
            *(
                gone[c].tolist()
                for c in ("name", "last_report_date", "source_file", "source_sheet", "source_row")
            ),
            gone["county"].tolist(),
            gone["county"].map(county_latest).tolist(),
            strict=True,
        )
    )
    p["in_scope"] = p["in_scope"].astype(bool)
    p["source_row"] = p["source_row"].astype("int64")
    for c in ("first_report_date", "last_report_date", "report_date"):
        p[c] = p[c].astype("datetime64[ns]")
    for c in ("county", "industry", "progress", "remarks", "owner"):
        p[c] = p[c].astype("str")
    return p[columns]
