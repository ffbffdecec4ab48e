"""The N.* rules, one planted fault each: a single change to the narrative budgetbook writes for the
bundled example (which checks clean) is found, in the changed sentence and nowhere else."""
from __future__ import annotations

import pytest

from conftest import as_checked, assert_found, faults

from workbook.grid import OpenpyxlGrid
from workbook.narrative import job, sheet
from workbook.reader import read


@pytest.fixture(scope="module")
def clean(_example_files):
    grid = OpenpyxlGrid(_example_files[0])
    book, info = read(grid), sheet.read(grid)
    paragraphs = as_checked(job.narrative(book, info=info).text().splitlines())
    assert faults(job.check(paragraphs, book, info=info).findings) == []
    return book, info, paragraphs


# (rule, text in the generated narrative, what it becomes, severity, what the message must name)
PLANTED = [
    ("N.figure", "2024年基本支出666.20万元", "2024年基本支出662.60万元", "error", "662.60"),
    ("N.share", "基本支出666.20万元，占74.09%", "基本支出666.20万元，占74.08%", "error", "74.08%"),
    ("N.shares-sum", "项目支出233.00万元，占25.91%", "项目支出233.00万元，占25.19%", "error", "25.19%"),
    ("N.change", "减少138.38万元，下降17.20%", "减少183.38万元，下降17.20%", "error", "183.38"),
    ("N.percent", "减少138.38万元，下降17.20%", "减少138.38万元，下降17.30%", "error", "17.30%"),
    ("N.percent-base", "减少138.38万元，下降17.20%", "减少138.38万元，下降20.77%", "error", "20.77%"),
    ("N.zero-base", "增加25.00万元（2023年预算无此项，为新增）", "增加25.00万元，增长100.00%", "error", "100.00%"),
    ("N.direction", "减少12.00万元，下降4.90%", "减少12.00万元，增长4.90%", "error", "增长"),
    ("N.direction", "2.公务接待费0.00万元，与2023年预算持平", "2.公务接待费0.00万元，比2023年预算增加0.00万元", "warning", "持平"),
    ("N.sangong", "“三公”经费预算31.00万元", "“三公”经费预算25.00万元", "error", "25.00万元"),
    ("N.project-name", "2024年度市政府网络维护费9.00万元", "2024年度乡镇视频会议系统费9.00万元", "error", "2024年度乡镇视频会议系统费"),
    ("N.project-name", "2024年度政务专网费45.00万元", "2024年政务公开专网费45.00万元", "warning", "2024年政务公开专网费"),
    ("N.project-count", "共安排项目8个", "共安排项目9个", "error", "9"),
    ("N.year", "2024年基本支出666.20万元", "2025年基本支出666.20万元", "error", "2025"),
    ("N.year", "比2023年预算减少138.38万元", "比2022年预算减少138.38万元", "error", "2022"),
    ("N.date", "2024年2月25日", "2023年2月25日", "error", "2023年2月25日"),
    ("N.unfinished", "2024年培训费预算0.00万元，与2023年预算持平", "2024年培训费预算0.00万元，与2023年预算持平【请核对：表八 F5 与表七 不一致】",
     "error", "【请核对：表八 F5 与表七 不一致】"),
    ("N.parts", "年度资金总额合计213.00万元", "年度资金总额合计230.00万元", "error", "230.00万元"),
    ("N.listed-count", "共安排项目8个", "共安排项目7个", "error", "其后列出 8 个"),
    ("N.empty-reason", "下降5.47%，主要原因是人员变动及项目经费减少", "下降5.47%，主要原因是", "error", "主要原因是"),
    ("N.no-reason", "下降57.33%，主要原因是项目经费减少", "下降57.33%", "warning", "57.33%"),
    ("N.outdated-name", "4.卫生健康支出（210类）", "4.医疗卫生与计划生育支出（210类）", "warning", "卫生健康支出"),
    ("N.leftover", "（一）收入预算", "（一）收入预算（增加内容）", "warning", "（增加内容）"),
    ("N.leftover", "2024年培训费预算0.00万元，与2023年预算持平", "2024年培训费预算0.00万元，比2023年预算增加（减少）0.00万元", "warning", "增加（减少）"),
]


@pytest.mark.parametrize("rule,old,new,severity,named", PLANTED, ids=[f"{p[0]}:{p[2][:14]}" for p in PLANTED])
def test_planted_change_is_found_in_its_sentence(clean, rule, old, new, severity, named):
    book, info, paragraphs = clean
    at = next(i for i, p in enumerate(paragraphs) if old in p)
    changed = [p.replace(old, new, 1) if i == at else p for i, p in enumerate(paragraphs)]
    findings = faults(job.check(changed, book, info=info).findings)
    mine = assert_found(findings, rule, severity=severity)
    assert all(f.message.startswith(f"第{at + 1}段“") for f in findings)  # nothing elsewhere
    assert any(named in f.message for f in mine), [f.message for f in mine]


def test_figures_tied_by_code_name_and_subject(clean):
    """A 项 is tied by its 类/款/项 markers; the same sentence with a wrong amount names 表六's cell."""
    book, info, paragraphs = clean
    at = next(i for i, p in enumerate(paragraphs) if "行政运行（01项）2024年预算数为743.38万元" in p)
    changed = list(paragraphs)
    changed[at] = changed[at].replace("743.38万元，比2023年预算减少43.04万元", "734.38万元，比2023年预算减少52.04万元")
    found = [f for f in job.check(changed, book, info=info).findings if f.rule == "N.figure"]
    assert len(found) == 1 and str(found[0].places[0]) == "表六!C9" and found[0].expected == "743.38 万元"


def test_a_paragraph_printed_twice_is_found_at_the_second(clean):
    book, info, paragraphs = clean
    first = next(i for i, p in enumerate(paragraphs) if p.startswith("5.卫生健康支出"))
    changed = [*paragraphs[:first + 1], paragraphs[first], *paragraphs[first + 2:]]  # item 6 replaced by item 5
    findings = faults(job.check(changed, book, info=info).findings)
    (duplicate,) = assert_found(findings, "N.duplicate")
    assert findings == [duplicate] and duplicate.message.startswith(f"第{first + 2}段")
    assert f"与第{first + 1}段重复" in duplicate.message


def test_an_amount_no_table_has_is_a_note_at_its_sentence(clean):
    """N.unplaced: an amount that cannot be tied to a table is said, as a 提示 quoting its sentence."""
    book, info, paragraphs = clean
    at = next(i for i, p in enumerate(paragraphs) if p.startswith("2024年机关运行经费"))
    changed = [*paragraphs[:at + 1], "本部门今年购置图书12.00万元。", *paragraphs[at + 1:]]
    before = [f.rule for f in job.check(paragraphs, book, info=info).findings]
    found = job.check(changed, book, info=info).findings
    assert [f.rule for f in found if "购置图书" not in f.message] == before  # the typed notes' amounts, as before
    new = [f for f in found if "购置图书" in f.message]
    (note,) = assert_found(new, "N.unplaced", severity="info")
    assert new == [note] and note.message.startswith(f"第{at + 2}段“本部门今年购置图书12.00万元。”") and "“12.00万元”" in new[0].message
