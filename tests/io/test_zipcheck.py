"""The .xlsx container as the pre-flight reads it: each part inflated once, checked, and
handed to the reader repacked uncompressed; anything unusual read through zipfile as before."""

from __future__ import annotations

import io
import zipfile

import pytest
from adversarial import builders as b

from zqcampaign.errors import UnreadableFileError
from zqcampaign.io.preflight import preflight, read_bytes
from zqcampaign.io.readers import read_workbook
from zqcampaign.io.zipcheck import CheckedZip


def _parts(data: bytes) -> dict[str, tuple[int, bytes]]:
    with zipfile.ZipFile(io.BytesIO(data)) as zf:
        return {i.filename: (i.compress_type, zf.read(i)) for i in zf.infolist()}


def test_reader_gets_the_parts_the_preflight_inflated_stored_uncompressed(tmp_path):
    path = b.make_xlsx(tmp_path / "四会市.xlsx")
    data = read_bytes(path)
    pf = preflight(path, data=data)
    original, repacked = _parts(data), _parts(pf.data)
    assert list(repacked) == list(original)  # same parts, same order
    assert {n: body for n, (_m, body) in repacked.items()} == {
        n: body for n, (_m, body) in original.items()
    }
    sheet = repacked["xl/worksheets/sheet1.xml"]
    assert sheet[0] == zipfile.ZIP_STORED  # inflated once, by the pre-flight
    wb = read_workbook(path, data=data)
    assert wb.sheets[0].rows[3][1] == "肇庆某汽配项目"


def test_parts_the_preflight_does_not_read_are_copied_as_they_are(tmp_path):
    parts = b.xlsx_parts({"四会市": b.grid_sheet_xml(b.good_grid())})
    parts["docProps/app.xml"] = b"<Properties>" + b"x" * 5000 + b"</Properties>"
    path = b.zip_parts(tmp_path / "a.xlsx", parts)
    pf = preflight(path)
    repacked = _parts(pf.data)
    assert repacked["docProps/app.xml"] == (zipfile.ZIP_DEFLATED, parts["docProps/app.xml"])


def test_a_part_with_a_bad_crc_is_still_refused_as_corrupt(tmp_path):
    path = b.make_xlsx(tmp_path / "坏.xlsx")
    raw = path.read_bytes()
    name = b"xl/worksheets/sheet1.xml"
    with zipfile.ZipFile(io.BytesIO(raw)) as zf:
        crc = zf.getinfo(name.decode()).CRC
    # the CRC field (16 bytes after the signature) of the sheet's central directory entry
    entry = raw.rfind(b"PK\x01\x02", 0, raw.find(name, raw.find(b"PK\x01\x02")))
    data = bytearray(raw)
    data[entry + 16 : entry + 20] = ((crc + 1) & 0xFFFFFFFF).to_bytes(4, "little")
    path.write_bytes(bytes(data))
    with pytest.raises(UnreadableFileError, match="CRC"):
        preflight(path)


def test_a_part_whose_local_header_differs_is_read_through_zipfile(tmp_path):
    data = b.make_xlsx(tmp_path / "a.xlsx").read_bytes()
    zf = CheckedZip(data)
    info = zf.getinfo("xl/workbook.xml")
    assert zf.whole(info) == zipfile.ZipFile(io.BytesIO(data)).read(info)
    broken = bytearray(data)
    broken[info.header_offset : info.header_offset + 4] = b"PK\x00\x00"
    zf = CheckedZip(bytes(broken))
    assert zf.whole(zf.getinfo("xl/workbook.xml")) is None
    assert zf.stored() is None  # the reader then gets the file's own bytes
    with pytest.raises(zipfile.BadZipFile):  # what zipfile says, as before
        zf.read("xl/workbook.xml")
