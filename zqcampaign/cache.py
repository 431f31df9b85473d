"""The parse cache: what reading one ledger file gave, stored under a key of its content.

An analyst reloads the same year of ledgers many times a day while only this month's files
are new. :func:`zqcampaign.load` therefore keeps, per file, the parsed project rows, the
problems found and the sheet accounting, under a key made of

* the SHA-256 of the file's bytes (the bytes that are parsed, read once),
* the names the file is shown and hinted by (its name, its folder's name, its name under
  the loaded folder: county and report date may come from them),
* everything in the configuration that parsing reads (county spellings, ``[columns]``),
* the loader's version: the package version, the source of every module that reading and
  parsing run, and the versions of the reader libraries.

A changed cell, a changed key that matters or a new loader gives a new key, so an entry is
never stale; nothing else is compared. One entry is one Apache Arrow IPC file: the rows as
an Arrow table, the rest as JSON in the table's metadata. Arrow and JSON are data formats:
reading an entry runs no code from it (a pickle could). An entry that is truncated,
corrupt, foreign or of another format is a miss and is written again; a folder that cannot
be written just means no cache. Entries are written to a temporary file and renamed into
place, so loads running at once never see half an entry.

Where: ``zq.load(..., cache=...)`` (``False`` off, a folder), else the environment variable
``ZQCAMPAIGN_CACHE`` (a folder, or ``off``), else the user cache folder
(``$XDG_CACHE_HOME/zqcampaign``, by default ``~/.cache/zqcampaign``). The folder is kept
under :data:`MAX_BYTES`: the entries used longest ago are removed first.
"""

from __future__ import annotations

import contextlib
import dataclasses
import functools
import hashlib
import json
import os
import tempfile
import time
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path
from typing import Any

import pandas as pd

from zqcampaign.issues import Problem
from zqcampaign.parse.sheet_result import SheetResult

__all__ = [
    "ENV",
    "MAX_BYTES",
    "Entry",
    "ParseCache",
    "cache_folder",
    "clear",
    "frame",
    "loader_version",
    "rows_table",
    "usage",
    "version_digest",
]

ENV = "ZQCAMPAIGN_CACHE"
FORMAT = "zqcampaign-parse-1"  # the layout of a file's entry; part of every key
LOAD_FORMAT = "zqcampaign-load-1"  # the layout of a whole load's entry
MAX_BYTES = 2 * 1024**3  # the folder is pruned to this size, entries used longest ago first
SUFFIX = ".arrow"
_TMP = ".tmp"
_META = b"zqcampaign"
_OFF = {"off", "0", "false", "no", "none", ""}

# What reading and parsing run: a change to any of these sources is a new loader.
_SOURCES = (
    "io",
    "parse",
    "cache.py",
    "loader.py",
    "issues.py",
    "issue_codes.toml",
    "errors.py",
    "labels.py",
    "schema.py",
    "text.py",
)
_READERS = ("python-calamine", "openpyxl", "xlrd", "odfpy", "msoffcrypto-tool", "opencc")


def cache_folder(cache: bool | str | os.PathLike[str] | None = None) -> Path | None:
    """The folder entries are kept in, or None for no cache.

    ``False``: none. A folder: that one. ``None`` or ``True``: the environment variable
    :data:`ENV` (a folder; ``off`` for none), else the user cache folder.
    """
    if cache is False:
        return None
    if cache is not None and cache is not True:
        return Path(cache).expanduser()
    env = os.environ.get(ENV)
    if env is not None:
        if env.strip().lower() in _OFF:
            return None
        return Path(env).expanduser()
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return Path(base) / "zqcampaign"


@functools.cache
def loader_version() -> str:
    """What a cached result was made by: a digest of the package version, the reading and
    parsing sources and the reader libraries' versions (once per process)."""
    from importlib.metadata import PackageNotFoundError, version

    libraries = {"pandas": pd.__version__}
    for name in ("zqcampaign", *_READERS):
        try:
            libraries[name] = version(name)
        except PackageNotFoundError:  # a source tree that was never installed
            libraries[name] = "-"
    return version_digest(Path(__file__).resolve().parent, libraries)


def version_digest(package: Path, libraries: Mapping[str, str]) -> str:
    """The digest of the sources in ``package`` that reading and parsing run and of the
    ``libraries``' versions."""
    digest = hashlib.sha256()
    for name, number in sorted(libraries.items()):
        digest.update(f"{name}={number}\n".encode())
    for name in _SOURCES:
        where = package / name
        files = sorted(where.rglob("*.py")) if where.is_dir() else [where]
        for f in files:
            digest.update(f.relative_to(package).as_posix().encode())
            digest.update(hashlib.sha256(f.read_bytes()).digest())
    return digest.hexdigest()


@dataclasses.dataclass
class Entry:
    """What reading one file gave: its sheets' accounting and its problems, each as
    ``(sheet, phase, column, row, problem)`` with the sheet numbered from 0 in the file
    (phases below 0 are numbered in the order found, ``row`` unused). Its project rows are
    an Arrow table (:func:`frame` turns the tables of many entries into one frame)."""

    format: str | None
    sheets: int
    error: str | None
    results: list[SheetResult]
    issues: list[tuple[int, int, int, int, Problem]]
    rows: Any = None  # pyarrow.Table of the project rows (read back)
    dtypes: tuple[tuple[str, str], ...] = ()  # their pandas dtypes


def frame(entries: Sequence[Entry]) -> pd.DataFrame:
    """The project rows of ``entries``, in order, as one frame with the dtypes they were
    stored with (one conversion for all: much cheaper than one per file)."""
    import pyarrow as pa

    table = pa.concat_tables([e.rows for e in entries], promote_options="default")
    records = table.combine_chunks().to_pandas()  # one chunk per column, not one per file
    return _with_dtypes(records, entries[0].dtypes)


def _with_dtypes(df: pd.DataFrame, dtypes: Sequence[Sequence[str]]) -> pd.DataFrame:
    """``df`` with the pandas dtypes it was stored with (Arrow gives ``str`` for an
    ``object`` column of text, for one); a column missing is a foreign entry."""
    for column, dtype in dtypes:
        if column not in df:
            raise ValueError("columns differ")
        if str(df[column].dtype) != dtype:
            df[column] = df[column].astype(dtype)
    return df


@dataclasses.dataclass(frozen=True)
class ParseCache:
    """The entries in ``folder`` for one configuration (``parse_key``: a digest of what
    parsing reads from it). Picklable: worker processes look up and write entries too."""

    folder: Path
    parse_key: str
    version: str

    @classmethod
    def open(
        cls,
        cache: bool | str | os.PathLike[str] | None,
        aliases: Mapping[str, str],
        columns: Mapping[str, str],
    ) -> ParseCache | None:
        folder = cache_folder(cache)
        if folder is None:
            return None
        setting = json.dumps([sorted(aliases.items()), sorted(columns.items())])
        return cls(folder, hashlib.sha256(setting.encode()).hexdigest(), loader_version())

    def key(self, sha256: str, shown: str, name: str, folder_name: str) -> str:
        """The key of a file: its content and the names it is read under."""
        parts = [FORMAT, self.version, self.parse_key, sha256, shown, name, folder_name]
        return hashlib.sha256(
            json.dumps(parts).encode()
        ).hexdigest()  # JSON escapes any name to ASCII

    def _path(self, key: str, layout: str = FORMAT) -> Path:
        return self.folder / layout / key[:2] / (key + SUFFIX)

    def has(self, key: str) -> bool:
        """Whether an entry is stored under ``key`` (it may still turn out unusable)."""
        return self._path(key).is_file()

    def get(self, key: str) -> Entry | None:
        """The entry stored under ``key``; None when there is none or it cannot be used
        (truncated, corrupt, foreign: it is written again after the file is parsed)."""
        return _read(self._path(key), lambda data: _decode(data, key))

    def put(self, key: str, entry: Entry) -> bool:
        """Store ``entry`` (a temporary file renamed into place); False when the folder
        cannot be written (the load goes on without)."""
        return _write(self._path(key), lambda: _encode(entry, key))

    # -- a whole load: the same files, names and configuration as a load before -----------

    def load_key(self, inputs: Sequence[Any], config: object) -> str:
        """The key of a whole load: ``inputs`` (every file's path and SHA-256, the files
        skipped) and the configuration (its ``repr``: every setting)."""
        parts = [LOAD_FORMAT, self.version, repr(config), *map(str, inputs)]
        return hashlib.sha256(json.dumps(parts).encode()).hexdigest()

    def get_load(self, key: str) -> dict[str, pd.DataFrame] | None:
        """The frames of the load stored under ``key``, or None."""
        return _read(self._path(key, LOAD_FORMAT), lambda data: _decode_frames(data, key))

    def put_load(self, key: str, frames: Mapping[str, pd.DataFrame]) -> bool:
        """Store the frames of a load; False when they cannot be stored."""
        return _write(self._path(key, LOAD_FORMAT), lambda: _encode_frames(frames, key))

    def prune(self, max_bytes: int = MAX_BYTES) -> None:
        """Remove the entries used longest ago until the folder holds ``max_bytes`` at most
        (only entries: files this cache wrote)."""
        prune(self.folder, max_bytes)


def _read(path: Path, decode: Callable[[bytes], Any]) -> Any:
    try:
        data = path.read_bytes()
    except OSError:
        return None
    try:
        got = decode(data)
    except Exception:  # anything wrong with an entry is a miss, never an error
        return None
    with contextlib.suppress(OSError):
        os.utime(path)  # used now: pruned last
    return got


def _write(path: Path, encode: Callable[[], bytes]) -> bool:
    try:
        data = encode()
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=".", suffix=_TMP, dir=path.parent)
        try:
            with os.fdopen(fd, "wb") as fh:
                fh.write(data)
            os.replace(tmp, path)
        except BaseException:
            with contextlib.suppress(OSError):
                os.unlink(tmp)
            raise
    except Exception:  # a cache that cannot be written is no cache, never an error
        return False
    return True


def _entries(folder: Path) -> list[tuple[float, int, Path]]:
    """(last used, size, path) of every entry, and of every temporary file older than a
    day (left by a process killed while writing)."""
    out = []
    stale = time.time() - 86_400
    for layout in (FORMAT, LOAD_FORMAT):
        try:
            buckets = list(os.scandir(folder / layout))
        except OSError:
            continue
        for bucket in buckets:
            if not bucket.is_dir(follow_symlinks=False):
                continue
            try:
                files = list(os.scandir(bucket.path))
            except OSError:
                continue
            for f in files:
                if not f.name.endswith((SUFFIX, _TMP)) or not f.is_file(follow_symlinks=False):
                    continue
                try:
                    st = f.stat(follow_symlinks=False)
                except OSError:
                    continue
                if f.name.endswith(SUFFIX) or st.st_mtime < stale:
                    out.append((st.st_mtime, st.st_size, Path(f.path)))
    return out


def prune(folder: Path, max_bytes: int = MAX_BYTES) -> None:
    """Keep the cache ``folder`` under ``max_bytes``: the entries used longest ago go first."""
    entries = _entries(folder)
    total = sum(size for _t, size, _p in entries)
    for _mtime, size, path in sorted(entries):
        if total <= max_bytes:
            break
        with contextlib.suppress(OSError):
            path.unlink()
            total -= size


def usage(folder: Path) -> tuple[int, int]:
    """(entries, bytes) in the cache ``folder``."""
    found = _entries(folder)
    return len(found), sum(size for _t, size, _p in found)


def clear(cache: bool | str | os.PathLike[str] | None = None) -> int:
    """Remove every entry from the cache folder (``cache`` as for :func:`cache_folder`);
    the number removed. Only entries are removed, never other files in the folder."""
    folder = cache_folder(True if cache is None else cache)
    if folder is None:
        return 0
    removed = 0
    for _t, _s, path in _entries(folder):
        with contextlib.suppress(OSError):
            path.unlink()
            removed += 1
    return removed


# ---------------------------------------------------------------------------------------
# one entry <-> one Arrow IPC file


def rows_table(records: pd.DataFrame) -> tuple[Any, tuple[tuple[str, str], ...]]:
    """``records`` as an Arrow table and their dtypes: what entries hold (converted once
    for a batch of files, then sliced per file)."""
    import pyarrow as pa

    table = pa.Table.from_pandas(records, preserve_index=False)
    return table, tuple((str(c), str(t)) for c, t in records.dtypes.items())


def _encode(entry: Entry, key: str) -> bytes:
    import pyarrow as pa

    table = entry.rows
    meta = {
        "key": key,
        "format": entry.format,
        "sheets": entry.sheets,
        "error": entry.error,
        "dtypes": [list(d) for d in entry.dtypes],
        "results": [_result_json(r) for r in entry.results],
        "issues": [[s, phase, col, row, list(p)] for s, phase, col, row, p in entry.issues],
    }
    blob = json.dumps(meta).encode()  # ASCII whatever the names hold
    table = table.replace_schema_metadata({**(table.schema.metadata or {}), _META: blob})
    sink = pa.BufferOutputStream()
    with pa.ipc.new_file(sink, table.schema) as writer:
        writer.write_table(table)
    return sink.getvalue().to_pybytes()


def _decode(data: bytes, key: str) -> Entry:
    import pyarrow as pa

    table = pa.ipc.open_file(pa.BufferReader(data)).read_all()
    metadata = table.schema.metadata
    meta = json.loads(metadata[_META])
    if meta["key"] != key:
        raise ValueError("entry of another key")
    dtypes = tuple(map(tuple, meta["dtypes"]))
    if [d[0] for d in dtypes] != table.column_names:
        raise ValueError("columns differ")
    results = [_result_from_json(r) for r in meta["results"]]
    if sum(r.project_rows for r in results) != table.num_rows:
        raise ValueError("rows differ from the sheets' accounting")
    issues = [(int(s), int(ph), int(c), int(rw), _problem(f)) for s, ph, c, rw, f in meta["issues"]]
    sheets = int(meta["sheets"])
    if len(results) > sheets or any(not 0 <= i[0] <= len(results) for i in issues):
        raise ValueError("sheet numbers out of range")
    rows = table.replace_schema_metadata({b"pandas": metadata[b"pandas"]})
    return Entry(meta["format"], sheets, meta["error"], results, issues, rows, dtypes)


_MAGIC = b"ZQLOAD1\n"


def _encode_frames(frames: Mapping[str, pd.DataFrame], key: str) -> bytes:
    """The frames of a load in one file: a magic line, the length and JSON of a header
    naming each frame's place, then each frame as an Arrow IPC file."""
    import pyarrow as pa

    blobs, places, at = [], [], 0
    for name, df in frames.items():
        table = pa.Table.from_pandas(df)
        dtypes = json.dumps([[str(c), str(t)] for c, t in df.dtypes.items()]).encode()
        table = table.replace_schema_metadata({**(table.schema.metadata or {}), _META: dtypes})
        sink = pa.BufferOutputStream()
        with pa.ipc.new_file(sink, table.schema) as writer:
            writer.write_table(table)
        blob = sink.getvalue().to_pybytes()
        blobs.append(blob)
        places.append([name, at, len(blob)])
        at += len(blob)
    header = json.dumps({"key": key, "frames": places}).encode()
    return b"".join([_MAGIC, len(header).to_bytes(8, "little"), header, *blobs])


def _decode_frames(data: bytes, key: str) -> dict[str, pd.DataFrame]:
    import pyarrow as pa

    if not data.startswith(_MAGIC):
        raise ValueError("not a load entry")
    start = len(_MAGIC) + 8
    size = int.from_bytes(data[len(_MAGIC) : start], "little")
    header = json.loads(data[start : start + size])
    if header["key"] != key:
        raise ValueError("entry of another key")
    body = memoryview(data)[start + size :]
    frames = {}
    for name, at, length in header["frames"]:
        if at + length > len(body):
            raise ValueError("truncated")
        table = pa.ipc.open_file(pa.BufferReader(body[at : at + length])).read_all()
        frames[str(name)] = _with_dtypes(
            table.to_pandas(), json.loads(table.schema.metadata[_META])
        )
    return frames


def _problem(fields: Sequence[Any]) -> Problem:
    severity, code, message, county, file, sheet, row, column, value = fields
    return Problem(
        severity,
        code,
        message,
        county=county,
        file=file,
        sheet=sheet,
        row=row,
        column=column,
        value=value,
    )


_RESULT_FIELDS = (
    "file",
    "sheet",
    "rows_read",
    "project_rows",
    "structural_rows",
    "rejected_rows",
    "county",
    "has_header",
    "not_a_list",
    "columns",
)


def _result_json(r: SheetResult) -> dict[str, Any]:
    out = {name: getattr(r, name) for name in _RESULT_FIELDS}
    if r.report_date is not None:  # with its unit: the summary's dtype comes from it
        ts = pd.Timestamp(r.report_date)
        out["report_date"] = [ts.isoformat(), ts.unit]
    else:
        out["report_date"] = None
    return out


def _result_from_json(d: Mapping[str, Any]) -> SheetResult:
    fields = {name: d[name] for name in _RESULT_FIELDS}
    rd = d["report_date"]
    when = None if rd is None else pd.Timestamp(rd[0]).as_unit(rd[1])
    return SheetResult(report_date=when, **fields)
