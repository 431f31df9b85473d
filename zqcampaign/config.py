"""Campaign configuration: divisions, thresholds, targets, supervision groups.

The Zhaoqing 2023 campaign is the built-in default (``default_config.toml`` beside this
module). A data folder may hold ``zqcampaign.toml`` overriding any key; another city is a
config file, not code. Every key is validated and a wrong one is named in the error.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from zqcampaign.config_file import (  # noqa: F401  (docs/gen.py reads config._Section and friends)
    MAX_CONFIG_BYTES,
    MAX_YEAR,
    MIN_YEAR,
    _merge,
    _read_toml,
    _Section,
    _table_list,
)
from zqcampaign.errors import ConfigError
from zqcampaign.rulebook import (
    COUNTY_METRICS,
    PACE_BASES,
    PROJECT_METRICS,
    FlagRule,
    RubricComponent,
    default_county_rules,
    default_project_rules,
    default_rubric,
    parse_rubric,
    parse_rules,
)
from zqcampaign.schema import MONEY_CEILING

__all__ = [
    "CONFIG_FILENAME",
    "TARGET_METRICS",
    "Benchmark",
    "Config",
    "Division",
    "LetterStyle",
    "ProblemRules",
    "SupervisionGroup",
    "Target",
    "default_config",
    "load_config",
]

CONFIG_FILENAME = "zqcampaign.toml"
_DEFAULT_PATH = Path(__file__).with_name("default_config.toml")

COUNT_METRICS = ("signed", "land_supplied", "started", "completed", "in_production")
TARGET_METRICS = ("completion_rate", *COUNT_METRICS, "actual_investment", "list_count")
WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
ROLL_RULES = ("next_working_weekday", "next_working_day", "none")
FLAGS = ("blue", "yellow", "red")


@dataclass(frozen=True)
class Division:
    """A county-level division (县市区 or functional zone)."""

    name: str
    aliases: tuple[str, ...] = ()
    northwest: bool = False


@dataclass(frozen=True)
class Target:
    """One pledge: ``metric`` over the counties in ``scope`` reaches ``target`` by ``deadline``."""

    scope: tuple[str, ...]
    metric: str
    target: float
    deadline: dt.date
    start: dt.date | None = None
    label: str = ""


@dataclass(frozen=True)
class SupervisionGroup:
    name: str
    counties: tuple[str, ...]


@dataclass(frozen=True)
class Benchmark:
    name: str
    metric: str
    period: str
    value: float
    source: str = ""
    illustrative: bool = False


SUPERVISION_LEVELS = ("普通", "现场", "挂牌")  # 督办 type, mildest first


@dataclass(frozen=True)
class ProblemRules:
    """The problem register's rules (``[problems]``): deadlines, 督办 levels, escalation."""

    deadline_days: int = 30  # 解决时限 when the ledger gives none: days after first report
    major_deadline_days: int = 15  # the same for a major problem (重大问题)
    near_days: int = 7  # yellow this many days before the deadline
    major_level: str = "现场"  # starting 督办 type of a major problem; others start 普通
    # (months past the deadline, level): an open problem rises to the level once overdue that long
    escalation: tuple[tuple[int, str], ...] = ((1, "现场"), (2, "挂牌"))
    coordination: Mapping[str, str] = field(
        default_factory=lambda: {
            "普通": "县级协调",
            "现场": "督导组现场协调",
            "挂牌": "市级挂牌督办",
        }
    )


@dataclass(frozen=True)
class LetterStyle:
    """督办函 / 提醒函 layout and wording (``[letters]``), after GB/T 9704-2012."""

    office: str = ""  # the issuing office: [campaign] office, filled in by load_config
    number_pattern: str = "肇项战办〔{year}〕{number}号"  # 文号; {year}, {number}, {month}
    title_font: str = "方正小标宋简体"
    title_fallback: str = "华文中宋"
    body_font: str = "仿宋_GB2312"
    body_fallback: str = "仿宋"
    heading_font: str = "黑体"
    reply_days: int = 5  # reply deadline: this many days after the letter date
    first_number: int = 1


@dataclass(frozen=True)
class Config:
    """Validated configuration. Build with :func:`default_config` or :func:`load_config`."""

    city: str
    campaign_name: str
    start: dt.date
    end: dt.date
    source_line: str
    key_project_min: float
    northwest_key_project_min: float
    large_money: float  # [万元] amounts above it are read with a warning to check the unit
    yellow_gap: float
    red_days_late: int
    no_planned_date_flag: str
    open_problem_flag: str
    open_major_problem_flag: str
    default_completion_target: float
    investment_year_start: dt.date
    investment_year_end: dt.date
    supervision_weekday: str
    supervision_week: int
    supervision_roll: str
    evaluation_months: tuple[int, ...]
    ranking_weights: Mapping[str, float]
    project_rules: tuple[FlagRule, ...] = ()
    county_rules: tuple[FlagRule, ...] = ()
    lateness: str = "baseline"
    pace: str = "days"
    partial_month: str = "skip"
    pace_shape: str = "linear"
    investment_steps: tuple[tuple[dt.date, float], ...] = ()
    rubric: tuple[RubricComponent, ...] = ()
    jury_scores: str | None = None
    divisions: tuple[Division, ...] = ()
    targets: tuple[Target, ...] = ()
    supervision_groups: tuple[SupervisionGroup, ...] = ()
    benchmarks: tuple[Benchmark, ...] = ()
    # [columns]: a header spelling -> canonical column or "ignore"
    columns: Mapping[str, str] = field(default_factory=dict)
    raw: Mapping[str, Any] = field(repr=False, compare=False, default_factory=dict)
    source: str = "built-in"
    office: str = ""  # issuing office on the briefing's title slide
    contact: str = ""  # contact printed on every county's issues file
    resubmit_days: int = 3  # corrected ledgers are due this many days after the as-of date
    problem_rules: ProblemRules = field(default_factory=ProblemRules)
    letter_style: LetterStyle = field(default_factory=LetterStyle)

    # -- derived look-ups -------------------------------------------------------------
    @property
    def county_names(self) -> tuple[str, ...]:
        return tuple(d.name for d in self.divisions)

    @property
    def northwest(self) -> frozenset[str]:
        return frozenset(d.name for d in self.divisions if d.northwest)

    def key_threshold(self, county: str | None) -> float:
        """Minimum planned investment of a key project in ``county`` [万元]."""
        if county in self.northwest:
            return self.northwest_key_project_min
        return self.key_project_min

    def alias_map(self) -> dict[str, str]:
        """Normalised spelling -> canonical division name (names, aliases, full-width forms)."""
        from zqcampaign.text import normalize_text

        out: dict[str, str] = {}
        for d in self.divisions:
            for spelling in (d.name, *d.aliases):
                out[normalize_text(spelling)] = d.name
        return out

    def column_overrides(self) -> dict[str, str]:
        """Header key (:func:`zqcampaign.text.header_key`) -> canonical column or "ignore",
        from the ``[columns]`` table."""
        from zqcampaign.text import header_key

        return {header_key(spelling): target for spelling, target in self.columns.items()}

    def completion_targets(self, county: str) -> list[tuple[dt.date, float]]:
        """(deadline, rate) pairs for one county: its own targets plus the default at the end."""
        points = {self.end: self.default_completion_target}
        for t in self.targets:
            if t.metric == "completion_rate" and t.scope == (county,):
                points[t.deadline] = t.target
        return sorted(points.items())

    def to_dict(self) -> dict[str, Any]:
        """The merged configuration as plain TOML-like data (for manifests)."""
        return _jsonable(self.raw)


def _jsonable(obj: Any) -> Any:
    if isinstance(obj, Mapping):
        return {k: _jsonable(v) for k, v in obj.items()}
    if isinstance(obj, list | tuple):
        return [_jsonable(v) for v in obj]
    if isinstance(obj, dt.date):
        return obj.isoformat()
    return obj


# ---------------------------------------------------------------------------------------
# loading and merging


def default_config() -> Config:
    """The built-in Zhaoqing 2023 configuration."""
    return _build(_read_toml(_DEFAULT_PATH), source="built-in")


def load_config(
    path: str | Path | None = None, overrides: Mapping[str, Any] | None = None
) -> Config:
    """Built-in defaults, overridden by a TOML file and then by a mapping.

    Parameters
    ----------
    path
        A ``zqcampaign.toml`` file, or a folder that may hold one. ``None``: defaults only.
    overrides
        Nested mapping with the same keys as the TOML file (e.g.
        ``{"flags": {"red_days_late": 45}}``).
    """
    try:
        return _load_config(path, overrides)
    except (RecursionError, MemoryError):
        raise ConfigError("(配置)", "嵌套层级过深或内容过大，无法读取") from None


def _load_config(path: str | Path | None, overrides: Mapping[str, Any] | None) -> Config:
    raw = _read_toml(_DEFAULT_PATH)
    source = "built-in"
    if path is not None:
        p = Path(path)
        if p.is_dir():
            p = p / CONFIG_FILENAME
        if p.is_file():
            raw = _merge(raw, _read_toml(p))
            source = str(p)
        elif path is not None and Path(path).suffix == ".toml":
            raise ConfigError("(文件)", "文件不存在", file=p)
    if overrides:
        raw = _merge(raw, overrides)
        source = f"{source} + overrides"
    return _build(raw, source=source)


# ---------------------------------------------------------------------------------------
# validation


def _build(raw: dict[str, Any], *, source: str) -> Config:
    file = None if source == "built-in" else source.split(" + ")[0]
    known_top = {
        "campaign",
        "thresholds",
        "flags",
        "completion",
        "investment",
        "supervision",
        "ranking",
        "pace",
        "divisions",
        "targets",
        "benchmarks",
        "columns",
        "problems",
        "letters",
    }
    for key in raw:
        if key not in known_top:
            raise ConfigError(key, "未知的配置项（请检查拼写）", file=file)

    camp = _Section(raw.get("campaign", {}), "campaign", file)
    city = camp.get("city", "str")
    name = camp.get("name", "str")
    start = camp.get("start", "date")
    end = camp.get("end", "date")
    if end <= start:
        raise camp.error("end", f"结束日期 {end} 应晚于开始日期 {start}")
    source_line = camp.get("source_line", "str", "数据来源：各县（市、区）报送台账")
    office = camp.get("office", "str", f"{city}制造业项目建设“大会战”办公室")
    contact = camp.get("contact", "str", f"{city}“大会战”办公室")
    resubmit_days = camp.get("resubmit_days", "int", 3)
    if resubmit_days < 0:
        raise camp.error("resubmit_days", f"不能为负数，实际为 {resubmit_days!r}")
    camp.finish()

    thr = _Section(raw.get("thresholds", {}), "thresholds", file)
    key_min = thr.positive("key_project_min")
    nw_min = thr.positive("northwest_key_project_min", key_min)
    large_money = thr.positive("large_money", 1e7)
    if large_money <= 0 or large_money > MONEY_CEILING:
        raise thr.error(
            "large_money", f"应在 0 到 {MONEY_CEILING:,.0f} 万元之间，实际为 {large_money!r}"
        )
    thr.finish()

    fl = _Section(raw.get("flags", {}), "flags", file)
    yellow_gap = fl.fraction("yellow_gap", 0.10)
    red_days = fl.get("red_days_late", "int", 30)
    if red_days < 1:
        raise fl.error("red_days_late", "应为正整数（天）")
    no_plan = fl.choice("no_planned_date", FLAGS, "yellow")
    open_problem = fl.choice("open_problem", FLAGS, "yellow")
    open_major = fl.choice("open_major_problem", FLAGS, "red")
    lateness = fl.choice("lateness", ("baseline", "current"), "baseline")
    repeated = fl.get("repeated_postponements", "int", 2)
    postponed_days = fl.get("postponed_days", "int", 60)
    if repeated < 0 or postponed_days < 0:
        raise fl.error("repeated_postponements", "应为 0（不设此规则）或正整数")
    fl_raw = raw.get("flags", {})
    fl.used.update({"project_rules", "county_rules"})
    if "project_rules" in fl_raw:
        project_rules = parse_rules(_table_list(fl_raw, "project_rules", file), PROJECT_METRICS)
    else:
        project_rules = default_project_rules(
            red_days, no_plan, open_problem, open_major, repeated, postponed_days
        )
    if "county_rules" in fl_raw:
        county_rules = parse_rules(_table_list(fl_raw, "county_rules", file), COUNTY_METRICS)
    else:
        county_rules = default_county_rules(yellow_gap)
    fl.finish()

    pc = _Section(raw.get("pace", {}), "pace", file)
    pace = pc.choice("basis", PACE_BASES, "days")
    partial_month = pc.choice("partial_month", ("skip", "count"), "skip")
    pace_shape = pc.choice("shape", ("linear", "stepped"), "linear")
    pc.finish()

    comp = _Section(raw.get("completion", {}), "completion", file)
    default_target = comp.fraction("default_target", 1.0)
    comp.finish()

    inv = _Section(raw.get("investment", {}), "investment", file)
    year_start = inv.get("year_start", "date", dt.date(end.year, 1, 1))
    year_end = inv.get("year_end", "date", dt.date(end.year, 12, 31))
    if year_end <= year_start:
        raise inv.error("year_end", "应晚于 investment.year_start")
    inv.used.add("steps")
    inv_raw = raw.get("investment", {})
    steps = []
    for sec in _table_list(inv_raw, "steps", file) if isinstance(inv_raw, Mapping) else []:
        steps.append((sec.get("date", "date"), sec.fraction("share")))
        sec.finish()
    steps.sort()
    inv.finish()

    sup_raw = raw.get("supervision", {})
    sup = _Section(sup_raw, "supervision", file)
    weekday = sup.choice("weekday", WEEKDAYS, "tuesday")
    week = sup.get("week", "int", 1)
    if not 1 <= week <= 4:
        raise sup.error("week", "应为 1 到 4（每月第几周）")
    roll = sup.choice("roll", ROLL_RULES, "next_working_weekday")
    eval_months = sup.get("evaluation_months", "intlist", [9, 11])
    if any(not 1 <= m <= 12 for m in eval_months):
        raise sup.error("evaluation_months", "月份应在 1 到 12 之间")
    sup.used.add("groups")
    groups_sections = _table_list(sup_raw, "groups", file) if isinstance(sup_raw, Mapping) else []
    sup.finish()

    rk = _Section(raw.get("ranking", {}), "ranking", file)
    weights = {
        k: rk.positive(k, default)
        for k, default in (("completion_rate", 0.6), ("gap", 0.3), ("investment_rate", 0.1))
    }
    if sum(weights.values()) <= 0:
        raise rk.error("completion_rate", "排名权重之和应大于 0")
    jury = rk.get("jury_scores", "str", None)
    if jury is not None and file is not None and not Path(jury).is_absolute():
        jury = str(Path(file).parent / jury)  # relative to the config file
    rk.used.add("components")
    rk_raw = raw.get("ranking", {})
    if isinstance(rk_raw, Mapping) and "components" in rk_raw:
        rubric = parse_rubric(_table_list(rk_raw, "components", file))
        if not rubric:
            raise rk.error("components", "至少需要一个评分组成项")
    else:
        rubric = default_rubric(weights)
    rk.finish()

    divisions = []
    seen_spellings: dict[str, str] = {}
    from zqcampaign.text import normalize_text

    for sec in _table_list(raw, "divisions", file):
        d = Division(
            name=sec.get("name", "str"),
            aliases=tuple(sec.get("aliases", "strlist", [])),
            northwest=sec.get("northwest", "bool", False),
        )
        sec.finish()
        for spelling in (d.name, *d.aliases):
            norm = normalize_text(spelling)
            other = seen_spellings.get(norm)
            if other is not None and other != d.name:
                raise sec.error("aliases", f"“{spelling}”同时指向 {other} 和 {d.name}")
            seen_spellings[norm] = d.name
        divisions.append(d)
    if not divisions:
        raise ConfigError("divisions", "至少需要一个县（市、区）", file=file)
    names = {d.name for d in divisions}

    def check_counties(sec: _Section, key: str) -> tuple[str, ...]:
        counties = sec.get(key, "strlist")
        if not counties:
            raise sec.error(key, "不能为空")
        for c in counties:
            if c not in names:
                raise sec.error(key, f"“{c}”不是 [[divisions]] 中的名称")
        return tuple(counties)

    targets = []
    for sec in _table_list(raw, "targets", file):
        scope = check_counties(sec, "scope")
        metric = sec.choice("metric", TARGET_METRICS)
        target_value = (
            sec.fraction("target") if metric == "completion_rate" else sec.positive("target")
        )
        deadline = sec.get("deadline", "date")
        t_start = sec.get("start", "date", None)
        if t_start is not None and t_start > deadline:
            raise sec.error("start", "应早于 deadline")
        label = sec.get("label", "str", "")
        sec.finish()
        targets.append(Target(scope, metric, float(target_value), deadline, t_start, label))

    groups = []
    for sec in groups_sections:
        groups.append(SupervisionGroup(sec.get("name", "str"), check_counties(sec, "counties")))
        sec.finish()

    benchmarks = []
    for sec in _table_list(raw, "benchmarks", file):
        benchmarks.append(
            Benchmark(
                name=sec.get("name", "str"),
                metric=sec.get("metric", "str"),
                period=sec.get("period", "str"),
                value=float(sec.get("value", "number")),
                source=sec.get("source", "str", ""),
                illustrative=sec.get("illustrative", "bool", False),
            )
        )
        sec.finish()

    columns = _columns_table(raw.get("columns", {}), file)
    problem_rules = _problem_rules(raw.get("problems", {}), file)
    letter_style = _letter_style(raw.get("letters", {}), file)

    return Config(
        city=city,
        campaign_name=name,
        start=start,
        end=end,
        source_line=source_line,
        key_project_min=key_min,
        northwest_key_project_min=nw_min,
        large_money=large_money,
        yellow_gap=yellow_gap,
        red_days_late=red_days,
        no_planned_date_flag=no_plan,
        open_problem_flag=open_problem,
        open_major_problem_flag=open_major,
        default_completion_target=default_target,
        investment_year_start=year_start,
        investment_year_end=year_end,
        supervision_weekday=weekday,
        supervision_week=week,
        supervision_roll=roll,
        evaluation_months=tuple(eval_months),
        ranking_weights={c.name: c.weight for c in rubric},
        project_rules=project_rules,
        county_rules=county_rules,
        lateness=lateness,
        pace=pace,
        partial_month=partial_month,
        pace_shape=pace_shape,
        investment_steps=tuple(steps),
        rubric=rubric,
        jury_scores=jury,
        divisions=tuple(divisions),
        targets=tuple(targets),
        supervision_groups=tuple(groups),
        benchmarks=tuple(benchmarks),
        columns=columns,
        raw=raw,
        source=source,
        office=office,
        contact=contact,
        resubmit_days=resubmit_days,
        problem_rules=problem_rules,
        letter_style=dataclasses.replace(letter_style, office=office),
    )


def _columns_table(data: Any, file: str | None) -> dict[str, str]:
    """``[columns]``: header spelling -> a canonical column name or ``"ignore"``."""
    from zqcampaign.schema import HEADER_TARGETS

    if not isinstance(data, Mapping):
        raise ConfigError(
            "columns",
            '应为一个表（table），如 [columns] "预计开工" = "planned_start_on"',
            file=file,
        )
    out: dict[str, str] = {}
    for spelling, target in data.items():
        key = f"columns.{spelling}"
        if not isinstance(target, str) or not target.strip():
            raise ConfigError(key, f'应为标准列名或 "ignore"，实际为 {target!r}', file=file)
        if target != "ignore" and target not in HEADER_TARGETS:
            raise ConfigError(
                key,
                f'“{target}”不是标准列名；可用 "ignore" 或：{", ".join(HEADER_TARGETS)}',
                file=file,
            )
        out[str(spelling)] = target
    return out


def _problem_rules(data: Any, file: str | None) -> ProblemRules:
    sec = _Section(data, "problems", file)
    d = ProblemRules()
    days = {
        k: sec.get(k, "int", getattr(d, k))
        for k in ("deadline_days", "major_deadline_days", "near_days")
    }
    for k, v in days.items():
        if v < 0:
            raise sec.error(k, "应为不小于 0 的整数（天）")
    major_level = sec.choice("major_level", SUPERVISION_LEVELS, d.major_level)
    escalation = d.escalation
    if "escalation" in sec.data:
        steps = []
        for esc in _table_list(sec.data, "escalation", file):
            esc.prefix = f"problems.{esc.prefix}"
            months = esc.get("months_overdue", "int")
            if months < 0:
                raise esc.error("months_overdue", "应为不小于 0 的整数（月）")
            steps.append((months, esc.choice("level", SUPERVISION_LEVELS)))
            esc.finish()
        escalation = tuple(sorted(steps))
    sec.used.add("escalation")
    coordination = dict(d.coordination)
    if "coordination" in sec.data:
        coord = _Section(sec.data["coordination"], "problems.coordination", file)
        for level in SUPERVISION_LEVELS:
            coordination[level] = coord.get(level, "str", coordination[level])
        coord.finish()
    sec.used.add("coordination")
    sec.finish()
    return ProblemRules(
        **days, major_level=major_level, escalation=escalation, coordination=coordination
    )


def _letter_style(data: Any, file: str | None) -> LetterStyle:
    sec = _Section(data, "letters", file)
    d = LetterStyle()
    text = {
        k: sec.get(k, "str", getattr(d, k))
        for k in (
            "number_pattern",
            "title_font",
            "title_fallback",
            "body_font",
            "body_fallback",
            "heading_font",
        )
    }
    try:
        text["number_pattern"].format(year=2023, number=1, month=12)
    except (KeyError, IndexError, ValueError) as exc:
        raise sec.error(
            "number_pattern", f"只能使用 {{year}}、{{month}}、{{number}} 占位符（{exc}）"
        ) from None
    reply_days = sec.get("reply_days", "int", d.reply_days)
    first_number = sec.get("first_number", "int", d.first_number)
    if reply_days < 1 or first_number < 1:
        raise sec.error("reply_days" if reply_days < 1 else "first_number", "应为正整数")
    sec.finish()
    return LetterStyle(**text, reply_days=reply_days, first_number=first_number)
