"""The label catalogue: every word the package shows a person, in Chinese and English.

Column headers of every table, workbook sheet and CSV; flag names, order and colours; chart
and slide titles; the deck's sentences; the CLI's headers and messages. Charts, deck,
workbooks, tables and the CLI take their words from here, so a new language or a changed
wording is one edit in one file. Foundation module: imports only :mod:`zqcampaign.schema`.

>>> from zqcampaign import labels
>>> labels.text("as_of", "en", date="30 Nov 2023")
'As of 30 Nov 2023'
>>> labels.header("rate"), labels.flag_name("red")
('完成率', '红')
"""

from __future__ import annotations

from typing import Any

from zqcampaign.schema import CATEGORIES, COLUMN_LABELS, STAGES

__all__ = [
    "FLAG_COLORS",
    "FLAG_FILLS",
    "FLAG_ORDER",
    "FLAG_RANK",
    "HEADERS",
    "LANGS",
    "TEXT",
    "category_label",
    "check_lang",
    "county_label",
    "flag_label",
    "flag_name",
    "format_date",
    "format_month",
    "format_short_date",
    "header",
    "stage_label",
    "text",
    "value_label",
]

#: Languages of every output.
LANGS: tuple[str, ...] = ("zh", "en")

#: The language of texts written in the configuration (target labels, office, contact).
CONFIG_LANG = "zh"

#: 万元 per money unit shown: 亿元 in Chinese, billion yuan in English.
MONEY_UNIT: dict[str, float] = {"zh": 10000.0, "en": 100000.0}

#: Flags from good to bad (legends, matrices); :data:`FLAG_RANK` sorts worst first.
FLAG_ORDER: tuple[str, ...] = ("blue", "yellow", "red")
FLAG_RANK: dict[str, int] = {"red": 0, "yellow": 1, "blue": 2}

#: The one set of flag colours (charts, slides, workbook text): grey values 115 (blue),
#: 180 (yellow), 63 (red) of 255, apart when printed in grey.
FLAG_COLORS: dict[str, str] = {"blue": "#2f80df", "yellow": "#f2b705", "red": "#a50f2a"}

#: Pale cell fills of the same hues for workbook cells (text stays readable on them):
#: light blue, light yellow, light red; hue apart so red never reads as orange.
FLAG_FILLS: dict[str, str] = {"blue": "BDD7EE", "yellow": "FFEB84", "red": "F8A5A5"}

_FLAG_NAMES: dict[str, tuple[str, str]] = {
    "blue": ("蓝", "blue"),
    "yellow": ("黄", "yellow"),
    "red": ("红", "red"),
}
_FLAG_LABELS: dict[str, tuple[str, str]] = {
    "blue": ("蓝色标识", "Blue (on plan)"),
    "yellow": ("黄色预警", "Yellow warning"),
    "red": ("红色警告", "Red warning"),
}

#: Values shown to people, by kind: severity, problem status, yes/no, weekday, target metric.
_VALUES: dict[str, dict[Any, tuple[str, str]]] = {
    "flag": _FLAG_NAMES,
    "severity": {
        "error": ("错误", "error"),
        "warning": ("警告", "warning"),
        "info": ("提示", "note"),
    },
    "status": {"open": ("未销号", "open"), "closed": ("已销号", "closed")},
    "bool": {True: ("是", "yes"), False: ("否", "no")},
    "weekday": {
        "monday": ("星期一", "Monday"),
        "tuesday": ("星期二", "Tuesday"),
        "wednesday": ("星期三", "Wednesday"),
        "thursday": ("星期四", "Thursday"),
        "friday": ("星期五", "Friday"),
        "saturday": ("星期六", "Saturday"),
        "sunday": ("星期日", "Sunday"),
    },
    "metric": {
        "completion_rate": ("三类项目完成率", "three-category completion"),
        "signed": ("签约项目数", "projects signed"),
        "land_supplied": ("供地项目数", "projects supplied with land"),
        "started": ("开工项目数", "projects started"),
        "completed": ("竣工项目数", "projects completed"),
        "in_production": ("投产项目数", "projects in production"),
        "actual_investment": ("完成投资", "actual investment"),
        "list_count": ("清单项目数", "projects on the list"),
    },
    "kind": {
        "monthly": ("集中督导日", "supervision day"),
        "evaluation": ("调度推进会暨现场观摩会", "evaluation meeting"),
        "reached_goal": ("完成目标节点", "goal reached"),
        "slipped": ("超过计划节点时间", "past the planned date"),
        "turned_red": ("转为红色警告", "turned red"),
        "added": ("新纳入清单", "added to the list"),
        "missing": ("本期缺报", "not reported"),
    },
}

#: Output headers: canonical or figure column -> (中文, English).
HEADERS: dict[str, tuple[str, str]] = {
    **{k: (v, k.replace("_", " ")) for k, v in COLUMN_LABELS.items()},
    "project_id": ("项目编号", "project id"),
    "total": ("项目数", "projects"),
    "achieved": ("已完成", "achieved"),
    "rate": ("完成率", "completion rate"),
    "expected": ("序时目标", "expected"),
    "gap": ("差距（百分点）", "gap (points)"),
    "flag": ("标识", "flag"),
    "reason": ("原因", "reason"),
    "days_late": ("逾期天数", "days late"),
    "days_open": ("未销号天数", "days open"),
    "planned_goal_on": ("计划完成节点时间", "planned goal date"),
    "baseline_goal_on": ("首报计划完成节点时间", "planned goal date as first reported"),
    "postponements": ("计划推迟次数", "times postponed"),
    "achieved_on": ("完成节点时间", "goal reached on"),
    "goal": ("目标节点", "goal"),
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
    "missed_deadline": ("是否逾期未完成", "missed deadline"),
    "problem": ("存在问题", "problem"),
    "major": ("重大问题", "major"),
    "first_seen": ("首次报告", "first seen"),
    "closed_on": ("销号日期", "closed on"),
    "register_status": ("销号状态", "register status"),
    "register_new": ("新增问题", "new"),
    "register_open": ("推进中", "in progress"),
    "register_overdue": ("其中超期", "of which overdue"),
    "register_closed": ("已销号", "closed"),
    "status_on": ("状态日期", "status date"),
    "reopened_on": ("重新报告日期", "reopened on"),
    "deadline_source": ("时限来源", "deadline from"),
    "overdue": ("是否超期", "overdue"),
    "days_overdue": ("超期天数", "days overdue"),
    "level": ("督办类型", "supervision type"),
    "escalated": ("是否升级督办", "escalated"),
    "coordination": ("协调层级", "coordination level"),
    "colour": ("时限标识", "deadline colour"),
    "status": ("状态", "status"),
    "group": ("督导组", "group"),
    "change": ("变化", "change"),
    "detail": ("说明", "detail"),
    "date": ("督导日", "date"),
    "month": ("月份", "month"),
    "year": ("年份", "year"),
    "weekday": ("星期", "weekday"),
    "kind": ("类型", "kind"),
    "rolled": ("是否顺延", "rolled"),
    "nominal": ("原定日期", "nominal date"),
    "counties": ("负责县（市、区）", "counties"),
    "annual_plan": ("年度计划投资（万元）", "annual plan (10k yuan)"),
    "ytd_actual": ("累计完成投资（万元）", "YTD actual (10k yuan)"),
    "severity": ("级别", "severity"),
    "code": ("问题类型", "issue type"),
    "description": ("问题说明", "description"),
    "action": ("修改要求", "what to do"),
    "message": ("具体情况", "details"),
    "file": ("文件", "file"),
    "sheet": ("工作表", "sheet"),
    "row": ("行号", "row"),
    "column": ("列", "column"),
    "value": ("原值", "value"),
    "error": ("错误", "errors"),
    "warning": ("警告", "warnings"),
    "info": ("提示", "notes"),
    "issues": ("问题条数", "issues"),
    "count": ("项目数", "projects"),
    "rate_previous": ("上月完成率", "previous rate"),
    "delta": ("变化（百分点）", "change (points)"),
    "flag_previous": ("上月标识", "previous flag"),
    "reached_goal": ("新完成节点", "goals reached"),
    "slipped": ("新逾期", "newly overdue"),
    "turned_red": ("转为红色", "turned red"),
    "new_overdue": ("新逾期", "newly overdue"),
    "added": ("新纳入", "added"),
    "missing": ("本期缺报", "missing"),
    "latest": ("最新一期台账", "latest ledger"),
    "on_time": ("本期已报送", "reported this period"),
    "main_problem": ("主要问题", "main problem"),
    "days_late_projected": ("督导日逾期天数", "days late on the supervision day"),
    "share_of_previous": ("占上一阶段", "share of previous stage"),
    "share_of_total": ("占全部", "share of all"),
}

#: Every sentence and title, key -> (中文, English); ``{fields}`` are filled by :func:`text`.
TEXT: dict[str, tuple[str, str]] = {
    # dates
    "source": ("数据来源：各县（市、区）报送台账", "Source: county ledgers (台账)"),
    "as_of": ("截至{date}", "As of {date}"),
    "date_fmt": ("{y}年{m}月{d}日", "{d} {mon} {y}"),
    "month_fmt": ("{m}月", "{mon}"),
    "short_date_fmt": ("{m}月{d}日", "{d} {mon}"),
    "year_fmt": ("{y}年", "{y}"),
    # chart words
    "completion_rate": ("完成率", "Completion rate"),
    "expected": ("序时目标", "Expected by now"),
    "target": ("目标", "Target"),
    "city": ("全市", "City"),
    "no_projects": ("无项目", "no projects"),
    "projects": ("项目数", "Projects"),
    "days": ("天数", "Days"),
    "count_unit": ("个", ""),
    # chart titles (also the chart slides' titles)
    "completion_by_county": ("各县（市、区）三类项目完成率", "Three-category completion by county"),
    "completion_by_category": ("各县（市、区）分类完成率", "Completion by county and category"),
    "progress_trend": ("三类项目完成率走势", "Completion rate over time"),
    "flag_matrix": ("各县（市、区）项目标识月度分布", "Project flags by county and month"),
    "investment_by_county": ("各县（市、区）年度投资完成情况", "Investment against annual plan"),
    "ranking": ("各县（市、区）综合排名", "County ranking"),
    "cycle_times": ("项目推进周期", "Project cycle times"),
    "stage_funnel": ("{where}项目推进阶段", "Project pipeline: {where}"),
    "project_timeline": ("项目节点计划与实际", "Planned and actual milestones"),
    "timeline_of": ("{where}项目节点计划与实际", "Planned and actual milestones: {where}"),
    "red_projects_where": ("红色警告", "red-flag projects"),
    "targets_scorecard": ("目标任务完成情况", "Targets scorecard"),
    # chart texts
    "expected_marker": ("序时目标", "Expected pace"),
    "deadline_target": ("{deadline}目标{target}", "{target} by {deadline}"),
    "trajectory": ("目标进度", "Target path"),
    "investment_rate": ("投资完成率", "Investment / annual plan"),
    "elapsed": ("序时进度 {rate}", "Time elapsed {rate}"),
    "ytd_of_plan": ("{ytd}/{plan}亿元", "{ytd}/{plan} bn yuan"),
    "money_unit": ("亿元", " bn yuan"),
    "list_sep": ("、", ", "),
    "target_label": ("{scope}：{metric}{target}", "{scope}: {metric} {target}"),
    "score": ("综合得分", "Score"),
    "rank": ("第{rank}名", "#{rank}"),
    "rank_detail": (
        "完成率{rate}，差距{gap}个百分点，投资完成率{inv}",
        "rate {rate}, gap {gap} pts, investment {inv}",
    ),
    "weights": (
        "按综合得分排名，条形为综合得分（权重：完成率{c}、差距{g}、投资{i}）",
        "Ranked by score; bars: score (weights {c}, {g}, {i})",
    ),
    "median": ("中位数", "median"),
    "n_projects": ("{n}个", "n={n}"),
    "funnel_note": (
        "纳入清单的项目中已达到各阶段的数量；括号内为占上一阶段的比例",
        "List projects that reached each stage; in brackets: share of the previous stage",
    ),
    "funnel_share": ("（{share}）", " ({share})"),
    "funnel_total": ("共{n}个", "{n} projects"),
    "box_note": (
        "框为四分位区间，线为中位数，n为项目数",
        "box: quartiles, line: median, n: projects",
    ),
    "median_n": ("{days}天 n={n}", "{days} d, n={n}"),
    "planned": ("计划", "planned"),
    "actual": ("实际", "actual"),
    "hollow_planned": ("空心为计划", "hollow: planned"),
    "overdue": ("逾期", "overdue"),
    "as_of_line": ("截至日", "as of"),
    "more_projects": ("另有{n}个项目未显示", "{n} more projects not shown"),
    "reached": ("已{stage}", "{stage}"),
    "no_planned_date": ("未填计划时间", "no planned date"),
    "days_late": ("逾期{n}天", "{n} d late"),
    "days_left": ("剩余{n}天", "{n} d left"),
    "note_major": ("，重大问题", ", major problem"),
    "note_open": ("，问题未销号", ", open problem"),
    "name_county": ("{name}（{county}）", "{name} ({county})"),
    "rate_count": ("{rate}（{count}）", "{rate} ({count})"),
    "count_rate": ("{count}，{rate}", "{count}, {rate}"),
    "city_detail": (
        "全市{rate}（{achieved}/{total}），序时目标{expected}",
        "City {rate} ({achieved}/{total}), expected {expected}",
    ),
    "investment_detail": (
        "全市完成{total}（{rate}），序时进度{elapsed}",
        "City {total} ({rate}), time elapsed {elapsed}",
    ),
    "flag_matrix_note": ("每月末各标识项目数", "projects per flag at each month end"),
    "targets_met_note": ("已完成{met}/{n}项", "{met} of {n} met"),
    "met": ("已完成", "met"),
    "pending": ("推进中", "in progress"),
    "missed": ("未完成", "missed"),
    "deadline": ("截止{date}", "due {date}"),
    "no_targets": ("未配置目标", "No targets configured"),
    "no_data": ("暂无数据", "No data"),
    "counties_shown": ("全市及{n}个县（市、区）", "City and {n} counties"),
    "interval_signed_to_land": ("签约→供地", "Signed → land"),
    "interval_land_to_start": ("供地→开工", "Land → start"),
    "interval_start_to_completion": ("开工→竣工", "Start → completion"),
    # deck
    "deck_subtitle": ("月度督导简报", "Monthly supervision briefing"),
    "deck_as_of": ("数据截至：{date}", "Data as of: {date}"),
    "deck_day": ("督导日：{date}", "Supervision day: {date}"),
    "deck_no_day": ("活动期内已无后续督导日", "No supervision day left in the campaign"),
    "deck_office": ("{office}", "{office}"),
    "deck_page": ("{n}", "{n}"),
    "deck_footer": ("{source}　|　{as_of}", "{source} | {as_of}"),
    "cont": ("（续）", " (cont.)"),
    "none_rows": ("无", "none"),
    "agenda": ("目录", "Agenda"),
    "agenda_key": ("一、主要情况", "1. Key messages"),
    "agenda_changes": ("二、较上月变化", "2. Changes since last month"),
    "agenda_quality": ("三、台账报送质量", "3. Ledger data quality"),
    "agenda_figures": ("四、完成情况图表", "4. Figures"),
    "agenda_projects": ("五、红色、黄色项目清单", "5. Red and yellow projects"),
    "agenda_targets": ("六、目标完成情况", "6. Targets"),
    "agenda_register": ("七、问题销号情况", "7. Problems opened and closed"),
    "agenda_groups": ("八、督导组安排", "8. Supervision groups"),
    "agenda_groups_7": ("七、督导组安排", "7. Supervision groups"),
    "key_messages": ("主要情况", "Key messages"),
    "key_rate": (
        "全市三类项目 {total} 个，已完成目标节点 {achieved} 个，完成率 {rate}（序时目标 {expected}，差距 {gap} 个百分点）。",
        "{total} projects in the three categories; {achieved} reached their goal: {rate} (expected {expected}, gap {gap} points).",
    ),
    "key_counties_red": ("红色警告县（市、区）：{names}。", "Red counties: {names}."),
    "key_counties_yellow": ("黄色预警县（市、区）：{names}。", "Yellow counties: {names}."),
    "key_counties_none": ("无县（市、区）亮红、黄灯。", "No county is red or yellow."),
    "key_projects": (
        "项目标识：红色 {red} 个，黄色 {yellow} 个，蓝色 {blue} 个。",
        "Project flags: red {red}, yellow {yellow}, blue {blue}.",
    ),
    "key_changes": (
        "较上月（{prev}）：完成率 {delta} 个百分点，新完成节点 {done} 个，新增红色项目 {new_red} 个。",
        "Since {prev}: completion {delta} points, {done} goals newly reached, {new_red} newly red projects.",
    ),
    "key_no_changes": ("无上月台账可比较。", "No earlier ledger to compare with."),
    "key_forecast": (
        "按近期进度预计，至 {deadline} 完成率约 {rate}（目标 {target}）。",
        "At the recent pace, completion by {deadline} is about {rate} (target {target}).",
    ),
    "key_investment": (
        "年度计划投资 {plan} 亿元，累计完成 {ytd} 亿元（{rate}，序时进度 {elapsed}）。",
        "Annual plan {plan} bn yuan, YTD {ytd} bn yuan ({rate}; time elapsed {elapsed}).",
    ),
    "key_quality": (
        "台账质量：错误 {errors} 条、警告 {warnings} 条，涉及 {counties} 个县（市、区）；问题清单已按县分发。",
        "Data quality: {errors} errors, {warnings} warnings in {counties} counties; issue lists per county.",
    ),
    "changes_title": ("较上月变化", "Changes since last month"),
    "changes_none": ("无上月台账可比较", "No earlier ledger to compare with"),
    "quality_title": ("台账报送质量", "Ledger data quality"),
    "red_title": ("红色警告项目", "Red-flagged projects"),
    "yellow_title": ("黄色预警项目", "Yellow-flagged projects"),
    "targets_title": ("目标完成情况", "Targets"),
    "register_title": ("问题销号情况", "Problem register"),
    "group_title": ("{group}：{counties}", "{group}: {counties}"),
    "county_projects": ("{county}红色、黄色项目", "{county}: red and yellow projects"),
    "county_projects_line": (
        "红色 {red} 个，黄色 {yellow} 个；标识截至{as_of}",
        "red {red}, yellow {yellow}; flags as of {as_of}",
    ),
    "group_line": (
        "{date}督导；项目 {n} 个（红色 {red}，黄色 {yellow}，蓝色 {blue}），标识截至{as_of}",
        "Supervision on {date}; {n} projects (red {red}, yellow {yellow}, blue {blue}); flags as of {as_of}",
    ),
    "projected": ("按督导日{date}计", "projected to the supervision day {date}"),
    "days_late_projected": ("按督导日{date}计逾期天数", "days late on {date}"),
    "warn_baseline": (
        "警告：缺少基准月（{month}）台账，完成率无从计算，各县将显示为 0%。请把活动首月台账放入数据文件夹。",
        "Warning: the baseline month ({month}) ledgers are missing; completion cannot be computed.",
    ),
    "warn_before": (
        "警告：截至日期 {as_of} 早于活动开始（{start}），图表无实际意义。",
        "Warning: as-of date {as_of} is before the campaign start ({start}).",
    ),
    "warn_after": (
        "警告：截至日期 {as_of} 晚于最新一期台账（{latest}），数据沿用 {latest} 的台账。",
        "Warning: as-of date {as_of} is after the latest ledger ({latest}); its data are used.",
    ),
    "warn_sample": (
        "警告：所用数据为程序自带的虚构样例数据，不是各县报送的台账。",
        "Warning: this is the fictional sample data shipped with the program, not county ledgers.",
    ),
    # issues files
    "issues_title": ("{county}台账问题清单", "Ledger issues: {county}"),
    "issues_as_of": ("台账截至：{date}", "Ledgers as of: {date}"),
    "issues_deadline": ("请于 {date} 前修改后重新报送", "Please resubmit by {date}"),
    "issues_contact": ("联系人：{contact}", "Contact: {contact}"),
    "issues_summary_title": ("全市台账问题汇总", "Ledger issues by county"),
    "issues_none": ("本期台账未发现需修改的问题。", "No issues to fix in this period's ledgers."),
    "city_total": ("全市", "City"),
    "unknown_county": ("（未确定县区）", "(county unknown)"),
    "unknown_code": ("台账数据问题", "data problem"),
    # CLI
    "cli_status_title": ("三类项目完成情况（截至 {date}）：", "Completion (as of {date}):"),
    "cli_calendar_title": ("项目落地集中督导日：", "Supervision days:"),
    "cli_next_day": ("◀ 下一个督导日", "◀ next"),
    "cli_issues_title": ("问题清单：", "Issues:"),
}

_CATEGORY_EN: dict[str, str] = dict(
    zip(CATEGORIES, ("Signed, no land", "Land, not started", "Started, not completed"), strict=True)
)
_STAGE_EN: dict[str, str] = dict(
    zip(STAGES, ("Signed", "Land supplied", "Started", "Completed", "In production"), strict=True)
)
_MILESTONE_LABELS: dict[str, tuple[str, str]] = {
    "signed_on": ("签约", "Signed"),
    "land_supplied_on": ("供地", "Land supplied"),
    "started_on": ("开工", "Started"),
    "completed_on": ("竣工", "Completed"),
    "in_production_on": ("投产", "In production"),
}

#: English names of the Zhaoqing divisions; other names stay as they are.
_COUNTY_EN: dict[str, str] = {
    "肇庆市": "Zhaoqing",
    "端州区": "Duanzhou",
    "鼎湖区": "Dinghu",
    "高要区": "Gaoyao",
    "四会市": "Sihui",
    "广宁县": "Guangning",
    "怀集县": "Huaiji",
    "封开县": "Fengkai",
    "德庆县": "Deqing",
    "肇庆高新区": "Zhaoqing Hi-tech Zone",
    "肇庆新区": "Zhaoqing New Area",
    "粤桂合作特别试验区（肇庆）": "Yuegui Cooperation Zone",
}

_MONTHS_EN = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")
_INDEX = {"zh": 0, "en": 1}


def check_lang(lang: str) -> str:
    """``lang`` if it is a supported language; ValueError naming the choices otherwise."""
    if lang not in LANGS:
        raise ValueError(f"lang must be one of {', '.join(map(repr, LANGS))}, got {lang!r}")
    return lang


def _pick(pair: tuple[str, str], lang: str) -> str:
    return pair[_INDEX[check_lang(lang)]]


def text(key: str, lang: str = "zh", **fields: Any) -> str:
    """Sentence or title ``key`` in ``lang``, formatted with ``fields``."""
    out = _pick(TEXT[key], lang)
    return out.format(**fields) if fields else out


def header(column: str, lang: str = "zh") -> str:
    """Output header of a column in ``lang`` (the column name itself when not catalogued)."""
    pair = HEADERS.get(column)
    return column if pair is None else _pick(pair, lang)


def flag_name(flag: Any, lang: str = "zh") -> str:
    """``"red"`` -> ``"红"`` / ``"red"``; ``"—"`` for no flag."""
    pair = _FLAG_NAMES.get(flag) if isinstance(flag, str) else None
    return "—" if pair is None else _pick(pair, lang)


def flag_label(flag: str, lang: str = "zh") -> str:
    """``"blue"`` -> ``"蓝色标识"`` / ``"Blue (on plan)"``."""
    return _pick(_FLAG_LABELS[flag], lang)


def value_label(kind: str, value: Any, lang: str = "zh") -> Any:
    """A coded value (``kind`` in flag, severity, status, bool, weekday, metric, kind) shown
    to people; values without a label come back unchanged."""
    table = _VALUES[kind]
    try:
        pair = table.get(value)
    except TypeError:  # unhashable
        return value
    return value if pair is None else _pick(pair, lang)


def value_kinds() -> tuple[str, ...]:
    """The kinds :func:`value_label` knows."""
    return tuple(_VALUES)


def category_label(category: str, lang: str = "zh") -> str:
    """A category label in ``lang`` (the Chinese label is the canonical value)."""
    return _pick((category, _CATEGORY_EN.get(category, category)), lang)


def stage_label(stage: str, lang: str = "zh") -> str:
    """A stage (``已竣工``) or milestone column (``completed_on``) in ``lang``."""
    if stage in _MILESTONE_LABELS:
        return _pick(_MILESTONE_LABELS[stage], lang)
    return _pick((stage, _STAGE_EN.get(stage, stage)), lang)


def county_label(county: str, lang: str = "zh") -> str:
    """A division name in ``lang`` (English for the Zhaoqing divisions, else unchanged)."""
    return _pick((county, _COUNTY_EN.get(county, county)), lang)


def _fields(date: Any) -> dict[str, Any]:
    import pandas as pd

    d = pd.Timestamp(date)
    return {"y": d.year, "m": d.month, "d": d.day, "mon": _MONTHS_EN[d.month - 1]}


def format_date(date: Any, lang: str = "zh") -> str:
    """``2023年9月30日`` / ``30 Sep 2023``."""
    return text("date_fmt", lang, **_fields(date))


def format_month(date: Any, lang: str = "zh") -> str:
    """``9月`` / ``Sep``."""
    return text("month_fmt", lang, **_fields(date))


def format_short_date(date: Any, lang: str = "zh") -> str:
    """``9月30日`` / ``30 Sep``."""
    return text("short_date_fmt", lang, **_fields(date))
