"""Where is a planted fault reported? Plant one wrong figure at a time into the generated
departments (tests/shapes.py, and the reference made twice larger by tests/departments.py) and
classify where the checker reports it:

- **cell**: a new finding names the planted cell among at most `FEW` cells of the planted sheet
  (a comparison, not a list; the other table's cells do not count);
- **row**: such a finding names another cell of the planted row (表十二: of the planted project's
  block);
- **total**: new findings, none of them at the cell or the row (a total, or a list of many cells);
- **missed**: no new finding at all.

Two ways of planting: `refill` — the accountant types the wrong figure and presses 填充合计 before
checking, so every total follows it and only what another table says can reveal it; `raw` — the
wrong figure is typed after fill and the totals are left as they were.

A finding may also name the one row it suspects ("…，正是两者之差", "能容下…的只有这一行", "…中只有 … 不为零");
`misnamed` counts the faults where such a row is not the planted cell (a wrong pointer).

Faults: every typed money cell of a named row gets 12.00 more, and every nonzero one is also
typed half (short) and a hundred times (its decimal point lost). Run `python tests/locate.py` for the shares.
"""
from __future__ import annotations

import re
import sys
from collections import Counter
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))

from conftest import MemoryGrid  # noqa: E402
from departments import scaled  # noqa: E402
from shapes import SHAPES, build  # noqa: E402
from workbook import checks, jobs  # noqa: E402
from workbook.reader import read  # noqa: E402

FEW = 4  # a finding naming more cells than this on the planted sheet is a list, not a place
KINDS = ("cell", "row", "total", "missed")
CENT = Decimal("0.01")


def departments() -> dict[str, object]:
    """name -> Content of every generated department shape."""
    out = {shape: build(shape) for shape in SHAPES}
    out["scaled2"] = scaled(2)
    return out


def filled_sheets(content) -> dict[str, list[list[object]]]:
    book = jobs.new(content)
    grid = MemoryGrid(Path("生成的部门.xlsx"), {ws.title: [list(r) for r in ws.iter_rows(values_only=True)]
                                            for ws in book.worksheets})
    return refill(grid).sheets


def refill(grid: MemoryGrid) -> MemoryGrid:
    result = jobs.fill(read(grid, strict=False))
    for sheet, cells in result.plan.values.items():
        grid.set_values(sheet, {addr: None if v is None else float(v) for addr, v in cells.items()})
    return grid


@dataclass(frozen=True)
class Fault:
    sheet: str
    addr: str
    r: int  # sheet row
    rows: range  # the rows counted as "its row" (a 表十二 project: its block)
    value: Decimal
    what: str  # "表六 2010301 基本支出 +12.00"


def faults(book) -> list[Fault]:
    out = []
    for table in book.tables.values():
        blocks = {row.r: range(p.r, p.end + 1) for p in getattr(table, "projects", []) for row in p.funds.values()}
        for row in table.rows:
            if not row.inputs or (row.kind in ("code", "unit", "item") and not (row.code or row.label)):
                continue
            for col in sorted(row.inputs):
                before = row.values.get(col)
                before = before if isinstance(before, Decimal) else Decimal(0)
                name = f"{table.sheet} {row.code or row.label or row.key} {col}"
                rows = blocks.get(row.r, range(row.r, row.r + 1))
                changes = [(before + 12, "+12.00")]
                if before > 0:  # typed short, and with its decimal point lost (123.45 as 12345)
                    changes += [((before / 2).quantize(CENT), "÷2"), (before * 100, "×100")]
                out += [Fault(table.sheet, row.addr(col), row.r, rows, value, f"{name} {how}")
                        for value, how in changes]
    return out


def classify(report, baseline: set, fault: Fault) -> str:
    from workbook.cells import coordinate_to_tuple

    new = [f for f in report.findings if (f.rule, f.places, f.message) not in baseline]
    if not new:
        return "missed"
    few = [f for f in new if sum(p.sheet == fault.sheet for p in f.places) <= FEW]
    if any(p.sheet == fault.sheet and p.cell == fault.addr for f in few for p in f.places):
        return "cell"
    if any(p.sheet == fault.sheet and coordinate_to_tuple(p.cell)[0] in fault.rows for f in few for p in f.places):
        return "row"
    return "total"


_NAMED = re.compile(r"(表[一二三四五六七八九十]+) ([A-Z]+\d+)（[^）]*）(?:比|为)[^；）]*?(?:正是两者之差|只有这一[行项])"
                    r"|中只有 (表[一二三四五六七八九十]+) ([A-Z]+\d+)")


def misnamed(report, baseline: set, fault: Fault) -> bool:
    """Whether a new finding names a suspected row other than the planted cell."""
    for f in report.findings:
        if (f.rule, f.places, f.message) in baseline:
            continue
        for m in _NAMED.finditer(f.message):
            sheet, cell = (m[1], m[2]) if m[1] else (m[3], m[4])
            if (sheet, cell) != (fault.sheet, fault.addr):
                return True
    return False


def measure(name: str, content, mode: str, verbose: bool = False) -> Counter:
    sheets = filled_sheets(content)
    grid = MemoryGrid(Path("生成的部门.xlsx"), sheets)
    base = checks.run(read(grid, strict=False))
    baseline = {(f.rule, f.places, f.message) for f in base.findings}
    counts: Counter = Counter()
    for fault in faults(read(grid, strict=False)):
        planted = MemoryGrid(Path("生成的部门.xlsx"), sheets)
        planted.set_values(fault.sheet, {fault.addr: float(fault.value)})
        if mode == "refill":
            planted = refill(planted)
        report = checks.run(read(planted, strict=False))
        kind = classify(report, baseline, fault)
        counts[kind] += 1
        counts["misnamed"] += misnamed(report, baseline, fault)
        if verbose and kind in ("total", "missed"):
            print(f"  {name} {mode} {kind:6} {fault.what}")
    return counts


def shares(counts: Counter) -> str:
    n = sum(counts[k] for k in KINDS)
    return f"{n:4} faults: " + "  ".join(f"{k} {100 * counts[k] / n:5.1f}%" for k in KINDS) + \
        f"  (a wrong row named: {counts['misnamed']})"


def main(argv: list[str]) -> None:
    verbose = "-v" in argv
    modes = [m for m in ("refill", "raw") if m in argv] or ["refill", "raw"]
    for mode in modes:
        overall: Counter = Counter()
        for name, content in departments().items():
            counts = measure(name, content, mode, verbose)
            overall += counts
            print(f"{mode:6} {name:12} {shares(counts)}")
        print(f"{mode:6} {'all':12} {shares(overall)}")


if __name__ == "__main__":
    main(sys.argv[1:])
