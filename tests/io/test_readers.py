"""The reader boundary: formats sniffed from bytes, values kept as typed, limits applied.

Hostile files as a zoo are in tests/adversarial/; these are the finer points.
"""

from __future__ import annotations

import re
import zipfile

import pytest
from adversarial import builders as b
from hypothesis import given
from hypothesis import strategies as st

from zqcampaign.errors import (
    ConfigError,
    EncryptedFileError,
    FileTooLargeError,
    NotASpreadsheetError,
    UnreadableFileError,
    UnsupportedFormatError,
)
from zqcampaign.io.cells import cell_address, col_index
from zqcampaign.io.discover import is_litter
from zqcampaign.io.preflight import Limits
from zqcampaign.io.readers import decode_text, read_workbook, sniff_format
from zqcampaign.io.xlsx import _ge_pattern

# --- formats -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("head", "kind"),
    [
        (b"PK\x03\x04rest", "zip"),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1rest", "ole2"),
        (b"\xef\xbb\xbf<html><table>", "html"),
        (b"  <TABLE border=1><tr>", "html"),
        (b'<?xml version="1.0"?><?mso-application progid="Excel.Sheet"?>', "xml2003"),
        ("项目名称,总投资\n".encode("gb18030"), "text"),
        (b"\x00\x01\x02\x03binary", "binary"),
        (b"", "empty"),
    ],
)
def test_sniff_format_reads_the_bytes_not_the_name(head, kind):
    assert sniff_format("ledger.xlsx", head) == kind


def test_real_xls_named_xlsx_is_read_as_xls_with_a_note(tmp_path):
    src = b.make_xls(tmp_path / "a.xls", b.good_grid())
    path = tmp_path / "四会市.xlsx"
    path.write_bytes(src.read_bytes())
    wb = read_workbook(path)
    assert wb.format == "xls"
    assert wb.sheets[0].rows[3][1] == "肇庆某汽配项目"
    assert [n.code for n in wb.notes] == ["format_mismatch"]


def test_word_document_named_xlsx_is_not_a_spreadsheet(tmp_path):
    path = tmp_path / "台账.xlsx"
    with zipfile.ZipFile(path, "w") as zf:
        zf.writestr("word/document.xml", "<w:document/>")
    with pytest.raises(NotASpreadsheetError, match="Word"):
        read_workbook(path)


def test_excel_2003_xml_export_is_refused_with_advice_to_resave(tmp_path):
    path = tmp_path / "导出.xls"
    path.write_text(
        '<?xml version="1.0"?>\n<?mso-application progid="Excel.Sheet"?>\n'
        '<Workbook xmlns="urn:schemas-microsoft-com:office:spreadsheet"/>'
    )
    with pytest.raises(UnsupportedFormatError, match="2003 XML"):
        read_workbook(path)


def test_printable_garbage_without_nul_bytes_is_not_taken_for_a_csv(tmp_path):
    path = tmp_path / "乱码.csv"
    path.write_bytes(bytes(range(0x80, 0x100)) * 40 + b"\x01\x02\x03" * 100)
    with pytest.raises(NotASpreadsheetError, match="乱码"):
        read_workbook(path)


# --- values stay as typed --------------------------------------------------------------

IDS = [["项目编号", "项目名称"], ["01001", "甲项目"], ["00020", "乙项目"]]
FORMATS = [".xlsx", ".xls", ".ods", ".csv"]


def read_grid_as(tmp_path, suffix, grid):
    """``grid`` written in the format of ``suffix``, read back: the first sheet's rows."""
    path = tmp_path / f"grid{suffix}"
    {
        ".xlsx": lambda: b.make_xlsx(path, {"S": grid}),
        ".xls": lambda: b.make_xls(path, grid),
        ".ods": lambda: b.make_ods(path, grid),
        ".csv": lambda: b.make_csv(path, grid),
    }[suffix]()
    return read_workbook(path).sheets[0].rows


@pytest.mark.parametrize("suffix", FORMATS)
def test_identifiers_typed_as_text_keep_their_leading_zeros(tmp_path, suffix):
    rows = read_grid_as(tmp_path, suffix, IDS)
    assert [r[0] for r in rows[1:]] == ["01001", "00020"]


BLANKS = [["项目名称", "备注"], ["甲项目", "   "], ["乙项目", "\u3000"], ["丙项目", " 有 "]]


@pytest.mark.parametrize("suffix", FORMATS)
def test_whitespace_only_text_is_an_empty_cell_in_every_format(tmp_path, suffix):
    rows = read_grid_as(tmp_path, suffix, BLANKS)
    assert [r[1] for r in rows[1:]][:2] == [None, None]
    assert rows[3][1].strip() == "有"


def test_gbk_and_utf16_csv_are_decoded(tmp_path):
    for enc in ("gb18030", "utf-16"):
        path = b.make_csv(tmp_path / f"{enc}.csv", IDS, enc)
        assert read_workbook(path).sheets[0].rows[1] == ["01001", "甲项目"]


def test_decode_text_names_each_line_with_undecodable_bytes(tmp_path):
    data = "甲,1\n".encode("gb18030") + b"\xff\xff,2\n" + "乙,3\n".encode("gb18030") + b"\xff,4"
    text, encoding, notes = decode_text(tmp_path / "x.csv", data)
    assert encoding == "gb18030"
    assert [n.row for n in notes] == [2, 4]
    assert text.split("\n")[2] == "乙,3"


def test_csv_row_with_fewer_fields_than_the_others_is_noted(tmp_path):
    path = tmp_path / "short.csv"
    path.write_text("名称,投资,开工\n甲,1,2023-08-01\n乙,2\n丙,3,2023-08-03\n", encoding="utf-8")
    wb = read_workbook(path)
    assert [(n.code, n.row) for n in wb.notes] == [("ragged_row", 3)]


def test_html_rowspan_and_colspan_keep_the_columns_aligned(tmp_path):
    path = tmp_path / "web.xls"
    path.write_text(
        "<table><tr><td rowspan=2>一、已签约未供地</td><td colspan=2>甲项目</td><td>1</td></tr>"
        "<tr><td>乙项目</td><td>x</td><td>2</td></tr></table>",
        encoding="utf-8",
    )
    rows = read_workbook(path).sheets[0].rows
    assert rows == [["一、已签约未供地", "甲项目", None, "1"], [None, "乙项目", "x", "2"]]


# --- limits and the used range ------------------------------------------------------------


def test_limits_are_configurable_and_named_in_the_message(tmp_path):
    path = b.make_xlsx(tmp_path / "a.xlsx")
    with pytest.raises(FileTooLargeError, match="10 个单元格上限"):
        read_workbook(path, limits=Limits(max_cells=10))


def test_stale_dimension_does_not_hide_a_far_cell(tmp_path):
    extra = '<row r="1048576"><c r="XFD1048576"><v>1</v></c></row>'
    xml = b.grid_sheet_xml(b.good_grid(), extra_cells=extra, dimension="A1:D5")
    path = b.zip_parts(tmp_path / "far.xlsx", b.xlsx_parts({"S": xml}))
    with pytest.raises(FileTooLargeError, match="XFD1048576"):
        read_workbook(path)


def test_cells_beyond_a_small_stale_dimension_are_still_read(tmp_path):
    extra = '<row r="9"><c r="F9"><v>42</v></c></row>'
    xml = b.grid_sheet_xml(b.good_grid(), extra_cells=extra, dimension="A1:D5")
    path = b.zip_parts(tmp_path / "stale.xlsx", b.xlsx_parts({"S": xml}))
    rows = read_workbook(path).sheets[0].rows
    assert rows[8][5] == 42


def test_cells_without_reference_are_counted_by_position(tmp_path):
    extra = '<row r="5000"><c><v>1</v></c><c><v>2</v></c></row>'
    xml = b.grid_sheet_xml(b.good_grid(), extra_cells=extra, dimension="A1:D5")
    path = b.zip_parts(tmp_path / "norref.xlsx", b.xlsx_parts({"S": xml}))
    with pytest.raises(FileTooLargeError, match="5,000 行 × 4 列"):
        read_workbook(path, limits=Limits(max_cells=10_000))
    assert read_workbook(path).sheets[0].rows[4999][:2] == [1, 2]


def test_formatting_only_cell_at_the_far_corner_is_no_reason_to_refuse(tmp_path):
    extra = '<row r="1048576"><c r="XFD1048576" s="0"/></row>'
    xml = b.grid_sheet_xml(b.good_grid(), extra_cells=extra)
    path = b.zip_parts(tmp_path / "styled.xlsx", b.xlsx_parts({"S": xml}))
    assert len(read_workbook(path).sheets[0].rows) == 5


def test_invalid_cell_reference_is_corrupt_file(tmp_path):
    path = b.make_bad_ref(tmp_path / "bad.xlsx", ref="1A")
    with pytest.raises(UnreadableFileError, match="1A"):
        read_workbook(path)


def test_many_error_cells_are_listed_up_to_the_cap_and_counted_across_chunks(tmp_path):
    n = 30_000  # ~2 MB of sheet XML: the scan crosses chunk boundaries
    rows = "".join(
        f'<row r="{i}"><c r="A{i}" t="inlineStr"><is><t>项目{i}</t></is></c>'
        f'<c r="B{i}" t="e"><v>#N/A</v></c></row>'
        for i in range(1, n + 1)
    )
    xml = b.grid_sheet_xml([], extra_cells=rows, dimension=f"A1:B{n}")
    path = b.zip_parts(tmp_path / "na.xlsx", b.xlsx_parts({"S": xml}))
    notes = [x for x in read_workbook(path, limits=Limits(max_notes_per_code=5)).notes]
    listed = [x for x in notes if x.row is not None]
    assert [(x.row, x.column) for x in listed] == [(i, 1) for i in range(1, 6)]
    (summary,) = [x for x in notes if x.row is None]
    assert summary.value == str(n)


def test_namespace_prefixed_sheet_xml_is_scanned_too(tmp_path):
    xml = (
        '<?xml version="1.0"?>\n<x:worksheet xmlns:x="http://schemas.openxmlformats.org/'
        'spreadsheetml/2006/main"><x:dimension ref="A1:B1"/><x:sheetData><x:row r="1">'
        '<x:c r="A1"><x:v>1</x:v></x:c><x:c r="B1" t="e"><x:v>#REF!</x:v></x:c>'
        "</x:row></x:sheetData></x:worksheet>"
    )
    path = b.zip_parts(tmp_path / "ns.xlsx", b.xlsx_parts({"S": xml}))
    wb = read_workbook(path)
    assert [(n.code, n.row, n.column, n.value) for n in wb.notes] == [("error_cell", 1, 1, "#REF!")]


# --- helpers --------------------------------------------------------------------------------


@given(st.integers(1, 2_000_000), st.integers(1, 3_000_000))
def test_ge_pattern_on_digits_matches_exactly_the_numbers_at_or_above(bound, x):
    pattern = re.compile(b"^" + _ge_pattern(bound, letters=False) + b"$")
    assert bool(pattern.match(str(x).encode())) == (x >= bound)


@given(st.integers(0, 16_383), st.integers(0, 16_383))
def test_ge_pattern_on_column_letters_matches_exactly_the_columns_at_or_right(bound, x):
    pattern = re.compile(b"^" + _ge_pattern(bound, letters=True) + b"$")
    letters = cell_address(1, x)[:-1]
    assert col_index(letters) == x
    assert bool(pattern.match(letters.encode())) == (x >= bound)
    assert bool(pattern.match(letters.lower().encode())) == (x >= bound)


@pytest.mark.parametrize(
    ("name", "litter"),
    [
        ("~$四会市台账.xlsx", True),
        (".~lock.四会市台账.xlsx#", True),
        ("Thumbs.db", True),
        ("desktop.ini", True),
        (".DS_Store", True),
        ("._四会市台账.xlsx", True),
        ("__MACOSX/四会市台账.xlsx", True),
        ("~WRL0001.tmp", True),
        ("四会市台账.xlsx", False),
        ("2023年~8月.xlsx", False),
    ],
)
def test_is_litter(name, litter):
    assert is_litter(name) is litter


# --- many files -------------------------------------------------------------------------


def test_small_xls_is_read_in_process_and_a_far_cell_xls_in_the_child(tmp_path):
    import xlwt

    from zqcampaign.io.preflight import preflight

    def xls(name, cells):
        wb = xlwt.Workbook()
        ws = wb.add_sheet("s")
        for r, c, v in cells:
            ws.write(r, c, v)
        wb.save(str(tmp_path / name))
        return tmp_path / name

    small = xls("small.xls", [(r, c, "x") for r in range(50) for c in range(20)])
    far = xls("far.xls", [(0, 0, "x"), (65535, 255, "y")])
    assert preflight(small).isolate is False
    assert preflight(far).isolate is True


@pytest.mark.parametrize(
    "error",
    [
        EncryptedFileError("/某处/a.xlsx", "文件设置了打开密码"),
        FileTooLargeError("b.xls", "太大", advice="请删去多余的行"),
        ConfigError("flags.red_days", "应为正整数", file="zqcampaign.toml"),
    ],
)
def test_errors_survive_pickling_with_message_and_fields(error):
    """(What a worker process raises reaches the loading process unchanged.)"""
    import pickle

    again = pickle.loads(pickle.dumps(error))
    assert type(again) is type(error) and str(again) == str(error)
    assert vars(again) == vars(error)


def test_xls_error_values_and_formulas_without_a_result_are_noted_with_their_cell(tmp_path):
    import xlwt

    formula = read_workbook(b.make_xls_error_cell(tmp_path / "formula.xls"))
    assert [(n.code, n.row, n.column) for n in formula.notes] == [("formula_no_value", 6, 2)]
    wb = xlwt.Workbook()
    ws = wb.add_sheet("四会市")
    ws.write(0, 0, "项目名称")
    ws.row(2).set_cell_error(1, "#DIV/0!")
    wb.save(str(tmp_path / "errors.xls"))
    notes = read_workbook(tmp_path / "errors.xls").notes
    assert [(n.code, n.row, n.column, n.value) for n in notes] == [("error_cell", 3, 1, "#DIV/0!")]
    assert notes[0].message.startswith("单元格 B3 是错误值 #DIV/0!，读入为空白")
