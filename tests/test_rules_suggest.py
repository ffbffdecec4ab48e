"""C.suggest (the code an unknown 款/项's name belongs to) and C.edition (the catalogue edition).

Cells of the filled example used here: 表六 A9 2010301 行政运行, A10 2010399, A16-A18
2101101/03/99; 表七 A20 30207 邮电费; 表九 B8 "[30205]水费" (see test_rules_codes.py).
"""
from __future__ import annotations

from dataclasses import replace

import pytest
from openpyxl import Workbook

from conftest import finding_cells as cells
from conftest import assert_found, new_findings
from conftest import one_new as only
from workbook import checks
from workbook.catalog import Catalog, economic, functional, load_catalog_file


def none_at(report, baseline, rule: str, cell: str):
    assert not [f for f in new_findings(report, baseline, rule) if cell in cells(f)]


# --- the lookup --------------------------------------------------------------------------------

@pytest.mark.parametrize("code, name, meant", [
    ("2050209", "初中教育", "2050203"),  # the same name under the same 款
    ("2050209", " 初中 教育 ", "2050203"),  # spacing is not a different name
    ("2050209", "初中教育支出", "2050203"),  # a trailing 支出 dropped
    ("2010398", "其他政府办公厅（室）及相关机构事务", "2010399"),
    ("2010398", "其他政府办公厅(室)及相关机构事务支出", "2010399"),  # half-width brackets
    ("2050209", "初中教育经费", "2050203"),  # close, and close to nothing else under 20502
    ("2010397", "初中教育", "2050203"),  # elsewhere: the one 项 of that name in the catalogue
    ("20598", "普通教育", "20502"),  # a 款
])
def test_functional_suggestions(code, name, meant):
    assert functional().suggest(code, name) == meant


@pytest.mark.parametrize("code, name", [
    ("2050203", "初中教育"),  # a known code: C.name compares its name
    ("2050203", "小学教育"),
    ("225", "卫生健康支出"),  # a 类 has no parent to anchor it: C.code-known
    ("2990101", "行政运行"),  # parent not catalogued
    ("2059901", "行政运行"),  # 20599 has no 行政运行, and 行政运行 is under many 款
    ("2050209", "教育"),  # close to several
    ("2050209", ""),
    ("2050209", None),
    ("2050209", "杂项"),
    ("20x", "初中教育"),
])
def test_no_functional_suggestion(code, name):
    assert functional().suggest(code, name) is None


def test_economic_suggestions():
    eco = economic()
    assert eco.suggest("30210", "邮电费") == "30207"
    assert eco.suggest("30210", "维修(护)费") == "30213"
    assert eco.suggest(30298, "其他商品和服务") == "30299"
    assert eco.suggest("30210", "办公用品费") is None
    assert eco.suggest("30510", "办公费") is None  # 305 is no economic 类


def test_suggestion_from_a_bureau_list():
    bureau = Catalog({"201": "一般公共服务支出", "20103": "政府办公厅（室）及相关机构事务",
                      "2010301": "行政运行", "2010302": "一般行政管理事务"}, "2024", "局发目录", True)
    assert bureau.suggest("2010308", "一般行政管理事务") == "2010302"


# --- the rule on the filled example ------------------------------------------------------------

def test_clean_example_gets_no_suggestion_and_no_edition_warning(baseline):
    assert not [f for f in baseline.findings if f.rule in ("C.suggest", "C.edition")]


def test_wrong_item_code_with_its_name(planted, baseline):
    report = planted({"表六!A9": "2010397"})
    f = only(report, baseline, "C.suggest", "表六!A9", "warning")
    assert f.message == "科目编码 2010397 不在目录中，名称“行政运行”对应 2010301 行政运行，是否应为 2010301？"
    assert f.expected == "2010301" and f.actual == "2010397"
    none_at(report, baseline, "C.code-known", "表六!A9")  # one finding for the cell


def test_wrong_item_code_named_elsewhere(planted, baseline):
    report = planted({"表六!A10": "2010398", "表六!B10": "初中教育"})
    f = only(report, baseline, "C.suggest", "表六!A10", "warning")
    assert "“初中教育”对应 2050203 初中教育，是否应为 2050203？" in f.message


def test_economic_code(planted, baseline):
    report = planted({"表七!A20": "30210"})  # B20 邮电费
    f = only(report, baseline, "C.suggest", "表七!A20", "error")  # the economic list is complete
    assert f.message == "科目编码 30210 不在目录中，名称“邮电费”对应 30207 邮电费，是否应为 30207？"
    none_at(report, baseline, "C.code-known", "表七!A20")


def test_t9_item(planted, baseline):
    report = planted({"表九!B8": "[30210]水费"})
    f = only(report, baseline, "C.suggest", "表九!B8", "error")
    assert "是否应为 30205？" in f.message and "“水费”" in f.message
    none_at(report, baseline, "C.code-known", "表九!B8")


def test_several_at_once_and_no_guess(planted, baseline):
    report = planted({"表六!A17": "2101104",  # B17 公务员医疗补助
                      "表六!A18": "2101198", "表六!B18": "杂项医疗",  # a name that is no code's
                      "表七!A24": "30230", "表七!B24": "福利费用"})  # close to 30229 福利费
    assert "是否应为 2101103？" in only(report, baseline, "C.suggest", "表六!A17", "warning").message
    assert "是否应为 30229？" in only(report, baseline, "C.suggest", "表七!A24", "error").message
    none_at(report, baseline, "C.suggest", "表六!A18")
    assert "未在目录中" in only(report, baseline, "C.code-known", "表六!A18", "warning").message
    assert len(new_findings(report, baseline, "C.suggest")) == 2


def _bureau(tmp_path):
    wb = Workbook()
    wb.active.append(["科目编码", "科目名称"])
    wb.active.append(["2010301", "行政运行"])
    path = tmp_path / "bureau.xlsx"
    wb.save(path)
    return load_catalog_file(path)


def test_with_a_bureau_list_the_suggestion_is_an_error(planted, baseline, tmp_path):
    report = planted({"表六!A9": "2010397"}, catalog=_bureau(tmp_path))
    only(report, baseline, "C.suggest", "表六!A9", "error")


# --- C.edition ---------------------------------------------------------------------------------

def _run_as(book, year, **options):
    return checks.run(replace(book, year=year), **options)


@pytest.mark.parametrize("year, used", [(2027, 2025), (2023, 2024)])
def test_year_without_an_edition_is_warned(filled_book, year, used):
    found = assert_found(_run_as(filled_book, year), "C.edition", severity="warning")
    assert len(found) == 1
    f = found[0]
    assert str(f.places[0]) == "表一!A1"
    assert f.message.startswith(f"本工具内置 2024、2025 年政府收支分类科目目录，工作簿年度为 {year} 年，按 {used} 年目录校验")
    assert "财政部门下发" in f.message


@pytest.mark.parametrize("year", [2024, 2025])
def test_covered_years_are_not_warned(filled_book, year):
    assert not [f for f in _run_as(filled_book, year).findings if f.rule == "C.edition"]


def test_a_bureau_list_covers_any_year(filled_book, tmp_path):
    report = _run_as(filled_book, 2027, catalog=_bureau(tmp_path))
    assert not [f for f in report.findings if f.rule == "C.edition"]


def test_the_year_picks_the_edition(filled_book, monkeypatch):
    seen = []
    from workbook.checks import suggest

    original = suggest.CodeSuggest.check

    def spy(self, ctx):
        seen.append(ctx.functional.edition)
        return original(self, ctx)

    monkeypatch.setattr(suggest.CodeSuggest, "check", spy)
    for year in (2024, 2025, 2027):
        _run_as(filled_book, year)
    assert seen == ["2024", "2025", "2025"]
