"""Every 表十二 rule (P.*) catches one planted fault, names its cell and has the right severity;
the reference's genuine disagreement (projects 213.00 against 项目支出 233.00) is reported."""
from __future__ import annotations

import pytest

from conftest import assert_found_new, cells, new_findings, only
from workbook import checks, jobs

PERFORMANCE = sorted(r.id for r in jobs.rules() if r.__module__ == "workbook.checks.performance")
# the reference's project blocks: 项目名称 rows; 年度资金总额 is in column D three rows lower
PROJECT_ROWS = (29, 45, 60, 76, 95, 112, 128, 143)


# rule -> (cells to planted, the cell that must be named, severity)
SINGLE = {
    "P.projects-total": ({"表三!D5": 300}, "表三!D5", "error"),
    # 上年结转 of 20.00 reaches 收入预算合计 but no 表七/表三 line: the block does not balance
    "P.whole-balance": ({"表十二!F10": 919.20, "表十二!F8": 20}, "表十二!D11", "error"),
    # project 1 loses its 满意度指标
    "P.indicator-levels": ({"表十二!B42": "效益指标"}, "表十二!B42", "warning"),
    "P.indicator-value": ({"表十二!E38": None}, "表十二!E38", "warning"),
    # project 2 has 60.00
    "P.cost-cap": ({"表十二!E53": "≤50万元"}, "表十二!E53", "warning"),
    "P.project-name": ({"表十二!B45": None}, "表十二!B45", "error"),
    "P.goal": ({"表十二!B51": None}, "表十二!B51", "warning"),
    # without its 部门名称 line the 部门整体 block is not there
    "P.whole-present": ({"表十二!A4": None}, "表十二!A3", "error"),
}


def test_every_performance_rule_has_a_planted_fault_test():
    assert set(PERFORMANCE) == set(SINGLE) | {"P.unit-project"}  # its own test below


@pytest.mark.parametrize("rule", sorted(SINGLE))
def test_planted_fault_is_reported_at_its_cell(rule, planted, baseline):
    changes, cell, severity = SINGLE[rule]
    found = assert_found_new(planted(changes), baseline, rule, severity=severity)
    assert cell in cells(found), [f.message for f in found]


# --- P.projects-total ------------------------------------------------------------------------

def test_reference_projects_do_not_add_up_to_project_spending(baseline):
    """8 project tables total 213.00; 表三 项目支出 is 233.00 (the reference publishes both)."""
    found = [f for f in baseline.findings if f.rule == "P.projects-total"]
    assert len(found) == 1 and found[0].severity == "error"
    assert (found[0].expected, found[0].actual) == ("233.00", "213.00")
    assert "20.00" in found[0].message
    assert {"表三!D5"} | {f"表十二!D{r + 2}" for r in PROJECT_ROWS} == cells(found)


def test_projects_adding_up_is_accepted(planted):
    report = planted({"表十二!D31": 45, "表十二!D32": 45})  # project 1: 25.00 -> 45.00, total 233.00
    assert not [f for f in report.findings if f.rule == "P.projects-total"]


def test_one_cent_is_rounding(planted):
    report = planted({"表十二!D31": 45.01, "表十二!D32": 45.01})
    found = [f for f in report.findings if f.rule == "P.projects-total"]
    assert len(found) == 1 and found[0].severity == "warning" and "尾差" in found[0].message


# --- indicators --------------------------------------------------------------------------------

def test_whole_block_keeps_its_own_levels(baseline):
    # 部门管理 / 履职效果 / 能力建设 are the 部门整体 table's 一级 names: not a finding
    assert not [f for f in baseline.findings if f.rule == "P.indicator-levels"]


def test_missing_third_level(planted, baseline):
    found = assert_found_new(planted({"表十二!D16": None}), baseline, "P.indicator-value")
    assert cells(found) == {"表十二!D16"} and "三级指标" in found[0].message


@pytest.mark.parametrize("cell, text", [("表十二!E136", "≤ 4 万元"), ("表十二!E136", "不超过40000元")])
def test_cost_cap_below_amount(cell, text, planted, baseline):
    found = assert_found_new(planted({cell: text}), baseline, "P.cost-cap", severity="warning")
    assert {cell, "表十二!D130"} <= cells(found)  # project 7 has 5.00


def test_reference_loose_cost_cap_is_a_hint(baseline):
    """Project 4: 信息化项目建设总成本 ≤313.24万元 against 45.00 — likely the multi-year total."""
    found = [f for f in baseline.findings if f.rule == "P.cost-cap"]
    assert len(found) == 1 and found[0].severity == "info"
    assert str(found[0].places[0]) == "表十二!E84" and "313.24" in found[0].message


def test_cap_in_output_indicator_is_not_checked(planted, baseline):
    assert not new_findings(planted({"表十二!E38": "≤10万元"}), baseline, "P.cost-cap")


# --- names and goals ---------------------------------------------------------------------------

def test_duplicate_project_name(planted, baseline):
    found = only(new_findings(planted({"表十二!B60": "2024年度乡镇街道政务公开专区建设及运行维护费"}),
                              baseline, "P.project-name"), "error")
    assert cells(found) == {"表十二!B45", "表十二!B60"}


def test_whole_goal(planted, baseline):
    assert "表十二!B5" in cells(new_findings(planted({"表十二!B5": None}), baseline, "P.goal"))


# --- 年度资金总额 not filled yet ----------------------------------------------------------------

def test_blank_project_total_counts_as_the_sum_of_its_parts(planted, baseline):
    """Project 1's 年度资金总额 left blank (fill not run): its parts (25.00) still count."""
    report = planted({"表十二!D31": None})
    (found,) = [f for f in report.findings if f.rule == "P.projects-total"]
    assert (found.expected, found.actual) == ("233.00", "213.00")
    assert not new_findings(report, baseline, "P.project-name")


def test_blank_project_total_with_text_in_a_part_is_unknown(planted, baseline):
    # the sum is unknown: no P.projects-total (F.not-number reports the text)
    report = planted({"表十二!D31": None, "表十二!D32": "二十五"})
    assert not [f for f in report.findings if f.rule == "P.projects-total"]
    assert "表十二!D32" in cells(new_findings(report, baseline, "F.not-number"))


def test_performance_findings_name_no_internal_keys(planted):
    """Arithmetic and cross findings about 表十二 cells use its labels, not whole.current / p1.total."""
    report = planted({"表十二!F7": 1, "表十二!D31": 30})
    messages = [f.message for f in report.findings if f.sheet == "表十二" or "表十二" in f.message]
    assert any("部门整体预算情况·当年财政拨款" in m for m in messages)
    assert any("的年度资金总额" in m for m in messages)
    assert not [m for m in messages if "whole." in m or "p1." in m]


def test_whole_block_imbalance_names_both_totals(planted, baseline):
    found = assert_found_new(planted({"表十二!F10": 919.20, "表十二!F8": 20}), baseline, "P.whole-balance")
    assert cells(found) == {"表十二!D11", "表十二!F10"} and "20.00" in found[0].message


def test_a_project_of_a_unit_without_project_spending(planted, baseline):
    found = assert_found_new(planted({"表三!D7": 0}), baseline, "P.unit-project")
    assert found and all(f.severity == "warning" for f in found)
    assert "表三!D7" in {str(p) for f in found for p in f.places}
    assert "项目支出为 0.00" in found[0].message
