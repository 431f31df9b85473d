"""Pre-flight checks: look at a ledger file's bytes before any spreadsheet reader does.

A county ledger can be broken or hostile in ways that the Rust readers do not survive: a
5 KB .xlsx with one value in ``XFD1048576`` makes python-calamine allocate 17 billion cells
and abort the whole Python process; a zip bomb is inflated to the end; an entity bomb or an
external entity hides in an XML part. The checks here are cheap and run first:

1. :func:`sniff_format` — the real format from the first bytes (zip, OLE2, HTML, text),
   whatever the file name says.
2. For zip containers (.xlsx/.xlsm/.ods): the central directory — entry count, total and
   per-entry inflated size, compression ratio, duplicate names.
3. For .xlsx: every worksheet part is inflated (whole up to 16 MB, by its declared size,
   else in chunks; never more than the limits allow) and scanned on the bytes for cell references beyond the sheet's ``<dimension>`` or the
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

import io
import os
import zipfile
import zlib
from pathlib import Path

from zqcampaign.errors import (
    EmptyFileError,
    EncryptedFileError,
    FileTooLargeError,
    NotASpreadsheetError,
    ReaderTimeoutError,
    UnreadableFileError,
    UnsafeFileError,
    UnsupportedFormatError,
)
from zqcampaign.io.base import (
    DEFAULT_LIMITS,
    Limits,
    Preflight,
    _mismatch_note,
    _size,
)
from zqcampaign.io.cells import cell_address, col_letters
from zqcampaign.io.ods import _check_ods
from zqcampaign.io.ole2 import _check_ole2
from zqcampaign.io.xlsx import _check_xlsx
from zqcampaign.io.zipcheck import CheckedZip, _check_central_directory, _check_prologs
from zqcampaign.issues import Problem

__all__ = [
    "DEFAULT_LIMITS",
    "Limits",
    "Preflight",
    "ReaderTimeoutError",
    "UnsafeFileError",
    "cell_address",
    "col_letters",
    "preflight",
    "read_bytes",
    "sniff_format",
    "wide_encoding",
]


# ---------------------------------------------------------------------------------------
# format sniffing

_OLE2 = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_HTML_STARTS = (b"<!doctype html", b"<html", b"<table", b"<head", b"<body", b"<meta")


def wide_encoding(head: bytes) -> str | None:
    """UTF-16 or UTF-32 text, with or without a BOM, from the first bytes: the codec name
    (``utf-16``/``utf-32`` with a BOM, ``utf-16-le``… without), else None. Without a BOM
    the NUL bytes tell: ASCII commas, digits and line breaks of a CSV are ``x\\0`` in
    UTF-16-LE, and every BMP character has two NULs in UTF-32."""
    if head.startswith((b"\xff\xfe\x00\x00", b"\x00\x00\xfe\xff")):
        return "utf-32"
    if head.startswith((b"\xff\xfe", b"\xfe\xff")):
        return "utf-16"
    sample = head[: len(head[:4096]) // 4 * 4]
    if len(sample) < 8 or b"\x00" not in sample:
        return None
    quads = len(sample) // 4
    z = [sample[i::4].count(0) for i in range(4)]
    if z[2] >= 0.95 * quads and z[3] >= 0.95 * quads and z[0] < 0.05 * quads:
        return "utf-32-le"
    if z[0] >= 0.95 * quads and z[1] >= 0.95 * quads and z[3] < 0.05 * quads:
        return "utf-32-be"
    pairs = len(sample) // 2
    even, odd = z[0] + z[2], z[1] + z[3]
    if odd >= 0.3 * pairs and even <= 0.01 * pairs:
        return "utf-16-le"
    if even >= 0.3 * pairs and odd <= 0.01 * pairs:
        return "utf-16-be"
    return None


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
    wide = wide_encoding(head)
    if wide is not None:
        unit = 4 if "32" in wide else 2
        try:
            text = head[: len(head[:4096]) // unit * unit].decode(wide)
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
    if b"\x00" in head[:4096] and wide is None:
        return "binary"
    return "text"


# ---------------------------------------------------------------------------------------
# entry point


def read_bytes(path: str | Path, *, limits: Limits = DEFAULT_LIMITS) -> bytes:
    """The bytes of a ledger file, read once: the size is checked on the open file first
    (a 20 GB file is refused without being read), and the bytes read are the bytes that
    are checked, hashed and parsed — a file replaced meanwhile is read as it was."""
    path = Path(path)
    try:
        with open(path, "rb") as fh:
            size = os.fstat(fh.fileno()).st_size
            if size > limits.max_file_bytes:
                raise FileTooLargeError(
                    path, f"文件大小 {_size(size)} 超过 {_size(limits.max_file_bytes)} 上限"
                )
            data = fh.read(limits.max_file_bytes + 1)
    except OSError as exc:
        raise UnreadableFileError(path, f"无法打开（{exc.strerror or exc}）") from None
    if len(data) > limits.max_file_bytes:  # it grew while being read
        raise FileTooLargeError(path, f"文件大小超过 {_size(limits.max_file_bytes)} 上限")
    return data


def preflight(
    path: str | Path, *, limits: Limits = DEFAULT_LIMITS, data: bytes | None = None
) -> Preflight:
    """Check a ledger file before any reader sees it.

    Parameters
    ----------
    path
        The file (its name; the bytes are ``data`` when given).
    limits
        Safety limits; :data:`DEFAULT_LIMITS` unless given.
    data
        The file's bytes (:func:`read_bytes`); read from ``path`` when not given. The
        returned :class:`Preflight` carries them for the reader.

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
    if data is None:
        data = read_bytes(path, limits=limits)
    size = len(data)
    if size > limits.max_file_bytes:
        raise FileTooLargeError(
            path, f"文件大小 {_size(size)} 超过 {_size(limits.max_file_bytes)} 上限"
        )
    pf = _preflight(path, data, size, limits)
    if not pf.data:
        pf.data = data
    return pf


DEFAULT_PASSWORD = "VelvetSweatshop"
"""The password Excel encrypts "protected" workbooks with when the user set none (保护工作簿
templates); Excel and WPS open such files without asking."""


def _default_password(data: bytes) -> bytes | None:
    """The decrypted file when it was encrypted with Excel's default password, else None."""
    try:
        import msoffcrypto
    except ImportError:  # pragma: no cover - a declared dependency
        return None
    try:
        office = msoffcrypto.OfficeFile(io.BytesIO(data))
        office.load_key(password=DEFAULT_PASSWORD)
        out = io.BytesIO()
        office.decrypt(out)
    except Exception:  # wrong password, unsupported scheme, broken file: it stays encrypted
        return None
    return out.getvalue() or None


def _preflight(path: Path, data: bytes, size: int, limits: Limits, depth: int = 0) -> Preflight:
    head = data[:8192]
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
        try:
            return _check_ole2(path, data, suffix, limits)
        except EncryptedFileError:
            plain = _default_password(data) if depth == 0 else None
            if plain is None or len(plain) > limits.max_file_bytes:
                raise
            pf = _preflight(path, plain, len(plain), limits, depth + 1)
            pf.data = plain
            pf.notes.append(
                Problem(
                    "info",
                    "default_password",
                    "文件用 Excel 的默认密码加密（“保护工作簿”类模板），已像 Excel 一样直接打开读取",
                )
            )
            return pf
    return _check_zip(path, data, suffix, limits)


def _check_zip(path: Path, data: bytes, suffix: str, limits: Limits) -> Preflight:
    try:
        zf = CheckedZip(data)
    except (zipfile.BadZipFile, EOFError, ValueError):
        raise UnreadableFileError(path, "压缩结构损坏（文件可能被截断或未下载完整）") from None
    try:
        with zf:
            pf = _check_zip_parts(path, zf, suffix, limits)
            if pf.format == "xlsx" and not pf.isolate:
                # the reader parses the parts as checked, without inflating them again
                pf.data = zf.stored() or b""
            return pf
    except (zipfile.BadZipFile, zlib.error, EOFError) as exc:  # a part read whole (CRC, …)
        raise UnreadableFileError(
            path, f"压缩数据损坏（{exc}）（文件可能被截断或未下载完整）"
        ) from None


def _check_zip_parts(path: Path, zf: zipfile.ZipFile, suffix: str, limits: Limits) -> Preflight:
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
