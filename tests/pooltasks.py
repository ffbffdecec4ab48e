"""Tasks for IsolatedPool tests: importable by name, as a spawned worker needs them."""
from __future__ import annotations

import os
import time
from pathlib import Path

from workbook.batch.pool import report


def steps_then(value, steps=("read", "check", "mark")):
    """Report each step, pausing a little, then give `value` back."""
    for step in steps:
        report(step)
        time.sleep(0.05)
    return value


def sleep_forever(pid_file: str) -> None:
    """Write this worker's pid, say it started, then never end on its own."""
    Path(pid_file).write_text(str(os.getpid()))
    report("read")
    time.sleep(600)


def slow_upload(upload):
    """The service's work on an upload, stuck in its first step (for cancel)."""
    report("read")
    (upload.folder / "pid").write_text(str(os.getpid()))
    time.sleep(600)
    return upload
