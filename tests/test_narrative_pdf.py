"""The 情况说明 as PDF through the real LibreOffice Writer, read back with poppler."""
from __future__ import annotations

import re
import subprocess
import sys

import pytest

from conftest import pdf_fonts
from workbook import office
from workbook.errors import BudgetbookError

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(office.find_soffice() is None,
                       reason=f"LibreOffice (soffice) 未安装，情况说明转 PDF 的测试跳过；请运行 {office.INSTALL_HINT} "
                              "libreoffice-writer poppler-utils"),
]

HEADINGS = ("第一部分部门概况", "一、部门职责", "第二部分2024年部门预算情况说明", "一、收支总体情况",
            "三、一般公共预算财政拨款“三公”经费、培训费、会议费情况", "九、名词解释", "第三部分2024年部门预算公开表")


def bb(*args):
    return subprocess.run([sys.executable, "-m", "workbook.cli", *map(str, args)], capture_output=True, text=True)


@pytest.fixture(scope="module")
def pdf(_example_files, tmp_path_factory):
    out = tmp_path_factory.mktemp("narrative-pdf") / "情况说明.docx"
    result = bb("narrative", _example_files[0], "-o", out, "--pdf")
    assert result.returncode == 1 and "尚有 1 处需要核对" in result.stdout, result.stdout + result.stderr
    assert f"已写出 {out.with_suffix('.pdf')}" in result.stdout
    return out.with_suffix(".pdf")


def test_pdf_embeds_a_cjk_font(pdf):
    fonts = pdf_fonts(pdf)
    cjk = [f for f in fonts if re.search(r"WenQuanYi|Hei|Song|Fang|Kai|CJK|Noto", f["name"], re.I)]
    assert cjk and all(f["emb"] for f in cjk), fonts


def test_pdf_has_the_section_headings_and_figures(pdf):
    text = re.sub(r"\s+", "", office.pdf_text(pdf))  # pdftotext spaces out CJK next to digits
    for heading in HEADINGS:
        assert heading in text, heading
    assert "基本支出666.20万元，占74.09%" in text and "“三公”经费预算31.00万元" in text


def test_narrative_check_reads_the_pdf_and_finds_only_what_is_left_to_check(pdf, _example_files):
    # the example's one table error is marked 【请核对】 in the text; nothing else is found, and
    # the amounts typed as notes on 基本情况 (政府采购, 固定资产…) are listed as not checked
    result = bb("narrative-check", pdf, _example_files[0])
    faults = [line for line in result.stdout.splitlines() if line.lstrip().startswith(("[错误]", "[警告]"))]
    infos = [line for line in result.stdout.splitlines() if line.lstrip().startswith("[提示]")]
    assert result.returncode == 1 and len(faults) == 1 and "N.unfinished" in faults[0], result.stdout
    assert all("N.unplaced" in line for line in infos) and "核对范围" in result.stdout, result.stdout


def test_export_with_pdf_gives_the_narrative_pdf_too(filled_xlsx, tmp_path):
    result = bb("export", filled_xlsx, "--out", tmp_path, "--pdf", "--force", "--narrative")
    assert result.returncode == 0, result.stderr
    made = sorted(p.name for p in tmp_path.iterdir())
    assert "临夏市人民政府办公室2024年部门预算公开情况说明.pdf" in made
    assert "临夏市人民政府办公室2024年部门预算公开表.pdf" in made


def test_a_damaged_workbook_is_not_converted_as_text(tmp_path):
    """With Writer installed, soffice would print a damaged .xlsx as plain text: it must refuse."""
    bad = tmp_path / "坏.xlsx"
    bad.write_bytes(b"\x00garbage" * 500)
    with pytest.raises(BudgetbookError) as exc:
        office.to_pdf(bad, tmp_path / "坏.pdf")
    assert str(bad) in str(exc.value) and not (tmp_path / "坏.pdf").exists()
