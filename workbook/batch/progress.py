"""Progress of a batch on stderr: a tqdm bar on a terminal, one plain line per file otherwise
(a log file, a scheduler's output, a pipe)."""
from __future__ import annotations

import os
import sys

from .job import FAILED, FileResult


def say(text: str, file=None) -> None:
    """print, except that a reader gone away (`check DIR | head`) silences the rest of the output
    instead of ending the batch: the summary is still written and the exit status is the batch's."""
    file = file or sys.stdout
    try:
        print(text, file=file, flush=True)
    except BrokenPipeError:
        try:
            devnull = os.open(os.devnull, os.O_WRONLY)
            os.dup2(devnull, file.fileno())
            os.close(devnull)
        except (OSError, ValueError, AttributeError):
            pass


def status_words(result: FileResult) -> str:
    if result.status in FAILED:
        return result.status
    c = result.counts
    parts = [f"{label} {c[key]} 处" for key, label in (("error", "错误"), ("warning", "警告"), ("info", "提示"))
             if c[key]]
    return f"{result.status}（{'，'.join(parts)}）" if parts else result.status


class Progress:
    def __init__(self, total: int, *, stream=None, bar: bool | None = None):
        self.total, self.done = total, 0
        self.stream = stream or sys.stderr
        if bar is None:
            bar = hasattr(self.stream, "isatty") and self.stream.isatty()
        self.bar = None
        if bar:
            from tqdm import tqdm

            self.bar = tqdm(total=total, file=self.stream, unit="个", desc="校验", dynamic_ncols=True,
                            leave=True)

    def update(self, result: FileResult) -> None:
        self.done += 1
        if self.bar is not None:
            self.bar.set_postfix_str(result.name[-40:], refresh=False)
            self.bar.update(1)
        else:
            say(f"[{self.done}/{self.total}] {result.name}：{status_words(result)}", self.stream)

    def write(self, text: str, file=None) -> None:
        """Print a line (a report, a refusal) without breaking the bar."""
        file = file or sys.stdout
        if self.bar is not None:
            self.bar.clear()
            say(text, file)
            self.bar.refresh()
        else:
            say(text, file)

    def close(self) -> None:
        if self.bar is not None:
            self.bar.close()
