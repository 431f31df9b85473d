"""The zqcampaign command: exit codes, --help, and the main job on sample data."""

import subprocess
import sys
from pathlib import Path

import pytest
from ledgers import ledger_grid, write_xlsx

from zqcampaign.cli import main

SAMPLE = Path(__file__).resolve().parents[1] / "sample_data"


@pytest.mark.parametrize("command", [[], ["validate"], ["status"], ["sample"], ["calendar"]])
def test_help_on_every_command(command, capsys):
    with pytest.raises(SystemExit) as info:
        main([*command, "--help"])
    assert info.value.code == 0
    assert "usage: zqcampaign" in capsys.readouterr().out


def test_validate_exits_0_on_clean_ledgers(tmp_path, capsys):
    write_xlsx(
        tmp_path / "四会市_2023年8月.xlsx",
        {
            "s": ledger_grid(
                ["一、已签约未供地项目", ["甲", "某公司", 20000]],
                header=["序号", "项目名称", "项目业主", "计划总投资（万元）"],
            )
        },
    )
    assert main(["validate", str(tmp_path), "--quiet"]) == 0
    assert "错误 0 条" in capsys.readouterr().out


def test_validate_exits_1_when_there_are_errors(capsys):
    assert main(["validate", str(SAMPLE), "--quiet"]) == 1
    out = capsys.readouterr().out
    assert "错误 2 条" in out and "missing_name" in out


def test_validate_exits_2_when_nothing_could_be_read(tmp_path, capsys):
    (tmp_path / "坏文件.xlsx").write_bytes(b"not a spreadsheet at all")
    assert main(["validate", str(tmp_path), "--quiet"]) == 2
    assert main(["validate", str(tmp_path / "no-such-folder"), "--quiet"]) == 2


def test_status_prints_the_completion_table(capsys):
    assert main(["status", str(SAMPLE), "--as-of", "2023-09-30", "--quiet"]) == 0
    out = capsys.readouterr().out
    assert "四会市   54   41 75.9% 75.0%" in out


def test_calendar_lists_the_october_day_rolled_past_national_day(capsys):
    assert main(["calendar"]) == 0
    assert "2023-10-10" in capsys.readouterr().out


def test_sample_writes_the_ledgers(tmp_path, capsys):
    assert main(["sample", str(tmp_path / "out")]) == 0
    assert len(list((tmp_path / "out").rglob("*.xlsx"))) == 36


def test_console_script_runs_as_a_module():
    done = subprocess.run(
        [sys.executable, "-m", "zqcampaign.cli", "--help"], capture_output=True, text=True
    )
    assert done.returncode == 0 and "validate" in done.stdout
