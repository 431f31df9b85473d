"""The monthly briefing pack: deck, workbook, issues list, charts, tables and manifest.

``camp.report("briefing/")`` (or ``zqcampaign report``) writes::

    briefing/
      briefing.pptx    slides for the leaders (16:9)
      briefing.pdf     the same slides as PDF, Chinese font embedded (needs LibreOffice)
      report.xlsx      汇总, 项目清单, 目标, 问题清单, 督导安排, 督导日程, 变化, 分类完成情况,
                       台账质量, 推进阶段, 新增问题, 推进中, 已销号 (the problem register)
      letters/*.docx   督办函 / 提醒函 per county with red or yellow projects and per group
      phone/*.png      a page for the phone per county and per group (1080 px wide)
      issues/          <县区>.xlsx per county, only its problems, ready to send; 全市台账问题汇总.xlsx
      charts/*.png     every chart at 200 dpi
      tables/*.csv     every table, UTF-8 with BOM, formula-like text neutralised
      manifest.json    as-of date, version, configuration, input files with SHA-256

Writing it is shared between this process and forked helpers (:mod:`.parallel`): the
helpers draw the charts while this process lays out the deck, LibreOffice (started early)
converts the deck while the helpers write the phone pages, letters, workbooks and tables.

The pack is built in a sibling folder and moved into place at the end, so a failed or
interrupted run leaves the previous pack as it was. The folder it replaces must be new, empty
or a previous pack (:func:`check_out_dir`): nothing the pack did not write is ever deleted.
"""

from __future__ import annotations

import contextlib
import functools
import json
import os
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pandas as pd

from zqcampaign import labels
from zqcampaign.issues import Problem
from zqcampaign.output.phone import write_phone_pages
from zqcampaign.output.tables import BriefingTables, briefing_tables, localise

if TYPE_CHECKING:
    from zqcampaign.campaign import Campaign
    from zqcampaign.config import Config

__all__ = ["LANGS", "Pack", "check_out_dir", "write_report"]

LANGS = labels.LANGS


@dataclass(frozen=True)
class Pack:
    """What :func:`write_report` wrote."""

    folder: Path
    as_of: pd.Timestamp
    files: tuple[Path, ...]
    slide_titles: tuple[str, ...]
    reported_cells: tuple[Problem, ...]
    warnings: tuple[str, ...] = ()
    placed: tuple[Any, ...] = ()  # every deck shape's measured rectangle (output.slides.Placed)

    def __repr__(self) -> str:
        return f"<Pack {self.folder} 截至 {self.as_of.date()}: {len(self.files)} 个文件, {len(self.slide_titles)} 页幻灯片>"


def _render_chart(camp: Campaign, name: str, as_of: pd.Timestamp, lang: str, folder: Path) -> Path:
    """One chart through :func:`zqcampaign.charts.render_all`, at the size the deck places
    it (``"body"``), as ``folder/<name>.png``."""
    from zqcampaign import charts

    written = charts.render_all(
        camp, folder, as_of=as_of, lang=lang, size="body", charts=[name], formats=("png",)
    )
    return written[name][0]


def _letter_paths(camp: Campaign, folder: Path, as_of: pd.Timestamp) -> list[Path]:
    """The pack's letters (督办函 / 提醒函) in ``folder``."""
    from zqcampaign.output.letters import write_letters

    return [letter.path for letter in write_letters(camp, folder, as_of=as_of)]


def _workbooks(
    tables: BriefingTables, folder: Path, config: Config, lang: str
) -> tuple[list[Path], list[Problem]]:
    """report.xlsx and issues/<县区>.xlsx; the files, and the cells reported while writing."""
    from zqcampaign.output.workbook import write_issues_files, write_report_workbook

    reported = write_report_workbook(folder / "report.xlsx", tables, lang=lang)
    issue_files, notes = write_issues_files(
        folder / "issues", tables.issues, tables, config, lang=lang
    )
    return [folder / "report.xlsx", *issue_files], [*reported, *notes]


def _csv_tables(tables: BriefingTables, folder: Path, lang: str) -> list[Path]:
    """Every table as ``folder/<name>.csv``."""
    from zqcampaign.output.safeio import write_csv

    folder.mkdir()
    paths = []
    for name, frame in {**tables.sheets(), "issues": tables.issues}.items():
        path = folder / f"{name}.csv"
        write_csv(localise(frame, lang), path)
        paths.append(path)
    return paths


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


#: What a pack writes: its files, and its folders with the kinds of file in them.
PACK_FILES = frozenset(
    {"briefing.pptx", "briefing.pdf", "report.xlsx", "issues.xlsx", "manifest.json"}
)
PACK_FOLDERS = {
    "charts": (".png", ".svg", ".pdf"),
    "tables": (".csv",),
    "issues": (".xlsx",),
    "letters": (".docx",),
    "phone": (".png",),
}
_SHOWN = 5


def _foreign_entries(folder: Path) -> list[str]:
    """What in a previous pack folder the pack did not write (litter aside)."""
    from zqcampaign.io.discover import is_litter

    foreign = []
    for entry in sorted(folder.iterdir()):
        name = entry.name
        if is_litter(entry) or name == ".zqcampaign-building":
            continue
        if name in PACK_FILES and entry.is_file() and not entry.is_symlink():
            continue
        if name in PACK_FOLDERS and entry.is_dir() and not entry.is_symlink():
            for sub in sorted(entry.iterdir()):
                ok = sub.is_file() and not sub.is_symlink()
                if not (is_litter(sub) or (ok and sub.suffix.lower() in PACK_FOLDERS[name])):
                    foreign.append(f"{name}/{sub.name}")
            continue
        foreign.append(name + ("/" if entry.is_dir() else ""))
    return foreign


def _source_folders(camp: Campaign) -> set[Path]:
    """The folders the campaign was loaded from (each file's root and its own folder)."""
    folders = set()
    for f in camp.files.itertuples():
        path = Path(str(f.path))
        folders.add(path.parent)
        shown = Path(str(f.file))
        if len(shown.parts) > 1 and path.parts[-len(shown.parts) :] == shown.parts:
            folders.add(Path(*path.parts[: -len(shown.parts)]))
    out = set()
    for folder in folders:
        try:
            out.add(folder.resolve())
        except (OSError, RuntimeError):
            out.add(folder.absolute())
    return out


def check_out_dir(out_dir: str | Path, camp: Campaign | None = None) -> None:
    """Refuse an output folder the pack must not replace.

    Allowed: a folder that does not exist yet, an empty folder, or a previous pack (a
    ``manifest.json`` written by zqcampaign, and only files a pack writes). Refused with an
    :class:`~zqcampaign.errors.OutputError` saying what is there and what to do:
    a file, a folder with anything else in it, and a folder equal to or inside a folder the
    ledgers were read from (the pack would be read back as ledgers next month).
    """
    from zqcampaign.errors import OutputError
    from zqcampaign.io.discover import is_pack_manifest

    out = Path(out_dir)
    try:
        target = out.resolve()
    except (OSError, RuntimeError) as exc:
        raise OutputError(out, f"路径无法解析（{exc}）") from None
    if camp is not None:
        for src in sorted(_source_folders(camp)):
            if target == src or target.is_relative_to(src):
                where = "就是" if target == src else "位于"
                inside = "" if target == src else " 之内"
                raise OutputError(
                    out,
                    f"输出文件夹{where}台账所在的文件夹 {src}{inside}，写入会覆盖或混入台账；"
                    "请换一个台账文件夹以外的新文件夹作为输出位置（例如 --out 简报）",
                )
    if out.is_symlink():
        raise OutputError(
            out, "这是一个符号链接，为避免改动链接指向的内容，未写入；请换一个新文件夹"
        )
    if not out.exists():
        return
    if not out.is_dir():
        raise OutputError(out, "同名的文件已存在（不是文件夹）；请换一个新文件夹作为输出位置")
    try:
        entries = [e for e in out.iterdir()]
        if not entries:
            return
        foreign = _foreign_entries(out) if is_pack_manifest(out / "manifest.json") else None
    except OSError as exc:
        raise OutputError(out, f"无法查看文件夹内容（{exc.strerror or exc}）") from None
    if foreign is not None:
        if not foreign:
            return
        shown = "、".join(foreign[:_SHOWN]) + ("等" if len(foreign) > _SHOWN else "")
        raise OutputError(
            out,
            f"这是以前生成的简报文件夹，但其中还有 {len(foreign)} 项不是本程序生成的内容"
            f"（{shown}）；重新生成会删除它们，因此未写入。请把这些文件移到别处，"
            "或换一个新文件夹作为输出位置",
        )
    names = sorted(e.name + ("/" if e.is_dir() else "") for e in entries)
    shown = "、".join(names[:_SHOWN]) + ("等" if len(names) > _SHOWN else "")
    raise OutputError(
        out,
        f"该文件夹已有 {len(names)} 项内容（{shown}），不是本程序生成的简报；"
        "为避免删除这些文件，未写入。请换一个新的或空的文件夹作为输出位置（例如 --out 简报）",
    )


def write_report(
    camp: Campaign,
    out_dir: str | Path,
    *,
    as_of: object = None,
    lang: str = "zh",
    workers: int | None = None,
    progress: bool = False,
    pdf: bool = True,
) -> Pack:
    """Write the briefing pack for ``as_of`` into ``out_dir`` (replacing a previous pack).

    Parameters
    ----------
    camp
        The loaded campaign.
    out_dir
        The pack's folder; built aside and swapped in when complete. It must be new, empty
        or a previous pack (:func:`check_out_dir`), else :class:`OutputError`.
    as_of
        The briefing date; ``None``: the latest report date. Ledgers reported after it are
        left out (the pack shows what was known on that date).
    lang
        ``"zh"`` (default) or ``"en"`` for headers, slide text and charts.
    workers
        Processes sharing the work: this one and ``workers - 1`` forked helpers drawing the
        charts, then writing the phone pages, letters, workbooks and tables while LibreOffice
        converts the deck (default: the machine's cores, at most 4; on macOS and Windows
        everything runs in this process).
    progress
        Show a progress bar (tqdm) over the steps.
    pdf
        Also write briefing.pdf with LibreOffice (skipped with a warning when it is not
        installed).
    """
    from zqcampaign.output.safeio import atomic_dir

    if lang not in LANGS:
        raise ValueError(f"lang must be one of {', '.join(LANGS)}; got {lang!r}")
    camp.require_projects("生成简报")
    check_out_dir(out_dir, camp)
    when = camp.resolve_as_of(as_of)
    known = (
        camp.known_on(when)
        if camp.latest_report_date is not None and when < camp.latest_report_date
        else camp
    )
    workers = workers if workers is not None else max(1, min(4, os.cpu_count() or 1))

    steps = ["tables", "charts and deck", "pdf", "workbooks, letters, phone pages"]
    bar = None
    if progress:
        from tqdm.auto import tqdm

        bar = tqdm(total=len(steps), desc="生成简报", unit="步")

    def step() -> None:
        if bar is not None:
            bar.update(1)

    from zqcampaign import charts as chart_module
    from zqcampaign.charts import fonts
    from zqcampaign.output.parallel import SharedWork, can_fork

    names = list(chart_module.CHARTS)
    with atomic_dir(Path(out_dir)) as tmp, contextlib.ExitStack() as running:
        warnings = camp.warnings(when, lang)  # on the title slide
        not_converted: list[str] = []  # why there is no briefing.pdf (not on the slide)
        conversion = None
        if pdf:  # LibreOffice starts up now and converts the deck once it is written
            from zqcampaign.output.pdf import PdfConversion, PdfUnavailable

            try:
                conversion = running.enter_context(PdfConversion.prepare())
            except PdfUnavailable as exc:
                not_converted.append(str(exc))
        running.enter_context(known.remembering())  # the pack asks for figures many times
        tables = briefing_tables(known, when)
        step()
        if workers > 1 and can_fork():
            fonts.preload()  # read once, inherited by the helpers
        # This process and forked helpers share the work: first the charts, which the deck
        # needs; then, while LibreOffice converts the deck, the phone pages, letters,
        # workbooks and tables.
        draw = functools.partial(_render_chart, known, as_of=when, lang=lang, folder=tmp / "charts")
        shared = running.enter_context(
            SharedWork(
                [functools.partial(draw, name) for name in names],
                [
                    functools.partial(write_phone_pages, known, tmp / "phone", as_of=when),
                    functools.partial(_letter_paths, known, tmp / "letters", when),
                    functools.partial(_workbooks, tables, tmp, camp.config, lang),
                    functools.partial(_csv_tables, tables, tmp / "tables", lang),
                ],
                helpers=workers - 1,
            )
        )
        from zqcampaign.output.deck import write_deck

        # the deck is laid out while the helpers draw; this process joins in the drawing
        # when only the pictures are left to place
        pngs = [tmp / "charts" / f"{name}.png" for name in names]
        drawn: list[Path] = []
        deck = write_deck(
            tmp / "briefing.pptx",
            tables,
            list(zip(names, pngs, strict=True)),
            camp.config,
            lang=lang,
            warnings=warnings,
            charts_ready=lambda: drawn.extend(shared.results()),
        )
        if drawn != pngs:  # pragma: no cover - render_all names its files so
            raise RuntimeError(f"charts written as {drawn}, expected {pngs}")
        if conversion is not None:  # in the background while the rest is written
            conversion.convert(tmp / "briefing.pptx", tmp / "briefing.pdf")
        step()
        (tmp / "manifest.json").write_text(
            json.dumps(_manifest(camp, known, when, lang), ensure_ascii=False, indent=2),
            encoding="utf-8",
        )
        # While LibreOffice converts, the helpers alone go on (a third busy process on two
        # cores would slow the conversion); this process joins them once it is done.
        rest = None if shared.helpers else shared.results()
        pdfs = []
        if conversion is not None:
            try:
                pdfs.append(conversion.result())
            except PdfUnavailable as exc:
                not_converted.append(str(exc))
        step()
        phone, letters, (workbooks, reported), csvs = rest if rest else shared.results()
        step()
        written = [
            *csvs,
            *pngs,
            *workbooks,
            tmp / "briefing.pptx",
            *pdfs,
            *letters,
            *phone,
            tmp / "manifest.json",
        ]
    if bar is not None:
        bar.close()
    out = Path(out_dir)
    return Pack(
        folder=out,
        as_of=when,
        files=tuple(out / p.relative_to(tmp) for p in written),
        slide_titles=tuple(deck.titles),
        reported_cells=tuple(reported),
        warnings=(*warnings, *not_converted),
        placed=tuple(deck.placed),
    )
