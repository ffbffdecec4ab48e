"""The use cases: new, fill, check, mark, clear, export; each on a workbook read once.

A job takes what was read (a Book; for mark and clear also the surface's looks: fills and notes)
plus options, and returns a result: what changes, the findings, the files written. What a job
writes into the user's workbook is a Plan (workbook.plan), carried out afterwards on a surface
(surfaces.surface: a file patched, the workbook open in Excel, a JSON action list for WPS) by the
one flow `run` (read → job → apply → save). The ribbon's buttons (workbook.buttons), the command
line, the batch, the service, bench/ and the tests all call these; exit codes and printed lines
stay in commands/, dialogs in macros_py/.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import TYPE_CHECKING

from . import checks
from .catalog import Catalog
from .errors import BudgetbookError
from .checks.report import Report
from .model import Book
from .reader import read

if TYPE_CHECKING:  # imported where a job needs them: `check` pays for none (start-up)
    from .fill import Change, Kept
    from .marks import Cleared
    from .plan import Plan
    from .surfaces.looks import Looks
    from .surfaces.surface import Surface

DERIVED, INPUT = "bb-derived", "bb-input"


@dataclass
class FillResult:
    plan: Plan
    changes: list[Change]  # derived cells whose value changes, in workbook order
    typed: list[tuple[str, str]] = field(default_factory=list)  # derived-looking cells to type here
    kept: list[Kept] = field(default_factory=list)  # printed totals off their sum by rounding only

    def summary(self) -> str:
        """One closing sentence for a dialog."""
        head = (f"已填写 {len(self.changes)} 个合计单元格。" if self.changes
                else "所有合计已是最新，未改动任何单元格。")
        return head + (self.kept_text() if self.kept else "") + (self.typed_text() if self.typed else "")

    def kept_text(self) -> str:
        """The printed totals fill left alone because they differ from their sum by rounding only."""
        from .money import fmt

        first = self.kept[0]
        return (f"{len(self.kept)} 个合计与各项之和相差在四舍五入允许范围内（尾差），保留原数未改"
                f"（如 {first.sheet}!{first.addr}：{fmt(first.printed)}，各项之和 {fmt(first.added)}，"
                f"{first.terms} 项允许相差 {fmt(first.bound)}）。")

    def typed_text(self) -> str:
        """Which cells the accountant must type for this department, and what to do next."""
        by_sheet: dict[str, list[str]] = {}
        for sheet, addr in self.typed:
            by_sheet.setdefault(sheet, []).append(addr)
        cells = "；".join(f"{sheet} {_span(addrs)}" for sheet, addrs in by_sheet.items())
        return (f"本部门有财政拨款以外的资金（表二），以下单元格不能由其他表算出，已改为手填（浅蓝色）：{cells}；"
                f"请按预算系统填写后再运行一次“填充合计”。")


def _span(addrs: list[str]) -> str:
    """"D5–D34" for a run in one column, else the cells listed."""
    if len(addrs) > 2 and len({a.rstrip("0123456789") for a in addrs}) == 1:
        return f"{addrs[0]}–{addrs[-1]}"
    return "、".join(addrs)


def _refuse_hidden(book: Book) -> None:
    """A total that counts a figure nobody can see, or one that drops it, is wrong either way."""
    hidden = [p for p in book.problems if p.kind == "merged-hidden"]
    if hidden:
        p, more = hidden[0], f"（另有 {len(hidden) - 1} 处）" if len(hidden) > 1 else ""
        raise BudgetbookError(f"{book.path} 的 {p.sheet}!{p.addr} 有数字“{p.raw}”被合并单元格 {p.span} 遮住{more}，"
                              f"在 Excel 中看不到；为免合计漏算或丢掉它，请取消合并并确认该数字后再填写合计。")


def fill(book: Book) -> FillResult:
    """Every derived cell from the typed ones; a typed cell is never written."""
    from .fill import plan_and_kept, typed_lines
    from .plan import Plan

    _refuse_hidden(book)
    changes, kept = plan_and_kept(book)
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
    return FillResult(plan, changes, typed, kept)


def rules() -> list:
    """The catalogue: every rule, in order (by table, then id); the N.* rules of a written 情况说明
    last (they read a text: `budgetbook narrative-check` runs them, `check` does not)."""
    from .narrative import rules as _text_rules  # noqa: F401  (registers the N.* rules)

    return list(checks.REGISTRY)


def check(book: Book, catalog: Catalog | None = None) -> Report:
    return checks.run(book, catalog=catalog)


def check_file(path: Path, catalog: Catalog | None = None, profile: str | None = None) -> Report:
    """The one way to check a workbook file (the command line, the batch, the service; export
    checks the read it publishes, see `export`):
    inspected before anything opens it (workbook.safety), read once with the quickest reader
    that sees what Excel shows (grid.fast_grid), checked, and refused if it changed meanwhile.
    A published disclosure's PDF is read as its layout (`profile`, else detected from the titles)."""
    from . import safety
    from .grid import fast_grid

    if Path(path).suffix.lower() == ".pdf":
        return check_pdf_file(Path(path), catalog, profile)
    if profile not in (None, "gansu-12"):
        raise BudgetbookError(f"{path} 是工作簿：工作簿只能按本工具的 12 张表模板读取，--profile {profile} 只用于 PDF。")
    inspection = safety.inspect(Path(path))
    report = check(read(fast_grid(path), strict=False), catalog)
    safety.unchanged(inspection)
    return report


def check_pdf_file(path: Path, catalog: Catalog | None = None, profile: str | None = None) -> Report:
    """A published disclosure's PDF read (its layout detected from the titles, or `profile`)
    and checked with the rules its layout has tables and columns for."""
    from .pdfread import read_pdf
    from .profiles import PROFILES

    book = read_pdf(path, PROFILES[profile] if profile else None)
    report = check(book, catalog)
    _check_pdf_narrative(book, report)
    return report


def _check_pdf_narrative(book: Book, report: Report) -> None:
    """The 情况说明 printed in the same PDF, checked with the N.* rules against the tables read
    from it (as narrative-check checks a text against a workbook); the report says what was read."""
    from .narrative import extract, job

    paragraphs = extract.join_lines(book.narrative or [])
    if not paragraphs:
        report.scope.append("核对范围：本文件的表格；文件中没有情况说明文字，未核对情况说明。")
        return
    text = job.check(paragraphs, book, path=book.path)
    report.findings += text.findings
    report.coverage = text.coverage
    report.scope.append(f"核对范围：本文件的表格，以及表格以外的情况说明文字 {len(paragraphs)} 段（按 N.* 规则与本文件的表格核对）。")
    report.scope.append(text.coverage.line())


@dataclass
class MarkResult:
    report: Report
    plan: Plan
    marked: int
    cleared: Cleared  # earlier marks taken off first
    capped: dict[str, int] = field(default_factory=dict)  # rule -> cells it names, past the limit
    limit: int = 0  # marked cells per rule (0: all)

    def summary(self) -> str:
        counts = self.report.counts
        if not self.report.findings:
            return "未发现问题。"
        found = "、".join(f"{n} 个{label}" for n, label in ((counts["error"], "错误"), (counts["warning"], "警告"),
                                                             (counts["info"], "提示")) if n)
        text = f"发现 {found}，已标记 {self.marked} 个单元格，详见「{self.plan.add_sheets[0].name}」。"
        return text + "".join(self.capped_lines())

    def capped_lines(self) -> list[str]:
        from .marks import capped_lines

        return capped_lines(self.capped, self.limit)


def mark(looks: Looks, report: Report, limit: int | None = None) -> MarkResult:
    """`limit`: marked cells per rule (None: marks.MARK_LIMIT; 0: all). The notes advise as read
    where the surface shows them (`looks.where`: Excel, WPS; a file: whatever opens it)."""
    from .advice import WORKBOOK
    from .marks import MARK_LIMIT, plan_mark

    planned = plan_mark(looks, report, MARK_LIMIT if limit is None else limit, getattr(looks, "where", WORKBOOK))
    return MarkResult(report, planned.plan, planned.marked, planned.cleared, planned.capped, planned.limit)


def _quiet(step: str) -> None:
    """No one follows this job's steps."""


def check_and_mark(looks: Looks, book: Book, catalog: Catalog | None = None,
                   limit: int | None = None, step=_quiet) -> MarkResult:
    """Check what was read and plan the marks on the same read: the workbook is read once.

    Refuses a workbook whose columns are not where the template has them (a column inserted or
    deleted): marks would land on cells the accountant did not mean."""
    moved = next((t.layout for t in book.tables.values() if t.layout), None)
    if moved:
        raise BudgetbookError(f"{book.path} 的{moved}")
    report = check(book, catalog)
    step("mark")
    return mark(looks, report, limit)


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
    from .marks import plan_clear

    plan, cleared = plan_clear(looks)
    return ClearResult(plan, cleared)


def export(path: Path, outdir: Path, **options):
    """The publication files of a workbook file (the command line, 导出, the service); see
    workbook.export.export for the options. It checks the workbook itself, not through
    check_file: the figures checked must be the figures published, so the one read it makes
    (openpyxl, whose looks the published copy keeps) is both checked and published; check_file
    would read the file a second time with the quicker reader. Like check_file, the file is
    inspected first and refused if it changed while it was read."""
    from .export import export as export_path

    return export_path(Path(path), Path(outdir), **options)


def narrative(grid, book: Book, prior: Book | None = None):
    """The 情况说明 of a workbook read once (its tables and its 基本情况 sheet from the same grid);
    see workbook.narrative.job for the result."""
    from .narrative import job, sheet

    return job.narrative(book, prior, info=sheet.read(grid))


def narrative_inputs(path: Path, prior: Path | None = None):
    """A workbook file read once for the 情况说明: (its tables, its 基本情况 sheet, last year's
    tables from `prior` or None)."""
    from .grid import fast_grid
    from .narrative import sheet

    grid = fast_grid(path)
    return read(grid), sheet.read(grid), (read(fast_grid(prior)) if prior else None)


def new(content):
    """A new workbook (openpyxl) of the 12 tables for `content` (content.blank or the example)."""
    from . import template

    return template.build(content)


# --- the one flow: read, job, apply, save -----------------------------------------------------


def run(surface: Surface, job, *, reads: str | None = "strict", **options):
    """Every button and file command runs this way: the surface's tables read once ("strict": a
    missing table is an error; "loose": it is listed; None: the job reads what it needs), the job
    run on them (`job(surface, book, **options)`), its plan carried out on the surface, which then
    saves (a file) or stays as shown (a workbook open in a host). Returns the job's result."""
    book = None if reads is None else read(surface, strict=reads == "strict")
    result = job(surface, book, **options)
    if result.plan is not None:
        surface.apply(result.plan)
        surface.finish()
    return result


def open_file(path: Path, out: Path | None = None):
    """A workbook file, read for a job that writes it (values and looks) and saved to `out`: the
    patching surface, which rewrites only what the plan touches (surfaces.package;
    OpenpyxlSurface is the reference in tests)."""
    from .surfaces.package import PackageSurface

    return PackageSurface(Path(path), out)


def fill_file(src: Path, out: Path) -> FillResult:
    return run(open_file(src, out), lambda surface, book: fill(book))


def check_and_mark_file(src: Path, out: Path, catalog: Catalog | None = None,
                        limit: int | None = None, step=_quiet) -> MarkResult:
    """`step(name)` is told "read", "check" and "mark" as each begins (the service's progress)."""
    def job(surface, book):
        step("check")
        return check_and_mark(surface, book, catalog, limit, step)

    step("read")
    return run(open_file(src, out), job, reads="loose")


def check_and_mark_copy(src: Path, out: Path, catalog: Catalog | None = None,
                        limit: int | None = None) -> MarkResult:
    """Check a file and write a marked copy to `out` (the batch's --mark-dir); refused if the file
    changed while it was read."""
    from . import safety

    inspection = safety.inspect(Path(src))
    marked = check_and_mark_file(src, out, catalog, limit)
    safety.unchanged(inspection)
    return marked


def mark_file(src: Path, report: Report, out: Path) -> MarkResult:
    """Mark the findings of a report made earlier (e.g. by a faster reader)."""
    return run(open_file(src, out), lambda surface, book: mark(surface, report), reads=None)


def clear_file(src: Path, out: Path) -> ClearResult:
    return run(open_file(src, out), lambda surface, book: clear(surface), reads=None)


# --- the jobs of the ribbon's file buttons (the same for Excel and WPS: workbook.buttons) ------

PUBLISH_FOLDER = "公开文件"  # beside the workbook: where 导出, 邮件草稿 and 生成情况说明 write


@dataclass
class FilesResult:
    """What a file button wrote, and the one sentence the user is told."""

    written: list[Path]
    message: str
    status: int = 0  # as the command line's: 1 when error findings stopped or remain


def next_template(grid, name: str, folder: Path) -> FilesResult:
    """新建模板: a blank template for next year, named after the department, in `folder` (never
    over an existing file). Department and year from this workbook's titles, else from its name."""
    import datetime

    from .content import blank
    from .grid import save_atomic

    try:
        model = read(grid, strict=False)
        dept, year = (model.dept, model.year + 1) if model.dept and model.year else (None, None)
    except BudgetbookError:
        dept = year = None
    dept = dept or Path(name).stem or "某部门"
    year = year or datetime.date.today().year + 1
    out, n = folder / f"{dept}{year}年部门预算公开表.xlsx", 1
    while out.exists():
        n += 1
        out = folder / f"{dept}{year}年部门预算公开表（{n}）.xlsx"
    save_atomic(new(blank(dept, year)), out)
    return FilesResult([out], f"已生成 {year} 年空白模板：{out}")


def publish_beside(path: Path, *, eml: bool) -> FilesResult:
    """导出 / 邮件草稿: the saved workbook's publication files into 公开文件 beside it (a second
    press replaces the first's files); refused while error findings remain."""
    from . import office
    from .export import ExportRefused

    outdir = Path(path).parent / PUBLISH_FOLDER
    outdir.mkdir(exist_ok=True)
    try:
        result = export(path, outdir, pdf=office.find_soffice() is not None, eml=eml, overwrite=True)
    except ExportRefused as refused:
        return FilesResult([], f"仍有 {len(refused.errors)} 处错误，未导出任何文件；请先点「校验并标记」查看并修正，"
                               "再导出。", 1)
    names = "、".join(p.name for p in result.written)
    return FilesResult(list(result.written),
                       f"已导出到 {outdir}：{names}（同名旧文件已替换）。" + "".join(result.warnings))


def narrative_beside(grid, book: Book, path: Path) -> FilesResult:
    """生成情况说明: the 情况说明 (.docx) into 公开文件 beside the saved workbook."""
    from .narrative.publish import file_name, write_docx

    result = narrative(grid, book)
    folder = Path(path).parent / PUBLISH_FOLDER
    folder.mkdir(exist_ok=True)
    out = write_docx(result, folder / f"{file_name(book)}.docx")
    message = f"已生成 {out}。"
    if result.placeholders:
        message += f"文中尚有 {result.unfinished()}（【请填写：…】【请核对：…】），请在“基本情况”表中填写、核对表格后重新生成。"
    if result.report.errors:
        message += f"说明与表格核对有 {len(result.report.errors)} 处不一致，请用 budgetbook narrative 查看。"
    return FilesResult([out], message, 1 if result.report.errors or result.to_check else 0)


# --- from the budget system's ledger ---------------------------------------------------------

@dataclass
class BuildResult:
    """What `build` read, found and wrote. `written` is None when errors in the ledger stopped it."""

    findings: list  # ledger.findings.Finding
    written: Path | None = None
    nudges: list = field(default_factory=list)  # ledger.build.Nudge
    lines: int = 0
    placeholders: int = 0  # 【请填写】 cells left for the accountant (表十二)

    @property
    def errors(self) -> list:
        return [f for f in self.findings if f.severity == "error"]

    def summary(self) -> str:
        if self.written is None:
            return (f"明细中有 {len(self.errors)} 处错误，未生成工作簿；请修正明细后重试"
                    f"（或用 --force 跳过无法使用的行）。")
        text = f"已从 {self.lines} 行明细生成 {self.written}（12 张表，合计已填写）。"
        if self.nudges:
            text += f"{len(self.nudges)} 个数字作了 0.01 万元的尾差调整，见隐藏的「尾差说明」表（在工作表标签上右键→取消隐藏）。"
        if self.placeholders:
            text += f"表十二的绩效目标和指标（{self.placeholders} 处【请填写】）须由单位填写。"
        return text


def build_file(ledgers: list[Path], out: Path, *, dept: str | None = None, year: int | None = None,
               prior: Path | None = None, force: bool = False) -> BuildResult:
    """The 12 tables from ledger files: checked, aggregated, rounded to 万元 with the 尾差 adjusted,
    filled, with a 尾差说明 sheet. Nothing is written while the ledger has an error, unless `force`."""
    import os

    from .grid import save_atomic
    from .ledger import tail
    from .ledger.build import make
    from .ledger.content import ASK
    from .ledger.prior import info as prior_info

    made = make(ledgers, dept=dept, year=year, force=force)
    result = BuildResult(made.findings, lines=made.lines)
    if made.content is None:
        return result
    if prior is not None:
        made.content.info = prior_info(Path(prior), made.content)
    out = Path(out)
    scratch = out.with_name(f".~bb-build.{os.getpid()}.{out.name}")
    try:
        save_atomic(new(made.content), scratch)
        surface = open_file(scratch)
        book = read(surface)
        filled = fill(book)
        filled.plan.add_sheets.append(tail.sheet(book, made.nudges))
        surface.apply(filled.plan)
        surface.save(out)
    finally:
        scratch.unlink(missing_ok=True)
    t12 = book.tables.get("T12")
    result.placeholders = sum(1 for p in ([t12.whole] if t12 and t12.whole else []) + (t12.projects if t12 else [])
                              for _, ind in p.indicators for text in ind if text == ASK) if t12 else 0
    result.written, result.nudges = out, made.nudges
    return result


LEDGER_FOLDER = "明细"  # beside the workbook: where 从明细生成 looks for the budget system's export
LEDGER_SUFFIXES = (".xlsx", ".xls", ".csv")


def build_beside(folder: Path, dept: str | None, year: int | None) -> FilesResult:
    """从明细生成: the ledgers in the folder 明细 beside the workbook, built into a new workbook
    beside it (never over an existing file); nothing written while a ledger has an error."""
    source = folder / LEDGER_FOLDER
    ledgers = sorted(p for p in source.glob("*") if p.suffix.lower() in LEDGER_SUFFIXES
                     and not p.name.startswith(("~$", ".~"))) if source.is_dir() else []
    if not ledgers:
        return FilesResult([], f"请把预算系统导出的明细表（.xlsx、.xls 或 .csv）放到 {source} 文件夹中，再点「从明细生成」。", 1)
    name = f"{dept or '部门'}{year or ''}年部门预算公开表（从明细生成）"
    out, n = folder / f"{name}.xlsx", 1
    while out.exists():
        n += 1
        out = folder / f"{name}（{n}）.xlsx"
    result = build_file(ledgers, out, dept=dept, year=year)
    if result.written is None:
        first = "；".join(str(f) for f in result.errors[:3])
        return FilesResult([], f"{result.summary()}{first}{'……' if len(result.errors) > 3 else ''}", 1)
    return FilesResult([out], result.summary())
