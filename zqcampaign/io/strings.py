"""Shared-string bombs: the memory a workbook's shared strings expand to.

A 1.5 MB .xlsx with one 2 MB shared string referenced by 5,000 cells is within every size
limit, yet the readers copy the string into every cell (10 GB) and the process aborts; an
.xls with 100,000 LABELSST cells of one 32,767-character string does the same. The
pre-flight estimates the expansion — for each referencing cell the size of the string it
references, from the string table's lengths — and the file is then read in this process,
in the capped child, or refused (:attr:`~zqcampaign.io.base.Limits.max_inprocess_string_bytes`,
:attr:`~zqcampaign.io.base.Limits.child_memory_bytes`).
"""

from __future__ import annotations

import re
import struct
import zipfile
from array import array
from collections.abc import Iterable
from pathlib import Path

from zqcampaign.errors import FileTooLargeError
from zqcampaign.io.base import Limits, Preflight, _size
from zqcampaign.io.zipcheck import _Inflater

__all__ = ["biff_sst_lengths", "check_expansion", "xlsx_string_bytes"]

COPIES = 2
"""Copies of a cell's text while it is read: the reader's own, then the Python string."""

_SI_END = re.compile(rb"</(?:\w+:)?si>")
_S_CELL = re.compile(rb"""\bt\s*=\s*["']s["'][^>]*>\s*<(?:\w+:)?v>\s*(\d{1,10})\s*<""")


def _si_lengths(inflater: _Inflater, info: zipfile.ZipInfo) -> array:
    """Bytes of each ``<si>`` of sharedStrings.xml (its text, tags included: an upper bound)."""
    out = array("q")
    last = 0  # offset of the previous </si> end, in the whole part
    offset = 0
    tail = b""
    for chunk in inflater.chunks(info):
        data = tail + chunk
        base = offset - len(tail)
        end = 0
        for m in _SI_END.finditer(data):
            pos = base + m.end()
            out.append(pos - last)
            last = pos
            end = m.end()
        tail = data[max(end, len(data) - 16) :]
        offset += len(chunk)
    return out


def xlsx_string_bytes(
    path: Path,
    zf: zipfile.ZipFile,
    sst_part: str | None,
    sheet_parts: Iterable[str],
    pf: Preflight,
    limits: Limits,
) -> int:
    """Estimate of what the shared strings of an .xlsx expand to [bytes]: cheap first (the
    longest string times the references), exact (each reference's own string) only when
    the cheap bound is over the in-process budget."""
    if not sst_part or sst_part not in zf.namelist() or not pf.string_refs:
        return 0
    lengths = _si_lengths(_Inflater(path, zf, limits), zf.getinfo(sst_part))
    if not lengths:
        return 0
    longest = max(lengths)
    if COPIES * longest * pf.string_refs <= limits.max_inprocess_string_bytes:
        return COPIES * longest * pf.string_refs
    total = 0
    n = len(lengths)
    inflater = _Inflater(path, zf, limits)
    for part in sheet_parts:
        tail = b""
        for chunk in inflater.chunks(zf.getinfo(part)):
            cut = chunk.rfind(b">") + 1
            data, tail = tail + chunk[:cut], chunk[cut:]
            for m in _S_CELL.finditer(data):
                i = int(m.group(1))
                if i < n:
                    total += lengths[i]
        for m in _S_CELL.finditer(tail):
            i = int(m.group(1))
            if i < n:
                total += lengths[i]
    return COPIES * total


def biff_sst_lengths(records: list[bytes]) -> array:
    """Bytes (UTF-8, at most) of each string of a BIFF8 SST record and its CONTINUE records
    (a string's characters may continue in the next record, which then starts with a flags
    byte)."""
    out = array("q")
    if not records or len(records[0]) < 8:
        return out
    unique = struct.unpack_from("<I", records[0], 4)[0]
    rec, pos = 0, 8
    cur = records[0]

    def advance() -> bool:
        nonlocal rec, cur, pos
        rec += 1
        if rec >= len(records):
            return False
        cur, pos = records[rec], 0
        return True

    unpack, append = struct.unpack_from, out.append
    size, count = len(cur), 0
    while count < unique:
        if pos + 3 > size:
            if not advance():
                break
            size = len(cur)
            if pos + 3 > size:
                break
        cch, flags = unpack("<HB", cur, pos)
        pos += 3
        count += 1
        if not flags & 0x0C:  # no formatting runs, no phonetic block: the common string
            end = pos + (cch << (flags & 0x01))
            if end <= size:  # all its characters in this record
                pos = end
                append(cch * (3 if flags & 0x01 else 2))
                continue
        runs = ext = 0
        if flags & 0x08:
            runs = struct.unpack_from("<H", cur, pos)[0] if pos + 2 <= len(cur) else 0
            pos += 2
        if flags & 0x04:
            ext = struct.unpack_from("<I", cur, pos)[0] if pos + 4 <= len(cur) else 0
            pos += 4
        wide, left = flags & 0x01, cch
        while left:
            width = 2 if wide else 1
            take = min(left, max(0, len(cur) - pos) // width)
            pos += take * width
            left -= take
            if left:
                if not advance() or not cur:
                    return out
                wide, pos = cur[0] & 0x01, 1
        skip = 4 * runs + ext
        while skip:
            step = min(skip, len(cur) - pos)
            pos += step
            skip -= step
            if skip and not advance():
                return out
        size = len(cur)
        append(cch * (3 if flags & 0x01 else 2))  # UTF-8 bytes, at most
    return out


def check_expansion(pf: Preflight, limits: Limits) -> None:
    """Read a workbook whose strings expand beyond the in-process budget in the child;
    refuse one that would not fit the child either."""
    if pf.string_bytes > limits.child_memory_bytes:
        raise FileTooLargeError(
            pf.path,
            f"{pf.string_refs:,} 个单元格引用共享字符串，读取时展开后约 {_size(pf.string_bytes)}，"
            f"超过 {_size(limits.child_memory_bytes)} 上限（疑似字符串炸弹：同一段长文字被大量"
            "单元格引用）；请删除重复的长文字",
        )
    if pf.string_bytes > limits.max_inprocess_string_bytes:
        pf.isolate = True
