"""The use cases: new, fill, check, mark, clear, export; each on a workbook read once.

A job takes what was read (a Book; for mark and clear also the surface's looks: fills and notes)
plus options, and returns a result: what changes, the findings, the files written. What a job
writes into the user's workbook is a Plan (workbook.plan), applied afterwards by the caller's
surface: a file (its package patched), the workbook open in Excel (macros_py), a JSON action
list. The command line, bench/, the tests and the Excel handlers all call these; exit codes and printed lines stay
in commands/, dialogs in macros_py/.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path

from . import checks
from .catalog import Catalog
from .checks.report import Report
from .fill import Change, plan as plan_fill, typed_lines
from .marks import Cleared, MarkPlan, plan_clear, plan_mark
from .model import Book
from .plan import Plan
from .reader import read
from .surfaces.looks import Looks

DERIVED, INPUT = "bb-derived", "bb-input"


@dataclass
class FillResult:
    plan: Plan
    changes: list[Change]  # derived cells whose value changes, in workbook order
    typed: list[tuple[str, str]] = field(default_factory=list)  # derived-looking cells to type here

    def summary(self) -> str:
        """One closing sentence for a dialog."""
        head = (f"已填写 {len(self.changes)} 个合计单元格。" if self.changes
                else "所有合计已是最新，未改动任何单元格。")
        if self.typed:
            head += f"{self.typed[0][0]} 各功能分类支出行需按预算系统手填（已改为浅蓝色）。"
        return head


def fill(book: Book) -> FillResult:
    """Every derived cell from the typed ones; a typed cell is never written."""
    changes = plan_fill(book)
    typed = typed_lines(book)
    plan = Plan()
    for change in changes:
        plan.set_value(change.sheet, change.addr, change.new)
        # a row the accountant typed may have become a roll-up once rows were added below it
        plan.restyle(change.sheet, change.addr, INPUT, DERIVED)
    for sheet, addr in typed:
        plan.restyle(sheet, addr, DERIVED, INPUT)
    text = {(p.sheet, p.addr) for p in book.problems}
    for table in book.tables.values():
        for row in table.rows:
            for col, value in row.values.items():
                where = (table.sheet, row.addr(col))
                if (value is None or isinstance(value, Decimal)) and where not in text:
                    plan.keep.setdefault(table.sheet, set()).add(where[1])
    return FillResult(plan, changes, typed)


def check(book: Book, catalog: Catalog | None = None) -> Report:
    return checks.run(book, catalog=catalog)


@dataclass
class MarkResult:
    report: Report
    plan: Plan
    marked: int
    cleared: Cleared  # earlier marks taken off first

    def summary(self) -> str:
        counts = self.report.counts
        if not self.report.findings:
            return "未发现问题。"
        found = "、".join(f"{n} 个{label}" for n, label in ((counts["error"], "错误"), (counts["warning"], "警告"),
                                                             (counts["info"], "提示")) if n)
        return f"发现 {found}，已标记 {self.marked} 个单元格，详见「{self.plan.add_sheets[0].name}」。"


def mark(looks: Looks, report: Report) -> MarkResult:
    planned: MarkPlan = plan_mark(looks, report)
    return MarkResult(report, planned.plan, planned.marked, planned.cleared)


def check_and_mark(looks: Looks, book: Book, catalog: Catalog | None = None) -> MarkResult:
    """Check what was read and plan the marks on the same read: the workbook is read once."""
    return mark(looks, check(book, catalog))


@dataclass
class ClearResult:
    plan: Plan
    cleared: Cleared

    def summary(self) -> str:
        if not self.cleared and not self.cleared.missing:
            return "工作簿中没有校验标记。"
        text = f"已清除 {int(self.cleared)} 个单元格的校验标记，原有底色和批注已恢复。"
        if self.cleared.missing:
            text += f"另有 {self.cleared.missing} 处标记找不到对应单元格，未作恢复。"
        return text


def clear(looks: Looks) -> ClearResult:
    plan, cleared = plan_clear(looks)
    return ClearResult(plan, cleared)


def export(grid, outdir: Path, **options):
    """The publication files from a workbook read with openpyxl (its look is copied); see
    workbook.export.export for the options."""
    from .export import export_grid

    return export_grid(grid, Path(outdir), **options)


def new(content):
    """A new workbook (openpyxl) of the 12 tables for `content` (content.blank or the example)."""
    from . import template

    return template.build(content)


# --- on files --------------------------------------------------------------------------------


def open_file(path: Path):
    """A workbook file, read for a job that writes it (values and looks): the patching surface,
    which rewrites only what the plan touches (surfaces.package; OpenpyxlSurface stays for new
    files and as the reference in tests)."""
    from .surfaces.package import PackageSurface

    return PackageSurface(Path(path))


def fill_file(src: Path, out: Path) -> FillResult:
    surface = open_file(src)
    result = fill(read(surface))
    surface.apply(result.plan)
    surface.save(out)
    return result


def check_and_mark_file(src: Path, out: Path, catalog: Catalog | None = None) -> MarkResult:
    surface = open_file(src)
    result = check_and_mark(surface, read(surface, strict=False), catalog)
    surface.apply(result.plan)
    surface.save(out)
    return result


def clear_file(src: Path, out: Path) -> ClearResult:
    surface = open_file(src)
    result = clear(surface)
    surface.apply(result.plan)
    surface.save(out)
    return result
