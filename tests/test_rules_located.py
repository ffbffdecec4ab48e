"""Issue 20: a fault is reported at its own cell or row, not only at a total. Each test plants one
fault into a generated department, lets fill carry it into every total (as the accountant does
before checking), and asserts that the planted cell is among the cells of a finding of that rule."""
from __future__ import annotations

from pathlib import Path

import pytest

from conftest import MemoryGrid, assert_found
from locate import filled_sheets, refill
from shapes import SHAPES, build
from workbook import checks
from workbook.reader import read


@pytest.fixture(scope="module")
def sheets():
    return {shape: filled_sheets(build(shape)) for shape in SHAPES}


def run(sheets, shape: str, changes: dict[str, object], fill: bool = True):
    grid = MemoryGrid(Path("生成的部门.xlsx"), sheets[shape])
    for key, value in changes.items():
        sheet, addr = key.split("!")
        grid.set_values(sheet, {addr: value})
    return checks.run(read(refill(grid) if fill else grid, strict=False))


def book(sheets, shape: str):
    return read(MemoryGrid(Path("生成的部门.xlsx"), sheets[shape]), strict=False)


def first_unit(b, tid: str):
    return next(r for r in b.tables[tid].rows if r.kind == "unit")


@pytest.mark.parametrize("shape", SHAPES)
def test_a_units_project_spending_is_found_at_its_row(sheets, shape):
    b = book(sheets, shape)
    unit = first_unit(b, "T3")
    cell = f"表三!{unit.addr('project')}"
    report = run(sheets, shape, {cell: float(unit.values["project"] + 12)})
    rule = "X.T3-T5.units" if shape != "institutions" else "P.projects-total"  # with 事业收入: by its projects
    found = assert_found(report, rule, cell)
    assert len([p for p in found[0].places if p.sheet == "表三"]) <= 2  # the unit's cell, not a list


@pytest.mark.parametrize("shape", ["institutions", "funds"])
def test_a_projects_own_money_is_found_at_its_unit_not_in_a_list_of_all(sheets, shape):
    b = book(sheets, shape)
    project = b.tables["T12"].projects[-1]
    cell = f"表十二!{project.funds['current'].addr('amount')}"
    value = project.funds["current"].values["amount"]
    report = run(sheets, shape, {cell: float(value + 12)})
    found = assert_found(report, "P.projects-total", cell)
    assert "实施单位" in found[0].message
    assert len([p for p in found[0].places if p.sheet == "表十二"]) < len(b.tables["T12"].projects)


@pytest.mark.parametrize("shape", SHAPES)
def test_an_economic_line_that_lost_its_decimal_point_is_named(sheets, shape):
    b = book(sheets, shape)
    row = next(r for r in b.tables["T7"].rows if r.inputs and r.values.get("total"))
    cell = f"表七!{row.addr('total')}"
    report = run(sheets, shape, {cell: float(row.values["total"] * 100)})
    found = assert_found(report, "X.T6-T7.basic", cell)
    assert "丢了小数点" in found[0].message


def test_a_fund_line_carried_from_table_two_names_table_two(sheets):
    b = book(sheets, "funds")
    cell = f"表二!{b.tables['T2'].row('in.gov_fund').addr('amount')}"
    report = run(sheets, "funds", {cell: 312})
    assert "只来自" in assert_found(report, "X.T4-T5.funds", cell)[0].message


def test_the_only_fund_table_row_is_named(sheets):
    b = book(sheets, "funds")
    row = next(r for r in b.tables["T10"].rows if r.inputs and r.values.get("amount"))
    cell = f"表十!{row.addr('amount')}"
    assert_found(run(sheets, "funds", {cell: 290}), "X.T4-T10.fund", cell)


@pytest.mark.parametrize("shape", ["admin", "institutions", "funds"])
def test_the_only_unit_of_table_eight_is_named(sheets, shape):
    b = book(sheets, shape)
    unit = first_unit(b, "T8")
    cell = f"表八!{unit.addr('car_run')}"
    assert_found(run(sheets, shape, {cell: float(unit.values["car_run"] / 2)}), "X.T7-T8.sangong", cell)


def test_swapped_personnel_and_public_costs_are_found(sheets):
    b = book(sheets, "institutions")
    budget = b.tables["T12"].whole.budget
    personnel, public = (f"表十二!{budget[k].addr('amount')}" for k in ("personnel", "public"))
    report = run(sheets, "institutions", {personnel: 220, public: 1780})
    found = assert_found(report, "X.T12-whole.min", personnel) + assert_found(report, "X.T12-whole.min", public)
    assert all("之间" in f.message for f in found)  # the bounds are stated


def test_blank_unit_type_on_a_school_is_one_finding_at_its_cell(sheets):
    b = book(sheets, "institutions")
    t3 = b.tables["T3"]
    school = next(r for r in t3.rows if r.kind == "unit" and r.label.endswith("中学"))
    cell = f"表三!{t3.spec.letter('unit_type')}{school.r}"
    report = run(sheets, "institutions", {cell: None}, fill=False)
    found = assert_found(report, "X.T3-T9.unit-type", severity="warning")
    assert len(found) == 1 and {str(p) for p in found[0].places} == {cell}
    assert not [f for f in report.errors if f.rule.startswith("X.T7-T9")]  # taken as the 事业单位 it reads as
    office = next(r for r in t3.rows if r.kind == "unit" and r.label.endswith("机关"))
    blank = run(sheets, "institutions", {cell: None, f"表三!{t3.spec.letter('unit_type')}{office.r}": None}, fill=False)
    assert [f.places for f in blank.findings if f.rule == "X.T3-T9.unit-type"] == [found[0].places]  # not the 机关


def test_rules_that_depend_on_the_unit_type_say_which_they_assumed(sheets):
    b = book(sheets, "institutions")
    t3, t9 = b.tables["T3"], b.tables["T9"]
    school = next(r for r in t3.rows if r.kind == "unit" and r.label.endswith("中学"))
    item = next(r for r in t9.rows if r.code == "30201")
    report = run(sheets, "institutions", {f"表三!{t3.spec.letter('unit_type')}{school.r}": None,
                                          f"表九!{item.addr('basic')}": 41})
    [found] = [f for f in report.findings if f.rule == "X.T7-T9.items"]
    assert "按名称视为事业单位" in found.message and f"表九!{item.addr('basic')}" in {str(p) for p in found.places}


def test_running_costs_copied_from_table_seven_with_schools_are_found(sheets):
    b = book(sheets, "institutions")
    t7 = {r.code: r.values.get("total") for r in b.tables["T7"].rows if r.code}
    changes = {f"表九!{r.addr('basic')}": float(t7.get(r.code) or 0)
               for r in b.tables["T9"].rows if r.kind == "item" and r.code}
    report = run(sheets, "institutions", changes)
    total = f"表九!{b.tables['T9'].row('total').addr('basic')}"
    found = assert_found(report, "X.T7-T9.copied", total)
    assert found[0].severity == "warning" and "逐项相同" in found[0].message


def test_running_costs_beyond_the_administrative_units_are_found(sheets):
    b = book(sheets, "institutions")
    office = next(r for r in b.tables["T5"].rows if r.kind == "unit" and r.label.endswith("机关"))
    cell = f"表五!{office.addr('gp_basic')}"
    found = assert_found(run(sheets, "institutions", {cell: 30}, fill=False), "X.T5-T9.units", cell)
    assert "行政、参公单位" in found[0].message


def unit_row(b, tid: str, ending: str):
    return next(r for r in b.tables[tid].rows if r.kind == "unit" and r.label.endswith(ending))


@pytest.mark.parametrize("shape", SHAPES)
def test_a_units_basic_spending_too_large_is_found_at_its_row_by_its_fiscal_bound(sheets, shape):
    """表三 spends at least 表五's 财政拨款 unit by unit: the one unit now 12.00 above it is named."""
    b = book(sheets, shape)
    unit = first_unit(b, "T3")
    cell = f"表三!{unit.addr('basic')}"
    found = assert_found(run(sheets, shape, {cell: float(unit.values["basic"] + 12)}), "X.T1-T3.total", cell)
    assert "正是两者之差" in found[0].message or "只有这一行" in found[0].message


def test_a_units_carry_over_spending_is_found_by_its_projects(sheets):
    b = book(sheets, "institutions")
    unit = unit_row(b, "T3", "第一中学")
    cell = f"表三!{unit.addr('carry')}"
    found = assert_found(run(sheets, "institutions", {cell: float(unit.values["carry"] + 12)}), "X.T2-T3.carry", cell)
    assert "上年结转资金之和（表十二）多 12.00，正是两者之差" in found[0].message


def test_fiscal_spending_typed_short_is_found_at_the_unit_with_money_besides(sheets):
    """With 事业收入 表五 is only bounded by 表三; the unit 150.00 below its 表三 spending, the gap
    exactly, is named (第一中学 is below it too, by its 事业收入, but not by exactly that)."""
    b = book(sheets, "institutions")
    unit = unit_row(b, "T5", "机关")
    cell = f"表五!{unit.addr('gp_basic')}"
    found = assert_found(run(sheets, "institutions", {cell: float(unit.values["gp_basic"] / 2)}), "X.T5-T6.general", cell)
    assert "比表三 该单位基本支出少 150.00，正是两者之差" in found[0].message


def test_project_spending_is_found_at_the_unit_by_its_projects(sheets):
    b = book(sheets, "institutions")
    unit = unit_row(b, "T5", "实验小学")
    cell = f"表五!{unit.addr('gp_project')}"
    found = assert_found(run(sheets, "institutions", {cell: float(unit.values["gp_project"] + 12)}), "X.T5-T6.general", cell)
    assert "当年财政拨款之和（表十二）多 12.00" in found[0].message


def test_a_fund_only_one_unit_uses_is_found_at_that_unit(sheets):
    b = book(sheets, "institutions")
    cell = f"表五!{unit_row(b, 'T5', '第一中学').addr('gf_basic')}"
    found = assert_found(run(sheets, "institutions", {cell: 12}), "X.T4-T5.funds", cell)
    assert "不为零" in found[0].message


@pytest.mark.parametrize("code, words", [("208", "正是两者之差"), ("205", "只有这一行")])
def test_a_typed_class_line_too_large_is_found_at_the_line(sheets, code, words):
    """表一's 类 lines (typed with 事业收入) are at least their 财政拨款 spending: 208 12.00 above it is
    the gap exactly; 205 is the only line with 12.00 to spare (it holds the 事业收入)."""
    row = book(sheets, "institutions").tables["T1"].row(f"exp.{code}")
    cell = f"表一!{row.addr('amount')}"
    found = assert_found(run(sheets, "institutions", {cell: float(row.values["amount"] + 12)}), "X.T1-T3.total", cell)
    assert words in found[0].message


def code_row(b, tid: str, code: str):
    return next(r for r in b.tables[tid].rows if r.code == code)


def test_the_only_functional_line_that_can_hold_the_difference_is_named(sheets):
    """表六's other basic lines (each ≥ 12.00) are social-insurance lines equal to 表七's, so pinned:
    2120101 is the one."""
    row = code_row(book(sheets, "funds"), "T6", "2120101")
    cell = f"表六!{row.addr('basic')}"
    found = assert_found(run(sheets, "funds", {cell: float(row.values["basic"] + 12)}), "X.T6-T7.basic", cell)
    assert "能容下两者之差 12.00 的只有这一行" in found[0].message


def test_a_line_typed_where_nothing_belongs_is_named_as_the_difference(sheets):
    row = code_row(book(sheets, "institutions"), "T6", "2050299")  # 项目支出 only
    cell = f"表六!{row.addr('basic')}"
    found = assert_found(run(sheets, "institutions", {cell: 12}), "X.T6-T7.basic", cell)
    assert "为 12.00，正是两者之差" in found[0].message


def test_an_economic_line_far_too_large_is_named(sheets):
    """No 表七 line but 30102 can be 200.00 too large (30101 holds 120.00, the rest are pinned by
    表六's social-insurance lines and 表九 or hold less)."""
    row = code_row(book(sheets, "funds"), "T7", "30102")
    cell = f"表七!{row.addr('total')}"
    found = assert_found(run(sheets, "funds", {cell: float(row.values["total"] + 200)}), "X.T6-T7.basic", cell)
    assert "能容下两者之差 200.00 的只有这一行" in found[0].message



@pytest.mark.parametrize("shape", SHAPES)
def test_an_income_line_typed_where_nothing_belongs_is_found_at_the_balance(sheets, shape):
    """表二's 财政拨款 lines equal what 表六/表十/表十一 spend, so they are pinned: an income line of 12.00
    where there was none is the difference of 表一's balance exactly."""
    row = book(sheets, shape).tables["T2"].row("in.other")
    cell = f"表二!{row.addr('amount')}"
    found = assert_found(run(sheets, shape, {cell: float((row.values.get("amount") or 0) + 12)}), "T1.balance", cell)
    assert "正是两者之差" in found[0].message


def test_the_one_project_that_can_hold_the_excess_is_named_not_all_of_them(sheets):
    """One 实施单位 and nine projects: only one project has 其他资金 once 12.00 is typed there."""
    b = book(sheets, "admin")
    project = b.tables["T12"].projects[2]
    cell = f"表十二!{project.funds['other'].addr('amount')}"
    found = assert_found(run(sheets, "admin", {cell: 12}), "P.projects-total", cell)
    assert "的其他资金为 12.00，正是两者之差" in found[0].message
    assert len([p for p in found[0].places if p.sheet == "表十二"]) == 2  # its 年度资金总额 and the cell


def test_no_row_is_named_on_the_side_a_third_table_confirms(sheets):
    """表二's 一般公共预算 typed short: 表六 still equals 表五, so no 表六 row is suspected (2010301 alone
    could hold the difference, but the fault is not in 表六)."""
    b = book(sheets, "admin")
    row = b.tables["T2"].row("in.general")
    report = run(sheets, "admin", {f"表二!{row.addr('amount')}": float(row.values["amount"] / 2)})
    [found] = [f for f in report.findings if f.rule == "X.T2-T6.general"]
    assert [str(p) for p in found.places if p.sheet == "表六"] == [f"表六!{b.tables['T6'].row('total').addr('total')}"]
    assert "只有这一行" not in found.message
