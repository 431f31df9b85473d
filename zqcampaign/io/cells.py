"""Cell addresses: column letters <-> 0-based index, ``A1`` references; the Excel grid."""

from __future__ import annotations

EXCEL_MAX_ROWS = 1_048_576
EXCEL_MAX_COLS = 16_384


def col_index(letters: str) -> int:
    """Column letters -> 0-based index (A -> 0, XFD -> 16383)."""
    n = 0
    for ch in letters.upper():
        n = n * 26 + (ord(ch) - 64)
    return n - 1


def col_letters(index: int) -> str:
    """0-based column index -> letters (0 -> A, 16383 -> XFD); the inverse of
    :func:`col_index`."""
    letters, n = "", index + 1
    while n:
        n, rem = divmod(n - 1, 26)
        letters = chr(65 + rem) + letters
    return letters


def cell_address(row: int, column: int) -> str:
    """1-based row and 0-based column -> ``A1`` style address."""
    return f"{col_letters(column)}{row}"
