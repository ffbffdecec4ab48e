"""The clean, filled reference example: exactly the problems genuinely in the published document."""
from __future__ import annotations

from collections import Counter

# What README.md ("What it finds in the reference document") explains, one entry per finding.
GENUINE = Counter({
    ("P.projects-total", "error"): 1,  # 8 project tables total 213.00, 项目支出 is 233.00
    ("C.admin-run", "warning"): 1,  # 2010301 行政运行 carries 169.00 of 项目支出
    ("C.name", "warning"): 1,  # 30112 其他社保保障缴费
    ("F.title", "warning"): 2,  # 临夏市人民政府政府办公室 in 表十二
    ("F.empty-note", "warning"): 2,  # 表十, 表十一 say nothing about being empty
    ("P.cost-cap", "info"): 1,  # ≤313.24万元 against a 45.00 project
})


def test_reference_yields_exactly_its_genuine_problems(baseline):
    assert Counter((f.rule, f.severity) for f in baseline.findings) == GENUINE


def test_the_one_error_names_both_sides(baseline):
    (error,) = baseline.errors
    cells = {str(p) for p in error.places}
    assert "表三!D5" in cells and "表十二!D31" in cells
    assert "213.00" in error.message and "233.00" in error.message and "20.00" in error.message


def test_outdated_name_shows_the_current_one(baseline):
    (name,) = [f for f in baseline.findings if f.rule == "C.name"]
    assert name.cell == "B15" and "其他社会保障缴费" in name.message
