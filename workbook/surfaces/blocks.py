"""Few calls for many cells: planned writes grouped into rectangles written whole.

Excel (through xlwings), WPS and the browser page pay per call, not per cell, so a surface writes
one 2-D block where cells are contiguous and one colour call per colour for many ranges. A block
may pass over cells the plan does not change if the plan says they are safe to rewrite with the
value they already hold (Plan.keep: money cells holding a number or nothing), which turns a
table's interleaved derived and typed cells into one block.
"""
from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Callable

from ..cells import coordinate_to_tuple, get_column_letter
from ..plan import Format

Cell = tuple[int, int]  # (row, column), 1-based


@dataclass(frozen=True)
class Rect:
    top: int
    left: int
    bottom: int
    right: int

    @property
    def address(self) -> str:
        first = f"{get_column_letter(self.left)}{self.top}"
        if (self.top, self.left) == (self.bottom, self.right):
            return first
        return f"{first}:{get_column_letter(self.right)}{self.bottom}"

    def cells(self):
        for r in range(self.top, self.bottom + 1):
            for c in range(self.left, self.right + 1):
                yield r, c


def cell_of(addr: str) -> Cell:
    return coordinate_to_tuple(addr)


def value_blocks(planned: dict[str, object], fillers: dict[str, object]) -> list[tuple[Rect, list[list]]]:
    """The planned values as rectangles with their 2-D values; `fillers` are cells that may be
    rewritten with the value given (what they hold now) so that a rectangle need not stop there."""
    want = {cell_of(a): v for a, v in planned.items()}
    spare = {cell_of(a): v for a, v in fillers.items() if cell_of(a) not in want}
    usable = want.keys() | spare.keys()
    rects = _rectangles(set(want), usable)
    values = {**spare, **want}
    return [(rect, [[values[r, c] for c in range(rect.left, rect.right + 1)]
                    for r in range(rect.top, rect.bottom + 1)]) for rect in rects]


def rectangles(addrs) -> list[Rect]:
    """Cells as few rectangles as a simple sweep finds (nothing else inside them)."""
    cells = {cell_of(a) for a in addrs}
    return _rectangles(cells, cells) if cells else []


def colour_groups(fills: dict[str, str]) -> dict[str, list[Rect]]:
    """Cells by colour, each colour's cells as rectangles."""
    by_colour: dict[str, list[str]] = {}
    for addr, colour in fills.items():
        by_colour.setdefault(colour, []).append(addr)
    return {colour: rectangles(addrs) for colour, addrs in by_colour.items()}


def union_addresses(rects: list[Rect], limit: int = 255) -> list[str]:
    """Rectangles joined into union addresses ("A1:B3,D5") each shorter than Excel's limit."""
    chunks, current = [], ""
    for rect in rects:
        part = rect.address
        joined = f"{current},{part}" if current else part
        if len(joined) >= limit and current:
            chunks.append(current)
            joined = part
        current = joined
    if current:
        chunks.append(current)
    return chunks


def _rectangles(cells: set[Cell], usable: set[Cell]) -> list[Rect]:
    """Cover `cells` with rectangles of `usable` cells: vertical runs per column that may pass
    over usable cells between two wanted ones, then neighbouring columns' runs joined where the
    cells needed to square them up are usable too."""
    runs: dict[int, list[tuple[int, int]]] = {}
    for col in sorted({c for _, c in cells}):
        rows = sorted(r for r, c in cells if c == col)
        start = end = rows[0]
        for row in rows[1:]:
            if all((r, col) in usable for r in range(end + 1, row)):
                end = row
            else:
                runs.setdefault(col, []).append((start, end))
                start = end = row
        runs.setdefault(col, []).append((start, end))
    done: list[Rect] = []
    open_: list[Rect] = []  # rectangles ending at the previous column
    for col in sorted(runs):
        next_open = []
        for top, bottom in runs[col]:
            joined = None
            for rect in open_:
                if rect.right != col - 1 or rect.bottom < top or rect.top > bottom:
                    continue
                grown = Rect(min(top, rect.top), rect.left, max(bottom, rect.bottom), col)
                if all(cell in usable for cell in grown.cells()):
                    joined = (rect, grown)
                    break
            if joined:
                open_.remove(joined[0])
                next_open.append(joined[1])
            else:
                next_open.append(Rect(top, col, bottom, col))
        done += open_
        open_ = next_open
    return sorted(done + open_, key=lambda rect: (rect.left, rect.top))


def client_value(value):
    """A plan's value as a client (Excel, WPS, the page) writes it: amounts as numbers, text
    always text (a leading apostrophe keeps "=…" from becoming a formula)."""
    if isinstance(value, Decimal):
        return float(value)
    if isinstance(value, str) and value.startswith("="):
        return "'" + value
    if value is None or isinstance(value, (int, float, str, bool)):
        return value
    return str(value)


def fillers(keep, planned: dict, value: Callable[[str], object], formula: Callable[[str], bool]) -> dict[str, object]:
    """The kept cells (Plan.keep) that really hold a number or nothing and no formula, with what
    they hold: safe to rewrite so that a block need not stop there."""
    out = {}
    for addr in keep:
        if addr in planned or formula(addr):
            continue
        raw = value(addr)
        if raw is None or (isinstance(raw, (int, float)) and not isinstance(raw, bool)):
            out[addr] = raw
    return out


def format_groups(formats: dict[str, Format]) -> dict[tuple[str, object], list[str]]:
    """The looks of an added sheet by (property, value) over all their cells: one client call each,
    not one per cell. Size 10 and no-bold are the default and need no call."""
    groups: dict[tuple[str, object], list[str]] = {}
    for addr, look in formats.items():
        for key, value in (("bold", look.bold or None), ("color", look.colour), ("fill", look.fill),
                           ("size", look.size if look.size != 10 else None), ("wrap", look.wrap or None),
                           ("underline", look.underline or None)):
            if value is not None:
                groups.setdefault((key, value), []).append(addr)
    return groups
