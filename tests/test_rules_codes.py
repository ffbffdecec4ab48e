"""Classification-code rules (C.*): one planted fault per rule in the filled reference example.

Cells of the filled example used here: 表六 A7 201, A8 20103, A9 2010301 行政运行 (E9 项目支出
169.00), A10 2010399, A11 208, A12 20805, A13 2080505, A14 210, A15 21011, A16-A18 2101101/03/99;
表七 A7 301 … A15 30112 (B15 其他社保保障缴费), A17 302, A18-A27 30201 … 30239, A28 303,
A29 30305, A30 310, A31 31002; 表九 B6-B20 "[30201]办公费" … "[31002]办公设备购置".
"""
from __future__ import annotations

from openpyxl import Workbook

from conftest import finding_cells as cells
from conftest import assert_found_new, new_findings
from conftest import one_new as only
from workbook.catalog import load_catalog_file
from workbook.checks import REGISTRY


# --- the reference example -------------------------------------------------------------------

def test_reference_reports_exactly_its_genuine_code_problems(baseline):
    codes = [f for f in baseline.findings if f.rule.startswith("C.")]
    assert sorted((f.rule, str(f.places[0])) for f in codes) == [
        ("C.admin-run", "表六!E9"), ("C.name", "表七!B15")]
    name = next(f for f in codes if f.rule == "C.name")
    assert name.severity == "warning"
    assert "其他社保保障缴费" in name.message and "其他社会保障缴费" in name.message
    assert name.expected == "其他社会保障缴费"
    admin = next(f for f in codes if f.rule == "C.admin-run")
    assert admin.severity == "warning" and "2010301" in admin.message and "169.00" in admin.message


def test_rules_have_ids_titles_and_templates():
    ours = [r for r in REGISTRY if r.id.startswith("C.")]
    assert 9 <= len(ours) <= 13  # C.suggest and C.edition: checks/suggest.py
    for rule in ours:
        assert rule.title and rule.template and rule.tables and rule.severity in ("error", "warning")


# --- one planted fault per rule -------------------------------------------------------------

def test_code_format(planted, baseline):
    f = only(planted({"表六!A16": "210111"}), baseline, "C.code-format", "表六!A16", "error")
    assert "210111" in f.message


def test_code_as_number(planted, baseline):
    report = planted({"表六!A13": "2.08E+06"})
    f = only(report, baseline, "C.code-as-number", "表六!A13", "error")
    assert "科学计数法" in f.message
    assert not new_findings(report, baseline, "C.code-format")  # one typo, one finding


def test_code_known_economic(planted, baseline):
    # a name that is no catalogued code's: a name that is one gets C.suggest instead (test_rules_suggest.py)
    f = only(planted({"表七!A20": "30210", "表七!B20": "杂项费"}), baseline, "C.code-known", "表七!A20", "error")
    assert "不是有效的经济分类科目" in f.message


def test_name(planted, baseline):
    f = only(planted({"表六!B16": "行政单位医疗费"}), baseline, "C.name", "表六!B16", "warning")
    assert "“行政单位医疗”" in f.message and f.expected == "行政单位医疗"


def test_hierarchy_missing_kuan(planted, baseline):
    report = planted(mutate=lambda wb: wb["表六"].delete_rows(8))  # 20103 gone
    f = only(report, baseline, "C.hierarchy", "表六!A8", "error")
    assert "表六!A9" in cells(f) and "20103" in f.message


def test_duplicate(planted, baseline):
    f = only(planted({"表七!A9": "30101"}), baseline, "C.duplicate", "表七!A9", "error")
    assert "表七!A8" in cells(f) and "2 次" in f.message


def test_leaf_level(planted, baseline):
    report = planted(mutate=lambda wb: wb["表六"].delete_rows(13))  # 2080505 gone
    f = only(report, baseline, "C.leaf-level", "表六!A12", "warning")
    assert "表六!D12" in cells(f) and "项" in f.message


def test_personnel_class(planted, baseline):
    report = planted({"表七!A31": "39999", "表七!B31": "其他支出"})
    f = only(report, baseline, "C.personnel-class", "表七!A31", "warning")
    assert "39999" in f.message and "4.00" in f.message


def _admin_run_with_project(wb):
    ws = wb["表六"]
    ws.insert_rows(11, 2)
    for addr, value in {"A11": "20101", "B11": "人大事务", "C11": 12, "D11": 0, "E11": 12,
                        "A12": "2010101", "B12": "行政运行", "C12": 12, "D12": 0, "E12": 12}.items():
        ws[addr] = value


def test_admin_run(planted, baseline):
    f = only(planted(mutate=_admin_run_with_project), baseline, "C.admin-run", "表六!E12", "warning")
    assert "2010101" in f.message and "12.00" in f.message


def test_t9_item(planted, baseline):
    f = only(planted({"表九!B8": "[30101]基本工资"}), baseline, "C.t9-item", "表九!B8", "warning")
    assert "30101" in f.message


def test_other_whole(planted, baseline):
    report = planted({"表七!A29": "30399", "表七!B29": "其他对个人和家庭的补助"})
    f = only(report, baseline, "C.other-whole", "表七!C29", "warning")
    assert "表七!C28" in cells(f) and "9.26" in f.message


def test_other_whole_not_for_the_other_item_of_an_other_class(planted, baseline):
    # 2089999 is all of 20899 其他社会保障和就业支出: that 款 is itself "其他", nothing to detail
    report = planted({"表六!A12": "20899", "表六!B12": "其他社会保障和就业支出",
                      "表六!A13": "2089999", "表六!B13": "其他社会保障和就业支出"})
    found = assert_found_new(report, baseline, "C.other-whole")
    assert [f.places[0].cell for f in found] == ["C12"]  # only 20899, which is all of 208
    # the same 项 under an ordinary 款 is still reported
    report = planted({"表六!A13": "2080599", "表六!B13": "其他行政事业单位养老支出"})
    only(report, baseline, "C.other-whole", "表六!C13", "warning")


# --- more cases, several independent faults per workbook to keep the suite fast ----------------

def test_format_variants(planted, baseline):
    report = planted({"表六!A17": None, "表七!A8": "3010101", "表六!A18": "２１０１１９９",
                      "表六!A13": 2080000})
    blank = only(report, baseline, "C.code-format", "表六!A17", "error")
    assert "为空" in blank.message and "公务员医疗补助" in blank.message
    assert "表七" in only(report, baseline, "C.code-format", "表七!A8", "error").message
    assert "2101199" in only(report, baseline, "C.code-format", "表六!A18", "error").message
    # a code saved as a number and rounded (2.08E+06 -> 2080000): reported once, not as unknown
    only(report, baseline, "C.code-as-number", "表六!A13", "error")
    assert not [f for f in new_findings(report, baseline, "C.code-known") if "表六!A13" in cells(f)]


def test_known_and_level_variants(planted, baseline):
    report = planted({"表六!A10": "2010398", "表六!B10": "杂项事务", "表六!A14": "225", "表九!B8": "[30210]杂项费"},
                     mutate=lambda wb: wb["表七"].delete_rows(29))  # 30305 gone: 303 holds the figures
    known = only(report, baseline, "C.code-known", "表六!A10", "warning").message
    assert "未在目录中" in known and "2024 年" in known and "--catalog" in known
    assert "225" in only(report, baseline, "C.code-known", "表六!A14", "error").message
    only(report, baseline, "C.code-known", "表九!B8", "error")
    f = only(report, baseline, "C.leaf-level", "表七!A28", "warning")
    assert "表七!C28" in cells(f) and "款" in f.message


def test_name_variants(planted, baseline):
    report = planted({"表一!C11": "七、文化体育与传媒支出", "表四!C12": "（七）文化体育与传媒支出",
                      "表九!B8": "[30205]水电费",
                      # spacing and half-width brackets are not a different name
                      "表七!B22": "维修(护)费", "表六!B9": " 行政 运行"})
    for cell in ("表一!C11", "表四!C12"):
        f = only(report, baseline, "C.name", cell, "warning")
        assert "文化旅游体育与传媒支出" in f.message and "207" in f.message
    assert "“水费”" in only(report, baseline, "C.name", "表九!B8", "warning").message
    assert len(new_findings(report, baseline, "C.name")) == 3


def _structure_faults(wb):
    wb["表七"].delete_rows(28)  # 303 gone: 30305 (now row 28) has no 类 row
    wb["表六"]["A13"], wb["表六"]["B13"] = "2010302", "一般行政管理事务"  # a 201 项 inside the 208 block
    wb["表六"]["A16"] = "2101199"  # repeats 2101199 of row 18
    wb["表九"]["B10"] = "[30201]办公费"  # repeats row 6
    wb["表九"]["B8"] = "水费"  # no code


def test_structure_variants(planted, baseline):
    report = planted(mutate=_structure_faults)
    assert "303" in only(report, baseline, "C.hierarchy", "表七!A28", "error").message
    assert "20103" in only(report, baseline, "C.hierarchy", "表六!A13", "error").message
    assert "表六!A18" in cells(only(report, baseline, "C.duplicate", "表六!A16", "error"))
    assert "表九!B6" in cells(only(report, baseline, "C.duplicate", "表九!B10", "error"))
    assert "[30201]" in only(report, baseline, "C.t9-item", "表九!B8", "warning").message


# --- a finance bureau's catalogue ------------------------------------------------------------

def _bureau(tmp_path, rows):
    wb = Workbook()
    ws = wb.active
    ws.append(["科目编码", "科目名称"])
    for row in rows:
        ws.append(list(row))
    path = tmp_path / "bureau.xlsx"
    wb.save(path)
    return load_catalog_file(path)


def test_bureau_catalogue_is_complete_and_renames(planted, baseline, tmp_path):
    """Without it 2010398 is only "未在目录中" (test_known_and_level_variants)."""
    bureau = _bureau(tmp_path, [("2010301", "行政运行"), ("2101199", "其他行政事业单位医疗保障支出"),
                                ("30112", "其他社会保障缴费")])
    report = planted({"表六!A10": "2010398", "表六!B10": "杂项事务"}, catalog=bureau)
    f = only(report, baseline, "C.code-known", "表六!A10", "error")
    assert "不是有效的功能分类科目" in f.message
    f = only(report, baseline, "C.name", "表六!B18", "warning")
    assert "其他行政事业单位医疗保障支出" in f.message
    # codes the bureau list does not name keep the bundled names: nothing else is new
    assert [str(x.places[0]) for x in new_findings(report, baseline, "C.name")] == ["表六!B18"]
    assert len(new_findings(report, baseline, "C.code-known")) == 1


def test_a_miscoded_row_is_one_finding_at_its_row(planted, baseline):
    # 2010399 printed as "7 01 03 99" (no 类 701): the row stays in its 款 20103 by position,
    # so no total above it disagrees; only the code is reported, at its row
    report = planted({"表六!A10": "7010399"})
    new = [f for f in report.findings if (f.rule, f.places, f.message) not in
           {(b.rule, b.places, b.message) for b in baseline.findings}]
    assert new and {str(p) for f in new for p in f.places} == {"表六!A10"}, [(f.rule, f.places) for f in new]
    assert {f.rule for f in new} <= {"C.code-known", "C.suggest"}


def test_fill_never_rewrites_a_total_for_a_miscoded_row(filled_xlsx):
    import openpyxl

    from workbook import jobs
    from workbook.grid import OpenpyxlGrid
    from workbook.reader import read

    book = openpyxl.load_workbook(filled_xlsx)
    book["表六"]["A10"] = "7010399"
    book.save(filled_xlsx)
    assert jobs.fill(read(OpenpyxlGrid(filled_xlsx))).changes == []
