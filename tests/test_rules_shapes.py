"""Correct departments of every common shape check without a single error; a planted fault of
each rule family is found at the cell planted. Each false error fixed in issue 8 has its case here.
"""
from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import openpyxl
import pytest

from conftest import MemoryGrid, assert_found
from shapes import SHAPES, build, institutions
from workbook import checks, jobs
from workbook.grid import CalamineGrid, save_atomic
from workbook.reader import read


def _filled(content, folder: Path, name: str) -> Path:
    raw, filled = folder / f"{name}.xlsx", folder / f"{name}-filled.xlsx"
    save_atomic(jobs.new(content), raw)
    jobs.fill_file(raw, filled)
    return filled


@pytest.fixture(scope="module")
def departments(tmp_path_factory) -> dict[str, Path]:
    folder = tmp_path_factory.mktemp("shapes")
    return {shape: _filled(build(shape), folder, shape) for shape in SHAPES}


@pytest.fixture(scope="module")
def values(departments):
    out = {}
    for shape, path in departments.items():
        grid = CalamineGrid(path)
        out[shape] = (path, {name: grid.rows(name) for name in grid.sheet_names()})
    return out


def check(values, shape: str, changes: dict[str, object] | None = None):
    path, sheets = values[shape]
    grid = MemoryGrid(path, sheets)
    for key, value in (changes or {}).items():
        sheet, addr = key.split("!")
        grid.set_values(sheet, {addr: value})
    return checks.run(read(grid, strict=False))


def errors(report) -> list[str]:
    return [f"{f.rule} {f.message}" for f in report.errors]


@pytest.mark.parametrize("shape", SHAPES)
def test_a_correct_department_has_no_error(values, shape):
    assert errors(check(values, shape)) == []


def where(book, table: str, key: str, col: str) -> str:
    t = book.tables[table]
    row = t.row(key) or next(r for r in t.rows if r.code == key or r.label == key)
    return f"{t.sheet}!{row.addr(col)}"


@pytest.mark.parametrize("shape", SHAPES)
@pytest.mark.parametrize("family", ["arithmetic", "codes", "cross", "form", "performance"])
def test_a_planted_fault_of_each_family_is_found_at_its_cell(values, shape, family):
    book = read(MemoryGrid(*values[shape]), strict=False)
    if family == "arithmetic":
        cell = where(book, "T3", "total", "basic")
        value = 1
    elif family == "cross":  # a typed figure one table repeats from another
        cell = where(book, "T2", "in.general", "amount")
        value = float(book.tables["T2"].row("in.general").values["amount"] + 1)
    elif family == "codes":
        row = next(r for r in book.tables["T6"].rows if r.code and len(r.code) == 7)
        cell, value = f"表六!A{row.r}", row.code[:3] + "9" + row.code[4:]
    elif family == "form":
        row = next(r for r in book.tables["T6"].rows if r.kind == "code" and r.inputs)
        cell, value = f"表六!{row.addr('basic')}", -1
    else:
        project = book.tables["T12"].projects[0]
        cell, value = f"表十二!{project.cells['name']}", None
    rule = {"arithmetic": "T3.total", "cross": "X.T2-T6.general", "codes": "C.code-known",
            "form": "F.negative", "performance": "P.project-name"}[family]
    report = check(values, shape, {cell: value})
    found = [f for f in report.findings if f.rule == rule]
    assert found and cell in {str(p) for f in found for p in f.places}, (rule, [f.message for f in report.findings])


# --- the false errors of issue 8, each on the department that showed it -------------------------

def test_running_costs_of_a_department_with_schools_are_at_most_table_seven(values):
    book = read(MemoryGrid(*values["institutions"]), strict=False)
    office = where(book, "T9", "办公费", "basic")
    assert not [f for f in check(values, "institutions").findings if f.rule == "X.T7-T9.items"]  # 10 ≤ 40
    found = [f for f in check(values, "institutions", {office: 41}).findings if f.rule == "X.T7-T9.items"]
    assert len(found) == 1 and "事业单位" in found[0].message and office in {str(p) for p in found[0].places}


def test_without_unit_types_running_costs_are_at_most_table_seven_and_it_is_said(values):
    # 表三 without its working column 单位类型 (as published, when nothing carries it): X.T3.unit-type
    path, sheets = values["institutions"]
    sheets = {name: [row[:5] if name == "表三" else row for row in rows] for name, rows in sheets.items()}
    report = checks.run(read(MemoryGrid(path, sheets), strict=False))
    assert not report.errors
    (said,) = assert_found(report, "X.T3.unit-type", severity="info")
    assert "单位类型" in said.message
    book = read(MemoryGrid(path, sheets), strict=False)
    office = where(book, "T9", "办公费", "basic")
    grid = MemoryGrid(path, sheets)
    grid.set_values("表九", {office.split("!")[1]: 41})  # over 表七's 40.00: wrong whatever the units are
    found = [f for f in checks.run(read(grid, strict=False)).findings if f.rule == "X.T7-T9.items"]
    assert len(found) == 1 and "不应超过" in found[0].message


def test_running_costs_of_administrative_and_civil_units_equal_table_seven(values):
    book = read(MemoryGrid(*values["funds"]), strict=False)
    office = where(book, "T9", "办公费", "basic")  # 行政 + 参公: must equal 表七 (20.00)
    found = [f for f in check(values, "funds", {office: 19}).findings if f.rule == "X.T7-T9.items"]
    assert len(found) == 1 and "两者应相等" in found[0].message


def test_typed_personnel_and_public_costs_are_tied_to_the_tables(values):
    book = read(MemoryGrid(*values["institutions"]), strict=False)
    personnel = where(book, "T12", "whole.personnel", "amount")
    public = where(book, "T12", "whole.public", "amount")
    low = check(values, "institutions", {personnel: 1000})
    assert_found(low, "X.T12-whole.min", personnel)
    # 公用经费 typed 20.00 short, and fill run: 基本支出合计 and 支出预算合计 follow it
    off = check(values, "institutions", {public: 200, where(book, "T12", "whole.basic", "amount"): 1980,
                                         where(book, "T12", "whole.spend_total", "amount"): 2290})
    assert_found(off, "X.T12-T3.basic")
    assert_found(off, "P.whole-balance")


def test_project_carry_over_is_compared_with_table_three_carry_over(values):
    book = read(MemoryGrid(*values["institutions"]), strict=False)
    project = book.tables["T12"].projects[1]  # 上年结转资金 30.00
    carry = f"表十二!{project.funds['carry'].addr('amount')}"
    total = f"表十二!{project.funds['total'].addr('amount')}"
    found = [f for f in check(values, "institutions", {carry: 60, total: 110}).findings
             if f.rule == "P.projects-total"]
    assert len(found) == 1 and "上年结转资金" in found[0].message and carry in {str(p) for p in found[0].places}


def test_money_carried_to_next_year_balances_the_whole_department_table(tmp_path):
    content = institutions()
    content.lines[("T2", "in.business")] = Decimal("290.00")  # 10.00 more, carried to next year
    content.lines[("T1", "exp.carry_next")] = Decimal("10.00")
    path = _filled(content, tmp_path, "next-year")
    report = checks.run(read(CalamineGrid(path)))
    assert errors(report) == []


def _edit(path: Path, sheet: str, cells: dict[str, object]) -> Path:
    book = openpyxl.load_workbook(path)
    for addr, value in cells.items():
        book[sheet][addr] = value
    book.save(path)
    return path


def test_a_wrong_title_is_one_warning_not_a_cascade(departments, tmp_path):
    import shutil

    path = _edit(Path(shutil.copy(departments["funds"], tmp_path / "t.xlsx")),
                 "表三", {"A1": "某县住房和城乡建设厅2025年部门支出总体情况表"})
    report = checks.run(read(CalamineGrid(path)))
    assert errors(report) == []
    assert [f.rule for f in report.findings if str(f.places[0]) == "表三!A1"] == ["F.title"]


@pytest.mark.parametrize("label", ["某县住房和城乡建设局（汇总）", "部门合计", "合计"])
def test_the_department_row_may_be_labelled_as_the_sum(departments, tmp_path, label):
    import shutil

    path = _edit(Path(shutil.copy(departments["funds"], tmp_path / "t.xlsx")), "表三", {"A6": label})
    report = checks.run(read(CalamineGrid(path)))
    assert errors(report) == [] and not [f for f in report.findings if f.rule == "F.title"]
