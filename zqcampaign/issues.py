"""Problems found and the registry of their codes.

Everything zqcampaign notices about a ledger — a file it refuses, a cell the reader could not
take as written, a row the parser left out, a project whose dates disagree, a value an output
writer had to change — is one :class:`Problem`: severity, code, a Chinese message naming what
to fix, and where (county, file, sheet, row, column, value). ``Campaign.issues`` is a frame of
them (columns :data:`ISSUE_COLUMNS`).

Every code is registered in :data:`CODES` with its severity, a description for the campaign
office in Chinese and in English, and what the county should do (Chinese). A :class:`Problem`
with an unregistered code cannot be made, so ``issues.xlsx`` and the CLI can always show a
description instead of a bare ``missing_name``. The codes are listed in ``issue_codes.toml``
beside this module, grouped by the layer that reports them: a new code goes there
(``tests/test_issue_registry.py`` checks that every code emitted is registered and every
registered code is emitted; ``docs/reference/issues.md`` is generated from it by ``docs/gen.py``).

Foundation layer: imports nothing from the package.
"""

from __future__ import annotations

import dataclasses
import tomllib
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, NamedTuple

if TYPE_CHECKING:
    import pandas as pd

__all__ = [
    "CODES",
    "ISSUE_COLUMNS",
    "SEVERITIES",
    "IssueCode",
    "Problem",
    "action",
    "describe",
    "register",
    "registry_frame",
    "severity_label",
]

ISSUE_COLUMNS = ("severity", "code", "message", "county", "file", "sheet", "row", "column", "value")
"""Columns of ``Campaign.issues``, in order."""

SEVERITIES = ("error", "warning", "info")
"""Severities, worst first."""
_SEVERITY_SET = frozenset(SEVERITIES)

_REGISTRY_PATH = Path(__file__).with_name("issue_codes.toml")

_SEVERITY_LABELS = {
    "zh": {"error": "错误", "warning": "警告", "info": "提示"},
    "en": {"error": "error", "warning": "warning", "info": "info"},
}


@dataclass(frozen=True, slots=True)
class IssueCode:
    """One registered issue code.

    Attributes
    ----------
    code
        Stable machine-readable name (``"missing_name"``).
    severity
        The worst severity it is reported with: ``"error"`` (data left out or a file refused),
        ``"warning"`` (data taken, but check it) or ``"info"`` (noted, nothing lost). Some codes
        are reported one step milder when no data is lost (``unknown_county`` is a warning
        when the row's county is known otherwise).
    zh, en
        What the problem is, for the campaign office (Chinese) and in English.
    action
        What the county should do about it (Chinese).
    """

    code: str
    severity: str
    zh: str
    en: str
    action: str


CODES: dict[str, IssueCode] = {}
"""Every issue code zqcampaign reports, by code."""


def register(code: str, severity: str, zh: str, en: str, action: str) -> IssueCode:
    """Add a code to :data:`CODES`; a code is registered once."""
    if severity not in SEVERITIES:
        raise ValueError(f"severity must be one of {SEVERITIES}, not {severity!r}")
    if code in CODES:
        raise ValueError(f"issue code {code!r} is already registered")
    entry = IssueCode(code, severity, zh, en, action)
    CODES[code] = entry
    return entry


def _entry(code: str) -> IssueCode:
    try:
        return CODES[code]
    except KeyError:
        raise KeyError(
            f"unregistered issue code {code!r}; register it in zqcampaign/issues.py"
        ) from None


def describe(code: str, lang: str = "zh") -> str:
    """The description of ``code`` for the office, in ``lang`` ("zh" or "en")."""
    entry = _entry(code)
    if lang == "zh":
        return entry.zh
    if lang == "en":
        return entry.en
    raise ValueError(f"lang must be 'zh' or 'en', not {lang!r}")


def action(code: str) -> str:
    """What the county should do about ``code`` (Chinese)."""
    return _entry(code).action


def severity_label(severity: str, lang: str = "zh") -> str:
    """``"error"`` -> 错误 / error, ``"warning"`` -> 警告 / warning, ``"info"`` -> 提示 / info."""
    try:
        return _SEVERITY_LABELS[lang][severity]
    except KeyError:
        raise ValueError(
            f"severity must be one of {SEVERITIES} and lang 'zh' or 'en', not {severity!r}, {lang!r}"
        ) from None


def registry_frame() -> pd.DataFrame:
    """The registry as a table (one row per code, in registration order), for documentation."""
    import pandas as pd

    return pd.DataFrame(
        [dataclasses.astuple(c) for c in CODES.values()],
        columns=[f.name for f in dataclasses.fields(IssueCode)],
    )


def _shown_value(value: Any) -> str | None:
    """A cell value as the issue frame shows it: text (whole floats without ``.0``, dates
    as ``2023-08-15``)."""
    if value is None or isinstance(value, str):
        return value
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    import pandas as pd

    if isinstance(value, pd.Timestamp):
        return value.date().isoformat()
    return str(value)


class _Fields(NamedTuple):
    severity: str
    code: str
    message: str
    county: str | None = None
    file: str | None = None
    sheet: str | None = None
    row: int | None = None
    column: str | int | None = None
    value: str | None = None


_WHERE = _Fields._fields[3:]  # the location: keyword-only


class Problem(_Fields):
    """One problem found: a row of ``Campaign.issues``, a note of the reader, or a note of
    an output writer. Immutable; :meth:`at` gives a copy with its location filled in.

    The fields are :data:`ISSUE_COLUMNS`, in order (so a list of problems is the issue
    frame's rows); the location (``county=`` ... ``value=``) is given by keyword. ``row`` is
    1-based as the user sees it. ``column`` is what the user sees too: a header
    (``"计划总投资"``) in ledger issues; in reader and writer notes it is the 0-based column
    index (the loader shows it as letters). ``value`` is the cell as text
    (whole floats without ``.0``, dates as ``2023-08-15``). The code must be registered in
    :data:`CODES` and the severity one of :data:`SEVERITIES`, else ``ValueError``.
    """

    __slots__ = ()

    def __new__(
        cls,
        severity: str,
        code: str,
        message: str,
        *,
        county: str | None = None,
        file: str | None = None,
        sheet: str | None = None,
        row: int | None = None,
        column: str | int | None = None,
        value: Any = None,
    ) -> Problem:
        if code not in CODES:
            raise ValueError(
                f"unregistered issue code {code!r}; register it in zqcampaign/issues.py"
            )
        if severity not in _SEVERITY_SET:
            raise ValueError(f"severity must be one of {SEVERITIES}, not {severity!r}")
        if value is not None and not isinstance(value, str):
            value = _shown_value(value)
        return tuple.__new__(
            cls, (severity, code, message, county, file, sheet, row, column, value)
        )

    @classmethod
    def _make(cls, iterable: Any) -> Problem:  # (namedtuple's own skips the checks)
        severity, code, message, *where = iterable
        return cls(severity, code, message, **dict(zip(_WHERE, where, strict=True)))

    def __getnewargs_ex__(self) -> tuple[tuple[str, str, str], dict[str, Any]]:
        return tuple(self[:3]), dict(zip(_WHERE, self[3:], strict=True))

    def at(self, **where: Any) -> Problem:
        """The same problem with its location (``file=``, ``row=`` ...) filled in."""
        return self._replace(**where)

    def as_dict(self) -> dict[str, Any]:
        """The problem as a row of ``Campaign.issues`` (keys :data:`ISSUE_COLUMNS`)."""
        return dict(zip(ISSUE_COLUMNS, self, strict=True))


# ---------------------------------------------------------------------------------------
# the registry: issue_codes.toml beside this module


def _load_registry(path: Path) -> None:
    for code, entry in tomllib.loads(path.read_text(encoding="utf-8")).items():
        register(code, **entry)


_load_registry(_REGISTRY_PATH)
