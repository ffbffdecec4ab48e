"""Published disclosures of the 9-table layout, read from their PDFs: the tables found, the
figures in 万元, and exactly the findings each real document deserves (each with its verdict)."""
from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest

from conftest import run_cli
from tinypdf import one_page_pdf
from workbook import checks
from workbook.model import Ref
from workbook.pdfread import read_pdf

FIXTURES = Path(__file__).parent / "fixtures" / "disclosures"


def _doc(year: int) -> Path:
    return FIXTURES / f"万里街道{year}年部门预算.pdf"


@pytest.fixture(scope="module")
def books():
    return {year: read_pdf(_doc(year)) for year in (2023, 2024, 2025)}


def _findings(book):
    return sorted((f.rule, f.severity, f.places[0].cell) for f in checks.run(book).findings)


def test_tables_are_found_by_their_titles_and_read_in_wan_yuan(books):
    book = books[2024]
    assert book.profile == "nine-table" and book.year == 2024
    assert book.dept == "上海市普陀区人民政府万里街道办事处" and book.missing == []
    assert set(book.tables) == {"T1", "T2", "T3", "T4", "T6", "T7", "T8", "T9", "T10", "T11"}
    # printed in 元: 156,211,123 元 is 15,621.1123 万元, exact
    assert book.value(Ref("T1", "in.total", "amount")) == Decimal("15621.1123")
    assert book.tables["T1"].step == Decimal("0.0001")
    # the 三公 table is printed in 万元
    assert book.value(Ref("T8", "dept", "sangong")) == Decimal("47.91") and book.tables["T8"].step == Decimal("0.01")
    assert book.value(Ref("T9", "total", "basic")) == Decimal("443.18")
    # a table continued over five pages is one table; its 合计 is 总计
    t6 = book.tables["T6"]
    assert len([r for r in t6.rows if r.kind == "code"]) == 66
    assert book.value(Ref("T6", "total", "basic")) == Decimal("9970.602")
    # 表二's 合计 row: income by source
    assert book.value(Ref("T2", "in.general", "amount")) == Decimal("15621.1123")
    # the empty 政府性基金 table keeps its note
    assert book.tables["T10"].note.startswith("注:本部门2024年无政府性基金")


def test_findings_name_page_table_row_and_column(books):
    found = checks.run(books[2024]).findings
    admin = next(f for f in found if f.rule == "C.admin-run")
    assert admin.places[0].sheet == "一般公共预算支出功能分类预算表"
    assert admin.places[0].cell == "第20页 2120101 行政运行·项目支出"
    assert str(admin.places[0]) == "一般公共预算支出功能分类预算表 第20页 2120101 行政运行·项目支出"


def test_2024_findings(books):
    assert _findings(books[2024]) == [
        # real: 行政运行 carries 25.00 万元 of 项目支出 (a classic review remark)
        ("C.admin-run", "warning", "第20页 2120101 行政运行·项目支出"),
        # real: 30102 津贴补贴 and 30107 绩效工资 printed as "301 2" and "301 7"
        ("C.code-format", "error", "第24页 3012 津贴补贴"),
        ("C.code-format", "error", "第24页 3017 绩效工资"),
        # doubtful, not a fault: the whole of a 类/款 under its 其他 line (a street office's one
        # education item, its community facilities and housing)
        ("C.other-whole", "warning", "第18页 20599 其他教育支出·合计"),
        ("C.other-whole", "warning", "第20页 2120399 其他城乡社区公共设施支出·合计"),
        ("C.other-whole", "warning", "第21页 2210399 其他城乡社区住宅支出·合计"),
        # real: the 三公 table's note says it is empty, above 47.91 万元 of 三公 and 443.18 of 机关运行经费
        ("F.empty-note", "warning", "第26页的表下注释"),
    ]


def test_2025_findings(books):
    assert _findings(books[2025]) == [
        ("C.admin-run", "warning", "第18页 2120101 行政运行·项目支出"),  # real, as in 2024
        ("C.other-whole", "warning", "第16页 20599 其他教育支出·合计"),
        ("C.other-whole", "warning", "第18页 2120399 其他城乡社区公共设施支出·合计"),
        ("C.other-whole", "warning", "第19页 2210399 其他城乡社区住宅支出·合计"),
        # not a fault: 1 元 of rounding between 4 lines printed in whole 元 (尾差, bound 2 元)
        ("T6.rollup", "warning", "第18页 212 城乡社区支出·合计"),
        ("T6.rollup", "warning", "第18页 21201 城乡社区管理事务·合计"),
    ]


def test_2023_findings(books):
    assert _findings(books[2023]) == [
        ("C.edition", "warning", "第5页的表名"),  # true: no bundled 2023 catalogue
        ("C.other-whole", "warning", "第18页 2120399 其他城乡社区公共设施支出·合计"),
        ("C.other-whole", "warning", "第18页 2210399 其他城乡社区住宅支出·合计"),
    ]


def test_rounding_in_yuan_is_a_tail_warning_stating_its_bound(books):
    rollup = next(f for f in checks.run(books[2025]).findings if f.rule == "T6.rollup")
    assert "尾差 1 元：4 个数各自四舍五入到 1 元，合计允许相差 2 元" in rollup.message


def test_rules_the_layout_lacks_do_not_run(books):
    ran = {f.rule for year in (2023, 2024, 2025) for f in checks.run(books[year]).findings}
    assert not ran & {"X.T7-T8.meeting-training", "X.T8-T9.limits", "P.projects-total", "F.unit-line",
                      "F.tables-present", "F.blank-zero", "T3.units", "T9.total"}


def test_check_command_on_a_pdf():
    ran = run_cli("check", str(_doc(2024)))
    assert ran.returncode == 1 and "第24页 3012 津贴补贴" in ran.stdout and "C.code-format" in ran.stdout
    ran = run_cli("check", str(_doc(2024)), "--profile", "gansu-12")
    # forced to our own layout, it has none of 表一…表十二: one sentence naming the layout it may be
    assert ran.returncode == 2 and "--profile nine-table" in ran.stderr and "Traceback" not in ran.stderr


def test_a_pdf_without_text_layer_is_one_sentence(tmp_path):
    scan = tmp_path / "扫描件.pdf"
    scan.write_bytes(one_page_pdf())
    ran = run_cli("check", str(scan))
    assert ran.returncode == 2 and "没有文字层" in ran.stderr and "Traceback" not in ran.stderr


def test_a_file_that_is_no_pdf_is_one_sentence(tmp_path):
    fake = tmp_path / "公开.pdf"
    fake.write_text("不是 PDF")
    ran = run_cli("check", str(fake))
    assert ran.returncode == 2 and "不是 PDF 文件" in ran.stderr


# --- the 情况说明 printed in the same PDF ----------------------------------------------------------

def _text_report(book, lines=None):
    from workbook.narrative import extract, job

    return job.check(extract.join_lines(lines if lines is not None else book.narrative), book)


@pytest.mark.parametrize("year,checked", [(2023, 44), (2024, 47), (2025, 46)])
def test_the_pdfs_own_narrative_is_checked_against_its_tables(books, year, checked):
    report = _text_report(books[year])
    # verdict: where an amount could be placed, the text agrees with the tables printed beside it
    # (figures in 元 stated in 万元 to two places; 政府性基金拨款支出预算 is 表十, not 支出预算)
    assert [f for f in report.findings if f.severity != "info"] == []
    assert report.coverage.checked == checked
    assert {f.rule for f in report.findings} == {"N.unplaced"}  # each amount not placed, said


def test_a_fault_planted_in_the_pdfs_narrative_is_found_at_its_table_row(books):
    book = books[2024]
    said = "”24.31万元，主要用于行政单位离退休。"
    assert any(said in line for line in book.narrative)
    wrong = [line.replace(said, "”24.41万元，主要用于行政单位离退休。") for line in book.narrative]
    [finding] = [f for f in _text_report(book, wrong).findings if f.rule == "N.figure"]
    assert finding.severity == "error" and "24.41万元" in finding.message
    assert str(finding.places[0]) == "一般公共预算支出功能分类预算表 第19页 2080501 行政单位离退休·合计"


def test_the_project_count_is_not_compared_without_the_performance_tables(books):
    # the text says 50 projects have 绩效目标; the 9-table PDF has no 表十二 to count them in
    report = _text_report(books[2024])
    assert not [f for f in report.findings if f.rule == "N.project-count"]


def test_check_command_says_what_it_read_of_a_pdf():
    ran = run_cli("check", str(_doc(2025)))
    assert ran.returncode == 0, ran.stderr
    assert "核对范围：本文件的表格，以及表格以外的情况说明文字" in ran.stdout
    assert "含金额的句子 53 句，金额 65 个，其中 46 个已与表中数核对" in ran.stdout
