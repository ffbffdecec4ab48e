"""Speed of checking many workbooks (a finance bureau's batch), as ratios to a baseline.

Baseline: reading with openpyxl. Measured: the calamine reader that `budgetbook check` uses,
and fill on a large department. Ratios, not seconds, so runs on different machines compare.
Run: make bench (or python bench/run.py [copies]).
"""
from __future__ import annotations

import shutil
import sys
import tempfile
import time
from decimal import Decimal
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from workbook import example, jobs  # noqa: E402
from workbook.content import NamedRow  # noqa: E402
from workbook.grid import CalamineGrid, OpenpyxlGrid, save_atomic  # noqa: E402
from workbook.reader import read  # noqa: E402


def timed(fn, *args) -> float:
    start = time.perf_counter()
    fn(*args)
    return time.perf_counter() - start


def check_all(paths, grid) -> None:
    for path in paths:
        jobs.check(read(grid(path), strict=False))


def large_department():
    """The example with 600 functional 项 in 表六 and 60 units: a county's biggest bureau."""
    content = example.reference()
    rows = [NamedRow("一般公共服务支出", code="201")]
    for k in range(1, 31):
        rows.append(NamedRow(f"款{k}", code=f"201{k:02d}"))
        rows += [NamedRow(f"项{k}-{i}", {"basic": Decimal("1.25"), "project": Decimal(i)}, code=f"201{k:02d}{i:02d}")
                 for i in range(1, 21)]
    content.rows["T6"] = rows
    for tid in ("T3", "T5", "T8"):
        content.rows[tid] = [NamedRow(f"单位{i}", dict(content.rows[tid][0].values)) for i in range(60)]
    return content


def main(copies: int = 20) -> None:
    folder = Path(tempfile.mkdtemp(prefix="bb-bench-"))
    try:
        raw = folder / "example.xlsx"
        save_atomic(jobs.new(example.reference()), raw)
        jobs.fill_file(raw, folder / "filled.xlsx")
        paths = [Path(shutil.copy(folder / "filled.xlsx", folder / f"dept{i}.xlsx")) for i in range(copies)]

        base = timed(check_all, paths, OpenpyxlGrid)
        fast = timed(check_all, paths, CalamineGrid)
        print(f"check {copies} workbooks: openpyxl reader (baseline) 1.00, calamine reader "
              f"{fast / base:.2f} of the baseline time ({base / fast:.1f}x faster)")

        big = folder / "big.xlsx"
        save_atomic(jobs.new(large_department()), big)
        one = timed(check_all, [paths[0]], OpenpyxlGrid)
        large = timed(lambda: jobs.fill(read(jobs.open_file(big))))
        print(f"fill a department with 631 表六 rows and 60 units: {large / one:.2f} x the time to "
              f"read and check the reference example")
    finally:
        shutil.rmtree(folder, ignore_errors=True)


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 20)
