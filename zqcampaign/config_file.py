"""Reading a ``zqcampaign.toml``: the bytes decoded (UTF-8 with or without BOM; GBK or UTF-16
refused with a message), size and year limits, the TOML parse, merging over the defaults, and
``_Section``, the reader that validates one table and names a wrong key. Private to
:mod:`zqcampaign.config`, which builds the :class:`~zqcampaign.config.Config` from them.
"""

from __future__ import annotations

import datetime as dt
import math
import tomllib
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from zqcampaign.errors import ConfigError

MIN_YEAR, MAX_YEAR = 1990, 2100
"""Dates in a configuration must fall in these years (a typo like 0023 or 9999 is caught)."""
MAX_CONFIG_BYTES = 1 << 20
"""Largest zqcampaign.toml read (the built-in one is a few KB) [bytes]."""


def _reject_float(text: str) -> float:
    value = float(text)
    if not math.isfinite(value):
        raise ConfigError("(文件)", f"不允许 {text}（非有限数值）；请填写具体数字")
    return value


def _decode_config(path: Path, data: bytes) -> str:
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise ConfigError(
            "(文件)",
            "文件是 UTF-16（Unicode）编码；请用记事本打开，“另存为”时编码选择 UTF-8 后保存",
            file=path,
        )
    try:
        return data.removeprefix(b"\xef\xbb\xbf").decode("utf-8")
    except UnicodeDecodeError:
        pass
    try:
        data.decode("gb18030")
    except UnicodeDecodeError:
        raise ConfigError(
            "(文件)", "文件不是 UTF-8 文本；请用记事本另存为 UTF-8 编码", file=path
        ) from None
    raise ConfigError(
        "(文件)",
        "文件是 GBK（记事本“ANSI”）编码；请用记事本打开，“另存为”时编码选择 UTF-8 后保存",
        file=path,
    )


def _read_toml(path: Path) -> dict[str, Any]:
    """A TOML file, decoded explicitly (UTF-8 with or without BOM), at most
    :data:`MAX_CONFIG_BYTES`; numbers must be finite; any failure is a ConfigError."""
    try:
        with open(path, "rb") as fh:
            data = fh.read(MAX_CONFIG_BYTES + 1)
    except OSError as exc:
        raise ConfigError("(文件)", f"无法打开：{exc.strerror}", file=path) from None
    if len(data) > MAX_CONFIG_BYTES:
        raise ConfigError(
            "(文件)",
            f"文件超过 {MAX_CONFIG_BYTES // 1024} KB，不像是配置文件；请确认选对了文件",
            file=path,
        )
    text = _decode_config(path, data)
    try:
        return tomllib.loads(text, parse_float=_reject_float)
    except ConfigError as exc:
        raise ConfigError(exc.key, exc.message, file=path) from None
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError("(文件)", f"不是有效的 TOML：{exc}", file=path) from None
    except (RecursionError, MemoryError):
        raise ConfigError("(文件)", "嵌套层级过深或内容过大，无法读取", file=path) from None


def _merge(base: dict[str, Any], override: Mapping[str, Any]) -> dict[str, Any]:
    out = dict(base)
    for key, value in override.items():
        if isinstance(value, Mapping) and isinstance(out.get(key), Mapping):
            out[key] = _merge(dict(out[key]), value)
        else:
            out[key] = value
    return out


class _Section:
    """Reads keys of one table, checking types, and complains about unknown keys."""

    def __init__(self, data: Any, prefix: str, file: str | None):
        if not isinstance(data, Mapping):
            raise ConfigError(prefix, "应为一个表（table）", file=file)
        self.data = data
        self.prefix = prefix
        self.file = file
        self.used: set[str] = set()

    def key(self, name: str) -> str:
        return f"{self.prefix}.{name}" if self.prefix else name

    def error(self, name: str, message: str) -> ConfigError:
        return ConfigError(self.key(name), message, file=self.file)

    def get(self, name: str, kind: str, default: Any = ...) -> Any:
        self.used.add(name)
        if name not in self.data:
            if default is ...:
                raise self.error(name, "缺少此项")
            return default
        value = self.data[name]
        checkers = {
            "str": lambda v: isinstance(v, str) and v.strip() != "",
            "date": lambda v: isinstance(v, dt.date) and not isinstance(v, dt.datetime),
            "number": lambda v: (
                isinstance(v, int | float) and not isinstance(v, bool) and math.isfinite(v)
            ),
            "int": lambda v: isinstance(v, int) and not isinstance(v, bool),
            "bool": lambda v: isinstance(v, bool),
            "strlist": lambda v: isinstance(v, list) and all(isinstance(s, str) for s in v),
            "intlist": lambda v: (
                isinstance(v, list)
                and all(isinstance(s, int) and not isinstance(s, bool) for s in v)
            ),
        }
        described = {
            "str": "非空文字",
            "date": "日期，如 2023-09-30（不加引号）",
            "number": "有限的数字",
            "int": "整数",
            "bool": "true 或 false",
            "strlist": '文字列表，如 ["四会市"]',
            "intlist": "整数列表，如 [9, 11]",
        }
        if not checkers[kind](value):
            raise self.error(name, f"应为{described[kind]}，实际为 {value!r}")
        if kind == "date" and not MIN_YEAR <= value.year <= MAX_YEAR:
            raise self.error(name, f"日期应在 {MIN_YEAR}–{MAX_YEAR} 年之间，实际为 {value}")
        return value

    def choice(self, name: str, choices: tuple[str, ...], default: Any = ...) -> str:
        value = self.get(name, "str", default)
        if value not in choices:
            raise self.error(name, f"应为 {' / '.join(choices)} 之一，实际为 {value!r}")
        return value

    def fraction(self, name: str, default: Any = ...) -> float:
        value = float(self.get(name, "number", default))
        if not 0 <= value <= 1:
            raise self.error(name, f"应为 0 到 1 之间的比例（0.75 表示 75%），实际为 {value!r}")
        return value

    def positive(self, name: str, default: Any = ...) -> float:
        value = float(self.get(name, "number", default))
        if value < 0:
            raise self.error(name, f"不能为负数，实际为 {value!r}")
        return value

    def finish(self) -> None:
        unknown = sorted(set(self.data) - self.used)
        if unknown:
            raise self.error(unknown[0], "未知的配置项（请检查拼写）")


def _table_list(raw: Mapping[str, Any], name: str, file: str | None) -> list[_Section]:
    items = raw.get(name, [])
    if not isinstance(items, list):
        raise ConfigError(name, "应为表数组，写作 [[" + name + "]]", file=file)
    return [_Section(item, f"{name}[{i}]", file) for i, item in enumerate(items)]
