"""The folder always loads (issue #14): whatever reading one file raises, or a worker process
that dies, costs that file alone — it becomes the file's error issue, the good ledgers beside
it load in full, and the parent process never reads what killed a worker."""

from __future__ import annotations

import os
import zipfile
from pathlib import Path

import builders as b
import pytest

import zqcampaign as zq
import zqcampaign.loader
from zqcampaign.io import readers

COUNTIES = ["四会市", "端州区", "鼎湖区", "高要区", "广宁县", "怀集县"]


def make_bad_crc_xlsx(path: Path) -> Path:
    """A valid .xlsx whose relationships part fails its CRC check (like calamine's
    ``issue252.xlsx``): the zip directory is fine, the bytes are not."""
    good = b.make_xlsx(path.with_suffix(".src"))
    with zipfile.ZipFile(good) as src, zipfile.ZipFile(path, "w") as dst:
        for info in src.infolist():
            data = src.read(info)
            if info.filename == "xl/_rels/workbook.xml.rels":
                dst.writestr(info.filename, data, compress_type=zipfile.ZIP_STORED)
            else:
                dst.writestr(info, data)
    good.unlink()
    raw = bytearray(path.read_bytes())
    at = raw.index(b"<Relationships") + 20
    raw[at] ^= 0x01  # one flipped bit in the stored part: CRC-32 no longer matches
    path.write_bytes(bytes(raw))
    return path


def _folder(tmp_path: Path, n: int = len(COUNTIES)) -> Path:
    folder = tmp_path / "ledgers"
    folder.mkdir()
    for county in COUNTIES[:n]:
        b.make_xlsx(folder / f"{county}.xlsx", {county: b.good_grid(county)})
    return folder


def _loaded(camp, name: str) -> bool:
    return bool((camp.summary.table["file"] == name).any()) and bool(
        (camp.snapshots["county"] == name.split(".")[0]).any()
    )


def test_bad_crc_zip_is_a_corrupt_file_issue_and_the_folder_loads(tmp_path):
    folder = _folder(tmp_path, 2)
    make_bad_crc_xlsx(folder / "坏包.xlsx")
    camp = zq.load(folder, workers=1)
    row = camp.issues[camp.issues["file"] == "坏包.xlsx"]
    assert row["code"].tolist() == ["corrupt_file"]
    assert "CRC" in row["message"].iat[0] and "另存为" in row["message"].iat[0]
    assert _loaded(camp, "四会市.xlsx") and _loaded(camp, "端州区.xlsx")
    assert camp.files.set_index("file").loc["坏包.xlsx", "error"] == "corrupt_file"


@pytest.mark.parametrize(
    ("exc", "code", "words"),
    [
        (ZeroDivisionError("division by zero"), "reader_crash", ("ZeroDivisionError",)),
        (MemoryError(), "file_too_large", ("内存不足",)),
        (RecursionError("maximum recursion depth"), "reader_crash", ("RecursionError",)),
    ],
)
def test_any_exception_from_one_file_becomes_its_error_issue(
    tmp_path, monkeypatch, exc, code, words
):
    folder = _folder(tmp_path, 3)
    real = readers.read_workbook

    def flaky(path, **kw):
        if Path(path).name == "端州区.xlsx":
            raise exc
        return real(path, **kw)

    monkeypatch.setattr(zqcampaign.loader, "read_workbook", flaky)
    camp = zq.load(folder, workers=1)
    row = camp.issues[camp.issues["file"] == "端州区.xlsx"]
    assert row["code"].tolist() == [code]
    assert all(w in row["message"].iat[0] for w in words)
    assert _loaded(camp, "四会市.xlsx") and _loaded(camp, "鼎湖区.xlsx")
    assert not (camp.snapshots["county"] == "端州区").any()


def test_an_exception_in_a_later_sheet_rolls_back_the_files_earlier_sheets(tmp_path, monkeypatch):
    folder = _folder(tmp_path, 2)
    b.make_xlsx(
        folder / "两表.xlsx", {"鼎湖区": b.good_grid("鼎湖区"), "高要区": b.good_grid("高要区")}
    )
    real = zqcampaign.loader.scan_sheet

    def flaky(raw, **kw):
        if raw.name == "高要区":
            raise KeyError("boom")
        return real(raw, **kw)

    monkeypatch.setattr(zqcampaign.loader, "scan_sheet", flaky)
    camp = zq.load(folder, workers=1)
    assert camp.issues.loc[camp.issues["file"] == "两表.xlsx", "code"].tolist() == ["reader_crash"]
    assert "两表.xlsx" not in set(camp.summary.table["file"])
    assert set(camp.snapshots["county"]) == {"四会市", "端州区"}


def test_a_file_that_kills_its_worker_is_a_reader_crash_and_the_parent_never_reads_it(
    tmp_path, monkeypatch
):
    if zqcampaign.loader._start_method() is None:
        pytest.skip("worker processes need fork")
    folder = _folder(tmp_path)
    killer = b.make_xlsx(folder / "致命.xlsx", {"怀集县": b.good_grid("怀集县")})
    parent = os.getpid()
    log = tmp_path / "readers.log"
    real = readers.read_workbook

    def deadly(path, **kw):
        with open(log, "a") as fh:
            fh.write(f"{os.getpid()} {Path(path).name}\n")
        if Path(path) == killer:
            os.abort()  # what calamine does on a memory bomb: the whole process goes
        return real(path, **kw)

    monkeypatch.setattr(zqcampaign.loader, "read_workbook", deadly)
    camp = zq.load(folder, workers=2)
    row = camp.issues[camp.issues["file"] == "致命.xlsx"]
    assert row["code"].tolist() == ["reader_crash"]
    assert "读取进程意外终止" in row["message"].iat[0]
    for county in COUNTIES:
        assert _loaded(camp, f"{county}.xlsx"), county
    assert list(camp.files["file"]) == sorted(
        camp.files["file"], key=list(camp.files["file"]).index
    )
    assert len(camp.files) == len(COUNTIES) + 1
    pids = {line.split()[0] for line in log.read_text().splitlines()}
    assert str(parent) not in pids


@pytest.mark.parametrize("command", ["report", "status"])
def test_report_or_status_with_no_project_read_is_a_chinese_error_exit_2(tmp_path, capsys, command):
    from zqcampaign.cli import main

    folder = tmp_path / "ledgers"
    folder.mkdir()
    make_bad_crc_xlsx(folder / "坏包.xlsx")
    argv = [command, str(folder), "--quiet"] + (
        ["--out", str(tmp_path / "out")] if command == "report" else []
    )
    assert main(argv) == 2
    err = capsys.readouterr().err
    assert "没有读到任何项目" in err and "坏包.xlsx：corrupt_file" in err
    assert "Traceback" not in err
    assert not (tmp_path / "out").exists()


def test_a_20_gb_file_is_refused_by_its_size_without_being_read(tmp_path):
    import time

    folder = _folder(tmp_path, 1)
    huge = folder / "巨大.xlsx"
    with open(huge, "wb") as fh:
        fh.truncate(20 << 30)  # sparse: 20 GB on paper
    started = time.monotonic()
    camp = zq.load(folder, workers=1)
    assert time.monotonic() - started < 10
    row = camp.issues[camp.issues["file"] == "巨大.xlsx"]
    assert row["code"].tolist() == ["file_too_large"] and "20.0 GB" in row["message"].iat[0]
    assert camp.files.set_index("file")["sha256"].isna()["巨大.xlsx"]  # never hashed
