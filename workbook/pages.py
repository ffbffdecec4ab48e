"""Where the printed pages of one table break: a pure function of row heights and page room.

The export (workbook.export_layout) measures each printed row in points and says what it is;
`paginate` returns the rows after which a manual page break goes. Nothing here knows openpyxl.

A page holds the repeated title rows (counted by the caller: `room` is what is left for body
rows) and a run of consecutive lines whose heights add up to at most `room`. Of all the ways to
cut the lines into such runs, `paginate` takes the one with the fewest pages, and among those the
cheapest by these rules:

- Widows and orphans are not allowed at all (a table with more than one page): every page holds
  at least `min_rows` body lines, so no page holds only totals (总计, the department row of
  表三/五/八, 收入总计 …), only the 备注 line, or a single widowed row; the 备注 line always goes
  with at least `min_rows` body lines before it.
- Blocks (表十二: the 部门整体 block and each 项目支出绩效目标表 block) are never split: a break goes
  only between blocks. A block taller than a page is the one exception: it starts a new page and
  may break between two of its lines marked `split_ok` (its indicator rows), and only there.
- Soft preferences, as costs: a break inside a (too tall) block costs most, then a break right
  after a heading line (a 类/款 roll-up whose children follow); a break just before a top-level
  heading (a new 类) costs nothing, any other break costs a little; unused room on a page that is
  not the last costs a little too, so pages are filled unless a better break point is near.
A table whose lines cannot be cut under the hard rules (a single line or block taller than a
page, too few body lines) gets the cheapest cut that keeps every page within `room`, and failing
even that, one page per oversized unit: the printer then adds its own breaks there.
"""
from __future__ import annotations

from dataclasses import dataclass

# kinds of line
BODY = "body"  # a line of the table that counts against widows
HEADING = "heading"  # a body line whose children follow it (类/款 roll-up): not the last on a page
TOTAL = "total"  # 总计, 合计, the department row: never alone on a page
NOTE = "note"  # the 备注 line and anything printed below it: goes with the last body lines
BLANK = "blank"  # an empty separator (between 表十二 blocks): free at the bottom of a page

_COST_SPLIT = 20.0  # inside a block taller than a page: as few as can be
_COST_AFTER_HEADING = 10.0
_COST_PLAIN = 1.0
_COST_BEFORE_TOP = 0.0
_COST_SLACK = 2.0  # times the unused fraction of a page that is not the last


@dataclass(frozen=True)
class Line:
    """One printed row as the paginator sees it."""

    r: int  # sheet row number (a break after it is Break(id=r))
    height: float  # points, as printed at scale 1
    kind: str = BODY
    block: int | None = None  # rows of one block stay on one page (表十二)
    split_ok: bool = False  # inside a block taller than a page, a break may follow this line
    top: bool = False  # a top-level heading (a 类 line): a good line to start a page with


def paginate(lines: list[Line], room: float, *, min_rows: int = 2) -> list[int]:
    """Rows after which a page break goes (empty: the table fits on one page).

    `room` is the height in points available for these lines on every page (the title rows
    already taken off). Heights of BLANK lines at the bottom of a page do not count.
    """
    layout = _Layout(lines)
    if not lines or layout.height(0, len(lines)) <= room:
        return []
    allowed, forced = _break_points(lines, room, layout)
    cut = (_best(lines, room, allowed, forced, layout, min_rows, oversize=False)
           or _best(lines, room, allowed, forced, layout, 0, oversize=False)
           or _best(lines, room, allowed, forced, layout, 0, oversize=True))
    return [lines[i - 1].r for i in cut]


class _Layout:
    """Prefix sums, so the height and body count of any run of lines costs O(1)."""

    def __init__(self, lines: list[Line]):
        self.heights, self.bodies, self.solid = [0.0], [0], [0]
        for i, line in enumerate(lines):
            self.heights.append(self.heights[-1] + line.height)
            self.bodies.append(self.bodies[-1] + (line.kind in (BODY, HEADING)))
            self.solid.append(self.solid[-1] if line.kind == BLANK else i + 1)  # end without trailing blanks

    def height(self, start: int, end: int) -> float:
        """Height of lines[start:end] as printed on one page: trailing blank lines are free."""
        return self.heights[max(self.solid[end], start)] - self.heights[start]

    def body(self, start: int, end: int) -> int:
        return self.bodies[end] - self.bodies[start]


def _break_points(lines: list[Line], room: float, layout: _Layout) -> tuple[list[int], list[int]]:
    """Indices i (0 < i < n) where a page may begin (a break goes after lines[i - 1]), and those
    where one must: a block taller than a page starts a page, so it is split as little as it can."""
    first: dict[int, int] = {}
    last: dict[int, int] = {}
    for i, line in enumerate(lines):
        if line.block is not None:
            first.setdefault(line.block, i)
            last[line.block] = i + 1
    too_tall = {b for b in first if layout.height(first[b], last[b]) > room}
    allowed = []
    for i in range(1, len(lines)):
        before, after = lines[i - 1], lines[i]
        if after.kind == NOTE:
            continue  # the 备注 line never starts a page
        if before.block is not None and before.block == after.block:
            if before.block in too_tall and before.split_ok and after.split_ok:
                allowed.append(i)
            continue
        allowed.append(i)
    return allowed, sorted(first[b] for b in too_tall if first[b] > 0)


def _cost(lines: list[Line], i: int) -> float:
    """Cost of a break before lines[i]."""
    if lines[i].block is not None and lines[i - 1].block == lines[i].block:
        return _COST_SPLIT
    if lines[i - 1].kind == HEADING:
        return _COST_AFTER_HEADING
    if lines[i].top:
        return _COST_BEFORE_TOP
    return _COST_PLAIN


def _best(lines: list[Line], room: float, allowed: list[int], forced: list[int], layout: _Layout,
          min_rows: int, *, oversize: bool) -> list[int] | None:
    """Fewest pages, then least cost: dynamic programming over the allowed break points.

    `oversize`: a run between two neighbouring break points may exceed the room (it cannot be
    cut anyway); the printer will break it where it must.
    """
    n = len(lines)
    starts = [0, *allowed]
    ends = [*allowed, n]
    # best[j] = (pages, cost, start of the last page) for the lines before index j
    best: dict[int, tuple[int, float, int]] = {0: (0, 0.0, 0)}
    for k, end in enumerate(ends):
        candidate = None
        floor = max((f for f in forced if f < end), default=0)  # no page runs across a forced break
        for start in reversed(starts[: k + 1]):
            if start < floor:
                break
            height = layout.height(start, end)
            atomic = start == starts[k]  # no break point between start and end
            if height > room and not (oversize and atomic):
                break  # an earlier start only adds lines
            if start not in best or layout.body(start, end) < min_rows:
                continue
            pages, cost, _ = best[start]
            cost += _cost(lines, start) if start else 0.0
            if end < n:
                cost += _COST_SLACK * max(0.0, 1 - height / room)
            option = (pages + 1, cost, start)
            if candidate is None or (option[0], option[1]) < (candidate[0], candidate[1]):
                candidate = option
        if candidate is not None:
            best[end] = candidate
    if n not in best:
        return None
    cut, j = [], n
    while j:
        j = best[j][2]
        if j:
            cut.append(j)
    return sorted(cut)
