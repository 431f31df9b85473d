"""Which files of a folder are ledgers: the folder walk and the litter skipped quietly."""

from __future__ import annotations

import errno
import os
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path, PurePath

from zqcampaign.config import CONFIG_FILENAME
from zqcampaign.errors import NoLedgerFoundError
from zqcampaign.io.readers import SPREADSHEET_SUFFIXES

__all__ = [
    "READ_SUFFIXES",
    "Found",
    "discover",
    "is_litter",
    "is_pack_manifest",
    "ledger_files",
    "shown_name",
]

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


READ_SUFFIXES = (*SPREADSHEET_SUFFIXES, ".xlsb", ".xltx", ".xltm", ".et", ".ett")
"""File name endings read as ledgers in a folder (the real format is sniffed from the bytes;
``.et`` / ``.ett`` are WPS 表格 workbooks and templates, ``.xlt*`` Excel templates)."""

_ADVICE = {
    (".zip", ".rar", ".7z", ".tar", ".gz"): "这是压缩包，请解压后把其中的台账放入文件夹",
    (".numbers",): "这是 Apple Numbers 文件，请在 Numbers 中导出为 Excel（.xlsx）后放入文件夹",
    (".fods", ".xml", ".mht", ".mhtml"): (
        "这是单文件 XML/网页格式的表格，请用 Excel/WPS 打开后另存为 .xlsx"
    ),
    (".txt", ".tsv", ".prn", ".dat"): (
        "这是文本文件；如是台账，请用 Excel/WPS 打开后另存为 .xlsx（或逗号分隔的 .csv）"
    ),
    (".doc", ".docx", ".wps", ".pdf", ".ppt", ".pptx", ".dps", ".ofd"): (
        "这是文档，不是表格；台账请用 Excel/WPS 表格报送 .xlsx"
    ),
    (".jpg", ".jpeg", ".png", ".gif", ".bmp", ".tif", ".tiff", ".heic"): (
        "这是图片，无法读取其中的数据；台账请报送 .xlsx"
    ),
}


_TABLE_LIKE = frozenset(
    {".zip", ".rar", ".7z", ".tar", ".gz", ".numbers", ".fods", ".xml", ".mht", ".mhtml"}
    | {".sxc", ".uos", ".dbf", ".wk1", ".wk3", ".wk4", ".wq1", ".slk", ".dif"}
)
"""Formats that may well hold a ledger (a warning); any other file is named at info level."""


def _advice(suffix: str) -> str:
    for suffixes, advice in _ADVICE.items():
        if suffix in suffixes:
            return advice
    return "如是台账，请用 Excel/WPS 打开后另存为 .xlsx"


def shown_name(text: str) -> str:
    """A file name as it can be shown and written: bytes the file system could not decode
    (a zip made on Chinese Windows: GBK names) decoded as GBK where they fit, otherwise
    escaped as ``\\xNN``; never a lone surrogate (writers refuse them)."""
    if not any("\udc80" <= ch <= "\udcff" for ch in text):
        return text
    raw = os.fsencode(text)
    for encoding in ("utf-8", "gb18030"):
        try:
            return raw.decode(encoding)
        except UnicodeDecodeError:
            continue
    return raw.decode("utf-8", "backslashreplace")


def is_pack_manifest(path: str | Path) -> bool:
    """True when ``path`` is a ``manifest.json`` that zqcampaign wrote (a briefing pack)."""
    import json

    path = Path(path)
    try:
        if not path.is_file() or path.stat().st_size > 64 * (1 << 20):
            return False
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError, RecursionError):
        return False
    return isinstance(data, dict) and "zqcampaign_version" in data and "inputs" in data


@dataclass
class Found:
    """What a folder holds: ``files`` to read, ``litter`` skipped quietly, and
    ``skipped``: (path, severity, code, message) for everything else, each to be reported."""

    root: Path | None
    files: list[Path] = field(default_factory=list)
    litter: list[Path] = field(default_factory=list)
    skipped: list[tuple[Path, str, str, str]] = field(default_factory=list)

    def skip(self, path: Path, severity: str, code: str, message: str) -> None:
        """Report ``path`` (a file or folder not read) with an issue code and message."""
        self.skipped.append((path, severity, code, message))


def discover(source: str | Path | Iterable[str | Path]) -> Found:
    """Every file under a folder accounted for (or a file, or a list of files).

    The walk is iterative (any depth), follows folder links once (loops are cut), and never
    stops: a folder that cannot be opened (no permission, path too long) is an error entry,
    a folder holding a zqcampaign briefing pack (its ``manifest.json``) is skipped with an
    info entry, every file that is neither a ledger nor litter is a warning entry saying how
    to convert it.
    """
    if not isinstance(source, str | Path):
        paths = [Path(p) for p in source]
        missing = [p for p in paths if not p.is_file()]
        if missing:
            raise NoLedgerFoundError(missing[0], "文件不存在")
        return Found(Path(*_common_parts(paths)) if paths else None, paths)
    src = Path(source)
    if src.is_file():
        return Found(src.parent, [src])
    if not src.is_dir():
        raise NoLedgerFoundError(src, "路径不存在")
    found = Found(src)
    seen: set[tuple[int, int]] = set()
    stack: list[tuple[Path, bool]] = [(src, False)]  # (folder, inside a hidden folder)
    while stack:
        folder, hidden = stack.pop()
        try:
            st = folder.stat()
            if (st.st_dev, st.st_ino) in seen:
                continue  # a link back to a folder already walked
            seen.add((st.st_dev, st.st_ino))
            with os.scandir(folder) as it:
                entries = sorted(it, key=lambda e: e.name)
        except OSError as exc:
            found.skip(folder, "error", "unreadable_folder", _folder_message(folder, src, exc))
            continue
        if folder != src and any(e.name == "manifest.json" for e in entries):
            if is_pack_manifest(folder / "manifest.json"):
                found.skip(
                    folder,
                    "info",
                    "skipped_pack",
                    "这是本程序生成的简报文件夹（含 manifest.json），其中的文件不是台账，已跳过",
                )
                continue
        subfolders = []
        for entry in entries:
            path = Path(entry.path)
            try:
                is_dir = entry.is_dir()
            except OSError:
                is_dir = False
            if is_dir:
                subfolders.append(
                    (path, hidden or entry.name.startswith(".") or entry.name == "__MACOSX")
                )
                continue
            try:
                is_file = entry.is_file()
            except OSError:
                is_file = False
            if not is_file:
                continue  # a broken link, a socket, a device
            suffix = path.suffix.lower().rstrip(" .")
            if hidden or is_litter(path):
                found.litter.append(path)
            elif suffix in READ_SUFFIXES:
                found.files.append(path)
            elif folder == src and entry.name == CONFIG_FILENAME:
                continue  # the folder's configuration
            else:
                shown = f"（{suffix}）" if suffix else "（没有扩展名）"
                found.skip(
                    path,
                    "warning" if suffix in _TABLE_LIKE else "info",
                    "skipped_file",
                    f"该文件不是本程序能读取的台账格式{shown}，未读取；{_advice(suffix)}",
                )
        stack.extend(reversed(subfolders))
    found.files.sort()
    found.litter.sort()
    return found


def _folder_message(folder: Path, root: Path, exc: OSError) -> str:
    if exc.errno == errno.ENAMETOOLONG:
        why = "路径过长，超过系统上限"
        fix = "请把其中的台账移到层级较浅、名称较短的文件夹中"
    elif exc.errno in (errno.EACCES, errno.EPERM):
        why = "没有读取权限"
        fix = "请检查该文件夹的权限（或请管理员开放读取权限）"
    elif exc.errno == errno.ELOOP:
        why = "符号链接层级过多"
        fix = "请把台账复制到普通文件夹中"
    else:
        why = exc.strerror or str(exc)
        fix = "请检查该文件夹后重试"
    return f"文件夹无法打开（{why}），其中的文件未读取；{fix}"


def ledger_files(
    source: str | Path | Iterable[str | Path],
) -> tuple[Path | None, list[Path], list[Path]]:
    """(root folder, ledger files, skipped litter files) for a folder, a file or a list
    (:func:`discover` also gives what else the folder holds)."""
    found = discover(source)
    return found.root, found.files, found.litter


def _common_parts(paths: list[Path]) -> tuple[str, ...]:
    parts = [p.resolve().parent.parts for p in paths]
    common = []
    for group in zip(*parts, strict=False):
        if len(set(group)) != 1:
            break
        common.append(group[0])
    return tuple(common)
