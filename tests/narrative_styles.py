"""Narratives as governments write them, for `narrative-check`: three styles of one department
(tests/shapes.py `institutions`, with its 基本情况 filled in), each correct, and faults planted in
each, one at a time, at a sentence.

- `numbered`: 一、/（一） headings on lines of their own, 项 with codes, a unit's own figures;
- `inline`: the heading opens the paragraph ("（二）基本支出情况。2025年…");
- `mof`: the Ministry of Finance's 部门预算编制说明, 类/款/项 named without codes.

    python tests/narrative_styles.py     # false errors on the correct texts, planted faults found
"""
from __future__ import annotations

import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).parent
STYLES = ("numbered", "inline", "mof")

# (style, as written, planted, a piece of the sentence the finding must quote)
PLANTED = [
    ("numbered", "一般公共预算财政拨款收入1,990.00万元", "一般公共预算财政拨款收入1,909.00万元", "收入预算合计"),
    ("numbered", "其中基本支出1,000.00万元", "其中基本支出1,100.00万元", "某县第一中学2025年支出预算"),
    ("numbered", "职业年金缴费支出（06项）50.00万元", "职业年金缴费支出（06项）550.00万元", "职业年金"),
    ("numbered", "2025年培训费预算10.00万元", "2025年培训费预算15.00万元", "培训费预算15.00"),
    ("inline", "部门收支总预算2310.00万元", "部门收支总预算2301.00万元", "收支总预算2301"),
    ("inline", "人员经费1630.00万元", "人员经费1603.00万元", "人员经费1603"),
    ("inline", "财政拨款收入合计1990.00万元", "财政拨款收入合计1999.00万元", "财政拨款收入合计1999"),
    ("mof", "职业年金缴费支出（项）50.00万元", "职业年金缴费支出（项）850.00万元", "职业年金缴费支出（项）850"),
    ("mof", "行政运行（项）240.00万元", "行政运行（项）420.00万元", "行政运行（项）420"),
    ("mof", "某县实验小学项目支出60.00万元", "某县实验小学项目支出66.00万元", "某县实验小学项目支出66"),
    ("mof", "财政拨款收入合计1990.00万元", "财政拨款收入合计2310.00万元", "财政拨款收入合计2310"),
    ("mof", "机关运行经费预算46.00万元", "机关运行经费预算64.00万元", "机关运行经费预算64"),
]


def text(style: str) -> list[str]:
    return (HERE / "fixtures" / "narratives" / f"{style}.txt").read_text("utf-8").splitlines()


def planted(style: str, written: str, wrong: str) -> list[str]:
    lines = text(style)
    assert sum(line.count(written) for line in lines) == 1, written
    return [line.replace(written, wrong) for line in lines]


def workbook(folder: Path):
    """The institutions department as read (book, info)."""
    sys.path.insert(0, str(HERE))
    from shapes import narrated

    from workbook import jobs
    from workbook.grid import OpenpyxlGrid, save_atomic
    from workbook.narrative import sheet
    from workbook.reader import read

    path = folder / "institutions.xlsx"
    save_atomic(jobs.new(narrated("institutions")), path)
    grid = OpenpyxlGrid(path)
    return read(grid), sheet.read(grid)


def measure(book, info) -> dict:
    """False errors on the correct texts, planted faults found at their sentence, coverage."""
    from workbook.narrative import job

    out = {"false": {}, "found": 0, "planted": len(PLANTED), "missed": [], "coverage": {}}
    for style in STYLES:
        report = job.check(text(style), book, info=info)
        out["false"][style] = [f.message for f in report.findings if f.severity == "error"]
        out["coverage"][style] = (report.coverage.checked, report.coverage.figures) if report.coverage else None
    for style, written, wrong, quoted in PLANTED:
        findings = job.check(planted(style, written, wrong), book, info=info).findings
        if any(f.severity in ("error", "warning") and quoted in f.message for f in findings):
            out["found"] += 1
        else:
            out["missed"].append(wrong)
    return out


if __name__ == "__main__":
    with tempfile.TemporaryDirectory() as folder:
        result = measure(*workbook(Path(folder)))
    for style in STYLES:
        print(f"{style}: false errors {len(result['false'][style])}, coverage {result['coverage'][style]}")
        for message in result["false"][style]:
            print("   ", message)
    print(f"planted faults found: {result['found']} of {result['planted']}")
    for wrong in result["missed"]:
        print("    missed:", wrong)
