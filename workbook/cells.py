"""Column letters and A1 addresses without importing openpyxl (its package import costs about
40 ms, which every `budgetbook check` would pay only to spell column letters)."""
from __future__ import annotations

import re
from functools import lru_cache

MAX_COLUMN = 16384  # XFD, Excel's last column
MAX_ROW = 1048576
_A1 = re.compile(r"^\$?([A-Za-z]{1,3})\$?([0-9]+)$")


@lru_cache(maxsize=None)
def get_column_letter(index: int) -> str:
    """1 -> "A", 27 -> "AA" (the same as openpyxl.utils.get_column_letter)."""
    if not 1 <= index <= MAX_COLUMN:
        raise ValueError(f"Invalid column index {index}")
    letters = ""
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


@lru_cache(maxsize=4096)
def column_index(letters: str) -> int:
    """"A" -> 1, "XFD" -> 16384."""
    index = 0
    for ch in letters.upper():
        index = index * 26 + ord(ch) - 64
    return index


def coordinate_to_tuple(addr: str) -> tuple[int, int]:
    """"B7" -> (7, 2); ValueError for anything else (as openpyxl's)."""
    match = _A1.match(addr) if isinstance(addr, str) else None
    if not match:
        raise ValueError(f"Invalid cell coordinates ({addr})")
    row, col = int(match[2]), column_index(match[1])
    if not (1 <= row <= MAX_ROW and 1 <= col <= MAX_COLUMN):
        raise ValueError(f"Invalid cell coordinates ({addr})")
    return row, col


def covered(span: str, rows: int, cols: int) -> list[tuple[int, int]]:
    """(row, col) of the cells a merged range "B8:D9" hides (all but its first), up to `rows` ×
    `cols` (the sheet's data: a range may reach far past it)."""
    first, _, last = span.partition(":")
    (r1, c1), (r2, c2) = coordinate_to_tuple(first), coordinate_to_tuple(last or first)
    return [(r, c) for r in range(r1, min(r2, rows) + 1) for c in range(c1, min(c2, cols) + 1)
            if (r, c) != (r1, c1)]
