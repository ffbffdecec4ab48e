"""Reader: exact money, blank apart from zero, renamed sheets, re-saved workbooks, bad files."""
from __future__ import annotations

from decimal import Decimal

import openpyxl
import pytest

from workbook import jobs, office
from workbook.errors import BudgetbookError
from workbook.grid import CalamineGrid, OpenpyxlGrid
from workbook.reader import read


def _figures(book):
    return {(t.sheet, row.addr(col)): value for t in book.tables.values()
            for row in t.rows for col, value in row.values.items()}


def test_blank_and_zero_stay_apart(filled_book):
    t3 = filled_book.tables["T3"]
    unit = next(r for r in t3.rows if r.kind == "unit")
    assert unit.values["carry"] is None  # blank in the reference
    assert t3.row("dept").values["carry"] == Decimal("0")


def test_frames_are_typed_and_keep_cell_addresses(filled_book):
    frames = filled_book.frames()
    assert len(frames) == 12
    t9 = frames["表九"]
    total = t9[t9.kind == "total"].iloc[0]
    assert total["total"] == Decimal("271.96") and isinstance(total["total"], Decimal)
    assert t9.attrs["sheet"] == "表九" and total["row"] == 5
    assert len(filled_book.projects_frame()) == 8


def test_calamine_reads_the_same_as_openpyxl(filled_xlsx):
    assert _figures(read(CalamineGrid(filled_xlsx))) == _figures(read(OpenpyxlGrid(filled_xlsx)))


def test_renamed_sheets_are_found_by_title(filled_xlsx):
    book = openpyxl.load_workbook(filled_xlsx)
    book["表七"].title = "基本支出"
    book["表二"].title = "Sheet3"
    book.save(filled_xlsx)
    result = read(OpenpyxlGrid(filled_xlsx))
    assert result.tables["T7"].sheet == "基本支出"
    assert result.tables["T2"].row("in.total").values["amount"] == Decimal("899.2")


def test_numbers_stored_as_text_are_reported_with_their_address(filled_xlsx):
    book = openpyxl.load_workbook(filled_xlsx)
    book["表六"]["D9"] = "574.38"
    book.save(filled_xlsx)
    result = read(OpenpyxlGrid(filled_xlsx))
    assert [(p.sheet, p.addr, p.kind) for p in result.problems] == [("表六", "D9", "text-number")]
    assert result.tables["T6"].row("r9").values["basic"] == Decimal("574.38")


def test_missing_table_is_named(filled_xlsx):
    book = openpyxl.load_workbook(filled_xlsx)
    del book["表五"]
    book.save(filled_xlsx)
    with pytest.raises(BudgetbookError, match="缺少 表五（财政拨款支出表）"):
        read(OpenpyxlGrid(filled_xlsx))
    assert read(OpenpyxlGrid(filled_xlsx), strict=False).missing == ["T5"]


@pytest.mark.parametrize("content,why", [(b"not a workbook", "不是 .xlsx"), (b"PK\x03\x04broken", "不是 .xlsx")])
def test_unreadable_files_give_one_sentence(tmp_path, content, why):
    path = tmp_path / "坏文件.xlsx"
    path.write_bytes(content)
    with pytest.raises(BudgetbookError) as info:
        OpenpyxlGrid(path)
    assert str(path) in str(info.value) and why in str(info.value)


def test_password_protected_workbook_is_named_as_such(tmp_path):
    path = tmp_path / "加密.xlsx"  # Excel stores an encrypted .xlsx as an OLE file with this stream
    path.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 64 + "EncryptedPackage".encode("utf-16-le"))
    with pytest.raises(BudgetbookError, match="设置了打开密码"):
        OpenpyxlGrid(path)


@pytest.mark.slow
@pytest.mark.skipif(office.find_soffice() is None, reason="LibreOffice (soffice) 未安装")
def test_workbook_saved_again_by_libreoffice_reads_the_same(filled_xlsx, tmp_path):
    saved = office.recalculate(filled_xlsx, tmp_path / "resaved.xlsx")
    assert _figures(read(OpenpyxlGrid(saved))) == _figures(read(OpenpyxlGrid(filled_xlsx)))
    t12 = read(OpenpyxlGrid(saved)).tables["T12"]
    assert [len(p.indicators) for p in t12.projects] == [6, 5, 6, 9, 7, 6, 5, 5]


@pytest.mark.slow
@pytest.mark.skipif(office.find_soffice() is None, reason="LibreOffice (soffice) 未安装")
def test_named_styles_survive_a_libreoffice_save(filled_xlsx, tmp_path):
    # LibreOffice writes more style records than named styles; openpyxl alone would mislink them
    saved = office.recalculate(filled_xlsx, tmp_path / "resaved.xlsx")
    from workbook.surfaces.openpyxl_book import OpenpyxlSurface  # jobs.open_file patches the package

    grid = OpenpyxlSurface(saved)
    assert grid.book["表三"]["B5"].style == "bb-derived"
    assert grid.book["表三"]["C7"].style == "bb-input"
    grid.save(tmp_path / "again.xlsx")
    again = openpyxl.load_workbook(tmp_path / "again.xlsx")
    assert again["表六"]["D9"].style == "bb-input" and again["表一"]["A1"].style == "bb-title"


def test_missing_tables_do_not_turn_into_disagreements(filled_xlsx):
    from workbook import checks

    book = openpyxl.load_workbook(filled_xlsx)
    del book["表二"], book["表六"]
    book.save(filled_xlsx)
    report = checks.run(read(OpenpyxlGrid(filled_xlsx), strict=False))
    rules = {f.rule for f in report.errors}
    assert "F.tables-present" in rules
    assert not rules & {"X.T1-T2.income", "X.T1-T6.class", "X.T4-T2.funds", "X.T4-T6.class"}


def test_deleted_lines_do_not_claim_the_note_row(filled_xlsx):
    book = openpyxl.load_workbook(filled_xlsx)
    book["表二"].delete_rows(8, 6)  # 四、… 九、 (unused lines) deleted by the accountant
    book.save(filled_xlsx)
    t2 = read(OpenpyxlGrid(filled_xlsx)).tables["T2"]
    assert t2.row("in.other") is None and t2.row("in.operating") is None
    assert all(row.r < t2.note_r for row in t2.rows)
    assert t2.row("in.total").values["amount"] == Decimal("899.2")


def test_department_is_what_most_titles_say(filled_xlsx):
    book = openpyxl.load_workbook(filled_xlsx)
    book["表一"]["A1"] = "临夏市政府办2023年部门收支总体情况表"  # one slip
    book.save(filled_xlsx)
    result = read(OpenpyxlGrid(filled_xlsx))
    assert (result.dept, result.year) == ("临夏市人民政府办公室", 2024)


def test_without_table_two_the_income_lines_of_table_one_tell_fiscal_money(planted, baseline):
    from conftest import new_findings

    def drop_table_two(book):
        del book["表二"]
        book["表一"]["B9"] = 50  # 五、事业收入: money no table breaks down by 类
        book["表一"]["D5"] = 857.38  # so 一般公共服务支出 is typed, 50.00 above 表六
    report = planted(mutate=drop_table_two)
    assert not new_findings(report, baseline, "X.T1-T6.class")
