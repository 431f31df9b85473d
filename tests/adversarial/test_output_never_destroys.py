"""The pack never deletes what it did not write (issue #14): ``--out`` / ``Campaign.report``
may be a new folder, an empty folder or a previous pack; anything else is refused in Chinese
and left exactly as it was. Killed runs leave nothing behind; the pack is readable by the
user's colleagues (umask permissions)."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import builders as b
import pytest

import zqcampaign as zq
from zqcampaign.cli import main
from zqcampaign.errors import OutputError
from zqcampaign.output.safeio import clean_stale_siblings

AS_OF = "2023-08-31"


def _tree(folder: Path) -> dict[str, bytes]:
    return {
        p.relative_to(folder).as_posix(): p.read_bytes()
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


@pytest.fixture(autouse=True)
def few_charts(monkeypatch):
    """One chart instead of all of them: the folder rules do not depend on the charts."""
    import zqcampaign.charts

    monkeypatch.setattr(
        zqcampaign.charts,
        "CHARTS",
        {"ranking": zqcampaign.charts.CHARTS["ranking"]},
    )


@pytest.fixture
def months(tmp_path):
    """data/2023年7月/四会市.xlsx, data/2023年8月/四会市.xlsx and an unrelated note."""
    data = tmp_path / "data"
    for month in ("2023年7月", "2023年8月"):
        (data / month).mkdir(parents=True)
        b.make_xlsx(data / month / "四会市.xlsx")
    (data / "2023年8月" / "联系人.txt").write_text("张三 123", encoding="utf-8")
    return data


def test_out_equal_to_the_ledger_folder_is_refused_and_nothing_is_deleted(months, capsys):
    ledgers = months / "2023年8月"
    before = _tree(months)
    code = main(["report", str(ledgers), "--out", str(ledgers), "--quiet"])
    err = capsys.readouterr().err
    assert code == 2
    assert "台账所在的文件夹" in err and "请换一个" in err
    assert _tree(months) == before


def test_out_at_the_parent_of_the_month_folders_is_refused(months, capsys):
    before = _tree(months)
    code = main(["report", str(months / "2023年8月"), "--out", str(months), "--quiet"])
    err = capsys.readouterr().err
    assert code == 2
    assert "不是本程序生成的简报" in err and "2023年7月/" in err
    assert _tree(months) == before


def test_out_inside_the_source_folder_is_refused(months):
    camp = zq.load(months)
    with pytest.raises(OutputError, match="位于台账所在的文件夹"):
        camp.report(months / "简报", as_of=AS_OF, workers=1)
    assert not (months / "简报").exists()


def test_unrelated_folder_with_files_is_refused_by_cli_and_by_campaign_report(months, tmp_path):
    docs = tmp_path / "Documents"
    (docs / "合同").mkdir(parents=True)
    (docs / "合同" / "contract.pdf").write_bytes(b"%PDF-1.4 contract")
    before = _tree(docs)
    assert main(["report", str(months), "--out", str(docs), "--quiet"]) == 2
    camp = zq.load(months)
    with pytest.raises(OutputError) as info:
        camp.report(docs, as_of=AS_OF, workers=1)
    assert "已有 1 项内容（合同/）" in str(info.value)
    assert _tree(docs) == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["Documents", "data"]


def test_a_file_as_out_is_refused(months, tmp_path):
    target = tmp_path / "briefing"
    target.write_text("keep me")
    with pytest.raises(OutputError, match="同名的文件已存在"):
        zq.load(months).report(target, as_of=AS_OF, workers=1)
    assert target.read_text() == "keep me"


def test_new_empty_and_previous_pack_folders_are_written(months, tmp_path):
    camp = zq.load(months)
    new = camp.report(tmp_path / "new" / "briefing", as_of=AS_OF, workers=1)
    assert (new.folder / "manifest.json").is_file()
    empty = tmp_path / "empty"
    empty.mkdir()
    assert (camp.report(empty, as_of=AS_OF, workers=1).folder / "report.xlsx").is_file()
    (empty / "Thumbs.db").write_bytes(b"litter")  # litter in a pack does not block it
    again = camp.report(empty, as_of=AS_OF, workers=1)
    assert json.loads((again.folder / "manifest.json").read_text("utf-8"))["as_of"] == AS_OF
    assert not (empty / "Thumbs.db").exists()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["data", "empty", "new"]


def test_a_previous_pack_holding_a_users_file_is_refused(months, tmp_path):
    camp = zq.load(months)
    pack = camp.report(tmp_path / "briefing", as_of=AS_OF, workers=1)
    (pack.folder / "我的批注.docx").write_bytes(b"notes")
    (pack.folder / "charts" / "手绘.jpg").write_bytes(b"jpg")
    with pytest.raises(OutputError) as info:
        camp.report(pack.folder, as_of=AS_OF, workers=1)
    message = str(info.value)
    assert "2 项不是本程序生成的内容" in message and "我的批注.docx" in message
    assert (pack.folder / "我的批注.docx").read_bytes() == b"notes"


def test_a_manifest_not_written_by_zqcampaign_does_not_make_a_pack(months, tmp_path):
    other = tmp_path / "other"
    other.mkdir()
    (other / "manifest.json").write_text('{"name": "some web app"}')
    with pytest.raises(OutputError, match="不是本程序生成的简报"):
        zq.load(months).report(other, as_of=AS_OF, workers=1)
    assert (other / "manifest.json").read_text() == '{"name": "some web app"}'


def _dead_pid() -> int:
    child = subprocess.Popen([sys.executable, "-c", "pass"])
    child.wait()
    return child.pid


def test_stale_temp_siblings_of_killed_runs_are_cleaned_on_the_next_run(months, tmp_path):
    out = tmp_path / "briefing"
    host = __import__("socket").gethostname()
    stale = tmp_path / ".briefing.abc123.tmp"
    stale.mkdir()
    (stale / ".zqcampaign-building").write_text(f"{_dead_pid()} {host}")
    (stale / "report.xlsx").write_bytes(b"half")
    alive = tmp_path / ".briefing.def456.tmp"  # a run still going (this process)
    alive.mkdir()
    (alive / ".zqcampaign-building").write_text(f"{os.getpid()} {host}")
    foreign = tmp_path / ".briefing.user.tmp"  # not ours: no owner mark
    foreign.mkdir()
    zq.load(months).report(out, as_of=AS_OF, workers=1)
    assert not stale.exists()
    assert alive.is_dir() and foreign.is_dir()
    assert clean_stale_siblings(out) == []


@pytest.mark.parametrize("when", [".briefing.*.tmp", ".briefing.*.tmp/charts/*.png"])
def test_sigterm_during_report_removes_the_temp_folder(months, tmp_path, when):
    """Early, and while helper processes draw and LibreOffice waits for the deck."""
    out = tmp_path / "briefing"
    work = tmp_path / "tmp"  # the run's temporary files (LibreOffice's profile and PDF)
    work.mkdir()
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(sys.path), "TMPDIR": str(work)}
    proc = subprocess.Popen(
        [
            sys.executable,
            "-c",
            "import sys; from zqcampaign.cli import main; sys.exit(main())",
            "report",
            str(months),
            "--out",
            str(out),
            "--quiet",
        ],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    deadline = time.monotonic() + 120
    while not list(tmp_path.glob(when)):
        assert proc.poll() is None, proc.communicate()
        assert time.monotonic() < deadline
        time.sleep(0.01)
    proc.send_signal(signal.SIGTERM)
    _, err = proc.communicate(timeout=120)
    assert proc.returncode == 130, err.decode()
    assert "已中断" in err.decode() and "Traceback" not in err.decode()
    time.sleep(1)  # a helper left running would write into the removed folder by now
    assert sorted(p.name for p in tmp_path.iterdir()) == ["data", "tmp"]
    assert list(work.iterdir()) == []


def test_pack_files_and_folders_get_normal_permissions_under_the_umask(months, tmp_path):
    old = os.umask(0o022)
    try:
        pack = zq.load(months).report(tmp_path / "briefing", as_of=AS_OF, workers=1)
    finally:
        os.umask(old)
    assert pack.folder.stat().st_mode & 0o777 == 0o755
    for p in pack.folder.rglob("*"):
        assert p.stat().st_mode & 0o777 == (0o755 if p.is_dir() else 0o644), p
