"""Run the per-file job over many workbooks on any concurrent.futures.Executor, streaming results.

`run(tasks, executor)` yields one FileResult per task as each finishes. It keeps at most `window`
tasks submitted at a time (memory stays flat for tens of thousands of files, and a task starts
soon after it is submitted, so a deadline counted from submission is close to one counted from its
start). What an executor raises becomes that file's status:

- IsolatedPool (the default, workbook.batch.pool): a dead worker → 崩溃, a task past the timeout
  → 超时 (the pool kills the worker);
- Dask (`Client(address).get_executor()`): a task whose worker keeps dying → KilledWorker → 崩溃;
  a task past the timeout → 超时 here (Dask cannot stop a running task; its thread finishes on its
  own), likewise for any other executor without its own timeout.
"""
from __future__ import annotations

import os
import time
from concurrent.futures import FIRST_COMPLETED, CancelledError, Executor, Future, wait
from pathlib import Path
from typing import Iterable, Iterator

from ..errors import detail, sentence, shown
from .job import CRASHED, TIMEOUT, FileResult, Task, check_one
from .pool import TaskTimeout, WorkerCrashed

DEFAULT_TIMEOUT = 300.0  # seconds per file


def run(tasks: Iterable[Task], executor: Executor, *, timeout: float | None = None,
        window: int | None = None, job=check_one) -> Iterator[FileResult]:
    todo = list(tasks)
    todo.reverse()  # pop() from the end keeps the given order
    own_timeout = getattr(executor, "enforces_timeout", False)
    window = max(1, window or 2 * (os.cpu_count() or 1))
    pending: dict[Future, tuple[Task, float]] = {}
    try:
        while todo or pending:
            while todo and len(pending) < window:
                task = todo.pop()
                pending[executor.submit(job, task)] = (task, time.monotonic())
            deadline = None
            if timeout and not own_timeout:
                deadline = max(0.0, min(t + timeout for _, t in pending.values()) - time.monotonic())
            done, _ = wait(pending, timeout=deadline, return_when=FIRST_COMPLETED)
            for future in done:
                task, _ = pending.pop(future)
                yield outcome(task, future)
            if timeout and not own_timeout:
                now = time.monotonic()
                for future, (task, started) in list(pending.items()):
                    if now - started > timeout:
                        future.cancel()
                        del pending[future]
                        yield FileResult(task.path, task.name, TIMEOUT, reason=_timed_out(task, timeout))
    finally:
        for future in pending:
            future.cancel()


def outcome(task: Task, future: Future) -> FileResult:
    """The task's FileResult, or one saying how its worker failed."""
    try:
        return future.result()
    except TaskTimeout as exc:
        return FileResult(task.path, task.name, TIMEOUT, reason=_timed_out(task, exc.seconds))
    except WorkerCrashed as exc:
        return FileResult(task.path, task.name, CRASHED, reason=crashed_sentence(task.path, exc),
                          detail=exc.detail)
    except CancelledError:
        return FileResult(task.path, task.name, CRASHED, reason=f"{shown(task.path)} 的检查被取消。")
    except Exception as exc:  # noqa: BLE001
        if type(exc).__name__ == "KilledWorker":  # Dask: the task's workers kept dying
            return FileResult(task.path, task.name, CRASHED, detail=detail(exc),
                              reason=f"检查 {shown(task.path)} 时集群工作进程多次异常退出，该文件可能已损坏或是恶意构造的；"
                                     f"其他文件不受影响。")
        status, text = sentence(exc, task.path)
        return FileResult(task.path, task.name, CRASHED, bug=status == 3, reason=text, detail=detail(exc))


def crashed_sentence(path, exc: WorkerCrashed) -> str:
    """A worker that died on a file (a native crash in a parser, the memory limit), in one sentence."""
    return (f"检查 {shown(path)} 时工作进程异常退出（{exc.words}），该文件可能已损坏、过大或是恶意构造的；"
            f"其他文件不受影响。")


def _timed_out(task: Task, seconds: float) -> str:
    return f"{shown(task.path)} 超过 {seconds:g} 秒仍未检查完，已停止（可用 --timeout 调整）；其他文件不受影响。"


# --- finding the workbooks -------------------------------------------------------------------

SUFFIXES = (".xlsx", ".xlsm", ".pdf")  # a published disclosure's PDF is checked as it is, never marked


def is_owner_file(name: str) -> bool:
    """Excel's ~$ owner files, LibreOffice's .~lock files and budgetbook's own temporary files."""
    return name.startswith(("~$", ".~"))


def collect(inputs: list[Path], exclude: Iterable[Path] = ()) -> list[tuple[Path, Path | None]]:
    """(workbook, the folder it was found under) for every input: a file as given, a folder
    searched through its subfolders (links to folders are not followed, so a loop cannot trap the
    walk). Owner files and anything under `exclude` (the marked copies, the summary) are skipped.
    Nothing is opened here: a FIFO named like a workbook is listed, and refused when checked."""
    skip = {os.path.realpath(p) for p in exclude}
    found: list[tuple[Path, Path | None]] = []
    seen: set[str] = set()

    def add(path: Path, root: Path | None) -> None:
        real = os.path.realpath(path)
        if real in seen or real in skip or any(real.startswith(s + os.sep) for s in skip):
            return
        seen.add(real)
        found.append((path, root))

    for given in inputs:
        if given.is_dir():
            for folder, dirs, files in os.walk(given):
                dirs[:] = sorted(d for d in dirs if not d.startswith(".")
                                 and os.path.realpath(os.path.join(folder, d)) not in skip)
                for name in sorted(files):
                    if name.lower().endswith(SUFFIXES) and not is_owner_file(name):
                        add(Path(folder) / name, given)
        else:
            add(given, None)
    return found


def name_of(path: Path, root: Path | None) -> str:
    return path.name if root is None else str(path.relative_to(root))
