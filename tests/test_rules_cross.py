"""Every cross-table rule catches one planted fault and marks a cell on each table."""
from __future__ import annotations

import pytest

from conftest import assert_found_new, new_findings
from workbook import checks, jobs

CROSS = sorted(r.id for r in jobs.rules() if r.__module__ == "workbook.checks.cross")


def row_of(book, table: str, key: str):
    t = book.tables[table]
    return t.row(key) or next(r for r in t.rows if r.code == key)


def at(book, table: str, key: str, col: str = "amount") -> str:
    """"表六!D9": the cell of a row (by key, or by code for 表六/七/九) and column."""
    return f"{book.tables[table].sheet}!{row_of(book, table, key).addr(col)}"


def name_at(book, table: str, key: str) -> str:
    row = row_of(book, table, key)
    return f"{book.tables[table].sheet}!{row.label_col}{row.r}"


def unit(book, table: str) -> str:
    return next(r.key for r in book.tables[table].rows if r.kind == "unit")


# rule -> (cells to plant, a cell on the other table); cells are (table, row key or code or
# "unit", column). The planted cells themselves must be marked too; every finding is an error.
SIMPLE = {
    "X.T2-T6.general": ({("T2", "in.general", "amount"): 900}, ("T6", "total", "total")),
    "X.T4-T5.funds": ({("T5", "total", "gf_total"): 10}, ("T4", "in.gov_fund", "amount")),
    "X.T4-T11.fund": ({("T11", "total", "amount"): 10}, ("T4", "in.state_capital", "amount")),
    "X.T1-T3.total": ({("T3", "total", "total"): 900}, ("T1", "exp.subtotal", "amount")),
    "X.T2-T3.carry": ({("T3", "total", "carry"): 10}, ("T2", "in.carry", "amount")),
    # 一般公共预算 unchanged: 政府性基金 and 国有资本经营 together push the unit past 表三
    "X.T3-T5.units": ({("T5", "unit", "gf_basic"): 0.5, ("T5", "unit", "sc_basic"): 0.5},
                      ("T3", "unit", "basic")),
    "X.T3-T6.project": ({("T6", "total", "project"): 300}, ("T3", "total", "project")),
    "X.T6-T7.basic": ({("T7", "total", "total"): 600}, ("T6", "total", "basic")),
    "X.T7-T9.items": ({("T9", "30201", "basic"): 30}, ("T7", "30201", "total")),
    "X.T7-T9.total": ({("T9", "total", "basic"): 200}, ("T7", "total", "public")),
    "X.T7-T8.sangong": ({("T8", "total", "car_run"): 5}, ("T7", "30231", "total")),
    "X.T8-T9.limits": ({("T9", "30231", "total"): 9}, ("T8", "total", "car_run")),
}


def cell(book, table, key, col):
    return at(book, table, unit(book, table) if key == "unit" else key, col)


@pytest.mark.parametrize("rule", sorted(SIMPLE))
def test_planted_fault_is_reported_on_both_tables(rule, planted, baseline, filled_book):
    changes, other = SIMPLE[rule]
    report = planted({cell(filled_book, *k): v for k, v in changes.items()})
    found = assert_found_new(report, baseline, rule)
    assert len(found) == 1, [f.message for f in found]
    places = {str(p) for p in found[0].places}
    assert {cell(filled_book, *k) for k in changes} | {cell(filled_book, *other)} <= places
    assert found[0].severity == "error"
    assert "相差" in found[0].message or "多出" in found[0].message


def test_t5_t6_general_reports_each_column(planted, baseline, filled_book):
    cols = ("total", "basic", "project")
    changes = {at(filled_book, "T6", "total", c): 1 for c in cols}
    found = assert_found_new(planted(changes), baseline, "X.T5-T6.general")
    assert len(found) == 3 and all(f.severity == "error" for f in found)
    # the department has one unit: its cell is the only one behind 表五's total, and is marked too
    only_unit = unit(filled_book, "T5")
    assert {tuple(str(p) for p in f.places) for f in found} == {
        (at(filled_book, "T5", "total", f"gp_{c}"), at(filled_book, "T6", "total", c))
        + ((at(filled_book, "T5", only_unit, f"gp_{c}"),) if c != "total" else ()) for c in cols}
    assert sum("只来自" in f.message for f in found) == 2  # 合计 is a sum of two columns on every row


def test_t3_t5_units_on_the_total_row(planted, baseline, filled_book):
    found = assert_found_new(planted({at(filled_book, "T5", "total", "gp_project"): 240}), baseline,
                             "X.T3-T5.units")
    assert len(found) == 1 and found[0].message.startswith("总计：")
    assert {str(p) for p in found[0].places} == {at(filled_book, "T5", "total", "gp_project"),
                                                 at(filled_book, "T3", "total", "project"),
                                                 at(filled_book, "T3", unit(filled_book, "T3"), "project"),
                                                 at(filled_book, "T5", unit(filled_book, "T5"), "gp_project")}


def test_unit_names_t3_t5_both_ways(planted, baseline, filled_book):
    t5_name = name_at(filled_book, "T5", unit(filled_book, "T5"))
    t3_name = name_at(filled_book, "T3", unit(filled_book, "T3"))
    found = assert_found_new(planted({t5_name: "临夏市政府办"}), baseline, "X.T3-T5.names")
    assert len(found) == 2 and all(f.severity == "warning" for f in found)
    assert all({str(p) for p in f.places} == {t5_name, t3_name} for f in found)
    assert any("临夏市政府办" in f.message for f in found)


def test_unit_names_t8_within_t3(planted, baseline, filled_book):
    t5_name = name_at(filled_book, "T5", unit(filled_book, "T5"))
    t8_name = name_at(filled_book, "T8", unit(filled_book, "T8"))
    report = planted({t8_name: "临夏市某某中心", t5_name: " 临夏市人民政府办公室\u3000"})
    assert not new_findings(report, baseline, "X.T3-T5.names")  # spaces do not make another unit
    found = assert_found_new(report, baseline, "X.T3-T8.names")
    assert len(found) == 1 and found[0].severity == "warning"
    assert {str(p) for p in found[0].places} == {t8_name, name_at(filled_book, "T3", unit(filled_book, "T3"))}


def _insert_code_rows(sheet: str, before_code: str, rows):
    """A mutate function: insert (code, name, amount) rows into 表七 just before `before_code`."""
    def mutate(book):
        ws = book[sheet]
        r = next(c.row for c in ws["A"] if str(c.value or "").strip() == before_code)
        ws.insert_rows(r, len(rows))
        for i, (code, name, amount) in enumerate(rows):
            ws.cell(r + i, 1, code), ws.cell(r + i, 2, name), ws.cell(r + i, 3, amount)
    return mutate


def test_meeting_training_within_t8(planted, baseline, filled_book):
    sheet = filled_book.tables["T7"].sheet
    row = row_of(filled_book, "T7", "30226").r  # the new rows take 30226's place
    report = planted(mutate=_insert_code_rows(sheet, "30226", [("30215", "会议费", 3), ("30216", "培训费", 2)]))
    found = assert_found_new(report, baseline, "X.T7-T8.meeting-training")
    assert [f.severity for f in found] == ["error", "error"]
    only_unit = unit(filled_book, "T8")  # the one unit behind 表八's 总计 is marked too
    assert [{str(p) for p in f.places} for f in found] == [
        {f"{sheet}!C{row}", at(filled_book, "T8", "total", "meeting"), at(filled_book, "T8", only_unit, "meeting")},
        {f"{sheet}!C{row + 1}", at(filled_book, "T8", "total", "training"),
         at(filled_book, "T8", only_unit, "training")}]
    assert "多出 3.00" in found[0].message and "多出 2.00" in found[1].message


def test_social_insurance(planted, baseline, filled_book):
    # 30113 住房公积金 budgeted in 表七, but 表六 has no 2210201 (nor 22102 / 221): 表六 总计 is marked;
    # and 30110 one cent off 2101101: a 尾差 warning
    sheet = filled_book.tables["T7"].sheet
    row = row_of(filled_book, "T7", "30199").r  # the new row takes 30199's place, below 30110
    report = planted({at(filled_book, "T7", "30110", "total"): 25.44},
                     mutate=_insert_code_rows(sheet, "30199", [("30113", "住房公积金", 40)]))
    found = {f.places[0].cell: f for f in assert_found_new(report, baseline, "X.T6-T7.social")}
    assert len(found) == 2
    housing = found[f"C{row}"]
    assert housing.severity == "error" and "2210201" in housing.message and "未列" in housing.message
    assert {str(p) for p in housing.places} == {f"{sheet}!C{row}", at(filled_book, "T6", "total", "basic")}
    tail = found[row_of(filled_book, "T7", "30110").addr("total")]
    assert tail.severity == "warning" and "尾差" in tail.message
    assert {str(p) for p in tail.places} == {at(filled_book, "T7", "30110", "total"),
                                             at(filled_book, "T6", "2101101", "basic")}


def test_running_cost_item_without_an_economic_row(planted, baseline, filled_book):
    # 表九 30215 会议费 基本支出 2.00, but 表七 lists no 30215: 表七's 302 row is marked
    item = at(filled_book, "T9", "30215", "basic")
    found = assert_found_new(planted({item: 2}), baseline, "X.T7-T9.items")
    assert len(found) == 1 and found[0].severity == "error"
    assert {str(p) for p in found[0].places} == {item, at(filled_book, "T7", "302", "total")}
    # a 0.00 item without a 表七 row (30205 水费 in the reference) is fine: baseline has no finding


def test_fund_table_rows_when_the_fund_is_zero(planted, baseline, filled_book):
    # 表十 filled in although 表四 has no 政府性基金: reported against 表十 总计
    sheet = filled_book.tables["T10"].sheet

    def add_rows(book):
        ws = book[sheet]
        ws.insert_rows(6, 1)
        ws.cell(6, 1, "2120801"), ws.cell(6, 2, "征地和拆迁补偿支出"), ws.cell(6, 3, 7)
        ws["C5"] = 7
    found = assert_found_new(planted(mutate=add_rows), baseline, "X.T4-T10.fund")
    # and the cells behind each total: the one 表十 row, the 表二 line 表四 carries
    assert len(found) == 1 and {str(p) for p in found[0].places} == {
        f"{sheet}!C5", at(filled_book, "T4", "in.gov_fund"), f"{sheet}!C6", at(filled_book, "T2", "in.gov_fund")}


def test_t1_class_lines_with_non_fiscal_money(planted, baseline, filled_book):
    # 上年结转 10.00 in 表二: 表一's 类 lines are typed and must not fall below 表六 + 表十 + 表十一
    carry, line = at(filled_book, "T2", "in.carry"), at(filled_book, "T1", "exp.201")
    fiscal = at(filled_book, "T6", "201", "total")
    assert (carry, line) == ("表二!B15", "表一!D5")
    rule = "X.T1-T6.class-min"
    report = planted({carry: 10, line: 800})
    found = assert_found_new(report, baseline, rule)
    assert len(found) == 1 and found[0].severity == "error"
    assert {str(p) for p in found[0].places} == {line, fiscal}
    assert "807.38" in found[0].message and "800.00" in found[0].message and "相差 7.38" in found[0].message
    assert not new_findings(report, baseline, "X.T1-T6.class")  # not carried: the line is typed
    assert not new_findings(planted({carry: 10, line: 817.38}), baseline, rule)
    tail = new_findings(planted({carry: 10, line: 807.37}), baseline, rule)
    assert len(tail) == 1 and tail[0].severity == "warning" and "尾差" in tail[0].message
    blank = new_findings(planted({carry: 10, line: None}), baseline, rule)  # fill does not write it
    assert len(blank) == 1 and "为空" in blank[0].message


def test_t1_class_lines_with_fiscal_money_only(planted, baseline, filled_book):
    # nothing but 财政拨款: the line is carried and X.T1-T6.class (arithmetic) reports it, not this rule
    report = planted({at(filled_book, "T1", "exp.201"): 800})
    assert not new_findings(report, baseline, "X.T1-T6.class-min")
    assert new_findings(report, baseline, "X.T1-T6.class")


def test_every_cross_rule_has_a_planted_fault_test():
    dedicated = {"X.T5-T6.general", "X.T4-T10.fund", "X.T6-T7.social", "X.T3-T5.names", "X.T3-T8.names",
                 "X.T7-T8.meeting-training", "X.T1-T6.class-min",
                 "X.T12-whole.min", "X.T12-T3.basic", "X.T3.unit-type",  # in test_rules_shapes.py
                 "X.T3-T9.unit-type", "X.T7-T9.copied", "X.T5-T9.units"}  # in test_rules_located.py
    assert set(CROSS) == set(SIMPLE) | dedicated


def test_clean_filled_example_has_no_cross_finding(baseline):
    assert not [f for f in baseline.findings if f.rule in CROSS]


def test_unfilled_example_leaves_blank_totals_to_fill(example_xlsx):
    from workbook.grid import OpenpyxlGrid
    from workbook.reader import read

    report = checks.run(read(OpenpyxlGrid(example_xlsx)))
    assert not [f for f in report.findings if f.rule in CROSS]
