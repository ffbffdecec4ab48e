"""The Excel path without Excel: the ribbon handlers on real xlwings Books (remote engine).

The same plan applied through openpyxl (a file) and through xlwings (Excel) must leave the same
values and colour the same cells; Excel round trips must not grow with the rows of a department;
whatever goes wrong, Excel is put back as it was and the user reads one Chinese sentence.
"""
from __future__ import annotations

from decimal import Decimal

import openpyxl
import pytest

from departments import scaled
from macros_py import handlers
from workbook import jobs, money, spec
from workbook.grid import save_atomic
from workbook.surfaces.blocks import Rect
from xlremote import book_from, replay

TABLE_SHEETS = tuple(t.sheet for t in spec.TABLES)


@pytest.fixture(scope="module")
def departments(tmp_path_factory):
    """The example (1×) and a department ten times its rows (10×), typed cells only, as files."""
    folder = tmp_path_factory.mktemp("excel")
    files = {}
    for n in (1, 10):
        files[n] = folder / f"dept{n}.xlsx"
        save_atomic(jobs.new(scaled(n)), files[n])
    return files


def _file_values(path) -> dict:
    book = openpyxl.load_workbook(path)
    return {(ws.title, (c.row, c.column)): c.value for ws in book for row in ws.iter_rows() for c in row
            if c.value is not None and ws.title in TABLE_SHEETS}


def _excel_values(excel) -> dict:
    return {(sheet, cell): value for sheet in TABLE_SHEETS for cell, value in excel.values[sheet].items()
            if value is not None}


def _same(a, b) -> bool:
    if isinstance(a, (int, float, Decimal)) and isinstance(b, (int, float, Decimal)):
        return money.to_amount(a)[0] == money.to_amount(b)[0]
    return a == b


@pytest.mark.parametrize("n", [1, 10])
def test_fill_through_excel_equals_fill_of_the_file(departments, tmp_path, n):
    src = departments[n]
    filled = tmp_path / "filled.xlsx"
    expected = jobs.fill_file(src, filled)
    book = book_from(src)
    message = handlers.press("fill", book)
    assert message == expected.summary()
    excel, file = _excel_values(replay(book)), _file_values(filled)
    assert excel.keys() == file.keys()
    assert all(_same(excel[k], file[k]) for k in file), [k for k in file if not _same(excel[k], file[k])][:5]


@pytest.mark.parametrize("n", [1, 10])
def test_check_and_mark_through_excel_colours_the_cells_the_file_gets(departments, tmp_path, n):
    filled = tmp_path / "filled.xlsx"
    jobs.fill_file(departments[n], filled)
    marked = jobs.check_and_mark_file(filled, tmp_path / "marked.xlsx")
    book = book_from(filled)
    message = handlers.press("check", book)
    assert message == marked.summary() and "1 个错误" in message and "校验结果" in message
    excel = replay(book)
    file = openpyxl.load_workbook(tmp_path / "marked.xlsx")
    coloured = {(ws.title, c.coordinate) for ws in file for row in ws.iter_rows() for c in row
                if ws.title in TABLE_SHEETS and c.fill.patternType == "solid"
                and c.fill.fgColor.rgb[-6:] in ("FFC7CE", "FFEB9C")}
    assert coloured
    assert {k for k in excel.coloured() if k[0] in TABLE_SHEETS} == coloured
    noted = {(ws.title, c.coordinate) for ws in file for row in ws.iter_rows() for c in row
             if c.comment is not None and ws.title in TABLE_SHEETS}
    assert {(s, a) for s, cells in excel.notes.items() for a in cells} == noted
    assert excel.sheets[-2:] == ["校验结果", "_budgetbook_marks"] and "_budgetbook_marks" in excel.hidden
    results = {cell: v for cell, v in excel.values["校验结果"].items()}
    assert (results[(5, 3)], results[(5, 4)]) == ("P.projects-total", marked.report.errors[0].title)


def _actions(path, key):
    book = book_from(path)
    handlers.press(key, book)
    return book.json()["actions"]


def _sheet_names(path) -> list[str]:
    return [s["name"] for s in book_from(path).api["sheets"]]


def test_round_trips_do_not_grow_with_rows(departments, tmp_path):
    counts = {}
    for n, src in departments.items():
        filled = jobs.fill_file(src, tmp_path / f"filled{n}.xlsx") and tmp_path / f"filled{n}.xlsx"
        counts[n] = (len(_actions(src, "fill")), len(_actions(filled, "check")))
    assert counts[1] == counts[10], counts


def test_no_block_could_have_been_written_whole_with_a_neighbour(departments):
    actions = [a for a in _actions(departments[10], "fill") if a["func"] == "setValues"]
    rects = [(a["sheet_position"], Rect(a["start_row"] + 1, a["start_column"] + 1,
                                        a["start_row"] + a["row_count"], a["start_column"] + a["column_count"]))
             for a in actions]
    for i, (sheet, a) in enumerate(rects):
        for other, b in rects[i + 1:]:
            if other != sheet:
                continue
            stacked = (a.left, a.right) == (b.left, b.right) and (a.bottom + 1 == b.top or b.bottom + 1 == a.top)
            beside = (a.top, a.bottom) == (b.top, b.bottom) and (a.right + 1 == b.left or b.right + 1 == a.left)
            assert not (stacked or beside), (sheet, a, b)
    table_six = [r for sheet, r in rects if sheet == _sheet_names(departments[10]).index("表六")]
    assert len(table_six) == 1 and table_six[0].bottom - table_six[0].top > 100  # 表六 in one block


def test_an_exception_puts_excel_back_and_speaks_chinese(departments, monkeypatch):
    def broken(book):
        raise RuntimeError("boom")

    monkeypatch.setattr(jobs, "fill", broken)
    book = book_from(departments[1])
    message = handlers.press("fill", book)
    assert "程序内部出错" in message and "RuntimeError" not in message and "Traceback" not in message
    funcs = [(a["func"], a["args"]) for a in book.json()["actions"]]
    assert funcs.index(("setScreenUpdating", [False])) < funcs.index(("setScreenUpdating", [True]))
    assert funcs.index(("setCalculation", ["Manual"])) < funcs.index(("setCalculation", ["Automatic"]))
    assert funcs[-1][0] == "alert" and funcs[-1][1][0] == message
    assert not any(f == "setValues" for f, _ in funcs)


def test_a_workbook_that_is_not_a_budget_workbook_gets_one_sentence(tmp_path):
    path = tmp_path / "其他.xlsx"
    other = openpyxl.Workbook()
    other.active["A1"] = "工资表"
    other.save(path)
    message = handlers.press("check", book_from(path))
    assert "没有找到部门预算公开表" in message and "\n" not in message


def test_export_asks_for_a_saved_workbook(departments):
    message = handlers.press("export", book_from(departments[1]))
    assert "请先保存" in message
