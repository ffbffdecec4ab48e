"""A figure the file holds under a merged range (Excel shows only the range's first cell) is
reported at its cell by check, and fill refuses rather than count or drop a figure nobody sees."""
from __future__ import annotations

import json

from test_cli import bb
from test_package_refusals import refused, xlsxwriter_example
from workbook.grid import CalamineGrid, OpenpyxlGrid
from workbook.reader import read


def hide_unit_figure(path):
    # 表三's unit row: 基本支出 666.20 in C7, 项目支出 233.00 in D7; C7:D7 merged leaves 233 out of view
    def change(book, sheets):
        sheets["表三"].merge_range("C7:D7", 666.2)
        sheets["表三"].write_number("D7", 233)
    return xlsxwriter_example(path, change)


def test_check_reports_the_hidden_figure_at_its_cell(tmp_path):
    src = hide_unit_figure(tmp_path / "hidden.xlsx")
    result = bb("check", src, "--format", "json")
    assert result.returncode == 1
    found = [f for f in json.loads(result.stdout) if f["rule"] == "F.merged-hidden"]
    assert [(f["sheet"], f["cell"], f["severity"]) for f in found] == [("表三", "D7", "error")]
    assert "233" in found[0]["message"] and "C7:D7" in found[0]["message"]


def test_fill_refuses_and_writes_nothing(tmp_path):
    src = hide_unit_figure(tmp_path / "hidden.xlsx")
    refused("fill", src, "表三!D7", "233", "C7:D7")


def test_both_readers_see_the_figure_openpyxl_drops_on_load(tmp_path):
    src = hide_unit_figure(tmp_path / "hidden.xlsx")
    for grid in (CalamineGrid(src), OpenpyxlGrid(src)):
        hidden = [(p.sheet, p.addr, p.span) for p in read(grid).problems if p.kind == "merged-hidden"]
        assert hidden == [("表三", "D7", "C7:D7")], type(grid).__name__


def test_text_under_a_merged_title_is_not_a_figure(tmp_path):
    src = xlsxwriter_example(tmp_path / "title.xlsx", lambda book, s: s["表六"].write_string("C1", "（续）"))
    assert not [p for p in read(CalamineGrid(src)).problems if p.kind == "merged-hidden"]
