"""The ``zqcampaign`` command: validate ledgers, print the campaign status, write sample data."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from pathlib import Path

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


def _load(source: str | None, quiet: bool):
    from zqcampaign import load

    path = Path(source) if source else _default_source()
    return load(path, progress=not quiet and sys.stderr.isatty())


def _print_frame(frame, title: str) -> None:
    import pandas as pd

    print(f"\n{title}")
    with pd.option_context(
        "display.width", 200, "display.max_columns", 30, "display.max_rows", 200
    ):
        print(printable(frame.to_string(index=False)))


def cmd_validate(args: argparse.Namespace) -> int:
    from zqcampaign.errors import LedgerError

    try:
        camp = _load(args.source, args.quiet)
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
        cols = ["severity", "code", "file", "sheet", "row", "column", "value", "message"]
        _print_frame(shown[cols].head(args.limit), "问题清单：")
    return 1 if counts.get("error", 0) else 0


def cmd_status(args: argparse.Namespace) -> int:
    camp = _load(args.source, args.quiet)
    camp.require_projects("统计完成情况")
    as_of = camp.resolve_as_of(args.as_of)
    print(repr(camp))
    table = camp.completion(as_of=as_of, by="county")
    _print_frame(completion_display(table), f"三类项目完成情况（截至 {as_of.date()}）：")
    return 0


FLAG_NAMES = {"blue": "蓝", "yellow": "黄", "red": "红"}


def completion_display(table):
    """The completion table as the office reads it: Chinese headers, percentages."""
    out = table[["county", "total", "achieved"]].copy()
    for col in ("rate", "expected"):
        out[col] = table[col].map(lambda v: "—" if v != v else f"{v:.1%}")
    out["gap"] = table["gap"].map(lambda v: "—" if v != v else f"{v * 100:+.1f}")
    out["flag"] = table["flag"].map(FLAG_NAMES).fillna("—")
    out.columns = [
        "县（市、区）",
        "项目数",
        "已完成",
        "完成率",
        "序时目标",
        "差距（百分点）",
        "标识",
    ]
    return out


def cmd_report(args: argparse.Namespace) -> int:
    camp = _load(args.source, args.quiet)
    show = not args.quiet and sys.stderr.isatty()
    pack = camp.report(args.out, as_of=args.as_of, lang=args.lang, progress=show)
    print(
        f"已生成简报（截至 {pack.as_of.date()}）：{pack.folder}/ 下 {len(pack.files)} 个文件，"
        f"幻灯片 {len(pack.slide_titles)} 页"
    )
    if pack.reported_cells:
        print(
            f"注意：{len(pack.reported_cells)} 个单元格的文字过长或含控制字符，见 report.xlsx 说明"
        )
    return 0


def cmd_sample(args: argparse.Namespace) -> int:
    from zqcampaign.io.readers import SPREADSHEET_SUFFIXES
    from zqcampaign.sample import write_sample

    files = write_sample(Path(args.out), seed=args.seed)
    ledgers = [f for f in files if f.suffix.lower() in SPREADSHEET_SUFFIXES]
    print(f"已写入 {len(ledgers)} 个样例台账及说明文件到 {args.out}")
    return 0


def cmd_calendar(args: argparse.Namespace) -> int:
    from zqcampaign import load_config
    from zqcampaign.figures.supervision import supervision_days

    cfg = load_config(args.config)
    _print_frame(supervision_days(cfg), "项目落地集中督导日：")
    return 0


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="zqcampaign",
        description="肇庆市制造业项目建设“大会战”台账分析。不带参数的命令使用 sample_data/ 样例数据。",
    )
    sub = parser.add_subparsers(dest="command", required=True)

    def common(p: argparse.ArgumentParser) -> None:
        p.add_argument("--quiet", action="store_true", help="不显示进度条")

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
    p.add_argument("--lang", choices=["zh", "en"], default="zh", help="语言（默认 zh）")
    common(p)
    p.set_defaults(func=cmd_report)

    p = sub.add_parser("sample", help="生成样例台账（2023年7-12月，11个县区）")
    p.add_argument("out", help="输出文件夹")
    p.add_argument("--seed", type=int, default=2023, help="随机种子（默认 2023）")
    p.set_defaults(func=cmd_sample)

    p = sub.add_parser("calendar", help="列出每月项目落地集中督导日")
    p.add_argument("--config", help="zqcampaign.toml 或其所在文件夹")
    p.set_defaults(func=cmd_calendar)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    from zqcampaign.errors import ZqError

    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        return int(args.func(args))
    except ZqError as exc:
        print(printable(f"错误：{exc}"), file=sys.stderr)
        return 2
    except KeyboardInterrupt:  # Ctrl+C, or SIGTERM while a pack is written
        print("已中断：未写入任何内容（原有的简报保持不变）", file=sys.stderr)
        return 130


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
