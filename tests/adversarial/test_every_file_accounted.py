"""Every file in a folder is accounted for (issue #14): ledgers in every format calamine
reads are read; every other file is named in an issue saying how to convert it; folders that
cannot be opened are errors; deep and over-long paths, a pack written inside the data folder
and GBK-byte file names cost nothing."""

from __future__ import annotations

import os
import shutil
import zipfile
from pathlib import Path

import builders as b
import pytest

import zqcampaign as zq
import zqcampaign.io.discover
from zqcampaign import charts
from zqcampaign.io.discover import discover

CORPUS_XLSB = Path("/work/shared/corpus/tafia+calamine/tests__issue127.xlsb")


def _xls_ledger(path: Path, county: str = "怀集县") -> Path:
    import xlwt

    wb = xlwt.Workbook(encoding="utf-8")
    ws = wb.add_sheet(county)
    for r, row in enumerate(b.good_grid(county)):
        for c, value in enumerate(row):
            if value is not None:
                ws.write(r, c, value)
    wb.save(str(path))
    return path


@pytest.fixture
def mixed(tmp_path):
    folder = tmp_path / "台账"
    folder.mkdir()
    b.make_xlsx(folder / "四会市.xlsx")
    _xls_ledger(folder / "广宁县.et", "广宁县")  # WPS 表格: the bytes of an .xls
    b.make_xlsx(folder / "模板.ett", {"德庆县": b.good_grid("德庆县")})  # a new-style WPS template
    b.make_xlsx(folder / "鼎湖区.xlsm", {"鼎湖区": b.good_grid("鼎湖区")})
    b.make_xlsx(folder / "端州区.xlsx ", {"端州区": b.good_grid("端州区")})  # trailing space
    with zipfile.ZipFile(folder / "九月台账.zip", "w") as zf:
        zf.writestr("高要区.xlsx", b"...")
    (folder / "联系人.txt").write_text("张三 123", encoding="utf-8")
    (folder / "报表.numbers").write_bytes(b"PK\x03\x04numbers")
    (folder / "平面.fods").write_text("<office:document/>", encoding="utf-8")
    (folder / "导出.xml").write_text(
        '<?xml version="1.0"?><Workbook xmlns="urn:schemas-microsoft-com:office:spreadsheet"/>'
    )
    (folder / "说明.docx").write_bytes(b"PK\x03\x04word")
    (folder / "通知.pdf").write_bytes(b"%PDF-1.4")
    (folder / "~$四会市.xlsx").write_bytes(b"lock")
    return folder


EXPECT_SKIPPED = {
    "九月台账.zip": ("warning", "解压"),
    "联系人.txt": ("info", "另存为 .xlsx"),
    "报表.numbers": ("warning", "Numbers"),
    "平面.fods": ("warning", "另存为 .xlsx"),
    "导出.xml": ("warning", "另存为 .xlsx"),
    "说明.docx": ("info", "不是表格"),
    "通知.pdf": ("info", "不是表格"),
}


def test_every_file_is_read_or_named_in_an_issue(mixed):
    camp = zq.load(mixed, workers=1)
    read = set(camp.files["file"])
    assert read == {"四会市.xlsx", "广宁县.et", "模板.ett", "鼎湖区.xlsm", "端州区.xlsx "}
    assert camp.files["error"].isna().all(), camp.files
    assert set(camp.snapshots["county"]) == {"四会市", "广宁县", "德庆县", "鼎湖区", "端州区"}
    skipped = camp.issues[camp.issues["code"] == "skipped_file"].set_index("file")
    assert set(skipped.index) == set(EXPECT_SKIPPED)
    for name, (severity, words) in EXPECT_SKIPPED.items():
        assert skipped.loc[name, "severity"] == severity, name
        assert words in skipped.loc[name, "message"], name
    litter = camp.issues[camp.issues["code"] == "skipped_litter"]
    assert litter["file"].tolist() == ["~$四会市.xlsx"]
    on_disk = {p.name for p in mixed.iterdir()}
    assert on_disk == read | set(skipped.index) | set(litter["file"])


@pytest.mark.skipif(not CORPUS_XLSB.is_file(), reason="the shared corpus is not here")
def test_an_xlsb_in_a_folder_is_read(tmp_path):
    folder = tmp_path / "f"
    folder.mkdir()
    shutil.copy(CORPUS_XLSB, folder / "issue127.xlsb")
    b.make_xlsx(folder / "四会市.xlsx")
    camp = zq.load(folder, workers=1)
    row = camp.files.set_index("file").loc["issue127.xlsb"]
    assert row["format"] == "xlsb" and row["sheets"] >= 1


def test_only_other_files_name_them_in_the_no_ledger_error(tmp_path):
    (tmp_path / "通知.pdf").write_bytes(b"%PDF-1.4")
    with pytest.raises(zq.errors.NoLedgerFoundError, match=r"通知\.pdf"):
        zq.load(tmp_path)


def test_an_unreadable_subfolder_is_an_error_and_the_rest_loads(tmp_path, monkeypatch):
    b.make_xlsx(tmp_path / "四会市.xlsx")
    locked = tmp_path / "锁定"
    locked.mkdir()
    b.make_xlsx(locked / "端州区.xlsx", {"端州区": b.good_grid("端州区")})
    real = os.scandir

    def scandir(path):  # (root may read any folder: deny it as the system would)
        if Path(path) == locked:
            raise PermissionError(13, "Permission denied", str(path))
        return real(path)

    monkeypatch.setattr(zqcampaign.io.discover.os, "scandir", scandir)
    camp = zq.load(tmp_path, workers=1)
    row = camp.issues[camp.issues["code"] == "unreadable_folder"]
    assert row["file"].tolist() == ["锁定/"] and row["severity"].tolist() == ["error"]
    assert "没有读取权限" in row["message"].iat[0]
    assert set(camp.snapshots["county"]) == {"四会市"}


def _mkdirs_by_fd(root: Path, names: list[str]) -> int:
    """Create nested folders one level at a time (a path beyond PATH_MAX cannot be made in
    one call); returns an fd of the deepest."""
    fd = os.open(root, os.O_RDONLY)
    for name in names:
        os.mkdir(name, dir_fd=fd)
        new = os.open(name, os.O_RDONLY, dir_fd=fd)
        os.close(fd)
        fd = new
    return fd


def test_deep_and_over_long_folders_do_not_stop_the_load(tmp_path):
    b.make_xlsx(tmp_path / "四会市.xlsx")
    deep = tmp_path / "深"
    deep.mkdir()
    fd = _mkdirs_by_fd(deep, ["d"] * 600)  # 600 levels, 1,200 characters: still readable
    data = b.make_xlsx(tmp_path / "src.xlsx", {"端州区": b.good_grid("端州区")}).read_bytes()
    with open(os.open("端州区.xlsx", os.O_WRONLY | os.O_CREAT, 0o644, dir_fd=fd), "wb") as fh:
        fh.write(data)
    os.close(fd)
    (tmp_path / "src.xlsx").unlink()
    long = tmp_path / "长"
    long.mkdir()
    fd = _mkdirs_by_fd(long, ["很长的文件夹名称" * 8] * 24)  # over 4,096 bytes in all
    os.close(fd)
    camp = zq.load(tmp_path, workers=1)
    assert set(camp.snapshots["county"]) == {"四会市", "端州区"}
    errors = camp.issues[camp.issues["code"] == "unreadable_folder"]
    assert len(errors) == 1 and "路径过长" in errors["message"].iat[0]


def test_a_pack_written_inside_the_data_folder_is_skipped_with_an_info(tmp_path, monkeypatch):
    monkeypatch.setattr(charts, "CHARTS", {})
    data = tmp_path / "data"
    data.mkdir()
    b.make_xlsx(data / "四会市.xlsx")
    pack = zq.load(data, workers=1).report(tmp_path / "briefing", workers=1)
    shutil.copytree(pack.folder, data / "简报")
    camp = zq.load(data, workers=1)
    assert list(camp.files["file"]) == ["四会市.xlsx"]
    row = camp.issues[camp.issues["code"] == "skipped_pack"]
    assert row["file"].tolist() == ["简报/"] and row["severity"].tolist() == ["info"]
    assert not camp.issues["file"].str.startswith("简报/").drop(row.index).any()


def test_a_gbk_byte_file_name_is_shown_decoded_and_the_report_is_written(tmp_path, monkeypatch):
    monkeypatch.setattr(charts, "CHARTS", {})
    data = tmp_path / "data"
    data.mkdir()
    good = b.make_xlsx(tmp_path / "x.xlsx").read_bytes()
    raw = os.fsencode(data) + b"/" + "四会市台账.xlsx".encode("gbk")
    with open(raw, "wb") as fh:
        fh.write(good)
    (data / os.fsdecode(b"\xff\xfe.xlsx")).write_bytes(good)  # fits neither: escaped
    camp = zq.load(data, workers=1)
    assert sorted(camp.files["file"]) == sorted(["四会市台账.xlsx", "\\xff\\xfe.xlsx"])
    pack = camp.report(tmp_path / "briefing", workers=1)
    manifest = (pack.folder / "manifest.json").read_text(encoding="utf-8")
    assert "四会市台账.xlsx" in manifest


def test_discover_lists_what_it_skipped_in_walk_order(mixed):
    found = discover(mixed)
    assert [p.name for p in found.litter] == ["~$四会市.xlsx"]
    assert {p.name for p, *_ in found.skipped} == set(EXPECT_SKIPPED)


CORPUS_DIR = CORPUS_XLSB.parent.parent


@pytest.mark.skipif(not CORPUS_DIR.is_dir(), reason="the shared corpus is not here")
def test_default_password_xls_is_opened_like_excel_and_a_real_password_is_not(tmp_path):
    from zqcampaign.errors import EncryptedFileError
    from zqcampaign.io.readers import read_workbook

    velvet = shutil.copy(CORPUS_DIR / "tafia+calamine" / "tests__issue_385.xls", tmp_path)
    wb = read_workbook(velvet)  # encrypted with "VelvetSweatshop" (calamine issue 385)
    assert wb.format == "xls" and [s.name for s in wb.sheets] == ["Sheet1"]
    assert [n.code for n in wb.notes] == ["default_password"]
    secret = shutil.copy(
        CORPUS_DIR / "dimastbk+python-calamine" / "tests__data__password.xls", tmp_path
    )
    with pytest.raises(EncryptedFileError, match="密码"):
        read_workbook(secret)
