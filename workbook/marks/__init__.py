"""Highlight check findings in the accountant's own workbook, and take the highlights off exactly.

`mark` colours the cells a finding names (error light red, warning light yellow, info: note only),
adds a note "[rule] message" to each, and appends a sheet 校验结果 listing every finding with a link
to its cell. `clear` puts every marked cell back as it was and removes both added sheets.

The work is split by what it is about:
- mark.py: plan the marks (which cells, which colour, which note);
- restore.py: plan taking them off, finding each marked cell again;
- results.py: the 校验结果 sheet; state.py: the state sheet and its format; fills.py: fills as text.
Planning reads a workbook through surfaces.looks.Looks and returns a workbook.plan.Plan; a surface
(openpyxl file, Excel through xlwings, JSON actions) carries it out. The functions below do both
for a file.
"""
from __future__ import annotations

from pathlib import Path

from .mark import MARK_LIMIT, MarkPlan, capped_lines, note_size, plan_mark
from .restore import Cleared, plan_clear
from .results import FILLS, LABEL_FILLS, RESULTS_SHEET, TEXT_COLOURS
from .state import AUTHOR, FORMAT, SEPARATOR, STATE_SHEET, TOKEN, TOKEN_LINE, Record

_TOKEN = TOKEN  # the name tests and older callers use

__all__ = ["MARK_LIMIT", "capped_lines", "AUTHOR", "Cleared", "FILLS", "FORMAT", "LABEL_FILLS", "MarkPlan", "RESULTS_SHEET",
           "Record", "SEPARATOR", "STATE_SHEET", "TEXT_COLOURS", "TOKEN", "TOKEN_LINE", "clear",
           "has_marks", "mark", "note_size", "plan_clear", "plan_mark"]


def mark(src: Path, report, out: Path) -> int:
    """Mark the findings of `report` in a copy of `src` saved to `out` (may be `src` itself).

    Earlier budgetbook marks are taken off first. Returns the number of cells marked."""
    from ..jobs import mark_file

    return mark_file(Path(src), report, Path(out)).marked


def clear(src: Path, out: Path) -> Cleared:
    """Take every budgetbook mark off `src`, saving to `out` (a workbook without marks is saved
    unchanged). Returns a Cleared: the number of cells restored, with .missing, .moved, .skipped."""
    from ..jobs import clear_file

    return clear_file(Path(src), Path(out)).cleared


def has_marks(path: Path) -> bool:
    """Whether the workbook carries budgetbook marks (its state sheet is present)."""
    from ..grid import load_workbook

    book = load_workbook(Path(path), read_only=True)
    try:
        return STATE_SHEET in book.sheetnames
    finally:
        book.close()
