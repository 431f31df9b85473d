"""Column-wise parsing: each distinct value of a column parsed once, the results spread back
over its rows.

A batch of sheet bodies holds ~20,000 rows but few distinct spellings, so every parser here
factorises the column first (:func:`pandas.factorize`, keeping ``True`` apart from ``1``)
and calls the cell parsers of :mod:`zqcampaign.parse.values` once per distinct value — or once per
distinct (value, context) pair. A :class:`ParseMemo` shares the results between the batches
of one load.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from zqcampaign.issues import Problem
from zqcampaign.parse.values import parse_money
from zqcampaign.schema import MONEY_CEILING
from zqcampaign.text import clean_cell_text, normalize_label

__all__ = [
    "Labels",
    "ParseMemo",
    "Parsed",
    "map_distinct",
    "memoised",
    "money_column",
    "parse_column",
    "text_value",
]


def _factorize(values: np.ndarray) -> tuple[np.ndarray, list[Any]]:
    """Codes (-1 for a missing value) and distinct values, keeping True apart from 1."""
    codes, uniques = pd.factorize(values, use_na_sentinel=True)
    distinct = set(uniques)  # a bool, 0 or 1 among them equals 0 or 1 (cheap pre-check)
    if (0 in distinct or 1 in distinct) and any(
        type(u) is bool or (isinstance(u, int | float) and u in (0, 1)) for u in uniques
    ):
        # True == 1 and False == 0 when hashed: keep booleans apart from numbers
        keys = np.empty(len(values), dtype=object)
        keys[:] = [None if v is None else (type(v), v) for v in values]
        codes, tagged = pd.factorize(keys, use_na_sentinel=True)
        return codes, [u[1] for u in tagged]
    return codes, list(uniques)


@dataclass
class Parsed:
    """Parsed values of one column: ``values[codes]`` row by row (code -1: missing)."""

    codes: np.ndarray
    values: list[Any]
    notes: list[Problem | None]

    def _take(self, distinct: np.ndarray) -> np.ndarray:
        return distinct[self.codes]  # code -1 takes the last element: the missing value

    def objects(self) -> np.ndarray:
        out = np.empty(len(self.values) + 1, dtype=object)
        out[:-1] = self.values
        return self._take(out)

    def note_array(self) -> np.ndarray:
        out = np.empty(len(self.notes) + 1, dtype=object)
        out[:-1] = self.notes
        return self._take(out)

    def floats(self) -> np.ndarray:
        out = np.array([*(np.nan if v is None else v for v in self.values), np.nan], dtype=float)
        return self._take(out)

    def dates(self) -> pd.Series:
        distinct = pd.to_datetime(pd.Series([*self.values, None], dtype=object))
        return pd.Series(self._take(distinct.to_numpy(dtype="datetime64[ns]")))


class ParseMemo:
    """Parse results shared by the batches of one load: the same dates, amounts and yes/no
    spellings recur in every monthly ledger. Keys keep the type (``True`` is not ``1``)."""

    def __init__(self) -> None:
        self.tables: dict[str, dict[tuple[Any, ...], Any]] = {}

    def wrap(self, name: str, func: Callable[..., Any]) -> Callable[..., Any]:
        """``func`` answering from the table ``name`` when it has seen the arguments."""
        table = self.tables.setdefault(name, {})

        def call(value: Any, *context: Any) -> Any:
            key = (type(value), value, *context)
            try:
                return table[key]
            except KeyError:
                result = table[key] = func(value, *context)
                return result
            except TypeError:  # unhashable
                return func(value, *context)

        return call


def memoised(memo: ParseMemo | None, name: str, func: Callable[..., Any]) -> Callable[..., Any]:
    """``func``, answering from ``memo`` (its table ``name``) when there is one."""
    return func if memo is None else memo.wrap(name, func)


def parse_column(
    values: np.ndarray,
    parser: Callable[..., tuple[Any, Problem | None]],
    context: np.ndarray | None = None,
    needs_context: Callable[[Any], bool] | None = None,
) -> Parsed:
    """``parser`` applied to each distinct non-null value.

    With ``context`` (one value per row, e.g. the row's report date), a distinct value for
    which ``needs_context(value)`` is parsed once per distinct context as
    ``parser(value, context)``; other values once as ``parser(value, None)``.
    """
    codes, uniques = _factorize(values)
    if context is None:
        results = [parser(u) for u in uniques]
        return Parsed(codes, [r[0] for r in results], [r[1] for r in results])
    needs = np.array([needs_context(u) for u in uniques] + [False], dtype=bool)
    results = [(None, None) if needs[i] else parser(u, None) for i, u in enumerate(uniques)]
    rows = np.flatnonzero(needs[codes])
    if rows.size:
        ctx_codes, ctx_uniques = pd.factorize(context[rows], use_na_sentinel=True)
        if np.issubdtype(ctx_uniques.dtype, np.datetime64):
            ctx_uniques = [pd.Timestamp(u) for u in ctx_uniques]
        ctx_list = [*ctx_uniques, None]  # code -1 (no context) -> None
        width = len(ctx_list)
        pair = codes[rows].astype("int64") * width + np.where(ctx_codes < 0, width - 1, ctx_codes)
        distinct, inverse = np.unique(pair, return_inverse=True)
        start = len(results)
        results += [parser(uniques[p // width], ctx_list[p % width]) for p in distinct]
        codes = codes.astype("int64", copy=True)
        codes[rows] = start + inverse.reshape(-1)
    return Parsed(codes, [r[0] for r in results], [r[1] for r in results])


def money_column(
    values: np.ndarray, units: np.ndarray, memo: ParseMemo | None = None
) -> tuple[np.ndarray, np.ndarray]:
    """:func:`parse_money` of each cell with its sheet's unit -> (amounts [万元], notes).

    Plain non-negative numbers are converted all at once; anything else (text, negative or
    not finite) goes through :func:`parse_money`, each distinct (value, unit) once.
    """
    codes, uniques = _factorize(values)
    number = np.full(len(uniques) + 1, np.nan)
    for i, u in enumerate(uniques):
        if isinstance(u, int | float) and not isinstance(u, bool):
            x = float(u)
            if math.isfinite(x) and x >= 0:
                number[i] = x
    amounts = number[codes] * units
    notes = np.full(len(values), None, dtype=object)
    with np.errstate(invalid="ignore", over="ignore"):  # big ones are checked one by one
        big = amounts > MONEY_CEILING
    slow = np.flatnonzero((codes >= 0) & (np.isnan(number[codes]) | big))
    if slow.size:
        parser = memoised(memo, "money", lambda v, u: parse_money(v, unit=u))
        parsed = parse_column(values[slow], parser, units[slow], lambda v: True)
        amounts[slow] = parsed.floats()
        notes[slow] = parsed.note_array()
    return amounts, notes


def map_distinct(values: np.ndarray, func: Callable[[Any], Any]) -> np.ndarray:
    """``func`` of each distinct non-null value, as an object array (None where missing)."""
    codes, uniques = _factorize(values)
    out = np.empty(len(uniques) + 1, dtype=object)
    out[:-1] = [func(u) for u in uniques]
    return out[codes]


def text_value(value: Any) -> Any:
    """A cell of a text column as kept: cleaned text, None when empty."""
    if value is None:
        return None
    if isinstance(value, float):
        if value != value:
            return None
        if value.is_integer():
            return str(int(value))
    if isinstance(value, pd.Timestamp):
        return value.date().isoformat()
    text = clean_cell_text(str(value))
    return text or None


class Labels:
    """Cells read as row labels (:func:`~zqcampaign.text.normalize_label`), each distinct
    cell value normalised and matched once."""

    def __init__(self, values: np.ndarray):
        self.codes, uniques = pd.factorize(values, use_na_sentinel=True)
        self.distinct = [*(normalize_label(u) for u in uniques), ""]  # code -1: missing
        self.label_of = {
            u: d for u, d in zip(uniques, self.distinct, strict=False) if type(u) is str
        }

    def texts(self) -> np.ndarray:
        return np.array(self.distinct, dtype=object)[self.codes]

    def matches(self, rx: re.Pattern[str]) -> np.ndarray:
        hit = np.array([rx.match(t) is not None for t in self.distinct], dtype=bool)
        return hit[self.codes]

    def apply(self, func: Callable[[str], Any], where: np.ndarray) -> np.ndarray:
        """``func`` of the label of the rows ``where``; None elsewhere."""
        out = np.empty(len(self.distinct), dtype=object)
        for code in np.unique(self.codes[where]):
            out[code] = func(self.distinct[code])
        result = out[self.codes]
        result[~where] = None
        return result
