"""Writers of laid-out ledgers: ``.xlsx``, legacy ``.xls`` and GBK ``.csv``.

Byte-stable: workbook properties and zip timestamps are fixed, so the same grids always give
the same bytes. :func:`_write_ledger` writes one county's ledger in its house format; the
workbook writers also take several sheets (the city workbooks of October).
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
import zipfile
from collections.abc import Sequence
from pathlib import Path

from zqcampaign.sample.layout import _Grid
from zqcampaign.sample.styles import _Style

_FIXED_TIME = dt.datetime(2024, 1, 5, 9, 0, 0)
_WIDTHS = {"name": 34, "owner": 28, "progress": 26, "problems": 22, "responsible_unit": 22}


def _write_xlsx(path: Path, sheets: Sequence[tuple[str, _Grid, _Style]]) -> None:
    import openpyxl
    from openpyxl.styles import Alignment, Font
    from openpyxl.utils import get_column_letter

    wb = openpyxl.Workbook()
    wb.remove(wb.active)
    wb.properties.creator = "zqcampaign sample"
    wb.properties.lastModifiedBy = "zqcampaign sample"
    wb.properties.created = _FIXED_TIME
    wb.properties.modified = _FIXED_TIME
    bold = Font(bold=True)
    centre = Alignment(horizontal="center", vertical="center", wrap_text=True)
    for name, g, style in sheets:
        ws = wb.create_sheet(name)
        for row in g.rows:
            ws.append(row)
        for r0, c0, r1, c1 in g.merges:
            ws.merge_cells(start_row=r0 + 1, start_column=c0 + 1, end_row=r1 + 1, end_column=c1 + 1)
        ws["A1"].font = Font(bold=True, size=14)
        ws["A1"].alignment = centre
        for r in range(3, 3 + style.header_rows):
            for c in range(1, len(style.cols) + 1):
                ws.cell(row=r, column=c).font = bold
                ws.cell(row=r, column=c).alignment = centre
        for j, col in enumerate(style.cols, start=1):
            ws.column_dimensions[get_column_letter(j)].width = _WIDTHS.get(col[0], 12)
    buf = io.BytesIO()
    wb.save(buf)
    _stable_zip(buf.getvalue(), path)


def _stable_zip(data: bytes, path: Path) -> None:
    """Rewrite a zip with fixed timestamps (openpyxl stamps the current time)."""
    stamp = _FIXED_TIME.strftime("%Y-%m-%dT%H:%M:%SZ").encode()
    with zipfile.ZipFile(io.BytesIO(data)) as src, zipfile.ZipFile(path, "w") as dst:
        for info in src.infolist():
            body = src.read(info.filename)
            if info.filename == "docProps/core.xml":
                body = re.sub(
                    rb"(<dcterms:modified[^>]*>)[^<]*(</dcterms:modified>)",
                    rb"\g<1>" + stamp + rb"\g<2>",
                    body,
                )
            zi = zipfile.ZipInfo(info.filename, date_time=_FIXED_TIME.timetuple()[:6])
            zi.compress_type = zipfile.ZIP_DEFLATED
            dst.writestr(zi, body)


def _write_xls(path: Path, sheets: Sequence[tuple[str, _Grid, _Style]]) -> None:
    import xlwt

    wb = xlwt.Workbook(encoding="utf-8")
    date_style = xlwt.easyxf(num_format_str="YYYY-MM-DD")
    plain = xlwt.XFStyle()
    head = xlwt.easyxf("font: bold on; align: horiz center, vert center, wrap on")
    for name, g, style in sheets:
        ws = wb.add_sheet(name)
        depth = style.header_rows
        covered: set[tuple[int, int]] = set()
        for r0, c0, r1, c1 in g.merges:
            st = head if 2 <= r0 < 2 + depth or r0 == 0 else plain
            ws.write_merge(r0, r1, c0, c1, g.rows[r0][c0], st)
            covered |= {(r, c) for r in range(r0, r1 + 1) for c in range(c0, c1 + 1)}
        for r, row in enumerate(g.rows):
            for c, value in enumerate(row):
                if value is None or (r, c) in covered:
                    continue
                if isinstance(value, dt.date):
                    ws.write(r, c, value, date_style)
                else:
                    ws.write(r, c, value, head if 2 <= r < 2 + depth else plain)
        for j, col in enumerate(style.cols):
            ws.col(j).width = 256 * _WIDTHS.get(col[0], 12)
    wb.save(str(path))


def _write_csv(path: Path, g: _Grid) -> None:
    with open(path, "w", encoding="gbk", newline="") as fh:
        writer = csv.writer(fh)
        for row in g.rows:
            writer.writerow(["" if v is None else v for v in row])


def _month_folder(out: Path, month: int) -> Path:
    """The folder of one month's ledgers, created if needed."""
    folder = out / f"2023-{month:02d}"
    folder.mkdir(exist_ok=True)
    return folder


_WORKBOOKS = {"xlsx": _write_xlsx, "xls": _write_xls}


def _write_ledger(path: Path, g: _Grid, style: _Style) -> None:
    """One county's ledger as a file of its own: a workbook of one sheet, else a GBK csv."""
    if style.fmt in _WORKBOOKS:
        _WORKBOOKS[style.fmt](path, [(style.sheet, g, style)])
    else:
        _write_csv(path, g)
