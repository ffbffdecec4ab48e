"""A large department for the PDF layout tests: long code tables, many units and projects.

Built from tests.departments.scaled (the reference department's codes, many more of them) with
figures on most rows so that the rows print, a few used lines left at 0.00 and a few lines at
zero throughout, empty reserved rows under 表六/七/十/十一, and 表十二 blocks of 5–15 indicators
plus one block taller than a page. The figures need not add up across tables: the tests export
it with force=True.
"""
from __future__ import annotations

from decimal import Decimal

from workbook.content import Content, Indicator, NamedRow, Project

from departments import scaled

UNITS = 44
LEVELS = ("成本指标", "产出指标", "效益指标", "满意度指标")
TALL_PROJECT = 4  # index of the project taller than a page
ZERO_T6 = "2010101"  # a 表六 leaf that is used (basic 12.00) with project 0.00
UNUSED_T6 = "2010102"  # a 表六 leaf at zero in every column: printed blank


def _indicators(n: int, tag: str) -> list[Indicator]:
    return [Indicator(LEVELS[min(i * len(LEVELS) // n, 3)], f"二级指标{i % 3 + 1}",
                      f"{tag}三级指标{i + 1:02d}", f"≥{90 + i % 10}%") for i in range(n)]


def large(dept: str = "某县教育局", year: int = 2024) -> Content:
    content = scaled(10)
    content.dept, content.year = dept, year
    money = lambda i: Decimal(10 + (i * 37) % 90) + Decimal(i % 100) / 100  # noqa: E731
    for tid in ("T6", "T7"):
        for i, row in enumerate(content.rows[tid]):
            if not row.values:  # a roll-up: fill adds it up
                continue
            if tid == "T6":
                row.values = {"basic": money(i), "project": money(i + 5) if i % 3 else None}
            else:
                row.values = {"total": money(i)}
    for row in content.rows["T6"]:
        if row.code == ZERO_T6:
            row.values = {"basic": Decimal("12.00"), "project": Decimal("0.00")}
        if row.code == UNUSED_T6:
            row.values = {"basic": Decimal("0.00"), "project": Decimal("0.00")}
    names = [f"{dept}{'' if i == 0 else f'第{i:02d}学校'}" for i in range(UNITS)]
    content.rows["T3"] = [NamedRow(n, {"basic": money(i), "project": money(i + 1), "carry": Decimal("0")})
                          for i, n in enumerate(names)]
    content.rows["T5"] = [NamedRow(n, {"gp_basic": money(i), "gp_project": money(i + 1),
                                       "gf_project": Decimal("3.00") if i == 2 else None})
                          for i, n in enumerate(names)]
    content.rows["T8"] = [NamedRow(n, {"abroad": Decimal("1.00"), "car_run": money(i) / 10})
                          for i, n in enumerate(names)]
    content.projects = []
    for p in range(9):
        count = 40 if p == TALL_PROJECT else 5 + (p * 4) % 11
        content.projects.append(Project(
            name=f"测试项目{p + 1:02d}", unit=names[p % UNITS],
            funds={"current": Decimal(20 + p), "carry": Decimal("0.00"), "other": Decimal("0.00")},
            goal=f"项目{p + 1}的总体目标：" + "完成年度建设任务，保障各学校正常运转。" * (1 + p % 3),
            indicators=_indicators(count, f"P{p + 1}")))
    content.whole.dept_name = dept
    content.whole.indicators = _indicators(12, "整体")
    content.blank_rows = 6
    return content
