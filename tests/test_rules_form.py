"""Every form rule (F.*) catches one planted fault, names its cell and has the right severity;
the genuine form findings of the reference example are reported."""
from __future__ import annotations

import copy
from pathlib import Path

import openpyxl
import pytest

from conftest import MemoryGrid, assert_found, assert_found_new, cells, new_findings, only
from workbook import checks, example, jobs, reader, template
from workbook.checks import form
from workbook.cli import main
from workbook.export import ExportRefused, export
from workbook.grid import OpenpyxlGrid
from workbook.model import Ref

FORM = sorted(r.id for r in jobs.rules() if r.__module__ == "workbook.checks.form")


def _every_amount() -> dict[str, object]:
    """Every money cell of the example (typed and derived), set to 0.00."""
    book = jobs.new(example.reference())
    grid = MemoryGrid(Path("example.xlsx"), {ws.title: [list(r) for r in ws.iter_rows(values_only=True)]
                                             for ws in book})
    return {f"{t.sheet}!{row.addr(col)}": 0 for t in reader.read(grid).tables.values()
            for row in t.rows for col in row.values}


# rule -> (cells to planted, the cell that must be named, severity)
SINGLE = {
    "F.blank-zero": ({"表一!B36": None}, "表一!B36", "warning"),  # 上年结转: a balance line, printed 0.00
    "F.text-number": ({"表六!D9": "574.38"}, "表六!D9", "warning"),
    "F.not-number": ({"表六!D9": "五百"}, "表六!D9", "error"),
    "F.placeholder": ({"表十二!B29": "XX项目"}, "表十二!B29", "error"),
    "F.negative": ({"表二!B5": -1}, "表二!B5", "error"),
    "F.decimals": ({"表七!C8": 178.063}, "表七!C8", "warning"),
    "F.yuan": ({"表七!C8": 1780600}, "表七!C8", "warning"),
    "F.unit-line": ({"表六!E2": "单位：元"}, "表六!E2", "error"),
    "F.note-line": ({"表六!A19": None}, "表六!A19", "warning"),
    "F.title": ({"表六!A1": "临夏市人民政府办公2024年一般公共预算支出情况表"}, "表六!A1", "warning"),
    "F.year": ({"表十二!A44": "项目支出绩效目标表（2023年度）"}, "表十二!A44", "warning"),
    # 表八 with all its amounts 0 is an empty table with only the printed instruction
    "F.empty-note": ({f"表八!{c}{r}": 0 for c in "BCDEFGH" for r in (7, 8, 9)}, "表八!A10", "warning"),
    # every amount of every table 0.00: a template with no budget in it
    "F.no-data": (_every_amount(), "表二!B17", "error"),
    "F.below-note": ({"表九!D24": 3}, "表九!D24", "error"),
}


def test_every_form_rule_has_a_planted_fault_test():
    assert set(FORM) == set(SINGLE) | {"F.tables-present", "F.layout", "F.merged-hidden"}


@pytest.mark.parametrize("rule", sorted(SINGLE))
def test_planted_fault_is_reported_at_its_cell(rule, planted, baseline):
    changes, cell, severity = SINGLE[rule]
    found = assert_found_new(planted(changes), baseline, rule, severity=severity)
    assert cell in cells(found), [f.message for f in found]


def test_tables_present(planted, baseline):
    found = assert_found_new(planted(mutate=lambda b: b.remove(b["表十"])), baseline, "F.tables-present",
                             severity="error")
    assert len(found) == 1 and found[0].places == ()
    assert "表十（政府性基金预算支出情况表）" in found[0].message


# --- details of single rules -----------------------------------------------------------------

def test_reference_empty_tables_are_reported(baseline):
    """表十/表十一 carry only the printed instruction; the reason is in the narrative, not the table."""
    found = [f for f in baseline.findings if f.rule == "F.empty-note"]
    assert {str(f.places[0]) for f in found} == {"表十!A6", "表十一!A6"}
    assert all(f.severity == "warning" for f in found)


@pytest.mark.parametrize("changes", [
    {"表十!A6": "备注：无内容应公开空表并说明情况。本部门2024年无政府性基金预算支出，故本表为空表。"},
    {"表十!A7": "本部门2024年未安排政府性基金预算支出。"},  # a line under the 备注 line
])
def test_explained_empty_table_is_accepted(changes, planted):
    found = [f for f in planted(changes).findings if f.rule == "F.empty-note"]
    assert [str(f.places[0]) for f in found] == ["表十一!A6"]


def test_blank_total_row_of_unit_table(planted, baseline):
    found = assert_found_new(planted({"表三!E5": None, "表五!F7": None}), baseline, "F.blank-zero")
    # 表三 总计 has figures, so its zero 上年结转 prints 0.00; 表五 F is 政府性基金, a fund this
    # department does not have: published blank (spec.ZERO_RULES), so its blank is no finding
    assert "表三!E5" in cells(found) and "表五!F7" not in cells(found)


def test_blank_zero_follows_the_published_convention(planted, baseline):
    # an unused income source of 表一 prints blank; a balance line prints 0.00
    found = cells(new_findings(planted({"表一!B6": None, "表一!B37": None}), baseline, "F.blank-zero"))
    assert "表一!B37" in found and "表一!B6" not in found


def test_typed_blank_is_not_blank_zero(baseline):
    # 表二 leaves its unused income lines blank, as the reference does; only derived cells count
    assert not [f for f in baseline.findings if f.rule == "F.blank-zero"]


@pytest.mark.parametrize("cell, text", [
    ("表三!A7", "某某单位"), ("表十二!E37", "待补充"), ("表十二!B35", "保障……"), ("表十二!D38", "××"),
])
def test_placeholders(cell, text, planted, baseline):
    assert cell in cells(new_findings(planted({cell: text}), baseline, "F.placeholder"))


def test_negative_reports_the_root_only(planted, baseline):
    # a negative typed figure and the totals it feeds: only the typed cell is reported
    found = assert_found_new(planted({"表六!D9": -574.38, "表六!D8": -574.38}), baseline, "F.negative")
    assert cells(found) == {"表六!D9"}


def test_float_noise_is_not_a_third_decimal(planted, baseline):
    assert not new_findings(planted({"表七!C8": 178.06000000000003}), baseline, "F.decimals")


def test_whole_workbook_in_yuan(planted, baseline):
    totals = {"表二!B17": 8992000, "表三!B5": 8992000, "表五!B6": 8992000, "表六!C6": 8992000}
    found = assert_found_new(planted(totals), baseline, "F.yuan", severity="warning")
    assert set(totals) <= cells(found)


def test_missing_unit_line(planted, baseline):
    found = assert_found_new(planted({"表六!E2": None}), baseline, "F.unit-line", severity="error")
    assert cells(found) == {"表六!E2"} and "缺少单位行" in found[0].message


@pytest.mark.parametrize("title, shown", [
    ("临夏市人民政府办公室2023年一般公共预算基本支出情况表", "2023年"),
    ("一般公共预算基本支出情况表", "一般公共预算基本支出情况表"),  # no department, no year
    ("临夏市人民政府办公室2024年基本支出表", "基本支出表"),  # the table's name is gone
])
def test_title_year_and_shape(title, shown, planted, baseline):
    found = assert_found_new(planted({"表七!A1": title}), baseline, "F.title", severity="warning")
    assert cells(found) == {"表七!A1"} and shown in found[0].message


def test_reference_name_slip_is_reported(baseline):
    """The reference writes 临夏市人民政府政府办公室 in 表十二 (部门名称, project 1's 实施单位)."""
    found = [f for f in baseline.findings if f.rule == "F.title"]
    assert {str(f.places[0]) for f in found} == {"表十二!B4", "表十二!E30"}
    assert all("临夏市人民政府政府办公室" in f.message for f in found)


def test_unit_of_the_department_may_carry_out_a_project(planted, baseline):
    found = new_findings(planted({"表三!A7": "临夏市政务服务中心", "表十二!E46": "临夏市政务服务中心"}),
                         baseline, "F.title")
    assert "表十二!E46" not in cells(found)


# --- F.no-data -------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def empty_template(tmp_path_factory):
    """budgetbook new, then fill: every total written as 0.00, no budget typed."""
    path = tmp_path_factory.mktemp("empty") / "空白.xlsx"
    assert main(["new", str(path), "--dept", "临夏市财政局", "--year", "2025"]) == 0
    assert main(["fill", str(path), "--in-place"]) == 0
    return path


def test_empty_template_is_no_data(empty_template, tmp_path):
    report = checks.run(reader.read(OpenpyxlGrid(empty_template)))
    (found,) = [f for f in report.findings if f.rule == "F.no-data"]
    assert found.severity == "error"
    assert {str(p) for p in found.places} == {"表二!B17", "表三!B5"}
    assert "收入合计" in found.message and "支出合计" in found.message
    assert main(["check", str(empty_template)]) == 1
    with pytest.raises(ExportRefused):
        export(empty_template, tmp_path)


def test_one_amount_is_data(empty_template, tmp_path):
    book = openpyxl.load_workbook(empty_template)
    book["表二"]["B5"] = 12.5  # 一般公共预算财政拨款收入
    book.save(path := tmp_path / "一笔.xlsx")
    report = checks.run(reader.read(OpenpyxlGrid(path)))
    assert not [f for f in report.findings if f.rule == "F.no-data"]


def test_reference_has_data(baseline):
    assert not [f for f in baseline.findings if f.rule == "F.no-data"]


# --- settled values (derive.evaluate, text in a money cell makes a sum unknown) -------------

def test_text_makes_the_sums_above_it_unknown_not_zero(planted, baseline):
    zeros = {f"表八!{c}{r}": 0 for c in "BCDEFGH" for r in (7, 8, 9)}
    blanks = {f"表八!{c}": None for c in ("C8", "B9", "B8", "G8")}
    report = planted({**zeros, "表八!C9": "五百", **blanks})
    found = cells(new_findings(report, baseline, "F.blank-zero"))
    assert "表八!G8" in found  # 会议费 of the department row adds up units that are all 0.00
    assert not {"表八!C8", "表八!B9", "表八!B8"} & found  # these add up 五百: unknown, not 0.00
    assert not [f for f in report.findings if f.rule == "F.empty-note" and f.sheet == "表八"]


def test_unfilled_totals_are_settled_from_their_terms(planted, baseline):
    # 表八 department row left blank (fill not run): 因公出国 adds up 25.00, 会议费 adds up nothing
    found = cells(new_findings(planted({"表八!C8": None, "表八!G8": None}), baseline, "F.blank-zero"))
    assert "表八!G8" in found and "表八!C8" not in found


# --- words for cells, one department name ------------------------------------------------------

def test_performance_cells_are_described_in_words(filled_book):
    ctx = checks.Context(filled_book)
    name = filled_book.tables["T12"].projects[0].name
    expected = {Ref("T12", "whole.current", "amount"): "表十二 F7（部门整体预算情况·当年财政拨款）",
                Ref("T12", "p1.total", "amount"): f"表十二 D31（项目“{name}”的年度资金总额）",
                Ref("T12", "p1.current", "amount"): f"表十二 D32（项目“{name}”的当年财政拨款）"}
    assert {ref: ctx.describe(ref) for ref in expected} == expected
    # without the labels the reader gives, the words come from the row keys
    bare = copy.deepcopy(filled_book)
    for row in bare.tables["T12"].rows:
        row.label = None
    ctx = checks.Context(bare)
    assert {ref: ctx.describe(ref) for ref in expected} == expected


def test_negative_performance_amount_names_the_project(planted, baseline):
    (found,) = assert_found_new(planted({"表十二!D32": -25}), baseline, "F.negative")
    assert "当年财政拨款" in found.message and "p1." not in found.message


def test_title_patterns_are_the_readers():
    assert form._TITLE is reader._TITLE and form._squeeze is reader.squeeze


def test_slip_in_the_first_title_is_the_slip(planted, baseline):
    """The department and year are what most titles say, not what 表一 says."""
    found = only(new_findings(planted({"表一!A1": "临夏市人民政府办2023年部门收支总体情况表"}), baseline, "F.title"),
                 "warning")
    assert cells(found) == {"表一!A1"}
    assert any("临夏市人民政府办公室" in f.message for f in found) and any("2024年" in f.message for f in found)


def test_blank_typed_lines_of_table_one_are_unused_lines_not_blank_totals(planted, baseline):
    # with 事业收入 the 类 lines of 表一 are typed; a blank one is a line the department does not
    # use (printed blank, as in the reference), and fill never writes it: no "run fill" advice
    found = new_findings(planted({"表二!B9": 50, "表一!D6": None}), baseline, "F.blank-zero")
    assert "表一!D6" not in cells(found)

# --- figures outside the table, moved columns, Excel errors (issue 8 / 9) -------------------------

def test_figures_below_the_note_line_are_reported(planted, baseline, filled_book):
    note = filled_book.tables["T6"].note_r
    found = assert_found_new(planted({f"表六!C{note + 2}": 12.5}), baseline, "F.below-note")
    assert [f.severity for f in found] == ["error"] and cells(found) == {f"表六!C{note + 2}"}
    assert "12.5" in found[0].message
    # an explanation typed there is not data
    assert not new_findings(planted({f"表六!A{note + 1}": "本表金额含结转"}), baseline, "F.below-note")


def test_a_moved_column_is_one_finding_and_fill_and_marks_refuse(planted, baseline, filled_xlsx, tmp_path):
    def insert_column(book):
        book["表六"].insert_cols(4)  # before 基本支出: every figure shifts one column right

    report = planted(mutate=insert_column)
    found = assert_found(report, "F.layout")
    assert len(found) == 1 and "“基本支出”应在 D 列，现在在 E 列" in found[0].message
    assert not [f for f in report.findings if f.rule.startswith("T6.")]  # no cascade from misreading
    # one cause, one finding: 表六 is not read, so nothing that follows from that is reported (before:
    # six X.T1-T6/X.T4-T6 errors "对应表中无此项" and 表六 said to be empty came with it)
    assert [f.rule for f in report.errors] == ["F.layout"] and "表六的数据未读取" in found[0].message
    assert not [f for f in report.findings if f.rule != "F.layout" and any(p.sheet == "表六" for p in f.places)]
    assert {f.message for f in report.findings} <= {f.message for f in baseline.findings} | {found[0].message}
    book = openpyxl.load_workbook(filled_xlsx)
    insert_column(book)
    book.save(filled_xlsx)
    before = filled_xlsx.read_bytes()
    for args in (["fill", str(filled_xlsx), "--in-place"], ["check", str(filled_xlsx), "--mark-in-place"]):
        assert main(args) == 2
    assert filled_xlsx.read_bytes() == before


def test_excel_error_value_in_a_money_cell_is_named(planted, baseline):
    found = assert_found_new(planted({"表六!D9": "#REF!"}), baseline, "F.not-number")
    assert cells(found) == {"表六!D9"} and "Excel 错误值 #REF!" in found[0].message


@pytest.mark.parametrize("cell, value, why", [
    ("表七!C8", 1780.60, "大于本部门收支总额"),  # 基本工资 178.06 mistyped
    ("表八!C9", 250, "大于表七 公用经费总计"),  # the unit's 因公出国 25.00 mistyped
])
def test_single_amounts_typed_in_yuan_are_suspected(planted, baseline, cell, value, why):
    found = [f for f in new_findings(planted({cell: value}), baseline, "F.yuan") if cell in cells([f])]
    assert found and why in found[0].message and "疑似按元填写" in found[0].message


def test_a_figure_under_a_merged_range_is_named():
    # "F.merged-hidden": 表三 C7:D7 merged over the unit's 项目支出 233.00 (tests/test_merged_hidden.py: real files)
    book = jobs.new(example.reference())
    grid = MemoryGrid(Path("example.xlsx"), {ws.title: [list(r) for r in ws.iter_rows(values_only=True)]
                                             for ws in book})
    grid.merged = lambda sheet: ["C7:D7", "A1:E1"] if sheet == "表三" else []
    found = assert_found(checks.run(reader.read(grid)), "F.merged-hidden")
    assert [(f.sheet, f.cell, f.severity) for f in found] == [("表三", "D7", "error")]
    assert "233" in found[0].message and "C7:D7" in found[0].message


def test_yuan_sizes_a_department_by_all_its_money(planted, baseline):
    # 1.9 亿 of all sources (mostly 事业收入), 899.20 of 财政拨款: a unit's 10,134 万元 of 基本支出
    # is a large line of a large department, not 元 typed as 万元
    big = {"表二!B17": 19000, "表三!B5": 19000, "表三!C7": 10134}
    assert not [f for f in new_findings(planted(big), baseline, "F.yuan") if "表三!C7" in cells([f])]
    # the same line in a department of 899.20 万元 is still suspected
    found = assert_found_new(planted({"表三!C7": 10134}), baseline, "F.yuan")
    assert "表三!C7" in cells(found) and "大于本部门收支总额 899.20" in found[0].message


def test_empty_table_note_copied_from_another_fund_is_reported(planted):
    # 表十一's note copied from 表十: it names 政府性基金, not 国有资本经营
    report = planted({"表十!A6": "注:本部门2024年无政府性基金预算财政拨款安排的预算，故本表为空表。",
                      "表十一!A6": "注:本部门2024年无政府性基金预算财政拨款安排的预算，故本表为空表。"})
    found = [f for f in report.findings if f.rule == "F.empty-note"]
    assert [str(f.places[0]) for f in found] == ["表十一!A6"]
    assert "政府性基金预算" in found[0].message and "国有资本经营预算" in found[0].message
    # "注:" opens the note: it is not read as a code row
    assert not [f for f in report.findings if f.rule.startswith("C.") and f.sheet in ("表十", "表十一")]


@pytest.mark.parametrize("note", ["注:本部门2024年无国有资本经营预算支出，故本表为空表。",
                                  "说明：本部门2024年未安排国有资本经营预算支出。"])
def test_empty_table_note_naming_its_own_fund_is_accepted(note, planted):
    report = planted({"表十一!A6": note})
    assert [str(f.places[0]) for f in report.findings if f.rule == "F.empty-note"] == ["表十!A6"]
    assert not [f for f in report.findings if f.rule.startswith("C.") and f.sheet == "表十一"]
