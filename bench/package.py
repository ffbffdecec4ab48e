"""Speed and memory of writing the user's file: the package-patching surface against openpyxl.

Two departments are generated from workbook.content (NamedRow rows) with `jobs.new`:
- fill: a department with 300 units (表三/五/八) and a 2,000-row 表六; patched `fill` against
  an openpyxl load + save of the same file (the part of today's fill the patcher replaces), and
  against today's openpyxl fill;
- check --mark with 60,000 findings: the same department unfilled (its own findings) plus
  findings on further distinct cells up to 60,000; patched against openpyxl.

Times are ratios to a baseline run in this process, so runs on different machines compare. Peak
memory is each job's own maximum resident size, measured in a fresh child process (ru_maxrss),
printed in MB and as a ratio. Run: python bench/package.py [--no-openpyxl-mark] (the openpyxl
mark baseline takes minutes).
"""
from __future__ import annotations

import json
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from decimal import Decimal
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from workbook import example, jobs  # noqa: E402
from workbook.checks import Finding, Place  # noqa: E402
from workbook.content import NamedRow  # noqa: E402
from workbook.grid import save_atomic  # noqa: E402
from workbook.reader import read  # noqa: E402
from workbook.surfaces.openpyxl_book import OpenpyxlSurface  # noqa: E402
from workbook.surfaces.package import PackageSurface  # noqa: E402

UNITS, FINDINGS = 300, 60_000


def department():
    """The reference department with 300 units and a 表六 of 1 类, 40 款 and 48 项 each (1,961 rows)."""
    content = example.reference()
    rows = [NamedRow("一般公共服务支出", code="201")]
    for k in range(1, 41):
        rows.append(NamedRow(f"款{k}", code=f"201{k:02d}"))
        rows += [NamedRow(f"项{k}-{i}", {"basic": Decimal("1.25"), "project": Decimal(i)}, code=f"201{k:02d}{i:02d}")
                 for i in range(1, 49)]
    content.rows["T6"] = rows
    for tid in ("T3", "T5", "T8"):
        content.rows[tid] = [NamedRow(f"单位{i}", dict(content.rows[tid][0].values)) for i in range(UNITS)]
    return content


def timed(fn, *args, repeat: int = 1) -> float:
    """The best of `repeat` runs (the machine may be shared)."""
    best = None
    for _ in range(repeat):
        start = time.perf_counter()
        fn(*args)
        took = time.perf_counter() - start
        best = took if best is None else min(best, took)
    return best


# --- the jobs measured -----------------------------------------------------------------------


def load_save(src: Path, out: Path) -> None:
    OpenpyxlSurface(src).save(out)


def fill(surface_type, src: Path, out: Path) -> None:
    surface = surface_type(src)
    surface.apply(jobs.fill(read(surface)).plan)
    surface.save(out)


def phases(src: Path, out: Path) -> dict[str, float]:
    """Best-of-7 seconds of each phase of a patched fill."""
    best: dict[str, float] = {}
    for _ in range(7):
        marks = [time.perf_counter()]
        surface = PackageSurface(src)
        book = read(surface)
        marks.append(time.perf_counter())
        plan = jobs.fill(book).plan
        marks.append(time.perf_counter())
        surface.apply(plan)
        surface.save(out)
        marks.append(time.perf_counter())
        for name, a, b in zip(("read", "plan", "patch+save"), marks, marks[1:]):
            best[name] = min(best.get(name, b - a), b - a)
    return best


def traced(fn, src: Path, out: Path) -> float:
    import tracemalloc

    tracemalloc.start()
    try:
        fn(src, out)
        return tracemalloc.get_traced_memory()[1] / 2**20
    finally:
        tracemalloc.stop()


def report_of(surface, count: int):
    """The department's own findings, then findings on further distinct cells up to `count`."""
    report = jobs.check(read(surface, strict=False))
    taken = {(p.sheet, p.cell) for f in report.findings for p in f.places}
    extra = []
    severities = ("error", "warning", "info")
    for sheet in ("表六", "表五", "表三", "表八", "表九", "表七"):
        for r, row in enumerate(surface.rows(sheet), start=1):
            for c in range(1, 27):
                if len(report.findings) + len(extra) >= count:
                    break
                cell = f"{chr(64 + c)}{r}"
                if r > 5 and (sheet, cell) not in taken:
                    extra.append(Finding("X.bench", severities[len(extra) % 3], (Place(sheet, cell),),
                                         f"{sheet} {cell} 的示例问题：与表六合计不一致，相差 {len(extra) % 97}.00"))
    report.findings.extend(extra)
    return report


def mark(surface_type, src: Path, out: Path) -> int:
    surface = surface_type(src)
    report = report_of(surface, FINDINGS)
    surface.apply(jobs.mark(surface, report).plan)
    surface.save(out)
    return len(report.findings)


JOBS = {"load_save": lambda s, o: load_save(s, o),
        "fill_package": lambda s, o: fill(PackageSurface, s, o),
        "fill_openpyxl": lambda s, o: fill(OpenpyxlSurface, s, o),
        "mark_package": lambda s, o: mark(PackageSurface, s, o),
        "mark_openpyxl": lambda s, o: mark(OpenpyxlSurface, s, o)}


def _resident_mb() -> float:
    with open("/proc/self/statm") as fh:
        return int(fh.read().split()[1]) * resource.getpagesize() / 2**20


def child(job: str, src: str, out: str) -> None:
    """One job in a fresh process: prints its seconds, its peak resident memory (MB) and that peak
    above the memory of the process before the job (interpreter and libraries loaded)."""
    before = _resident_mb()
    start = time.perf_counter()
    JOBS[job](Path(src), Path(out))
    seconds = time.perf_counter() - start
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # KiB on Linux
    print(json.dumps({"seconds": seconds, "peak_mb": peak, "job_mb": peak - before}))


def peak_mb(job: str, src: Path, out: Path) -> dict:
    result = subprocess.run([sys.executable, __file__, "--child", job, str(src), str(out)],
                            capture_output=True, text=True, check=True)
    return json.loads(result.stdout.strip().splitlines()[-1])


def main(openpyxl_mark: bool = True) -> None:
    folder = Path(tempfile.mkdtemp(prefix="bb-bench-package-"))
    try:
        raw = folder / "department.xlsx"
        save_atomic(jobs.new(department()), raw)
        print(f"department: {UNITS} units, 1,961 表六 rows; {raw.stat().st_size / 1e6:.1f} MB")

        base = timed(load_save, raw, folder / "saved.xlsx", repeat=7)
        patched = timed(fill, PackageSurface, raw, folder / "filled.xlsx", repeat=7)
        today = timed(fill, OpenpyxlSurface, raw, folder / "filled_openpyxl.xlsx", repeat=7)
        print(f"fill: openpyxl load+save (baseline) 1.00 = {base:.2f} s; patched fill {patched / base:.2f}; "
              f"openpyxl fill {today / base:.2f} (best of 7 each)")
        parts = phases(raw, folder / "filled.xlsx")
        print("  patched fill by phase, as parts of the baseline: " + ", ".join(
            f"{name} {seconds / base:.2f}" for name, seconds in parts.items())
              + " (reading and planning are the same for every surface)")
        memory = {name: traced(fn, raw, folder / f"{name}.xlsx") for name, fn in
                  (("load+save", load_save), ("patched fill", lambda s, o: fill(PackageSurface, s, o)),
                   ("openpyxl fill", lambda s, o: fill(OpenpyxlSurface, s, o)))}
        print(f"fill memory (tracemalloc peak of Python objects): openpyxl load+save {memory['load+save']:.0f} MB, "
              f"patched fill {memory['patched fill']:.0f} MB ({memory['patched fill'] / memory['load+save']:.2f}), "
              f"openpyxl fill {memory['openpyxl fill']:.0f} MB ({memory['openpyxl fill'] / memory['load+save']:.2f})")

        count = mark(PackageSurface, raw, folder / "marked.xlsx")
        mark_time = timed(mark, PackageSurface, raw, folder / "marked.xlsx")
        mark_mem = peak_mb("mark_package", raw, folder / "marked_child.xlsx")
        print(f"check --mark with {count} findings, patched: {mark_time:.1f} s "
              f"({mark_time / base:.2f} x the openpyxl load+save baseline), peak {mark_mem['peak_mb']:.0f} MB "
              f"({mark_mem['job_mb']:.0f} MB above the loaded interpreter)")
        if openpyxl_mark:
            old = timed(mark, OpenpyxlSurface, raw, folder / "marked_openpyxl.xlsx")
            old_mem = peak_mb("mark_openpyxl", raw, folder / "marked_openpyxl_child.xlsx")
            print(f"check --mark, openpyxl (baseline) 1.00 = {old:.1f} s, peak {old_mem['peak_mb']:.0f} MB "
                  f"({old_mem['job_mb']:.0f} MB above the interpreter); patched {mark_time / old:.3f} of the time "
                  f"({old / mark_time:.0f}x faster), {mark_mem['peak_mb'] / old_mem['peak_mb']:.2f} of the peak "
                  f"memory ({mark_mem['job_mb'] / old_mem['job_mb']:.2f} of the job's own)")
    finally:
        shutil.rmtree(folder, ignore_errors=True)


if __name__ == "__main__":
    if sys.argv[1:2] == ["--child"]:
        child(*sys.argv[2:5])
    else:
        main(openpyxl_mark="--no-openpyxl-mark" not in sys.argv)
