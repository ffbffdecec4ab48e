"""The per-file job of a batch check: what runs in a worker process (or on a Dask worker).

Everything that goes in (Task) and comes out (FileResult) is plain, picklable data, so the same
job runs in IsolatedPool, ProcessPoolExecutor, a thread, or on a Dask distributed cluster.
A file's own problem never escapes as an exception: it becomes the file's status and reason.
"""
from __future__ import annotations

import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

PASSED, ERRORS, UNREADABLE, TIMEOUT, CRASHED = "通过", "有错误", "无法读取", "超时", "崩溃"
STATUSES = (PASSED, ERRORS, UNREADABLE, TIMEOUT, CRASHED)
FAILED = (UNREADABLE, TIMEOUT, CRASHED)  # the file was not checked


@dataclass(frozen=True)
class Task:
    path: str  # the workbook, as found (absolute when the job runs elsewhere)
    name: str  # how the summary names it: the path below the folder given
    mark: str | None = None  # where its marked copy goes (--mark-dir), None: no copy
    catalog: str | None = None  # a finance bureau's code list (--catalog)
    mark_limit: int | None = None  # marked cells per rule (None: the default)


@dataclass
class FileResult:
    path: str
    name: str
    status: str
    dept: str | None = None
    year: int | None = None
    counts: dict[str, int] = field(default_factory=lambda: {"error": 0, "warning": 0, "info": 0})
    findings: list[dict] = field(default_factory=list)  # Finding.to_dict(), in report order
    reason: str | None = None  # why a file was not checked, one sentence
    marked: str | None = None  # the marked copy written
    marked_cells: int = 0
    capped: dict[str, int] = field(default_factory=dict)  # rule -> cells it had, where capped
    summary: str | None = None  # the report as the single-file check prints it
    seconds: float = 0.0
    bug: bool = False  # an internal error (exit 3), not the file's fault
    detail: str | None = None  # the exception or a worker's own crash text behind `reason` (JSON only)

    @property
    def rules(self) -> Counter:
        return Counter(f["rule"] for f in self.findings)

    @property
    def checked(self) -> bool:
        return self.status not in FAILED


_catalogs: dict[str, object] = {}


def _catalog(path: str | None):
    if not path:
        return None
    if path not in _catalogs:
        from ..catalog import load_catalog_file

        _catalogs[path] = load_catalog_file(Path(path))
    return _catalogs[path]


def check_one(task: Task) -> FileResult:
    """Check one workbook (and mark a copy when asked); never raises for the file's own faults."""
    from ..errors import detail, sentence

    start = time.perf_counter()
    result = FileResult(task.path, task.name, UNREADABLE)
    try:
        _check(task, result)
    except Exception as exc:  # noqa: BLE001  (the file's status, the batch goes on)
        status, result.reason = sentence(exc, task.path)
        result.detail = detail(exc) or None
        if status == 3:  # a bug, not the file's fault
            result.status, result.bug = CRASHED, True
    result.seconds = time.perf_counter() - start
    return result


def _check(task: Task, result: FileResult) -> None:
    from .. import jobs

    path = Path(task.path)
    catalog = _catalog(task.catalog)
    if task.mark and path.suffix.lower() != ".pdf":  # a published PDF is checked, never marked
        out = Path(task.mark)
        out.parent.mkdir(parents=True, exist_ok=True)
        marked = jobs.check_and_mark_copy(path, out, catalog, task.mark_limit)
        report = marked.report
        result.marked, result.marked_cells, result.capped = str(out), marked.marked, dict(marked.capped)
    else:
        report = jobs.check_file(path, catalog)
    result.dept, result.year = report.dept, report.year
    result.findings = [f.to_dict() for f in report.findings]
    counts = report.counts
    result.counts = {s: counts.get(s, 0) for s in ("error", "warning", "info")}
    result.status = ERRORS if counts.get("error") else PASSED
    report.path = Path(task.path)
    result.summary = report.summary()
