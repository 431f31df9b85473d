"""What the pre-flight checks share: the limits, what they learn about a file, the notes
they take, and two refusals of their own."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from zqcampaign.issues import Problem

MB = 1 << 20


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
    max_inprocess_string_bytes: int = 256 * MB
    """Memory the shared strings of a workbook may expand to (every referencing cell gets
    its own copy in the readers) when read in this process; beyond, it is read in the
    isolated child, and beyond ``child_memory_bytes`` it is refused [bytes]."""


DEFAULT_LIMITS = Limits()


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
    string_refs: int = 0
    """Cells referencing a shared string (xlsx ``t="s"``, .xls LABELSST)."""
    string_bytes: int = 0
    """Estimate of the memory the shared strings expand to once every reference is copied
    (0: not estimated) [bytes]."""
    data: bytes = field(default=b"", repr=False)
    """The file's bytes, as checked: the reader parses these, never the file again. For an
    .xlsx whose parts all read cleanly, the same parts repacked uncompressed
    (:meth:`~zqcampaign.io.zipcheck.CheckedZip.stored`): the reader parses exactly the
    bytes the pre-flight scanned, and nothing is inflated twice."""


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


def _macro_note() -> Problem:
    return Problem(
        "info",
        "macros",
        "文件含有宏（VBA），宏没有运行，只读取了单元格中保存的数据",
    )


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
