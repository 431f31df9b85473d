"""Every hostile file at the reader boundary: a LedgerError naming the file, or a workbook
with the right notes — in this process, which must survive all of them."""

from __future__ import annotations

import datetime as dt
import resource

import pytest
from conftest import CASES, GOOD

from zqcampaign.errors import FileTooLargeError, LedgerError
from zqcampaign.io.discover import is_litter
from zqcampaign.io.readers import read_workbook

GB = 1 << 30


@pytest.mark.parametrize("key", sorted(CASES))
def test_hostile_file_is_refused_or_read_with_notes(zoo, key):
    case = CASES[key]
    path = zoo[key]
    if case.error is not None:
        with pytest.raises(case.error) as info:
            read_workbook(path)
        err = info.value
        assert isinstance(err, LedgerError)
        assert err.code == case.error.code
        assert path.name in str(err)  # names the file
        assert err.advice in str(err)  # and says what to do
        for word in case.words:
            assert word in str(err), (word, str(err))
        return
    wb = read_workbook(path)
    codes = {n.code for n in wb.notes}
    assert set(case.notes) <= codes, (case.notes, codes)
    assert [s.name for s in wb.sheets] == list(case.sheets)


@pytest.mark.parametrize("name", sorted(GOOD))
def test_good_ledger_beside_the_zoo_is_read_in_full(zoo, name):
    wb = read_workbook(zoo[name])
    (sheet,) = wb.sheets
    assert [r[1] for r in sheet.rows[3:]] == ["肇庆某汽配项目", "四会某电子项目"]
    assert [n for n in wb.notes if n.severity != "info"] == []


def test_reading_the_whole_zoo_keeps_memory_under_1_gb(zoo):
    for path in zoo.values():
        try:
            read_workbook(path)
        except LedgerError:
            pass
    self_peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024
    child_peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss * 1024
    assert self_peak < GB
    # a forked reader shares this process's pages and may allocate 1 GB more, no further
    assert child_peak < self_peak + GB


def test_lock_files_and_os_litter_are_recognised(zoo):
    folder = zoo["far_cell"].parent
    litter = sorted(p.name for p in folder.rglob("*") if p.is_file() and is_litter(p))
    assert litter == sorted(
        [
            ".DS_Store",
            "._四会市台账.xlsx",
            "._怀集县台账.xlsx",
            ".~lock.四会市台账.xlsx#",
            "Thumbs.db",
            "~$四会市台账.xlsx",
        ]
    )
    assert not any(is_litter(p) for p in zoo.values())


# --- the notes carry the cell address and the value that would have changed -------------


def notes_of(path, code):
    return [
        (n.sheet, n.row, n.column, n.value) for n in read_workbook(path).notes if n.code == code
    ]


def test_error_cells_are_noted_with_address_and_error_value(zoo):
    assert notes_of(zoo["error_cells"], "error_cell") == [
        ("Sheet1", 6, 2, "#DIV/0!"),
        ("Sheet1", 6, 3, "#N/A"),
    ]


def test_formulas_without_saved_value_are_noted_with_the_formula(zoo):
    assert notes_of(zoo["uncached"], "formula_no_value") == [
        ("Sheet1", 6, 2, "=SUM(C4:C5)"),
        ("Sheet1", 6, 3, '=TEXT(D4,"yyyy")'),
    ]


def test_negative_date_serial_is_noted_and_large_one_reaches_the_loader_as_a_number(zoo):
    wb = read_workbook(zoo["bad_serial"])
    assert [(n.row, n.column, n.value) for n in wb.notes if n.code == "bad_date_serial"] == [
        (6, 3, "-5")
    ]
    # 99999999 with a date format comes back as a plain number: the loader's date parser
    # reports it as out of range with its address.
    assert wb.sheets[0].rows[6][3] == 99999999


def test_1904_workbook_dates_are_converted_with_the_1904_epoch_and_noted(zoo):
    wb = read_workbook(zoo["date1904"])
    # serial 43690 is 2023-08-14 in the 1904 system (2019-08-13 in the 1900 system)
    assert wb.sheets[0].rows[5][3] == dt.date(2023, 8, 14)
    assert "date1904" in {n.code for n in wb.notes}


def test_hidden_and_very_hidden_sheets_are_read_with_their_state(zoo):
    wb = read_workbook(zoo["hidden"])
    assert [(s.name, s.visible) for s in wb.sheets] == [
        ("四会市", "visible"),
        ("隐藏", "hidden"),
        ("深度隐藏", "veryhidden"),
    ]


def test_external_link_note_names_the_linked_workbook(zoo):
    (note,) = [n for n in read_workbook(zoo["external"]).notes if n.code == "external_link"]
    assert note.value == "file:///D:/台账/2023年7月汇总.xlsx"
    assert note.severity == "warning"


def test_ragged_csv_row_is_noted_and_its_cells_are_kept_not_shifted_into_an_index(zoo):
    wb = read_workbook(zoo["ragged"])
    (note,) = [n for n in wb.notes if n.code == "ragged_row"]
    assert (note.row, note.column) == (3, 3)
    assert wb.sheets[0].rows[2] == ["乙项目", "8", "000", "2023-09-01"]


def test_undecodable_bytes_are_noted_with_their_line(zoo):
    (note,) = notes_of(zoo["undecodable"], "undecodable_bytes")
    assert note[1] == 3


def test_far_xls_is_stopped_in_the_isolated_reader_not_in_this_process(zoo):
    with pytest.raises(FileTooLargeError, match="内存超过"):
        read_workbook(zoo["far"])
