"""Every arithmetic rule catches one planted fault and names the planted cell."""
from __future__ import annotations

from decimal import Decimal

import pytest

from conftest import assert_found_new, new_findings
from workbook.checks.arithmetic import RELATION_RULES


def at(book, table: str, key: str, col: str = "amount") -> str:
    t = book.tables[table]
    row = t.row(key) if t.row(key) else next(r for r in t.rows if r.code == key)
    return f"{t.sheet}!{row.addr(col)}"


# rule -> (table, row key or code, column) of the derived cell to spoil
TARGETS = {
    "T1.sum": ("T1", "in.subtotal", "amount"), "T2.sum": ("T2", "in.subtotal", "amount"),
    "T4.sum": ("T4", "in.subtotal", "amount"),
    "T3.row-sum": ("T3", "total", "total"), "T3.units": ("T3", "dept", "basic"),
    "T3.total": ("T3", "total", "project"),
    "T5.row-sum": ("T5", "dept", "gp_total"), "T5.units": ("T5", "dept", "gp_basic"),
    "T5.total": ("T5", "total", "gp_project"),
    "T6.row-sum": ("T6", "2010301", "total"), "T6.rollup": ("T6", "20103", "basic"),
    "T6.total": ("T6", "total", "project"),
    "T7.split": ("T7", "30101", "public"), "T7.rollup": ("T7", "302", "total"),
    "T7.total": ("T7", "total", "personnel"),
    "T8.row-sum": ("T8", "dept", "sangong"), "T8.units": ("T8", "dept", "abroad"),
    "T8.total": ("T8", "total", "car_run"),
    "T9.row-sum": ("T9", "30213", "total"), "T9.total": ("T9", "total", "project"),
    "T10.total": ("T10", "total", "amount"), "T11.total": ("T11", "total", "amount"),
    "T12.budget-sum": ("T12", "whole.basic", "amount"),
    "T12.project-funds": ("T12", "p3.total", "amount"),
    "X.T1-T2.income": ("T1", "in.general", "amount"), "X.T4-T2.funds": ("T4", "in.general", "amount"),
    "X.T1-T6.class": ("T1", "exp.210", "amount"), "X.T4-T6.class": ("T4", "exp.201", "amount"),
    "X.T12-whole.budget": ("T12", "whole.public", "amount"),
}
# the other side of a cross-table relation, which must be marked too
OTHER_SIDE = {"X.T1-T2.income": ("T2", "in.general", "amount"), "X.T4-T2.funds": ("T2", "in.general", "amount"),
              "X.T1-T6.class": ("T6", "210", "total"), "X.T4-T6.class": ("T6", "201", "total"),
              "X.T12-whole.budget": ("T7", "total", "public")}


def test_every_relation_rule_has_a_planted_fault_test():
    assert set(RELATION_RULES) - {"T10.rollup", "T11.rollup"} == set(TARGETS)


@pytest.mark.parametrize("rule", sorted(TARGETS))
def test_planted_fault_is_reported_at_its_cell(rule, planted, baseline, filled_book):
    cell = at(filled_book, *TARGETS[rule])
    found = assert_found_new(planted({cell: 12345.67}), baseline, rule, severity="error")
    places = {str(p) for f in found for p in f.places}
    assert cell in places
    assert "12,345.67" in found[0].message
    if rule in OTHER_SIDE:
        assert at(filled_book, *OTHER_SIDE[rule]) in places


@pytest.mark.parametrize("table", ["T10", "T11"])
def test_fund_table_rollup(table, planted, baseline, filled_book):
    sheet = filled_book.tables[table].sheet

    def add_rows(book):
        ws = book[sheet]
        ws.insert_rows(6, 3)
        for r, (code, name, amount) in enumerate([("212", "城乡社区支出", 9), ("21208", "国有土地使用权出让收入安排的支出", 7),
                                                  ("2120801", "征地和拆迁补偿支出", 7)], 6):
            ws.cell(r, 1, code), ws.cell(r, 2, name), ws.cell(r, 3, amount)
        ws["C5"] = 9
    found = assert_found_new(planted(mutate=add_rows), baseline, f"{table}.rollup")
    # the 类 over its one 款: both rows are marked (the lone 款 row is the only place it can come from)
    assert [str(p) for f in found for p in f.places] == [f"{sheet}!C6", f"{sheet}!C7"]
    assert "9.00" in found[0].message and "7.00" in found[0].message


def test_one_cent_difference_is_a_tail_warning(planted, baseline, filled_book):
    cell = at(filled_book, "T6", "total", "total")
    found = new_findings(planted({cell: 899.21}), baseline, "T6.total")
    assert [f.severity for f in found] == ["warning"] and "尾差" in found[0].message


def test_unbalanced_totals(planted, baseline, filled_book):
    changes = {at(filled_book, "T1", "exp.carry_next"): 5, at(filled_book, "T1", "exp.total"): 904.20}
    report = planted(changes)
    found = assert_found_new(report, baseline, "T1.balance")
    assert {str(p) for p in found[0].places} == {at(filled_book, "T1", "in.total"),
                                                          at(filled_book, "T1", "exp.total")}
    assert not new_findings(report, baseline, "T1.sum")
    t4 = {at(filled_book, "T4", "exp.total"): 900, at(filled_book, "T4", "exp.subtotal"): 900}
    assert_found_new(planted(t4), baseline, "T4.balance")


def test_blank_total_says_fill_will_write_it(planted, baseline, filled_book):
    cell = at(filled_book, "T9", "total", "total")
    found = new_findings(planted({cell: None}), baseline, "T9.total")
    assert found and found[0].advice == "fill" and found[0].actual == "空"
    assert "budgetbook fill" in found[0].said("cli") and "budgetbook" not in found[0].said("excel")


def test_clean_filled_example_has_no_arithmetic_finding(baseline):
    assert not [f for f in baseline.findings if f.rule in RELATION_RULES or f.rule.endswith(".balance")]


def test_unfilled_example_reports_missing_totals(example_xlsx):
    from workbook import checks
    from workbook.grid import OpenpyxlGrid
    from workbook.reader import read

    report = checks.run(read(OpenpyxlGrid(example_xlsx)))
    t9 = [f for f in report.findings if f.rule == "T9.total"]
    # 合计 C5 adds item totals that are blank too (0.00 expected: F.blank-zero), so only D5, E5
    assert {f.cell for f in t9} == {"D5", "E5"}
    assert Decimal(t9[0].expected.replace(",", "")) > 0


def _t7_302(filled_book):
    t7 = filled_book.tables["T7"]
    row = next(r for r in t7.rows if r.code == "302")
    terms = [r for r in t7.rows if r.code and r.code.startswith("302") and len(r.code) == 5]
    return at(filled_book, "T7", "302", "total"), row.values["total"], len(terms)


@pytest.mark.parametrize("off, severity", [("0.03", "warning"), ("-0.05", "warning"), ("0.06", "error")])
def test_rounding_of_many_terms_is_a_tail_warning_within_its_bound(planted, baseline, filled_book, off, severity):
    # 302 adds up 10 款 printed to 0.01: rounded one by one, their sum may be 10 × 0.005 = 0.05 away
    cell, printed, n = _t7_302(filled_book)
    assert n == 10
    found = new_findings(planted({cell: printed + Decimal(off)}), baseline, "T7.rollup")
    assert [f.severity for f in found] == [severity]
    if severity == "warning":
        assert f"尾差 {abs(Decimal(off))}" in found[0].message and "10 个数各自四舍五入到 0.01 万元" in found[0].message
        assert "0.05 万元" in found[0].message
