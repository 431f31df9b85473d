"""zqcampaign — the Zhaoqing manufacturing-project campaign (制造业项目建设“大会战”) toolkit.

>>> import zqcampaign as zq
>>> camp = zq.load("sample_data")
>>> camp.completion(by="county")

Heavy dependencies (matplotlib, python-pptx, openpyxl) are imported only where used, and
so are the readers and parsers (``zq.load``) and the package metadata (``__version__``):
``import zqcampaign`` costs little more than ``import pandas``.
"""

from __future__ import annotations

from importlib import import_module
from typing import TYPE_CHECKING, Any

from zqcampaign.campaign import Campaign, LoadSummary
from zqcampaign.config import Config, default_config, load_config
from zqcampaign.errors import (
    ConfigError,
    EmptyFileError,
    EncryptedFileError,
    FileTooLargeError,
    FontNotFoundError,
    LedgerError,
    NoLedgerFoundError,
    NoProjectError,
    NotASpreadsheetError,
    OutputError,
    ReaderCrashError,
    ReaderTimeoutError,
    UnreadableFileError,
    UnsafeFileError,
    UnsupportedFormatError,
    ZqError,
)

if TYPE_CHECKING:
    from zqcampaign.loader import load

    __version__: str

__all__ = [
    "Campaign",
    "Config",
    "ConfigError",
    "EmptyFileError",
    "EncryptedFileError",
    "FileTooLargeError",
    "FontNotFoundError",
    "LedgerError",
    "LoadSummary",
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
    "__version__",
    "calendar",
    "charts",
    "default_config",
    "load",
    "load_config",
    "sample",
]

_LAZY = {
    "charts": "zqcampaign.charts",
    "calendar": "zqcampaign.figures.supervision",
    "sample": "zqcampaign.sample",
}


def __getattr__(name: str) -> Any:
    if name in _LAZY:
        return import_module(_LAZY[name])
    if name == "load":  # the readers and parsers: imported with the first load
        from zqcampaign.loader import load

        globals()["load"] = load
        return load
    if name == "__version__":
        globals()["__version__"] = version = _version()
        return version
    raise AttributeError(f"module 'zqcampaign' has no attribute {name!r}")


def _version() -> str:
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version("zqcampaign")
    except PackageNotFoundError:  # a source tree that was never installed
        return "0.0.0+unknown"


def __dir__() -> list[str]:
    return sorted({*globals(), *__all__})
