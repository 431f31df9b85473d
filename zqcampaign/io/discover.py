"""Which files of a folder are ledgers: the folder walk and the litter skipped quietly."""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path, PurePath

from zqcampaign.errors import NoLedgerFoundError
from zqcampaign.io.readers import SPREADSHEET_SUFFIXES

__all__ = ["is_litter", "ledger_files"]

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
