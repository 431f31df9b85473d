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

import pandas as pd

from zqcampaign.cache import Entry, ParseCache, frame, rows_table
from zqcampaign.campaign import Campaign, LoadSummary
from zqcampaign.config import CONFIG_FILENAME, Config, load_config
from zqcampaign.errors import (
    FileTooLargeError,
    LedgerError,
    NoLedgerFoundError,
    ReaderCrashError,
)
from zqcampaign.io.cells import col_letters
from zqcampaign.io.discover import discover, ledger_files, shown_name
from zqcampaign.io.preflight import read_bytes
from zqcampaign.io.readers import read_workbook
from zqcampaign.issues import Problem
from zqcampaign.model.assembly import assemble, empty_records, issue_frame
from zqcampaign.parse.bodies import parse_bodies
from zqcampaign.parse.columns import ParseMemo
from zqcampaign.parse.sheet_result import COLUMN_REPORT, SheetResult
from zqcampaign.parse.sheet_top import Hint, SheetScan, date_hint, scan_sheet
from zqcampaign.parse.values import AliasIndex, find_county

__all__ = ["ledger_files", "load"]

BATCH_ROWS = 20_000  # body rows parsed together (bounds the raw cells held in memory)
PARALLEL_MIN_FILES = 64  # fewer files are read in this process
MAX_WORKERS = 4
SMALLEST_PART = 16  # the last parts a worker reads hold 1/16 of its share of the bytes
FILE_COLUMNS = ("file", "path", "format", "sha256", "sheets", "error")


def _display_name(
    path: Path,
    root: Path | None,
    resolved_root: Path | None = None,
    resolved_parent: Path | None = None,
) -> str:
    return shown_name(_relative_name(path, root, resolved_root, resolved_parent))


def _relative_name(
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


# ---------------------------------------------------------------------------------------
# reading files: one part of the file list, in this process or in a worker process


@dataclasses.dataclass(frozen=True)
class _Context:
    """What every part needs: the root folder (for file names) and the county aliases."""

    root: Path | None
    resolved_root: Path | None
    aliases: AliasIndex
    columns: Mapping[str, str] = dataclasses.field(default_factory=dict)  # [columns] overrides
    cache: ParseCache | None = None


@dataclasses.dataclass
class _Part:
    """What reading some files gave, in file order. Issue keys number the sheets of the
    part from 0: ``(sheet, phase, column, row or sequence)``."""

    keyed: list[tuple[tuple[int, int, int, int], Problem]]
    results: list[SheetResult]
    chunks: list[pd.DataFrame]
    files: list[dict[str, Any]]
    written: int = 0  # cache entries written


@dataclasses.dataclass
class _Pending:
    """A file read since the last batch was parsed, to be stored in the cache with its
    rows: its key, its ``files`` row, its scans ``[s0, s1)`` and its issues so far
    ``keyed[k0:k1]``."""

    key: str
    info: dict[str, Any]
    s0: int
    s1: int
    k0: int
    k1: int


class _PartReader:
    """Reads files one after another: each file's sheets are scanned at once, their body
    rows parsed together in batches of about :data:`BATCH_ROWS` rows. A file found in the
    parse cache is not parsed: its entry stands for its scans, issues and rows."""

    def __init__(self, context: _Context, memo: ParseMemo | None = None):
        self.context = context
        self.part = _Part([], [], [], [])
        self.scans: list[SheetScan] = []
        self.batch_start = 0  # scans[batch_start:] wait for parse_bodies
        self.batch_rows = 0
        self.memo = memo or ParseMemo()
        self.seq = itertools.count()
        self.folders: dict[Path, tuple[Path, tuple[Hint, Hint], str | None, str]] = {}
        self.pending: list[_Pending] = []  # read, parsed at the next flush, then stored
        self.hits: list[Entry] = []  # entries read, their rows not yet in part.chunks
        self.known: dict[Path, str] = {}  # checksums taken before: entries looked up by them

    def read(self, files: Iterable[Path], tick: Callable[[], Any] | None = None) -> _Part:
        for path in files:
            self.read_file(path)
            if tick is not None:
                tick()
        self.flush()
        self.take_hits()
        self.part.results = [scan.result for scan in self.scans]
        return self.part

    def flush(self) -> None:
        """Parse the body rows of the sheets read since the last flush; store the files
        read meanwhile in the cache."""
        batch = self.scans[self.batch_start :]
        if not batch and not self.pending:
            return
        self.take_hits()
        records, found = parse_bodies(batch, self.context.aliases, self.memo)
        for scan in batch:  # the raw cells are not needed any more
            scan.body = []
        if len(records):
            self.part.chunks.append(records)
        found = [((k[0] + self.batch_start, *k[1:]), i) for k, i in found]
        self.part.keyed.extend(found)
        if self.pending:
            self.store(batch, records, found)
        self.batch_start, self.batch_rows = len(self.scans), 0

    def store(
        self,
        batch: list[SheetScan],
        records: pd.DataFrame,
        found: list[tuple[tuple[int, int, int, int], Problem]],
    ) -> None:
        """Each pending file's entry: its sheets' accounting, its issues (sheets numbered
        from 0 in the file) and its rows (a batch's rows are in sheet order)."""
        pending, self.pending = self.pending, []
        cache = self.context.cache
        counts = [scan.result.project_rows for scan in batch]
        if cache is None or sum(counts) != len(records):
            return
        starts = list(itertools.accumulate(counts, initial=0))
        table, dtypes = rows_table(records)
        body: dict[int, list[tuple[tuple[int, int, int, int], Problem]]] = {}
        for k, issue in found:
            body.setdefault(k[0], []).append((k, issue))
        for p in pending:
            keyed = self.part.keyed[p.k0 : p.k1]
            for s in range(p.s0, p.s1):
                keyed.extend(body.get(s, ()))
            keyed.sort(key=lambda k: k[0])
            lo, hi = p.s0 - self.batch_start, p.s1 - self.batch_start
            entry = Entry(
                p.info["format"],
                p.info["sheets"],
                p.info["error"],
                [scan.result for scan in batch[lo:hi]],
                [(k[0] - p.s0, k[1], k[2], k[3], issue) for k, issue in keyed],
                table.slice(starts[lo], starts[hi] - starts[lo]),
                dtypes,
            )
            if cache.put(p.key, entry):
                self.part.written += 1

    def take(self, entry: Entry, info: dict[str, Any]) -> None:
        """A file found in the cache: its entry in place of reading it."""
        self.flush()  # what was read before keeps its place
        base = len(self.scans)
        self.scans.extend(SheetScan(result) for result in entry.results)
        for s, phase, column, row, issue in entry.issues:
            at = next(self.seq) if phase < 0 else row  # found before the body: in order
            self.part.keyed.append(((base + s, phase, column, at), issue))
        if entry.rows.num_rows:
            self.hits.append(entry)
        self.batch_start = len(self.scans)
        info.update(format=entry.format, sheets=entry.sheets, error=entry.error)

    def take_hits(self) -> None:
        """The rows of the entries taken since the last parsed batch, as one frame."""
        if self.hits:
            self.part.chunks.append(frame(self.hits))
            self.hits = []

    def issue(self, phase: int, issue: Problem) -> None:
        """An issue of the file being read (phase -3) or of its next sheet (-2, -1)."""
        self.part.keyed.append(((len(self.scans), phase, 0, next(self.seq)), issue))

    def folder(self, parent: Path) -> tuple[Path, tuple[Hint, Hint], str | None, str]:
        """A folder's resolved path, its county and date hints, the prefix of the names of
        its files under the root (None: not under it) and the name hinted by; once per
        folder."""
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
            self.folders[parent] = (resolved, hints, prefix, name)
        return self.folders[parent]

    def names(self, path: Path) -> tuple[str, tuple[Hint, Hint, str]]:
        """The name a file is shown by, and its folder's hints and name."""
        ctx = self.context
        resolved_dir, folder_hints, prefix, folder_name = self.folder(path.parent)
        if prefix is not None and not os.path.islink(path):
            shown = shown_name(prefix + path.name)  # what _display_name gives, cheaper
        else:
            shown = _display_name(path, ctx.root, ctx.resolved_root, resolved_dir)
        return shown, (*folder_hints, folder_name)

    def cache_key(self, path: Path, sha256: str) -> str | None:
        """The key of a file's entry in the parse cache (None: no cache)."""
        if self.context.cache is None:
            return None
        shown, folder = self.names(path)
        return self.context.cache.key(sha256, shown, path.name, folder[2])

    def read_file(self, path: Path) -> None:
        """Read one file; whatever goes wrong becomes that file's error issue (the last
        resort: a bug or an unforeseen exception in a reader costs one file, never the
        folder)."""
        shown, folder = self.names(path)
        info: dict[str, Any] = dict.fromkeys(FILE_COLUMNS)
        info.update(file=shown, path=shown_name(str(path)), sheets=0)
        self.part.files.append(info)
        n_scans, n_keyed, n_rows = len(self.scans), len(self.part.keyed), self.batch_rows
        try:
            self._read_file(path, shown, info, folder)
        except (KeyboardInterrupt, SystemExit):
            raise
        except BaseException as exc:  # MemoryError, a bug, a Rust panic (BaseException)
            if self.pending and self.pending[-1].info is info:
                self.pending.pop()
            del self.scans[n_scans:]
            del self.part.keyed[n_keyed:]
            self.batch_rows = n_rows
            info.update(format=None, sheets=0)
            err: LedgerError = (
                FileTooLargeError(path, "读取时内存不足（文件展开后过大）")
                if isinstance(exc, MemoryError)
                else ReaderCrashError(path, f"读取时出错（{type(exc).__name__}: {str(exc)[:200]}）")
            )
            info["error"] = err.code
            self.issue(
                -3,
                Problem("error", err.code, str(err), file=shown, value=type(exc).__name__),
            )

    def crashed(self, path: Path, detail: str) -> None:
        """A file whose reading killed the worker process, even alone in a fresh one."""
        ctx = self.context
        _resolved, _hints, prefix, _name = self.folder(path.parent)
        shown = (
            shown_name(prefix + path.name) if prefix is not None else _display_name(path, ctx.root)
        )
        info: dict[str, Any] = dict.fromkeys(FILE_COLUMNS)
        info.update(file=shown, path=shown_name(str(path)), sheets=0, error="reader_crash")
        self.part.files.append(info)
        exc = ReaderCrashError(path, detail)
        self.issue(-3, Problem("error", exc.code, str(exc), file=shown))

    def _read_file(
        self, path: Path, shown: str, info: dict[str, Any], folder: tuple[Hint, Hint, str]
    ) -> None:
        ctx = self.context
        folder_hints = folder[:2]
        s0, k0, key = len(self.scans), len(self.part.keyed), None
        known = self.known.get(path)
        if known is not None and ctx.cache is not None:  # its entry, without reading it again
            entry = ctx.cache.get(ctx.cache.key(known, shown, path.name, folder[2]))
            if entry is not None:
                info["sha256"] = known
                self.take(entry, info)
                return
        try:
            data = read_bytes(path)  # size checked first; hashed and parsed the same bytes
            info["sha256"] = hashlib.sha256(data).hexdigest()
            if ctx.cache is not None:
                key = ctx.cache.key(info["sha256"], shown, path.name, folder[2])
                entry = ctx.cache.get(key)
                if entry is not None:
                    self.take(entry, info)
                    return
            wb = read_workbook(path, data=data)
            del data
        except LedgerError as exc:
            info["error"] = exc.code
            self.issue(
                -3, Problem("error", exc.code, str(exc), file=shown, value=exc.detail or None)
            )
            return
        except OSError as exc:
            info["error"] = "unreadable_file"
            self.issue(
                -3,
                Problem("error", "unreadable_file", f"文件无法打开：{exc.strerror}", file=shown),
            )
            return
        info["format"] = wb.format
        info["sheets"] = len(wb.sheets)
        for note in wb.notes:  # the reader's column index is shown as letters
            column = None if note.column is None else col_letters(note.column)
            self.issue(-3, note.at(file=shown, column=column))
        found_ledger = False
        for raw in wb.sheets:
            if raw.visible != "visible":
                self.issue(
                    -2,
                    Problem(
                        "warning",
                        "hidden_sheet",
                        f"工作表“{raw.name}”是隐藏的，已照常读取；如不应计入请删除该工作表",
                        file=shown,
                        sheet=raw.name,
                    ),
                )
            scan = scan_sheet(
                raw,
                file=shown,
                path=path,
                aliases=ctx.aliases,
                folder_hints=folder_hints,
                overrides=ctx.columns,
            )
            for found in scan.issues:
                self.issue(-1, found)
            self.scans.append(scan)
            self.batch_rows += len(scan.body)
            # a sheet found not to be a project list was said so once (not_a_project_list)
            found_ledger = found_ledger or scan.result.has_header or scan.result.not_a_list
        del wb
        if not found_ledger:
            info["error"] = "no_ledger"
            self.issue(
                -3,
                Problem(
                    "error",
                    "no_ledger",
                    "文件中没有找到台账（任何工作表都没有“项目名称”等表头），未读取；请确认报送的是项目台账",
                    file=shown,
                ),
            )
        if key is not None:  # read as it is (errors of the moment are not kept)
            self.pending.append(_Pending(key, info, s0, len(self.scans), k0, len(self.part.keyed)))
        if self.batch_rows >= BATCH_ROWS:
            self.flush()


_worker_memo: ParseMemo | None = None  # in a worker process: shared by the parts it reads


def _start_worker() -> None:
    """In a fresh worker: a memo for its parts; no crash dumps or reader panic messages on
    the user's terminal (a worker that dies is reported as its file's issue)."""
    global _worker_memo
    _worker_memo = ParseMemo()
    import faulthandler

    faulthandler.disable()
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, 2)
        os.close(devnull)
    except OSError:  # pragma: no cover
        pass


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


def _read_in_workers(
    groups: list[list[Path]],
    context: _Context,
    n: int,
    bar: Any,
    meanwhile: Callable[[], Any] | None = None,
) -> list[list[_Part]]:
    """Read each group of files in ``n`` worker processes (``meanwhile`` runs in this
    process as they do): one part per group, or, when a worker died (killed, out of memory,
    a reader that aborts the process), one per file of the groups it did not finish, read
    again one by one in fresh workers, never in this process; a file that kills a fresh
    worker alone is that file's ``reader_crash`` error."""
    first = _run_pool(groups, context, n, bar, meanwhile)
    out: list[list[_Part]] = []
    for i, part in enumerate(first):
        if part is not None:
            out.append([part])
            continue
        singles = [[p] for p in groups[i]]
        alone = _run_pool(singles, context, min(n, len(singles)), bar)
        again: list[_Part] = []
        for j, got in enumerate(alone):
            if got is None:  # the survivors of a broken pool are retried alone, each in its own
                got = _run_pool([singles[j]], context, 1, bar)[0]
            if got is None:
                reader = _PartReader(context)
                reader.crashed(
                    singles[j][0], "读取进程意外终止（可能因内存不足或文件结构异常被系统结束）"
                )
                got = reader.read([])
                if bar is not None:
                    bar.update(1)
            again.append(got)
        out.append(again)
    return out


def _run_pool(
    groups: list[list[Path]],
    context: _Context,
    n: int,
    bar: Any,
    meanwhile: Callable[[], Any] | None = None,
) -> list[_Part | None]:
    """Each group read in a pool of ``n`` fresh workers (``meanwhile`` run in this process
    once they have their work); None for the groups not read because a worker died (or
    none could start)."""
    import concurrent.futures as cf
    import multiprocessing as mp

    parts: list[_Part | None] = [None] * len(groups)
    try:
        pool = cf.ProcessPoolExecutor(
            n, mp_context=mp.get_context(_start_method()), initializer=_start_worker
        )
    except OSError:
        pool = None
    try:
        futures = {}
        if pool is not None:
            try:
                futures = {pool.submit(_read_part, g, context): i for i, g in enumerate(groups)}
            except (cf.process.BrokenProcessPool, OSError):
                pass
        if meanwhile is not None:
            meanwhile()
        try:
            for future in cf.as_completed(futures):
                i = futures[future]
                try:
                    parts[i] = future.result()
                except (cf.process.BrokenProcessPool, OSError):
                    continue
                if bar is not None:
                    bar.update(len(groups[i]))
        except (cf.process.BrokenProcessPool, OSError):
            pass  # a worker died (killed, out of memory) or none could start
    finally:
        if pool is not None:
            pool.shutdown(wait=True, cancel_futures=True)
    return parts


def _read_parts(
    files: list[Path],
    context: _Context,
    workers: int | None,
    progress: bool,
    checksums: list[str] | None = None,
) -> list[_Part]:
    """Read ``files`` in consecutive parts, in worker processes when there are many;
    the parts come back in file order, so the result does not depend on ``workers``.

    With ``checksums`` (taken for the parse cache), the files that have an entry are taken
    from it in this process while the workers parse the others."""
    bar = None
    if progress and len(files) > 1:
        from tqdm.auto import tqdm

        bar = tqdm(total=len(files), desc="读取台账", unit="个文件")
    tick = None if bar is None else bar.update
    here = _PartReader(context)  # this process's reader: file names, entries
    cached = [False] * len(files)
    if checksums is not None and context.cache is not None:
        for i, (path, sha) in enumerate(zip(files, checksums, strict=True)):
            key = here.cache_key(path, sha)
            if key is not None and context.cache.has(key):
                cached[i] = True
                here.known[path] = sha
    runs = [
        (hit, [path for path, _hit in run])
        for hit, run in itertools.groupby(zip(files, cached, strict=True), key=lambda x: x[1])
    ]
    misses = len(files) - sum(cached)
    n = default_workers(misses) if workers is None else workers
    if n > 1 and _start_method() is None:
        n = 1
    try:
        if n == 1 or not misses:
            return [here.read(files, tick)]
        groups = [(r, g) for r, (hit, run) in enumerate(runs) if not hit for g in _split(run, n)]
        taken: dict[int, _Part] = {}

        def meanwhile() -> None:  # the cached runs, while the workers parse the others
            for r, (hit, run) in enumerate(runs):
                if hit:
                    reader = _PartReader(context, here.memo)
                    reader.known = here.known
                    taken[r] = reader.read(run, tick)

        parsed = _read_in_workers([g for _r, g in groups], context, n, bar, meanwhile)
        by_run: dict[int, list[_Part]] = {}
        for (r, _g), parts in zip(groups, parsed, strict=True):
            by_run.setdefault(r, []).extend(parts)
        return [
            part for r in range(len(runs)) for part in ([taken[r]] if r in taken else by_run[r])
        ]
    finally:
        if bar is not None:
            bar.close()


def load(
    source: str | Path | Iterable[str | Path],
    *,
    config: Config | str | Path | Mapping[str, Any] | None = None,
    progress: bool = False,
    workers: int | None = None,
    cache: bool | str | os.PathLike[str] | None = None,
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
    cache
        Where parsed files are kept (:mod:`zqcampaign.cache`): a file already read, with
        the same content, names and parsing settings, is not parsed again. ``None``
        (default): the folder in the environment variable ``ZQCAMPAIGN_CACHE`` (``off``
        for none), else ``~/.cache/zqcampaign``; a folder; ``False``: no cache. The result
        is the same either way.

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
    found = discover(source)
    root, files, litter = found.root, found.files, found.litter
    if isinstance(config, Config):
        cfg = config
    elif isinstance(config, str | Path):
        cfg = load_config(config)
    else:
        cfg = load_config(
            root if root is not None and (root / CONFIG_FILENAME).is_file() else None, config
        )
    if not files:
        others = [shown_name(p.name) for p, _s, code, _m in found.skipped if code == "skipped_file"]
        detail = "其中没有台账文件"
        if others:
            detail += f"（另有 {len(others)} 个其他文件未读取，如 {'、'.join(others[:3])}；台账请报送 .xlsx/.xls/.et/.ods/.csv）"
        raise NoLedgerFoundError(root or Path(str(source)), detail)
    aliases = AliasIndex(cfg.alias_map())

    # Issues are collected with a key that keeps the order they are reported in: per
    # file, then per sheet (file notes, hidden sheet, sheet top, body phases by row).
    keyed: list[tuple[tuple[int, ...], Problem]] = [
        (
            (-1, -3, 0, -1, i),
            Problem(
                "info", "skipped_litter", "临时文件或系统文件，已跳过", file=_display_name(p, root)
            ),
        )
        for i, p in enumerate(litter)
    ]
    for i, (p, severity, code, message) in enumerate(found.skipped, start=len(litter)):
        shown = _display_name(p, root) + ("/" if code != "skipped_file" else "")
        keyed.append(((-1, -3, 0, -1, i), Problem(severity, code, message, file=shown)))
    overrides = cfg.column_overrides()
    context = _Context(
        root,
        root.resolve() if root is not None else None,
        aliases,
        overrides,
        ParseCache.open(cache, aliases, overrides),
    )
    store, shas = context.cache, None
    skipped = [str(p) for p in litter] + [repr((str(p), *rest)) for p, *rest in found.skipped]
    if store is not None:  # the same files, names and settings as a load before: its frames
        shas = _checksums(files)
        if shas is not None:
            got = store.get_load(_load_key(store, root, files, shas, skipped, cfg))
            if got is not None:
                return _campaign(got, cfg, root)
    sheet_results: list[SheetResult] = []
    chunks: list[pd.DataFrame] = []
    file_rows: list[dict[str, Any]] = []
    written = 0
    for part_no, part in enumerate(_read_parts(files, context, workers, progress, shas)):
        # keys are per part: sheets numbered from 0, so shift them; the part number keeps
        # a failed file at the end of one part before the first file of the next
        offset = len(sheet_results)
        keyed.extend(((k[0] + offset, k[1], k[2], part_no, k[3]), i) for k, i in part.keyed)
        sheet_results.extend(part.results)
        chunks.extend(part.chunks)
        file_rows.extend(part.files)
        written += part.written

    keyed.sort(key=lambda k: k[0])
    issues = [issue for _key, issue in keyed]
    raw_rows = pd.concat(chunks, ignore_index=True) if chunks else empty_records()
    snapshots, projects, more_issues, dropped = assemble(raw_rows, cfg)
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
    column_rows = [e for r in sheet_results for e in r.columns]
    frames = {
        "snapshots": snapshots,
        "projects": projects,
        "issues": issue_frame(issues),
        "summary": summary,
        "files": pd.DataFrame(file_rows, columns=list(FILE_COLUMNS)),
        "columns": pd.DataFrame(column_rows, columns=list(COLUMN_REPORT)),
    }
    if store is not None:
        # under the checksums of the bytes parsed; not when a file failed for a reason of
        # the moment (it may read next time)
        if not any(r["sha256"] is None or r["error"] in _PASSING for r in file_rows):
            shas = [r["sha256"] for r in file_rows]
            written += store.put_load(_load_key(store, root, files, shas, skipped, cfg), frames)
        if written:
            store.prune()
    return _campaign(frames, cfg, root)


# errors that may not happen again: a load with them is not stored whole
_PASSING = frozenset({"reader_timeout", "reader_crash", "file_too_large"})


def _load_key(
    store: ParseCache,
    root: Path | None,
    files: list[Path],
    shas: list[str],
    skipped: list[str],
    cfg: Config,
) -> str:
    """The key of a whole load: the folder, each file's path and checksum, what was
    skipped, and the configuration."""
    return store.load_key([root, *zip(map(str, files), shas, strict=True), *skipped], cfg)


def _checksums(files: list[Path]) -> list[str] | None:
    """The SHA-256 of every file, or None when one cannot be read."""
    out = []
    for path in files:
        try:
            out.append(hashlib.sha256(read_bytes(path)).hexdigest())
        except (LedgerError, OSError):
            return None
    return out


def _campaign(frames: Mapping[str, pd.DataFrame], cfg: Config, root: Path | None) -> Campaign:
    camp = Campaign(
        columns=frames["columns"],
        snapshots=frames["snapshots"],
        projects=frames["projects"],
        issues=frames["issues"],
        config=cfg,
        summary=LoadSummary(frames["summary"]),
        files=frames["files"],
        sample=is_sample_data(root),
    )
    import warnings

    for message in camp.warnings():
        warnings.warn(message, DataWarning, stacklevel=3)
    return camp


class DataWarning(UserWarning):
    """The loaded data makes the figures misleading (missing baseline month, sample data)."""


#: First line of the README that :func:`zqcampaign.sample.write_sample` writes.
SAMPLE_MARK = "# Sample ledgers"


def is_sample_data(root: Path | None) -> bool:
    """Whether ``root`` (or its parent, for one month's folder) is the program's sample data."""
    if root is None:
        return False
    for folder in (root, root.parent):
        readme = folder / "README.md"
        try:
            if readme.is_file() and readme.read_text(encoding="utf-8")[:40].startswith(SAMPLE_MARK):
                return True
        except OSError:
            continue
    return False
