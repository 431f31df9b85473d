"""CSV text (issue #14): UTF-16 and UTF-32 exports without a BOM are detected, not taken for
binary; a CSV is parsed row by row and refused as soon as it passes the cell limit."""

from __future__ import annotations

import resource

import pytest

from zqcampaign.errors import FileTooLargeError
from zqcampaign.io.preflight import Limits, wide_encoding
from zqcampaign.io.readers import read_workbook

TEXT = "序号,项目名称,计划总投资（万元）\r\n1,肇庆某汽配项目,12000\r\n2,四会某电子项目,8000\r\n"


@pytest.mark.parametrize(
    ("encoding", "bom"),
    [
        ("utf-16-le", b""),
        ("utf-16-be", b""),
        ("utf-32-le", b""),
        ("utf-32-be", b""),
        ("utf-16-le", b"\xff\xfe"),
        ("utf-32-le", b"\xff\xfe\x00\x00"),
    ],
)
def test_wide_csv_with_or_without_bom_is_read(tmp_path, encoding, bom):
    path = tmp_path / "四会市.csv"
    path.write_bytes(bom + TEXT.encode(encoding))
    wb = read_workbook(path)
    assert wb.format == "csv"
    rows = wb.sheets[0].rows
    assert rows[0] == ["序号", "项目名称", "计划总投资（万元）"]
    assert rows[2] == ["2", "四会某电子项目", "8000"]
    assert not [n for n in wb.notes if n.code == "undecodable_bytes"]


def test_plain_text_and_binary_are_not_taken_for_wide_text():
    assert wide_encoding(TEXT.encode("utf-8")) is None
    assert wide_encoding(TEXT.encode("gb18030")) is None
    assert wide_encoding(bytes(range(256)) * 4) is None


def test_csv_is_refused_at_the_cell_limit_while_it_is_parsed(tmp_path):
    path = tmp_path / "巨大.csv"
    path.write_text("a,b,c,d,e,f,g,h,i,j\n" * 300_000, encoding="utf-8")  # 3 M cells, 6 MB
    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    with pytest.raises(FileTooLargeError, match="至少有 100,001 行 × 10 列") as info:
        read_workbook(path, limits=Limits(max_cells=1_000_000))
    assert "巨大.csv" in str(info.value)
    grown = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - before
    assert grown < 400 * 1024  # KB: a third of the file parsed, never all of it
