"""Export the finished tables for publication: a clean .xlsx, optionally a PDF and an e-mail draft.

A job and its writers. `plan` reads the workbook once, checks it, refuses (error findings, an
unfinished 情况说明, formulas without results, a taken file name) and decides what is published:
every table cell's value (blank or 0.00 by spec.ZERO_RULES, numbers stored as text as numbers),
the file names, the 情况说明's text. Nothing is written until all of that is known; `write` then
only writes: the .xlsx (workbook.published), its PDF (LibreOffice), the 情况说明 (.docx and PDF)
and the e-mail draft. What was written is read back and checked before the export reports success
(workbook.publication): a published workbook gives exactly its source's findings, a published
情况说明 exactly the findings of the text composed.

The figures checked are the figures published: both come from one OpenpyxlGrid read (a formula
cell reads as the result Excel saved with it). A formula without a saved result (a file written
by a program and never opened in Excel) is refused in a money cell rather than published blank,
and a formula whose saved result is an error (#DIV/0!) is refused anywhere in the tables.
"""
from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from openpyxl.cell.cell import ERROR_CODES

from . import export_layout, mail, office, publication, published
from .cells import coordinate_to_tuple
from .checks import Report
from .checks.report import finding_line
from .errors import BudgetbookError
from .grid import OpenpyxlGrid, check_xlsx, formula_text, put, save_atomic
from .model import Book
from .money import to_amount
from .publication import PublicationDiffers
from .reader import read
from .safety import unchanged

if TYPE_CHECKING:
    from .narrative.job import NarrativeResult

__all__ = ["ExportRefused", "PublicationDiffers", "ExportResult", "Publication", "export", "export_grid", "plan",
           "write", "export_name", "BAD_NAME_CHARS"]

BAD_NAME_CHARS = '/\\:*?"<>|'


class ExportRefused(Exception):
    """Error-severity findings remain: nothing was written. The command line exits with status 1.

    Not a BudgetbookError (status 2): the input is readable and the environment is fine; the
    tables themselves are not ready, and `text()` lists why.
    """

    exit_code = 1

    def __init__(self, report: Report):
        self.report = report
        self.errors = report.errors
        super().__init__(
            f"{report.path} 仍有 {len(self.errors)} 处错误，未导出任何文件；"
            "请修正后再导出，或加 --force 强制导出。"
        )

    def text(self) -> str:
        """The error findings, one per line, then the sentence saying nothing was exported."""
        return "\n".join([*(finding_line(f) for f in self.errors), str(self)])


class UnfinishedNarrative(ExportRefused):
    """`--narrative` and the 情况说明 still asks for input (【请填写】) or contradicts the tables:
    nothing was written, unless --force. Exit status 1."""

    def __init__(self, result: NarrativeResult):
        self.report = result.report
        self.errors = result.report.errors
        self.placeholders = result.placeholders
        Exception.__init__(self, f"情况说明尚未完成（{len(self.placeholders)} 处【请填写】，与表格核对 {len(self.errors)} 处错误），"
                                 "未导出任何文件；请用 budgetbook narrative 查看并补全后再导出，或加 --force 强制导出。")

    def text(self) -> str:
        lines = [f"【请填写：{b}】 → {b.where}" for b in self.placeholders]
        return "\n".join([*lines, *(finding_line(f) for f in self.errors), str(self)])


@dataclass
class ExportResult:
    xlsx: Path
    report: Report
    forced: bool  # error findings remained and --force exported anyway
    pdf: Path | None = None
    eml: Path | None = None
    warnings: list[str] = field(default_factory=list)  # e.g. no LibreOffice: no PDF
    narrative: list[Path] = field(default_factory=list)  # --narrative: the 情况说明 .docx (and .pdf)

    @property
    def written(self) -> list[Path]:
        return [p for p in (self.xlsx, self.pdf, *self.narrative, self.eml) if p is not None]

    def lines(self) -> list[str]:
        """What the command line prints after a successful export."""
        out = []
        if self.forced:
            out += [finding_line(f) for f in self.report.errors]
            out.append(f"注意：工作簿仍有 {len(self.report.errors)} 处错误，已按 --force 强制导出。")
        out += self.warnings
        out += [f"已导出 {p}" for p in self.written]
        return out


def _refuse_error_values(book: Book, path: Path) -> None:
    """An error value (#REF!, #N/A …) or NaN/INF stored in a table is never published, not even with
    --force: no one wants #REF! in a disclosure."""
    from .safety import odd_values

    odd = odd_values(path)
    for table in book.tables.values():
        for ref, value in odd.get(table.sheet, ()):
            raise BudgetbookError(f"{path} 的 {table.sheet}!{ref} 是错误值 {value}，不能公开，未导出任何文件；"
                                  f"请在 Excel 或 WPS 中改正该单元格后再导出。")


def export_name(dept: str | None, year: int | None) -> str:
    """File name without extension: {部门}{年度}年部门预算公开表; refuses what no OS accepts."""
    if not dept or not year:
        raise BudgetbookError("无法从表格标题中识别部门名称和年度（应为“某某部门2024年……”），无法确定导出文件名。")
    bad = "".join(dict.fromkeys(ch for ch in dept if ch in BAD_NAME_CHARS or ord(ch) < 32))
    if bad:
        shown = " ".join(repr(ch)[1:-1] if ord(ch) < 32 else ch for ch in bad)
        raise BudgetbookError(
            f"部门名称“{dept}”含有文件名中不允许的字符 {shown}，无法生成导出文件名；"
            "请修改各表标题中的部门名称后再导出。"
        )
    return f"{dept}{year}年部门预算公开表"


@dataclass
class Publication:
    """What the export job decided, before anything is written (the plan the writers carry out)."""

    book: Book
    report: Report
    source: object  # the openpyxl workbook read: the look the published tables copy
    values: dict[str, list[list[object]]]  # by sheet as read, each cell as it is published
    xlsx: Path
    pdf: Path | None  # asked for and LibreOffice is there
    eml: Path | None
    narrative: NarrativeResult | None = None
    texts: list[Path] = field(default_factory=list)  # the 情况说明's .docx (and .pdf)
    warnings: list[str] = field(default_factory=list)
    stale: list[Path] = field(default_factory=list)  # --overwrite: files of an earlier export this one replaces by nothing

    @property
    def name(self) -> str:
        return self.xlsx.stem


def export(src: Path, outdir: Path, **options) -> ExportResult:
    """Check `src` and write the publication files into `outdir` (options: see `plan` and `write`).

    Files from an earlier export are replaced only with `overwrite` (someone may have edited them).
    Raises ExportRefused (exit 1) when error findings remain or the 情况说明 is unfinished and not
    `force`; BudgetbookError (exit 2) for unreadable input, a bad output folder or name, or a
    LibreOffice failure (the .xlsx written before the PDF stays; the error's `written` lists it);
    PublicationDiffers (exit 3) when what was written does not check as its source.
    """
    src, outdir = Path(src), Path(outdir)
    inspection = check_xlsx(src)
    _check_outdir(outdir)  # before the slow part: a wrong folder is known at once
    # styles for publishing; formulas read as their saved results
    grid = OpenpyxlGrid(src)
    unchanged(inspection)  # what was read is the file inspected (not one being saved meanwhile)
    return export_grid(grid, outdir, **options)


def export_grid(grid: OpenpyxlGrid, outdir: Path, *, sender: str | None = None, to: list[str] | None = None,
                **options) -> ExportResult:
    """`export` of a workbook already read with openpyxl (the jobs layer's export)."""
    return write(plan(grid, outdir, **options), sender=sender, to=to)


def plan(grid: OpenpyxlGrid, outdir: Path, *, pdf: bool = False, eml: bool = False, force: bool = False,
         overwrite: bool = False, narrative: bool = False, dept_code: str | None = None) -> Publication:
    """Read, check, refuse, and decide what is published; writes nothing."""
    from . import checks

    src, outdir = grid.path, Path(outdir)
    _check_outdir(outdir)
    book = read(grid)
    _refuse_error_values(book, grid.path)
    shown = {table.sheet: grid.rows(table.sheet) for table in book.tables.values()}
    uncached, broken = _formulas(grid, shown)

    name = export_name(book.dept, book.year)
    xlsx = outdir / f"{name}.xlsx"
    pdf_path, eml_path = outdir / f"{name}.pdf", outdir / f"{name}.eml"
    for target in (xlsx, pdf_path, eml_path):
        if _same_file(target, src):
            raise BudgetbookError(f"导出文件 {target} 就是输入文件本身，导出不会覆盖输入；请换一个输出文件夹。")
    soffice = office.find_soffice() is not None
    texts = []
    if narrative:  # the 情况说明 (workbook/narrative) beside the tables, with its PDF when there is one
        from .narrative import publish

        texts = publish.targets(book, outdir, pdf and soffice)
    for target in (xlsx, *([pdf_path] if pdf else []), *texts, *([eml_path] if eml else [])):
        if target.exists() and not overwrite:
            raise BudgetbookError(f"导出文件 {target} 已存在；如需用这次导出替换它，请加 --overwrite。")
    _refuse_formulas(book, uncached, broken)

    report = checks.run(book)
    if report.errors and not force:
        raise ExportRefused(report)
    text = _narrative(grid, book) if narrative else None
    if text is not None and (text.placeholders or text.report.errors) and not force:
        raise UnfinishedNarrative(text)

    values = _values(book, shown)
    export_layout.fill_dept_codes(book, values, dept_code or export_layout.typed_dept_code(grid))
    decided = Publication(book, report, grid.book, values, xlsx, pdf_path if pdf and soffice else None,
                          eml_path if eml else None, text, texts)
    if overwrite:  # the folder then holds exactly this export: an earlier PDF or draft would disagree
        from .narrative import publish

        kept = {xlsx, decided.pdf, decided.eml, *texts}
        decided.stale = [p for p in (pdf_path, eml_path, *publish.targets(book, outdir, True))
                         if p not in kept and p.is_file()]
    if pdf and not soffice:
        decided.warnings.append(f"未找到 LibreOffice，未生成 PDF（表格已导出）；如需 PDF，请先运行 {office.INSTALL_HINT}。")
    if text is not None and (text.placeholders or text.report.errors):
        decided.warnings.append(f"注意：情况说明中尚有 {len(text.placeholders)} 处【请填写】、与表格核对 "
                                f"{len(text.report.errors)} 处错误，已按 --force 导出（budgetbook narrative 列出各处）。")
    return decided


def _narrative(grid: OpenpyxlGrid, book: Book) -> NarrativeResult:
    """The 情况说明 composed from the tables and the 基本情况 sheet."""
    from .narrative import job, sheet

    return job.narrative(book, info=sheet.read(grid))


def write(decided: Publication, *, sender: str | None = None, to: list[str] | None = None) -> ExportResult:
    """The writers: the files `plan` decided, each read back and checked where budgetbook reads it."""
    book, xlsx = decided.book, decided.xlsx
    xlsx.parent.mkdir(exist_ok=True)  # only now: a refused export leaves nothing behind
    save_atomic(published.build(book, decided.source, decided.values), xlsx)
    checked, differ = publication.recheck(xlsx, decided.report)
    if differ:
        xlsx.unlink(missing_ok=True)
        raise PublicationDiffers(xlsx, differ)
    result = ExportResult(xlsx=xlsx, report=decided.report, forced=bool(decided.report.errors),
                          warnings=list(decided.warnings))
    if decided.pdf is not None:
        try:
            result.pdf = office.to_pdf(xlsx, decided.pdf)
            _carry_to_pdf(xlsx, result.pdf)
        except BudgetbookError as exc:
            error = BudgetbookError(f"{str(exc).rstrip('。')}；{xlsx.name} 已导出，未生成 PDF 和邮件草稿。")
            error.written = [xlsx]
            raise error from None
        differ = publication.recheck_pdf(result.pdf, checked)
        if differ:  # the PDF says what the workbook does, or neither is published
            result.pdf.unlink(missing_ok=True)
            xlsx.unlink(missing_ok=True)
            raise PublicationDiffers(result.pdf, differ, against=f"同时导出的 {xlsx.name}")
    if decided.narrative is not None:
        from .narrative import publish

        result.narrative = publish.write(decided.narrative, book, decided.texts)
    if decided.eml is not None:
        attachments = [p for p in (result.xlsx, result.pdf, *result.narrative) if p is not None]
        body = mail.draft_body(book.dept, book.year, [p.name for p in attachments])
        draft = mail.build_draft(decided.name, body, attachments, sender=sender, to=to)
        result.eml = mail.write_eml(draft, decided.eml)
    for path in decided.stale:
        path.unlink(missing_ok=True)
        result.warnings.append(f"已删除上次导出的 {path.name}（这次没有导出它，留下会与新表格不一致）。")
    return result


def _carry_to_pdf(xlsx: Path, pdf: Path) -> None:
    """The working columns the published workbook carries (表三 单位类型) go into the PDF's
    document information too, so the PDF read back checks as the workbook does (workbook.pdfgrid)."""
    import json

    from .grid import carried
    from .pdfinfo import add_entry
    from .spec import CARRIED_PROPERTY

    columns = carried(xlsx)
    if columns:
        add_entry(pdf, CARRIED_PROPERTY, json.dumps(columns, ensure_ascii=False))


# --- reading -------------------------------------------------------------------------------------


def _formulas(grid: OpenpyxlGrid, shown: dict[str, list[list[object]]]) -> tuple[list, list]:
    """Formula cells of the table sheets without a saved result, and those whose result is an error.

    The grid reads a formula cell as the result Excel saved with it, or as its formula text when
    there is none (a file written by a program such as openpyxl and never saved by Excel). That
    text is published as text in a text cell (an indicator value "=100%" written by a program, as
    templates before 5c0810f did, is stored as a formula); in a money cell export refuses (see
    _refuse_formulas). `shown` is what the grid read, by sheet.
    """
    uncached, broken = [], []
    for ws in grid.book.worksheets:  # workbook order, as the messages list them
        for r, row in enumerate(shown.get(ws.title, ()), 1):
            for c, value in enumerate(row, 1):
                if not isinstance(value, str) or not (value.startswith("=") or value in ERROR_CODES):
                    continue
                cell = ws.cell(r, c)
                if cell.data_type != "f":
                    continue
                if value == formula_text(cell.value):  # the grid's reading of a formula with no result
                    uncached.append((ws.title, cell.coordinate))
                elif value in ERROR_CODES:
                    broken.append((ws.title, cell.coordinate, value))
    return uncached, broken


def _refuse_formulas(book: Book, uncached, broken) -> None:
    """A number must come with its last result: without one the published cell would be wrong."""
    money = {(t.sheet, row.addr(col)) for t in book.tables.values() for row in t.rows for col in row.values}
    blank = [f"{sheet}!{addr}" for sheet, addr in uncached if (sheet, addr) in money]
    if blank:
        raise BudgetbookError(
            f"{book.path} 中 {_some(blank)} 是公式但文件里没有保存计算结果（文件由程序生成后未在 Excel 中保存过），"
            "无法导出数值；请先在 Excel、WPS 或 LibreOffice 中打开并保存一次，再导出。"
        )
    sheets = {t.sheet for t in book.tables.values()}
    errors = [f"{sheet}!{addr}（{code}）" for sheet, addr, code in broken if sheet in sheets]
    if errors:
        raise BudgetbookError(f"{book.path} 中 {_some(errors)} 的公式计算出错，不能发布；请改正公式后再导出。")


def _some(cells: list[str]) -> str:
    return "、".join(cells) if len(cells) <= 3 else f"{'、'.join(cells[:3])} 等 {len(cells)} 个单元格"


def _values(book: Book, shown: dict[str, list[list[object]]]) -> dict[str, list[list[object]]]:
    """Each table sheet's values as published: numbers stored as text as numbers (the published
    table must add up in any viewer), then blank or 0.00 by spec.ZERO_RULES."""
    numbers = {(p.sheet, p.addr): to_amount(p.raw)[0] for p in book.problems if p.kind == "text-number"}
    money = export_layout.published_money(book)
    return {table.sheet: _published_values(shown[table.sheet], money.get(table.sheet, {}),
                                           {addr: n for (sheet, addr), n in numbers.items() if sheet == table.sheet},
                                           table.below)
            for table in book.tables.values()}


def _published_values(shown: list[list[object]], money: dict[tuple[int, int], float | None],
                      numbers: dict[str, object], below: dict[str, object]) -> list[list[object]]:
    """The sheet's values as published: text numbers as numbers, then blank or 0.00 by line; a
    number under the 备注 line (F.below-note: it belongs to no row; published only with --force)
    stays behind, as a figure under a merged range does."""
    values = [list(row) if row else row for row in shown]  # blank rows stay one shared object
    for addr in below:
        r, c = coordinate_to_tuple(addr)
        values[r - 1][c - 1] = None
    for addr, number in numbers.items():
        r, c = coordinate_to_tuple(addr)
        if number is not None and r <= len(values) and c <= len(values[r - 1]):
            values[r - 1][c - 1] = float(number)
    for (r, c), value in money.items():
        put(values, r, c, value)
    return values


# --- the output folder ---------------------------------------------------------------------------


def _check_outdir(outdir: Path) -> None:
    """A missing folder is made when the files are written (one level: its parent must exist)."""
    if not outdir.exists():
        parent = outdir.parent
        if not parent.is_dir():
            raise BudgetbookError(f"输出文件夹 {outdir} 的上一级文件夹 {parent} 不存在，请先创建它或换一个文件夹。")
        outdir = parent
    if not outdir.is_dir():
        raise BudgetbookError(f"输出位置 {outdir} 是一个文件而不是文件夹，请换一个文件夹。")
    if not os.access(outdir, os.W_OK | os.X_OK):
        raise BudgetbookError(f"没有写入输出文件夹 {outdir} 的权限，请换一个文件夹。")


def _same_file(target: Path, src: Path) -> bool:
    if target.resolve() == src.resolve():
        return True
    try:
        return target.exists() and os.path.samefile(target, src)  # hard links, case-insensitive disks
    except OSError:
        return False
