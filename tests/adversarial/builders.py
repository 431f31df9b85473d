"""Hostile and broken ledger files, built in code at test time (no binary fixtures).

Each ``make_*`` function writes one file into a folder and returns its path. The xlsx files
are assembled part by part with :mod:`zipfile`, so a test can say exactly what is wrong with
them (a cell at XFD1048576, a shared-string index past the table, a missing sheet part…)
without any spreadsheet writer smoothing it over.
"""

from __future__ import annotations

import csv
import io
import struct
import zipfile
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path
from typing import Any
from xml.sax.saxutils import escape

MAIN_NS = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
REL_NS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
PKG_REL_NS = "http://schemas.openxmlformats.org/package/2006/relationships"
DOC_REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"

HEADER = ["序号", "项目名称", "计划总投资（万元）", "开工时间"]
GOOD_ROWS = [
    [1, "肇庆某汽配项目", 12000, "2023-08-15"],
    [2, "四会某电子项目", 8000, "2023-09-01"],
]


# --------------------------------------------------------------------------------------
# xlsx assembled part by part


def col_letter(index: int) -> str:
    """0-based column index -> letters (0 -> A)."""
    letters = ""
    index += 1
    while index:
        index, rem = divmod(index - 1, 26)
        letters = chr(65 + rem) + letters
    return letters


def cell_xml(ref: str, value: Any, *, kind: str | None = None, formula: str | None = None) -> str:
    """One ``<c>`` element. ``kind``: None (number), "str" (inline), "s", "e", "b"."""
    f = f"<f>{escape(formula)}</f>" if formula is not None else ""
    if value is None:
        body = ""
    elif kind == "inlineStr" or (kind is None and isinstance(value, str)):
        return f'<c r="{ref}" t="inlineStr">{f}<is><t>{escape(value)}</t></is></c>'
    else:
        body = f"<v>{escape(str(value))}</v>"
    t = f' t="{kind}"' if kind else ""
    return f'<c r="{ref}"{t}>{f}{body}</c>'


def grid_sheet_xml(
    rows: Sequence[Sequence[Any]], *, extra_cells: str = "", dimension: str | None = None
) -> str:
    """Worksheet XML for a grid of Python values (str inline, numbers as numbers)."""
    out = []
    for i, row in enumerate(rows, start=1):
        cells = "".join(
            cell_xml(f"{col_letter(j)}{i}", v) for j, v in enumerate(row) if v is not None
        )
        out.append(f'<row r="{i}">{cells}</row>')
    dim = f'<dimension ref="{dimension}"/>' if dimension else ""
    return (
        f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        f'<worksheet xmlns="{MAIN_NS}" xmlns:r="{REL_NS}">{dim}'
        f"<sheetData>{''.join(out)}{extra_cells}</sheetData></worksheet>"
    )


def xlsx_parts(
    sheets: Mapping[str, str],
    *,
    states: Mapping[str, str] | None = None,
    shared_strings: Sequence[str] | None = None,
    date1904: bool = False,
    extra_parts: Mapping[str, bytes | str] | None = None,
    extra_workbook_rels: str = "",
    extra_content_types: str = "",
    drop_parts: Iterable[str] = (),
) -> dict[str, bytes]:
    """The parts of a minimal, valid .xlsx, as {zip name: bytes}; tweak before zipping."""
    states = states or {}
    parts: dict[str, str | bytes] = {}
    overrides = []
    sheet_entries, rels = [], []
    for i, (name, xml) in enumerate(sheets.items(), start=1):
        state = f' state="{states[name]}"' if name in states else ""
        sheet_entries.append(f'<sheet name="{escape(name)}" sheetId="{i}"{state} r:id="rId{i}"/>')
        rels.append(
            f'<Relationship Id="rId{i}" Type="{DOC_REL}/worksheet" '
            f'Target="worksheets/sheet{i}.xml"/>'
        )
        parts[f"xl/worksheets/sheet{i}.xml"] = xml
        overrides.append(
            f'<Override PartName="/xl/worksheets/sheet{i}.xml" ContentType="application/'
            'vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
        )
    if shared_strings is not None:
        sis = "".join(f"<si><t>{escape(s)}</t></si>" for s in shared_strings)
        parts["xl/sharedStrings.xml"] = (
            f'<?xml version="1.0" encoding="UTF-8"?>\n<sst xmlns="{MAIN_NS}" '
            f'count="{len(shared_strings)}" uniqueCount="{len(shared_strings)}">{sis}</sst>'
        )
        n = len(sheets) + 1
        rels.append(
            f'<Relationship Id="rId{n}" Type="{DOC_REL}/sharedStrings" Target="sharedStrings.xml"/>'
        )
        overrides.append(
            '<Override PartName="/xl/sharedStrings.xml" ContentType="application/'
            'vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/>'
        )
    pr = '<workbookPr date1904="1"/>' if date1904 else "<workbookPr/>"
    parts["xl/workbook.xml"] = (
        f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        f'<workbook xmlns="{MAIN_NS}" xmlns:r="{REL_NS}">{pr}'
        f"<sheets>{''.join(sheet_entries)}</sheets></workbook>"
    )
    parts["xl/_rels/workbook.xml.rels"] = (
        f'<?xml version="1.0" encoding="UTF-8"?>\n<Relationships xmlns="{PKG_REL_NS}">'
        f"{''.join(rels)}{extra_workbook_rels}</Relationships>"
    )
    parts["_rels/.rels"] = (
        f'<?xml version="1.0" encoding="UTF-8"?>\n<Relationships xmlns="{PKG_REL_NS}">'
        f'<Relationship Id="rId1" Type="{DOC_REL}/officeDocument" Target="xl/workbook.xml"/>'
        "</Relationships>"
    )
    parts["[Content_Types].xml"] = (
        '<?xml version="1.0" encoding="UTF-8"?>\n<Types xmlns="http://schemas.openxmlformats.org/'
        'package/2006/content-types"><Default Extension="rels" ContentType="application/'
        'vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" '
        'ContentType="application/xml"/><Override PartName="/xl/workbook.xml" ContentType='
        '"application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
        f"{''.join(overrides)}{extra_content_types}</Types>"
    )
    for k, v in (extra_parts or {}).items():
        parts[k] = v
    for k in drop_parts:
        parts.pop(k, None)
    return {k: v.encode("utf-8") if isinstance(v, str) else v for k, v in parts.items()}


def zip_parts(path: Path, parts: Mapping[str, bytes], *, level: int = 6) -> Path:
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=level) as zf:
        for name, data in parts.items():
            zf.writestr(name, data)
    return path


def good_grid(county: str = "四会市") -> list[list[Any]]:
    return [
        [f"肇庆市制造业项目建设“大会战”项目清单（{county}）"],
        ["截至日期：2023年8月31日"],
        list(HEADER),
        *[list(r) for r in GOOD_ROWS],
    ]


def make_xlsx(
    path: Path, sheets: Mapping[str, Sequence[Sequence[Any]]] | None = None, **kw: Any
) -> Path:
    """A small, valid .xlsx of grids (default: one good ledger sheet)."""
    sheets = sheets or {"四会市": good_grid()}
    xml = {name: grid_sheet_xml(rows) for name, rows in sheets.items()}
    return zip_parts(path, xlsx_parts(xml, **kw))


# --------------------------------------------------------------------------------------
# the hostile xlsx cases


def make_far_cell(path: Path) -> Path:
    """A 5 KB well-formed .xlsx with one value in XFD1048576 (aborts calamine/fastexcel)."""
    extra = '<row r="1048576"><c r="XFD1048576"><v>1</v></c></row>'
    return zip_parts(path, xlsx_parts({"Sheet1": grid_sheet_xml(good_grid(), extra_cells=extra)}))


def make_bad_ref(path: Path, ref: str = "ZZZZZ99999999") -> Path:
    """A cell whose reference is outside any spreadsheet (aborts calamine)."""
    extra = f'<row r="5"><c r="{ref}"><v>1</v></c></row>'
    return zip_parts(path, xlsx_parts({"Sheet1": grid_sheet_xml([["标题"]], extra_cells=extra)}))


def make_zip_bomb(path: Path, inflated_mb: int = 300) -> Path:
    """A small .xlsx whose sheet inflates to ``inflated_mb`` MB of whitespace.

    Streamed into the zip so building it costs no memory; ratio ~1000:1.
    """
    head = grid_sheet_xml(good_grid())
    cut = head.index("<sheetData>")
    parts = xlsx_parts({"Sheet1": head})
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as zf:
        for name, data in parts.items():
            if name != "xl/worksheets/sheet1.xml":
                zf.writestr(name, data)
        with zf.open("xl/worksheets/sheet1.xml", "w", force_zip64=inflated_mb > 2000) as fh:
            fh.write(head[:cut].encode())
            block = b" " * (1 << 20)
            for _ in range(inflated_mb):
                fh.write(block)
            fh.write(head[cut:].encode())
    return path


def make_lying_zip_bomb(path: Path, inflated_mb: int = 64, declared: int = 4096) -> Path:
    """A zip whose directory says the sheet inflates to ``declared`` bytes while its data
    inflates to ``inflated_mb`` MB (size and ratio checks on the directory alone pass)."""
    make_zip_bomb(path, inflated_mb)
    data = bytearray(path.read_bytes())
    name = b"xl/worksheets/sheet1.xml"
    # local header: PK\x03\x04, uncompressed size at +22; central directory: PK\x01\x02, +24
    for sig, off in ((b"PK\x03\x04", 22), (b"PK\x01\x02", 24)):
        pos = data.find(sig)
        while pos >= 0:
            name_at = pos + (30 if sig == b"PK\x03\x04" else 46)
            if data[name_at : name_at + len(name)] == name:
                struct.pack_into("<I", data, pos + off, declared)
            pos = data.find(sig, pos + 4)
    path.write_bytes(bytes(data))
    return path


def make_many_entries(path: Path, n: int = 20_000) -> Path:
    """A zip with a huge number of tiny entries (central-directory bomb)."""
    parts = xlsx_parts({"Sheet1": grid_sheet_xml(good_grid())})
    with zipfile.ZipFile(path, "w", zipfile.ZIP_STORED) as zf:
        for name, data in parts.items():
            zf.writestr(name, data)
        for i in range(n):
            zf.writestr(f"xl/media/x{i}.bin", b"")
    return path


def make_entity_bomb(path: Path) -> Path:
    """Billion laughs in the shared-strings part."""
    ents = ['<!ENTITY a0 "ha">'] + [f'<!ENTITY a{i} "{f"&a{i - 1};" * 10}">' for i in range(1, 10)]
    sst = (
        '<?xml version="1.0"?>\n<!DOCTYPE sst [' + "".join(ents) + "]>\n"
        f'<sst xmlns="{MAIN_NS}" count="1" uniqueCount="1"><si><t>&a9;</t></si></sst>'
    )
    parts = xlsx_parts({"Sheet1": grid_sheet_xml([["标题"]])}, shared_strings=["x"])
    parts["xl/sharedStrings.xml"] = sst.encode()
    return zip_parts(path, parts)


def make_xxe(path: Path, target: str = "file:///etc/passwd") -> Path:
    """An external entity in the sheet XML that would read a local file."""
    sheet = grid_sheet_xml([["&xxe;"]]).replace("&amp;xxe;", "&xxe;")
    sheet = sheet.replace(
        "?>\n", f'?>\n<!DOCTYPE worksheet [<!ENTITY xxe SYSTEM "{target}">]>\n', 1
    )
    return zip_parts(path, xlsx_parts({"Sheet1": sheet}))


def make_missing_sheet_part(path: Path) -> Path:
    """workbook.xml lists two sheets but the second sheet's part is not in the zip."""
    xml = {"四会市": grid_sheet_xml(good_grid()), "缺失": grid_sheet_xml([["x"]])}
    return zip_parts(path, xlsx_parts(xml, drop_parts=["xl/worksheets/sheet2.xml"]))


def make_sst_out_of_range(path: Path) -> Path:
    """A shared-string cell pointing past the end of the shared-string table."""
    extra = '<row r="6"><c r="B6" t="s"><v>0</v></c><c r="C6" t="s"><v>999</v></c></row>'
    return zip_parts(
        path,
        xlsx_parts(
            {"Sheet1": grid_sheet_xml(good_grid(), extra_cells=extra)}, shared_strings=["有效文本"]
        ),
    )


def make_error_cells(path: Path) -> Path:
    """``#DIV/0!`` and ``#N/A`` error cells (readers return them as blanks)."""
    extra = (
        '<row r="6"><c r="A6"><v>3</v></c><c r="B6" t="inlineStr"><is><t>某项目</t></is></c>'
        '<c r="C6" t="e"><f>1/0</f><v>#DIV/0!</v></c><c r="D6" t="e"><v>#N/A</v></c></row>'
    )
    return zip_parts(path, xlsx_parts({"Sheet1": grid_sheet_xml(good_grid(), extra_cells=extra)}))


def make_uncached_formula(path: Path) -> Path:
    """Formula cells written by a program that never calculated them (no ``<v>``)."""
    extra = (
        '<row r="6"><c r="A6"><v>3</v></c><c r="B6" t="inlineStr"><is><t>某项目</t></is></c>'
        '<c r="C6"><f>SUM(C4:C5)</f></c><c r="D6" t="str"><f>TEXT(D4,"yyyy")</f></c></row>'
    )
    return zip_parts(path, xlsx_parts({"Sheet1": grid_sheet_xml(good_grid(), extra_cells=extra)}))


def make_date1904(path: Path) -> Path:
    """1904 date system: serial 0 is 1904-01-01 (Mac Excel)."""
    extra = '<row r="6"><c r="A6"><v>3</v></c><c r="D6" s="1"><v>43690</v></c></row>'
    styles = (
        f'<?xml version="1.0" encoding="UTF-8"?>\n<styleSheet xmlns="{MAIN_NS}">'
        '<numFmts count="1"><numFmt numFmtId="164" formatCode="yyyy-mm-dd"/></numFmts>'
        '<fonts count="1"><font/></fonts><fills count="1"><fill/></fills>'
        '<borders count="1"><border/></borders>'
        '<cellStyleXfs count="1"><xf/></cellStyleXfs>'
        '<cellXfs count="2"><xf numFmtId="0"/><xf numFmtId="164" applyNumberFormat="1"/></cellXfs>'
        "</styleSheet>"
    )
    parts = xlsx_parts(
        {"Sheet1": grid_sheet_xml(good_grid(), extra_cells=extra)},
        date1904=True,
        extra_parts={"xl/styles.xml": styles},
        extra_workbook_rels=f'<Relationship Id="rId99" Type="{DOC_REL}/styles" Target="styles.xml"/>',
    )
    return zip_parts(path, parts)


def make_bad_date_serial(path: Path) -> Path:
    """Date-formatted cells holding a negative and an out-of-range serial."""
    extra = (
        '<row r="6"><c r="A6"><v>3</v></c><c r="D6" s="1"><v>-5</v></c></row>'
        '<row r="7"><c r="A7"><v>4</v></c><c r="D7" s="1"><v>99999999</v></c></row>'
    )
    styles = (
        f'<?xml version="1.0" encoding="UTF-8"?>\n<styleSheet xmlns="{MAIN_NS}">'
        '<fonts count="1"><font/></fonts><fills count="1"><fill/></fills>'
        '<borders count="1"><border/></borders>'
        '<cellStyleXfs count="1"><xf/></cellStyleXfs>'
        '<cellXfs count="2"><xf numFmtId="0"/><xf numFmtId="14" applyNumberFormat="1"/></cellXfs>'
        "</styleSheet>"
    )
    parts = xlsx_parts(
        {"Sheet1": grid_sheet_xml(good_grid(), extra_cells=extra)},
        extra_parts={"xl/styles.xml": styles},
        extra_workbook_rels=f'<Relationship Id="rId99" Type="{DOC_REL}/styles" Target="styles.xml"/>',
    )
    return zip_parts(path, parts)


def make_hidden_sheets(path: Path) -> Path:
    sheets = {
        "四会市": grid_sheet_xml(good_grid()),
        "隐藏": grid_sheet_xml(good_grid()),
        "深度隐藏": grid_sheet_xml(good_grid()),
    }
    return zip_parts(path, xlsx_parts(sheets, states={"隐藏": "hidden", "深度隐藏": "veryHidden"}))


def make_macro(path: Path) -> Path:
    """An .xlsm carrying ``xl/vbaProject.bin`` (the macro is never run, only reported)."""
    parts = xlsx_parts(
        {"四会市": grid_sheet_xml(good_grid())},
        extra_parts={"xl/vbaProject.bin": b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 504},
        extra_workbook_rels=(
            '<Relationship Id="rId90" Type="http://schemas.microsoft.com/office/2006/'
            'relationships/vbaProject" Target="vbaProject.bin"/>'
        ),
    )
    return zip_parts(path, parts)


def make_external_link(path: Path, target: str = "file:///D:/台账/2023年7月汇总.xlsx") -> Path:
    """A formula whose cached value comes from another workbook ([1]Sheet1!A1)."""
    extra = (
        '<row r="6"><c r="A6"><v>3</v></c><c r="B6" t="inlineStr"><is><t>外链项目</t></is></c>'
        '<c r="C6"><f>[1]Sheet1!C3</f><v>5000</v></c></row>'
    )
    link = (
        f'<?xml version="1.0" encoding="UTF-8"?>\n<externalLink xmlns="{MAIN_NS}" '
        f'xmlns:r="{REL_NS}"><externalBook r:id="rId1"><sheetNames><sheetName val="Sheet1"/>'
        "</sheetNames></externalBook></externalLink>"
    )
    link_rels = (
        f'<?xml version="1.0" encoding="UTF-8"?>\n<Relationships xmlns="{PKG_REL_NS}">'
        f'<Relationship Id="rId1" Type="{DOC_REL}/externalLinkPath" Target="{escape(target)}" '
        'TargetMode="External"/></Relationships>'
    )
    parts = xlsx_parts(
        {"Sheet1": grid_sheet_xml(good_grid(), extra_cells=extra)},
        extra_parts={
            "xl/externalLinks/externalLink1.xml": link,
            "xl/externalLinks/_rels/externalLink1.xml.rels": link_rels,
        },
        extra_workbook_rels=(
            f'<Relationship Id="rId80" Type="{DOC_REL}/externalLink" '
            'Target="externalLinks/externalLink1.xml"/>'
        ),
    )
    return zip_parts(path, parts)


def make_leading_zero_ids(path: Path) -> Path:
    """Identifiers typed as text (``01001``): they must stay text."""
    grid = [
        ["项目编号", "项目名称", "计划总投资（万元）"],
        ["01001", "甲项目", 12000],
        ["01002", "乙项目", 8000],
    ]
    return make_xlsx(path, {"Sheet1": grid})


# --------------------------------------------------------------------------------------
# ODS


def ods_bytes(table_xml: str) -> dict[str, bytes]:
    content = (
        '<?xml version="1.0" encoding="UTF-8"?>\n<office:document-content '
        'xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
        'xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" '
        'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" office:version="1.2">'
        "<office:body><office:spreadsheet>"
        f'<table:table table:name="Sheet1">{table_xml}</table:table>'
        "</office:spreadsheet></office:body></office:document-content>"
    )
    manifest = (
        '<?xml version="1.0" encoding="UTF-8"?>\n<manifest:manifest xmlns:manifest='
        '"urn:oasis:names:tc:opendocument:xmlns:manifest:1.0" manifest:version="1.2">'
        '<manifest:file-entry manifest:full-path="/" manifest:media-type='
        '"application/vnd.oasis.opendocument.spreadsheet"/>'
        '<manifest:file-entry manifest:full-path="content.xml" manifest:media-type="text/xml"/>'
        "</manifest:manifest>"
    )
    return {
        "mimetype": b"application/vnd.oasis.opendocument.spreadsheet",
        "content.xml": content.encode(),
        "META-INF/manifest.xml": manifest.encode(),
    }


def _ods_row(values: Sequence[Any], repeat: int = 1) -> str:
    cells = []
    for v in values:
        if v is None:
            cells.append("<table:table-cell/>")
        elif isinstance(v, int | float):
            cells.append(
                f'<table:table-cell office:value-type="float" office:value="{v}">'
                f"<text:p>{v}</text:p></table:table-cell>"
            )
        else:
            cells.append(
                f'<table:table-cell office:value-type="string"><text:p>{escape(v)}</text:p></table:table-cell>'
            )
    rep = f' table:number-rows-repeated="{repeat}"' if repeat > 1 else ""
    return f"<table:table-row{rep}>{''.join(cells)}</table:table-row>"


def make_ods(path: Path, rows: Sequence[Sequence[Any]] | None = None, tail: str = "") -> Path:
    body = "".join(_ods_row(r) for r in (rows or good_grid())) + tail
    parts = ods_bytes(body)
    with zipfile.ZipFile(path, "w") as zf:
        zf.writestr("mimetype", parts.pop("mimetype"), compress_type=zipfile.ZIP_STORED)
        for k, v in parts.items():
            zf.writestr(k, v, compress_type=zipfile.ZIP_DEFLATED)
    return path


def make_ods_repeat_bomb(path: Path) -> Path:
    """One non-empty cell repeated over 1,048,576 rows x 16,384 columns (17 billion cells)."""
    tail = (
        '<table:table-row table:number-rows-repeated="1048576">'
        '<table:table-cell table:number-columns-repeated="16384" office:value-type="string">'
        "<text:p>炸</text:p></table:table-cell></table:table-row>"
    )
    return make_ods(path, tail=tail)


def make_ods_trailing_empty(path: Path) -> Path:
    """Normal LibreOffice output: empty rows/cells repeated to the sheet's edge (harmless)."""
    tail = (
        '<table:table-row table:number-rows-repeated="1048570">'
        '<table:table-cell table:number-columns-repeated="1024"/></table:table-row>'
    )
    return make_ods(path, tail=tail)


# --------------------------------------------------------------------------------------
# not-really-spreadsheets and broken containers


def make_encrypted(path: Path) -> Path:
    """An OLE2 compound file holding ``EncryptionInfo`` and ``EncryptedPackage`` streams —
    what Excel writes for a password-protected .xlsx."""
    return write_cfb(
        path,
        {
            "EncryptionInfo": b"\x04\x00\x04\x00\x40\x00\x00\x00" + b"\0" * 200,
            "EncryptedPackage": b"\0" * 5000,
        },
    )


def make_truncated(path: Path, good: Path) -> Path:
    data = good.read_bytes()
    path.write_bytes(data[: len(data) // 2])
    return path


def make_random_bytes(path: Path, n: int = 6000, seed: int = 8) -> Path:
    import random

    path.write_bytes(random.Random(seed).randbytes(n))
    return path


def make_empty(path: Path) -> Path:
    path.write_bytes(b"")
    return path


def make_html_as_xls(path: Path) -> Path:
    rows = "".join(
        "<tr>" + "".join(f"<td>{escape(str(v))}</td>" for v in r) + "</tr>" for r in good_grid()
    )
    html = f'<html><head><meta charset="utf-8"></head><body><table>{rows}</table></body></html>'
    path.write_bytes(html.encode("utf-8"))
    return path


def make_csv(path: Path, rows: Sequence[Sequence[Any]], encoding: str = "gb18030") -> Path:
    buf = io.StringIO()
    csv.writer(buf).writerows(rows)
    path.write_bytes(buf.getvalue().encode(encoding))
    return path


def make_csv_as_xlsx(path: Path, encoding: str = "gb18030") -> Path:
    """A GBK CSV saved with an .xlsx name."""
    return make_csv(path, good_grid(), encoding)


def make_ragged_csv(path: Path) -> Path:
    text = (
        "项目名称,计划总投资（万元）,开工时间\n"
        "甲项目,12000,2023-08-15\n"
        "乙项目,8,000,2023-09-01\n"  # an unquoted thousands separator: one cell too many
        "丙项目,5000,2023-07-01\n"
    )
    path.write_bytes(text.encode("utf-8"))
    return path


def make_undecodable_csv(path: Path) -> Path:
    good = "项目名称,计划总投资（万元）\n甲项目,12000\n".encode("gb18030")
    path.write_bytes(good + b"\xff\xfe\xff bad,1\n" + "乙项目,8000\n".encode("gb18030"))
    return path


def make_lock_files(folder: Path) -> list[Path]:
    out = []
    for name, data in [
        ("~$四会市台账.xlsx", b"\x08owner   " + b"\0" * 150),
        (".~lock.四会市台账.xlsx#", b"owner,host,/home/owner,01.09.2023 10:00;"),
        ("Thumbs.db", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 504),
        (".DS_Store", b"\0\0\0\1Bud1" + b"\0" * 100),
        ("._四会市台账.xlsx", b"\0\5\x16\7" + b"\0" * 80),
    ]:
        p = folder / name
        p.write_bytes(data)
        out.append(p)
    mac = folder / "__MACOSX"
    mac.mkdir(exist_ok=True)
    p = mac / "._怀集县台账.xlsx"
    p.write_bytes(b"\0\5\x16\7" + b"\0" * 80)
    out.append(p)
    return out


# --------------------------------------------------------------------------------------
# a minimal OLE2 / Compound File Binary writer (version 3, 512-byte sectors)

_FREESECT, _ENDOFCHAIN, _FATSECT, _NOSTREAM = 0xFFFFFFFF, 0xFFFFFFFE, 0xFFFFFFFD, 0xFFFFFFFF


def write_cfb(path: Path, streams: Mapping[str, bytes]) -> Path:
    """Write a compound file whose root storage holds ``streams`` (each >= 4096 bytes is
    stored in regular sectors; smaller ones are padded to 4096 to avoid the mini stream)."""
    sector = 512
    data_sectors: list[bytes] = []
    fat: list[int] = []
    starts: dict[str, tuple[int, int]] = {}
    for name, data in streams.items():
        data = data.ljust(4096, b"\0")
        n = -(-len(data) // sector)
        start = len(data_sectors)
        for i in range(n):
            data_sectors.append(data[i * sector : (i + 1) * sector].ljust(sector, b"\0"))
            fat.append(start + i + 1 if i < n - 1 else _ENDOFCHAIN)
        starts[name] = (start, len(data))
    # directory: root + one entry per stream, 4 entries per sector
    entries = [_dir_entry("Root Entry", 5, _ENDOFCHAIN, 0, child=1 if streams else _NOSTREAM)]
    names = list(streams)
    for i, name in enumerate(names, start=1):
        start, size = starts[name]
        right = i + 1 if i < len(names) else _NOSTREAM
        entries.append(_dir_entry(name, 2, start, size, right=right))
    while len(entries) % 4:
        entries.append(b"\0" * 128)
    dir_start = len(data_sectors)
    dir_n = len(entries) // 4
    for i in range(dir_n):
        data_sectors.append(b"".join(entries[i * 4 : (i + 1) * 4]))
        fat.append(dir_start + i + 1 if i < dir_n - 1 else _ENDOFCHAIN)
    fat_sector = len(data_sectors)
    fat.append(_FATSECT)
    assert len(fat) <= 128, "toy writer: one FAT sector only"
    fat += [_FREESECT] * (128 - len(fat))
    data_sectors.append(struct.pack("<128I", *fat))
    difat = [fat_sector] + [_FREESECT] * 108
    header = (
        b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
        + b"\0" * 16
        + struct.pack("<HHHHH", 0x003E, 0x0003, 0xFFFE, 9, 6)
        + b"\0" * 6
        + struct.pack("<IIIIIIIII", 0, 1, dir_start, 0, 4096, _ENDOFCHAIN, 0, _ENDOFCHAIN, 0)
        + struct.pack("<109I", *difat)
    )
    assert len(header) == 512
    path.write_bytes(header + b"".join(data_sectors))
    return path


def _dir_entry(
    name: str, kind: int, start: int, size: int, *, child: int = _NOSTREAM, right: int = _NOSTREAM
) -> bytes:
    raw = name.encode("utf-16-le") + b"\0\0"
    return (
        raw.ljust(64, b"\0")
        + struct.pack("<HBB", len(raw), kind, 1)
        + struct.pack("<III", _NOSTREAM, right, child)
        + b"\0" * 16
        + b"\0" * 4
        + b"\0" * 16
        + struct.pack("<IQ", start, size)
    )


def make_xls(
    path: Path, rows: Sequence[Sequence[Any]] | None = None, sheet: str = "四会市"
) -> Path:
    """A real legacy .xls written by xlwt."""
    import xlwt

    wb = xlwt.Workbook(encoding="utf-8")
    ws = wb.add_sheet(sheet)
    for i, row in enumerate(rows or good_grid()):
        for j, v in enumerate(row):
            if v is not None:
                ws.write(i, j, v)
    wb.save(str(path))
    return path


def make_two_sheets_one_broken(path: Path) -> Path:
    """Sheet 1 is fine; sheet 2 points at a shared string that does not exist."""
    bad = grid_sheet_xml([["x"]], extra_cells='<row r="2"><c r="A2" t="s"><v>99</v></c></row>')
    good = grid_sheet_xml(good_grid()).replace(
        f'<c r="A1" t="inlineStr"><is><t>{escape(good_grid()[0][0])}</t></is></c>',
        '<c r="A1" t="s"><v>0</v></c>',
    )
    parts = xlsx_parts({"四会市": good, "坏表": bad}, shared_strings=[good_grid()[0][0]])
    return zip_parts(path, parts)


def make_far_xls(path: Path) -> Path:
    """A 6 KB legacy .xls with values in A1 and IV65536: 16.7 million cells once densified
    (about 1 GB in calamine, whose .xls reader the pre-flight cannot bound)."""
    import xlwt

    wb = xlwt.Workbook(encoding="utf-8")
    ws = wb.add_sheet("四会市")
    ws.write(0, 0, "标题")
    ws.write(65535, 255, 1)
    wb.save(str(path))
    return path


def make_xls_error_cell(path: Path) -> Path:
    """A legacy .xls with a ``#DIV/0!`` formula result (xlwt writes the formula)."""
    import xlwt

    wb = xlwt.Workbook(encoding="utf-8")
    ws = wb.add_sheet("四会市")
    for i, row in enumerate(good_grid()):
        for j, v in enumerate(row):
            ws.write(i, j, v)
    ws.write(5, 2, xlwt.Formula("1/0"))
    wb.save(str(path))
    return path


# --------------------------------------------------------------------------------------
# shared-string bombs (issue #14): small files whose strings expand per referencing cell


def make_sst_bomb_xlsx(path: Path, string_bytes: int = 2 << 20, refs: int = 5_000) -> Path:
    """A ~1.5 MB .xlsx: one 2 MB shared string (random letters, so it does not compress
    away) referenced by 5,000 cells; the readers copy it into every cell (10 GB)."""
    import random

    rng = random.Random(14)
    text = "".join(rng.choices("abcdefghijklmnopqrstuvwxyz", k=string_bytes))
    rows = "".join(f'<row r="{i}"><c r="A{i}" t="s"><v>0</v></c></row>' for i in range(1, refs + 1))
    sheet = (
        f'<?xml version="1.0" encoding="UTF-8"?>\n<worksheet xmlns="{MAIN_NS}">'
        f'<dimension ref="A1:A{refs}"/><sheetData>{rows}</sheetData></worksheet>'
    )
    return zip_parts(path, xlsx_parts({"四会市": sheet}, shared_strings=[text]))


def make_sst_bomb_xls(path: Path, chars: int = 32_767, cells: int = 100_000) -> Path:
    """An .xls with ``cells`` LABELSST cells of one legal 32,767-character string (the SST
    holds it once; the readers copy it per cell: 6.5 GB)."""
    import xlwt

    wb = xlwt.Workbook(encoding="utf-8")
    ws = wb.add_sheet("四会市")
    text = "x" * chars
    rows = min(cells, 50_000)
    for c in range((cells + rows - 1) // rows):
        for r in range(min(rows, cells - c * rows)):
            ws.write(r, c, text)
    wb.save(str(path))
    return path
