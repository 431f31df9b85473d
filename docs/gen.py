"""Generate the reference pages of the user guide from the code, so they cannot drift.

    python docs/gen.py            # rewrite docs/reference/{config,issues,cli}.md
    python docs/gen.py --check    # exit 1 and name the stale pages (what tests/test_docs.py does)

- ``reference/config.md``: every key the configuration validator reads
  (``zqcampaign.config._build``, traced while it builds the built-in configuration), with its
  type, default and meaning. The meaning is the key's comment in ``default_config.toml`` or,
  for a key without one, the entry in :data:`NOTES` below; a key with neither is an error.
- ``reference/issues.md``: every code of the issue registry ``zqcampaign.issues.CODES``.
- ``reference/cli.md``: every command and option of ``zqcampaign.cli.build_parser()``.
"""

from __future__ import annotations

import argparse
import datetime as dt
import re
import sys
import tomllib
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

DOCS = Path(__file__).resolve().parent
ROOT = DOCS.parent
REFERENCE = DOCS / "reference"
GENERATED_NOTE = "<!-- 本页由 docs/gen.py 生成，请勿手工修改：改代码后运行 python docs/gen.py -->"

# ---------------------------------------------------------------------------------------
# configuration reference

#: Chinese titles of the configuration tables, in page order (unknown tables come last).
SECTION_TITLES: dict[str, str] = {
    "campaign": "大会战名称与起止日期",
    "thresholds": "重点项目标准",
    "flags": "预警标识规则",
    "flags.project_rules[]": "项目预警规则（表数组，替换内置规则）",
    "flags.county_rules[]": "县区预警规则（表数组，替换内置规则）",
    "completion": "完成率目标",
    "pace": "序时进度的算法",
    "investment": "投资序时进度",
    "investment.steps[]": "投资序时进度按节点（表数组）",
    "ranking": "排名",
    "ranking.components[]": "排名评分组成项（表数组，替换内置评分）",
    "problems": "问题销号台账",
    "problems.escalation[]": "问题督办升级（表数组）",
    "problems.coordination": "各督办级别的协调层级",
    "letters": "督办函 / 提醒函",
    "supervision": "督导日与观摩评比",
    "supervision.groups[]": "督导组（表数组）",
    "divisions[]": "县（市、区）（表数组）",
    "targets[]": "承诺目标（表数组）",
    "benchmarks[]": "与全省、兄弟城市比（表数组）",
}

#: Meaning of each key (Chinese, Markdown). A key missing here is described by its comment in
#: default_config.toml; a key with neither fails ``python docs/gen.py`` and tests/test_docs.py.
NOTES: dict[str, str] = {
    "thresholds.key_project_min": "重点项目标准：计划总投资不低于此值 [万元] 才纳入统计（默认 1 亿元）。",
    "thresholds.northwest_key_project_min": (
        "西北板块（`northwest = true` 的县）的重点项目标准 [万元]（默认 0.5 亿元）；不填则同上。"
    ),
    "flags.yellow_gap": (
        "内置县区规则：完成率低于序时目标不超过这么多（比例，0.10 即 10 个百分点）为黄，"
        "再低为红。写了 `[[flags.county_rules]]` 时不用此项。"
    ),
    "flags.red_days_late": (
        "内置项目规则：目标节点计划时间已过 1 至这么多天为黄，超过为红 [天]。"
        "写了 `[[flags.project_rules]]` 时不用此项（下面三项同）。"
    ),
    "flags.no_planned_date": "内置项目规则：未填目标节点计划时间的未完成项目的标识。",
    "flags.open_problem": "内置项目规则：有未销号问题的未完成项目的标识。",
    "flags.open_major_problem": "内置项目规则：有未销号重大问题的未完成项目的标识。",
    "completion.default_target": "每个县的默认目标：大会战结束日期前完成清单的这个比例。",
    "investment.year_start": "投资序时进度的起算日（含）。",
    "investment.year_end": "投资序时进度的终止日（含）；按天还是按月见 `pace.basis`。",
    "flags.lateness": (
        "逾期天数从哪个计划日期算起：`baseline` 第一次报送的计划日期（改期不改基准；改早了按新日期），"
        "`current` 最新一期报送的计划日期。"
    ),
    "flags.repeated_postponements": (
        "内置项目规则：目标节点计划时间推迟达到这么多次为黄色；0 表示不设此规则。"
    ),
    "flags.postponed_days": "内置项目规则：计划时间累计推迟达到这么多天为黄色；0 表示不设此规则。",
    "pace.basis": (
        "序时进度的算法：`days` 按天数；`months` 按已过完的整月数（广东省统计通报的算法，"
        "9月30日为 9/12）。完成率的序时目标和投资序时进度都用它。"
    ),
    "pace.partial_month": (
        "按月计算时，大会战开始的那个不完整的月（7月21—31日）：`skip` 不计（8—12月共 5 个月），"
        "`count` 算一个整月（7—12月共 6 个月）。"
    ),
    "pace.shape": "`linear` 在两个期限之间按直线；`stepped` 取最近一个已到期限的目标值（按季度台阶）。",
    "ranking.jury_scores": (
        "现场观摩评分表（`.xlsx`/`.csv` 等，两列：县（市、区）和评分），相对路径相对于配置文件；"
        '评分组成项 `metric = "jury"` 使用它。'
    ),
    "flags.project_rules[].metric": "项目的指标，含义见下表。",
    "flags.project_rules[].flag": "规则成立时给的标识。",
    "flags.project_rules[].label": "规则在原因文字中的名称；不填则由指标和阈值生成。",
    "flags.project_rules[].above": "规则成立的条件：指标 > 此值（数值指标必须且只能写 above / at_least / below / at_most 中的一个；是/否指标不写）。",
    "flags.project_rules[].at_least": "条件：指标 ≥ 此值。",
    "flags.project_rules[].below": "条件：指标 < 此值。",
    "flags.project_rules[].at_most": "条件：指标 ≤ 此值。",
    "flags.county_rules[].metric": "县区的指标，含义见下表。",
    "flags.county_rules[].flag": "规则成立时给的标识。",
    "flags.county_rules[].label": "规则在原因文字中的名称；不填则由指标和阈值生成。",
    "flags.county_rules[].above": "规则成立的条件：指标 > 此值（数值指标必须且只能写 above / at_least / below / at_most 中的一个；是/否指标不写）。",
    "flags.county_rules[].at_least": "条件：指标 ≥ 此值。",
    "flags.county_rules[].below": "条件：指标 < 此值。",
    "flags.county_rules[].at_most": "条件：指标 ≤ 此值。",
    "investment.steps[].date": "节点日期（如季度末）。设了节点时，投资序时进度取最近一个已到节点的比例，节点前为 0。",
    "investment.steps[].share": "到该节点应完成年度计划的比例（0.75 即 75%）。",
    "ranking.components[].metric": "评分所用的县区指标，含义见下表。",
    "ranking.components[].name": "组成项名称（不可重复），不填则同 metric。",
    "ranking.components[].weight": "权重：得分 = Σ 权重 × 分项得分。",
    "ranking.components[].per": "指标每一个单位给多少分（可为负数，如每个红色项目扣分）。",
    "ranking.components[].base": "基础分：分项得分 = base + per × 指标值，再按 min / max 截断。",
    "ranking.components[].min": "分项得分下限；不填则不设。",
    "ranking.components[].max": "分项得分上限；不填则不设。",
    "ranking.components[].label": "组成项的中文名称，用于排名说明；不填则用指标的中文名。",
    "supervision.weekday": "项目落地集中督导日是星期几。",
    "supervision.week": "每月第几周（1 到 4）的那一天。",
    "supervision.roll": (
        "督导日遇节假日：`next_working_weekday` 顺延到下一个工作日的同一星期几，"
        "`next_working_day` 顺延到下一个工作日，`none` 不顺延。"
    ),
    "supervision.evaluation_months": "召开调度推进会暨现场观摩会（排名）的月份。",
    "campaign.city": "城市名称，用于标题和“全市”一行。",
    "campaign.name": "大会战全称，用于简报标题。",
    "campaign.start": "大会战开始日期：完成率序时目标从这一天的 0 起算。",
    "campaign.end": "大会战结束日期：默认目标（`completion.default_target`）的期限。",
    "campaign.source_line": "图表下方的数据来源说明。",
    "campaign.office": "发文单位：简报封面、督办函的落款。",
    "campaign.contact": "联系方式：写在发给每个县的问题清单上。",
    "campaign.resubmit_days": "县区改正后重报台账的期限：截至日期后这么多天。",
    "problems.deadline_days": "台账没有“解决时限”列时，问题的解决时限 = 首次报送后这么多天。",
    "problems.major_deadline_days": "同上，重大问题的解决时限天数。",
    "problems.near_days": "距解决时限这么多天以内为黄色，超过时限为红色。",
    "problems.major_level": "重大问题一开始的督办级别（其他问题从 `普通` 督办开始）。",
    "letters.number_pattern": "文号格式，可用 `{year}`、`{month}`、`{number}`。",
    "letters.reply_days": "回复期限：发函日期后这么多天。",
    "problems.escalation[].months_overdue": "未销号问题超过解决时限这么多个月后升级督办 [月]。",
    "problems.escalation[].level": "升级到的督办类型：`普通` / `现场` / `挂牌`。",
    "problems.coordination.普通": "普通督办由谁协调（写在问题清单和督办函中）。",
    "problems.coordination.现场": "现场督办由谁协调。",
    "problems.coordination.挂牌": "挂牌督办由谁协调。",
    "letters.title_font": "督办函标题字体（GB/T 9704-2012：小标宋）。",
    "letters.title_fallback": "没有标题字体时用的字体。",
    "letters.body_font": "正文字体（仿宋_GB2312）。",
    "letters.body_fallback": "没有正文字体时用的字体。",
    "letters.heading_font": "一级标题字体（黑体）。",
    "letters.first_number": "本次发函的第一个文号序号（`number_pattern` 中的 `{number}`）。",
    "ranking.completion_rate": "内置评分中完成率（每 1% 得 1 分，最高 100 分）的权重。",
    "ranking.gap": "内置评分中序时差距（不落后得 100 分，每落后 1 个百分点扣 2 分，最低 0 分）的权重。",
    "ranking.investment_rate": (
        "内置评分中投资完成率占序时进度（每 1% 得 1 分，最高 100 分）的权重。"
        "三个权重按比例归一；写了 `[[ranking.components]]` 时不用这三项。"
    ),
    "supervision.groups[].name": "督导组名称，如 `第一督导组`。",
    "supervision.groups[].counties": "该组负责的县（市、区），须为 `[[divisions]]` 中的名称。",
    "divisions[].name": "县（市、区）或功能区的规范名称，所有输出都用这个名称。",
    "divisions[].aliases": "台账里可能出现的其他写法（简称、繁体）；全角半角自动统一。",
    "divisions[].northwest": "是否属于西北板块（重点项目标准用 `thresholds.northwest_key_project_min`）。",
    "targets[].scope": "目标涉及的县（市、区），多个县合并计算（如鼎湖区、肇庆新区）。",
    "targets[].metric": (
        "指标：`completion_rate` 完成率；`signed`/`land_supplied`/`started`/`completed`/"
        "`in_production` 期间内达到该节点的项目数；`actual_investment` 本年累计完成投资"
        "[万元]；`list_count` 清单项目数。"
    ),
    "targets[].target": "目标值：完成率为 0 到 1 的比例，其余为个数或万元。",
    "targets[].deadline": "目标期限（含当天）。",
    "targets[].start": (
        "起点：个数类指标从这天起计数，应有进度（`targets_status` 的 `pace`）从这天起按直线计算；"
        "不填则为大会战开始日期。"
    ),
    "targets[].label": "目标的中文说明，用于简报和图表。",
    "benchmarks[].name": "比较对象，如 `广东省`。",
    "benchmarks[].metric": "指标名，如 `industrial_investment_growth`（工业投资同比增速）。",
    "benchmarks[].period": "统计期，如 `2023H1`。",
    "benchmarks[].value": "数值（比例，0.232 表示 23.2%）。",
    "benchmarks[].source": "数据出处。",
    "benchmarks[].illustrative": "为 true 时表示示意数据，简报中标注“示意”。",
}

_KIND_TEXT = {
    "str": "文字",
    "date": "日期",
    "number": "数字",
    "int": "整数",
    "bool": "true / false",
    "strlist": "文字列表",
    "intlist": "整数列表",
    "fraction": "比例 0–1",
    "positive": "非负数",
    "choice": "可选值",
}


@dataclass
class ConfigKey:
    """One key as the validator reads it."""

    path: str  # "flags.red_days_late", "targets[].metric"
    kind: str
    default: Any = ...  # ... = required
    choices: tuple[str, ...] = ()
    kinds: list[str] = field(default_factory=list)


#: Prefixes the validator uses for a nested array of tables, and its path in the file.
_PREFIX_PATHS = {
    "groups[]": "supervision.groups[]",
    "project_rules[]": "flags.project_rules[]",
    "county_rules[]": "flags.county_rules[]",
    "steps[]": "investment.steps[]",
    "components[]": "ranking.components[]",
    "escalation[]": "problems.escalation[]",
}

#: Tables the built-in configuration leaves out, so that tracing also sees their keys: one
#: rule per comparison (a rule takes exactly one), one rubric component with every key.
EXERCISE = """
[ranking]
jury_scores = "jury.xlsx"
[[ranking.components]]
name = "n"
metric = "completion_rate"
weight = 1.0
per = 1.0
base = 0.0
min = 0.0
max = 100.0
label = "l"
[[flags.project_rules]]
metric = "days_late"
above = 0
flag = "yellow"
label = "l"
[[flags.project_rules]]
metric = "days_late"
at_least = 1
flag = "yellow"
[[flags.project_rules]]
metric = "days_late"
below = 1
flag = "yellow"
[[flags.project_rules]]
metric = "days_late"
at_most = 1
flag = "yellow"
[[flags.county_rules]]
metric = "ratio_of_pace"
above = 0.8
flag = "yellow"
label = "l"
[[flags.county_rules]]
metric = "ratio_of_pace"
at_least = 0.8
flag = "yellow"
[[flags.county_rules]]
metric = "ratio_of_pace"
below = 0.8
flag = "yellow"
[[flags.county_rules]]
metric = "ratio_of_pace"
at_most = 0.6
flag = "red"
[[investment.steps]]
date = 2023-03-31
share = 0.2
"""


def _normalise(prefix: str) -> str:
    prefix = re.sub(r"\[\d+\]", "[]", prefix)
    return _PREFIX_PATHS.get(prefix, prefix)


@contextmanager
def _traced_sections() -> Iterator[dict[str, ConfigKey]]:
    """Record every key ``config._Section`` reads while the block runs."""
    from zqcampaign import config

    seen: dict[str, ConfigKey] = {}
    section = config._Section
    originals = {name: getattr(section, name) for name in ("get", "choice", "fraction", "positive")}
    depth = {"n": 0}

    def record(self, name: str, kind: str, default: Any, choices: tuple[str, ...] = ()) -> None:
        prefix = _normalise(self.prefix)
        path = f"{prefix}.{name}" if prefix else name
        key = seen.setdefault(path, ConfigKey(path, kind, default, choices))
        if kind not in key.kinds:
            key.kinds.append(kind)

    def wrap(method: str) -> Callable[..., Any]:
        original = originals[method]

        def traced(self, name, *args, **kwargs):
            if depth["n"] == 0:
                if method == "get":
                    kind, default = (
                        args[0],
                        (args[1] if len(args) > 1 else kwargs.get("default", ...)),
                    )
                    record(self, name, kind, default)
                elif method == "choice":
                    choices = args[0]
                    default = args[1] if len(args) > 1 else kwargs.get("default", ...)
                    record(self, name, "choice", default, tuple(choices))
                else:
                    default = args[0] if args else kwargs.get("default", ...)
                    record(self, name, method, default)
            depth["n"] += 1
            try:
                return original(self, name, *args, **kwargs)
            finally:
                depth["n"] -= 1

        return traced

    try:
        for name in originals:
            setattr(section, name, wrap(name))
        yield seen
    finally:
        for name, original in originals.items():
            setattr(section, name, original)


def config_keys() -> dict[str, ConfigKey]:
    """Every key the validator reads, in the order it reads them (built-in configuration)."""
    from zqcampaign import config

    raw = config._read_toml(config._DEFAULT_PATH)
    with _traced_sections() as seen:
        config._build(raw, source="built-in")
        config._build(config._merge(raw, tomllib.loads(EXERCISE)), source="built-in")
    return dict(seen)


def default_comments(text: str) -> dict[str, str]:
    """``key path -> inline comment`` of default_config.toml (first occurrence)."""
    out: dict[str, str] = {}
    table = ""
    for line in text.splitlines():
        head = re.match(r"^\s*(\[\[?)([\w.]+)\]\]?", line)
        if head:
            table = head.group(2) + ("[]" if head.group(1) == "[[" else "")
            continue
        m = re.match(r"^\s*([A-Za-z_]\w*)\s*=\s*[^#]*?#\s*(.+?)\s*$", line)
        if m and not line.lstrip().startswith("#"):
            path = f"{table}.{m.group(1)}" if table else m.group(1)
            out.setdefault(path, m.group(2))
    return out


def _lookup(raw: dict[str, Any], path: str) -> Any:
    """The default file's value at ``path`` (first item of an array of tables), or ``...``."""
    node: Any = raw
    for part in path.split("."):
        is_list = part.endswith("[]")
        part = part.removesuffix("[]")
        if not isinstance(node, dict) or part not in node:
            return ...
        node = node[part]
        if is_list:
            return ...  # per item: no single default
    return node


def _toml_value(value: Any) -> str:
    if value is ...:
        return "（必填）"
    if value is None:
        return "（可不填）"
    if isinstance(value, bool):
        return f"`{str(value).lower()}`"
    if isinstance(value, str):
        return f'`"{value}"`'
    if isinstance(value, dt.date):
        return f"`{value.isoformat()}`"
    if isinstance(value, list):
        return "`[" + ", ".join(_toml_value(v).strip("`") for v in value) + "]`"
    return f"`{value}`"


def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def undocumented_keys() -> list[str]:
    """Keys with neither a comment in default_config.toml nor an entry in :data:`NOTES`."""
    comments = default_comments(_default_text())
    return [k for k in config_keys() if k not in comments and k not in NOTES]


def stale_notes() -> list[str]:
    """Entries of :data:`NOTES` for keys the validator no longer reads."""
    keys = config_keys()
    return [k for k in NOTES if k not in keys]


def _default_text() -> str:
    from zqcampaign import config

    return config._DEFAULT_PATH.read_text(encoding="utf-8")


def render_config() -> str:
    from zqcampaign import config

    text = _default_text()
    raw = tomllib.loads(text)
    comments = default_comments(text)
    keys = config_keys()
    sections: dict[str, list[ConfigKey]] = {}
    for key in keys.values():
        sections.setdefault(key.path.rpartition(".")[0], []).append(key)
    order = [s for s in SECTION_TITLES if s in sections] + sorted(
        s for s in sections if s not in SECTION_TITLES
    )
    lines = [
        GENERATED_NOTE,
        "",
        "# 配置参考 (configuration reference)",
        "",
        "内置配置是肇庆市 2023 年大会战（`zqcampaign/default_config.toml`）。在台账文件夹里放一个",
        f"`{config.CONFIG_FILENAME}`，写上要改的项即可覆盖；表（`[flags]`）逐项合并，表数组",
        "（`[[divisions]]`、`[[targets]]`、`[[supervision.groups]]`、`[[benchmarks]]`）整体替换内置的列表。",
        "拼错的配置项会报错并指出是哪一项（如 `配置项 flags.red_days_lat：未知的配置项`）。",
        "金额单位为万元，比例写小数（0.75 表示 75%），日期写作 `2023-09-30`（不加引号）。",
        "",
        "各指标怎样使用这些配置项，见[指标口径](../definitions.md)。",
        "",
    ]
    for name in order:
        title = SECTION_TITLES.get(name, name)
        header = f"[[{name[:-2]}]]" if name.endswith("[]") else f"[{name}]"
        lines += [f"## `{header}` {title}", ""]
        if name.endswith("[]"):
            items = _lookup_list(raw, name)
            if items:
                lines += [f"内置配置有 {len(items)} 项，见文末的完整默认配置。每一项的键：", ""]
            else:
                lines += [
                    "内置配置不写此表（使用由上面各项生成的内置规则）。写了就整体替换内置的；每一项的键：",
                    "",
                ]
        lines += ["| 配置项 | 类型 | 默认值 | 说明 |", "|---|---|---|---|"]
        for key in sections[name]:
            short = key.path.rpartition(".")[2]
            kinds = [k for k in key.kinds]
            kind = " 或 ".join(_KIND_TEXT[k] for k in kinds)
            if key.choices:
                kind += "：" + " / ".join(f"`{c}`" for c in key.choices)
            value = _lookup(raw, key.path)
            shown = value if value is not ... else key.default
            if short in ("above", "at_least", "below", "at_most"):
                shown = None  # one of the four, none required on its own
            meaning = NOTES.get(key.path) or comments.get(key.path, "")
            lines.append(
                f"| `{short}` | {_cell(kind)} | {_cell(_toml_value(shown))} | {_cell(meaning)} |"
            )
        lines += _metric_table(name)
        lines.append("")
    lines += _columns_section()
    lines += [
        "## 完整默认配置 (default_config.toml)",
        "",
        "```toml",
        text.rstrip("\n"),
        "```",
        "",
    ]
    return "\n".join(lines)


def _metric_table(section: str) -> list[str]:
    """The metrics a rule or rubric table can name, from :mod:`zqcampaign.rulebook`."""
    from zqcampaign import rulebook

    if section == "flags.project_rules[]":
        metrics = rulebook.PROJECT_METRICS
    elif section == "flags.county_rules[]":
        metrics = rulebook.COUNTY_METRICS
    elif section == "ranking.components[]":
        rubric = rulebook.RUBRIC_METRICS
        rows = [f"| `{m}` | {zh} | {unit or '—'} |" for m, (zh, unit) in rubric.items()]
        return ["", "`metric` 可用的指标：", "", "| metric | 含义 | 单位 |", "|---|---|---|", *rows]
    else:
        return []
    rows = [
        f"| `{m}` | {zh} | {'是/否，不写阈值' if boolean else (unit or '比例')} |"
        for m, (zh, unit, boolean) in metrics.items()
    ]
    return ["", "`metric` 可用的指标：", "", "| metric | 含义 | 单位 |", "|---|---|---|", *rows]


def _columns_section() -> list[str]:
    """``[columns]``: its keys are the office's header spellings, its values canonical names."""
    from zqcampaign.schema import COLUMN_LABELS, HEADER_TARGETS

    rows = [f"| `{c}` | {COLUMN_LABELS.get(c, '')} |" for c in HEADER_TARGETS]
    return [
        "## `[columns]` 表头的读法",
        "",
        '键是台账里的表头写法，值是标准列名，或 `"ignore"`（不读这一列）。写法先统一繁简和全角半角再比较。',
        "先用 `zqcampaign columns 文件夹` 看每一列现在被读成了什么，再只为读错的表头写一行：",
        "",
        "```toml",
        "[columns]",
        '"预计开工" = "planned_start_on"',
        '"内部编号" = "ignore"',
        "```",
        "",
        "| 标准列名 | 含义 |",
        "|---|---|",
        *rows,
        "",
    ]


def _lookup_list(raw: dict[str, Any], name: str) -> list[Any]:
    node: Any = raw
    for part in name.removesuffix("[]").split("."):
        node = node.get(part, {}) if isinstance(node, dict) else {}
    return node if isinstance(node, list) else []


# ---------------------------------------------------------------------------------------
# issue codes

SEVERITY_TITLES = {"error": "错误 (error)", "warning": "警告 (warning)", "info": "提示 (info)"}


def issue_registry() -> Any:
    """``zqcampaign.issues`` or None while the registry is not in the package yet."""
    try:
        from zqcampaign import issues
    except ImportError:
        return None
    return issues


def render_issues() -> str:
    lines = [
        GENERATED_NOTE,
        "",
        "# 问题代码表 (issue codes)",
        "",
        "读取台账时发现的每一类问题都有一个代码，出现在 `camp.issues` 的 `code` 列、",
        "`zqcampaign validate` 的输出和简报中的 `issues.xlsx`。级别：**错误**——这一行或这个文件",
        "无法使用、没有计入统计，必须由县区改正后重报；**警告**——数据可能不对，请县区核实",
        "（一般已按说明中的办法计入；个别如重复的行未计入，说明里会写明）；**提示**——工具按规则",
        "作了处理（如只有月份的日期取月末），供核对，不必退回。",
        "怎样把问题清单退回县区，见[月度工作流程](../workflow.md)。",
        "",
    ]
    registry = issue_registry()
    if registry is None:
        lines += [
            "> **问题代码登记表尚未合入**",
            ">",
            "> 本页由 `zqcampaign/issues.py` 中的 `CODES` 生成。该模块合入后运行",
            "> `python docs/gen.py`，这里就会列出每个代码的级别、说明和县区应怎样处理。",
            "",
        ]
        return "\n".join(lines)
    codes = registry.CODES
    order = {"error": 0, "warning": 1, "info": 2}
    by_severity: dict[str, list[Any]] = {}
    for code in sorted(codes.values(), key=lambda c: (order.get(c.severity, 9), c.code)):
        by_severity.setdefault(code.severity, []).append(code)
    for severity, items in by_severity.items():
        lines += [
            f"## {SEVERITY_TITLES.get(severity, severity)}",
            "",
            "| 代码 | 说明 | 县区应怎样处理 | English |",
            "|---|---|---|---|",
        ]
        for c in items:
            lines.append(
                f"| `{c.code}` | {_cell(c.zh)} | {_cell(c.action or '—')} | {_cell(c.en)} |"
            )
        lines.append("")
    return "\n".join(lines)


# ---------------------------------------------------------------------------------------
# command line


def _subparsers(parser: argparse.ArgumentParser) -> list[tuple[str, str, argparse.ArgumentParser]]:
    out = []
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            helps = {a.dest: a.help or "" for a in action._choices_actions}
            for name, sub in action.choices.items():
                out.append((name, helps.get(name, ""), sub))
    return out


def _option_text(action: argparse.Action) -> str:
    if not action.option_strings:
        name = action.metavar or action.dest
        return f"`{name.upper()}`" + ("（可省略）" if action.nargs == "?" else "")
    names = ", ".join(f"`{o}`" for o in action.option_strings)
    if action.nargs == 0:
        return names
    metavar = action.metavar or action.dest.upper()
    return f"{names} `{metavar}`"


def render_cli() -> str:
    from zqcampaign.cli import build_parser

    parser = build_parser()
    lines = [
        GENERATED_NOTE,
        "",
        "# 命令行参考 (command line)",
        "",
        parser.description or "",
        "",
        "每个命令都可加 `--help` 查看同样的说明。",
        "",
        *([parser.epilog, ""] if parser.epilog else []),
    ]
    for name, help_text, sub in _subparsers(parser):
        formatter = argparse.HelpFormatter(sub.prog, width=10_000)  # one line, any terminal
        formatter.add_usage(sub.usage, sub._actions, sub._mutually_exclusive_groups, prefix="")
        usage = " ".join(formatter.format_help().split())
        lines += [f"## `zqcampaign {name}`", "", help_text, "", "```text", usage, "```", ""]
        rows = []
        for action in sub._actions:
            if isinstance(action, argparse._HelpAction):
                continue
            default = action.default
            shown = "—" if default in (None, False, argparse.SUPPRESS) else f"`{default}`"
            choices = " / ".join(f"`{c}`" for c in action.choices) if action.choices else ""
            text = (action.help or "") + (f"（可选：{choices}）" if choices else "")
            rows.append(f"| {_option_text(action)} | {shown} | {_cell(text)} |")
        if rows:
            lines += ["| 参数 | 默认值 | 说明 |", "|---|---|---|", *rows, ""]
    return "\n".join(lines)


# ---------------------------------------------------------------------------------------

PAGES: dict[str, Callable[[], str]] = {
    "config.md": render_config,
    "issues.md": render_issues,
    "cli.md": render_cli,
}


def stale_pages() -> list[str]:
    """Reference pages whose committed text differs from what the code generates now."""
    out = []
    for name, render in PAGES.items():
        path = REFERENCE / name
        if not path.is_file() or path.read_text(encoding="utf-8") != render():
            out.append(f"docs/reference/{name}")
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="生成 docs/reference/ 下的参考页")
    parser.add_argument("--check", action="store_true", help="只检查，不写文件")
    check = parser.parse_args(argv).check
    missing = undocumented_keys()
    if missing:
        print(
            "这些配置项没有说明（在 default_config.toml 加行尾注释，或在 docs/gen.py 的 NOTES 中补上）："
        )
        for key in missing:
            print(f"  {key}")
        return 1
    if check:
        stale = stale_pages()
        for page in stale:
            print(f"{page} 已过期：运行 python docs/gen.py 重新生成")
        return 1 if stale else 0
    REFERENCE.mkdir(exist_ok=True)
    for name, render in PAGES.items():
        (REFERENCE / name).write_text(render(), encoding="utf-8")
        print(f"docs/reference/{name}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
