"""Marks are capped per rule (a workbook with tens of thousands of findings stays quick to mark and
open), and the cap is said: on the 校验结果 sheet and in the command output."""
from __future__ import annotations

import openpyxl

from conftest import run_cli
from workbook import marks


def test_cells_past_the_limit_are_listed_not_marked(filled_xlsx, tmp_path):
    # P.projects-total names nine cells (表三!D5 and the eight project tables)
    out = tmp_path / "marked.xlsx"
    ran = run_cli("check", filled_xlsx, "--mark", out, "--mark-limit", "2")
    assert ran.returncode == 1
    assert "规则 P.projects-total 涉及 9 个单元格，只标出了前 2 个" in ran.stderr
    book = openpyxl.load_workbook(out)
    assert "每条规则最多标出 2 个单元格：P.projects-total 共 9 个" in book["校验结果"]["A3"].value
    noted = [c.coordinate for ws in [book["表三"], book["表十二"]] for row in ws.iter_rows() for c in row
             if c.comment and "P.projects-total" in c.comment.text]
    assert len(noted) == 2
    # every finding is still listed
    listed = [r[2] for r in book["校验结果"].iter_rows(min_row=5, values_only=True)]
    assert "P.projects-total" in listed
    # and the marks still clear exactly
    assert run_cli("clear", out, "--in-place").returncode == 0


def test_default_limit_leaves_small_workbooks_alone(filled_xlsx, tmp_path):
    ran = run_cli("check", filled_xlsx, "--mark", tmp_path / "m.xlsx")
    assert ran.returncode == 1 and "只标出了前" not in ran.stderr
    assert marks.MARK_LIMIT == 500
