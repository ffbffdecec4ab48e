"""`narrative-check` reads narratives as governments write them (tests/narrative_styles.py): the
three styles check clean, every amount in them is placed, and each planted fault is found at its
sentence."""
from __future__ import annotations

import pytest

import narrative_styles as styles
from workbook.narrative import claims, job


@pytest.fixture(scope="module")
def department(tmp_path_factory):
    return styles.workbook(tmp_path_factory.mktemp("styles"))


@pytest.mark.parametrize("style", styles.STYLES)
def test_a_correct_text_of_each_style_checks_clean_and_every_amount_is_placed(department, style):
    book, info = department
    report = job.check(styles.text(style), book, info=info)
    assert report.findings == []
    assert report.coverage.checked == report.coverage.figures == {"numbered": 37, "inline": 20, "mof": 20}[style]


@pytest.mark.parametrize("style,written,wrong,quoted", styles.PLANTED, ids=[p[2] for p in styles.PLANTED])
def test_a_planted_fault_is_found_at_its_sentence(department, style, written, wrong, quoted):
    book, info = department
    findings = job.check(styles.planted(style, written, wrong), book, info=info).findings
    assert [f for f in findings if f.severity == "error" and quoted in f.message], [f.message for f in findings]


def test_mof_wording_without_codes_is_resolved_along_class_section_item(department):
    book, _ = department
    said = claims.read(["三、财政拨款支出预算情况",
                        "社会保障和就业支出（类）行政事业单位养老支出（款）机关事业单位职业年金缴费支出（项）887.36万元。",
                        "一般公共服务支出（类）政府办公厅（室）及相关机构事务（款）行政运行（项）1,623.18万元。",
                        "教育支出（类）普通教育（款）不存在的教育（项）12.00万元。"], job.vocabulary(book))
    assert [(s.subject, s.value.raw) for s in said.statements] == [
        ("item:2080506", "887.36万元"), ("item:2010301", "1,623.18万元"), ("unresolved", "12.00万元")]


def test_a_units_figure_is_compared_with_its_row_and_the_finding_names_it(department):
    book, info = department
    findings = job.check(styles.planted("mof", "某县实验小学项目支出60.00万元", "某县实验小学项目支出66.00万元"),
                         book, info=info).findings
    wrong = [f for f in findings if f.rule == "N.figure"]
    assert len(wrong) == 1 and "某县实验小学的项目支出（表三）为 60.00 万元" in wrong[0].message
    assert wrong[0].sheet == "表三"


def test_fiscal_income_is_table_four_this_years_income(department):
    book, info = department
    findings = job.check(styles.planted("mof", "财政拨款收入合计1990.00万元", "财政拨款收入合计2310.00万元"),
                         book, info=info).findings
    assert [f.message.split("”：", 1)[1] for f in findings if f.rule == "N.figure"] == [
        "财政拨款收入合计写作 2310.00万元，财政拨款收入合计（表四 本年收入）为 1990.00 万元"]
