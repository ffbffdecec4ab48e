"""What each ribbon button does for the WPS add-in: the jobs, on a workbook snapshot.

The Excel ribbon's handlers (macros_py.handlers) read the open workbook through xlwings; here the
add-in has already read it (serve.snapshot) and gets back the plan as actions
(surfaces.actions). Each function takes the request's JSON and returns a Reply; the keys are the
button keys of macros_py/buttons.py, so the one button list drives both ribbons.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from .. import jobs
from ..errors import BudgetbookError
from ..reader import read
from ..surfaces.actions import actions
from .snapshot import Snapshot


@dataclass
class Reply:
    """What the add-in gets: an exit-equivalent status (0 done, 1 error findings remain or export
    refused, 2 bad input), one closing sentence, and the actions, or the cells to look at first."""

    status: int = 0
    message: str = ""
    actions: list[dict] = field(default_factory=list)
    need: dict[str, list[str]] | None = None
    findings: list[dict] | None = None
    open: str | None = None  # a workbook the add-in should open (新建模板)

    def to_json(self) -> dict:
        out = {"status": self.status, "message": self.message, "actions": self.actions}
        for key in ("need", "findings", "open"):
            if getattr(self, key) is not None:
                out[key] = getattr(self, key)
        return out


def _needs(book: Snapshot) -> Reply | None:
    return Reply(message="需要读取部分单元格的底色和合并区域。", need=book.needed) if book.needed else None


def fill_totals(data) -> Reply:
    book = Snapshot(data)
    result = jobs.fill(read(book))
    return Reply(message=result.summary(), actions=actions(result.plan, book))


def check_and_mark(data) -> Reply:
    book = Snapshot(data)
    result = jobs.check_and_mark(book, read(book, strict=False))
    return _needs(book) or Reply(status=1 if result.report.errors else 0, message=result.summary(),
                                 actions=actions(result.plan, book),
                                 findings=[f.to_dict() for f in result.report.findings])


def clear_marks(data) -> Reply:
    book = Snapshot(data)
    result = jobs.clear(book)
    return _needs(book) or Reply(message=result.summary(), actions=actions(result.plan, book))


def new_template(data) -> Reply:
    """A blank template for next year beside the workbook (or in the home folder); the add-in
    opens it."""
    book = Snapshot(data)
    done = jobs.next_template(book, book.name, jobs.folder_of(book.full_path))
    return Reply(message=done.message, open=str(done.written[0]))


def export_files(data) -> Reply:
    return _export(data, eml=False)


def email_draft(data) -> Reply:
    return _export(data, eml=True)


def write_narrative(data) -> Reply:
    book = Snapshot(data)
    path = _saved(book)
    done = jobs.narrative_beside(book, read(book), path)
    return Reply(status=done.status, message=done.message)


def _export(data, *, eml: bool) -> Reply:
    """Export reads the saved file (its look is copied), as the Excel add-in does."""
    done = jobs.publish_beside(_saved(Snapshot(data)), eml=eml)
    return Reply(status=done.status, message=done.message)


def _saved(book: Snapshot) -> Path:
    path = jobs.saved_workbook(book.full_path, book.name, book.saved)
    if path.suffix.lower() not in (".xlsx", ".xlsm"):
        raise BudgetbookError(f"{path.name} 不是 .xlsx 工作簿；请在 WPS 中另存为 .xlsx（Excel 工作簿）后再试。")
    return path


