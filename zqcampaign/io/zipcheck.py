"""Pre-flight of zip containers (.xlsx/.xlsm/.xlsb/.ods): the central directory, chunked
inflation within the limits, XML prologs, relationships, and the .xlsx cell styles."""

from __future__ import annotations

import io
import re
import struct
import zipfile
import zlib
from collections.abc import Iterator
from pathlib import Path

from zqcampaign.errors import (
    EncryptedFileError,
    FileTooLargeError,
    UnreadableFileError,
    UnsafeFileError,
)
from zqcampaign.io.base import MB, Limits, _size

_XML_PROLOG_BAD = re.compile(rb"<!(?:DOCTYPE|ENTITY)", re.IGNORECASE)


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


class CheckedZip(zipfile.ZipFile):
    """A zip container over a file's bytes whose parts are inflated in one step, checked
    and kept, so that each is inflated once: the pre-flight scans them, and the reader
    parses the same bytes, repacked uncompressed (:meth:`stored`), instead of inflating
    the file a second time.

    A part is inflated whole when it is stored or deflated, at most :attr:`WHOLE_BYTES`
    (its declared size bounds the inflation), and everything about it is as a clean
    container has it: the local header, its name, the compressed size, the end of the
    deflate stream at the declared size, the CRC. Anything else is read through
    :class:`zipfile.ZipFile` as it would be without this class (same chunks, same errors).
    """

    WHOLE_BYTES = 16 << 20
    """Largest part inflated whole [bytes]; larger ones are inflated in chunks."""
    KEPT_BYTES = 64 << 20
    """Largest sum of the parts kept (and repacked for the reader) [bytes]."""

    def __init__(self, data: bytes):
        super().__init__(io.BytesIO(data))
        self._data = data
        self._kept: dict[tuple[int, str], bytes] = {}
        self._kept_bytes = 0

    def open(self, name, mode="r", pwd=None, *, force_zip64=False):  # type: ignore[no-untyped-def]
        if mode == "r" and pwd is None and self.fp is not None:
            info = name if isinstance(name, zipfile.ZipInfo) else self.getinfo(name)
            whole = self.whole(info)
            if whole is not None:
                return io.BytesIO(whole)
        return super().open(name, mode, pwd, force_zip64=force_zip64)

    def whole(self, info: zipfile.ZipInfo) -> bytes | None:
        """The part's bytes, inflated and checked; None when it is not inflated whole."""
        key = (info.header_offset, info.orig_filename)
        got = self._kept.get(key)
        if got is not None:
            return got
        if info.file_size > self.WHOLE_BYTES or self._kept_bytes + info.file_size > self.KEPT_BYTES:
            return None
        got = _inflate_whole(self._data, info)
        if got is not None:
            self._kept[key] = got
            self._kept_bytes += len(got)
        return got

    def stored(self) -> bytes | None:
        """The container again, same names in the same order, with every part the
        pre-flight read stored uncompressed, as checked; the parts it did not read (and
        the reader does not parse: themes, document properties, images) are copied as
        they are. None when some part's local entry is not clean."""
        entries = []
        for info in self.infolist():
            kept = self._kept.get((info.header_offset, info.orig_filename))
            if kept is not None:
                entries.append((info.orig_filename, zipfile.ZIP_STORED, kept, len(kept), info.CRC))
                continue
            packed = _packed(self._data, info)
            if packed is None:
                return None
            entries.append(
                (info.orig_filename, info.compress_type, packed, info.file_size, info.CRC)
            )
        return _stored_zip(entries)


_LOCAL = struct.Struct("<IHHHHHIIIHH")
_CENTRAL = struct.Struct("<IHHHHHHIIIHHHHHII")
_END = struct.Struct("<IHHHHIIH")


def _packed(data: bytes, info: zipfile.ZipInfo) -> bytes | None:
    """A part's compressed bytes when its local entry is as a clean container has it:
    stored or deflated, not encrypted, the local header's name the directory's, all its
    compressed bytes present (see :class:`CheckedZip`)."""
    if info.flag_bits & 0x61 or info.compress_type not in (
        zipfile.ZIP_STORED,
        zipfile.ZIP_DEFLATED,
    ):
        return None  # encrypted, patched or strongly encrypted; another method
    off = info.header_offset
    if off < 0 or off + _LOCAL.size > len(data):
        return None
    sig, _v, flags, _m, _t, _d, _c, _cs, _us, n_name, n_extra = _LOCAL.unpack_from(data, off)
    if sig != 0x04034B50:
        return None
    name = data[off + _LOCAL.size : off + _LOCAL.size + n_name]
    try:  # as zipfile decodes it, by the local header's flag (ASCII reads the same in both)
        same = name.decode("utf-8" if flags & 0x800 or name.isascii() else "cp437") == (
            info.orig_filename
        )
    except UnicodeDecodeError:
        return None
    if not same:
        return None
    start = off + _LOCAL.size + n_name + n_extra
    packed = data[start : start + info.compress_size]
    return packed if len(packed) == info.compress_size else None


def _inflate_whole(data: bytes, info: zipfile.ZipInfo) -> bytes | None:
    """A part's bytes when it reads cleanly in one step (see :class:`CheckedZip`)."""
    packed = _packed(data, info)
    if packed is None:
        return None
    if info.compress_type == zipfile.ZIP_STORED:
        if info.compress_size != info.file_size:
            return None
        body = packed
    else:
        inflater = zlib.decompressobj(-15)
        try:
            body = inflater.decompress(packed, info.file_size + 1)
        except zlib.error:
            return None
        if not inflater.eof or len(body) != info.file_size:
            return None
    if zlib.crc32(body) != info.CRC:
        return None
    return body


def _stored_zip(entries: list[tuple[str, int, bytes, int, int]]) -> bytes:
    """A zip container of (name, method, bytes as packed, size, CRC) entries."""
    out: list[bytes] = []
    central: list[bytes] = []
    offset = 0
    for name, method, body, size, crc in entries:
        raw = name.encode("utf-8")
        flags = 0 if raw.isascii() else 0x800
        n = len(body)
        head = _LOCAL.pack(0x04034B50, 20, flags, method, 0, 0x21, crc, n, size, len(raw), 0)
        central.append(
            _CENTRAL.pack(
                0x02014B50,
                20,
                20,
                flags,
                method,
                0,
                0x21,
                crc,
                n,
                size,
                len(raw),
                0,
                0,
                0,
                0,
                0,
                offset,
            )
            + raw
        )
        out += (head, raw, body)
        offset += len(head) + len(raw) + n
    directory = b"".join(central)
    end = _END.pack(0x06054B50, 0, 0, len(entries), len(entries), len(directory), offset, 0)
    out += (directory, end)
    return b"".join(out)


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

_ATTR_RE = re.compile(rb"""([\w:]+)\s*=\s*(?:"([^"]*)"|'([^']*)')""")
_REL_RE = re.compile(rb"<(?:\w+:)?Relationship\b([^>]*)>")


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
