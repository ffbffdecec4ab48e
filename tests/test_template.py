"""`budgetbook new`: all 12 tables, print-ready, input cells distinct from derived cells."""
from __future__ import annotations

import openpyxl
import pytest

from workbook import office, spec
from workbook.cli import main

TABLES = ["表一", "表二", "表三", "表四", "表五", "表六", "表七", "表八", "表九", "表十", "表十一", "表十二"]
# the guide, the 12 tables, then the inputs of the 情况说明 (workbook/info.py, written by the template)
SHEETS = ["填表说明", *TABLES, "基本情况"]


@pytest.fixture(scope="module")
def template(tmp_path_factory):
    path = tmp_path_factory.mktemp("new") / "模板.xlsx"
    assert main(["new", str(path), "--dept", "某某县财政局", "--year", "2025", "--projects", "2"]) == 0
    return path


def test_all_twelve_sheets_with_titles_and_notes(template):
    book = openpyxl.load_workbook(template)
    assert book.sheetnames == SHEETS
    assert book.active.title == "表一"  # the guide is one click to the left
    for table in spec.TABLES:
        ws = book[table.sheet]
        assert ws["A1"].value == f"某某县财政局2025年{table.name}"
        assert ws["A1"].style == "bb-title"
        notes = [c.value for c in ws["A"] if isinstance(c.value, str) and c.value.startswith("备注")]
        assert notes == [spec.NOTE], ws.title
        printed = sum(1 for c in table.cols if c.publish)  # 单位类型 of 表三 is a working column
        assert table.printed == printed
        assert ws.title == "表十二" or ws.cell(2, printed).value == "单位：万元"


def test_headers_are_merged_and_numbered(template):
    ws = openpyxl.load_workbook(template)["表五"]
    merged = {str(r) for r in ws.merged_cells.ranges}
    assert {"C3:E3", "F3:H3", "I3:K3", "A3:A4", "B3:B4"} <= merged
    assert [ws.cell(5, c).value for c in range(2, 12)] == list(range(1, 11))
    t8 = openpyxl.load_workbook(template)["表八"]
    assert "B3:F3" in {str(r) for r in t8.merged_cells.ranges}  # “三公”经费 over five columns
    assert t8["E4"].value == "公务用车购置和运行费" and t8["E5"].value == "公务用车购置费"


def test_input_cells_unlocked_and_styled_apart_from_derived(template):
    ws = openpyxl.load_workbook(template)["表三"]
    total, unit_basic = ws["B5"], ws["C7"]  # 总计 支出合计 / the unit's 基本支出
    assert total.style == "bb-derived" and total.protection.locked
    assert unit_basic.style == "bb-input" and not unit_basic.protection.locked
    assert total.fill.fgColor.rgb != unit_basic.fill.fgColor.rgb
    assert unit_basic.number_format == "#,##0.00"


def test_print_setup(template):
    for ws in openpyxl.load_workbook(template).worksheets[1:]:
        assert ws.page_setup.orientation == "landscape"
        assert str(ws.page_setup.paperSize) == ws.PAPERSIZE_A4
        assert ws.page_setup.fitToWidth == 1 and ws.sheet_properties.pageSetUpPr.fitToPage
        assert ws.print_title_rows and ws.print_title_rows.startswith("$1:")
        assert "&P" in ws.oddFooter.center.text
    assert openpyxl.load_workbook(template)["表六"].freeze_panes == "A6"


def test_performance_sheet_has_whole_block_and_project_blocks(template):
    ws = openpyxl.load_workbook(template)["表十二"]
    column_a = [c.value for c in ws["A"]]
    assert column_a.count("项目名称") == 2 and column_a.count("部门名称") == 1
    assert column_a.count("绩效指标") == 3


def test_refuses_to_overwrite_an_existing_file(template, capsys):
    assert main(["new", str(template), "--dept", "甲", "--year", "2025"]) == 2
    assert "已存在" in capsys.readouterr().err


@pytest.mark.slow
@pytest.mark.skipif(office.find_soffice() is None, reason="LibreOffice (soffice) 未安装，无法验证真实应用能打开模板")
def test_libreoffice_opens_and_saves_the_template(template, tmp_path):
    out = office.recalculate(template, tmp_path / "saved.xlsx")
    book = openpyxl.load_workbook(out)
    assert book.sheetnames == SHEETS
    assert book["表三"].protection.sheet and not book["表三"]["C7"].protection.locked
    assert book["表一"]["A1"].value == "某某县财政局2025年部门收支总体情况表"


def test_totals_are_protected_by_excel_itself_but_rows_can_be_added(template):
    book = openpyxl.load_workbook(template)
    for name in TABLES:
        protection = book[name].protection
        assert protection.sheet and not protection.password, name
        assert not protection.insertRows and not protection.deleteRows  # False: allowed
    assert not book["填表说明"].protection.sheet


def test_unit_type_is_chosen_from_a_list_and_not_published(template):
    ws = openpyxl.load_workbook(template)["表三"]
    assert ws["F3"].value == "单位类型"
    [rule] = ws.data_validations.dataValidation
    assert rule.formula1 == '"行政,参公,事业,其他"' and "F7" in rule.sqref
    assert not ws["F7"].protection.locked


def test_guide_explains_colours_and_order_of_work(template):
    text = "".join(str(c.value) for row in openpyxl.load_workbook(template)["填表说明"].iter_rows() for c in row
                   if c.value)
    for words in ("浅蓝色", "浅灰色", "填充合计", "校验并标记", "导出", "单位类型", "备注行"):
        assert words in text


def test_enough_rows_for_the_reference_table_seven(template):
    from workbook import example

    ws = openpyxl.load_workbook(template)["表七"]
    rows = [r for r in range(6, ws.max_row) if ws.cell(r, 1).style == "bb-text-input"]
    assert len(rows) >= len(example.reference().rows["T7"]) + 2
