"""Excel calls of the ribbon buttons, for the example and a department ten times its rows.

Every call into Excel costs a round trip; the handlers read each sheet once and write whole
blocks, so the number of calls must not grow with the rows. Counted two ways:
- remote engine: xlwings' remote engine (real xlwings Books built from the workbooks' values);
  the actions it records are what an Office.js client would receive;
- desktop: xlwings' own Windows implementation over a stand-in of Excel's COM objects that counts
  every property read, property write and method call (tests/xldesktop.py): what desktop Excel
  on Windows receives, one round trip each.
填充合计 runs on the department with its totals blank (every total written), 校验并标记 on the
filled department; calls per marked cell compare 校验并标记 on the two departments with blank
totals (each blank total a finding: the same sheets marked, more cells at 10x). Run: python bench/excel_calls.py (needs the test extras).
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
from xldesktop import calls_of, desktop_book  # noqa: E402
from xlremote import book_from  # noqa: E402


def remote(path: Path, key: str) -> Counter:
    book = book_from(path)
    handlers.press(key, book)
    return Counter(action["func"] for action in book.json()["actions"])


def desktop(path: Path, key: str) -> tuple[int, str]:
    book = desktop_book(path)
    message = handlers.press(key, book)
    return len(calls_of(book)), message


def marked(message: str) -> int:
    return int(message.split("已标记 ")[1].split(" ")[0])


def main() -> None:
    folder = Path(tempfile.mkdtemp(prefix="bb-excel-"))
    files = {}
    for n in (1, 10):
        raw, filled = folder / f"dept{n}.xlsx", folder / f"filled{n}.xlsx"
        save_atomic(jobs.new(scaled(n)), raw)
        jobs.fill_file(raw, filled)
        content = scaled(n)
        files[n] = (raw, filled, sum(len(content.rows[t]) for t in ("T3", "T5", "T6", "T7", "T8")))

    print("Excel calls per button press, 1x and 10x the reference department's rows")
    counts = {}
    for n, (raw, filled, rows) in files.items():
        fill, mark = remote(raw, "fill"), remote(filled, "check")
        counts[n] = (sum(fill.values()), sum(mark.values()))
        print(f"  remote engine {n:>2}x ({rows} unit/code rows): 填充合计 {counts[n][0]} calls "
              f"({fill['setValues']} value blocks), 校验并标记 {counts[n][1]} calls "
              f"({mark['setRangeColor']} colour calls, {mark['addNote']} notes)")
    print(f"  remote engine 10x / 1x: 填充合计 {counts[10][0] / counts[1][0]:.2f}, "
          f"校验并标记 {counts[10][1] / counts[1][1]:.2f}")

    desk = {}
    for n, (raw, filled, rows) in files.items():
        fill_blank, _ = desktop(raw, "fill")
        fill_filled, _ = desktop(filled, "fill")
        mark_filled, said_filled = desktop(filled, "check")
        mark_blank, said_blank = desktop(raw, "check")
        desk[n] = (fill_blank, mark_filled, mark_blank, marked(said_blank))
        print(f"  desktop {n:>2}x: 填充合计 {fill_blank} calls on blank totals, {fill_filled} on filled "
              f"({fill_blank / fill_filled:.2f}x); 校验并标记 {mark_filled} calls "
              f"({marked(said_filled)} cells marked), {mark_blank} with blank totals ({marked(said_blank)} cells marked)")
    # the same sheets marked, more cells: what each further marked cell costs beyond a constant
    per_cell = (desk[10][2] - desk[1][2]) / (desk[10][3] - desk[1][3])
    print(f"desktop 10x / 1x: 填充合计 {desk[10][0] / desk[1][0]:.2f}, 校验并标记 {desk[10][1] / desk[1][1]:.2f}; "
          f"per marked cell: {per_cell:.1f}")


if __name__ == "__main__":
    main()
