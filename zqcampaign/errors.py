"""Exception classes.

Data errors (a ledger the analyst must fix or re-request) derive from :class:`LedgerError`;
configuration errors from :class:`ConfigError`. Both carry a Chinese message that says what
to do. Programming errors stay ordinary ``TypeError``/``ValueError``.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

__all__ = [
    "ConfigError",
    "EmptyFileError",
    "EncryptedFileError",
    "FileTooLargeError",
    "LedgerError",
    "NoLedgerFoundError",
    "NoProjectError",
    "NotASpreadsheetError",
    "ReaderCrashError",
    "UnreadableFileError",
    "UnsupportedFormatError",
    "ZqError",
]


class ZqError(Exception):
    """Base class of every error zqcampaign raises on purpose."""


def _rebuild(cls: type[ZqError], args: tuple[Any, ...], kwargs: dict[str, Any]) -> ZqError:
    """Unpickling: an error made again from its constructor arguments (so that an error
    raised in a worker process arrives with the same message and fields)."""
    return cls(*args, **kwargs)


class ConfigError(ZqError, ValueError):
    """A configuration file or value is wrong; the message names the key."""

    def __init__(self, key: str, message: str, *, file: str | Path | None = None):
        self.key = key
        self.message = message
        self.file = str(file) if file is not None else None
        where = f"{self.file}：" if self.file else ""
        super().__init__(f"{where}配置项 {key}：{message}")

    def __reduce__(self) -> tuple[Any, ...]:
        return _rebuild, (type(self), (self.key, self.message), {"file": self.file})


class LedgerError(ZqError):
    """A ledger file cannot be used as a whole. ``code`` is a stable machine-readable name."""

    code = "unreadable_file"
    advice = "请检查文件后重新报送。"

    def __init__(self, file: str | Path, detail: str = "", *, advice: str | None = None):
        self.file = str(file)
        self.detail = detail
        if advice is not None:
            self.advice = advice
        parts = [f"文件 {Path(self.file).name} 无法读取"]
        if detail:
            parts.append(f"：{detail}")
        parts.append(f"。{self.advice}")
        super().__init__("".join(parts))

    def __reduce__(self) -> tuple[Any, ...]:
        own = {"advice": self.advice} if "advice" in vars(self) else {}  # else the class's
        return _rebuild, (type(self), (self.file, self.detail), own)


class UnreadableFileError(LedgerError):
    code = "corrupt_file"
    advice = "文件可能已损坏，请用 Excel/WPS 打开确认后另存为 .xlsx 重新报送。"


class EncryptedFileError(LedgerError):
    code = "encrypted_file"
    advice = "文件设置了打开密码，请去除密码后另存为 .xlsx 重新报送。"


class EmptyFileError(LedgerError):
    code = "empty_file"
    advice = "文件是空的，请确认报送的是填好的台账。"


class NotASpreadsheetError(LedgerError):
    code = "not_a_spreadsheet"
    advice = "该文件不是电子表格，请报送 .xlsx、.xls、.ods 或 .csv 格式的台账。"


class UnsupportedFormatError(LedgerError):
    code = "unsupported_format"
    advice = "请另存为 .xlsx 后重新报送。"


class FileTooLargeError(LedgerError):
    code = "file_too_large"
    advice = "文件超出安全读取上限（可能含异常的大范围单元格或压缩炸弹），请删除多余内容后另存为 .xlsx 重新报送。"


class ReaderCrashError(LedgerError):
    code = "reader_crash"
    advice = "读取程序在解析该文件时出错，请用 Excel/WPS 打开后另存为 .xlsx 重新报送。"


class NoLedgerFoundError(LedgerError):
    code = "no_ledger"
    advice = "请确认路径正确，且其中有 .xlsx、.xls、.ods 或 .csv 台账文件。"


class NoProjectError(ZqError):
    """No project was read from any ledger: nothing to report on. The message lists the
    files' error issues, so that the office knows which ledgers to ask for again."""

    def __init__(self, what: str, problems: list[str], files: int):
        self.problems = list(problems)
        shown = "；".join(self.problems[:10]) + ("；……" if len(self.problems) > 10 else "")
        detail = f"（{shown}）" if shown else ""
        super().__init__(
            f"没有读到任何项目，无法{what}：共 {files} 个文件，其中没有可用的台账{detail}。"
            "请按问题清单修正台账后重试（可先运行 zqcampaign validate 查看全部问题）"
        )
