"""The hostile-file zoo, built once per test session in a temporary folder.

``CASES`` says, for each case, which builder makes it and what the reader boundary must do
with it: raise a given :class:`~zqcampaign.errors.LedgerError` subclass, or read it and
produce given notes. The folder also holds good ledgers and Office/OS litter.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import builders as b
import pytest

from zqcampaign.errors import (
    EmptyFileError,
    EncryptedFileError,
    FileTooLargeError,
    LedgerError,
    NotASpreadsheetError,
    UnreadableFileError,
    UnsafeFileError,
)


@dataclass(frozen=True)
class Case:
    file: str
    build: Callable[[Path], Path]
    error: type[LedgerError] | None = None
    notes: tuple[str, ...] = ()  # note codes that must be present
    words: tuple[str, ...] = ()  # words the error message must contain
    sheets: tuple[str, ...] = field(default=())  # sheets that must be read


CASES: dict[str, Case] = {
    c.file.split(".")[0]: c
    for c in [
        Case("far_cell.xlsx", b.make_far_cell, FileTooLargeError, words=("XFD1048576", "上限")),
        Case("bad_ref.xlsx", b.make_bad_ref, UnreadableFileError, words=("ZZZZZ99999999",)),
        Case(
            "zip_bomb.xlsx",
            lambda p: b.make_zip_bomb(p, 1536),
            FileTooLargeError,
            words=("1.5 GB", "200 MB 上限"),
        ),
        Case("lying_zip_bomb.xlsx", b.make_lying_zip_bomb, UnreadableFileError, words=("损坏",)),
        Case("many_parts.xlsx", b.make_many_entries, FileTooLargeError, words=("10000 个上限",)),
        Case("entity_bomb.xlsx", b.make_entity_bomb, UnsafeFileError, words=("ENTITY",)),
        Case("xxe.xlsx", b.make_xxe, UnsafeFileError, words=("外部实体",)),
        Case("encrypted.xlsx", b.make_encrypted, EncryptedFileError, words=("密码",)),
        Case(
            "truncated.xlsx",
            lambda p: b.make_truncated(p, b.make_xlsx(p.with_suffix(".src"))),
            UnreadableFileError,
            words=("截断",),
        ),
        Case("random.xlsx", b.make_random_bytes, NotASpreadsheetError),
        Case("empty.xlsx", b.make_empty, EmptyFileError),
        Case(
            "html_as.xls", b.make_html_as_xls, notes=("html_as_spreadsheet",), sheets=("html_as",)
        ),
        Case("csv_as.xlsx", b.make_csv_as_xlsx, notes=("format_mismatch",), sheets=("csv_as",)),
        Case(
            "missing_part.xlsx",
            b.make_missing_sheet_part,
            notes=("sheet_part_missing",),
            sheets=("四会市",),
        ),
        Case(
            "sst_out_of_range.xlsx",
            b.make_sst_out_of_range,
            UnreadableFileError,
            words=("共享字符串",),
        ),
        Case(
            "one_sheet_broken.xlsx",
            b.make_two_sheets_one_broken,
            notes=("sheet_unreadable",),
            sheets=("四会市",),
        ),
        Case("ods_bomb.ods", b.make_ods_repeat_bomb, FileTooLargeError, words=("重复",)),
        Case("error_cells.xlsx", b.make_error_cells, notes=("error_cell",), sheets=("Sheet1",)),
        Case(
            "uncached.xlsx",
            b.make_uncached_formula,
            notes=("formula_no_value",),
            sheets=("Sheet1",),
        ),
        Case("date1904.xlsx", b.make_date1904, notes=("date1904",), sheets=("Sheet1",)),
        Case(
            "bad_serial.xlsx",
            b.make_bad_date_serial,
            notes=("bad_date_serial",),
            sheets=("Sheet1",),
        ),
        Case("hidden.xlsx", b.make_hidden_sheets, sheets=("四会市", "隐藏", "深度隐藏")),
        Case("macro.xlsm", b.make_macro, notes=("macros",), sheets=("四会市",)),
        Case("external.xlsx", b.make_external_link, notes=("external_link",), sheets=("Sheet1",)),
        Case("ragged.csv", b.make_ragged_csv, notes=("ragged_row",), sheets=("ragged",)),
        Case(
            "undecodable.csv",
            b.make_undecodable_csv,
            notes=("undecodable_bytes",),
            sheets=("undecodable",),
        ),
        Case("far.xls", b.make_far_xls, FileTooLargeError, words=("内存",)),
    ]
}

GOOD = {
    "端州区_2023年8月.xlsx": lambda p: b.make_xlsx(p, {"端州区": b.good_grid("端州区")}),
    "怀集县_2023年8月.xls": lambda p: b.make_xls(p, b.good_grid("怀集县"), "怀集县"),
    "封开县_2023年8月.ods": lambda p: b.make_ods(p, b.good_grid("封开县")),
    "广宁县_2023年8月.csv": lambda p: b.make_csv(p, b.good_grid("广宁县")),
}


@pytest.fixture(scope="session")
def zoo(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """Every hostile case, good ledgers and litter in one folder: {case: path}."""
    folder = tmp_path_factory.mktemp("zoo")
    out = {}
    for key, case in CASES.items():
        out[key] = case.build(folder / case.file)
    for src in folder.glob("*.src"):
        src.unlink()
    for name, build in GOOD.items():
        out[name] = build(folder / name)
    b.make_lock_files(folder)
    return out
