"""Pre-flight of OLE2 compound files (.xls, encrypted OOXML): the directory, the workbook
stream, one walk of its BIFF records."""

from __future__ import annotations

import re
import struct
from pathlib import Path
from typing import Any

from zqcampaign.errors import (
    EncryptedFileError,
    NotASpreadsheetError,
    UnreadableFileError,
)
from zqcampaign.io.base import (
    Limits,
    Preflight,
    _add,
    _macro_note,
    _mismatch_note,
    _summarise,
)
from zqcampaign.io.cells import cell_address
from zqcampaign.io.strings import COPIES, biff_sst_lengths, check_expansion
from zqcampaign.issues import Problem

_END = 0xFFFFFFFA  # sector numbers at or above this mark chain ends / special sectors


class _Cfb:
    """A minimal reader of OLE2 compound files (the container of .xls): the directory
    names and the bytes of one stream. Raises :class:`UnreadableFileError` when the
    structure is broken (a truncated download, a corrupt file)."""

    def __init__(self, path: Path, data: bytes, limits: Limits):
        self.path = path
        self.data = data
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


def _check_ole2(path: Path, data: bytes, suffix: str, limits: Limits) -> Preflight:
    cfb = _Cfb(path, data, limits)
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
    check_expansion(pf, limits)
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
_NONZERO = re.compile(rb"[^\x00]")


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
    sst: list[bytes] = []  # the SST record and its CONTINUE records
    sst_open = False
    lengths: Any = None
    string_refs = string_bytes = 0

    def error_cell(body: bytes, code: int, what: str, fix: str) -> None:
        shown = _BIFF_ERRORS.get(code, "#ERROR")
        ref = _biff_ref(body)
        message = f"单元格 {cell_address(*ref)} {what} {shown}，读入为空白；请在原表{fix}或填写数值"
        _add(pf, counts, limits, "error_cell", current or "", ref, shown, message)

    n_lengths = 0
    nonzero = _NONZERO.search
    while pos <= end:
        typ, length, row, col = unpack("<HHHH", padded, pos)
        if typ == 0x00FD:  # LABELSST, the commonest record: a reference to a shared string
            if length >= 10:
                if lengths is None:
                    lengths = biff_sst_lengths(sst)
                    n_lengths = len(lengths)
                (index,) = unpack("<I", stream, pos + 10)
                string_refs += 1
                if index < n_lengths:
                    string_bytes += lengths[index]
            if length >= 4:
                if row >= max_row:
                    max_row = row + 1
                if col >= max_col:
                    max_col = col + 1
            pos += 4 + length
            continue
        if not typ and not length:
            # zero bytes (writers pad the stream to 4 KB): a run of empty type-0 records,
            # stepped over at once to the first record that is not all zero
            found = nonzero(stream, pos)
            pos += ((found.start() if found else len(stream)) - pos) // 4 * 4
            sst_open = False
            continue
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
        elif typ == 0x00FC:  # SST
            sst, sst_open = [stream[pos + 4 : pos + 4 + length]], True
            pos += 4 + length
            continue
        elif typ == 0x003C and sst_open:  # CONTINUE of the SST
            sst.append(stream[pos + 4 : pos + 4 + length])
            pos += 4 + length
            continue
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
        sst_open = False
        pos += 4 + length
    for sheet in sheets.values():
        _summarise(counts, sheet, pf, limits)
    pf.string_refs, pf.string_bytes = string_refs, COPIES * string_bytes
    return max(largest, max_row * max_col)


def _biff_ref(body: bytes) -> tuple[int, int]:
    row, col = struct.unpack_from("<HH", body)
    return row + 1, col
