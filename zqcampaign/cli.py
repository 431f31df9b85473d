"""The ``zqcampaign`` command: validate ledgers, print the campaign status, write sample data.

Exit codes: 0 done; 1 ``validate`` found errors to fix; 2 a user mistake (a wrong option, a
bad date, a missing folder, a bad configuration) or nothing could be read; 130 interrupted
(Ctrl-C). Messages are in Chinese and say what to fix; no user mistake shows a traceback,
and output cut short by a pipe (``| head``) ends quietly.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from pathlib import Path

from zqcampaign import labels
from zqcampaign.text import printable

__all__ = ["main"]

DEFAULT_SOURCE = "sample_data"


def _default_source() -> Path:
    """``sample_data/`` in the working folder, else generated sample data in a cache folder."""
    here = Path(DEFAULT_SOURCE)
    if here.is_dir():
        return here
    from zqcampaign.sample import write_sample

    cache = Path.home() / ".cache" / "zqcampaign" / "sample_data"
    if not cache.is_dir():
        write_sample(cache)
    return cache


class UserMistake(Exception):
    """A mistake on the command line: the message says what to fix (exit code 2)."""


def _load(args: argparse.Namespace):
    """Load the command's ledgers (``source``, ``--config``, ``--quiet``, ``--no-cache``)."""
    import warnings

    from zqcampaign import load

    path = Path(args.source) if args.source else _default_source()
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        camp = load(
            path,
            config=getattr(args, "config", None),
            progress=not args.quiet and sys.stderr.isatty(),
            cache=False if getattr(args, "no_cache", False) else None,
        )
    for w in caught:  # loud, and once: the data makes the figures misleading
        print(str(w.message), file=sys.stderr)
    return camp


def _as_of(camp, value: str | None):
    """The ``--as-of`` date, or a Chinese message naming the mistake."""
    import pandas as pd

    if value is None:
        return camp.resolve_as_of(None)
    try:
        stamp = pd.Timestamp(str(value).strip())
    except (ValueError, TypeError, OverflowError):
        stamp = None
    if stamp is None or pd.isna(stamp):
        raise UserMistake(f"--as-of 的日期“{value}”无法识别：请写成 年-月-日，如 2023-11-30")
    when = camp.resolve_as_of(stamp)
    for line in camp.warnings(when):
        if "样例" not in line and "sample" not in line:  # sample data was said at load
            print(line, file=sys.stderr)
    return when


def _missing(value) -> bool:
    import pandas as pd

    try:
        return bool(pd.isna(value))
    except (TypeError, ValueError):
        return False


def _cjk_width(text: str) -> int:
    import unicodedata

    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in str(text))


def aligned(frame) -> str:
    """A table as text with columns aligned for Chinese (full-width characters count two)."""
    cells = [[str(c) for c in frame.columns]] + [
        ["" if _missing(v) else str(v) for v in row] for row in frame.itertuples(index=False)
    ]
    widths = [max(_cjk_width(r[j]) for r in cells) for j in range(len(cells[0]))]
    lines = []
    for row in cells:
        parts = []
        for j, v in enumerate(row):
            pad = " " * (widths[j] - _cjk_width(v))
            parts.append(v + pad if j == 0 else pad + v)
        lines.append("  ".join(parts).rstrip())
    return "\n".join(lines)


def _print_frame(frame, title: str) -> None:
    print(f"\n{title}")
    print(printable(aligned(frame)))


def cmd_validate(args: argparse.Namespace) -> int:
    from zqcampaign.errors import LedgerError

    try:
        camp = _load(args)
    except LedgerError as exc:
        print(printable(f"错误：{exc}"), file=sys.stderr)
        return 2
    issues = camp.issues
    summary = camp.summary.table
    if camp.projects.empty:
        print("没有读到任何项目：", file=sys.stderr)
        for msg in issues.loc[issues["severity"] != "info", "message"].head(20):
            print(printable(f"  {msg}"), file=sys.stderr)
        return 2
    counts = issues["severity"].value_counts()
    print(
        f"读取 {len(camp.files)} 个文件、{len(summary)} 个工作表：{int(summary['rows_read'].sum())} 行，"
        f"项目行 {int(summary['project_rows'].sum())}，结构行 {int(summary['structural_rows'].sum())}，"
        f"未计入 {int(summary['rejected_rows'].sum())}；项目 {len(camp.projects)} 个。"
    )
    print(
        f"问题：错误 {counts.get('error', 0)} 条，警告 {counts.get('warning', 0)} 条，"
        f"提示 {counts.get('info', 0)} 条。"
    )
    shown = issues if args.all else issues[issues["severity"] != "info"]
    if not shown.empty:
        from zqcampaign.output.tables import localise

        cols = ["severity", "code", "file", "sheet", "row", "column", "value", "message"]
        table = localise(shown[cols].head(args.limit)).drop(columns=["修改要求"], errors="ignore")
        _print_frame(table, labels.text("cli_issues_title"))
    return 1 if counts.get("error", 0) else 0


def cmd_status(args: argparse.Namespace) -> int:
    import pandas as pd

    camp = _load(args)
    camp.require_projects("统计完成情况")
    as_of = _as_of(camp, args.as_of)
    known = (
        camp.known_on(as_of)
        if camp.latest_report_date and as_of < camp.latest_report_date
        else camp
    )
    files = len(known.files) if len(known.files) else len(camp.files)
    print(
        f"项目 {len(known.projects)} 个，台账文件 {files} 个，统计截至 {labels.format_date(as_of)}"
    )
    table = known.completion(as_of=as_of, by="county")
    city = known.completion(as_of=as_of, by="city").assign(county=labels.text("city_total"))
    table = pd.concat([table, city[table.columns.intersection(city.columns)]], ignore_index=True)
    _print_frame(
        completion_display(table), labels.text("cli_status_title", date=labels.format_date(as_of))
    )
    return 0


def completion_display(table):
    """The completion table as the office reads it: Chinese headers, percentages."""
    out = table[["county", "total", "achieved"]].copy()
    for col in ("rate", "expected"):
        out[col] = table[col].map(lambda v: "—" if v != v else f"{v:.1%}")
    out["gap"] = table["gap"].map(lambda v: "—" if v != v else f"{v * 100:+.1f}")
    out["flag"] = table["flag"].map(labels.flag_name)
    out.columns = [
        labels.header(c) for c in ("county", "total", "achieved", "rate", "expected", "gap", "flag")
    ]
    return out


def cmd_report(args: argparse.Namespace) -> int:
    camp = _load(args)
    as_of = _as_of(camp, args.as_of)
    show = not args.quiet and sys.stderr.isatty()
    pack = camp.report(args.out, as_of=as_of, lang=args.lang, progress=show, pdf=not args.no_pdf)
    print(
        f"已生成简报（截至 {pack.as_of.date()}）：{pack.folder}/ 下 {len(pack.files)} 个文件，"
        f"幻灯片 {len(pack.slide_titles)} 页"
    )
    if pack.reported_cells:
        print(
            f"注意：{len(pack.reported_cells)} 个单元格的文字过长或含控制字符，见 report.xlsx 说明"
        )
    return 0


def cmd_template(args: argparse.Namespace) -> int:
    camp = _load(args)
    try:
        files = camp.templates(args.out, month=args.month, as_of=args.as_of)
    except ValueError as exc:
        print(f"错误：{exc}", file=sys.stderr)
        return 2
    print(f"已生成 {len(files)} 个县（市、区）的预填台账到 {args.out}/")
    return 0


def cmd_sample(args: argparse.Namespace) -> int:
    from zqcampaign.io.readers import SPREADSHEET_SUFFIXES
    from zqcampaign.sample import write_sample

    files = write_sample(Path(args.out), seed=args.seed)
    ledgers = [f for f in files if f.suffix.lower() in SPREADSHEET_SUFFIXES]
    print(f"已写入 {len(ledgers)} 个样例台账及说明文件到 {args.out}")
    return 0


def cmd_cache(args: argparse.Namespace) -> int:
    from zqcampaign import cache

    folder = cache.cache_folder()
    if folder is None:
        print(f"解析缓存已关闭（环境变量 {cache.ENV}）")
        return 0
    if args.clear:
        removed = cache.clear(folder)
        print(f"已清空解析缓存 {folder}：删除 {removed} 个缓存文件（其他文件未动）")
        return 0
    count, size = cache.usage(folder)
    print(
        f"解析缓存 {folder}：{count} 个缓存文件，共 {size / 1024**2:.1f} MB"
        f"（上限 {cache.MAX_BYTES / 1024**3:.0f} GB，超出时先删最久未用的）"
    )
    return 0


def cmd_calendar(args: argparse.Namespace) -> int:
    import pandas as pd

    from zqcampaign import load_config
    from zqcampaign.figures.supervision import supervision_days
    from zqcampaign.output.tables import coming_supervision_day, localise

    cfg = load_config(args.config)
    days = supervision_days(cfg)
    today = pd.Timestamp(args.today) if args.today else pd.Timestamp.today().normalize()
    nxt = coming_supervision_day(days.assign(date=days["date"]), today - pd.Timedelta(days=1))
    shown = days.copy()
    for col in ("nominal", "date"):
        shown[col] = shown[col].dt.strftime("%Y-%m-%d")
    shown["reason"] = shown["reason"].fillna("")
    shown[""] = [
        "" if nxt is None or d != nxt else labels.text("cli_next_day") for d in days["date"]
    ]
    _print_frame(localise(shown), labels.text("cli_calendar_title"))
    return 0


def cmd_columns(args: argparse.Namespace) -> int:
    """How every column of every sheet was understood (``Campaign.columns``), in Chinese."""
    from zqcampaign.schema import COLUMN_LABELS

    camp = _load(args)
    table = camp.columns
    if table.empty:
        print("没有读到任何台账表头。")
        return 1
    shown = table.copy()
    shown["column"] = [
        "（未读取）" if c == "ignored" else f"{COLUMN_LABELS.get(c, c)} [{c}]"
        for c in table["column"]
    ]
    names = {
        "file": "文件",
        "sheet": "工作表",
        "source_column": "列",
        "header": "表头",
        "column": "读作",
        "reason": "原因",
        "unit": "单位",
        "planned": "计划/实际",
        "values": "有值",
        "parsed": "已读取",
        "failed": "无法识别",
    }
    shown = shown[list(names)].rename(columns=names)
    ignored = (table["column"] == "ignored") & (table["reason"] != "序号")
    print(
        f"{len(table)} 列：读取 {int((~ignored).sum())} 列，未读取 {int(ignored.sum())} 列"
        f"（其中有内容的 {int((ignored & (table['values'] > 0)).sum())} 列）。"
        "如需改变读法，在 zqcampaign.toml 的 [columns] 中写明“表头 = 标准列名或 ignore”。"
    )
    _print_frame(shown, "各列读法：")
    return 0


class ChineseParser(argparse.ArgumentParser):
    """argparse with Chinese usage, section titles and error messages (exit code 2)."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("add_help", False)
        super().__init__(*args, **kwargs)
        self._positionals.title = "参数"
        self._optionals.title = "选项"
        self.add_argument("-h", "--help", action="help", help="显示本帮助并退出")

    def format_usage(self) -> str:
        return super().format_usage().replace("usage:", "用法：", 1)

    def format_help(self) -> str:
        return super().format_help().replace("usage:", "用法：", 1)

    def error(self, message: str):
        text = _chinese_error(message)
        self.print_usage(sys.stderr)
        print(f"{self.prog}：错误：{text}", file=sys.stderr)
        raise SystemExit(2)


def _chinese_error(message: str) -> str:
    import re

    rules = [
        (r"the following arguments are required: (.*)", "缺少必需的参数：{0}"),
        (
            r"argument (\S+): invalid choice: '?([^' ]*)'? \(choose from (.*)\)",
            "参数 {0} 的取值“{1}”无效，可选：{2}",
        ),
        (r"argument (\S+): invalid int value: '?([^']*)'?", "参数 {0} 应为整数，收到“{1}”"),
        (r"argument (\S+): expected one argument", "参数 {0} 后面需要一个值"),
        (r"unrecognized arguments: (.*)", "无法识别的参数：{0}（用 --help 查看可用选项）"),
        (r"invalid choice: '?([^' ]*)'? \(choose from (.*)\)", "命令“{0}”不存在，可选：{1}"),
    ]
    for pattern, template in rules:
        m = re.search(pattern, message)
        if m:
            return template.format(*[g.replace("'", "") for g in m.groups()])
    return message


def build_parser() -> argparse.ArgumentParser:
    from zqcampaign import __version__

    parser = ChineseParser(
        prog="zqcampaign",
        description="肇庆市制造业项目建设“大会战”台账分析。不带参数的命令使用 sample_data/ 样例数据。",
        epilog="退出码：0 完成；1 validate 发现需修改的错误；2 参数、日期、文件夹或配置有误，或未读到台账；130 被中断。",
    )
    parser.add_argument(
        "--version", action="version", version=f"zqcampaign {__version__}", help="显示版本号并退出"
    )
    sub = parser.add_subparsers(dest="command", required=True, title="命令", metavar="命令",
                                parser_class=ChineseParser)  # fmt: skip

    def common(p: argparse.ArgumentParser) -> None:
        p.add_argument("--quiet", action="store_true", help="不显示进度条")
        p.add_argument(
            "--no-cache",
            action="store_true",
            help="不用也不写解析缓存，所有台账重新解析（缓存位置：环境变量 ZQCAMPAIGN_CACHE，默认 ~/.cache/zqcampaign）",
        )
        p.add_argument(
            "--config",
            help="配置文件 zqcampaign.toml 或其所在文件夹（默认：数据文件夹中的配置，否则内置配置）",
        )

    p = sub.add_parser("validate", help="检查台账，列出需退回县区修改的问题")
    p.add_argument("source", nargs="?", help="台账文件夹或文件（默认 sample_data/）")
    p.add_argument("--all", action="store_true", help="也列出提示（info）级别的问题")
    p.add_argument("--limit", type=int, default=200, help="最多列出多少条问题（默认 200）")
    common(p)
    p.set_defaults(func=cmd_validate)

    p = sub.add_parser("status", help="读取台账并打印各县三类项目完成情况")
    p.add_argument("source", nargs="?", help="台账文件夹或文件（默认 sample_data/）")
    p.add_argument("--as-of", help="统计截至日期，如 2023-09-30（默认最新一期台账）")
    common(p)
    p.set_defaults(func=cmd_status)

    p = sub.add_parser("report", help="生成月度督导简报：幻灯片、工作簿、问题清单、图表")
    p.add_argument("source", nargs="?", help="台账文件夹或文件（默认 sample_data/）")
    p.add_argument("--as-of", help="简报截至日期，如 2023-11-30（默认最新一期台账）")
    p.add_argument("--out", default="briefing", help="输出文件夹（默认 briefing/）")
    p.add_argument(
        "--lang", choices=list(labels.LANGS), default="zh", help="语言：zh 中文（默认）或 en 英文"
    )
    p.add_argument(
        "--no-pdf", action="store_true", help="不生成 briefing.pdf（不调用 LibreOffice）"
    )
    common(p)
    p.set_defaults(func=cmd_report)

    p = sub.add_parser(
        "columns", help="列出每个工作表各列的读法（表头对应的标准列、单位、计划/实际）"
    )
    p.add_argument("source", nargs="?", help="台账文件夹或文件（默认 sample_data/）")
    common(p)
    p.set_defaults(func=cmd_columns)
    p = sub.add_parser("template", help="生成下月预填台账（每县一个 .xlsx），发给各县填报")
    p.add_argument("source", nargs="?", help="台账文件夹或文件（默认 sample_data/）")
    p.add_argument("--month", help="填报月份，如 2023-12（默认最新台账的下一个月）")
    p.add_argument("--as-of", help="依据哪一期台账预填，如 2023-11-30（默认最新一期）")
    p.add_argument("--out", default="templates", help="输出文件夹（默认 templates/）")
    common(p)
    p.set_defaults(func=cmd_template)

    p = sub.add_parser("sample", help="生成样例台账（2023年7-12月，11个县区）")
    p.add_argument("out", help="输出文件夹")
    p.add_argument("--seed", type=int, default=2023, help="随机种子（默认 2023）")
    p.set_defaults(func=cmd_sample)

    p = sub.add_parser("cache", help="查看或清空解析缓存（已解析过的台账再次读取时不必重新解析）")
    p.add_argument("--clear", action="store_true", help="删除全部缓存文件")
    p.set_defaults(func=cmd_cache)

    p = sub.add_parser("calendar", help="列出每月项目落地集中督导日（标出下一个督导日）")
    p.add_argument("--config", help="zqcampaign.toml 或其所在文件夹")
    p.add_argument("--today", help=argparse.SUPPRESS)
    p.set_defaults(func=cmd_calendar)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    from zqcampaign.errors import ZqError

    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        return int(args.func(args))
    except (ZqError, UserMistake) as exc:
        print(printable(f"错误：{exc}"), file=sys.stderr)
        return 2
    except BrokenPipeError:  # `zqcampaign calendar | head`: the reader has gone, stop quietly
        import os

        try:
            devnull = os.open(os.devnull, os.O_WRONLY)
            os.dup2(devnull, sys.stdout.fileno())
        except (OSError, ValueError):
            pass
        return 0
    except KeyboardInterrupt:
        print("已中断：未写入任何内容（原有的简报保持不变）", file=sys.stderr)
        return 130


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
