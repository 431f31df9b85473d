"""A hostile or merely mis-saved ``zqcampaign.toml`` (issue #14): every case is a
:class:`ConfigError` in Chinese naming the file and saying what to do — never a traceback, a
``MemoryError`` or a minute of parsing."""

from __future__ import annotations

import math
import time

import pytest

from zqcampaign.config import MAX_CONFIG_BYTES, load_config
from zqcampaign.errors import ConfigError

GOOD = "[flags]\nred_days_late = 45\n[ranking]\ncompletion_rate = 0.6\n"


def _write(tmp_path, data: bytes):
    path = tmp_path / "zqcampaign.toml"
    path.write_bytes(data)
    return path


@pytest.mark.parametrize(
    "encoding", ["utf-8", "utf-8-sig"], ids=["utf-8", "utf-8 with BOM (Notepad)"]
)
def test_utf8_with_or_without_bom_is_read(tmp_path, encoding):
    text = "# 肇庆市大会战配置（记事本保存）\n" + GOOD
    cfg = load_config(_write(tmp_path, text.encode(encoding)))
    assert cfg.to_dict()["flags"]["red_days_late"] == 45


@pytest.mark.parametrize(
    ("data", "words"),
    [
        (('[[divisions]]\nname = "端州区"\n').encode("gbk"), ("GBK", "UTF-8")),
        (GOOD.encode("utf-16"), ("UTF-16", "UTF-8")),
        (b"\xff\x00\xfe\x81 = 1\n", ("UTF-8",)),
    ],
    ids=["gbk (Notepad ANSI)", "utf-16", "garbage"],
)
def test_a_file_in_another_encoding_says_to_save_it_as_utf8(tmp_path, data, words):
    path = _write(tmp_path, data)
    with pytest.raises(ConfigError) as info:
        load_config(path)
    assert str(path) in str(info.value)
    assert all(w in str(info.value) for w in words)


@pytest.mark.parametrize("value", ["nan", "inf", "-inf", "+nan"])
def test_non_finite_numbers_are_refused(tmp_path, value):
    with pytest.raises(ConfigError, match="非有限数值"):
        load_config(_write(tmp_path, f"[ranking]\ncompletion_rate = {value}\n".encode()))


def test_non_finite_override_is_refused():
    with pytest.raises(ConfigError, match="有限的数字"):
        load_config(overrides={"thresholds": {"key_project_min": math.inf}})


@pytest.mark.parametrize("date", ["0001-01-01", "9999-12-31", "1989-12-31", "2101-01-01"])
def test_dates_outside_1990_2100_are_refused(tmp_path, date):
    with pytest.raises(ConfigError, match="1990–2100") as info:
        load_config(_write(tmp_path, f"[campaign]\nstart = {date}\n".encode()))
    assert info.value.key == "campaign.start"


def test_dates_at_the_edges_are_accepted(tmp_path):
    path = _write(tmp_path, b"[investment]\nyear_start = 1990-01-01\nyear_end = 2100-12-31\n")
    load_config(path)


def test_deeply_nested_file_is_a_config_error_quickly(tmp_path):
    path = _write(tmp_path, b"x = " + b"[" * 100_000 + b"]" * 100_000 + b"\n")
    started = time.monotonic()
    with pytest.raises(ConfigError):
        load_config(path)
    assert time.monotonic() - started < 10


def test_deeply_nested_override_is_a_config_error():
    deep: dict = {}
    node = deep
    for _ in range(100_000):
        node["a"] = {}
        node = node["a"]
    with pytest.raises(ConfigError):
        load_config(overrides={"flags": deep})


def test_an_oversized_file_is_refused_without_parsing(tmp_path):
    path = _write(tmp_path, b"# " + b"x" * MAX_CONFIG_BYTES + b"\n")
    with pytest.raises(ConfigError, match="不像是配置文件"):
        load_config(path)
