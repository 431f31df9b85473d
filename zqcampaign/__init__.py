"""zqcampaign — the Zhaoqing manufacturing-project campaign (制造业项目建设“大会战”) toolkit.

>>> import zqcampaign as zq
>>> camp = zq.load("sample_data")
>>> camp.completion(by="county")

Heavy dependencies (matplotlib, python-pptx, openpyxl) are imported only where used.
"""

from __future__ import annotations

from importlib import import_module
from importlib.metadata import PackageNotFoundError
from importlib.metadata import version as _metadata_version
from typing import Any

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
from zqcampaign.loader import load

try:
    __version__ = _metadata_version("zqcampaign")
except PackageNotFoundError:  # a source tree that was never installed
    __version__ = "0.0.0+unknown"

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
    raise AttributeError(f"module 'zqcampaign' has no attribute {name!r}")
