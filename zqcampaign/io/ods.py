"""Pre-flight of .ods workbooks: repeated rows and columns of non-empty cells in
``content.xml``."""

from __future__ import annotations

import re
import zipfile
from pathlib import Path

from zqcampaign.errors import (
    FileTooLargeError,
    UnreadableFileError,
)
from zqcampaign.io.base import Limits, Preflight, _macro_note, _mismatch_note
from zqcampaign.io.cells import EXCEL_MAX_COLS
from zqcampaign.io.zipcheck import _check_prologs, _Inflater

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
