"""The monthly briefing pack: deck, workbook, issues list, charts, tables and manifest.

``camp.report("briefing/")`` (or ``zqcampaign report``) writes::

    briefing/
      briefing.pptx    slides for the leaders (16:9)
      report.xlsx      汇总, 项目清单, 目标, 问题清单, 督导安排, 督导日程, 变化, 分类完成情况,
                       新增问题, 推进中, 已销号 (the problem register's lists)
      letters/*.docx   督办函 / 提醒函 per county with red or yellow projects and per group
      phone/*.png      a page for the phone per county and per group (1080 px wide)
      issues.xlsx      the data problems to send back, one sheet per county
      charts/*.png     every chart at 200 dpi
      tables/*.csv     every table, UTF-8 with BOM, formula-like text neutralised
      manifest.json    as-of date, version, configuration, input files with SHA-256

The pack is built in a sibling folder and moved into place at the end, so a failed or
interrupted run leaves the previous pack as it was.
"""

from __future__ import annotations

import json
import os
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pandas as pd

from zqcampaign.io.preflight import CellNote
from zqcampaign.output.tables import briefing_tables, localise

if TYPE_CHECKING:
    from zqcampaign.campaign import Campaign

__all__ = ["LANGS", "Pack", "write_report"]

LANGS = ("zh", "en")
CHART_TITLES = {
    "zh": {
        "completion_by_county": "各县（市、区）三类项目完成率",
        "completion_by_category": "分类别完成情况",
        "progress_trend": "完成率走势",
        "flag_matrix": "项目标识月度分布",
        "investment_by_county": "年度投资完成情况",
        "ranking": "县（市、区）排名",
        "cycle_times": "项目推进周期",
        "stage_funnel": "全市项目推进阶段",
        "project_timeline": "重点项目计划与实际进度",
        "targets_scorecard": "目标完成情况一览",
    },
    "en": {},
}


@dataclass(frozen=True)
class Pack:
    """What :func:`write_report` wrote."""

    folder: Path
    as_of: pd.Timestamp
    files: tuple[Path, ...]
    slide_titles: tuple[str, ...]
    reported_cells: tuple[CellNote, ...]

    def __repr__(self) -> str:
        return f"<Pack {self.folder} 截至 {self.as_of.date()}: {len(self.files)} 个文件, {len(self.slide_titles)} 页幻灯片>"


def _render_chart(args: tuple[Campaign, str, pd.Timestamp, str, str]) -> str:
    camp, name, as_of, lang, folder = args
    from zqcampaign import charts

    fig = charts.CHARTS[name](camp, as_of=as_of, lang=lang)
    written = charts.save(fig, Path(folder) / name, formats=("png",))
    fig.clear()
    return str(written[0])


def _render_charts(
    camp: Campaign, as_of: pd.Timestamp, lang: str, folder: Path, *, workers: int
) -> list[tuple[str, Path]]:
    from zqcampaign import charts

    names = list(charts.CHARTS)
    jobs = [(camp, name, as_of, lang, str(folder)) for name in names]
    if workers > 1:
        with ProcessPoolExecutor(max_workers=workers) as pool:
            paths = list(pool.map(_render_chart, jobs))
    else:
        paths = [_render_chart(job) for job in jobs]
    titles = CHART_TITLES.get(lang, {})
    return [
        (titles.get(n, n.replace("_", " ")), Path(p)) for n, p in zip(names, paths, strict=True)
    ]


def _manifest(camp: Campaign, known: Campaign, as_of: pd.Timestamp, lang: str) -> dict[str, Any]:
    """Trace of the pack: every input file and sheet (``used`` when its report date is on or
    before ``as_of``), the configuration, and the counts of what the pack used."""
    from importlib.metadata import version

    __version__ = version("zqcampaign")

    summary = camp.summary.table
    files = []
    for f in camp.files.itertuples():
        part = summary[summary["file"] == f.file]
        files.append(
            {
                "file": f.file,
                "sha256": f.sha256,
                "format": f.format,
                "error": f.error,
                "sheets": [
                    {
                        "sheet": s.sheet,
                        "county": s.county,
                        "report_date": None
                        if pd.isna(s.report_date)
                        else s.report_date.date().isoformat(),
                        "rows_read": int(s.rows_read),
                        "project_rows": int(s.project_rows),
                        "structural_rows": int(s.structural_rows),
                        "rejected_rows": int(s.rejected_rows),
                        "used": bool(pd.notna(s.report_date) and s.report_date <= as_of),
                    }
                    for s in part.itertuples()
                ],
            }
        )
    return {
        "as_of": as_of.date().isoformat(),
        "lang": lang,
        "zqcampaign_version": __version__,
        "generated_at": pd.Timestamp.now().isoformat(timespec="seconds"),
        "config_source": camp.config.source,
        "config": camp.config.to_dict(),
        "inputs": files,
        "counts": {
            "projects": len(known.projects),
            "snapshots": len(known.snapshots),
            "issues": {k: int(v) for k, v in known.issues["severity"].value_counts().items()},
        },
    }


def write_report(
    camp: Campaign,
    out_dir: str | Path,
    *,
    as_of: object = None,
    lang: str = "zh",
    workers: int | None = None,
    progress: bool = False,
) -> Pack:
    """Write the briefing pack for ``as_of`` into ``out_dir`` (replacing a previous pack).

    Parameters
    ----------
    camp
        The loaded campaign.
    out_dir
        The pack's folder; built aside and swapped in when complete.
    as_of
        The briefing date; ``None``: the latest report date. Ledgers reported after it are
        left out (the pack shows what was known on that date).
    lang
        ``"zh"`` (default) or ``"en"`` for headers, slide text and charts.
    workers
        Processes rendering charts in parallel (default: the machine's cores, at most 4).
    progress
        Show a progress bar (tqdm) over the steps.
    """
    from zqcampaign.output.safeio import atomic_dir, write_csv

    if lang not in LANGS:
        raise ValueError(f"lang must be one of {', '.join(LANGS)}; got {lang!r}")
    when = camp.resolve_as_of(as_of)
    known = (
        camp.known_on(when)
        if camp.latest_report_date is not None and when < camp.latest_report_date
        else camp
    )
    workers = workers if workers is not None else max(1, min(4, os.cpu_count() or 1))

    steps = ["tables", "charts", "workbooks", "deck", "letters", "manifest"]
    bar = None
    if progress:
        from tqdm.auto import tqdm

        bar = tqdm(total=len(steps), desc="生成简报", unit="步")

    def step() -> None:
        if bar is not None:
            bar.update(1)

    written: list[Path] = []
    with atomic_dir(Path(out_dir)) as tmp:
        tables = briefing_tables(known, when)
        (tmp / "tables").mkdir()
        all_tables = {**tables.sheets(), "issues": tables.issues}
        for name, frame in all_tables.items():
            path = tmp / "tables" / f"{name}.csv"
            write_csv(localise(frame, lang), path)
            written.append(path)
        step()
        charts = _render_charts(known, when, lang, tmp / "charts", workers=workers)
        written += [p for _, p in charts]
        step()
        from zqcampaign.output.workbook import write_issues_workbook, write_report_workbook

        reported = write_report_workbook(tmp / "report.xlsx", tables, lang=lang)
        reported += write_issues_workbook(tmp / "issues.xlsx", known.issues, lang=lang)
        written += [tmp / "report.xlsx", tmp / "issues.xlsx"]
        step()
        from zqcampaign.output.deck import write_deck

        titles = write_deck(tmp / "briefing.pptx", tables, charts, camp.config, lang=lang)
        written.append(tmp / "briefing.pptx")
        step()
        from zqcampaign.output.letters import write_pack_letters

        written += write_pack_letters(known, tmp, when)
        step()
        manifest = _manifest(camp, known, when, lang)
        (tmp / "manifest.json").write_text(
            json.dumps(manifest, ensure_ascii=False, indent=2), encoding="utf-8"
        )
        written.append(tmp / "manifest.json")
        step()
    if bar is not None:
        bar.close()
    out = Path(out_dir)
    return Pack(
        folder=out,
        as_of=when,
        files=tuple(out / p.relative_to(tmp) for p in written),
        slide_titles=tuple(titles),
        reported_cells=tuple(reported),
    )
