"""Speed, as ratios to a baseline measured in the same run on the same files (so runs on different
machines compare). Each line compares the same work on the same file(s):

1. check a batch of workbooks: the calamine reader `check` uses vs the openpyxl reader;
2. fill a large department: the whole fill vs only openpyxl loading and saving that same file;
3. cold `budgetbook check` of the example vs a cold `python -c` that only loads the same file
   with python-calamine (goal ≤ 3×);
4. in-process check of a department with 300 units and 2,000 表六 rows vs the bare calamine load
   of that file (goal ≤ 5×), and the same at 10× the rows and units;
5. a batch of 200 workbooks with 2 worker processes vs 1 (goal ≥ 1.8× faster);
6. `check` of a published 27-page disclosure PDF (tests/fixtures/disclosures) vs pdfplumber's bare
   text extraction of it (goal ≤ 3×);
7. `budgetbook build` from a ledger of 3,000 units / 200,000 lines, .xlsx vs a bare pandas.read_excel
   of it and GBK .csv vs a bare pandas.read_csv of it (goal ≤ 3× each); alone:
   python bench/run.py --ledger 3000 200000;
8. each command on the example with one stray number at 表十!CV200000 vs without it, time and peak
   memory of a fresh process (goal ≈ 1×; alone: --far).

Run: make bench (or python bench/run.py [--quick]); docs/performance.md records the results.
"""
from __future__ import annotations

import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from decimal import Decimal
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from workbook import example, jobs  # noqa: E402
from workbook.catalog import Catalog  # noqa: E402
from workbook.content import NamedRow  # noqa: E402
from workbook.grid import CalamineGrid, OpenpyxlGrid, fast_grid, load_workbook, save_atomic  # noqa: E402
from workbook.reader import read  # noqa: E402
from workbook.spec import FUNCTIONAL_CLASSES  # noqa: E402

CENT = Decimal("0.01")
# the interpreter as users run it: with bytecode caches (a development shell may disable them)
ENV = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}


def timed(fn, *args, repeat: int = 1, best: bool = False) -> float:
    """The median time of `repeat` runs; `best`: the shortest (as timeit reports: the machine's
    own noise only ever adds time, so for both sides of a ratio the shortest run is the fairest)."""
    runs = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn(*args)
        runs.append(time.perf_counter() - start)
    return min(runs) if best else statistics.median(runs)


def check_all(paths, grid) -> None:
    for path in paths:
        jobs.check(read(grid(path), strict=False))


def calamine_load(path: Path) -> None:
    from python_calamine import CalamineWorkbook

    book = CalamineWorkbook.from_path(str(path))
    for name in book.sheet_names:
        book.get_sheet_by_name(name).to_python(skip_empty_area=False)


def _share(amount: Decimal, n: int) -> list[Decimal]:
    part = (amount / n).quantize(CENT, rounding="ROUND_DOWN")
    return [part] * (n - 1) + [amount - part * (n - 1)]


def department(units: int, rows: int):
    """The example with `units` units (its money shared among them) and about `rows` 表六 rows
    (类, 款 and 项 rows under the real 类 codes; 项 carry 1.25 basic and 0.50 project), with a
    code list naming every code, as a finance bureau would hand it out."""
    content = example.reference()
    for tid in ("T3", "T5", "T8"):
        [unit] = content.rows[tid]
        shares = {key: _share(value, units) for key, value in unit.values.items() if value is not None}
        content.rows[tid] = [NamedRow(unit.name if i == 0 else f"{unit.name}所属单位{i}",
                                      {key: parts[i] for key, parts in shares.items()}) for i in range(units)]
    table, names = [], {}
    for code, name in FUNCTIONAL_CLASSES:
        if len(table) >= rows:
            break
        table.append(NamedRow(name, code=code))
        names[code] = name
        for k in range(1, 100):
            if len(table) >= rows:
                break
            kuan = f"{code}{k:02d}"
            table.append(NamedRow(f"款{kuan}", code=kuan))
            names[kuan] = f"款{kuan}"
            for i in range(1, 21):
                xiang = f"{kuan}{i:02d}"
                table.append(NamedRow(f"项{xiang}", {"basic": Decimal("1.25"), "project": Decimal("0.50")}, code=xiang))
                names[xiang] = f"项{xiang}"
    content.rows["T6"] = table
    return content, Catalog(names, "bench", "bench", False)


def cold(cmd: list[str], repeat: int) -> float:
    return timed(lambda: subprocess.run(cmd, capture_output=True, env=ENV, check=False), repeat=repeat)


def batch(paths: list[Path], jobs_n: int) -> None:
    from workbook.batch import executors, runner
    from workbook.batch.job import Task

    tasks = [Task(str(p), p.name) for p in paths]
    with executors.engine(jobs_n, timeout=600) as engine:
        results = list(runner.run(tasks, engine.executor, window=engine.window))
    assert len(results) == len(paths) and all(r.checked for r in results), results[:1]


def main(quick: bool = False) -> None:
    from workbook.runtime import for_bulk_work

    for_bulk_work()  # as the command line and the batch workers run
    folder = Path(tempfile.mkdtemp(prefix="bb-bench-"))
    copies, files = (10, 40) if quick else (20, 200)
    print(f"machine: {os.cpu_count()} cores, Python {sys.version.split()[0]}, {sys.platform}")
    try:
        raw = folder / "example.xlsx"
        save_atomic(jobs.new(example.reference()), raw)
        filled = folder / "filled.xlsx"
        jobs.fill_file(raw, filled)
        subprocess.run([sys.executable, "-m", "compileall", "-q", str(Path(jobs.__file__).parent)],
                       capture_output=True, env=ENV)

        # 1. the reader check uses, against openpyxl, on the same files
        paths = [Path(shutil.copy(filled, folder / f"dept{i}.xlsx")) for i in range(copies)]
        base = timed(check_all, paths, OpenpyxlGrid)
        fast = timed(check_all, paths, CalamineGrid)
        print(f"check {copies} workbooks, calamine reader vs openpyxl reader:        {fast / base:5.2f}x the time "
              f"({base / fast:.1f}x faster)")

        # 2. fill of a large department against openpyxl load + save of the same file
        big, _ = department(60, 630)
        large = folder / "large.xlsx"
        save_atomic(jobs.new(big), large)
        io_only = timed(lambda: save_atomic(load_workbook(large, rich_text=True), folder / "copy.xlsx"))
        whole = timed(lambda: jobs.fill_file(large, folder / "large-filled.xlsx"))
        print(f"fill 60 units / 631 表六 rows vs openpyxl load+save of that file:   {whole / io_only:5.2f}x")

        # 3. cold start
        repeat = 7 if quick else 15
        load = [sys.executable, "-c", f"from python_calamine import CalamineWorkbook\n"
                f"wb = CalamineWorkbook.from_path({str(filled)!r})\n"
                f"[wb.get_sheet_by_name(n).to_python(skip_empty_area=False) for n in wb.sheet_names]"]
        check = [sys.executable, "-m", "workbook.cli", "check", str(filled)]
        cold(check, 2)  # bytecode caches written
        c_load, c_check = cold(load, repeat), cold(check, repeat)
        print(f"cold `budgetbook check` of the example vs cold calamine load:      {c_check / c_load:5.2f}x "
              f"({c_check * 1000:.0f} ms vs {c_load * 1000:.0f} ms; goal ≤ 3x)")

        # 4. in-process check of a large department against the bare calamine load of the file, each
        # measured in a process of its own that only reads the file, as a finance bureau's checker
        # does (the heap left by making the file, or by the lines above, moved the ratio by ±10%)
        for units, rows in ((300, 2000),) if quick else ((300, 2000), (3000, 20000)):
            content, _ = department(units, rows)
            path = folder / f"dept-{units}-{rows}.xlsx"
            save_atomic(jobs.new(content), path)
            jobs.fill_file(path, path)
            del content
            subprocess.run([sys.executable, __file__, "--department", str(units), str(rows), str(path)],
                           env=ENV, check=True)

        # 5. a folder of workbooks on 1 and 2 worker processes
        many = folder / "many"
        many.mkdir()
        paths = [Path(shutil.copy(filled, many / f"dept{i:03d}.xlsx")) for i in range(files)]
        one = timed(batch, paths, 1)
        two = timed(batch, paths, 2)
        print(f"batch of {files} workbooks, 2 jobs vs 1 job:                         {one / two:5.2f}x faster "
              f"({one:.1f} s vs {two:.1f} s; goal ≥ 1.8x)")

        # 6. a published PDF: read and checked vs pdfplumber's bare text extraction of the same file
        disclosure = Path(__file__).resolve().parent.parent / "tests/fixtures/disclosures/万里街道2024年部门预算.pdf"
        bare = timed(pdf_text, disclosure, repeat=3, best=True)
        checked = timed(jobs.check_pdf_file, disclosure, repeat=3, best=True)
        print(f"check a 27-page disclosure PDF vs pdfplumber text extraction:     {checked / bare:5.2f}x "
              f"({checked * 1000:.0f} ms vs {bare * 1000:.0f} ms; goal ≤ 3x)")

        # 8. one stray number far out (表十!CV200000, inside the limits) vs the same workbook without it
        far_stray(filled, folder, repeat=3 if quick else 5)

        # 7. build from a ledger against a bare pandas read of the same file
        ledger_build(*((300, 20_000) if quick else (3000, 200_000)), folder)
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def pdf_text(path: Path) -> None:
    import pdfplumber

    with pdfplumber.open(path) as pdf:
        for page in pdf.pages:
            page.extract_text()


def ledger_build(units: int, lines: int, folder: Path) -> None:
    """`budgetbook build` from a ledger of `units` units and `lines` lines (issue 21: 3,000 and
    200,000), as .xlsx against a bare pandas.read_excel of that file, and as GBK .csv against a
    bare pandas.read_csv of that file (goal ≤ 3x each)."""
    import warnings

    import pandas as pd

    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
    from tests import ledgers

    made = time.perf_counter()
    rows = ledgers.large(units, lines)
    xlsx, csv = ledgers.write(rows, folder / "ledger.xlsx"), ledgers.write(rows, folder / "ledger.csv")
    del rows
    print(f"ledger of {units} units / {lines} lines made as .xlsx and .csv in {time.perf_counter() - made:.1f} s",
          flush=True)
    with warnings.catch_warnings():  # pandas' notice that its default .xlsx engine will change
        warnings.simplefilter("ignore")
        bare = {xlsx: timed(lambda: pd.read_excel(xlsx)), csv: timed(lambda: pd.read_csv(csv, encoding="gbk"))}
    for src, reader in ((xlsx, "read_excel"), (csv, "read_csv")):
        out = folder / f"built-{src.suffix[1:]}.xlsx"
        spent = timed(lambda: jobs.build_file([src], out, dept="某局", year=2025))
        print(f"build {units} units / {lines} lines from {src.suffix} vs pandas.{reader} of it: "
              f"{spent / bare[src]:6.2f}x ({spent:.1f} s vs {bare[src]:.1f} s; goal ≤ 3x)", flush=True)


def far_stray(filled: Path, folder: Path, repeat: int) -> None:
    """Line 8: each command on the example with one stray number at 表十!CV200000 against the same
    command on the example, each run a fresh `budgetbook` process (the shortest of `repeat`; memory
    is that process's peak resident size). Goal: close to 1x, time and memory following the cells
    that hold values, not the farthest coordinate."""
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
    from tests.hostile import far_stray as make

    far = make(filled, folder / "far.xlsx")
    commands = {"check": ["check", "{}"], "fill": ["fill", "{}", "-o", "{out}.xlsx", "--force"],
                "check --mark": ["check", "{}", "--mark", "{out}.xlsx", "--force"],
                "export --force": ["export", "{}", "--out", "{out}", "--force", "--overwrite"],
                "narrative": ["narrative", "{}", "-o", "{out}.docx", "--force"]}
    for name, args in commands.items():
        sides = []
        for src in (filled, far):
            out = folder / f"far-{src.stem}-{name.split()[0]}"
            cmd = [sys.executable, __file__, "--rusage", *(a.format(src, out=out) for a in args)]
            runs = [subprocess.run(cmd, capture_output=True, text=True, env=ENV).stdout.split() for _ in range(repeat)]
            sides.append((min(float(r[0]) for r in runs), max(int(r[1]) for r in runs)))
        (t0, m0), (t1, m1) = sides
        print(f"{name:15} with a stray number at 表十!CV200000 vs without: {t1 / t0:5.2f}x the time, "
              f"{m1 / m0:5.2f}x the memory ({t1 * 1000:.0f} ms vs {t0 * 1000:.0f} ms, "
              f"{m1 // 1024} MB vs {m0 // 1024} MB; goal ≈ 1x)", flush=True)


def rusage(args: list[str]) -> None:
    """One `budgetbook ARGS` in this process: prints its seconds and peak resident kilobytes."""
    import contextlib
    import io
    import resource

    from workbook import cli

    start = time.perf_counter()
    with contextlib.redirect_stdout(io.StringIO()), contextlib.redirect_stderr(io.StringIO()):
        code = cli.main(args)
    spent = time.perf_counter() - start
    assert code in (0, 1), (args, code)
    print(f"{spent:.4f} {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss}")


def large_department(units: int, rows: int, path: Path) -> None:
    """Line 4 for one size: the file loaded and checked five times each, with the bureau's code
    list (the shortest run of each side: the machine's own noise only ever adds time)."""
    from workbook.runtime import for_bulk_work

    for_bulk_work()
    _, catalog = department(units, rows)
    load_s = timed(calamine_load, path, repeat=5, best=True)
    check_s = timed(lambda: jobs.check(read(fast_grid(path), strict=False), catalog), repeat=5, best=True)
    print(f"check {units} units / {rows} 表六 rows vs calamine load of that file: {check_s / load_s:5.2f}x "
          f"({check_s * 1000:.0f} ms vs {load_s * 1000:.0f} ms; goal ≤ 5x)", flush=True)


if __name__ == "__main__":
    if sys.argv[1:2] == ["--department"]:
        large_department(int(sys.argv[2]), int(sys.argv[3]), Path(sys.argv[4]))
    elif sys.argv[1:2] == ["--rusage"]:  # line 8's one command in a process of its own
        rusage(sys.argv[2:])
    elif sys.argv[1:2] == ["--far"]:  # line 8 alone
        with tempfile.TemporaryDirectory(prefix="bb-bench-") as tmp:
            raw, made = Path(tmp) / "raw.xlsx", Path(tmp) / "filled.xlsx"
            save_atomic(jobs.new(example.reference()), raw)
            jobs.fill_file(raw, made)
            far_stray(made, Path(tmp), repeat=5)
    elif sys.argv[1:2] == ["--ledger"]:  # line 6 alone: --ledger UNITS LINES
        with tempfile.TemporaryDirectory(prefix="bb-bench-") as tmp:
            ledger_build(int(sys.argv[2]), int(sys.argv[3]), Path(tmp))
    else:
        main(quick="--quick" in sys.argv[1:])
