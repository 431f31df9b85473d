"""Exception classes: every error zqcampaign raises on purpose is a :class:`ZqError`.

Data errors (a ledger the analyst must fix or re-request) derive from :class:`LedgerError`,
whose ``code`` is a registered issue code (:mod:`zqcampaign.issues`) and whose ``advice`` is
that code's action; configuration errors are :class:`ConfigError`, output errors
:class:`OutputError`, a missing chart font :class:`FontNotFoundError`. Each carries a Chinese
message that says what to do, and survives pickling (an error raised in a worker process
arrives whole). Programming errors stay ordinary ``TypeError``/``ValueError``.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from zqcampaign.issues import action

__all__ = [
    "ConfigError",
    "EmptyFileError",
    "EncryptedFileError",
    "FileTooLargeError",
    "FontNotFoundError",
    "LedgerError",
    "NoLedgerFoundError",
    "NoProjectError",
    "NotASpreadsheetError",
    "OutputError",
    "ReaderCrashError",
    "ReaderTimeoutError",
    "UnreadableFileError",
    "UnsafeFileError",
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
    """A ledger file cannot be used as a whole. ``code`` is a registered issue code; a
    subclass's ``advice`` is that code's action unless the subclass says otherwise."""

    code = "unreadable_file"
    advice = action("unreadable_file")

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        if "advice" not in vars(cls):
            cls.advice = action(cls.code)

    def __init__(self, file: str | Path, detail: str = "", *, advice: str | None = None):
        self.file = str(file)
        self.detail = detail
        if advice is not None:
            self.advice = advice
        name = Path(self.file).name
        if any("\udc80" <= ch <= "\udcff" for ch in name):  # undecodable name bytes
            raw = os.fsencode(name)
            try:
                name = raw.decode("gb18030")
            except UnicodeDecodeError:
                name = raw.decode("utf-8", "backslashreplace")
        parts = [f"文件 {name} 无法读取"]
        if detail:
            parts.append(f"：{detail}")
        parts.append(f"。{self.advice}")
        super().__init__("".join(parts))

    def __reduce__(self) -> tuple[Any, ...]:
        own = {"advice": self.advice} if "advice" in vars(self) else {}  # else the class's
        return _rebuild, (type(self), (self.file, self.detail), own)


class UnreadableFileError(LedgerError):
    code = "corrupt_file"


class EncryptedFileError(LedgerError):
    code = "encrypted_file"


class EmptyFileError(LedgerError):
    code = "empty_file"


class NotASpreadsheetError(LedgerError):
    code = "not_a_spreadsheet"


class UnsupportedFormatError(LedgerError):
    code = "unsupported_format"


class FileTooLargeError(LedgerError):
    code = "file_too_large"


class UnsafeFileError(UnreadableFileError):
    """The file carries XML constructs a ledger never needs (DTD, entities) or a zip
    structure that readers would interpret differently (duplicate part names)."""

    code = "unsafe_file"


class ReaderCrashError(LedgerError):
    code = "reader_crash"


class ReaderTimeoutError(ReaderCrashError):
    """Reading the file took longer than the time limit (read in a child process)."""

    code = "reader_timeout"


class NoLedgerFoundError(LedgerError):
    """The path does not exist or holds no ledger file (the loader raises it; a file without
    a ledger inside is a ``no_ledger`` issue instead)."""

    code = "no_ledger"
    advice = "请确认路径正确，且其中有 .xlsx、.xls、.ods 或 .csv 台账文件。"


class OutputError(ZqError, OSError):
    """An output file or folder cannot be written; the message says why, in Chinese."""

    def __init__(self, path: str | Path, detail: str):
        self.path = str(path)
        self.detail = detail
        super().__init__(f"无法写入 {self.path}：{detail}")

    def __reduce__(self) -> tuple[Any, ...]:
        return _rebuild, (type(self), (self.path, self.detail), {})


class FontNotFoundError(ZqError, RuntimeError):
    """No usable CJK font for charts: neither installed, bundled nor given by the
    ``ZQCAMPAIGN_FONT`` environment variable."""


class NoProjectError(ZqError):
    """No project was read from any ledger: nothing to report on. The message lists the
    files' error issues, so that the office knows which ledgers to ask for again."""

    def __init__(self, what: str, problems: list[str], files: int):
        self.what, self.files = what, files
        self.problems = list(problems)
        shown = "；".join(self.problems[:10]) + ("；……" if len(self.problems) > 10 else "")
        detail = f"（{shown}）" if shown else ""
        super().__init__(
            f"没有读到任何项目，无法{what}：共 {files} 个文件，其中没有可用的台账{detail}。"
            "请按问题清单修正台账后重试（可先运行 zqcampaign validate 查看全部问题）"
        )

    def __reduce__(self) -> tuple[Any, ...]:
        return _rebuild, (type(self), (self.what, self.problems, self.files), {})
