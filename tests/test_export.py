"""workbook.export against the real LibreOffice and poppler: what leaves the office is clean.

One marked-up copy of the filled example is exported once per module (xlsx + pdf + eml) and
inspected by several tests; each soffice call costs about 1.5–3 s.
"""
from __future__ import annotations

import email
import os
import re
import shutil
import stat
import subprocess
import tempfile
import zipfile
from email import policy
from pathlib import Path

import openpyxl
import pytest
from openpyxl.comments import Comment
from openpyxl.formatting.rule import CellIsRule
from openpyxl.styles import Font, PatternFill
from openpyxl.workbook.defined_name import DefinedName
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.formula import ArrayFormula

from conftest import pdf_fonts
from workbook import office, spec
from workbook.errors import BudgetbookError
from workbook.export import ExportRefused, export, export_name
from workbook.grid import OpenpyxlGrid
from workbook.reader import read

pytestmark = pytest.mark.slow  # LibreOffice: seconds per call

needs_soffice = pytest.mark.skipif(
    office.find_soffice() is None,
    reason=f"LibreOffice (soffice) 未安装，PDF 与重新计算的测试跳过；请运行 {office.INSTALL_HINT} poppler-utils",
)

DEPT, YEAR = "临夏市人民政府办公室", 2024
NAME = f"{DEPT}{YEAR}年部门预算公开表"
MARK_COLOURS = ("FFC7CE", "FFEB9C")  # the highlight fills of workbook.marks
WORKING_COLOURS = ("DDEBF7", "F2F2F2")  # the template's input blue and derived grey
ARTIFACTS = Path(__file__).parent / "artifacts"


def one_sentence(exc: pytest.ExceptionInfo, *parts: str) -> str:
    msg = str(exc.value)
    assert "\n" not in msg and msg.endswith("。") and "Traceback" not in msg, msg
    for part in parts:
        assert part in msg, msg
    return msg


def edit(src: Path, out: Path, change) -> Path:
    """Copy src to out through openpyxl with `change(workbook)` applied."""
    wb = openpyxl.load_workbook(src)
    change(wb)
    wb.save(out)
    return out


def plant_marks(wb) -> None:
    """What workbook.marks and a user leave behind: notes, fills, a findings sheet, hidden data."""
    t1, t6 = wb["表一"], wb["表六"]
    t1["B5"].comment = Comment("与表二不一致", "budgetbook")
    t6["C9"].comment = Comment("行合计不等", "budgetbook")
    t6["C9"].fill = PatternFill("solid", start_color="FFC7CE", end_color="FFC7CE")
    t1["B5"].fill = PatternFill("solid", start_color="FFEB9C", end_color="FFEB9C")
    t6["D9"].font = Font(name="宋体", size=10, color="FF0000")
    t1.conditional_formatting.add("B5:B20", CellIsRule(operator="greaterThan", formula=["0"],
                                                       fill=PatternFill("solid", start_color="FFC7CE")))
    dv = DataValidation(type="list", formula1="'[科目.xlsx]Sheet1'!$A$1:$A$9")
    t6.add_data_validation(dv)
    dv.add("A9:A20")
    t1["A5"].hyperlink = "file:///C:/财务/底稿.xlsx"
    findings = wb.create_sheet("校验结果")
    findings.append(["级别", "位置", "说明"])
    findings.append(["错误", "表六!C9", "行合计不等"])
    hidden = wb.create_sheet("_budgetbook_marks")
    hidden["A1"] = "表六!C9"
    hidden.sheet_state = "veryHidden"
    wb.defined_names["外部科目"] = DefinedName("外部科目", attr_text="'[科目.xlsx]Sheet1'!$A$1")


def cells(ws) -> dict[str, object]:
    return {c.coordinate: c.value for row in ws.iter_rows() for c in row if c.value is not None}


def money(ws) -> dict[str, float]:
    return {k: round(v, 2) for k, v in cells(ws).items() if isinstance(v, (int, float))}


@pytest.fixture(scope="module")
def source(_example_files, tmp_path_factory) -> Path:
    """The filled example with marks planted: the input of the module's export."""
    folder = tmp_path_factory.mktemp("marked")
    return edit(_example_files[1], folder / "marked.xlsx", plant_marks)


@pytest.fixture(scope="module")
def published(source, tmp_path_factory):
    outdir = tmp_path_factory.mktemp("published")
    # force: the reference example has genuine error findings once all rules are in.
    result = export(source, outdir, pdf=office.find_soffice() is not None, eml=True, force=True,
                    sender="会计科 <kuaiji@example.gov.cn>")
    return result


@pytest.fixture(scope="module")
def out_wb(published):
    return openpyxl.load_workbook(published.xlsx)


@pytest.fixture(scope="module")
def src_wb(_example_files):
    return openpyxl.load_workbook(_example_files[1])


# --- the clean .xlsx ---------------------------------------------------------------------------


def test_written_files_and_forced_flag(published, source):
    assert published.xlsx.name == f"{NAME}.xlsx"
    assert published.eml.name == f"{NAME}.eml"
    assert published.forced == bool(published.report.errors)
    assert sorted(p.name for p in published.xlsx.parent.iterdir()) == sorted(p.name for p in published.written)
    mode = stat.S_IMODE(published.xlsx.stat().st_mode)
    assert mode & stat.S_IRUSR and mode & stat.S_IRGRP  # not a private temp-file mode
    lines = published.lines()
    assert any(line == f"已导出 {published.xlsx}" for line in lines)
    if published.forced:
        assert any("--force" in line for line in lines)


def test_zip_holds_the_12_tables_and_nothing_else(published):
    with zipfile.ZipFile(published.xlsx) as z:
        names = z.namelist()
        workbook_xml = z.read("xl/workbook.xml").decode()
        sheet_xml = "".join(z.read(n).decode() for n in names if n.startswith("xl/worksheets/sheet"))
        styles_xml = z.read("xl/styles.xml").decode().upper()
    # The fonts, fills and differential formats in use (not the built-in indexed colour palette).
    styles_xml = "".join(m.group(0) for m in re.finditer(r"<(FONTS|FILLS|DXFS)\b.*?</\1>", styles_xml, re.S))
    assert "<FILLS" in styles_xml and "<FONTS" in styles_xml
    assert "xl/vbaProject.bin" not in names
    assert not [n for n in names if re.search(r"comments|vmlDrawing|externalLink|drawings/", n)]
    # attribute order differs with and without lxml (python-docx brings it): read each tag's attributes
    sheets = [(re.search(r'\bname="([^"]+)"', tag)[1], re.search(r'\bstate="([^"]+)"', tag)[1])
              for tag in re.findall(r"<sheet\b[^>]*>", workbook_xml)]
    assert sheets == [(t.sheet, "visible") for t in spec.TABLES]
    assert "externalReference" not in workbook_xml
    defined = re.findall(r'<definedName name="([^"]+)"', workbook_xml)
    assert set(defined) <= {"_xlnm.Print_Titles", "_xlnm.Print_Area"}
    assert "科目.xlsx" not in workbook_xml + sheet_xml
    for part in ("<f>", "<f ", "dataValidation", "conditionalFormatting", "hyperlink", "legacyDrawing"):
        assert part not in sheet_xml, part
    for colour in MARK_COLOURS + WORKING_COLOURS + ("FF0000",):
        assert colour not in styles_xml, colour


def test_black_on_white(out_wb):
    wb = out_wb
    for ws in wb.worksheets:
        for row in ws.iter_rows():
            for cell in row:
                assert cell.fill.fill_type is None, f"{ws.title}!{cell.coordinate}"
                colour = cell.font.color  # none, or the default font's theme "text 1" (black)
                assert colour is None or (colour.type, colour.theme) == ("theme", 1), f"{ws.title}!{cell.coordinate}"
    # The template's look otherwise stays: bold titles, money format, borders, merges.
    t1 = wb["表一"]
    assert t1["A1"].font.b and t1["A1"].font.sz == 16
    assert t1["B5"].number_format == "#,##0.00"
    assert t1["B5"].border.left.style == "thin"
    assert "A1:D1" in {str(r) for r in t1.merged_cells.ranges}


def _zero_or_blank(value) -> bool:
    return value is None or (isinstance(value, (int, float)) and value == 0)


def test_values_are_plain_and_equal_the_input(out_wb, src_wb):
    """Every text and every figure is published as typed or filled; only zero cells may turn blank
    or blank cells 0.00 (tests/test_pdf_layout.py checks which, by the reference's rules). The
    example has no unused reserved rows, so no row moves."""
    out, src = out_wb, src_wb
    for table in spec.TABLES:
        working = {table.letter(c.key) for c in table.cols if not c.publish}  # 表三's 单位类型
        mine = cells(out[table.sheet])
        theirs = {a: v for a, v in cells(src[table.sheet]).items() if a.rstrip("0123456789") not in working}
        for addr in set(mine) | set(theirs):
            a, b = mine.get(addr), theirs.get(addr)
            assert a == b or (_zero_or_blank(a) and _zero_or_blank(b)), (table.sheet, addr, a, b)
    assert out["表三"].max_column == 5 and out["表三"]["F3"].value is None
    for ws in out.worksheets:
        assert not [c for row in ws.iter_rows() for c in row if c.data_type == "f"]
    assert out["表六"]["A9"].value == "2010301" and out["表六"]["A9"].number_format == "@"
    # The indicator value "=100%" is text the accountant wrote, published as text.
    assert "=100%" in [c.value for row in out["表十二"].iter_rows() for c in row]


def test_properties_and_print_setup(out_wb, src_wb):
    wb = out_wb
    props = wb.properties
    assert props.title == NAME
    assert props.creator == DEPT
    assert DEPT in props.keywords and str(YEAR) in props.keywords
    assert str(YEAR) in props.subject
    src = src_wb
    for table in spec.TABLES:
        ws = wb[table.sheet]
        assert ws.page_setup.orientation == "landscape"
        assert str(ws.page_setup.paperSize) == ws.PAPERSIZE_A4
        # one fixed scale for the whole set (one text size), manual breaks: tests/test_pdf_layout.py
        assert not ws.sheet_properties.pageSetUpPr.fitToPage
        assert 50 <= int(ws.page_setup.scale) <= 100 and ws.page_setup.scale == wb["表一"].page_setup.scale
        assert ws.print_title_rows == src[table.sheet].print_title_rows
        assert ws.oddFooter.center.text == "第 &P 页 共 &N 页"
        assert ws.freeze_panes == src[table.sheet].freeze_panes


@needs_soffice
def test_libreoffice_recalculation_gives_the_same_numbers(published, out_wb, tmp_path):
    recalculated = office.recalculate(published.xlsx, tmp_path / "recalc.xlsx")
    ours = out_wb
    theirs = openpyxl.load_workbook(recalculated, data_only=True)
    assert theirs.sheetnames == [t.sheet for t in spec.TABLES]
    for table in spec.TABLES:
        mine = money(ours[table.sheet])
        assert mine, table.sheet
        assert money(theirs[table.sheet]) == mine, table.sheet
    assert ours["表一"]["B5"].value == theirs["表一"]["B5"].value == pytest.approx(899.20)


# --- PDF -----------------------------------------------------------------------------------


@needs_soffice
def test_pdf_embeds_cjk_and_shows_titles_and_totals(published):
    assert published.pdf is not None and published.pdf.name == f"{NAME}.pdf"
    fonts = pdf_fonts(published.pdf)
    assert any(f["emb"] and re.search(r"WenQuanYi|Noto\w*CJK|Source ?Han|SimSun|WQY", f["name"], re.I)
               for f in fonts), fonts
    text = re.sub(r"\s+", "", office.pdf_text(published.pdf))
    for table in spec.TABLES:
        assert re.sub(r"\s+", "", table.title(DEPT, YEAR)) in text, table.sheet
    for total in ("899.20", "666.20", "271.96"):
        assert total in text
    assert "第1页共" in text
    for leftover in ("校验结果", "与表二不一致"):
        assert leftover not in text


@needs_soffice
def test_pdf_first_page_rendered(published):
    if shutil.which("pdftoppm") is None:
        pytest.skip(f"pdftoppm 未安装：{office.POPPLER_HINT}")
    ARTIFACTS.mkdir(exist_ok=True)
    prefix = ARTIFACTS / "export-page"
    subprocess.run(["pdftoppm", "-r", "60", "-png", "-f", "1", "-l", "1", str(published.pdf), str(prefix)],
                   check=True, timeout=60)
    pngs = list(ARTIFACTS.glob("export-page*.png"))
    assert pngs and pngs[0].read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


# --- e-mail draft --------------------------------------------------------------------------


def test_eml_draft_carries_the_exported_files(published):
    msg = email.message_from_bytes(published.eml.read_bytes(), policy=policy.default)
    assert msg["Subject"] == NAME
    assert msg["X-Unsent"] == "1"
    assert msg["From"].addresses[0].addr_spec == "kuaiji@example.gov.cn"
    files = [p for p in (published.xlsx, published.pdf) if p is not None]
    got = {p.get_filename(): p.get_content() for p in msg.iter_attachments()}
    assert got == {f.name: f.read_bytes() for f in files}
    body = msg.get_body(("plain",)).get_content()
    assert all(f.name in body for f in files)


# --- refusal and --force -------------------------------------------------------------------


@pytest.fixture(scope="module")
def planted_error(_example_files, tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("planted")
    return edit(_example_files[1], folder / "planted.xlsx", lambda wb: wb["表六"].__setitem__("D9", 600))


def test_refuses_while_an_error_remains(planted_error, tmp_path):
    with pytest.raises(ExportRefused) as exc:
        export(planted_error, tmp_path, pdf=True, eml=True)
    assert list(tmp_path.iterdir()) == []
    refused = exc.value
    assert refused.exit_code == 1 and not isinstance(refused, BudgetbookError)
    assert refused.errors and all(f.severity == "error" for f in refused.errors)
    planted = [f for f in refused.errors if f.rule == "T6.row-sum"]
    assert planted and str(planted[0].places[0]) == "表六!C9"
    text = refused.text()
    assert "表六!C9" in text and "--force" in text and "未导出任何文件" in text


def test_force_exports_and_says_so(planted_error, tmp_path):
    result = export(planted_error, tmp_path, force=True)
    assert result.forced and result.xlsx.exists()
    assert any("--force" in line for line in result.lines())
    assert any("表六!C9" in line for line in result.lines())
    assert openpyxl.load_workbook(result.xlsx)["表六"]["D9"].value == 600


# --- formulas and macros in the input ------------------------------------------------------


def _formulas(wb) -> None:
    """Two totals as formulas: a row sum on 表六 and a cross-sheet reference on 表一."""
    wb["表六"]["C6"] = "=D6+E6"
    wb["表一"]["B5"] = "=表二!B5"


@needs_soffice
def test_formulas_are_published_as_their_results(_example_files, tmp_path):
    edited = edit(_example_files[1], tmp_path / "formulas.xlsx", _formulas)
    (tmp_path / "saved").mkdir()
    saved = office.recalculate(edited, tmp_path / "saved" / "formulas.xlsx")  # results stored
    result = export(saved, tmp_path, force=True)  # force: the example has genuine errors
    wb = openpyxl.load_workbook(result.xlsx)
    assert wb["表六"]["C6"].data_type == "n" and wb["表六"]["C6"].value == pytest.approx(899.20)
    assert wb["表一"]["B5"].value == pytest.approx(899.20)


def test_formula_without_saved_result_is_refused(_example_files, tmp_path):
    (tmp_path / "in").mkdir()
    edited = edit(_example_files[1], tmp_path / "in" / "formulas.xlsx", _formulas)  # no results
    with pytest.raises(BudgetbookError) as exc:
        export(edited, tmp_path, force=True)
    one_sentence(exc, "表一!B5", "表六!C6", "没有保存计算结果")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["in"]


@needs_soffice
def test_formula_with_an_error_result_is_refused(_example_files, tmp_path):
    def broken(wb):
        wb["表六"]["D7"] = "=1/0"  # a money cell
        wb["表一"]["A3"] = "=NA()"  # a text cell of a table: an error is not publishable either

    edited = edit(_example_files[1], tmp_path / "broken.xlsx", broken)
    (tmp_path / "saved").mkdir()
    saved = office.recalculate(edited, tmp_path / "saved" / "broken.xlsx")  # results stored: the errors
    out = tmp_path / "out"
    out.mkdir()
    with pytest.raises(BudgetbookError) as exc:
        export(saved, out, force=True)
    one_sentence(exc, "表一!A3（#N/A）、表六!D7（#DIV/0!）", "公式计算出错")
    assert exc.value.exit_code == 2
    assert list(out.iterdir()) == []


def _array_formula(wb) -> None:
    wb["表六"]["C6"] = ArrayFormula("C6", "=SUM(D6:E6)")


def test_array_formula_without_saved_result_is_refused(_example_files, tmp_path):
    (tmp_path / "in").mkdir()
    edited = edit(_example_files[1], tmp_path / "in" / "array.xlsx", _array_formula)
    with pytest.raises(BudgetbookError) as exc:
        export(edited, tmp_path, force=True)
    one_sentence(exc, "表六!C6", "没有保存计算结果")


@needs_soffice
def test_array_formula_is_published_as_its_result(_example_files, tmp_path):
    edited = edit(_example_files[1], tmp_path / "array.xlsx", _array_formula)
    (tmp_path / "saved").mkdir()
    saved = office.recalculate(edited, tmp_path / "saved" / "array.xlsx")
    result = export(saved, tmp_path, force=True)
    cell = openpyxl.load_workbook(result.xlsx)["表六"]["C6"]
    assert cell.data_type == "n" and cell.value == pytest.approx(899.20)


def test_xlsm_input_gives_xlsx_without_macros(_example_files, tmp_path):
    xlsm = tmp_path / "in.xlsm"
    with zipfile.ZipFile(_example_files[1]) as z:
        parts = {i.filename: z.read(i) for i in z.infolist()}
    parts["[Content_Types].xml"] = parts["[Content_Types].xml"].replace(
        b"application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml",
        b"application/vnd.ms-excel.sheet.macroEnabled.main+xml").replace(
        b"<Default ", b'<Default Extension="bin" ContentType="application/vnd.ms-office.vbaProject"/><Default ', 1)
    parts["xl/_rels/workbook.xml.rels"] = parts["xl/_rels/workbook.xml.rels"].replace(
        b"</Relationships>", b'<Relationship Id="rIdVba" Target="vbaProject.bin" '
        b'Type="http://schemas.microsoft.com/office/2006/relationships/vbaProject"/></Relationships>')
    parts["xl/vbaProject.bin"] = b"\xd0\xcf\x11\xe0" + os.urandom(512)
    with zipfile.ZipFile(xlsm, "w", zipfile.ZIP_DEFLATED) as z:
        for name, data in parts.items():
            z.writestr(name, data)
    assert "xl/vbaProject.bin" in zipfile.ZipFile(xlsm).namelist()
    assert openpyxl.load_workbook(xlsm, keep_vba=True).vba_archive is not None  # a real .xlsm
    out = tmp_path / "out"
    out.mkdir()
    result = export(xlsm, out, force=True)
    assert result.xlsx.suffix == ".xlsx"
    with zipfile.ZipFile(result.xlsx) as z:
        assert "xl/vbaProject.bin" not in z.namelist()
        assert b"macroEnabled" not in z.read("[Content_Types].xml")


# --- bad input and nothing lost ------------------------------------------------------------


def test_missing_output_folder_is_made_one_level_deep(filled_xlsx, tmp_path):
    result = export(filled_xlsx, tmp_path / "导出", force=True)
    assert result.xlsx.parent == tmp_path / "导出" and result.xlsx.is_file()
    with pytest.raises(BudgetbookError) as exc:
        export(filled_xlsx, tmp_path / "没有这个文件夹" / "导出", force=True)
    one_sentence(exc, "上一级文件夹", "不存在")
    assert not (tmp_path / "没有这个文件夹").exists()


def test_refused_export_makes_no_folder(planted_error, tmp_path):
    with pytest.raises(ExportRefused):
        export(planted_error, tmp_path / "导出")
    assert not (tmp_path / "导出").exists()


def test_output_folder_is_a_file(filled_xlsx, tmp_path):
    with pytest.raises(BudgetbookError) as exc:
        export(filled_xlsx, filled_xlsx, force=True)
    one_sentence(exc, "不是文件夹")


def unprivileged(work):
    """`work()`'s result or exception, run with the rights of the user nobody when this is root
    (root may write into any folder; CI runs as root): in a forked child that drops its user and
    groups first and sends the outcome back through a pipe. What `work` imports must already be
    loaded: nobody cannot read root's interpreter."""
    if not hasattr(os, "geteuid") or os.geteuid() != 0:
        try:
            return "returned", work()
        except Exception as exc:  # noqa: BLE001  (the caller asserts which)
            return "raised", exc
    import pickle
    import pwd

    nobody = pwd.getpwnam("nobody")
    read_end, write_end = os.pipe()
    pid = os.fork()
    if pid == 0:  # the child: never returns into pytest
        try:
            os.close(read_end)
            os.setgroups([])
            os.setgid(nobody.pw_gid)
            os.setuid(nobody.pw_uid)
            try:
                outcome = ("returned", work())
            except Exception as exc:  # noqa: BLE001
                outcome = ("raised", exc)
            with os.fdopen(write_end, "wb") as pipe:
                pickle.dump(outcome, pipe)
        finally:
            os._exit(0)
    os.close(write_end)
    with os.fdopen(read_end, "rb") as pipe:
        data = pipe.read()
    os.waitpid(pid, 0)
    return pickle.loads(data)


def test_unwritable_output_folder(filled_xlsx):
    shared = Path(tempfile.mkdtemp(prefix="bb-unwritable-"))  # pytest's tmp_path is root's alone
    try:
        shared.chmod(0o755)
        src = Path(shutil.copy(filled_xlsx, shared / "预算.xlsx"))
        src.chmod(0o644)
        export(src, shared / "first", force=True)  # loads everything an export needs, as this user
        locked = shared / "locked"
        locked.mkdir()
        locked.chmod(0o555)
        kind, outcome = unprivileged(lambda: export(src, locked, force=True))
        assert kind == "raised" and isinstance(outcome, BudgetbookError), outcome
        msg = str(outcome)
        assert "\n" not in msg and msg.endswith("。") and "权限" in msg and str(locked) in msg, msg
        assert list(locked.iterdir()) == []
    finally:
        shutil.rmtree(shared, ignore_errors=True)


def test_department_name_not_allowed_in_file_names(_example_files, tmp_path):
    def rename(wb):
        for ws in wb.worksheets:
            ws["A1"] = str(ws["A1"].value).replace(DEPT, "临夏市/人民政府办公室")

    edited = edit(_example_files[1], tmp_path / "slash.xlsx", rename)
    out = tmp_path / "out"
    out.mkdir()
    with pytest.raises(BudgetbookError) as exc:
        export(edited, out, force=True)
    one_sentence(exc, "临夏市/人民政府办公室", "不允许的字符 /")
    assert list(out.iterdir()) == []
    with pytest.raises(BudgetbookError, match=r"不允许的字符 : \*"):
        export_name('财政局:2*', 2024)


def test_never_overwrites_the_input(_example_files, tmp_path):
    src = Path(shutil.copy(_example_files[1], tmp_path / f"{NAME}.xlsx"))
    before = src.read_bytes()
    with pytest.raises(BudgetbookError) as exc:
        export(src, tmp_path, force=True)
    one_sentence(exc, "输入文件")
    assert src.read_bytes() == before
    assert [p.name for p in tmp_path.iterdir()] == [src.name]


def test_failed_save_leaves_no_half_file_and_keeps_the_previous_export(filled_xlsx, tmp_path, monkeypatch):
    out = tmp_path / "out"
    out.mkdir()
    previous = out / f"{NAME}.xlsx"
    previous.write_bytes(b"earlier export")

    def broken_save(self, filename):
        Path(filename).write_bytes(b"PK half")
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(openpyxl.Workbook, "save", broken_save)
    with pytest.raises(BudgetbookError) as exc:
        export(filled_xlsx, out, force=True, overwrite=True)
    one_sentence(exc, "无法写入")
    assert [p.name for p in out.iterdir()] == [previous.name]
    assert previous.read_bytes() == b"earlier export"


def test_no_libreoffice_still_writes_the_xlsx(filled_xlsx, tmp_path, monkeypatch):
    monkeypatch.setenv(office.SOFFICE_ENV, str(tmp_path / "没有" / "soffice"))
    out = tmp_path / "out"
    out.mkdir()
    result = export(filled_xlsx, out, pdf=True, eml=True, force=True)
    assert result.pdf is None and result.xlsx.exists()
    [warning] = result.warnings
    assert office.INSTALL_HINT in warning and warning.endswith("。") and "\n" not in warning
    assert warning in result.lines()
    msg = email.message_from_bytes(result.eml.read_bytes(), policy=policy.default)
    assert [p.get_filename() for p in msg.iter_attachments()] == [result.xlsx.name]


@pytest.mark.skipif(os.name != "posix", reason="需要 POSIX shell 脚本模拟崩溃的 LibreOffice")
def test_libreoffice_crash_keeps_the_xlsx(filled_xlsx, tmp_path, monkeypatch):
    fake = tmp_path / "soffice"
    fake.write_text("#!/bin/sh\nkill -SEGV $$\n")
    fake.chmod(0o755)
    monkeypatch.setenv(office.SOFFICE_ENV, str(fake))
    out = tmp_path / "out"
    out.mkdir()
    with pytest.raises(BudgetbookError) as exc:
        export(filled_xlsx, out, pdf=True, eml=True, force=True)
    one_sentence(exc, "PDF", f"{NAME}.xlsx 已导出")
    assert exc.value.exit_code == 2
    assert [p.name for p in out.iterdir()] == [f"{NAME}.xlsx"]
    assert exc.value.written == [out / f"{NAME}.xlsx"]
    assert read(OpenpyxlGrid(out / f"{NAME}.xlsx")).dept == DEPT


def test_an_earlier_export_is_replaced_only_when_asked(filled_xlsx, tmp_path):
    out = tmp_path / "out"
    out.mkdir()
    earlier = out / f"{NAME}.xlsx"
    earlier.write_bytes(b"edited by hand after the last export")
    with pytest.raises(BudgetbookError) as exc:
        export(filled_xlsx, out, force=True)
    one_sentence(exc, "已存在", "--overwrite")
    assert earlier.read_bytes() == b"edited by hand after the last export"
    assert export(filled_xlsx, out, force=True, overwrite=True).xlsx == earlier
    assert read(OpenpyxlGrid(earlier)).dept == DEPT


def test_overwrite_leaves_exactly_the_new_export(filled_xlsx, tmp_path):
    """An export with a PDF, the 情况说明 and a draft, then one with the tables only: the folder
    holds the new .xlsx alone, never an older PDF or draft beside it that disagrees with it."""
    out = tmp_path / "out"
    first = export(filled_xlsx, out, pdf=True, eml=True, narrative=True, force=True)
    other = out / "说明.txt"
    other.write_text("not ours")
    assert len(first.written) >= 4
    second = export(filled_xlsx, out, force=True, overwrite=True)
    assert sorted(p.name for p in out.iterdir()) == sorted([second.xlsx.name, other.name])
    removed = [line for line in second.lines() if line.startswith("已删除上次导出的")]
    assert len(removed) == len(first.written) - 1


def _dept_codes(xlsx: Path) -> list[str]:
    ws = openpyxl.load_workbook(xlsx)["表十二"]
    return [ws.cell(r, 2).value for r in range(1, ws.max_row + 1) if ws.cell(r, 1).value == "主管部门及代码"]


def test_dept_code_fills_every_project_block(filled_xlsx, tmp_path):
    """主管部门及代码, blank in every project block of the example, is typed once: --dept-code, or
    the 基本情况 sheet's 部门代码; the working workbook is not touched."""
    given = export(filled_xlsx, tmp_path / "a", force=True, dept_code="401001")
    codes = _dept_codes(given.xlsx)
    assert len(codes) == 8 and set(codes) == {f"[401001]{DEPT}"}

    from workbook.narrative.sheet import find

    typed = tmp_path / "typed.xlsx"
    wb = openpyxl.load_workbook(filled_xlsx)
    ws = wb[find(OpenpyxlGrid(filled_xlsx))]
    row = next(r for r in range(1, ws.max_row + 1) if str(ws.cell(r, 1).value or "").startswith("部门代码"))
    ws.cell(row, 2).value = "401002"
    wb.save(typed)
    assert set(_dept_codes(export(typed, tmp_path / "b", force=True).xlsx)) == {f"[401002]{DEPT}"}
    assert set(_dept_codes(export(filled_xlsx, tmp_path / "c", force=True).xlsx)) == {None}  # none given: blank
