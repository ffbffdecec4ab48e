"""Excel round trips of the ribbon buttons, for the example and a department ten times its rows.

Every call into Excel costs a round trip; the handlers read each sheet once and write whole
blocks, so the number of calls must not grow with the rows. Counted on xlwings' remote engine
(real xlwings Books built from the workbooks' values; the actions it records are what Excel would
receive). Run: python bench/excel_calls.py (needs the test extras: xlwings).
"""
from __future__ import annotations

import os
import sys
import tempfile
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT), str(ROOT / "tests")]
os.environ.setdefault("XLWINGS_LICENSE_KEY", "noncommercial")  # remote engine, noncommercial licence

from departments import scaled  # noqa: E402
from macros_py import handlers  # noqa: E402
from workbook import jobs  # noqa: E402
from workbook.grid import save_atomic  # noqa: E402
from xlremote import book_from  # noqa: E402


def calls(path: Path, key: str) -> Counter:
    book = book_from(path)
    handlers.press(key, book)
    return Counter(action["func"] for action in book.json()["actions"])


def main() -> None:
    folder = Path(tempfile.mkdtemp(prefix="bb-excel-"))
    rows = {}
    for n in (1, 10):
        raw, filled = folder / f"dept{n}.xlsx", folder / f"filled{n}.xlsx"
        save_atomic(jobs.new(scaled(n)), raw)
        jobs.fill_file(raw, filled)
        content = scaled(n)
        cells = sum(len(content.rows[t]) for t in ("T3", "T5", "T6", "T7", "T8"))
        rows[n] = (cells, calls(raw, "fill"), calls(filled, "check"))
    print("Excel calls per button press (remote engine), 1x and 10x the reference department's rows")
    for n, (cells, fill, mark) in rows.items():
        print(f"  {n:>2}x ({cells} unit/code rows): 填充合计 {sum(fill.values())} calls "
              f"({fill['setValues']} value blocks), 校验并标记 {sum(mark.values())} calls "
              f"({mark['setRangeColor']} colour calls, {mark['addNote']} notes)")
    ratio = sum(rows[10][1].values()) / sum(rows[1][1].values())
    print(f"  10x / 1x: 填充合计 {ratio:.2f}, 校验并标记 {sum(rows[10][2].values()) / sum(rows[1][2].values()):.2f}")


if __name__ == "__main__":
    main()
