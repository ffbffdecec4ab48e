"""The publication contract: what budgetbook writes for publication passes budgetbook's own check.

The exported workbook is read back with the checker's own reader and checked; its findings must
be exactly the source's, less those of the rules about working-only cells (WORKING_ONLY: cells the
export writes as they are published, so their findings cannot survive it). Findings are compared
by rule, severity and message, without the cells: the export leaves out unused rows, so cells
move up.
"""
from __future__ import annotations

import re
from collections import Counter
from pathlib import Path

from .checks import Report
from .checks.report import finding_line
from .errors import BudgetbookError

__all__ = ["WORKING_ONLY", "differences", "recheck", "recheck_pdf"]

_CELL = re.compile(r"(?<![A-Z])[A-Z]{1,3}\d+(?:[–-][A-Z]{1,3}\d+)?")

# rule -> why the published file cannot have that finding, although its source may
WORKING_ONLY = {
    "F.text-number": "以文本存储的数字在公开表中写为数值",
    "F.blank-zero": "公开表按统一约定在应显示 0.00 处写 0.00",
    "F.merged-hidden": "合并单元格遮住的数字不随公开表发布",
    "F.below-note": "备注行以下不属于任何一行的数字不随公开表发布",
}


def differences(source: Report, published: Report) -> list[str]:
    """One line per finding the published file has and its source had not, or the reverse
    (rules of WORKING_ONLY aside); [] when the contract holds."""
    extra, lost = _counted(published) - _counted(source), _counted(source) - _counted(published)
    lines = []
    for finding in published.findings:
        if extra[_key(finding)]:
            extra[_key(finding)] -= 1
            lines.append(f"导出文件新出现：{finding_line(finding)}")
    for finding in source.findings:
        if lost[_key(finding)]:
            lost[_key(finding)] -= 1
            lines.append(f"导出文件中不再出现：{finding_line(finding)}")
    return lines


def _key(finding) -> tuple[str, str, str]:
    """A finding without its cells (the published rows move up where unused rows are left out)."""
    # a typed blank on a used line is published 0.00 (spec.ZERO_RULES): the same term either way
    return finding.rule, finding.severity, _CELL.sub("…", finding.message).replace(" 空", " 0.00")


def _counted(report: Report) -> Counter:
    return Counter(_key(f) for f in report.findings if f.rule not in WORKING_ONLY)


def recheck(xlsx: Path, source: Report, catalog=None) -> tuple[Report, list[str]]:
    """The published workbook read back as a bureau reads it (the command line's reader) and
    checked; with the differences from its source's report."""
    from . import checks
    from .grid import fast_grid
    from .reader import read

    published = checks.run(read(fast_grid(xlsx), strict=False), catalog=catalog)
    return published, differences(source, published)


def recheck_pdf(pdf: Path, workbook: Report, catalog=None) -> list[str]:
    """The published PDF read back as `check 公开.pdf` reads it (workbook.pdfread) and checked: the
    differences from the published workbook's report (the same tables, so no rule is left aside)."""
    from . import checks
    from .pdfread import read_pdf

    book = read_pdf(pdf)
    book.words = {}  # cells by address, as the workbook's findings name them (masked when compared)
    return differences(workbook, checks.run(book, catalog=catalog))


class PublicationDiffers(BudgetbookError):
    """The exported workbook, read back and checked, does not give its source's findings (see
    workbook.publication): nothing is published (the file is removed). A bug of budgetbook's own
    export, so exit status 3, with the differing findings named."""

    exit_code = 3

    def __init__(self, xlsx: Path, lines: list[str], against: str = "原工作簿"):
        self.lines = lines
        shown = "；".join(lines[:5]) + (f"；另有 {len(lines) - 5} 处" if len(lines) > 5 else "")
        super().__init__(f"导出的 {xlsx.name} 经复核与{against}的校验结果不一致（{shown}），已删除，未导出任何文件；"
                         "这是 budgetbook 的问题，请把原工作簿和这段信息报告给我们。")
