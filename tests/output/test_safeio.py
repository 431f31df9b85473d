"""Output writers: text stays text, nothing is cut or dropped silently, no half-written file."""

from __future__ import annotations

import csv
import errno
import math
import os
import zipfile

import numpy as np
import openpyxl
import pandas as pd
import pytest
import python_calamine
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from zqcampaign.errors import OutputError, ZqError
from zqcampaign.output.safeio import (
    EXCEL_CELL_LIMIT,
    atomic_dir,
    atomic_output,
    safe_csv_text,
    unguard_csv_text,
    write_cell,
    write_csv,
    write_xlsx,
    xlsx_text,
    xlsx_unescape,
)

HOSTILE_STARTS = [
    "=",
    "+",
    "-",
    "@",
    "\t",
    "\r",
    "'",
    "''=",
    "#N/A",
    "#DIV/0!",
    "file:///",
    "external:",
    "http://x.cn/",
    "_x0041_",
    '=HYPERLINK("http://x")',
    "",
]
texts = st.builds(
    lambda head, tail: head + tail, st.sampled_from(HOSTILE_STARTS), st.text(max_size=40)
)
CALM = settings(
    max_examples=int(os.environ.get("ZQ_HYPOTHESIS_EXAMPLES", "60")),
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
)


# --- xlsx -------------------------------------------------------------------------------


@CALM
@given(st.lists(texts, min_size=1, max_size=8))
def test_xlsx_round_trips_any_text_as_plain_string_cells(tmp_path_factory, values):
    path = tmp_path_factory.mktemp("x") / "out.xlsx"
    write_xlsx({"表": pd.DataFrame({"文本": values})}, path)
    ws = openpyxl.load_workbook(path)["表"]
    cells = [row[0] for row in ws.iter_rows(min_row=2, max_row=len(values) + 1)]
    for cell, value in zip(cells, values, strict=True):
        assert cell.hyperlink is None
        if value == "":
            assert cell.value is None
            continue
        assert cell.data_type == "s"  # not "f" (formula), not "e" (error)
        assert xlsx_unescape(cell.value) == value
    with zipfile.ZipFile(path) as zf:
        sheet = zf.read("xl/worksheets/sheet1.xml")
        assert b"<f>" not in sheet and b't="e"' not in sheet and b"<hyperlink" not in sheet
        assert not any("_rels/sheet" in n for n in zf.namelist())
    # python-calamine (the reader here, like Excel) decodes the escapes itself
    grid = python_calamine.CalamineWorkbook.from_path(str(path)).get_sheet_by_index(0).to_python()
    assert [row[0] for row in grid[1:]] + [""] * (len(values) - len(grid) + 1) == values


def test_xlsx_text_over_the_cell_limit_is_cut_with_a_marker_and_reported(tmp_path):
    long = "长" * 40_000
    notes = write_xlsx({"S": pd.DataFrame({"备注": [long]})}, tmp_path / "o.xlsx")
    stored = openpyxl.load_workbook(tmp_path / "o.xlsx")["S"]["A2"].value
    assert len(stored) == EXCEL_CELL_LIMIT
    assert stored.endswith("原文共 40,000 字，超过 Excel 单元格 32767 字上限】")
    assert [(n.code, n.sheet, n.row, n.column) for n in notes] == [("text_truncated", "S", 2, 0)]


def test_xlsx_control_characters_are_escaped_kept_and_reported():
    stored, problems = xlsx_text("甲\x01乙\x1f丙")
    assert stored == "甲_x0001_乙_x001F_丙"
    assert [code for code, _ in problems] == ["control_characters"]
    assert xlsx_unescape(stored) == "甲\x01乙\x1f丙"


def test_xlsx_literal_escape_sequences_are_protected_from_excel_decoding():
    stored, problems = xlsx_text("编号_x0041_")
    assert stored == "编号_x005F_x0041_"
    assert problems == []
    assert xlsx_unescape(stored) == "编号_x0041_"


def test_numbers_dates_and_missing_values_keep_their_types(tmp_path):
    df = pd.DataFrame(
        {
            "n": [1, 2.5, np.nan],
            "d": [pd.Timestamp("2023-08-15"), pd.NaT, pd.Timestamp("2023-09-01 08:30")],
            "b": [True, False, None],
        }
    )
    write_xlsx({"S": df}, tmp_path / "o.xlsx", formats={"n": "#,##0.0"})
    ws = openpyxl.load_workbook(tmp_path / "o.xlsx")["S"]
    assert [c.value for c in ws["A"][1:]] == [1, 2.5, None]
    assert ws["A2"].number_format == "#,##0.0"
    assert ws["B2"].value == pd.Timestamp("2023-08-15").to_pydatetime()
    assert ws["B2"].number_format == "yyyy-mm-dd"
    assert ws["B3"].value is None
    assert [c.value for c in ws["C"][1:]] == [True, False, None]


def test_infinity_is_written_as_text_and_reported():
    ws = openpyxl.Workbook().active
    cell, notes = write_cell(ws, 1, 1, math.inf)
    assert (cell.value, cell.data_type) == ("inf", "s")
    assert [n.code for n in notes] == ["non_finite_number"]


def test_sheet_names_excel_refuses_are_adjusted_and_reported(tmp_path):
    sheets = {"a/b:c": pd.DataFrame({"x": [1]}), "A/B:C": pd.DataFrame({"x": [2]})}
    notes = write_xlsx(sheets, tmp_path / "o.xlsx")
    assert openpyxl.load_workbook(tmp_path / "o.xlsx").sheetnames == ["a_b_c", "A_B_C(2)"]
    assert [n.code for n in notes] == ["sheet_renamed", "sheet_renamed"]


def test_styling_callback_cannot_sneak_in_a_formula_error_cell_or_link(tmp_path):
    def style(wb):
        ws = wb["S"]
        ws.freeze_panes = "A2"
        ws["C1"] = "=SUM(A:A)"  # openpyxl would write a live formula
        ws["D1"] = "#N/A"  # ... and an error cell
        ws["A2"].hyperlink = "file:///etc/passwd"

    notes = write_xlsx({"S": pd.DataFrame({"x": ["a"]})}, tmp_path / "o.xlsx", style=style)
    ws = openpyxl.load_workbook(tmp_path / "o.xlsx")["S"]
    assert (ws["C1"].value, ws["C1"].data_type) == ("=SUM(A:A)", "s")
    assert (ws["D1"].value, ws["D1"].data_type) == ("#N/A", "s")
    assert ws["A2"].hyperlink is None
    assert ws.freeze_panes == "A2"
    assert [(n.code, n.row, n.column) for n in notes] == [
        ("formula_as_text", 1, 2),
        ("formula_as_text", 1, 3),
    ]


# --- csv ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "guarded"),
    [
        ("=1+1", "'=1+1"),
        ("+86 138", "'+86 138"),
        ("-5", "'-5"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("\tx", "'\tx"),
        ("\rx", "'\rx"),
        ("'=x", "''=x"),
        ("'x", "'x"),
        ("四会市", "四会市"),
        ("", ""),
    ],
)
def test_safe_csv_text_guards_formula_starts_and_is_invertible(text, guarded):
    assert safe_csv_text(text) == guarded
    assert unguard_csv_text(guarded) == text


def test_safe_csv_text_leaves_numbers_as_numbers():
    assert safe_csv_text(-5) == -5
    assert safe_csv_text(2.5) == 2.5


@CALM
@given(st.lists(texts, min_size=1, max_size=8))
def test_csv_round_trips_any_text_with_the_guard_accounted_for(tmp_path_factory, values):
    path = tmp_path_factory.mktemp("c") / "out.csv"
    write_csv(pd.DataFrame({"文本": values, "n": range(len(values))}), path)
    raw = path.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")  # UTF-8 BOM, so Excel opens it as UTF-8
    with open(path, encoding="utf-8-sig", newline="") as fh:
        rows = list(csv.reader(fh))
    assert rows[0] == ["文本", "n"]
    assert [unguard_csv_text(r[0]) for r in rows[1:]] == values
    assert not any(r[0][:1] in ("=", "+", "-", "@", "\t", "\r") for r in rows[1:])
    assert [r[1] for r in rows[1:]] == [str(i) for i in range(len(values))]


def test_csv_keeps_long_text_whole_and_reports_it_and_control_characters(tmp_path):
    df = pd.DataFrame({"备注": ["长" * 40_000, "a\x07b", "ok"]})
    notes = write_csv(df, tmp_path / "o.csv")
    assert [(n.code, n.row, n.column) for n in notes] == [
        ("text_too_long", 2, 0),
        ("control_characters", 3, 0),
    ]
    with open(tmp_path / "o.csv", encoding="utf-8-sig", newline="") as fh:
        assert len(list(csv.reader(fh))[1][0]) == 40_000


def test_csv_guards_column_names_too(tmp_path):
    write_csv(pd.DataFrame({"=cmd": [1]}), tmp_path / "o.csv")
    assert (tmp_path / "o.csv").read_text(encoding="utf-8-sig").splitlines()[0] == "'=cmd"


# --- atomic writes --------------------------------------------------------------------------


def test_atomic_output_replaces_the_file_only_when_writing_succeeded(tmp_path):
    target = tmp_path / "summary.csv"
    target.write_text("old")
    with pytest.raises(RuntimeError), atomic_output(target) as tmp:
        tmp.write_text("half")
        raise RuntimeError("boom")
    assert target.read_text() == "old"
    assert os.listdir(tmp_path) == ["summary.csv"]
    with atomic_output(target) as tmp:
        tmp.write_text("new")
    assert target.read_text() == "new"
    assert os.listdir(tmp_path) == ["summary.csv"]


def test_full_disk_is_a_chinese_output_error_and_the_old_file_stays(tmp_path, monkeypatch):
    target = tmp_path / "report.xlsx"
    target.write_text("old")

    def full(*args):
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(os, "replace", full)
    with pytest.raises(OutputError, match="磁盘空间不足") as info:
        write_xlsx({"S": pd.DataFrame({"x": [1]})}, target)
    assert isinstance(info.value, ZqError)
    assert target.read_text() == "old"
    assert os.listdir(tmp_path) == ["report.xlsx"]


def test_missing_destination_folder_is_an_output_error(tmp_path):
    with pytest.raises(OutputError, match="所在文件夹不存在"):
        write_csv(pd.DataFrame({"x": [1]}), tmp_path / "nope" / "o.csv")


def test_atomic_dir_swaps_a_whole_folder_or_leaves_the_old_one(tmp_path):
    out = tmp_path / "briefing"
    out.mkdir()
    (out / "old.txt").write_text("old")
    with pytest.raises(RuntimeError), atomic_dir(out) as tmp:
        (tmp / "half.txt").write_text("half")
        raise RuntimeError("boom")
    assert os.listdir(out) == ["old.txt"]
    with atomic_dir(out) as tmp:
        (tmp / "new.txt").write_text("new")
    assert os.listdir(out) == ["new.txt"]
    assert os.listdir(tmp_path) == ["briefing"]
