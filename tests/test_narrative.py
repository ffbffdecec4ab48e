"""`budgetbook narrative`: the 情况说明 written from the tables, the 基本情况 sheet and last year.

The oracle is the reference disclosure (shared/seeds): its correct figures must appear, its
slips (shares 74.08/25.92, "三公 25 万元", percentages on this year's base) must not.
"""
from __future__ import annotations

import re
import subprocess
import sys
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path

import openpyxl
import pytest
from docx import Document
from docx.oxml.ns import qn
from docx.shared import Pt

from workbook import example, template
from workbook.content import NamedRow
from workbook.grid import OpenpyxlGrid, save_atomic
from workbook.narrative.compose import Footnote
from workbook.narrative import job, sheet
from workbook.narrative.facts import shares
from workbook.reader import read

CENT = Decimal("0.01")


def bb(*args):
    return subprocess.run([sys.executable, "-m", "workbook.cli", *map(str, args)], capture_output=True, text=True)


def pct(part, base) -> str:
    return f"{(Decimal(part) / Decimal(base) * 100).quantize(CENT, ROUND_HALF_UP)}%"


@pytest.fixture(scope="module")
def example_read(_example_files):
    grid = OpenpyxlGrid(_example_files[0])  # input cells only: the figures need no fill first
    return read(grid), sheet.read(grid)


@pytest.fixture(scope="module")
def result(example_read):
    book, info = example_read
    return job.narrative(book, info=info)


@pytest.fixture(scope="module")
def text(result) -> str:
    return result.text()


# --- the 基本情况 sheet -------------------------------------------------------------------------

def test_template_has_the_inputs_sheet_after_the_tables(tmp_path):
    path = tmp_path / "模板.xlsx"
    assert bb("new", path, "--dept", "某某县财政局", "--year", "2025").returncode == 0
    book = openpyxl.load_workbook(path)
    assert book.sheetnames[-2:] == ["表十二", sheet.SHEET]
    ws = book[sheet.SHEET]
    assert ws["A1"].value == "某某县财政局2025年部门预算公开情况说明·基本情况"
    rows = {c.value: c.row for c in ws["A"] if c.value}
    basic = "基本支出（一般公共预算，表六）"  # last year's figure of the same money as this year's (表六)
    for label in ("部门职责", "内设机构", "政府采购货物预算", "公务用车数量（辆）", "落款日期", basic,
                  "项目支出（一般公共预算，表六）", "机关运行经费"):
        assert label in rows, label
    assert ws.cell(rows["部门职责"], 2).style == "bb-text-input"
    assert ws.cell(rows["政府采购货物预算"], 2).style == "bb-input"
    assert ws.cell(rows[basic], 3).style == "bb-input" and ws.cell(rows[basic], 4).style == "bb-text-input"
    assert ws.cell(rows["“三公”经费"], 3).style == "bb-derived"  # the sum of its parts, not typed
    assert not ws.cell(rows["部门职责"], 2).protection.locked


def test_example_sheet_reads_back_and_the_tables_read_as_before(_example_files, baseline):
    from workbook.narrative.reference import reference

    grid = OpenpyxlGrid(_example_files[0])
    info, given = sheet.read(grid), reference()
    assert (info.values, info.prior, info.reasons, info.items) == (given.values, given.prior, given.reasons, given.items)
    assert len(read(grid).tables) == 12 and baseline.findings  # the reader and checker ignore the sheet


def test_tables_renamed_are_not_looked_for_in_the_inputs_sheet(example_xlsx):
    book = openpyxl.load_workbook(example_xlsx)
    book["表一"].title = "收支总表"
    book.move_sheet(sheet.SHEET, offset=-len(book.sheetnames) + 1)  # the inputs sheet first
    book.save(example_xlsx)
    assert read(OpenpyxlGrid(example_xlsx)).tables["T1"].sheet == "收支总表"


def test_renamed_sheet_is_found_by_its_title(example_xlsx):
    book = openpyxl.load_workbook(example_xlsx)
    book[sheet.SHEET].title = "说明素材"
    book.save(example_xlsx)
    assert sheet.read(OpenpyxlGrid(example_xlsx)).text("duties").startswith("协助市政府领导")


# --- figures ----------------------------------------------------------------------------------

def test_reference_figures_and_shares_that_add_up(text, result):
    assert "2024年部门收支总预算899.20万元" in text
    assert "基本支出666.20万元，占74.09%" in text and "项目支出233.00万元，占25.91%" in text
    assert "上年结转0.00万元，占0.00%" in text
    assert "74.08%" not in text and "25.92%" not in text  # the reference's own slips
    notes = [part.text for para in result.paragraphs for part in para.parts if isinstance(part, Footnote)]
    assert len(notes) == 1 and "合计为100.00%" in notes[0]  # it says how the shares are rounded, once
    spending = re.search(r"2024年支出预算[^。]*", text).group(0)
    assert sum(Decimal(x) for x in re.findall(r"占(\d+\.\d\d)%", spending)) == 100


def test_largest_remainder_shares_add_up_where_rounding_does_not():
    parts = [Decimal(1), Decimal(1), Decimal(1)]  # 33.33 each by rounding: 99.99
    assert sum(shares(parts)) == 100 and sorted(shares(parts)) == [Decimal("33.33"), Decimal("33.33"), Decimal("33.34")]


def test_functional_lines_in_code_order_with_catalogue_names(text):
    lines = re.findall(r"^\d+\.(.*?（\d+类）.*?)\d{4}年预算数为([\d.]+)万元", text, re.M)
    assert [name for name, _ in lines][0] == "一般公共服务支出（201类）政府办公厅（室）及相关机构事务（03款）行政运行（01项）"
    assert [amount for _, amount in lines] == ["743.38", "64.00", "59.99", "25.43", "5.64", "0.76"]
    # the catalogue's name, not the table's typo-free or not: 2101199 is "…医疗支出"
    assert "其他行政事业单位医疗支出（99项）" in text


def test_sangong_is_the_sum_of_its_parts(text):
    assert "“三公”经费预算31.00万元（其中：因公出国（境）费用25.00万元，公务接待费0.00万元，公务用车购置及运行维护费6.00万元）" in text
    assert "三公”经费预算25" not in text


def test_changes_on_last_years_base_from_the_sheet(text):
    # 2023 基本支出 = 666.20 + 138.38 (the reference's own stated change): 138.38 / 804.58, not / 666.20
    assert f"2024年基本支出666.20万元，比2023年预算减少138.38万元，下降{pct('138.38', '804.58')}" in text
    assert pct("138.38", "666.20") not in text
    assert f"减少12.00万元，下降{pct(12, 245)}" in text and pct(12, 233) not in text
    assert f"机关运行经费271.96万元（详见第三部分表九），比2023年预算减少114.64万元，下降{pct('114.64', '386.60')}" in text


def test_zero_base_and_no_change_are_said_honestly(text):
    abroad = re.search(r"1\.因公出国（境）费用[^。]*。", text).group(0)
    assert "新增" in abroad and "无此项" in abroad and "%" not in abroad  # no "增长100%" on a zero base
    assert "2.公务接待费0.00万元，与2023年预算持平。" in text


def test_projects_listed_from_table_twelve(text, result):
    assert "共安排项目8个" in text and "2024年度政务专网费45.00万元" in text
    assert result.figures["projects"] == 8
    assert "9个" not in text


def test_every_input_given_no_placeholder_and_nothing_to_report(result, text):
    assert "【请填写" not in text and result.report.findings == []
    # the example's one table error (the ninth project's missing table) is not stated as fact
    [verify] = result.placeholders
    assert result.to_check == [verify] and "213.00" in str(verify) and "233.00" in str(verify)
    assert str(verify) in text and "表三!D5" in verify.where
    assert "2024年2月25日" in text.splitlines()[-1]


# --- last year's workbook ---------------------------------------------------------------------

def _last_year(tmp_path: Path):
    """The example as a 2023 workbook with other figures; returns its path and its content."""
    content = example.reference()
    content.year = 2023
    content.info = None
    for row in content.rows["T6"]:
        if row.code == "2010301":
            row.values = {"basic": Decimal("600.00"), "project": Decimal("100.00")}
    content.rows["T6"] = [r for r in content.rows["T6"] if r.code != "2101199"]  # no such 项 in 2023
    content.rows["T8"] = [NamedRow(content.dept, {"abroad": Decimal("10.00"), "car_run": Decimal("6.00")})]
    path = tmp_path / "2023.xlsx"
    save_atomic(template.build(content), path)
    return path, content


def test_prior_workbook_gives_last_years_figures(example_read, tmp_path):
    book, info = example_read
    path, last = _last_year(tmp_path)
    text = job.narrative(book, read(OpenpyxlGrid(path)), info=info).text()
    # 2010301: 743.38 this year, 600 + 100 last year: an increase, on last year's base
    assert f"行政运行（01项）2024年预算数为743.38万元，比2023年预算增加43.38万元，增长{pct('43.38', 700)}" in text
    assert f"1.因公出国（境）费用25.00万元，比2023年预算增加15.00万元，增长{pct(15, 10)}" in text
    assert "公务员医疗补助（03项）2024年预算数为5.64万元，与2023年预算持平" in text
    assert "其他行政事业单位医疗支出（99项）2024年预算数为0.76万元，比2023年预算增加0.76万元（2023年预算无此项，为新增）" in text
    # 基本支出 of last year is its workbook's 表六, not the sheet's 上年预算数
    last_basic = sum(r.values.get("basic", Decimal(0)) for r in last.rows["T6"])
    fall = Decimal("666.20") - last_basic
    assert f"2024年基本支出666.20万元，比2023年预算{'减少' if fall < 0 else '增加'}{abs(fall):.2f}万元，" \
           f"{'下降' if fall < 0 else '增长'}{pct(abs(fall), last_basic)}" in text


def test_prior_of_the_wrong_year_is_refused(example_xlsx, tmp_path):
    result = bb("narrative", example_xlsx, "--prior", example_xlsx, "-o", tmp_path / "说明.docx")
    assert result.returncode == 2 and "2024 年的预算，不是 2023 年" in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1 and not (tmp_path / "说明.docx").exists()


# --- the Word document ------------------------------------------------------------------------

@pytest.fixture(scope="module")
def docx_file(_example_files, tmp_path_factory):
    out = tmp_path_factory.mktemp("narrative") / "情况说明.docx"
    result = bb("narrative", _example_files[0], "-o", out)
    assert result.returncode == 1 and "尚有 1 处需要核对" in result.stdout, result.stdout + result.stderr
    assert "已写出" in result.stdout
    return out


def _east_asia(run) -> str | None:
    fonts = run._r.rPr.find(qn("w:rFonts"))
    return fonts.get(qn("w:eastAsia")) if fonts is not None else None


def test_docx_headings_in_the_reference_structure(docx_file):
    doc = Document(str(docx_file))
    headings = [(p.style.name, p.text) for p in doc.paragraphs if p.style.name.startswith("Heading")]
    names = [text for _, text in headings]
    for wanted in ("第一部分 部门概况", "一、部门职责", "二、机构设置情况", "第二部分 2024年部门预算情况说明",
                   "一、收支总体情况", "二、一般公共预算情况", "五、政府采购安排情况", "六、国有资产占用情况",
                   "七、其他重要事项情况说明", "八、预算绩效管理情况", "九、名词解释", "第三部分 2024年部门预算公开表"):
        assert wanted in names, wanted
    assert ("Heading 2", "一、收支总体情况") in headings and ("Heading 3", "（一）收入预算") in headings
    assert names.index("第一部分 部门概况") < names.index("一、收支总体情况") < names.index("九、名词解释")


def test_docx_fonts_sizes_and_page(docx_file):
    doc = Document(str(docx_file))
    body = [p for p in doc.paragraphs if p.style.name == "Normal" and p.text.startswith("2024年基本支出")]
    assert body
    for run in body[0].runs:
        assert _east_asia(run) == "仿宋_GB2312" and run.font.name == "仿宋_GB2312" and run.font.size == Pt(16)
    assert body[0].paragraph_format.first_line_indent == Pt(32)  # two characters
    heading = next(p for p in doc.paragraphs if p.text == "一、收支总体情况" and p.style.name == "Heading 2")
    assert all(_east_asia(r) == "黑体" and r.font.size == Pt(16) for r in heading.runs)
    style_fonts = doc.styles["Heading 2"].element.rPr.find(qn("w:rFonts"))
    assert style_fonts.get(qn("w:eastAsia")) == "黑体" and style_fonts.get(qn("w:eastAsiaTheme")) is None
    contents = next(p for p in doc.paragraphs if p.text == "一、部门收支总体情况表")
    assert contents.runs[0].font.size == Pt(12)  # 小四: the longest line fits
    section = doc.sections[0]
    assert (round(section.page_width.cm, 1), round(section.page_height.cm, 1)) == (21.0, 29.7)
    margins = (section.top_margin, section.bottom_margin, section.left_margin, section.right_margin)
    assert [round(m.cm, 1) for m in margins] == [3.7, 3.5, 2.8, 2.6]  # GB/T 9704 (stored in twips)
    assert "PAGE" in section.footer._element.xml
    assert doc.core_properties.title == "临夏市人民政府办公室2024年部门预算公开情况说明"
    assert not any("【请填写" in p.text for p in doc.paragraphs)


def test_refuses_to_overwrite_without_force(docx_file, _example_files):
    before = docx_file.read_bytes()
    result = bb("narrative", _example_files[0], "-o", docx_file)
    assert result.returncode == 2 and "已存在" in result.stderr and docx_file.read_bytes() == before
    assert bb("narrative", _example_files[0], "-o", docx_file.with_suffix(".doc")).returncode == 2


# --- missing inputs ---------------------------------------------------------------------------

def _cell_of(path: Path, label: str) -> str:
    ws = openpyxl.load_workbook(path)[sheet.SHEET]
    return next(f"{c.coordinate}" for c in ws["A"] if c.value == label)


def test_missing_inputs_keep_placeholders_and_exit_1(example_xlsx, tmp_path):
    book = openpyxl.load_workbook(example_xlsx)
    ws = book[sheet.SHEET]
    duties = next(c.row for c in ws["A"] if c.value == "部门职责")
    basic = next(c.row for c in ws["A"] if c.value == "基本支出（一般公共预算，表六）")
    ws.cell(duties, 2).value = None
    ws.cell(basic, 4).value = None  # the reason of the 基本支出 change
    book.save(example_xlsx)
    out = tmp_path / "说明.docx"
    result = bb("narrative", example_xlsx, "-o", out)
    assert result.returncode == 1, result.stderr
    assert f"【请填写：部门职责】 → 基本情况!B{duties}" in result.stdout
    assert f"【请填写：基本支出增减原因】 → 基本情况!D{basic}" in result.stdout
    assert "尚有 2 处需要填写、1 处需要核对" in result.stdout
    doc = Document(str(out))  # written all the same, the gaps visible and highlighted
    gaps = [r for p in doc.paragraphs for r in p.runs if r.text.startswith("【请填写")]
    assert [r.text for r in gaps] == ["【请填写：部门职责】", "【请填写：基本支出增减原因】"]
    assert all(r.font.highlight_color is not None for r in gaps)


def test_blank_template_asks_for_everything_and_invents_nothing(tmp_path):
    path = tmp_path / "模板.xlsx"
    assert bb("new", path, "--dept", "某某县财政局", "--year", "2025").returncode == 0
    result = bb("narrative", path, "-o", tmp_path / "说明.docx")
    assert result.returncode == 1
    for wanted in ("部门职责", "基本支出2024年预算数", "落款日期", "其他重要事项", "政府采购货物预算"):
        assert f"【请填写：{wanted}】" in result.stdout
    text = "\n".join(p.text for p in Document(str(tmp_path / "说明.docx")).paragraphs)
    assert "某某县财政局" in text and "2025年部门预算公开情况说明" in text


def test_bad_inputs_name_the_cell(example_xlsx, tmp_path):
    book = openpyxl.load_workbook(example_xlsx)
    ws = book[sheet.SHEET]
    row = next(c.row for c in ws["A"] if c.value == "落款日期")
    ws.cell(row, 2).value = "二月底"
    book.save(example_xlsx)
    result = bb("narrative", example_xlsx, "-o", tmp_path / "说明.docx")
    assert result.returncode == 2 and f"基本情况!B{row}（落款日期）" in result.stderr and "Traceback" not in result.stderr
    ws.cell(row, 2).value = "2024年2月25日"
    goods = next(c.row for c in ws["A"] if c.value == "政府采购货物预算")
    ws.cell(goods, 2).value = "四十八"
    book.save(example_xlsx)
    result = bb("narrative", example_xlsx, "-o", tmp_path / "说明.docx")
    assert result.returncode == 2 and f"基本情况!B{goods}" in result.stderr and "四十八" in result.stderr


def test_signing_date_of_another_year_is_reported(example_xlsx, tmp_path):
    book = openpyxl.load_workbook(example_xlsx)
    ws = book[sheet.SHEET]
    row = next(c.row for c in ws["A"] if c.value == "落款日期")
    ws.cell(row, 2).value = "2023年2月25日"  # as the reference disclosure has it
    book.save(example_xlsx)
    result = bb("narrative", example_xlsx, "-o", tmp_path / "说明.docx")
    assert result.returncode == 1 and "N.date" in result.stdout and "2023年2月25日" in result.stdout


# --- export -----------------------------------------------------------------------------------

def test_export_puts_the_narrative_beside_the_tables_and_in_the_draft(filled_xlsx, tmp_path):
    from email import policy
    from email.parser import BytesParser

    out = tmp_path / "导出"
    out.mkdir()
    result = bb("export", filled_xlsx, "--out", out, "--eml", "--force", "--narrative")
    assert result.returncode == 0, result.stderr
    docx = out / "临夏市人民政府办公室2024年部门预算公开情况说明.docx"
    assert f"已导出 {docx}" in result.stdout
    text = "\n".join(p.text for p in Document(str(docx)).paragraphs)
    assert "基本支出666.20万元，占74.09%" in text
    draft = BytesParser(policy=policy.default).parse((out / "临夏市人民政府办公室2024年部门预算公开表.eml").open("rb"))
    attached = {part.get_filename(): part.get_content() for part in draft.iter_attachments()}
    assert attached[docx.name] == docx.read_bytes()
    assert docx.name in draft.get_body(("plain",)).get_content()
    # an earlier 情况说明 (perhaps edited by hand since) is replaced only with --overwrite
    for old in out.glob("*公开表.*"):
        old.unlink()
    again = bb("export", filled_xlsx, "--out", out, "--force", "--narrative")
    assert again.returncode == 2 and f"{docx} 已存在" in again.stderr and not list(out.glob("*公开表.*"))


def test_rounding_note_is_one_footnote(docx_file):
    """The note on rounded shares is said once, at the foot of the page, not in every sentence."""
    import zipfile

    from workbook.narrative.compose import SHARES_NOTE

    doc = Document(str(docx_file))
    assert not any("最大余额法" in p.text for p in doc.paragraphs)
    with zipfile.ZipFile(docx_file) as z:
        notes = z.read("word/footnotes.xml").decode("utf-8")
        body = z.read("word/document.xml").decode("utf-8")
    assert notes.count(SHARES_NOTE) == 1 and body.count("<w:footnoteReference") == 1


def test_every_contents_line_fits_on_one_line(docx_file):
    """No contents line wraps and leaves a character alone on the next (e.g. 表)."""
    from workbook.narrative import word

    doc = Document(str(docx_file))
    section = doc.sections[0]
    width = (section.page_width - section.left_margin - section.right_margin) / 12700  # points
    _, _, size, _, indent = word.LAYOUT["toc"]
    per_line = width / word.SIZE[size].pt
    toc = [p.text for p in doc.paragraphs if p.style.name == "Normal" and p.text[:3] and "、" in p.text[:4]
           and len(p.text) < 40]
    assert toc and all(len(text) + indent <= per_line for text in toc), (per_line, max(map(len, toc)))


def test_empty_prior_year_sangong_and_car_cells_are_asked_for(tmp_path):
    """Last year's 三公 and 公务用车 left blank: their comparison sentences ask for the cells
    (before, the comparison silently vanished and nothing asked for them)."""
    import sys

    sys.path.insert(0, str(Path(__file__).parent))
    from shapes import narrated
    from workbook import jobs
    from workbook.grid import OpenpyxlGrid, save_atomic
    from workbook.narrative import job
    from workbook.reader import read

    content = narrated("civil")
    for key in ("car_buy", "car_run"):
        del content.info.prior[key]
    path = tmp_path / "civil.xlsx"
    save_atomic(jobs.new(content), path)
    grid = OpenpyxlGrid(path)
    result = job.narrative(read(grid), info=sheet.read(grid))
    asked = {b.what: b.where for b in result.placeholders}
    year = result.year - 1
    assert set(asked) == {f"公务用车购置费{year}年预算数", f"公务用车运行维护费{year}年预算数",
                          f"“三公”经费{year}年预算数（各项上年预算数之和）"}
    ws = openpyxl.load_workbook(path)[sheet.SHEET]
    car_buy = next(c.row for c in ws["A"] if c.value == "公务用车购置费")
    assert asked[f"公务用车购置费{year}年预算数"] == asked[f"“三公”经费{year}年预算数（各项上年预算数之和）"] == f"基本情况!C{car_buy}"
    text = result.text()
    assert f"公务用车购置及运行维护费" in text and f"比{year}年预算【请填写：公务用车购置费{year}年预算数】" in text
