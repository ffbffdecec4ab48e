"""Highlight check findings in the accountant's own workbook, and take the highlights off exactly.

`mark` colours the cells a finding names (error light red, warning light yellow, info: note only),
adds a note "[rule] message" to each, and appends a sheet 校验结果 listing every finding with a link
to its cell. `clear` puts every marked cell back as it was and removes both added sheets.

The work is split by what it is about:
- mark.py: plan the marks (which cells, which colour, which note);
- restore.py: plan taking them off, finding each marked cell again;
- results.py: the 校验结果 sheet; state.py: the state sheet and its format (fills as text: the
  codec beside NO_FILL in workbook.plan).
Planning reads a workbook through surfaces.looks.Looks and returns a workbook.plan.Plan; a surface
(a file, Excel through xlwings, JSON actions) carries it out. The jobs (workbook.jobs: mark,
clear, mark_file, clear_file) do both; nothing here imports them.
"""
from __future__ import annotations

from .mark import MARK_LIMIT, MarkPlan, capped_lines, note_size, plan_mark
from .restore import Cleared, plan_clear
from .results import FILLS, LABEL_FILLS, RESULTS_SHEET, TEXT_COLOURS
from .state import AUTHOR, FORMAT, MARKER, SEPARATOR, STATE_SHEET, TOKEN, Record, token_tag, tokens_in

__all__ = ["MARK_LIMIT", "capped_lines", "AUTHOR", "Cleared", "FILLS", "FORMAT", "LABEL_FILLS", "MarkPlan", "RESULTS_SHEET",
           "Record", "SEPARATOR", "STATE_SHEET", "TEXT_COLOURS", "TOKEN", "MARKER", "token_tag", "tokens_in",
           "note_size", "plan_clear", "plan_mark"]
