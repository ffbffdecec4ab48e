"""`budgetbook narrative-check`: a written 情况说明 against its tables.

The reference disclosure's own narrative (tests/fixtures/reference_narrative.txt, made from
shared/seeds by tests/fixtures/make_reference_narrative.py) has genuine slips: each must be found,
and nothing else; the narrative budgetbook writes must check clean.
"""
from __future__ import annotations

import json
import re
import subprocess
import sys
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path

import jsonschema
import pytest

from conftest import as_checked, faults

from workbook import jobs
from workbook.grid import OpenpyxlGrid
from workbook.narrative import extract, job, sheet
from workbook.reader import read

FIXTURES = Path(__file__).parent / "fixtures"
REFERENCE = FIXTURES / "reference_narrative.txt"
SCHEMA = json.loads((Path(__file__).parent.parent / "docs" / "findings.schema.json").read_text("utf-8"))


def bb(*args):
    return subprocess.run([sys.executable, "-m", "workbook.cli", *map(str, args)], capture_output=True, text=True)


def pct(part, base) -> str:
    return f"{(Decimal(part) / Decimal(base) * 100).quantize(Decimal('0.01'), ROUND_HALF_UP)}%"


@pytest.fixture(scope="module")
def example_read(_example_files):
    grid = OpenpyxlGrid(_example_files[0])
    return read(grid), sheet.read(grid)


@pytest.fixture(scope="module")
def reference_findings(example_read):
    book, info = example_read
    return faults(job.check(extract.paragraphs(REFERENCE), book, info=info, path=REFERENCE).findings)


# (rule, severity, a piece of the quoted sentence, a piece of the message) for each genuine slip
GENUINE = [
    ("N.share", "error", "基本支出 666.20 万元，占 74.08%", "应为 74.09%"),
    ("N.share", "error", "项目支出 233 万元，占 25.92%", "应为 25.91%"),
    # 基本支出 2023 = 666.20 + 138.38; the text divided by this year's 666.20
    ("N.percent-base", "error", "下降 20.77%", f"= {pct('138.38', Decimal('666.20') + Decimal('138.38'))}"),
    ("N.percent-base", "error", "减少5.15%", f"= {pct(12, 233 + 12)}"),
    ("N.percent-base", "error", "下降 42.15%", f"= {pct('114.64', Decimal('271.96') + Decimal('114.64'))}"),
    ("N.figure", "error", "“三公”经费预算 25 万元", "为 31.00 万元"),
    ("N.sangong", "error", "“三公”经费预算 25 万元", "合计 31.00万元"),
    ("N.zero-base", "error", "增长 100%", "上年预算为 0"),
    ("N.direction", "warning", "公务接待费 0 万元，较 2023 年预算增加 0 万元", "持平"),
    ("N.direction", "warning", "公务用车购置及运行维护费 6 万元", "持平"),
    ("N.leftover", "warning", "培训费 0 万元", "增加（减少）"),
    ("N.leftover", "warning", "会议费 0 万元", "增长（下降）"),
    ("N.project-count", "error", "其他项目4个", "项目个数为 9（0个 + 5个 + 4个），表十二有 8 个"),
    ("N.project-count", "error", "纳入单位预算绩效目标管理的项目 9 个", "表十二有 8 个"),
    ("N.project-name", "error", "其他项目4个", "“2024年度乡镇街道视频会议建设维护费项目”在表十二中没有"),
    ("N.project-name", "warning", "保障运转经费5个", "“2024年政务公开专网费项目”与表十二的“2024年度政务专网费”不一致"),
    ("N.project-name", "warning", "保障运转经费5个", "与表十二的“2024年度政府无纸化会议系统建设经费”不一致"),
    ("N.project-name", "warning", "保障运转经费5个", "与表十二的“2024年度市政府网络维护费”不一致"),
    ("N.project-name", "warning", "其他项目4个", "与表十二的“2024年度乡镇街道政务公开专区建设及运行维护费”不一致"),
    ("N.date", "error", "2023年2月25日", "不在预算年度 2024 年内"),
]


@pytest.mark.parametrize("rule,severity,sentence,message", GENUINE, ids=[f"{g[0]}:{g[2][:12]}" for g in GENUINE])
def test_reference_narrative_slip_is_found(reference_findings, rule, severity, sentence, message):
    found = [f for f in reference_findings if f.rule == rule and sentence in f.message and message in f.message]
    assert len(found) == 1, [f.message for f in reference_findings if f.rule == rule]
    assert found[0].severity == severity


def test_reference_narrative_nothing_else(reference_findings):
    """Every finding is one of the genuine slips: nothing on the sentences that are right."""
    def genuine(f):
        return any(f.rule == r and s in f.message and m in f.message for r, _, s, m in GENUINE)

    assert [f.message for f in reference_findings if not genuine(f)] == []
    assert len(reference_findings) == len(GENUINE)
    right = ("一般公共服务支出 807.38", "人员经费支出 548.92", "行政运行（01项）", "政府采购预算总额 146",
             "公务用车 3 辆", "年度预算安排：45万元", "2024 年收入预算 899.20")
    assert not [f for f in reference_findings if any(r in f.message for r in right)]


def test_reference_slips_that_need_no_last_year_figures(example_read):
    """Without any 上年预算数 the percentages still follow (or not) from the text's own amounts."""
    book, _ = example_read
    findings = job.check(extract.paragraphs(REFERENCE), book, path=REFERENCE).findings
    rules = [f.rule for f in findings]
    assert rules.count("N.percent-base") == 3 and "N.zero-base" in rules and "N.share" in rules


def test_generated_narrative_checks_clean(example_read, tmp_path):
    book, info = example_read
    result = job.narrative(book, info=info)
    assert faults(job.check(as_checked(result.text().splitlines()), book, info=info).findings) == []
    path = tmp_path / "说明.txt"
    path.write_text("\n".join(as_checked(result.text().splitlines())), "utf-8")
    cli = bb("narrative-check", path, book.path)
    assert cli.returncode == 0 and "：错误 0 处，警告 0 处，提示 5 处。" in cli.stdout  # 5 amounts of the typed notes


def test_docx_input_and_exit_status(_example_files, tmp_path):
    out = tmp_path / "说明.docx"
    assert bb("narrative", _example_files[0], "-o", out).returncode == 1  # one 【请核对】: the tables disagree
    left = bb("narrative-check", out, _example_files[0])
    assert left.returncode == 1 and "N.unfinished" in left.stdout and "【请核对：表十二 8 个项目" in left.stdout
    result = bb("narrative-check", REFERENCE, _example_files[0])
    assert result.returncode == 1
    assert result.stdout.splitlines()[0].startswith(f"{REFERENCE}：错误 ")
    assert "[错误] N.share（情况说明中的占比由表中数算出（两位小数））  表三!C5, 表三!B5  第52段“其中：基本支出 666.20 万元，占 74.08%；”" in result.stdout


def test_json_output_validates_against_the_findings_schema(_example_files):
    result = bb("narrative-check", REFERENCE, _example_files[0], "--format", "json")
    assert result.returncode == 1
    rows = json.loads(result.stdout)
    jsonschema.validate(rows, SCHEMA)
    assert {r["file"] for r in rows} == {str(REFERENCE)}
    sangong = next(r for r in rows if r["rule"] == "N.figure")
    assert (sangong["sheet"], sangong["cell"], sangong["expected"], sangong["actual"]) == ("表八", "B7", "31.00 万元", "25 万元")


@pytest.mark.parametrize("content,suffix", [(b"PK\x03\x04garbage", ".docx"), (b"\x89PNG", ".doc")])
def test_unreadable_document_exits_2(_example_files, tmp_path, content, suffix):
    bad = tmp_path / f"说明{suffix}"
    bad.write_bytes(content)
    result = bb("narrative-check", bad, _example_files[0])
    assert result.returncode == 2 and str(bad) in result.stderr and "Traceback" not in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1


def test_gbk_text_is_read(_example_files, tmp_path):
    path = tmp_path / "说明.txt"
    path.write_bytes(REFERENCE.read_text("utf-8").encode("gb18030"))
    assert bb("narrative-check", path, _example_files[0]).returncode == 1


def test_workbook_checks_do_not_run_narrative_rules_but_list_them(baseline):
    assert not [f for f in baseline.findings if f.rule.startswith("N.")]
    listed = bb("rules").stdout
    assert all(f"N.{x}" in listed for x in ("figure", "share", "percent-base", "project-count", "date"))
    assert {r.id for r in jobs.rules()} >= {"N.figure", "N.sangong", "N.year"}


def test_full_width_digits_and_yuan_are_read_as_written(example_read):
    """A text typed with a Chinese input method (８９９．２０) or in 元 states the same figures."""
    book, info = example_read
    paragraphs = as_checked(job.narrative(book, info=info).text().splitlines())
    at = next(i for i, p in enumerate(paragraphs) if p.startswith("2024年基本支出666.20万元"))
    for written, right in (("２０２４年基本支出６６６．２０万元", True), ("2024年基本支出6662000元", True),
                           ("2024年基本支出6620000元", False)):
        changed = list(paragraphs)
        changed[at] = changed[at].replace("2024年基本支出666.20万元", written)
        path_text = "\n".join(changed)
        found = faults(job.check(extract.join_lines(path_text.splitlines()), book, info=info).findings)
        assert (found == []) == right, (written, [f.message for f in found])


def test_every_run_reports_its_coverage(example_read, tmp_path):
    book, info = example_read
    path = tmp_path / "说明.txt"
    path.write_text("\n".join(as_checked(job.narrative(book, info=info).text().splitlines())), "utf-8")
    cli = bb("narrative-check", path, book.path)
    line = next(x for x in cli.stdout.splitlines() if x.startswith("核对范围："))
    figures, checked = map(int, re.search(r"金额 (\d+) 个，其中 (\d+) 个已与表中数核对", line).groups())
    assert checked * 10 >= figures * 9 and "人工通读" not in line and cli.returncode == 0
    # the notes typed on the 基本情况 sheet state figures no table has (预留 140 万元 …): each a 提示
    assert cli.stdout.count("[提示] N.unplaced") == figures - checked and "金额“140万元”未能对应到表中的数" in cli.stdout


def test_nothing_placed_is_never_said_to_be_fine(_example_files, tmp_path):
    unknown = tmp_path / "其他.txt"
    unknown.write_text("一、概况\n本单位今年购置图书12.00万元，修缮围墙8.50万元。\n", "utf-8")
    cli = bb("narrative-check", unknown, _example_files[0])
    assert cli.returncode == 1 and "未发现问题" not in cli.stdout
    assert "其中 0 个已与表中数核对，2 个未能对应到表中" in cli.stdout and "请人工通读" in cli.stdout
    empty = tmp_path / "空.txt"
    empty.write_text("一、概况\n本部门职责见官网。\n", "utf-8")
    cli = bb("narrative-check", empty, _example_files[0])
    assert cli.returncode == 1 and "未发现问题" not in cli.stdout and "未作核对" in cli.stdout
