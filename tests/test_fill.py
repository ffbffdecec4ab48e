"""Fill: idempotent, never writes an input cell, handles several units and any number of projects."""
from __future__ import annotations

from decimal import Decimal

import openpyxl
import pytest
from hypothesis import given, settings, HealthCheck
from hypothesis import strategies as st

from conftest import run_fill
from workbook import jobs
from workbook.content import NamedRow, Project, blank, blank_indicators
from workbook.errors import BudgetbookError
from workbook.fill import plan
from workbook.grid import OpenpyxlGrid, save_atomic
from workbook.reader import read


def _cells(path):
    book = openpyxl.load_workbook(path)
    return {(ws.title, c.coordinate): c.value for ws in book for row in ws.iter_rows() for c in row}


def _input_addresses(path):
    book = read(OpenpyxlGrid(path))
    return {(t.sheet, row.addr(col)) for t in book.tables.values() for row in t.rows for col in row.inputs}


def test_fill_twice_equals_fill_once(example_xlsx, tmp_path):
    once = run_fill(example_xlsx, tmp_path / "once.xlsx")
    twice = run_fill(once, tmp_path / "twice.xlsx")
    assert plan(read(OpenpyxlGrid(once))) == []
    assert _cells(once) == _cells(twice)


def test_fill_leaves_every_input_cell_and_label_untouched(example_xlsx, tmp_path):
    before = _cells(example_xlsx)
    after = _cells(run_fill(example_xlsx, tmp_path / "out.xlsx"))
    inputs = _input_addresses(example_xlsx)
    assert len(inputs) > 100
    changed = {k for k in before if before[k] != after.get(k)}
    assert changed and not (changed & inputs)
    # only derived money cells change; every label, code and text stays as it was
    assert all(isinstance(after[k], (int, float)) for k in changed)


def test_fill_never_writes_input_cells_even_when_they_disagree(filled_xlsx, tmp_path):
    # 表七 总计 is derived but 表六 基本支出 is typed: a disagreement stays for the checker
    book = openpyxl.load_workbook(filled_xlsx)
    book["表六"]["D9"] = 600.00  # 2010301 基本支出 (was 574.38)
    book.save(filled_xlsx)
    out = run_fill(filled_xlsx, tmp_path / "out.xlsx")
    cells = _cells(out)
    assert cells[("表六", "D9")] == 600
    assert cells[("表六", "D6")] == pytest.approx(691.82)  # 总计 基本支出 follows the typed figure
    assert cells[("表七", "C6")] == pytest.approx(666.20)  # 表七 keeps its own


def test_multi_unit_department_rolls_units_up(tmp_path):
    content = blank("某某局", 2025, units=["某某局机关", "某某中心", "某某站"])
    for tid, col in (("T3", "basic"), ("T5", "gp_basic"), ("T8", "car_run")):
        for i, unit in enumerate(content.rows[tid], 1):
            unit.values[col] = Decimal(f"{i}0.25")
    path = tmp_path / "multi.xlsx"
    save_atomic(jobs.new(content), path)
    book = read(OpenpyxlGrid(run_fill(path, tmp_path / "filled.xlsx")))
    for tid, col, rowsum in (("T3", "basic", "total"), ("T5", "gp_basic", "total"), ("T8", "car_run", "sangong")):
        table = book.tables[tid]
        units = [r for r in table.rows if r.kind == "unit"]
        assert [u.label for u in units] == ["某某局机关", "某某中心", "某某站"]
        assert table.row("dept").values[col] == Decimal("60.75")
        assert table.row("total").values[col] == Decimal("60.75")
        assert table.row("total").values[rowsum] == Decimal("60.75")
        assert units[1].values[rowsum] == Decimal("20.25")


@pytest.mark.parametrize("count", [0, 1, 5])
def test_performance_sheet_with_zero_one_and_many_projects(tmp_path, count):
    content = blank("某某局", 2025, projects=0)
    for i in range(count):
        content.projects.append(Project(name=f"项目{i + 1}", unit="某某局", indicators=blank_indicators(),
                                        funds={"current": Decimal(f"{i + 1}.50"), "carry": Decimal("1")}))
    path = tmp_path / "p.xlsx"
    save_atomic(jobs.new(content), path)
    book = read(OpenpyxlGrid(run_fill(path, tmp_path / "f.xlsx")))
    projects = book.tables["T12"].projects
    assert [p.name for p in projects] == [f"项目{i + 1}" for i in range(count)]
    assert [p.funds["total"].values["amount"] for p in projects] == \
        [Decimal(f"{i + 2}.50") for i in range(count)]
    assert all(len(p.indicators) == 4 for p in projects)
    assert book.tables["T12"].whole is not None


def test_text_in_an_input_cell_stops_fill_with_its_address(example_xlsx, tmp_path):
    book = openpyxl.load_workbook(example_xlsx)
    book["表七"]["C8"] = "一百七十八"
    book.save(example_xlsx)
    with pytest.raises(BudgetbookError) as info:
        plan(read(OpenpyxlGrid(example_xlsx)))
    assert "表七!C8" in str(info.value) and "一百七十八" in str(info.value)


amounts = st.decimals(min_value=0, max_value=99999, places=2, allow_nan=False, allow_infinity=False)


@settings(max_examples=8, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.lists(st.tuples(amounts, amounts), min_size=1, max_size=6))
def test_any_figures_roll_up_exactly(tmp_path_factory, figures):
    content = blank("某某局", 2025)
    rows = [NamedRow("一般公共服务支出", code="201"), NamedRow("政府办公厅（室）及相关机构事务", code="20103")]
    rows += [NamedRow(f"项{i}", {"basic": b, "project": p}, code=f"20103{i:02d}") for i, (b, p) in enumerate(figures, 1)]
    content.rows["T6"] = rows
    folder = tmp_path_factory.mktemp("h")
    save_atomic(jobs.new(content), folder / "in.xlsx")
    book = read(OpenpyxlGrid(run_fill(folder / "in.xlsx", folder / "out.xlsx")))
    total = book.tables["T6"].row("total").values
    assert total["basic"] == sum((b for b, _ in figures), Decimal(0))
    assert total["total"] == sum((b + p for b, p in figures), Decimal(0))
    assert book.tables["T1"].row("exp.201").values["amount"] == total["total"]
    assert plan(book) == []


def test_rows_that_become_roll_ups_look_derived(tmp_path):
    path = tmp_path / "t.xlsx"
    save_atomic(jobs.new(blank("临夏市财政局", 2025)), path)
    book = openpyxl.load_workbook(path)
    ws = book["表六"]
    for r, (code, name, basic) in enumerate([("201", "一般公共服务支出", None), ("20106", "财政事务", None),
                                              ("2010601", "行政运行", 300)], 7):
        ws.cell(r, 1, code), ws.cell(r, 2, name), ws.cell(r, 4, basic)
    book.save(path)
    assert ws["D7"].style == "bb-input"  # the blank template cannot know which rows roll up
    out = openpyxl.load_workbook(run_fill(path, tmp_path / "f.xlsx"))["表六"]
    assert out["D7"].style == out["D8"].style == "bb-derived" and out["D7"].value == 300
    assert out["D9"].style == "bb-input" and out["C9"].style == "bb-derived"


def _fill_plan(path):
    return {(c.sheet, c.addr): c for c in plan(read(OpenpyxlGrid(path)))}


def test_unit_added_above_the_department_row_keeps_its_figures(filled_xlsx):
    book = openpyxl.load_workbook(filled_xlsx)
    ws = book["表三"]
    ws.unmerge_cells("A8:E8")  # openpyxl does not move merged ranges the way Excel does
    ws.insert_rows(6)  # straight under 总计: the department row moves to 7, the unit to 8
    ws.merge_cells("A9:E9")
    ws["A6"], ws["C6"], ws["D6"] = "临夏市某某中心", 10, 5
    book.save(filled_xlsx)
    changes = _fill_plan(filled_xlsx)
    assert ("表三", "C6") not in changes and ("表三", "D6") not in changes
    assert changes[("表三", "C7")].new == Decimal("676.20")  # department = both units
    assert changes[("表三", "C5")].new == Decimal("676.20")


def test_deleted_department_row_leaves_the_unit_typed(filled_xlsx):
    book = openpyxl.load_workbook(filled_xlsx)
    book["表三"].delete_rows(6)  # the department row, which looks like a duplicate
    book.save(filled_xlsx)
    changes = _fill_plan(filled_xlsx)
    assert not any(sheet == "表三" and addr[0] in "CDE" and addr.endswith("6") for sheet, addr in changes)
    table = read(OpenpyxlGrid(filled_xlsx)).tables["T3"]
    assert [r.kind for r in table.rows] == ["total", "unit"]


def test_carry_over_makes_the_functional_lines_of_table_one_typed(filled_xlsx):
    book = openpyxl.load_workbook(filled_xlsx)
    book["表二"]["B15"] = 10  # 上年结转: money no table breaks down by 类
    book["表一"]["D5"] = 817.38  # the accountant types 一般公共服务支出 from the budget system
    book.save(filled_xlsx)
    changes = _fill_plan(filled_xlsx)
    assert ("表一", "D5") not in changes
    assert changes[("表一", "D35")].new == Decimal("909.20")  # 本年支出合计 adds the typed lines
    assert changes[("表一", "B38")].new == Decimal("909.20")  # 收入总计 includes the carry-over


@pytest.mark.slow
def test_formulas_read_as_the_results_excel_saved(filled_xlsx, tmp_path):
    from workbook import office

    book = openpyxl.load_workbook(filled_xlsx)
    book["表二"]["B5"] = "=800+99.2"  # 一般公共预算财政拨款收入 as a formula
    book.save(filled_xlsx)
    with pytest.raises(BudgetbookError, match="表二!B5 是公式“=800\\+99.2”，但工作簿中没有保存它的计算结果"):
        plan(read(OpenpyxlGrid(filled_xlsx)))
    if office.find_soffice() is None:
        pytest.skip("LibreOffice (soffice) 未安装：无法生成带计算结果的公式")
    saved = office.recalculate(filled_xlsx, tmp_path / "saved.xlsx")  # as Excel would save it
    assert plan(read(OpenpyxlGrid(saved))) == []
    out = openpyxl.load_workbook(run_fill(saved, tmp_path / "out.xlsx"))
    assert out["表二"]["B5"].value == "=800+99.2"  # the formula stays a formula


def test_merged_derived_cell_is_reported_not_crashed(example_xlsx):
    book = openpyxl.load_workbook(example_xlsx)
    book["表三"].merge_cells("B6:C6")
    book.save(example_xlsx)
    with pytest.raises(BudgetbookError, match="表三!C6 是合计单元格，但被合并在 B6:C6 中"):
        jobs.fill_file(example_xlsx, example_xlsx.with_name("out.xlsx"))


def test_rich_text_survives_fill(example_xlsx, tmp_path):
    from openpyxl.cell.rich_text import CellRichText, TextBlock
    from openpyxl.cell.text import InlineFont

    book = openpyxl.load_workbook(example_xlsx, rich_text=True)
    goal = CellRichText("目标1：", TextBlock(InlineFont(b=True, color="FFFF0000"), "保质保量"), "完成任务")
    book["表十二"]["B5"] = goal
    book.save(example_xlsx)
    out = openpyxl.load_workbook(run_fill(example_xlsx, tmp_path / "out.xlsx"), rich_text=True)
    kept = out["表十二"]["B5"].value
    assert isinstance(kept, CellRichText) and str(kept) == "目标1：保质保量完成任务"
    assert any(getattr(part, "font", None) is not None and part.font.b for part in kept)


@pytest.mark.slow
def test_array_formula_reads_as_its_saved_result(filled_xlsx, tmp_path):
    from openpyxl.worksheet.formula import ArrayFormula

    from workbook import office

    if office.find_soffice() is None:
        pytest.skip("LibreOffice (soffice) 未安装：无法生成带计算结果的数组公式")
    book = openpyxl.load_workbook(filled_xlsx)
    book["表二"]["B5"] = ArrayFormula("B5", "=SUM({800,99.2})")  # Ctrl+Shift+Enter in Excel
    book.save(filled_xlsx)
    saved = office.recalculate(filled_xlsx, tmp_path / "saved.xlsx")
    assert read(OpenpyxlGrid(saved)).tables["T2"].row("in.general").values["amount"] == Decimal("899.2")


def test_units_without_a_department_row_keep_their_figures(tmp_path):
    content = blank("临夏市财政局", 2025, units=["财政局机关", "国库支付中心"])
    content.rows["T3"][0].values["basic"] = Decimal("250")
    content.rows["T3"][1].values["basic"] = Decimal("50")
    path = tmp_path / "t.xlsx"
    save_atomic(jobs.new(content), path)
    book = openpyxl.load_workbook(path)
    book["表三"].delete_rows(6)  # the department row
    book.save(path)
    changes = {(c.sheet, c.addr): c.new for c in plan(read(OpenpyxlGrid(path)))}
    assert ("表三", "C6") not in changes and ("表三", "C7") not in changes  # both units stay typed
    assert changes[("表三", "C5")] == Decimal("300.00")  # 总计 adds the units itself


def test_real_department_rows_added_where_the_accountant_adds_them(tmp_path):
    """表九 with an item the standard list lacks, inserted among the others; a project with 15
    indicators, several 三级 under one 二级 (一级/二级 left blank below their first row, as merged
    cells read); several project blocks: all read, filled and checked like the template's own."""
    from workbook import checks
    from workbook.content import Indicator
    from workbook.example import reference

    content = reference()
    items = content.rows["T9"]
    items.insert(9, NamedRow("培训费", {"basic": Decimal("0"), "project": Decimal("2")}, code="30216"))
    first = content.projects[0]
    first.indicators = [Indicator("产出指标" if i == 0 else "", "数量指标" if i % 5 == 0 else "", f"指标{i}", "≥1")
                        for i in range(15)] + first.indicators
    path = tmp_path / "rows.xlsx"
    save_atomic(jobs.new(content), path)
    filled = run_fill(path, tmp_path / "filled.xlsx")
    book = read(OpenpyxlGrid(filled))
    nine = book.tables["T9"]
    assert [r.code for r in nine.rows if r.kind == "item"][9] == "30216"
    assert nine.row("total").values["project"] == Decimal("196.00")  # 194 + the inserted 2
    project = book.tables["T12"].projects[0]
    assert len(project.indicators) == 15 + len(reference().projects[0].indicators)
    assert project.indicators[7][1].level1 == "产出指标" and project.indicators[7][1].level2 == "数量指标"
    report = checks.run(book)
    assert not [f for f in report.findings if f.rule.startswith(("T9.", "T12.", "P.indicator"))]


@pytest.mark.parametrize("off, kept", [("0.03", True), ("0.06", False)])
def test_fill_keeps_a_printed_total_off_its_sum_by_rounding_only(filled_xlsx, off, kept):
    # 表七 302 adds up 10 款 printed to 0.01: a printed total 0.03 from their sum is correctly
    # rounded (bound 10 × 0.005 = 0.05) and stays; 0.06 cannot be rounding and is replaced
    t7 = read(OpenpyxlGrid(filled_xlsx)).tables["T7"]
    row = next(r for r in t7.rows if r.code == "302")
    addr, added = row.addr("total"), row.values["total"]
    book = openpyxl.load_workbook(filled_xlsx)
    book["表七"][addr] = float(added + Decimal(off))
    book.save(filled_xlsx)
    result = jobs.fill(read(OpenpyxlGrid(filled_xlsx)))
    changed = {(c.sheet, c.addr) for c in result.changes}
    assert (("表七", addr) not in changed) is kept
    if kept:
        [k] = result.kept
        assert (k.sheet, k.addr, k.printed, k.added, k.terms, k.bound) == (
            "表七", addr, added + Decimal(off), added, 10, Decimal("0.05"))
        assert "保留原数未改" in result.summary()
    else:
        assert not result.kept
