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


def addr(row: int, col: int) -> str:
    """(7, 2) -> "B7"."""
    return f"{get_column_letter(col)}{row}"


def split_ref(ref: str) -> tuple[int, int]:
    """"AB12" -> (12, 28), for references a file's own XML holds (no check: the fast path of
    reading a sheet part; coordinate_to_tuple checks what a person typed)."""
    i = 0
    while i < len(ref) and ref[i].isalpha():
        i += 1
    return int(ref[i:]), column_index(ref[:i])


def split_range(ref: str) -> tuple[int, int, int, int]:
    """"B8:$D$9" -> (top, left, bottom, right) = (8, 2, 9, 4); one cell is a range of one."""
    first, _, last = ref.replace("$", "").partition(":")
    r1, c1 = split_ref(first)
    r2, c2 = split_ref(last) if last else (r1, c1)
    return min(r1, r2), min(c1, c2), max(r1, r2), max(c1, c2)


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
