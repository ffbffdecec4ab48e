"""Acceptance: after fill, the example reproduces every total printed in the reference document."""
from __future__ import annotations

from decimal import Decimal

import pytest

from workbook.model import Ref

D = Decimal

# (table, row label or code, column) -> the figure printed in shared/seeds/000_0dad3ddfc7bb2d98.txt
PRINTED = {
    ("T1", "in.general", "amount"): "899.20", ("T1", "in.subtotal", "amount"): "899.20",
    ("T1", "in.total", "amount"): "899.20", ("T1", "in.carry", "amount"): "0",
    ("T1", "exp.201", "amount"): "807.38", ("T1", "exp.208", "amount"): "59.99",
    ("T1", "exp.210", "amount"): "31.83", ("T1", "exp.subtotal", "amount"): "899.20",
    ("T1", "exp.total", "amount"): "899.20",
    ("T2", "in.subtotal", "amount"): "899.20", ("T2", "in.total", "amount"): "899.20",
    ("T4", "in.subtotal", "amount"): "899.20", ("T4", "in.general", "amount"): "899.20",
    ("T4", "exp.subtotal", "amount"): "899.20", ("T4", "exp.201", "amount"): "807.38",
    ("T4", "exp.208", "amount"): "59.99", ("T4", "exp.210", "amount"): "31.83",
    ("T4", "in.total", "amount"): "899.20", ("T4", "exp.total", "amount"): "899.20",
}
BY_ROW = {
    "T3": {"总计": {"total": "899.20", "basic": "666.20", "project": "233.00", "carry": "0"},
           "dept": {"total": "899.20", "basic": "666.20", "project": "233.00", "carry": "0"},
           "unit": {"total": "899.20"}},
    "T5": {"总计": {"total": "899.20", "gp_total": "899.20", "gp_basic": "666.20", "gp_project": "233.00"},
           "dept": {"total": "899.20", "gp_total": "899.20", "gp_basic": "666.20", "gp_project": "233.00"},
           "unit": {"total": "899.20", "gp_total": "899.20"}},
    "T8": {"总计": {"sangong": "31.00", "abroad": "25.00", "car_run": "6.00"},
           "dept": {"sangong": "31.00", "abroad": "25.00", "car_run": "6.00"},
           "unit": {"sangong": "31.00"}},
}
T6 = {"总计": ("899.20", "666.20", "233.00"), "201": ("807.38", "574.38", "233.00"),
      "20103": ("807.38", "574.38", "233.00"), "2010301": ("743.38", None, None),
      "2010399": ("64.00", None, None), "208": ("59.99", "59.99", None),
      "20805": ("59.99", "59.99", None), "2080505": ("59.99", None, None),
      "210": ("31.83", "31.83", None), "21011": ("31.83", "31.83", None),
      "2101101": ("25.43", None, None), "2101103": ("5.64", None, None),
      "2101199": ("0.76", None, None)}
T7 = {"总计": ("666.20", "548.92", "117.28"), "301": ("539.66", "539.66", None),
      "302": ("113.28", None, "113.28"), "303": ("9.26", "9.26", None), "310": ("4.00", None, "4.00"),
      "30101": (None, "178.06", None), "30231": (None, None, "6.00"), "30305": (None, "9.26", None)}
T9 = {"总计": ("271.96", "77.96", "194"), "30213": ("157.00", None, None),
      "31002": ("42.00", None, None), "30201": ("26.5", None, None), "30205": ("0.00", None, None)}
T12_WHOLE = {"personnel": "548.92", "public": "117.28", "basic": "666.20", "project": "233.00",
             "spend_total": "899.20", "current": "899.20", "carry": "0", "other": "0",
             "income_total": "899.20"}
PROJECT_TOTALS = ["25.00", "60.00", "45.00", "45.00", "9.00", "20.00", "5.00", "4.00"]


def _code_row(table, label):
    if label == "总计":
        return table.row("total")
    return next(r for r in table.rows if (r.code or "") == label)


@pytest.mark.parametrize("ref,printed", PRINTED.items(), ids=[" ".join(k) for k in PRINTED])
def test_summary_lines_match_reference(filled_book, ref, printed):
    assert filled_book.value(Ref(*ref)) == D(printed)


@pytest.mark.parametrize("tid", BY_ROW)
def test_unit_tables_match_reference(filled_book, tid):
    table = filled_book.tables[tid]
    rows = {"总计": table.row("total"), "dept": table.row("dept"),
            "unit": next(r for r in table.rows if r.kind == "unit")}
    for which, figures in BY_ROW[tid].items():
        for col, printed in figures.items():
            assert rows[which].values[col] == D(printed), (tid, which, col)


@pytest.mark.parametrize("tid,expected,cols", [
    ("T6", T6, ("total", "basic", "project")),
    ("T7", T7, ("total", "personnel", "public")),
    ("T9", T9, ("total", "basic", "project")),
])
def test_code_tables_match_reference(filled_book, tid, expected, cols):
    table = filled_book.tables[tid]
    for label, figures in expected.items():
        row = _code_row(table, label)
        for col, printed in zip(cols, figures):
            if printed is not None:
                assert row.values[col] == D(printed), (tid, label, col)


def test_performance_budget_block_matches_reference(filled_book):
    whole = filled_book.tables["T12"].whole
    for key, printed in T12_WHOLE.items():
        assert whole.budget[key].values["amount"] == D(printed), key


def test_project_totals_match_reference(filled_book):
    projects = filled_book.tables["T12"].projects
    assert [p.funds["total"].values["amount"] for p in projects] == [D(x) for x in PROJECT_TOTALS]


def test_zero_totals_are_written_as_numbers_not_blank(filled_book):
    # 表十 is empty in the reference: its 总计 must read 0.00, and 表一's unused lines too
    assert filled_book.tables["T10"].row("total").values["amount"] == D("0")
    assert filled_book.value(Ref("T1", "exp.202", "amount")) == D("0")
    assert filled_book.value(Ref("T6", _code_row(filled_book.tables["T6"], "208").key, "project")) == D("0")


def test_money_is_exact_decimal(filled_book):
    value = filled_book.tables["T9"].row("total").values["total"]
    assert isinstance(value, Decimal) and str(value) == "271.96"
