"""A look of many cells read in few calls into desktop Excel.

Excel answers a property read over a range (`Range("D5:D9,F12").Interior.Color`) with the value
its cells share, or Null where they disagree. So a look shared by many cells, the usual case (no
merge, the template's fill, no note), costs one read per union address of up to 255 characters;
where cells disagree the areas are halved and read again, down to single cells. The cost is one
read per address plus about two per cell that differs from its neighbours, not one per cell.
"""
from __future__ import annotations

from typing import Callable, Iterator

from workbook.surfaces.blocks import Rect

MIXED = object()  # what a read returns when the cells disagree (Excel's Null) or cannot say
LIMIT = 255  # characters of one address Excel's Range() takes


def chunks(rects: list[Rect], limit: int = LIMIT) -> Iterator[list[Rect]]:
    """The rectangles in groups whose union address stays under Excel's limit."""
    group: list[Rect] = []
    length = 0
    for rect in rects:
        size = len(rect.address) + 1
        if group and length + size > limit:
            yield group
            group, length = [], 0
        group.append(rect)
        length += size
    if group:
        yield group


def address(rects: list[Rect]) -> str:
    return ",".join(rect.address for rect in rects)


def uniform(range_of: Callable[[str], object], rects: list[Rect], read: Callable[[object], object],
            single: Callable[[int, int], object] | None = None) -> dict[tuple[int, int], object]:
    """Each cell's value of `read(range)`, reading whole groups of rectangles at once and halving a
    group whose cells disagree. `single(row, col)` answers for one cell where even its own read
    is MIXED (a merged cell asked where its range starts)."""
    out: dict[tuple[int, int], object] = {}
    for group in chunks(rects):
        _read(range_of, group, read, single, out)
    return out


def _read(range_of, rects, read, single, out) -> None:
    value = read(range_of(address(rects)))
    if value is not MIXED:
        for rect in rects:
            for cell in rect.cells():
                out[cell] = value
        return
    if len(rects) > 1:
        # cells of one column tend to share their look (a column of totals): split between columns
        columns = [i for i in range(1, len(rects)) if rects[i].left != rects[i - 1].left]
        half = min(columns, key=lambda i: abs(i - len(rects) / 2)) if columns else len(rects) // 2
        _read(range_of, rects[:half], read, single, out)
        _read(range_of, rects[half:], read, single, out)
        return
    rect = rects[0]
    if (rect.top, rect.left) == (rect.bottom, rect.right):
        out[rect.top, rect.left] = single(rect.top, rect.left) if single else MIXED
        return
    for part in _halves(rect):
        _read(range_of, [part], read, single, out)


def _halves(rect: Rect) -> list[Rect]:
    if rect.bottom > rect.top:
        middle = (rect.top + rect.bottom) // 2
        return [Rect(rect.top, rect.left, middle, rect.right), Rect(middle + 1, rect.left, rect.bottom, rect.right)]
    middle = (rect.left + rect.right) // 2
    return [Rect(rect.top, rect.left, rect.bottom, middle), Rect(rect.top, middle + 1, rect.bottom, rect.right)]
