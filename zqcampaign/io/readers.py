"""File bytes -> raw cell grids. The only module that talks to spreadsheet readers.

Everything here is about getting every cell out of a file exactly as the county typed it;
what the cells *mean* is decided in :mod:`zqcampaign.ledger`. Spreadsheets are read with
python-calamine (Rust), CSV with the standard library after the encoding is detected.

The reader boundary is defensive (issue #8):

- :func:`zqcampaign.io.preflight.preflight` looks at the bytes first and refuses what the
  Rust readers would not survive (far cells, zip bombs, entity bombs…);
- formats whose size cannot be bounded cheaply up front (legacy .xls, .ods, .xlsb) are
  read in a forked child process with an address-space limit and a time limit, so an
  allocation failure or a hang ends the child, not the analyst's notebook;
- a Rust panic (``pyo3_runtime.PanicException`` derives from ``BaseException``) becomes a
  :class:`~zqcampaign.errors.ReaderCrashError` for that file;
- a sheet that cannot be read becomes an error :class:`~zqcampaign.issues.Problem` and the
  other sheets load;
- values that would change on the way in become problems (notes) with their address.
"""

from __future__ import annotations

import contextlib
import csv
import gc
import io
import os
import re
import sys
import threading
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from zqcampaign.errors import (
    EmptyFileError,
    EncryptedFileError,
    FileTooLargeError,
    LedgerError,
    NotASpreadsheetError,
    ReaderCrashError,
    UnreadableFileError,
)
from zqcampaign.io.child import _Child
from zqcampaign.io.preflight import (
    DEFAULT_LIMITS,
    Limits,
    Preflight,
    preflight,
    sniff_format,
    wide_encoding,
)
from zqcampaign.issues import Problem

__all__ = [
    "SPREADSHEET_SUFFIXES",
    "RawSheet",
    "RawWorkbook",
    "decode_text",
    "read_workbook",
    "sniff_format",
]

SPREADSHEET_SUFFIXES = (".xlsx", ".xlsm", ".xls", ".ods", ".csv")


@dataclass
class RawSheet:
    """One sheet as a dense grid of Python values (``None`` for an empty cell, and for
    text that is only whitespace, in every format).

    ``rows[i][j]`` is the cell at spreadsheet row ``first_row + i + 1`` (1-based) and
    column ``first_col + j`` (0-based). ``merged`` holds 0-based inclusive
    ``(row0, col0, row1, col1)`` ranges in sheet coordinates.
    """

    name: str
    rows: list[list[Any]]
    first_row: int = 0
    first_col: int = 0
    visible: str = "visible"
    merged: list[tuple[int, int, int, int]] = field(default_factory=list)


@dataclass
class RawWorkbook:
    path: Path
    format: str  # "xlsx" | "xlsb" | "xls" | "ods" | "csv" | "html"
    sheets: list[RawSheet]
    notes: list[Problem] = field(default_factory=list)
    isolated: bool = False
    """True when the file was read in a child process."""


# ---------------------------------------------------------------------------------------


def read_workbook(
    path: str | Path,
    *,
    limits: Limits = DEFAULT_LIMITS,
    isolate: bool | None = None,
    data: bytes | None = None,
) -> RawWorkbook:
    """Read every sheet of a ledger file into raw grids.

    Parameters
    ----------
    path
        A .xlsx/.xlsm/.xls/.ods/.csv file (the real format is sniffed from the bytes; a
        CSV or HTML table saved as .xls is read as what it is, with a note).
    limits
        Safety limits (:data:`zqcampaign.io.preflight.DEFAULT_LIMITS`).
    isolate
        Read spreadsheets in a child process with memory and time limits: ``None`` (the
        default) for the formats the pre-flight cannot bound cheaply (.xls, .ods, .xlsb);
        ``True`` for every spreadsheet; ``False`` never. Needs ``os.fork`` (Linux, macOS);
        elsewhere files are read in-process.
    data
        The file's bytes (:func:`zqcampaign.io.preflight.read_bytes`), when the caller
        has read them (to hash the same bytes); else they are read here, once. The
        pre-flight and the reader see the same bytes (an .xlsx's parts are inflated once,
        by the pre-flight, and handed to the reader as checked).

    Returns
    -------
    RawWorkbook
        Sheets (hidden ones too, with their ``visible`` state) and :class:`~zqcampaign.issues.Problem` s:
        cells whose values would otherwise change silently (error values, formulas
        without a saved value, negative date serials, ragged CSV rows, undecodable bytes),
        sheets that could not be read, macros, links to other workbooks, 1904 dates.

    Raises
    ------
    LedgerError
        A subclass naming the file, when the file cannot be used at all; never a
        third-party exception, and never a process-ending crash for the checked cases.
    """
    path = Path(path)
    return _read_checked(preflight(path, limits=limits, data=data), limits, isolate)


@contextlib.contextmanager
def _gc_paused() -> Iterator[None]:
    """Pause the cyclic garbage collector while millions of cell lists are built: they
    hold no cycles, and full collections triggered by them cost a third of a big read."""
    was = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was:
            gc.enable()


def _read_checked(pf: Preflight, limits: Limits, isolate: bool | None) -> RawWorkbook:
    """Read a file that passed the pre-flight; prepend the pre-flight's notes."""
    with _gc_paused():
        return _read_checked_gc(pf, limits, isolate)


def _read_checked_gc(pf: Preflight, limits: Limits, isolate: bool | None) -> RawWorkbook:
    path = pf.path
    if pf.format == "csv":
        wb = _read_csv(path, pf.data, limits)
    elif pf.format == "html":
        wb = _read_html(path, pf.data, limits)
    else:
        skip = frozenset(n.sheet for n in pf.notes if n.code == "sheet_part_missing")
        use_child = pf.isolate if isolate is None else isolate
        if use_child and hasattr(os, "fork"):
            wb = _Child(path, pf.format, limits, skip, pf.data).result()
        else:
            with _panic_output_hidden():
                wb = _read_calamine(path, pf.format, limits, skip, pf.data)
    wb.notes[:0] = pf.notes
    return wb


# ---------------------------------------------------------------------------------------
# calamine

_VISIBILITY = {"Visible": "visible", "Hidden": "hidden", "VeryHidden": "veryhidden"}

_CALAMINE_MESSAGES = (
    ("shared strings", "单元格引用的共享字符串不存在（共享字符串索引超出范围）"),
    ("Cell limit exceeded", "使用范围过大"),
    ("unrecognized entity", "XML 中含有未定义的实体引用"),
    ("Could not find EOCD", "压缩结构损坏（文件可能被截断）"),
)


def _translate(exc: BaseException) -> str:
    text = str(exc)
    for needle, chinese in _CALAMINE_MESSAGES:
        if needle in text:
            return chinese
    return f"{type(exc).__name__}: {text[:200]}"


class _Held:
    """The temporary file that holds back what is written to file descriptor 2 while
    calamine runs: one per process, emptied after each read (opening a new one for every
    file cost a tenth of the reading of the province set)."""

    def __init__(self) -> None:
        self.file: Any = None
        self.pid = -1
        self.lock = threading.Lock()

    def take(self) -> Any:
        """The file, empty, or None when it is in use (another thread) or cannot be made."""
        import tempfile

        if not self.lock.acquire(blocking=False):
            return None
        try:
            if self.file is None or self.pid != os.getpid():  # a forked child makes its own
                self.file = tempfile.TemporaryFile(buffering=0)
                self.pid = os.getpid()
            return self.file
        except OSError:
            self.lock.release()
            return None

    def give_back(self, held: Any) -> bytes:
        """What was written to the file (at most 1 MiB); the file emptied for the next read."""
        try:
            held.seek(0)
            text = held.read(1 << 20) or b""
            held.seek(0)
            held.truncate()
        except OSError:
            self.file, text = None, b""
        finally:
            self.lock.release()
        return text


_HELD = _Held()


@contextlib.contextmanager
def _panic_output_hidden() -> Iterator[None]:
    """While calamine runs in this process, what it writes to file descriptor 2 is held
    back: a Rust panic prints its message (and with ``RUST_BACKTRACE`` a backtrace) there
    before it becomes this file's ``reader_crash`` issue. Anything else written meanwhile
    is passed on afterwards."""
    try:
        sys.stderr.flush()
        saved = os.dup(2)
    except (OSError, ValueError, AttributeError):  # no fd 2 (embedded, pythonw)
        yield
        return
    own = False
    held = _HELD.take()
    if held is None:  # in use by another thread: a file of its own
        import tempfile

        try:
            held, own = tempfile.TemporaryFile(buffering=0), True
        except OSError:
            os.close(saved)
            yield
            return
    try:
        os.dup2(held.fileno(), 2)
        yield
    finally:
        os.dup2(saved, 2)
        os.close(saved)
        if own:
            held.seek(0)
            text = held.read(1 << 20) or b""
            held.close()
        else:
            text = _HELD.give_back(held)
        if text and b"panicked at" not in text and b"RUST_BACKTRACE" not in text:
            with contextlib.suppress(OSError):
                os.write(2, text)


def _read_calamine(
    path: Path,
    fmt: str,
    limits: Limits,
    skip: frozenset[str | None] = frozenset(),
    data: bytes | None = None,
) -> RawWorkbook:
    """Read with python-calamine in this process; every failure becomes a LedgerError
    (file) or an error :class:`~zqcampaign.issues.Problem` (one sheet)."""
    import python_calamine as pc

    notes: list[Problem] = []
    sheets: list[RawSheet] = []
    failures: list[str] = []
    try:
        if data is None:
            data = path.read_bytes()
        wb = pc.CalamineWorkbook.from_filelike(io.BytesIO(data))
        total = 0
        for meta in wb.sheets_metadata:
            if meta.typ != pc.SheetTypeEnum.WorkSheet or meta.name in skip:
                continue
            try:
                sh = wb.get_sheet_by_name(meta.name)
                cells = sh.height * sh.width
                total += cells
                if cells > limits.max_cells or total > limits.max_workbook_cells:
                    raise FileTooLargeError(
                        path,
                        f"工作表“{meta.name}”的使用范围为 {sh.height:,} 行 × {sh.width:,} 列，"
                        f"超过 {limits.max_cells:,} 个单元格上限",
                    )
                start = sh.start or (0, 0)
                rows = sh.to_python(skip_empty_area=True)
                merged = [(r0, c0, r1, c1) for (r0, c0), (r1, c1) in (sh.merged_cell_ranges or [])]
            except pc.CalamineError as exc:
                reason = _translate(exc)
                failures.append(reason)
                notes.append(
                    Problem(
                        "error",
                        "sheet_unreadable",
                        f"工作表“{meta.name}”无法读取（{reason}），其中的数据未载入；"
                        "请用 Excel/WPS 打开确认后另存为 .xlsx 重新报送",
                        sheet=meta.name,
                        value=reason,
                    )
                )
                continue
            sheets.append(
                RawSheet(
                    name=meta.name,
                    rows=[
                        [
                            v if v.__class__ is not str or (v and not v.isspace()) else None
                            for v in r
                        ]
                        for r in rows
                    ],
                    first_row=start[0],
                    first_col=start[1],
                    visible=_VISIBILITY.get(str(meta.visible).rsplit(".", 1)[-1], "visible"),
                    merged=merged,
                )
            )
        wb.close()
    except LedgerError:
        raise
    except pc.PasswordError:
        raise EncryptedFileError(path, "文件设置了打开密码") from None
    except (pc.CalamineError, ValueError, OSError) as exc:
        raise UnreadableFileError(path, f"解析失败（{_translate(exc)}）") from None
    except MemoryError:
        raise FileTooLargeError(path, "读取时内存不足") from None
    except BaseException as exc:  # Rust panics (pyo3 PanicException) derive from BaseException
        if isinstance(exc, KeyboardInterrupt | SystemExit | GeneratorExit):
            raise
        raise ReaderCrashError(path, f"读取程序崩溃（{type(exc).__name__}: {exc}）") from None
    if failures and not sheets:
        raise UnreadableFileError(path, f"所有工作表都无法读取（{failures[0]}）")
    return RawWorkbook(path=path, format=fmt, sheets=sheets, notes=notes)


# ---------------------------------------------------------------------------------------
# CSV

_ENCODINGS = ("utf-8-sig", "gb18030")


def decode_text(path: Path, data: bytes) -> tuple[str, str, list[Problem]]:
    """Decode CSV bytes: UTF-8 (with or without BOM), UTF-16/UTF-32 (with or without BOM,
    :func:`~zqcampaign.io.preflight.wide_encoding`), else GB18030.

    Bytes valid in none of them are replaced by ``�`` and each affected line is noted.
    """
    notes: list[Problem] = []
    wide = wide_encoding(data[:4096])
    if wide is not None:
        try:
            return data.decode(wide).removeprefix("\ufeff"), wide, notes
        except UnicodeDecodeError:
            pass
    else:
        for enc in _ENCODINGS:
            try:
                return data.decode(enc), enc, notes
            except UnicodeDecodeError:
                continue
    encoding = wide or "gb18030"
    text = data.decode(encoding, errors="replace").removeprefix("\ufeff")
    for lineno, line in enumerate(text.split("\n"), start=1):
        if "\ufffd" in line:
            notes.append(
                Problem(
                    "warning",
                    "undecodable_bytes",
                    f"第 {lineno} 行含有无法识别的字节（已替换为 �），"
                    "请确认文件编码为 UTF-8 或 GBK 后重新导出",
                    row=lineno,
                    value=line[:80],
                )
            )
    return text, encoding, notes


_BINARY_CHARS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")  # control characters, not \t \n \r


def _check_text(path: Path, text: str) -> None:
    if not text.strip():
        raise EmptyFileError(path, "文件中没有内容")
    sample = text[:65536]
    bad = sample.count("\ufffd") + len(_BINARY_CHARS.findall(sample))
    if bad > max(8, len(sample) // 50):
        raise NotASpreadsheetError(path, "文件内容是二进制数据或乱码，不是文本表格")


def _read_csv(path: Path, data: bytes, limits: Limits) -> RawWorkbook:
    text, _encoding, notes = decode_text(path, data)
    _check_text(path, text)
    sample = text[:8192]
    delimiter = ","  # what the sniffer gives when the sample has no tab and no semicolon
    if "\t" in sample or ";" in sample:
        try:
            delimiter = csv.Sniffer().sniff(sample, delimiters=",\t;").delimiter
        except csv.Error:
            pass
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    del text
    rows: list[list[Any]] = []
    width = 0
    max_cells = limits.max_cells
    try:  # row by row, refused at the cell limit before the rows grow past it
        for row in reader:
            rows.append([None if c.strip() == "" else c for c in row])
            if len(row) > width:
                width = len(row)
            if len(rows) * width > max_cells:
                raise FileTooLargeError(
                    path,
                    f"CSV 至少有 {len(rows):,} 行 × {width:,} 列，超过 {max_cells:,} 个单元格上限",
                )
    except csv.Error as exc:
        raise UnreadableFileError(path, f"第 {reader.line_num} 行无法解析（{exc}）") from None
    except MemoryError:
        raise FileTooLargeError(path, "读取 CSV 时内存不足") from None
    notes.extend(_ragged_rows(rows, path.stem))
    return RawWorkbook(path=path, format="csv", sheets=[RawSheet(path.stem, rows)], notes=notes)


def _ragged_rows(rows: list[list[Any]], sheet: str) -> list[Problem]:
    """Rows with more (or, in a file whose rows normally all have the same number of
    fields, fewer) fields than the usual row: their values may have shifted."""

    def used(row: list[Any]) -> int:
        n = len(row)
        while n and row[n - 1] is None:
            n -= 1
        return n

    filled_in = [len(r) - r.count(None) for r in rows]
    full = [len(r) for r, f in zip(rows, filled_in, strict=True) if f >= 2]
    if not full:
        return []
    usual, freq = Counter(full).most_common(1)[0]
    uniform = freq >= 0.7 * len(full)
    notes = []
    for i, (row, filled) in enumerate(zip(rows, filled_in, strict=True), start=1):
        if len(row) <= usual and not (uniform and len(row) < usual and filled >= 2):
            continue  # neither longer nor, in a uniform file, shorter than the usual row
        n_used = used(row)
        if n_used > usual:
            notes.append(
                Problem(
                    "warning",
                    "ragged_row",
                    f"第 {i} 行有 {n_used} 个字段，比一般行（{usual} 个）多 {n_used - usual} 个，"
                    "可能是数字中的千分位逗号（如 8,000）没有加引号，该行各列可能错位；"
                    "多出的内容保留在右侧列中，请核对",
                    sheet=sheet,
                    row=i,
                    column=usual,
                    value=",".join("" if v is None else str(v) for v in row)[:120],
                )
            )
        elif uniform and len(row) < usual and filled >= 2:
            notes.append(
                Problem(
                    "warning",
                    "ragged_row",
                    f"第 {i} 行只有 {len(row)} 个字段，比一般行（{usual} 个）少，"
                    "该行各列可能错位，请核对",
                    sheet=sheet,
                    row=i,
                    column=len(row),
                    value=",".join("" if v is None else str(v) for v in row)[:120],
                )
            )
    return notes


# ---------------------------------------------------------------------------------------
# HTML tables saved as .xls by web systems


def _read_html(path: Path, data: bytes, limits: Limits) -> RawWorkbook:
    from html.parser import HTMLParser

    text, _enc, notes = decode_text(path, data)
    _check_text(path, text)
    max_cells = limits.max_cells

    class _Tables(HTMLParser):
        def __init__(self) -> None:
            super().__init__(convert_charrefs=True)
            self.tables: list[list[list[str | None]]] = []
            self.row: list[str | None] | None = None
            self.cell: list[str] | None = None
            self.span = 1
            self.rowspan = 1
            self.carry: dict[int, int] = {}  # column -> rows still covered by a rowspan
            self.cells = 0

        def _fill_carried(self) -> None:
            assert self.row is not None
            while self.carry.get(len(self.row), 0) > 0:
                self.carry[len(self.row)] -= 1
                self.row.append(None)

        def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
            if tag == "table":
                self.tables.append([])
                self.carry = {}
            elif tag == "tr" and self.tables:
                self.row = []
            elif tag in ("td", "th") and self.row is not None:
                self._fill_carried()
                self.cell = []
                a = dict(attrs)
                span, rowspan = a.get("colspan") or "", a.get("rowspan") or ""
                self.span = min(int(span), 200) if span.isdigit() and int(span) > 0 else 1
                self.rowspan = (
                    min(int(rowspan), 1000) if rowspan.isdigit() and int(rowspan) > 0 else 1
                )
            elif tag == "br" and self.cell is not None:
                self.cell.append("\n")

        def handle_endtag(self, tag: str) -> None:
            if tag in ("td", "th") and self.cell is not None and self.row is not None:
                value = "".join(self.cell).strip()
                start = len(self.row)
                self.row.append(value or None)
                self.row.extend([None] * (self.span - 1))
                if self.rowspan > 1:
                    for c in range(start, start + self.span):
                        self.carry[c] = self.rowspan - 1
                self.cell = None
                self.cells += self.span * self.rowspan
                if self.cells > max_cells:
                    raise FileTooLargeError(path, f"网页表格超过 {max_cells:,} 个单元格上限")
            elif tag == "tr" and self.row is not None and self.tables:
                self._fill_carried()
                self.tables[-1].append(self.row)
                self.row = None

        def handle_data(self, data: str) -> None:
            if self.cell is not None:
                self.cell.append(data)

    parser = _Tables()
    parser.feed(text)
    parser.close()
    tables = [t for t in parser.tables if t]
    if not tables:
        raise NotASpreadsheetError(path, "这是一个网页文件，其中没有表格")
    sheets = [
        RawSheet(name=path.stem if i == 0 else f"{path.stem}_{i + 1}", rows=t)
        for i, t in enumerate(tables)
    ]
    notes.append(
        Problem(
            "info",
            "html_as_spreadsheet",
            "文件实际是网页表格（常见于系统导出的 .xls），已按表格读取",
        )
    )
    return RawWorkbook(path=path, format="html", sheets=sheets, notes=notes)
