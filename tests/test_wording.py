"""One voice: messages without stray spaces, rule titles in words (workbook.wording)."""
from __future__ import annotations

import ast
import re
import string
from pathlib import Path

import pytest

from workbook import checks, jobs
from workbook.wording import STRAY, compose, tidy

ROOT = Path(__file__).resolve().parent.parent
RULES = jobs.rules()

# Deliberate spaces, as printed in the reference: spaced-out headers (收 入), the contents heading,
# the narrative's part headings, the page footer.
DELIBERATE = {"收 入", "支 出", "目  录", "第 &P 页 共 &N 页"}
PART_HEADING = re.compile(r"^第[一二三四五六七八九十]+部分 \S+$")
ENGLISH = re.compile(r"\b(the|and|of|is|to|with|from|where|when|which|not)\b")


@pytest.mark.parametrize("template, fields, expected", [
    ("{cell} 为 {actual}", {"cell": "表三!D5（总计·项目支出）", "actual": "空"}, "表三!D5（总计·项目支出）为空"),
    ("{cell} 为 {actual}，相差 {diff}", {"cell": "表六!C9", "actual": "1.00", "diff": "0.50"},
     "表六!C9 为 1.00，相差 0.50"),
    ("{left} 为 {a}", {"left": "表二 上年结转", "a": "12.00"}, "表二 上年结转为 12.00"),
    ("{where}：{what}写作 {actual}", {"where": "第2段“收入 合计”", "what": "总额", "actual": "1 2"},
     "第2段“收入 合计”：总额写作 1 2"),  # the user's own words stay as quoted
])
def test_compose_drops_only_the_stray_spaces(template, fields, expected):
    assert compose(template, **fields) == expected


def test_tidy():
    assert tidy("应 为 0.00") == "应为 0.00"
    assert tidy("多个。 检查") == "多个。检查"
    assert tidy("合计 233.00 万元（尾差 0.01）") == "合计 233.00 万元（尾差 0.01）"
    assert tidy("表七 “三公”经费") == "表七 “三公”经费"


def _literals(template: str) -> list[str]:
    """The template's own words, each field standing in as a figure."""
    return ["0".join(literal for literal, *_ in string.Formatter().parse(template))]


def test_every_rule_template_and_title_has_no_stray_space():
    stray = []
    for rule in RULES:
        for text in (*_literals(rule.template), rule.title):
            if STRAY.search(text):
                stray.append((rule.id, text))
    assert stray == []


def test_rule_titles_are_words_not_formulas():
    assert [(r.id, r.title) for r in RULES if re.search(r"[=+≤≥]", r.title)] == []


def _strings(path: Path):
    """String constants of a module that are not docstrings (these are English, for contributors)."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    docs = {id(node.body[0].value) for node in ast.walk(tree)
            if isinstance(node, (ast.Module, ast.ClassDef, ast.FunctionDef, ast.AsyncFunctionDef))
            and node.body and isinstance(node.body[0], ast.Expr) and isinstance(node.body[0].value, ast.Constant)}
    for node in ast.walk(tree):
        if isinstance(node, ast.Constant) and isinstance(node.value, str) and id(node) not in docs:
            yield node.lineno, node.value


def test_no_stray_space_in_the_program_s_sentences():
    stray = []
    for folder in ("workbook", "macros_py", "addin"):
        for path in sorted((ROOT / folder).rglob("*.py")):
            for line, text in _strings(path):
                if not re.search(r"[\u4e00-\u9fff]", text) or text in DELIBERATE or PART_HEADING.match(text):
                    continue
                if ENGLISH.search(text):  # contributors' English naming Chinese things (docs, "placed")
                    continue
                if m := STRAY.search(text):
                    stray.append(f"{path.relative_to(ROOT)}:{line}: …{text[max(0, m.start() - 10):m.end() + 10]}…")
    assert stray == []


def test_the_example_s_findings_have_no_stray_space(filled_xlsx):
    from workbook.grid import fast_grid
    from workbook.reader import read

    report = checks.run(read(fast_grid(filled_xlsx)))
    assert report.findings
    assert [f.message for f in report.findings if STRAY.search(f.message)] == []
