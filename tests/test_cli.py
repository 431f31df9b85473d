"""The zqcampaign command: exit codes, --help, and the main job on sample data."""

import re
import subprocess
import sys
from pathlib import Path

import pytest
from ledgers import ledger_grid, write_xlsx

from zqcampaign.cli import main

SAMPLE = Path(__file__).resolve().parents[1] / "sample_data"


@pytest.mark.parametrize(
    "command", [[], ["validate"], ["status"], ["sample"], ["calendar"], ["cache"]]
)
def test_help_on_every_command(command, capsys):
    with pytest.raises(SystemExit) as info:
        main([*command, "--help"])
    assert info.value.code == 0
    assert "用法： zqcampaign" in capsys.readouterr().out  # Chinese usage line


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
    assert "错误 2 条" in out and "该行有数据但没有项目名称" in out  # the registry's description


def test_validate_exits_2_when_nothing_could_be_read(tmp_path, capsys):
    (tmp_path / "坏文件.xlsx").write_bytes(b"not a spreadsheet at all")
    assert main(["validate", str(tmp_path), "--quiet"]) == 2
    assert main(["validate", str(tmp_path / "no-such-folder"), "--quiet"]) == 2


def test_status_prints_the_completion_table(capsys):
    assert main(["status", str(SAMPLE), "--as-of", "2023-09-30", "--quiet"]) == 0
    out = capsys.readouterr().out
    lines = out.splitlines()
    row = next(line for line in lines if line.startswith("四会市"))
    assert row.split() == ["四会市", "54", "41", "75.9%", "75.0%", "+0.9", "蓝"]
    city = next(line for line in lines if line.startswith("全市"))
    assert city.split()[1:3] == ["433", "188"]
    # columns aligned for CJK width: every row as wide as the header
    from zqcampaign.cli import _cjk_width

    table = lines[lines.index(row) - 4 : lines.index(city) + 1]
    assert len({_cjk_width(line) for line in table}) == 1


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


# -- user mistakes: exit code 2, a Chinese message, never a traceback ------------------------


def _run(*args: str, stdin_closed_early: bool = False) -> subprocess.CompletedProcess:
    cmd = [sys.executable, "-m", "zqcampaign.cli", *args]
    return subprocess.run(cmd, capture_output=True, text=True, cwd=SAMPLE.parent, timeout=300)


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["status", str(SAMPLE), "--as-of", "2023-13-01", "--quiet"], "无法识别"),
        (["status", str(SAMPLE), "--as-of", "tomorrow", "--quiet"], "年-月-日"),
        (["report", str(SAMPLE), "--lang", "fr"], "取值“fr”无效"),
        ([], "缺少必需的参数"),
        (["frobnicate"], "“frobnicate”无效"),
        (["validate", "--limit", "many"], "应为整数"),
        (["status", "--bogus"], "无法识别的参数"),
        (["status", "/no/such/folder", "--quiet"], "错误"),
        (["calendar", "--config", "/no/such.toml"], "错误"),
    ],
)
def test_user_mistakes_get_a_chinese_message_and_exit_2(args, message):
    done = _run(*args)
    assert done.returncode == 2, done.stderr
    assert message in done.stderr
    assert "Traceback" not in done.stderr + done.stdout
    assert re.search(r"[\u4e00-\u9fff]", done.stderr)


def test_a_closed_pipe_ends_quietly():
    # validate --all prints ~170 issue lines, more than a pipe holds: head closes it early
    cmd = f"{sys.executable} -m zqcampaign.cli validate {SAMPLE} --all --quiet | head -2"
    done = subprocess.run(cmd, shell=True, capture_output=True, text=True, cwd=SAMPLE.parent)
    assert "Traceback" not in done.stderr and "BrokenPipe" not in done.stderr
    assert done.stdout.startswith("读取")


def test_version_and_documented_exit_codes(capsys):
    from zqcampaign import __version__

    with pytest.raises(SystemExit) as info:
        main(["--version"])
    assert info.value.code == 0 and __version__ in capsys.readouterr().out
    with pytest.raises(SystemExit):
        main(["--help"])
    assert "退出码" in capsys.readouterr().out


def test_calendar_is_chinese_and_marks_the_next_supervision_day(capsys):
    assert main(["calendar", "--today", "2023-11-30"]) == 0
    out = capsys.readouterr().out
    marked = [line for line in out.splitlines() if "下一个督导日" in line]
    assert len(marked) == 1 and "2023-12-05" in marked[0]
    assert "星期二" in out and "tuesday" not in out and "False" not in out and "<NA>" not in out


def test_sample_data_is_announced(capsys):
    assert main(["status", str(SAMPLE), "--quiet"]) == 0
    assert "虚构样例数据" in capsys.readouterr().err


def test_missing_baseline_month_is_announced(capsys):
    assert main(["status", str(SAMPLE / "2023-11"), "--quiet"]) == 0
    assert "缺少基准月" in capsys.readouterr().err


def test_the_cache_command_shows_clears_and_no_cache_writes_nothing(tmp_path, monkeypatch, capsys):
    store = tmp_path / "cache"
    monkeypatch.setenv("ZQCAMPAIGN_CACHE", str(store))
    assert main(["validate", str(SAMPLE), "--quiet", "--no-cache"]) == 1
    assert not store.exists()  # --no-cache: neither used nor written
    assert main(["validate", str(SAMPLE), "--quiet"]) == 1
    capsys.readouterr()
    assert main(["cache"]) == 0
    shown = capsys.readouterr().out
    count = int(re.search(r"(\d+) 个缓存文件", shown).group(1))
    assert count > 40 and str(store) in shown  # one per sample ledger, and the whole load
    (store / "notes.txt").write_text("mine", encoding="utf-8")
    assert main(["cache", "--clear"]) == 0
    assert f"删除 {count} 个缓存文件" in capsys.readouterr().out
    assert (store / "notes.txt").read_text(encoding="utf-8") == "mine"
    monkeypatch.setenv("ZQCAMPAIGN_CACHE", "off")
    assert main(["cache"]) == 0
    assert "已关闭" in capsys.readouterr().out
