"""Pre-flight of .xlsx workbooks: the sheets are scanned on their bytes, in chunks, for
cells beyond the used range or the grid, error cells, formulas without a value and
negative date serials."""

from __future__ import annotations

import functools
import re
import zipfile
from collections.abc import Iterator
from pathlib import Path

from zqcampaign.errors import (
    FileTooLargeError,
    UnreadableFileError,
)
from zqcampaign.io.base import (
    MB,
    Limits,
    Preflight,
    _add,
    _macro_note,
    _mismatch_note,
    _summarise,
)
from zqcampaign.io.cells import EXCEL_MAX_COLS, EXCEL_MAX_ROWS, cell_address, col_index, col_letters
from zqcampaign.io.strings import check_expansion, xlsx_string_bytes
from zqcampaign.io.zipcheck import _attrs, _check_prolog, _head, _Inflater, _rels, _resolve, _Styles
from zqcampaign.issues import Problem

_SHEET_RE = re.compile(rb"<(?:\w+:)?sheet\b([^>]*)>")
_DIM_RE = re.compile(
    rb"""<(?:\w+:)?dimension\s+ref\s*=\s*["']([A-Za-z]+)?(\d+)?(?::([A-Za-z]+)(\d+))?["']"""
)
_ROOT_RE = re.compile(rb"<(?:(\w+):)?worksheet\b")
_DATE1904_RE = re.compile(rb"""date1904\s*=\s*["'](?:1|true)["']""")


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
    sheet_parts: list[str] = []
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
        sheet_parts.append(part)
        pf.sheet_cells[sheet_name] = cells
        total_cells += cells
        if total_cells > limits.max_workbook_cells:
            raise FileTooLargeError(
                path,
                f"各工作表使用范围合计超过 {limits.max_workbook_cells:,} 个单元格上限",
            )
    sst = next(
        (
            _resolve("xl/workbook.xml", r.get("Target", ""))
            for r in rels.values()
            if r.get("Type", "").endswith("/sharedStrings")
        ),
        "xl/sharedStrings.xml",
    )
    pf.string_bytes = xlsx_string_bytes(path, zf, sst, sheet_parts, pf, limits)
    check_expansion(pf, limits)
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
        pf.string_refs += data.count(b't="s"')
        if b"'" in data:  # (one byte is found much faster than the attribute)
            pf.string_refs += data.count(b"t='s'")
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
