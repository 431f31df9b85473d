"""Shared-string bombs (issue #14): a small file whose one long string is referenced by
thousands of cells is refused before any reader copies it per cell — alone and in a folder
big enough to be read by worker processes — and the memory stays under 1 GB."""

from __future__ import annotations

import resource
import shutil

import builders as b
import pytest

import zqcampaign as zq
from zqcampaign.errors import FileTooLargeError
from zqcampaign.io.preflight import Limits, preflight
from zqcampaign.io.readers import read_workbook
from zqcampaign.io.strings import biff_sst_lengths

GB = 1 << 30


@pytest.fixture(scope="module")
def bombs(tmp_path_factory):
    folder = tmp_path_factory.mktemp("bombs")
    return {
        "xlsx": b.make_sst_bomb_xlsx(folder / "字符串炸弹.xlsx"),
        "xls": b.make_sst_bomb_xls(folder / "字符串炸弹.xls"),
    }


def _peak_rss() -> int:
    own = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    kids = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    return max(own, kids) * 1024


@pytest.mark.parametrize("kind", ["xlsx", "xls"])
def test_string_bomb_alone_is_refused_naming_the_file_and_the_expansion(bombs, kind):
    path = bombs[kind]
    assert path.stat().st_size < 3 << 20  # small on disk: within every size limit
    camp = zq.load(path)
    row = camp.issues[camp.issues["severity"] == "error"]
    assert row["code"].tolist() == ["file_too_large"]
    message = row["message"].iat[0]
    assert path.name in message and "共享字符串" in message and "GB" in message
    assert _peak_rss() < GB


def test_string_bombs_in_a_70_file_folder_cost_only_themselves(bombs, tmp_path):
    folder = tmp_path / "ledgers"
    folder.mkdir()
    for i in range(68):
        month = f"2023年{7 + i % 6}月"
        (folder / month).mkdir(exist_ok=True)
        b.make_xlsx(folder / month / f"台账{i:02d}.xlsx")
    for path in bombs.values():
        shutil.copy(path, folder / path.name)
    camp = zq.load(folder)  # 70 files: read by worker processes
    assert len(camp.files) == 70
    errors = camp.files[camp.files["error"].notna()]
    assert sorted(errors["file"]) == sorted(p.name for p in bombs.values())
    assert set(errors["error"]) == {"file_too_large"}
    good = camp.files[camp.files["error"].isna()]
    assert len(good) == 68 and (good["sheets"] == 1).all()
    assert camp.summary.table["rows_read"].gt(0).sum() == 68  # (same county and date: one kept)
    assert _peak_rss() < GB


def test_strings_over_the_in_process_budget_are_read_in_the_capped_child(tmp_path):
    grid = b.good_grid()
    sheet = b.grid_sheet_xml(grid).replace(
        "</sheetData>", '<row r="100"><c r="A100" t="s"><v>0</v></c></row></sheetData>'
    )
    parts = b.xlsx_parts({"四会市": sheet}, shared_strings=["甲" * 3000])
    path = b.zip_parts(tmp_path / "长文字.xlsx", parts)
    small = Limits(max_inprocess_string_bytes=1_000)
    assert read_workbook(path).isolated is False
    wb = read_workbook(path, limits=small)
    assert wb.isolated is True
    assert wb.sheets[0].rows[0][0] == grid[0][0]
    assert wb.sheets[0].rows[-1][0] == "甲" * 3000


def test_xls_string_table_lengths_follow_continue_records(tmp_path):
    texts = ["a", "肇庆", "x" * 9000, "端州区" * 4000, "y" * 300]
    import xlwt  # writes the SST and its CONTINUE records itself

    wb = xlwt.Workbook(encoding="utf-8")
    ws = wb.add_sheet("s")
    for r, text in enumerate(texts):
        ws.write(r, 0, text)
        ws.write(r, 1, text)  # every string referenced twice
    path = tmp_path / "sst.xls"
    wb.save(str(path))
    pf = preflight(path)
    assert pf.string_refs == 2 * len(texts)
    utf8_at_most = [len(t) * (3 if any(ord(c) > 255 for c in t) else 2) for t in texts]
    assert pf.string_bytes == 2 * 2 * sum(utf8_at_most)
    assert biff_sst_lengths([]).tolist() == []


def test_a_string_bomb_with_no_room_even_in_the_child_is_refused_up_front(bombs):
    with pytest.raises(FileTooLargeError, match="疑似字符串炸弹"):
        preflight(bombs["xlsx"])
