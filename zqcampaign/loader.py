"""``zq.load``: ledger files -> :class:`~zqcampaign.campaign.Campaign`.

Walks a folder (or takes a file or a list), reads every sheet of every ledger, assembles
one snapshot row per project per report date, derives stages from the dates, and builds
the project table (baseline category + latest state). A file that cannot be read becomes
an error issue; the rest still loads.
"""

from __future__ import annotations

import dataclasses
import hashlib
import itertools
import os
import sys
from collections.abc import Callable, Iterable, Mapping
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from zqcampaign.campaign import Campaign, LoadSummary
from zqcampaign.config import CONFIG_FILENAME, Config, load_config
from zqcampaign.errors import LedgerError, NoLedgerFoundError
from zqcampaign.io.preflight import col_letters, is_litter
from zqcampaign.io.readers import SPREADSHEET_SUFFIXES, read_workbook
from zqcampaign.model.stages import achieved_date, planned_goal_date, stage_index, stage_label
from zqcampaign.parse.bodies import NAME_KEY, parse_bodies
from zqcampaign.parse.columns import ParseMemo
from zqcampaign.parse.sheet_result import ISSUE_COLUMNS, SheetResult, make_issue
from zqcampaign.parse.sheet_top import Hint, SheetScan, date_hint, scan_sheet
from zqcampaign.parse.values import AliasIndex, find_county
from zqcampaign.schema import CANONICAL_COLUMNS, CATEGORIES, CATEGORY_GOAL, MILESTONES, PLANNED
from zqcampaign.text import normalize_label

__all__ = ["ledger_files", "load"]

SEVERITY_ORDER = {"error": 0, "warning": 1, "info": 2}
BATCH_ROWS = 20_000  # body rows parsed together (bounds the raw cells held in memory)
PARALLEL_MIN_FILES = 64  # fewer files are read in this process
MAX_WORKERS = 4
SMALLEST_PART = 16  # the last parts a worker reads hold 1/16 of its share of the bytes
FILE_COLUMNS = ("file", "path", "format", "sha256", "sheets", "error")


def ledger_files(
    source: str | Path | Iterable[str | Path],
) -> tuple[Path | None, list[Path], list[Path]]:
    """(root folder, ledger files, skipped litter files) for a folder, a file or a list."""
    if isinstance(source, str | Path):
        src = Path(source)
        if src.is_dir():
            files, litter = [], []
            for p in sorted(src.rglob("*")):
                if not p.is_file():
                    continue
                rel_parts = p.relative_to(src).parts
                if any(
                    part.startswith(".") and part not in (".", "..") for part in rel_parts[:-1]
                ) or ("__MACOSX" in rel_parts):
                    litter.append(p)
                    continue
                if is_litter(p):
                    litter.append(p)
                elif p.suffix.lower() in SPREADSHEET_SUFFIXES:
                    files.append(p)
            return src, files, litter
        if src.is_file():
            return src.parent, [src], []
        raise NoLedgerFoundError(src, "路径不存在")
    paths = [Path(p) for p in source]
    missing = [p for p in paths if not p.is_file()]
    if missing:
        raise NoLedgerFoundError(missing[0], "文件不存在")
    root = Path(*_common_parts(paths)) if paths else None
    return root, paths, []


def _common_parts(paths: list[Path]) -> tuple[str, ...]:
    parts = [p.resolve().parent.parts for p in paths]
    common = []
    for group in zip(*parts, strict=False):
        if len(set(group)) != 1:
            break
        common.append(group[0])
    return tuple(common)


def _display_name(
    path: Path,
    root: Path | None,
    resolved_root: Path | None = None,
    resolved_parent: Path | None = None,
) -> str:
    if root is not None:
        if resolved_parent is not None and not path.is_symlink():
            resolved = resolved_parent / path.name  # what path.resolve() gives, cheaper
        else:
            resolved = path.resolve()
        try:
            return resolved.relative_to(resolved_root or root.resolve()).as_posix()
        except ValueError:
            pass
    return path.name


def _sha256(path: Path) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


# ---------------------------------------------------------------------------------------
# reading files: one part of the file list, in this process or in a worker process


@dataclasses.dataclass(frozen=True)
class _Context:
    """What every part needs: the root folder (for file names) and the county aliases."""

    root: Path | None
    resolved_root: Path | None
    aliases: AliasIndex


@dataclasses.dataclass
class _Part:
    """What reading some files gave, in file order. Issue keys number the sheets of the
    part from 0: ``(sheet, phase, column, row or sequence)``."""

    keyed: list[tuple[tuple[int, int, int, int], dict[str, Any]]]
    results: list[SheetResult]
    chunks: list[pd.DataFrame]
    files: list[dict[str, Any]]


class _PartReader:
    """Reads files one after another: each file's sheets are scanned at once, their body
    rows parsed together in batches of about :data:`BATCH_ROWS` rows."""

    def __init__(self, context: _Context, memo: ParseMemo | None = None):
        self.context = context
        self.part = _Part([], [], [], [])
        self.scans: list[SheetScan] = []
        self.batch_start = 0  # scans[batch_start:] wait for parse_bodies
        self.batch_rows = 0
        self.memo = memo or ParseMemo()
        self.seq = itertools.count()
        self.folders: dict[Path, tuple[Path, tuple[Hint, Hint], str | None]] = {}

    def read(self, files: Iterable[Path], tick: Callable[[], Any] | None = None) -> _Part:
        for path in files:
            self.read_file(path)
            if tick is not None:
                tick()
        self.flush()
        self.part.results = [scan.result for scan in self.scans]
        return self.part

    def flush(self) -> None:
        batch = self.scans[self.batch_start :]
        records, found = parse_bodies(batch, self.context.aliases, self.memo)
        for scan in batch:  # the raw cells are not needed any more
            scan.body = []
        if len(records):
            self.part.chunks.append(records)
        self.part.keyed.extend(((k[0] + self.batch_start, *k[1:]), i) for k, i in found)
        self.batch_start, self.batch_rows = len(self.scans), 0

    def issue(self, phase: int, issue: dict[str, Any]) -> None:
        """An issue of the file being read (phase -3) or of its next sheet (-2, -1)."""
        self.part.keyed.append(((len(self.scans), phase, 0, next(self.seq)), issue))

    def folder(self, parent: Path) -> tuple[Path, tuple[Hint, Hint], str | None]:
        """A folder's resolved path, its county and date hints, and the prefix of the names
        of its files under the root (None: not under it); once per folder."""
        if parent not in self.folders:
            ctx = self.context
            resolved = parent.resolve()
            in_subfolder = ctx.root is None or resolved != ctx.resolved_root
            name = parent.name if in_subfolder else ""
            hints = (
                Hint("folder", find_county(name, ctx.aliases)),
                date_hint("folder", name) if name else Hint("folder", None),
            )
            prefix = None
            if ctx.resolved_root is not None and resolved.is_relative_to(ctx.resolved_root):
                under = resolved.relative_to(ctx.resolved_root).as_posix()
                prefix = "" if under == "." else under + "/"
            self.folders[parent] = (resolved, hints, prefix)
        return self.folders[parent]

    def read_file(self, path: Path) -> None:
        ctx = self.context
        resolved_dir, folder_hints, prefix = self.folder(path.parent)
        if prefix is not None and not os.path.islink(path):
            shown = prefix + path.name  # what _display_name gives, cheaper
        else:
            shown = _display_name(path, ctx.root, ctx.resolved_root, resolved_dir)
        info: dict[str, Any] = dict.fromkeys(FILE_COLUMNS)
        info.update(file=shown, path=str(path), sheets=0)
        self.part.files.append(info)
        try:
            info["sha256"] = _sha256(path)
            wb = read_workbook(path)
        except LedgerError as exc:
            info["error"] = exc.code
            self.issue(
                -3, make_issue("error", exc.code, str(exc), file=shown, value=exc.detail or None)
            )
            return
        except OSError as exc:
            info["error"] = "unreadable_file"
            self.issue(
                -3,
                make_issue("error", "unreadable_file", f"文件无法打开：{exc.strerror}", file=shown),
            )
            return
        info["format"] = wb.format
        info["sheets"] = len(wb.sheets)
        for note in wb.notes:
            self.issue(
                -3,
                make_issue(
                    note.severity,
                    note.code,
                    note.message,
                    file=shown,
                    sheet=note.sheet,
                    row=note.row,
                    column=None if note.column is None else col_letters(note.column),
                    value=note.value,
                ),
            )
        found_ledger = False
        for raw in wb.sheets:
            if raw.visible != "visible":
                self.issue(
                    -2,
                    make_issue(
                        "warning",
                        "hidden_sheet",
                        f"工作表“{raw.name}”是隐藏的，已照常读取；如不应计入请删除该工作表",
                        file=shown,
                        sheet=raw.name,
                    ),
                )
            scan = scan_sheet(
                raw, file=shown, path=path, aliases=ctx.aliases, folder_hints=folder_hints
            )
            for found in scan.issues:
                self.issue(-1, found)
            self.scans.append(scan)
            self.batch_rows += len(scan.body)
            found_ledger = found_ledger or scan.result.has_header
        del wb
        if self.batch_rows >= BATCH_ROWS:
            self.flush()
        if not found_ledger:
            info["error"] = "no_ledger"
            self.issue(
                -3,
                make_issue(
                    "error",
                    "no_ledger",
                    "文件中没有找到台账（任何工作表都没有“项目名称”等表头），未读取；请确认报送的是项目台账",
                    file=shown,
                ),
            )


_worker_memo: ParseMemo | None = None  # in a worker process: shared by the parts it reads


def _start_worker() -> None:
    global _worker_memo
    _worker_memo = ParseMemo()


def _read_part(files: list[Path], context: _Context) -> _Part:
    return _PartReader(context, _worker_memo).read(files)


def _split(files: list[Path], workers: int) -> list[list[Path]]:
    """Consecutive runs of files (file order kept) for ``workers`` processes, by bytes:
    each run half of a worker's share of what is left, down to 1/:data:`SMALLEST_PART`
    of a worker's share of the whole; big runs first, so that the workers finish
    together."""
    sizes = []
    for p in files:
        try:
            sizes.append(p.stat().st_size)
        except OSError:
            sizes.append(0)
    total = sum(sizes) or 1
    smallest = total / (workers * SMALLEST_PART)
    groups: list[list[Path]] = []
    current: list[Path] = []
    left, done = total, 0
    for p, size in zip(files, sizes, strict=True):
        current.append(p)
        done += size
        if done >= max(left / (2 * workers), smallest):
            groups.append(current)
            left -= done
            current, done = [], 0
    if current:
        groups.append(current)
    return groups


def default_workers(n_files: int) -> int:
    """Processes :func:`load` reads with by default: one for a small folder; else one
    per core this process may use (at most :data:`MAX_WORKERS`)."""
    import multiprocessing as mp

    if n_files < PARALLEL_MIN_FILES or _start_method() is None or mp.current_process().daemon:
        return 1  # (a daemonic process, e.g. a multiprocessing.Pool worker, may not fork)
    try:
        cores = len(os.sched_getaffinity(0))
    except AttributeError:  # pragma: no cover - not Linux
        cores = os.cpu_count() or 1
    return max(1, min(cores, MAX_WORKERS))


def _start_method() -> str | None:
    """``fork`` where the platform has it safely (Linux): workers start at once and share
    the loaded modules. Elsewhere files are read in this process."""
    import multiprocessing as mp

    return "fork" if sys.platform == "linux" and "fork" in mp.get_all_start_methods() else None


def _read_parts(
    files: list[Path], context: _Context, workers: int | None, progress: bool
) -> list[_Part]:
    """Read ``files`` in consecutive parts, in worker processes when there are many;
    the parts come back in file order, so the result does not depend on ``workers``."""
    n = default_workers(len(files)) if workers is None else workers
    if n > 1 and _start_method() is None:
        n = 1
    bar = None
    if progress and len(files) > 1:
        from tqdm.auto import tqdm

        bar = tqdm(total=len(files), desc="读取台账", unit="个文件")
    try:
        if n == 1:
            return [_PartReader(context).read(files, None if bar is None else bar.update)]
        return _read_in_workers(files, context, n, bar)
    finally:
        if bar is not None:
            bar.close()


def _read_in_workers(files: list[Path], context: _Context, n: int, bar: Any) -> list[_Part]:
    import concurrent.futures as cf
    import multiprocessing as mp

    groups = _split(files, n)
    parts: list[_Part | None] = [None] * len(groups)
    pool = cf.ProcessPoolExecutor(
        n, mp_context=mp.get_context(_start_method()), initializer=_start_worker
    )
    try:
        futures = {pool.submit(_read_part, g, context): i for i, g in enumerate(groups)}
        for future in cf.as_completed(futures):
            i = futures[future]
            parts[i] = future.result()
            if bar is not None:
                bar.update(len(groups[i]))
    except (cf.process.BrokenProcessPool, OSError):
        pass  # a worker died (killed, out of memory) or none could start: read the rest here
    finally:
        pool.shutdown(wait=True, cancel_futures=True)
    for i, part in enumerate(parts):
        if part is None:
            parts[i] = _read_part(groups[i], context)
            if bar is not None:
                bar.update(len(groups[i]))
    return [p for p in parts if p is not None]


def load(
    source: str | Path | Iterable[str | Path],
    *,
    config: Config | str | Path | Mapping[str, Any] | None = None,
    progress: bool = False,
    workers: int | None = None,
) -> Campaign:
    """Load county ledgers into a :class:`Campaign`.

    Parameters
    ----------
    source
        A folder (searched recursively), one file, or a list of files: ``.xlsx``, ``.xls``,
        ``.ods``, ``.csv``.
    config
        A :class:`Config`, a path to a ``zqcampaign.toml``, or a mapping of overrides.
        Default: the folder's ``zqcampaign.toml`` if present, else the built-in Zhaoqing
        configuration.
    progress
        Show a progress bar over files (tqdm) when several files are read.
    workers
        Processes that read the files: ``None`` (default) reads a folder of
        :data:`PARALLEL_MIN_FILES` files or more with one process per core (Linux; at
        most :data:`MAX_WORKERS`), a smaller one in this process; ``1`` always reads in
        this process. The result is the same either way.

    Returns
    -------
    Campaign
        With ``snapshots``, ``projects``, ``issues`` and the load ``summary``.

    Raises
    ------
    NoLedgerFoundError
        When the source does not exist or holds no ledger file.
    """
    if workers is not None and (type(workers) is not int or workers < 1):
        raise ValueError(f"workers 应为正整数（读取台账的进程数），收到 {workers!r}")
    root, files, litter = ledger_files(source)
    if isinstance(config, Config):
        cfg = config
    elif isinstance(config, str | Path):
        cfg = load_config(config)
    else:
        cfg = load_config(
            root if root is not None and (root / CONFIG_FILENAME).is_file() else None, config
        )
    if not files:
        raise NoLedgerFoundError(root or Path(str(source)), "其中没有台账文件")
    aliases = AliasIndex(cfg.alias_map())

    # Issues are collected with a key that keeps the order they are reported in: per
    # file, then per sheet (file notes, hidden sheet, sheet top, body phases by row).
    keyed: list[tuple[tuple[int, ...], dict[str, Any]]] = [
        (
            (-1, -3, 0, -1, i),
            make_issue(
                "info", "skipped_litter", "临时文件或系统文件，已跳过", file=_display_name(p, root)
            ),
        )
        for i, p in enumerate(litter)
    ]
    context = _Context(root, root.resolve() if root is not None else None, aliases)
    sheet_results: list[SheetResult] = []
    chunks: list[pd.DataFrame] = []
    file_rows: list[dict[str, Any]] = []
    for part_no, part in enumerate(_read_parts(files, context, workers, progress)):
        # keys are per part: sheets numbered from 0, so shift them; the part number keeps
        # a failed file at the end of one part before the first file of the next
        offset = len(sheet_results)
        keyed.extend(((k[0] + offset, k[1], k[2], part_no, k[3]), i) for k, i in part.keyed)
        sheet_results.extend(part.results)
        chunks.extend(part.chunks)
        file_rows.extend(part.files)

    keyed.sort(key=lambda k: k[0])
    issues = [issue for _key, issue in keyed]
    raw_rows = pd.concat(chunks, ignore_index=True) if chunks else _empty_records()
    snapshots, projects, more_issues, dropped = _assemble(raw_rows, cfg)
    issues.extend(more_issues)

    summary_rows = []
    for r in sheet_results:
        d = dropped.get((r.file, r.sheet), 0)
        summary_rows.append(
            {
                "file": r.file,
                "sheet": r.sheet,
                "county": r.county,
                "report_date": r.report_date,
                "rows_read": r.rows_read,
                "project_rows": r.project_rows - d,
                "structural_rows": r.structural_rows,
                "rejected_rows": r.rejected_rows + d,
            }
        )
    summary = pd.DataFrame(
        summary_rows,
        columns=[
            "file",
            "sheet",
            "county",
            "report_date",
            "rows_read",
            "project_rows",
            "structural_rows",
            "rejected_rows",
        ],
    )
    summary["report_date"] = pd.to_datetime(summary["report_date"])
    return Campaign(
        snapshots=snapshots,
        projects=projects,
        issues=_issue_frame(issues),
        config=cfg,
        summary=LoadSummary(summary),
        files=pd.DataFrame(file_rows, columns=list(FILE_COLUMNS)),
    )


def _issue_frame(issues: list[dict[str, Any]]) -> pd.DataFrame:
    frame = pd.DataFrame(issues, columns=list(ISSUE_COLUMNS))
    frame["row"] = frame["row"].astype("Int64")
    frame["_order"] = frame["severity"].map(SEVERITY_ORDER)
    frame = frame.sort_values(
        ["_order", "file", "sheet", "row"], kind="stable", na_position="first"
    )
    return frame.drop(columns="_order").reset_index(drop=True)


def _empty_records() -> pd.DataFrame:
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
    given = rows["project_id"].astype("str")
    id_of_name = (
        pd.DataFrame({"k": name_key, "id": given})
        .dropna()
        .drop_duplicates("k")
        .set_index("k")["id"]
    )
    inherited = name_key.map(id_of_name)
    ident = given.where(given.notna(), inherited.astype("str"))
    return ident.where(ident.notna(), name_key)


def _assemble(
    rows: pd.DataFrame, cfg: Config
) -> tuple[pd.DataFrame, pd.DataFrame, list[dict[str, Any]], dict[tuple[str, str], int]]:
    issues: list[dict[str, Any]] = []
    dropped: dict[tuple[str, str], int] = {}

    def issue(
        sev: str, code: str, msg: str, r: Any, column: str | None = None, value: Any = None
    ) -> None:
        issues.append(
            make_issue(
                sev,
                code,
                msg,
                file=r.source_file,
                sheet=r.source_sheet,
                row=int(r.source_row),
                column=column,
                value=value,
                county=r.county,
            )
        )

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
            make_issue(sev, code, m, file=f, sheet=sh, row=int(r), column=column, value=v, county=c)
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
                make_issue(
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
    rows, baseline = _by_project(rows)
    base_cat = rows["project_id"].map(baseline["category"])
    threshold = _key_threshold(rows["county"], cfg)
    total = rows.groupby("project_id", sort=False)["total_investment"].transform("last")
    key_project = total >= threshold
    in_three = base_cat.isin(CATEGORIES)
    rows["in_scope"] = (key_project & in_three).astype(bool)
    snapshots = rows[[*CANONICAL_COLUMNS, "stage"]]
    if tied:  # rows that tie on the keys keep their order in ``rows``, as they always did
        snapshots = snapshots.sort_values(REPORT_ORDER, kind="stable")
    else:  # no ties: the report order is the index (cheaper than a second sort)
        snapshots = snapshots.sort_index()
    snapshots = snapshots.reset_index(drop=True)

    projects = _projects(rows, baseline, cfg, issues)
    return snapshots, projects, issues, dropped


REPORT_ORDER = ["report_date", "county", "source_file", "source_row"]  # snapshots' order


def _adjacent_ties(rows: pd.DataFrame, keys: list[str]) -> bool:
    """Whether two neighbouring rows are equal on every one of ``keys`` (missing values
    equal to each other)."""
    if len(rows) < 2:
        return False
    same = np.ones(len(rows) - 1, dtype=bool)
    for key in keys:
        values = rows[key].to_numpy()  # datetime64 / int64 / object (text)
        missing = pd.isna(values)
        same &= (values[1:] == values[:-1]) | (missing[1:] & missing[:-1])
        if not same.any():
            return False
    return True


def _by_project(rows: pd.DataFrame) -> tuple[pd.DataFrame, pd.DataFrame]:
    """``rows`` sorted by project and report date, and each project's first row (its
    baseline: the category it joined the list with), indexed by project id."""
    rows = rows.sort_values(["project_id", "report_date"], kind="stable")
    return rows, rows.groupby("project_id", sort=False).head(1).set_index("project_id")


def known_on(camp: Campaign, as_of: pd.Timestamp) -> Campaign:
    """The campaign as it was known on ``as_of``: only the ledgers reported on or before it.

    The project table is rebuilt from those snapshots (latest state as of then). Issues of
    sheets reported after ``as_of`` are left out, and the scope and missing-project notes
    are made anew for the shorter history; issues of unreadable files are kept.
    """
    snaps = camp.snapshots[camp.snapshots["report_date"] <= as_of]
    rows, baseline = _by_project(snaps)
    project_issues: list[dict[str, Any]] = []
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
    issues = _issue_frame([*kept.to_dict("records"), *project_issues])
    return dataclasses.replace(
        camp, snapshots=snaps.reset_index(drop=True), projects=projects, issues=issues
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
    "remarks",
    "report_date",
    "source_file",
    "source_sheet",
    "source_row",
    "in_scope",
)


def _projects(
    rows: pd.DataFrame, baseline: pd.DataFrame, cfg: Config, issues: list[dict[str, Any]]
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
    ]
    if rows.empty:
        return pd.DataFrame(columns=columns)
    g = rows.groupby("project_id", sort=True)
    latest_any = g[list(_LATEST_NONNULL)].last()
    latest_row = g.tail(1).set_index("project_id")[list(_LATEST_STRICT)]
    p = latest_any.join(latest_row)
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
        make_issue(
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
        make_issue(
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
