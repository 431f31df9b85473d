"""Pre-flight checks: look at a ledger file's bytes before any spreadsheet reader does.

A county ledger can be broken or hostile in ways that the Rust readers do not survive: a
5 KB .xlsx with one value in ``XFD1048576`` makes python-calamine allocate 17 billion cells
and abort the whole Python process; a zip bomb is inflated to the end; an entity bomb or an
external entity hides in an XML part. The checks here are cheap and run first:

1. :func:`sniff_format` — the real format from the first bytes (zip, OLE2, HTML, text),
   whatever the file name says.
2. For zip containers (.xlsx/.xlsm/.ods): the central directory — entry count, total and
   per-entry inflated size, compression ratio, duplicate names.
3. For .xlsx: every worksheet part is inflated in chunks (never more than the limits allow)
   and scanned on the bytes for cell references beyond the sheet's ``<dimension>`` or the
   Excel grid, cells without a reference, DOCTYPE/ENTITY declarations; the same pass finds
   error cells (``t="e"``), formulas saved without a value and negative date serials.
   Only when the quick scan sees something unusual is an exact (slower) pass made.
4. For .ods: ``content.xml``'s ``number-rows-repeated`` / ``number-columns-repeated`` on
   non-empty cells.
5. For OLE2 (.xls, encrypted .xlsx): the compound-file directory — is there a workbook
   stream, is it encrypted, are there macros.

What cannot be bounded cheaply up front (legacy .xls, .ods, .xlsb) is read in a child
process with memory and time limits (see :mod:`zqcampaign.io.readers`). Every refusal is a
:class:`~zqcampaign.errors.LedgerError` subclass naming the file and the limit, in Chinese.
"""

from __future__ import annotations

import functools
import re
import struct
import zipfile
import zlib
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path, PurePath

from zqcampaign.errors import (
    EmptyFileError,
    EncryptedFileError,
    FileTooLargeError,
    NotASpreadsheetError,
    UnreadableFileError,
    UnsafeFileError,
    UnsupportedFormatError,
)
from zqcampaign.issues import Problem

__all__ = [
    "DEFAULT_LIMITS",
    "CellNote",
    "Limits",
    "Preflight",
    "cell_address",
    "col_letters",
    "is_litter",
    "preflight",
    "sniff_format",
]

MB = 1 << 20
EXCEL_MAX_ROWS = 1_048_576
EXCEL_MAX_COLS = 16_384


@dataclass(frozen=True)
class Limits:
    """Safety limits of the pre-flight and of the isolated reader.

    The defaults leave ample room for county ledgers (a 100,000-row, 30-column sheet is
    3 million cells and 60-100 MB of sheet XML) while keeping a hostile file far below 1 GB
    of memory.
    """

    max_file_bytes: int = 200 * MB
    """Size of any ledger file on disk [bytes]."""
    max_text_bytes: int = 64 * MB
    """Size of a CSV or HTML file, which is read into memory whole [bytes]."""
    max_zip_entries: int = 10_000
    """Number of parts in an .xlsx/.ods zip container."""
    max_inflated_bytes: int = 200 * MB
    """Total inflated size of all parts of a zip container [bytes]."""
    max_ratio: float = 200.0
    """Inflated / compressed size of one part (parts above 1 MB inflated)."""
    max_cells: int = 5_000_000
    """Cells of one sheet's used range once densified (rows x columns)."""
    max_workbook_cells: int = 20_000_000
    """Cells of all sheets of one workbook once densified."""
    child_memory_bytes: int = 1024 * MB
    """Extra address space the isolated reader may allocate [bytes]."""
    child_seconds: float = 120.0
    """Wall time the isolated reader may take for one file [s]."""
    max_notes_per_code: int = 200
    """Per sheet and note code, notes with a cell address; the rest are counted in one."""
    max_inprocess_xls_cells: int = 1_000_000
    """Cells of an .xls sheet's bounded range (cell records and DIMENSIONS) up to which it
    is read in this process; beyond, or when unbounded, it is read in the isolated child."""


DEFAULT_LIMITS = Limits()


CellNote = Problem
"""Old name of :class:`zqcampaign.issues.Problem` (a reader or writer note), kept for one
release for the output modules that still import it from here; use ``Problem``."""


@dataclass
class Preflight:
    """What the pre-flight learned about one file."""

    path: Path
    kind: str
    """Real container: "zip" | "ole2" | "html" | "text" | "xml2003"."""
    format: str
    """Reader format: "xlsx" | "xlsb" | "ods" | "xls" | "csv" | "html"."""
    notes: list[Problem] = field(default_factory=list)
    isolate: bool = False
    """True when the reader must run in a child process (no cheap bound exists)."""
    sheet_cells: dict[str, int] = field(default_factory=dict)
    """Estimate of each sheet's densified cells (xlsx only)."""


# ---------------------------------------------------------------------------------------
# litter


_LITTER_NAMES = {"thumbs.db", "ehthumbs.db", "desktop.ini", ".ds_store", ".localized"}


def is_litter(path: str | Path) -> bool:
    """True for Office lock files and operating-system litter, which are skipped quietly.

    ``~$name.xlsx`` (Excel/WPS owner file), ``.~lock.name#`` (LibreOffice), ``Thumbs.db``,
    ``desktop.ini``, ``.DS_Store``, ``._name`` (macOS resource forks) and anything inside a
    ``__MACOSX`` folder.
    """
    p = PurePath(path)
    name = p.name
    if name.startswith(("~$", ".~lock.", "._")) or name.lower() in _LITTER_NAMES:
        return True
    if name.startswith("~") and name.lower().endswith(".tmp"):
        return True  # Excel's temporary save files (~WRL0001.tmp)
    return "__MACOSX" in p.parts


# ---------------------------------------------------------------------------------------
# format sniffing

_OLE2 = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_HTML_STARTS = (b"<!doctype html", b"<html", b"<table", b"<head", b"<body", b"<meta")


def sniff_format(path: str | Path, head: bytes) -> str:
    """The real container of a file from its first bytes, whatever its name says.

    Returns one of "zip", "ole2", "html", "xml2003" (Excel 2003 XML), "text", "binary",
    "empty".
    """
    if not head:
        return "empty"
    if head.startswith(b"PK\x03\x04"):
        return "zip"
    if head.startswith(_OLE2):
        return "ole2"
    if head.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            text = head[:4096].decode("utf-16")
        except UnicodeDecodeError:
            return "binary"
        stripped = text.lstrip("\ufeff \t\r\n").lower().encode("utf-8", "replace")
    else:
        stripped = head.lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    if b"urn:schemas-microsoft-com:office:spreadsheet" in stripped[:4096] or (
        b'progid="excel.sheet"' in stripped[:4096]
    ):
        return "xml2003"
    if stripped.startswith(_HTML_STARTS) or b"<table" in stripped[:4096]:
        return "html"
    if stripped.startswith(b"<?xml"):
        return "html" if b"<html" in stripped[:4096] else "binary"
    if b"\x00" in head[:4096] and not head.startswith((b"\xff\xfe", b"\xfe\xff")):
        return "binary"
    return "text"


# ---------------------------------------------------------------------------------------
# entry point


def preflight(path: str | Path, *, limits: Limits = DEFAULT_LIMITS) -> Preflight:
    """Check a ledger file before any reader sees it.

    Parameters
    ----------
    path
        The file.
    limits
        Safety limits; :data:`DEFAULT_LIMITS` unless given.

    Returns
    -------
    Preflight
        The real format, notes about cells whose values would change on reading, and
        whether the reader must be isolated in a child process.

    Raises
    ------
    LedgerError
        A subclass naming the file and the limit: :class:`EmptyFileError`,
        :class:`NotASpreadsheetError`, :class:`EncryptedFileError`,
        :class:`FileTooLargeError`, :class:`UnsafeFileError`, :class:`UnreadableFileError`,
        :class:`UnsupportedFormatError`.
    """
    path = Path(path)
    try:
        size = path.stat().st_size
        with open(path, "rb") as fh:
            head = fh.read(8192)
    except OSError as exc:
        raise UnreadableFileError(path, f"无法打开（{exc.strerror or exc}）") from None
    if size > limits.max_file_bytes:
        raise FileTooLargeError(
            path, f"文件大小 {_size(size)} 超过 {_size(limits.max_file_bytes)} 上限"
        )
    kind = sniff_format(path, head)
    suffix = path.suffix.lower()
    if kind == "empty":
        raise EmptyFileError(path, "文件大小为 0")
    if kind == "binary":
        raise NotASpreadsheetError(
            path, "文件内容不是电子表格（既不是 Excel/WPS 表格，也不是文本）"
        )
    if kind == "xml2003":
        raise UnsupportedFormatError(
            path, "文件是 Excel 2003 XML 表格（常见于系统导出），本程序不读取该格式"
        )
    if kind in ("html", "text"):
        if size > limits.max_text_bytes:
            raise FileTooLargeError(
                path, f"文本文件大小 {_size(size)} 超过 {_size(limits.max_text_bytes)} 上限"
            )
        fmt = "html" if kind == "html" else "csv"
        pf = Preflight(path, kind, fmt)
        if kind == "text" and suffix in (".xlsx", ".xlsm", ".xls", ".ods"):
            pf.notes.append(
                Problem(
                    "info",
                    "format_mismatch",
                    f"文件扩展名为 {suffix}，但内容实际是 CSV 文本，已按 CSV 读取",
                    value=suffix,
                )
            )
        return pf
    if kind == "ole2":
        return _check_ole2(path, suffix, limits)
    return _check_zip(path, suffix, limits)


def _size(n: float) -> str:
    if n >= 1 << 30:
        return f"{n / (1 << 30):.1f} GB"
    if n >= MB:
        return f"{n / MB:.0f} MB"
    return f"{n / 1024:.0f} KB"


def _mismatch_note(suffix: str, fmt: str) -> Problem | None:
    expected = {".xlsx": "xlsx", ".xlsm": "xlsx", ".xls": "xls", ".ods": "ods", ".xlsb": "xlsb"}
    if suffix in expected and expected[suffix] != fmt:
        return Problem(
            "info",
            "format_mismatch",
            f"文件扩展名为 {suffix}，但内容实际是 .{fmt} 格式，已按 .{fmt} 读取",
            value=suffix,
        )
    return None


# ---------------------------------------------------------------------------------------
# OLE2 compound files (.xls, encrypted OOXML)


_END = 0xFFFFFFFA  # sector numbers at or above this mark chain ends / special sectors


class _Cfb:
    """A minimal reader of OLE2 compound files (the container of .xls): the directory
    names and the bytes of one stream. Raises :class:`UnreadableFileError` when the
    structure is broken (a truncated download, a corrupt file)."""

    def __init__(self, path: Path, limits: Limits):
        self.path = path
        with open(path, "rb") as fh:
            self.data = data = fh.read()
        if len(data) < 512:
            raise UnreadableFileError(path, "文件头不完整（文件可能被截断）")
        shift, mini_shift = struct.unpack_from("<HH", data, 30)
        if shift not in (9, 12) or mini_shift != 6:
            raise UnreadableFileError(path, "复合文件结构损坏")
        self.ssize = 1 << shift
        (n_fat, dir_start, _, self.cutoff, mini_fat_start, n_mini_fat, difat_start, _) = (
            struct.unpack_from("<8I", data, 44)
        )
        difat = list(struct.unpack_from("<109I", data, 76))
        sector, hops = difat_start, 0
        while sector < _END and hops < 10_000:
            words = struct.unpack_from(f"<{self.ssize // 4}I", self._sector(sector))
            difat.extend(words[:-1])
            sector, hops = words[-1], hops + 1
        self.fat: list[int] = []
        for s in [s for s in difat[:n_fat] if s < _END]:
            self.fat.extend(struct.unpack_from(f"<{self.ssize // 4}I", self._sector(s)))
        self.entries: dict[str, tuple[int, int, int]] = {}  # name -> (type, start, size)
        directory = self._chain(dir_start)
        root_start = 0
        for i in range(len(directory) // 128):
            entry = directory[i * 128 : (i + 1) * 128]
            nlen = struct.unpack_from("<H", entry, 64)[0]
            kind = entry[66]
            if not (2 <= nlen <= 64 and kind in (1, 2, 5)):
                continue
            name = entry[: nlen - 2].decode("utf-16-le", "replace").lower()
            start, size = struct.unpack_from("<IQ", entry, 116)
            if kind == 5:
                root_start = start
            self.entries.setdefault(name, (kind, start, size))
        self.mini_fat = (
            list(struct.unpack(f"<{len(c) // 4}I", c))
            if n_mini_fat and (c := self._chain(mini_fat_start))
            else []
        )
        self._root_start = root_start
        self._mini: bytes | None = None
        self.limits = limits

    @property
    def names(self) -> set[str]:
        return set(self.entries)

    def _sector(self, n: int) -> bytes:
        off = (n + 1) * self.ssize
        if off + self.ssize > len(self.data):
            raise UnreadableFileError(self.path, "复合文件结构损坏（文件可能被截断）")
        return self.data[off : off + self.ssize]

    def _chain(self, start: int) -> bytes:
        out, sector, seen = [], start, 0
        while sector < _END:
            out.append(self._sector(sector))
            seen += 1
            if sector >= len(self.fat) or seen > len(self.fat):
                raise UnreadableFileError(self.path, "复合文件扇区链损坏")
            sector = self.fat[sector]
        return b"".join(out)

    def read(self, name: str) -> bytes:
        _kind, start, size = self.entries[name]
        if size >= self.cutoff:
            return self._chain(start)[:size]
        if self._mini is None:
            self._mini = self._chain(self._root_start)
        out, sector, seen = [], start, 0
        while sector < _END:
            off = sector * 64
            if off + 64 > len(self._mini) or sector >= len(self.mini_fat) or seen > 1 << 20:
                raise UnreadableFileError(self.path, "复合文件迷你流损坏")
            out.append(self._mini[off : off + 64])
            sector, seen = self.mini_fat[sector], seen + 1
        return b"".join(out)[:size]


def _check_ole2(path: Path, suffix: str, limits: Limits) -> Preflight:
    cfb = _Cfb(path, limits)
    names = cfb.names
    if {"encryptioninfo", "encryptedpackage"} & names:
        raise EncryptedFileError(path, "文件设置了打开密码（加密的 Excel 文件）")
    stream = "workbook" if "workbook" in names else "book" if "book" in names else None
    if stream is None:
        if "worddocument" in names:
            raise NotASpreadsheetError(path, "这是 Word 文档")
        if "powerpoint document" in names:
            raise NotASpreadsheetError(path, "这是 PowerPoint 文件")
        raise NotASpreadsheetError(path, "复合文件中没有工作簿")
    pf = Preflight(path, "ole2", "xls", isolate=True)
    note = _mismatch_note(suffix, "xls")
    if note:
        pf.notes.append(note)
    if "_vba_project_cur" in names or "vba" in names:
        pf.notes.append(_macro_note())
    data = cfb.read(stream)
    if b"\x2f\x00" in data[:4096] and _biff_encrypted(data):
        raise EncryptedFileError(path, "文件设置了打开密码（加密的 .xls 文件）")
    # One walk of the records gives the notes and a bound on every sheet's range; a
    # workbook whose ranges are bounded and small is read in this process (no fork).
    cells = _scan_biff(path, data, pf, limits)
    pf.isolate = cells is None or cells > limits.max_inprocess_xls_cells
    return pf


def _biff_encrypted(stream: bytes) -> bool:
    """FILEPASS in the workbook globals (before the first sheet's BOF)."""
    pos, end, bofs = 0, min(len(stream), 1 << 20) - 4, 0
    while pos <= end:
        typ, length = struct.unpack_from("<HH", stream, pos)
        if typ == 0x002F:
            return True
        if typ == 0x0809:
            bofs += 1
            if bofs > 1:
                return False
        pos += 4 + length
    return False


_BIFF_ERRORS = {
    0x00: "#NULL!",
    0x07: "#DIV/0!",
    0x0F: "#VALUE!",
    0x17: "#REF!",
    0x1D: "#NAME?",
    0x24: "#NUM!",
    0x2A: "#N/A",
}


_BIFF_CELLS = frozenset({0x0203, 0x027E, 0x00FD, 0x0201, 0x0204, 0x0205, 0x0006, 0x0208})
_BIFF_MULTI = frozenset({0x00BD, 0x00BE})  # MULRK, MULBLANK: row, first col, ..., last col


def _scan_biff(path: Path, stream: bytes, pf: Preflight, limits: Limits) -> int | None:
    """Walk the BIFF records of an .xls workbook stream once: password protection, the
    1904 date system, error values and formulas whose saved result is empty.

    Only record headers are decoded, except for the records that matter (BOUNDSHEET, BOF,
    FILEPASS, DATEMODE, FORMULA, BOOLERR, DIMENSIONS, and the row and column of cell and
    ROW records). Returns the largest sheet range (rows x columns, the larger of what the
    cells and the DIMENSIONS record say), or None when the stream cannot be bounded.
    """
    unpack = struct.unpack_from
    sheets: dict[int, str] = {}
    current: str | None = None
    counts: dict[str, int] = {}
    pos, end = 0, len(stream) - 4
    padded = stream + bytes(4)  # every header can be read with the row and column after it
    wanted = {0x0006, 0x0205, 0x0085, 0x0809, 0x002F, 0x0022}
    cells, multi = _BIFF_CELLS, _BIFF_MULTI
    max_row = max_col = 0
    largest = 0

    def error_cell(body: bytes, code: int, what: str, fix: str) -> None:
        shown = _BIFF_ERRORS.get(code, "#ERROR")
        ref = _biff_ref(body)
        message = f"单元格 {cell_address(*ref)} {what} {shown}，读入为空白；请在原表{fix}或填写数值"
        _add(pf, counts, limits, "error_cell", current or "", ref, shown, message)

    while pos <= end:
        typ, length, row, col = unpack("<HHHH", padded, pos)
        if typ in cells:
            if length >= 4:
                if row >= max_row:
                    max_row = row + 1
                if typ == 0x0208:
                    col = 0  # ROW record: its column field is the first cell's
                if col >= max_col:
                    max_col = col + 1
            if typ not in wanted:
                pos += 4 + length
                continue
        elif typ in multi and length >= 6:
            (last,) = unpack("<H", stream, pos + 4 + length - 2)
            if row >= max_row:
                max_row = row + 1
            if last >= max_col:
                max_col = last + 1
        elif typ == 0x0200:  # DIMENSIONS (BIFF8: rows u32 first/last+1, cols u16 first/last+1)
            if length >= 12:
                _r0, r1, _c0, c1 = unpack("<IIHH", stream, pos + 4)
            elif length >= 8:
                _r0, r1, _c0, c1 = unpack("<HHHH", stream, pos + 4)
            else:
                return None
            max_row, max_col = max(max_row, r1), max(max_col, c1)
        elif typ == 0x000A:  # EOF of a substream: close the sheet's range
            largest = max(largest, max_row * max_col)
            max_row = max_col = 0
        if typ in wanted:
            body = stream[pos + 4 : pos + 4 + length]
            if typ == 0x0006 and len(body) >= 14 and body[12:14] == b"\xff\xff":
                kind = body[6]
                if kind == 2:
                    error_cell(body, body[8], "的公式结果是错误值", "修正公式")
                elif kind == 3:
                    _add(
                        pf,
                        counts,
                        limits,
                        "formula_no_value",
                        current or "",
                        _biff_ref(body),
                        "",
                        f"单元格 {cell_address(*_biff_ref(body))} 是公式，保存的结果为空（可能是"
                        "未经计算的公式），读入为空白；如应有数值，请用 Excel/WPS 打开后重新保存",
                        severity="info",
                    )
            elif typ == 0x0205 and len(body) >= 8 and body[7] == 1:
                error_cell(body, body[6], "是错误值", "修正")
            elif typ == 0x0085 and len(body) >= 8:
                offset, cch, flags = unpack("<I", body)[0], body[6], body[7]
                raw = body[8 : 8 + (cch * 2 if flags & 1 else cch)]
                sheets[offset] = raw.decode("utf-16-le" if flags & 1 else "latin-1", "replace")
            elif typ == 0x0809:
                current = sheets.get(pos, current)
            elif typ == 0x0022 and current is None and body[:2] == b"\x01\x00":
                pf.notes.append(
                    Problem(
                        "info",
                        "date1904",
                        "工作簿使用 1904 日期系统（常见于 Mac 版 Excel），日期已按该系统换算，"
                        "请核对日期是否正确",
                    )
                )
        pos += 4 + length
    for sheet in sheets.values():
        _summarise(counts, sheet, pf, limits)
    return max(largest, max_row * max_col)


def _biff_ref(body: bytes) -> tuple[int, int]:
    row, col = struct.unpack_from("<HH", body)
    return row + 1, col


def _macro_note() -> Problem:
    return Problem(
        "info",
        "macros",
        "文件含有宏（VBA），宏没有运行，只读取了单元格中保存的数据",
    )


# ---------------------------------------------------------------------------------------
# zip containers


_XML_PROLOG_BAD = re.compile(rb"<!(?:DOCTYPE|ENTITY)", re.IGNORECASE)


def _check_zip(path: Path, suffix: str, limits: Limits) -> Preflight:
    try:
        zf = zipfile.ZipFile(path)
    except (zipfile.BadZipFile, EOFError, ValueError):
        raise UnreadableFileError(path, "压缩结构损坏（文件可能被截断或未下载完整）") from None
    with zf:
        infos = zf.infolist()
        _check_central_directory(path, infos, limits)
        names = {i.filename for i in infos}
        if "content.xml" in names or "mimetype" in names:
            return _check_ods(path, zf, suffix, limits)
        if "xl/workbook.bin" in names:
            pf = Preflight(path, "zip", "xlsb", isolate=True)
            note = _mismatch_note(suffix, "xlsb")
            if note:
                pf.notes.append(note)
            _check_prologs(path, zf, [i for i in infos if i.filename.endswith((".xml", ".rels"))])
            return pf
        if "xl/workbook.xml" in names:
            return _check_xlsx(path, zf, suffix, limits)
        if any(n.startswith("word/") for n in names):
            raise NotASpreadsheetError(path, "这是 Word 文档")
        if any(n.startswith("ppt/") for n in names):
            raise NotASpreadsheetError(path, "这是 PowerPoint 文件")
        if any(n.startswith("xl/") for n in names):
            raise UnreadableFileError(path, "缺少工作簿部件 xl/workbook.xml")
        raise NotASpreadsheetError(path, "这是一个压缩包，其中没有工作表")


def _check_central_directory(path: Path, infos: list[zipfile.ZipInfo], limits: Limits) -> None:
    if len(infos) > limits.max_zip_entries:
        raise FileTooLargeError(
            path, f"压缩包内有 {len(infos)} 个部件，超过 {limits.max_zip_entries} 个上限"
        )
    names = [i.filename for i in infos]
    if len(set(names)) != len(names):
        raise UnsafeFileError(path, "压缩包内有重名部件，不同程序会读出不同内容")
    total = sum(i.file_size for i in infos)
    if total > limits.max_inflated_bytes:
        raise FileTooLargeError(
            path, f"解压后大小 {_size(total)} 超过 {_size(limits.max_inflated_bytes)} 上限"
        )
    for i in infos:
        if i.flag_bits & 0x1:
            raise EncryptedFileError(path, f"压缩部件 {i.filename} 已加密")
        if i.file_size > MB and i.file_size > limits.max_ratio * max(i.compress_size, 1):
            ratio = i.file_size / max(i.compress_size, 1)
            raise FileTooLargeError(
                path,
                f"部件 {i.filename} 压缩比 {ratio:.0f}:1 超过 {limits.max_ratio:.0f}:1 上限"
                "（疑似压缩炸弹）",
            )


class _Inflater:
    """Inflate zip parts in chunks, never beyond the declared sizes or the limits."""

    CHUNK = 1 * MB

    def __init__(self, path: Path, zf: zipfile.ZipFile, limits: Limits):
        self.path, self.zf, self.limits = path, zf, limits
        self.total = 0

    def chunks(self, info: zipfile.ZipInfo) -> Iterator[bytes]:
        declared = info.file_size
        seen = 0
        try:
            with self.zf.open(info) as fh:
                while True:
                    chunk = fh.read(self.CHUNK)
                    if not chunk:
                        break
                    seen += len(chunk)
                    self.total += len(chunk)
                    if seen > declared or self.total > self.limits.max_inflated_bytes:
                        raise FileTooLargeError(
                            self.path,
                            f"解压后大小超过 {_size(self.limits.max_inflated_bytes)} 上限",
                        )
                    yield chunk
        except zipfile.BadZipFile as exc:
            raise UnreadableFileError(
                self.path, f"部件 {info.filename} 的压缩数据损坏（{exc}）"
            ) from None
        except zlib.error:
            raise UnreadableFileError(self.path, f"部件 {info.filename} 的压缩数据损坏") from None
        except (EOFError, OSError, NotImplementedError, RuntimeError) as exc:
            raise UnreadableFileError(
                self.path, f"部件 {info.filename} 无法解压（{type(exc).__name__}）"
            ) from None


def _head(zf: zipfile.ZipFile, info: zipfile.ZipInfo, n: int = 4096) -> bytes:
    with zf.open(info) as fh:
        return fh.read(n)


def _check_prolog(path: Path, name: str, head: bytes) -> None:
    if _XML_PROLOG_BAD.search(head):
        raise UnsafeFileError(
            path, f"部件 {name} 含有 DOCTYPE/ENTITY 声明（实体炸弹或外部实体引用），已拒绝读取"
        )


def _check_prologs(path: Path, zf: zipfile.ZipFile, infos: list[zipfile.ZipInfo]) -> None:
    for info in infos:
        try:
            head = _head(zf, info)
        except (zipfile.BadZipFile, zlib.error, EOFError, OSError, NotImplementedError) as exc:
            raise UnreadableFileError(
                path, f"部件 {info.filename} 无法解压（{type(exc).__name__}）"
            ) from None
        _check_prolog(path, info.filename, head)


# ---------------------------------------------------------------------------------------
# xlsx

_SHEET_RE = re.compile(rb"<(?:\w+:)?sheet\b([^>]*)>")
_ATTR_RE = re.compile(rb"""([\w:]+)\s*=\s*(?:"([^"]*)"|'([^']*)')""")
_REL_RE = re.compile(rb"<(?:\w+:)?Relationship\b([^>]*)>")
_DIM_RE = re.compile(
    rb"""<(?:\w+:)?dimension\s+ref\s*=\s*["']([A-Za-z]+)?(\d+)?(?::([A-Za-z]+)(\d+))?["']"""
)
_ROOT_RE = re.compile(rb"<(?:(\w+):)?worksheet\b")
_DATE1904_RE = re.compile(rb"""date1904\s*=\s*["'](?:1|true)["']""")


def _attrs(raw: bytes) -> dict[str, str]:
    out = {}
    for m in _ATTR_RE.finditer(raw):
        key = m.group(1).decode("ascii", "replace")
        out[key.split(":")[-1] if key.startswith(("r:", "x:")) else key] = (
            m.group(2) if m.group(2) is not None else m.group(3)
        ).decode("utf-8", "replace")
    return out


def _resolve(base: str, target: str) -> str:
    if target.startswith("/"):
        return target.lstrip("/")
    parts = [p for p in base.split("/")[:-1]]
    for seg in target.split("/"):
        if seg == "..":
            if parts:
                parts.pop()
        elif seg and seg != ".":
            parts.append(seg)
    return "/".join(parts)


def _rels(zf: zipfile.ZipFile, part: str, names: set[str]) -> dict[str, dict[str, str]]:
    base, _, leaf = part.rpartition("/")
    rels_name = f"{base}/_rels/{leaf}.rels" if base else f"_rels/{leaf}.rels"
    if rels_name not in names:
        return {}
    data = zf.read(rels_name) if zf.getinfo(rels_name).file_size < 4 * MB else b""
    out = {}
    for m in _REL_RE.finditer(data):
        a = _attrs(m.group(1))
        if "Id" in a:
            out[a["Id"]] = a
    return out


def col_index(letters: str) -> int:
    """Column letters -> 0-based index (A -> 0, XFD -> 16383)."""
    n = 0
    for ch in letters.upper():
        n = n * 26 + (ord(ch) - 64)
    return n - 1


def col_letters(index: int) -> str:
    """0-based column index -> letters (0 -> A, 16383 -> XFD); the inverse of
    :func:`col_index`."""
    letters, n = "", index + 1
    while n:
        n, rem = divmod(n - 1, 26)
        letters = chr(65 + rem) + letters
    return letters


def cell_address(row: int, column: int) -> str:
    """1-based row and 0-based column -> ``A1`` style address."""
    return f"{col_letters(column)}{row}"


def _ge_pattern(value: int, *, letters: bool) -> bytes:
    """Regex (bytes) matching a whole column-letter run / digit run denoting >= value.

    Longer runs are larger; runs of equal length compare lexicographically (digits have
    no leading zeros in a reference; column letters are bijective base 26). Trailing
    minimal characters (``0``, ``A``) collapse, so round values give short patterns.
    """
    if letters:
        s, low = col_letters(value), "A"
        alphabet = [chr(c) for c in range(65, 91)]
        cls = "[A-Za-z]"

        def chars(cs: list[str]) -> str:
            return "[" + "".join(cs) + "".join(c.lower() for c in cs) + "]"
    else:
        s, low = str(value), "0"
        alphabet = [str(d) for d in range(10)]
        cls = "[0-9]"

        def chars(cs: list[str]) -> str:
            return "[" + "".join(cs) + "]"

    def rep(n: int) -> str:
        return f"{cls}{{{n}}}" if n > 1 else (cls if n == 1 else "")

    alts = [f"{cls}{{{len(s) + 1},}}"]
    for i, ch in enumerate(s):
        prefix = "".join(chars([c]) if letters else c for c in s[:i])
        rest = len(s) - i - 1
        if set(s[i + 1 :]) <= {low}:  # the rest is minimal: ch or higher, then anything
            alts.append(prefix + chars(alphabet[alphabet.index(ch) :]) + rep(rest))
            break
        higher = alphabet[alphabet.index(ch) + 1 :]
        if higher:
            alts.append(prefix + chars(higher) + rep(rest))
    else:
        alts.append("".join(chars([c]) if letters else c for c in s))
    return ("(?:" + "|".join(alts) + ")").encode()


def _check_xlsx(path: Path, zf: zipfile.ZipFile, suffix: str, limits: Limits) -> Preflight:
    names = set(zf.namelist())
    pf = Preflight(path, "zip", "xlsx")
    note = _mismatch_note(suffix, "xlsx")
    if note:
        pf.notes.append(note)
    inflater = _Inflater(path, zf, limits)

    wb_info = zf.getinfo("xl/workbook.xml")
    if wb_info.file_size > 16 * MB:
        raise FileTooLargeError(path, "工作簿部件 xl/workbook.xml 异常庞大")
    wb_xml = b"".join(inflater.chunks(wb_info))
    _check_prolog(path, "xl/workbook.xml", wb_xml[:4096])
    rels = _rels(zf, "xl/workbook.xml", names)

    # small parts the reader parses: prologs, and inflate-verify large ones
    for info in zf.infolist():
        n = info.filename
        if n.startswith(_NOT_READ) or not n.endswith((".xml", ".rels")):
            continue  # sheets are scanned below; the reader never parses the others
        if n == "xl/workbook.xml":
            continue
        if info.compress_size > 64 * 1024:
            first = True
            for chunk in inflater.chunks(info):
                if first:
                    _check_prolog(path, n, chunk[:4096])
                    first = False
        else:
            _check_prolog(path, n, _head(zf, info))

    if _DATE1904_RE.search(wb_xml):
        pf.notes.append(
            Problem(
                "info",
                "date1904",
                "工作簿使用 1904 日期系统（常见于 Mac 版 Excel），日期已按该系统换算，请核对日期是否正确",
            )
        )
    if any(n.lower().endswith("vbaproject.bin") for n in names):
        pf.notes.append(_macro_note())
    pf.notes.extend(_external_link_notes(zf, names))

    styles = _Styles(zf, names, rels)
    total_cells = 0
    for m in _SHEET_RE.finditer(wb_xml):
        a = _attrs(m.group(1))
        sheet_name = a.get("name", "")
        rel = rels.get(a.get("id", ""))
        if rel is None or "worksheet" not in rel.get("Type", "worksheet"):
            continue  # chart sheets, dialog sheets: the reader skips them too
        part = _resolve("xl/workbook.xml", rel.get("Target", ""))
        if part not in names:
            pf.notes.append(
                Problem(
                    "error",
                    "sheet_part_missing",
                    f"工作表“{sheet_name}”在工作簿目录中登记了，但文件中缺少它的内容（{part}），"
                    "该表无法读取；请用 Excel/WPS 打开确认后另存为 .xlsx 重新报送",
                    sheet=sheet_name,
                )
            )
            continue
        cells = _scan_sheet(path, zf.getinfo(part), sheet_name, inflater, styles, pf, limits)
        pf.sheet_cells[sheet_name] = cells
        total_cells += cells
        if total_cells > limits.max_workbook_cells:
            raise FileTooLargeError(
                path,
                f"各工作表使用范围合计超过 {limits.max_workbook_cells:,} 个单元格上限",
            )
    return pf


_NOT_READ = (
    "xl/worksheets/",
    "xl/theme/",
    "xl/drawings/",
    "xl/charts/",
    "xl/media/",
    "xl/printerSettings/",
    "docProps/",
    "customXml/",
)


def _external_link_notes(zf: zipfile.ZipFile, names: set[str]) -> list[Problem]:
    notes = []
    for n in sorted(names):
        if not re.fullmatch(r"xl/externalLinks/externalLink\d+\.xml", n):
            continue
        targets = [
            r.get("Target", "")
            for r in _rels(zf, n, names).values()
            if r.get("Type", "").endswith(("externalLinkPath", "xlExternalLinkPath/xlPathMissing"))
            or r.get("TargetMode") == "External"
        ]
        target = targets[0] if targets else "（未知文件）"
        notes.append(
            Problem(
                "warning",
                "external_link",
                f"工作簿中的公式引用了外部文件“{target}”，读入的是上次保存时的缓存值，可能已过时；"
                "请在原表中把这些公式粘贴为数值后重新报送",
                value=target,
            )
        )
    return notes


class _Styles:
    """Which cell style indexes (``s=``) carry a date number format; parsed on demand."""

    _BUILTIN_DATES = (
        set(range(14, 23)) | set(range(27, 37)) | set(range(45, 48)) | set(range(50, 59))
    )

    def __init__(self, zf: zipfile.ZipFile, names: set[str], rels: dict[str, dict[str, str]]):
        self.zf, self.names, self.rels = zf, names, rels
        self._dates: set[int] | None = None

    def date_styles(self) -> set[int]:
        if self._dates is None:
            self._dates = self._parse()
        return self._dates

    def _parse(self) -> set[int]:
        part = next(
            (
                _resolve("xl/workbook.xml", r.get("Target", ""))
                for r in self.rels.values()
                if r.get("Type", "").endswith("/styles")
            ),
            "xl/styles.xml",
        )
        if part not in self.names or self.zf.getinfo(part).file_size > 16 * MB:
            return set()
        xml = self.zf.read(part)
        custom = {}
        for m in re.finditer(rb"<(?:\w+:)?numFmt\b([^>]*)>", xml):
            a = _attrs(m.group(1))
            if "numFmtId" in a:
                custom[int(a["numFmtId"])] = a.get("formatCode", "")
        date_ids = set(self._BUILTIN_DATES)
        for fid, code in custom.items():
            bare = re.sub(r'"[^"]*"|\[[^\]]*\]|\\.', "", code).lower()
            if re.search(r"[ymd]", bare) and not re.search(r"^[#0.,%\s]*$", bare):
                date_ids.add(fid)
            else:
                date_ids.discard(fid)
        m = re.search(rb"<(?:\w+:)?cellXfs\b[^>]*>(.*?)</(?:\w+:)?cellXfs>", xml, re.S)
        out = set()
        if m:
            for i, xf in enumerate(re.finditer(rb"<(?:\w+:)?xf\b([^>]*)>", m.group(1))):
                fid = _attrs(xf.group(1)).get("numFmtId", "0")
                if fid.isdigit() and int(fid) in date_ids:
                    out.add(i)
        return out


# Per-chunk scanning. A chunk ends at a ">" so that no tag is split; the tail after the
# last ">" is carried into the next chunk.

_CELL_RE = re.compile(rb"""<(?:\w+:)?c\s[^>]*?\br\s*=\s*["']([A-Za-z]+)(\d+)["'][^>]*>""")
_VALUE_RE = re.compile(rb"<(?:\w+:)?v>([^<]*)</(?:\w+:)?v>")
_FORMULA_RE = re.compile(rb"<(?:\w+:)?f\b[^>]*?(?:/>|>([^<]*)</(?:\w+:)?f>)")
_STYLE_RE = re.compile(rb"""\bs\s*=\s*["'](\d+)["']""")


def _scan_sheet(
    path: Path,
    info: zipfile.ZipInfo,
    sheet: str,
    inflater: _Inflater,
    styles: _Styles,
    pf: Preflight,
    limits: Limits,
) -> int:
    """Scan one worksheet part; return an estimate of its densified cells.

    Safety: a bound (rows, cols) with rows x cols within ``limits.max_cells`` comes from
    the sheet's ``<dimension>`` when present and plausible, else from an exact count of
    the first chunk. Two regex searches per chunk look for a cell beyond the bound (or
    with a malformed reference) and for a cell written without a reference; a chunk with
    a hit is counted exactly and the bound widened while it stays within the limit.
    Notes: plain substring searches for ``t="e"``, ``</f></c>``, ``"/></c>`` and
    ``<v>-``; the rare hits are looked at one by one.
    """
    prefix = b""
    far: re.Pattern[bytes] | None = None
    extent = _Extent()
    bound: tuple[int, int] | None = None  # (rows, cols) the patterns vouch for
    dim: tuple[int, int] = (0, 0)
    first = True
    counts: dict[str, int] = {}
    for data in _tag_chunks(path, sheet, inflater, info):
        if first:
            _check_prolog(path, info.filename, data[:4096])
            root = _ROOT_RE.search(data[:65536])
            prefix = (root.group(1) + b":") if root and root.group(1) else b""
            bound = _dimension_bounds(_DIM_RE.search(data[:65536]), limits)
            if bound is None:  # no usable <dimension>: count the first chunk exactly
                extent.count(data, path, sheet, limits)
                bound = _widen(path, sheet, extent, None, limits)
            else:
                dim = bound
                bound = _quantize(bound, limits)
            far = _safety_patterns(prefix, *bound)
            first = False
        assert far is not None and bound is not None
        if far.search(data):
            extent.count(data, path, sheet, limits)
            bound = _widen(path, sheet, extent, bound, limits)
            far = _safety_patterns(prefix, *bound)
        else:
            extent.follow(data)
        _scan_notes(data, prefix, sheet, styles, pf, counts, limits)
    _summarise(counts, sheet, pf, limits)
    if bound is None:
        return 0
    rows = max(extent.rows, extent.tag_rows, dim[0])
    cols = max(extent.cols, dim[1])
    return min(rows, bound[0]) * min(max(cols, 1), bound[1])


_COL_STEPS = (26, 52, 104, 260, 702, 2048, EXCEL_MAX_COLS)


def _quantize(bound: tuple[int, int], limits: Limits) -> tuple[int, int]:
    """Widen a bound to one of a few shapes (so that compiled patterns are reused and
    short), keeping rows x cols within the limit; else keep it as it is."""
    rows, cols = bound
    for shape in (_SHAPE_26, _SHAPE_52):
        if rows <= shape[0] and cols <= shape[1] and shape[0] * shape[1] <= limits.max_cells:
            return shape
    for step in _COL_STEPS:
        if step >= cols:
            room = limits.max_cells // step
            if room >= rows:
                digits = len(str(room)) - 2
                nice = (room // 10**digits) * 10**digits - 1 if digits > 0 else room
                return max(nice, rows), step
            break
    return bound


def _widen(
    path: Path, sheet: str, extent: _Extent, bound: tuple[int, int] | None, limits: Limits
) -> tuple[int, int]:
    rows, cols = extent.rows, extent.cols
    if rows * cols > limits.max_cells:
        raise FileTooLargeError(
            path,
            f"工作表“{sheet}”的使用范围达 {cell_address(rows, cols - 1)}（{rows:,} 行 × "
            f"{cols:,} 列 = {rows * cols:,} 个单元格），超过 {limits.max_cells:,} 个单元格上限；"
            "多半是远处某个单元格误填了内容，请删除多余的行列后另存",
        )
    cols = max(cols, bound[1] if bound else 0, 1)
    return _quantize((max(rows, bound[0] if bound else 0, 1), cols), limits)


def _tag_chunks(
    path: Path, sheet: str, inflater: _Inflater, info: zipfile.ZipInfo
) -> Iterator[bytes]:
    """Inflated sheet XML in chunks that end after a ``</row>`` (else after a ``>``), so
    that no cell is split between chunks."""
    tail = b""
    for chunk in inflater.chunks(info):
        cut = chunk.rfind(b"row>")
        cut = cut + 4 if cut >= 0 else chunk.rfind(b">") + 1
        data = tail + chunk[:cut]
        tail = chunk[cut:]
        if len(tail) > 8 * MB:
            raise UnreadableFileError(path, f"工作表“{sheet}”的 XML 结构异常（超长标签）")
        if data:
            yield data
    if tail:
        yield tail


def _dimension_bounds(dim: re.Match[bytes] | None, limits: Limits) -> tuple[int, int] | None:
    """(rows, cols) of the sheet's ``<dimension>`` when present and within the limits."""
    if not (dim and dim.group(2)):
        return None
    last_col, last_row = (dim.group(3), dim.group(4)) if dim.group(3) else dim.group(1, 2)
    if not (last_col and last_row and len(last_col) <= 3 and len(last_row) <= 7):
        return None
    rows, cols = int(last_row), col_index(last_col.decode()) + 1
    if (
        0 < rows <= EXCEL_MAX_ROWS
        and 0 < cols <= EXCEL_MAX_COLS
        and rows * cols <= limits.max_cells
    ):
        return rows, cols
    return None


# The two common shapes get hand-written patterns (faster than generated ones): up to
# column Z and row 189,999; up to column AZ and row 95,999 (both under 5 million cells).
_SHAPE_26 = (189_999, 26)
_SHAPE_52 = (95_999, 52)
_FAR = {
    _SHAPE_26: rb"(?:[^A-Z]|[A-Z](?:[A-Z]|(?=[0-9]{6})(?:[2-9]|19|[0-9]{7})))",
    _SHAPE_52: rb"(?:[^A-Z]|[B-Z][A-Z]|[A-Z]{3}|A?[A-Z](?=[0-9]{5})(?:9[6-9]|[0-9]{6}))",
}


@functools.lru_cache(maxsize=64)
def _safety_patterns(prefix: bytes, rows: int, cols: int) -> re.Pattern[bytes]:
    """A cell whose reference lies beyond (rows, cols) or is malformed, or that is written
    without ``r="..."`` as its first attribute (the reader then counts positions, which
    only an exact pass can follow).

    It starts with a literal (``<c``) the regex engine finds fast; an ordinary cell fails
    after a few bytes. Upper-case references only: anything else is looked at exactly.
    """
    p = re.escape(prefix)
    far = _FAR.get((rows, cols))
    if far is None:
        col_ge = _ge_pattern(cols, letters=True)  # 0-based index `cols` is column cols+1
        row_ge = _ge_pattern(rows + 1, letters=False)
        far = rb"(?:[^A-Za-z]|" + col_ge + rb"[0-9]|[A-Za-z]{1,3}" + row_ge + rb'")'
    return re.compile(rb"<" + p + rb'c(?: r="' + far + rb'|(?! r=")[^a-zA-Z:])')


_TYPE_E = re.compile(rb"""\st\s*=\s*["']e["']""")


def _scan_notes(
    data: bytes,
    prefix: bytes,
    sheet: str,
    styles: _Styles,
    pf: Preflight,
    counts: dict[str, int],
    limits: Limits,
) -> None:
    """Error cells, formulas without a saved value, negative date serials in ``data``."""
    v_tag = b"<" + prefix + b"v>"
    if b't="e"' in data or (b"t='" in data[:65536] and b"t='e'" in data):
        for ref, head, body in _cells_at(data, prefix, (b't="e"', b"t='e'")):
            if not _TYPE_E.search(head):
                continue
            value = _VALUE_RE.search(body)
            shown = value.group(1).decode("utf-8", "replace") if value else "#ERROR"
            formula = _FORMULA_RE.search(body)
            how = f"（公式 ={_ftext(formula)}）" if formula and formula.group(1) else ""
            _add(
                pf,
                counts,
                limits,
                "error_cell",
                sheet,
                ref,
                shown,
                f"单元格 {cell_address(*ref)} 是错误值 {shown}{how}，读入为空白；"
                "请在原表修正公式或填写数值",
            )
    f_end = b"</" + prefix + b"f></" + prefix + b"c>"
    if f_end in data:
        # a formula written without its value; then also look for shared-formula children
        # (<f t="shared" si="0"/>) without one, which only such writers produce
        shared_end = b'"/></' + prefix + b"c>"
        for ref, head, body in _cells_at(data, prefix, (f_end, shared_end)):
            formula = _FORMULA_RE.search(body)
            if formula is None or v_tag in body or b"<" + prefix + b"is>" in body:
                continue
            if _TYPE_E.search(head):
                continue  # reported as an error cell
            text = _ftext(formula) if formula.group(1) else ""
            shown = f"={text}" if text else "（共享公式）"
            _add(
                pf,
                counts,
                limits,
                "formula_no_value",
                sheet,
                ref,
                shown,
                f"单元格 {cell_address(*ref)} 是公式 {shown}，但文件中没有保存计算结果，"
                "读入为空白；请用 Excel/WPS 打开后重新保存（会重新计算）再报送",
            )
    neg = v_tag + b"-"
    if neg in data:
        date_styles = styles.date_styles()
        if not date_styles:
            return
        for ref, head, body in _cells_at(data, prefix, (neg,)):
            style = _STYLE_RE.search(head)
            if style is None or int(style.group(1)) not in date_styles:
                continue
            if _FORMULA_RE.search(body):
                continue
            value = _VALUE_RE.search(body)
            shown = value.group(1).decode("utf-8", "replace") if value else ""
            _add(
                pf,
                counts,
                limits,
                "bad_date_serial",
                sheet,
                ref,
                shown,
                f"单元格 {cell_address(*ref)} 设为日期格式，但存的是负数 {shown}，不是有效日期"
                "（读取程序会把它读成 0 点或空白）；请填写如 2023-08-15 的日期",
            )


def _cells_at(
    data: bytes, prefix: bytes, needles: tuple[bytes, ...]
) -> Iterator[tuple[tuple[int, int], bytes, bytes]]:
    """For every occurrence of a needle: the enclosing cell's ((row, col), start tag,
    whole element)."""
    c_open, c_end = b"<" + prefix + b"c ", b"</" + prefix + b"c>"
    for needle in needles:
        pos = data.find(needle)
        while pos >= 0:
            start = data.rfind(c_open, 0, pos + 1)
            if start >= 0:
                tag_end = data.find(b">", start)
                end = data.find(c_end, start)
                head = data[start : tag_end + 1]
                body = head if head.endswith(b"/>") else data[start : end + len(c_end)]
                m = _CELL_RE.match(head)
                if m is not None and tag_end >= 0 and end >= 0:
                    yield (int(m.group(2)), col_index(m.group(1).decode())), head, body
            pos = data.find(needle, pos + 1)


def _ftext(formula: re.Match[bytes]) -> str:
    import html

    return html.unescape(formula.group(1).decode("utf-8", "replace"))


def _add(
    pf: Preflight,
    counts: dict[str, int],
    limits: Limits,
    code: str,
    sheet: str,
    ref: tuple[int, int],
    value: str,
    message: str,
    *,
    severity: str = "warning",
) -> None:
    key = f"{sheet}\0{code}\0{ref[0]}\0{ref[1]}"
    if key in counts:  # seen in the overlap of two chunks
        return
    counts[key] = 1
    n = counts.get(f"{sheet}\0{code}", 0) + 1
    counts[f"{sheet}\0{code}"] = n
    if n <= limits.max_notes_per_code:
        pf.notes.append(
            Problem(severity, code, message, sheet=sheet, row=ref[0], column=ref[1], value=value)
        )


_SUMMARY = {
    "error_cell": "错误值单元格",
    "formula_no_value": "没有保存计算结果的公式",
    "bad_date_serial": "负数日期",
}


def _summarise(counts: dict[str, int], sheet: str, pf: Preflight, limits: Limits) -> None:
    for code, label in _SUMMARY.items():
        n = counts.get(f"{sheet}\0{code}", 0)
        if n > limits.max_notes_per_code:
            pf.notes.append(
                Problem(
                    "warning",
                    code,
                    f"工作表“{sheet}”共有 {n:,} 个{label}，以上只逐个列出前 "
                    f"{limits.max_notes_per_code} 个",
                    sheet=sheet,
                    value=str(n),
                )
            )


_REF_ANY = re.compile(rb"<(?:\w+:)?(c|row)\b([^>]*?)(/?)>")
_R_ATTR = re.compile(rb"""\br\s*=\s*["']([^"']*)["']""")
_REF_PARTS = re.compile(rb"([A-Za-z]{1,3})(\d{1,7})")
_ROW_TAG = re.compile(rb"""<(?:\w+:)?row\s+r\s*=\s*["'](\d+)["']""")
_STRICT_REFS = re.compile(rb'<(?:\w+:)?c r="([A-Za-z]+)(\d+)"')
_MALFORMED_REF = re.compile(rb'<(?:\w+:)?c r="(?![A-Za-z]{1,3}[0-9]{1,7}")([^"]*)"')
_RLESS = re.compile(rb'<(?:\w+:)?c(?! r=")[\s>/]')


class _Extent:
    """The used range of a sheet as calamine will see it, counted chunk by chunk.

    A cell with a reference sits there; one without sits right of the previous cell, in
    the row of the enclosing ``<row>`` (whose own position is its reference, or the
    previous row + 1). Self-closed cells (formatting only) are not counted: the reader
    drops them.
    """

    def __init__(self) -> None:
        self.rows = self.cols = 0  # 1-based counts: max row, max column seen
        self.tag_rows = 0  # last <row> position seen in chunks not counted exactly
        self.row_tag = -1  # 0-based row of the last <row>
        self.col = -1  # 0-based column of the last cell

    def follow(self, data: bytes) -> None:
        """Carry the row position over a chunk the fast patterns vouched for."""
        last = data.rfind(b"row r=")
        if last >= 0:
            m = _ROW_TAG.match(data, data.rfind(b"<", 0, last + 1))
            if m:
                self.row_tag = int(m.group(1)) - 1
                self.tag_rows = max(self.tag_rows, self.row_tag + 1)

    def count(self, data: bytes, path: Path, sheet: str, limits: Limits) -> None:
        """Count a chunk exactly: quickly from the references when every cell has one
        (self-closed cells included, which can only overcount), else tag by tag."""
        if not _RLESS.search(data):
            bad = _MALFORMED_REF.search(data)
            if bad:
                _bad_ref(path, sheet, bad.group(1))
            refs = _STRICT_REFS.findall(data)
            letters = {c for c, _ in refs}
            digits = {r for _, r in refs}
            for c in letters:
                if len(c) > 3 or col_index(c.decode()) >= EXCEL_MAX_COLS:
                    m = re.search(rb'<(?:\w+:)?c r="(' + re.escape(c) + rb'\d*)"', data)
                    _bad_ref(path, sheet, m.group(1) if m else c)
            rows = max((int(r) for r in digits), default=0)
            cols = max((col_index(c.decode()) + 1 for c in letters), default=0)
            if rows > EXCEL_MAX_ROWS or (digits and min(int(r) for r in digits) < 1):
                _bad_ref(path, sheet, next(iter(digits)))
            if max(rows, self.rows) * max(cols, self.cols) <= limits.max_cells:
                self.rows, self.cols = max(rows, self.rows), max(cols, self.cols)
                self.follow(data)
                return
        self._walk(data, path, sheet)

    def _walk(self, data: bytes, path: Path, sheet: str) -> None:
        for m in _REF_ANY.finditer(data):
            tag, attrs, closed = m.group(1), m.group(2), m.group(3)
            ref = _R_ATTR.search(attrs)
            if tag == b"row":
                if ref:
                    text = ref.group(1)
                    if not text.isdigit() or not 1 <= int(text) <= EXCEL_MAX_ROWS:
                        _bad_ref(path, sheet, text)
                    self.row_tag = int(text) - 1
                else:
                    self.row_tag += 1
                self.col = -1
                continue
            row = self.row_tag
            if ref:
                rm = _REF_PARTS.fullmatch(ref.group(1))
                if rm is None:
                    _bad_ref(path, sheet, ref.group(1))
                row, self.col = int(rm.group(2)) - 1, col_index(rm.group(1).decode())
                if not (0 <= row < EXCEL_MAX_ROWS and 0 <= self.col < EXCEL_MAX_COLS):
                    _bad_ref(path, sheet, ref.group(1))
            else:
                self.col += 1
                if self.col >= EXCEL_MAX_COLS:
                    _bad_ref(path, sheet, f"第 {row + 1} 行第 {self.col + 1} 列".encode())
            if not closed:
                self.rows = max(self.rows, row + 1)
                self.cols = max(self.cols, self.col + 1)


def _bad_ref(path: Path, sheet: str, text: bytes) -> None:
    shown = text.decode("utf-8", "replace")[:40]
    raise UnreadableFileError(
        path,
        f"工作表“{sheet}”中的单元格地址 {shown} 超出 Excel 表格范围（最大 XFD1048576），"
        "文件结构已损坏",
    )


# ---------------------------------------------------------------------------------------
# ods


_REPEAT_RE = re.compile(rb"""number-(rows|columns)-repeated\s*=\s*["'](\d+)["']""")


def _check_ods(path: Path, zf: zipfile.ZipFile, suffix: str, limits: Limits) -> Preflight:
    names = set(zf.namelist())
    if "content.xml" not in names:
        raise UnreadableFileError(path, "缺少 content.xml（ODS 文件不完整）")
    infos = [i for i in zf.infolist() if i.filename.endswith((".xml", ".rdf"))]
    _check_prologs(path, zf, infos)
    pf = Preflight(path, "zip", "ods", isolate=True)
    note = _mismatch_note(suffix, "ods")
    if note:
        pf.notes.append(note)
    if any(n.lower().startswith("basic/") and n.lower().endswith(".xml") for n in names):
        pf.notes.append(_macro_note())
    inflater = _Inflater(path, zf, limits)
    tail = b""
    for chunk in inflater.chunks(zf.getinfo("content.xml")):
        cut = chunk.rfind(b">") + 1
        data = tail + chunk[:cut]
        tail = chunk[cut:]
        for m in _REPEAT_RE.finditer(data):
            n = int(m.group(2))
            if n <= 1000:
                continue
            kind = m.group(1)
            start = data.rfind(b"<", 0, m.start())
            tag_end = data.find(b">", m.end())
            tag = data[start : tag_end + 1]
            if kind == b"columns":
                nonempty = b"value-type" in tag or not tag.endswith(b"/>")
                if nonempty and n > EXCEL_MAX_COLS:
                    _ods_bomb(path, f"一个非空单元格被重复 {n:,} 列", limits)
                if nonempty and n > limits.max_cells // 16:
                    _ods_bomb(path, f"一个非空单元格被重复 {n:,} 列", limits)
            else:
                if tag.endswith(b"/>"):
                    continue
                end = data.find(b"row>", tag_end)
                body = data[tag_end : end if end >= 0 else len(data)]
                if b"value-type" in body or b"<text:p" in body:
                    width = 1
                    for c in _REPEAT_RE.finditer(body):
                        if c.group(1) == b"columns":
                            width = max(width, int(c.group(2)))
                    if n * width > limits.max_cells:
                        _ods_bomb(path, f"一行非空单元格被重复 {n:,} 行 × {width:,} 列", limits)
    return pf


def _ods_bomb(path: Path, what: str, limits: Limits) -> None:
    raise FileTooLargeError(
        path,
        f"ODS 表格中{what}，超过 {limits.max_cells:,} 个单元格上限（疑似重复行炸弹）",
    )
